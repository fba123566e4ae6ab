package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPI is the OpenAPI 3 description of the API. Tests validate the
// responses of every endpoint against it, so it stays true.
//
//go:embed openapi.json
var openAPI []byte

// apiOpenAPI answers GET /api/v1/openapi.json.
func (a *app) apiOpenAPI(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, cacheLong)
	return writeBody(c, http.StatusOK, echo.MIMEApplicationJSON, openAPI)
}
