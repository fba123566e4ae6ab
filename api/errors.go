package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// problem is an RFC 9457 problem detail, the body of every API error.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Param  string `json:"param,omitempty"`
}

// Stable problem types. They are URI references relative to the API.
const (
	problemBadParam = "/api/v1/problems/invalid-parameter"
	problemNotFound = "/api/v1/problems/not-found"
	problemNotReady = "/api/v1/problems/not-ready"
	problemInternal = "/api/v1/problems/internal"
	problemHTTP     = "/api/v1/problems/http"
)

// German explanations of search.QueryError parameters.
var queryErrorDetail = map[string]string{
	"q":      fmt.Sprintf("Die Suchanfrage ist zu lang: höchstens %d Zeichen sind erlaubt.", search.MaxQueryLength),
	"page":   fmt.Sprintf("Die Seitenzahl „page“ muss zwischen 1 und %d liegen.", search.MaxPage),
	"size":   fmt.Sprintf("Die Seitengröße „size“ muss zwischen 1 und %d liegen.", search.MaxPageSize),
	"sort":   "Die Sortierung „sort“ muss relevance, date oder title sein.",
	"slides": "Der Parameter „slides“ muss zwischen 0 und 20 liegen.",
}

// toProblem maps any error to the problem a client sees. Internal causes
// never reach the client.
func toProblem(err error) problem {
	var pe *paramError
	var qe *search.QueryError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &pe):
		return problem{problemBadParam, "Ungültiger Parameter", http.StatusBadRequest, pe.Detail, pe.Param}
	case errors.As(err, &qe):
		detail, ok := queryErrorDetail[qe.Param]
		if !ok {
			detail = "Die Suchanfrage konnte nicht verstanden werden."
		}
		return problem{problemBadParam, "Ungültiger Parameter", http.StatusBadRequest, detail, qe.Param}
	case errors.Is(err, search.ErrBadQuery):
		return problem{problemBadParam, "Ungültige Suchanfrage", http.StatusBadRequest, "Die Suchanfrage konnte nicht verstanden werden.", ""}
	case errors.Is(err, search.ErrNotFound):
		return problem{problemNotFound, "Nicht gefunden", http.StatusNotFound, "Diesen Vortrag gibt es nicht.", ""}
	case errors.Is(err, errNotReady):
		return problem{problemNotReady, "Noch nicht bereit", http.StatusServiceUnavailable, "Der Suchindex wird gerade aufgebaut. Bitte in einigen Sekunden erneut versuchen.", ""}
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return problem{problemNotFound, "Nicht gefunden", he.Code, "Diese Adresse gibt es nicht.", ""}
		case http.StatusMethodNotAllowed:
			return problem{problemHTTP, "Methode nicht erlaubt", he.Code, "Diese Adresse unterstützt nur GET.", ""}
		}
		if he.Code < 500 {
			return problem{problemHTTP, http.StatusText(he.Code), he.Code, "Die Anfrage konnte nicht bearbeitet werden.", ""}
		}
	}
	return problem{problemInternal, "Interner Fehler", http.StatusInternalServerError, "Interner Fehler. Bitte später erneut versuchen.", ""}
}

var errNotReady = errors.New("index not ready")

// handleError is echo's error handler: problem+json for the API, a German
// HTML page for people. 5xx causes are logged, never shown.
func (a *app) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := toProblem(err)
	if p.Status >= 500 {
		a.log.Error("request failed", "path", c.Request().URL.Path, "status", p.Status, "err", err)
	}
	if p.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5")
	}
	path := c.Request().URL.Path
	if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/files/") || wantsJSON(c) {
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		_ = jsonEncode(c.Response(), p)
		return
	}
	if rerr := a.pages.render(c, p.Status, "error.html", errorPage{Title: p.Title, Detail: p.Detail, Status: p.Status}); rerr != nil {
		a.log.Error("render error page", "err", rerr)
	}
}

func wantsJSON(c echo.Context) bool {
	acc := c.Request().Header.Get("Accept")
	return strings.Contains(acc, "application/json") && !strings.Contains(acc, "text/html")
}
