package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz answers 200 while the process serves requests.
func (a *app) healthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, cacheNever)
	return writeJSON(c, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 once the index is open and built, 503 before, with
// the reason Config.NotReady gives.
func (a *app) readyz(c echo.Context) error {
	if !a.cfg.Ready() {
		if a.cfg.NotReady == nil {
			return errNotReady
		}
		p := toProblem(errNotReady)
		p.RequestID = requestIDOf(c)
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, "no-store")
		h.Set(echo.HeaderRetryAfter, "5")
		h.Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		return jsonEncode(c.Response(), struct {
			problem
			Reason string `json:"reason,omitempty"`
		}{p, a.cfg.NotReady()})
	}
	c.Response().Header().Set(echo.HeaderCacheControl, cacheNever)
	return writeJSON(c, http.StatusOK, map[string]string{"status": "ready"})
}

// requireReady refuses requests that need the index until it is ready.
func (a *app) requireReady(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !a.cfg.Ready() {
			return errNotReady
		}
		return next(c)
	}
}
