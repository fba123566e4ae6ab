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

// readyz answers 200 once the index is open and built, 503 before.
func (a *app) readyz(c echo.Context) error {
	if !a.cfg.Ready() {
		return errNotReady
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
