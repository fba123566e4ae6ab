package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiTalk answers GET /api/v1/talks/:id with the talk's metadata.
func (a *app) apiTalk(c echo.Context) error {
	t, err := a.s.Talk(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, a.talkJSON(*t))
}
