package api

import (
	"net/http"
	"runtime"

	"github.com/labstack/echo/v4"
)

// versionResponse is the JSON of GET /api/v1/version.
type versionResponse struct {
	Version string `json:"version"` // the program's version, "dev" for a local build
	Go      string `json:"go"`      // the Go release it was built with
	API     string `json:"api"`     // the API version, "v1"
}

// apiVersion answers GET /api/v1/version.
func (a *app) apiVersion(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, cacheDefault)
	return writeJSON(c, http.StatusOK, versionResponse{Version: a.cfg.Version, Go: runtime.Version(), API: "v1"})
}
