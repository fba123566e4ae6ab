package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
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
	// RequestID is the X-Request-Id of the request, to quote when
	// reporting a problem.
	RequestID string `json:"request_id,omitempty"`
}

// Stable problem types. They are URI references relative to the API; the
// OpenAPI document lists them.
const (
	problemBadParam    = "/api/v1/problems/invalid-parameter"
	problemNotFound    = "/api/v1/problems/not-found"
	problemMethod      = "/api/v1/problems/method-not-allowed"
	problemMediaType   = "/api/v1/problems/unsupported-media-type"
	problemRateLimited = "/api/v1/problems/rate-limited"
	problemNotReady    = "/api/v1/problems/not-ready"
	problemTimeout     = "/api/v1/problems/timeout"
	problemInternal    = "/api/v1/problems/internal"
	problemHTTP        = "/api/v1/problems/http"
	problemAuth        = "/api/v1/problems/unauthorized"
	problemTooLarge    = "/api/v1/problems/too-large"
	problemConflict    = "/api/v1/problems/conflict"
	problemUnreadable  = "/api/v1/problems/unreadable-file"
)

// statusClientClosed is the status logged for a request whose client went
// away before the answer was ready (nginx's 499); nobody reads the body.
const statusClientClosed = 499

// facetLabels are the German names of the facet fields, which are also
// the filter parameters: headings on the search page and names in error
// details.
var facetLabels = map[string]string{
	search.FieldSpeaker:      "Vortragende",
	search.FieldOrganisation: "Organisation",
	search.FieldState:        "Bundesland",
	search.FieldTopic:        "Thema",
	search.FieldKind:         "Format",
	search.FieldEvent:        "Veranstaltung",
	search.FieldYear:         "Jahr",
}

// rangeNames are the German names of the numeric query parameters.
var rangeNames = map[string]string{
	"page": "Die Seitenzahl „page“",
	"size": "Die Seitengröße „size“",
}

// queryDetail is the German explanation of what is wrong with a query:
// the one table from search's problems to what a person reads.
func queryDetail(qe *search.QueryError) string {
	label := facetLabels[qe.Field]
	switch qe.Problem {
	case search.TooLong:
		d := fmt.Sprintf("Die Suchanfrage ist zu lang: höchstens %d Zeichen sind erlaubt", qe.Limit)
		if qe.Got > 0 {
			d += fmt.Sprintf(", diese hat %d", qe.Got)
		}
		return d + "."
	case search.InvalidText:
		switch {
		case qe.Field == "q" || qe.Field == "":
			return "Die Suchanfrage enthält ungültige Zeichen."
		case label != "":
			return "Der Wert für „" + label + "“ enthält ungültige Zeichen."
		}
		return "Der Parameter „" + clip(qe.Field) + "“ enthält ungültige Zeichen."
	case search.OutOfRange:
		if name, ok := rangeNames[qe.Field]; ok {
			return fmt.Sprintf("%s muss zwischen 1 und %d liegen.", name, qe.Limit)
		}
	case search.UnknownSort:
		return "Die Sortierung „" + clip(qe.Value) + "“ gibt es nicht; erlaubt sind relevance, date und title."
	case search.TooManyValues:
		return fmt.Sprintf("Für „%s“ sind höchstens %d Werte erlaubt.", label, qe.Limit)
	case search.ValueTooLong:
		return fmt.Sprintf("Ein Wert für „%s“ ist zu lang: höchstens %d Zeichen sind erlaubt.", label, qe.Limit)
	case search.NotAYear:
		return "„" + clip(qe.Value) + "“ ist keine Jahreszahl."
	case search.PastLastPage:
		return pastLastPage(qe.Got, qe.Limit)
	}
	return "Die Suchanfrage konnte nicht verstanden werden."
}

// pastLastPage says in German that page does not exist because there
// are only pages pages.
func pastLastPage(page, pages int) string {
	switch pages {
	case 0:
		return fmt.Sprintf("Die Seite %d gibt es nicht: Es gibt keine Treffer.", page)
	case 1:
		return fmt.Sprintf("Die Seite %d gibt es nicht: Es gibt nur eine Seite.", page)
	}
	return fmt.Sprintf("Die Seite %d gibt es nicht: Es gibt nur %d Seiten.", page, pages)
}

// toProblem maps any error to the problem a client sees. Internal causes
// never reach the client.
func toProblem(err error) problem {
	var (
		pe *paramError
		qe *search.QueryError
		re *rateLimitError
		me *mediaTypeError
		he *echo.HTTPError
		ae *AdminError
	)
	switch {
	case errors.As(err, &ae):
		return adminProblem(ae)
	case errors.Is(err, errUnauthorized):
		return problem{Type: problemAuth, Title: "Nicht angemeldet", Status: http.StatusUnauthorized,
			Detail: "Für diese Adresse ist ein gültiger Zugangsschlüssel nötig (Kopfzeile „Authorization: Bearer …“)."}
	case errors.As(err, &pe):
		return problem{Type: problemBadParam, Title: "Ungültiger Parameter", Status: http.StatusBadRequest, Detail: pe.Detail, Param: pe.Param}
	case errors.As(err, &qe):
		return problem{Type: problemBadParam, Title: "Ungültiger Parameter", Status: http.StatusBadRequest, Detail: queryDetail(qe), Param: qe.Field}
	case errors.Is(err, search.ErrBadQuery):
		return problem{Type: problemBadParam, Title: "Ungültige Suchanfrage", Status: http.StatusBadRequest, Detail: "Die Suchanfrage konnte nicht verstanden werden."}
	case errors.Is(err, search.ErrNotFound):
		return problem{Type: problemNotFound, Title: "Nicht gefunden", Status: http.StatusNotFound, Detail: "Diesen Vortrag gibt es nicht."}
	case errors.As(err, &re) && re.Expensive:
		return problem{Type: problemRateLimited, Title: "Zu viele aufwendige Anfragen", Status: http.StatusTooManyRequests,
			Detail: fmt.Sprintf("Gerade laufen zu viele aufwendige Suchanfragen (mit * oder vielen Wörtern). Bitte in %s erneut versuchen.", seconds(re.RetryAfter))}
	case errors.As(err, &re):
		return problem{Type: problemRateLimited, Title: "Zu viele Anfragen", Status: http.StatusTooManyRequests,
			Detail: fmt.Sprintf("Von Ihrer Adresse kommen zu viele Anfragen. Bitte in %s erneut versuchen.", seconds(re.RetryAfter))}
	case errors.As(err, &me):
		return problem{Type: problemMediaType, Title: "Inhaltstyp nicht unterstützt", Status: http.StatusUnsupportedMediaType,
			Detail: fmt.Sprintf("Diese Adresse nimmt keinen Anfrageinhalt an (gesendet: „%s“). Die Parameter gehören in die Adresse, zum Beispiel /api/v1/search?q=eAkte.", me.ContentType)}
	case errors.Is(err, errScrapeBusy):
		return problem{Type: problemNotReady, Title: "Ausgelastet", Status: http.StatusServiceUnavailable, Detail: "Es laufen schon andere Abfragen der Metriken. Bitte gleich erneut versuchen."}
	case errors.Is(err, errNotReady):
		return problem{Type: problemNotReady, Title: "Noch nicht bereit", Status: http.StatusServiceUnavailable, Detail: "Der Suchindex wird gerade aufgebaut. Bitte in einigen Sekunden erneut versuchen."}
	case errors.Is(err, context.DeadlineExceeded):
		return problem{Type: problemTimeout, Title: "Zeitüberschreitung", Status: http.StatusServiceUnavailable, Detail: "Die Anfrage hat zu lange gedauert. Bitte die Suche eingrenzen oder später erneut versuchen."}
	case errors.Is(err, context.Canceled):
		return problem{Type: problemTimeout, Title: "Abgebrochen", Status: statusClientClosed, Detail: "Die Anfrage wurde abgebrochen."}
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return problem{Type: problemNotFound, Title: "Nicht gefunden", Status: he.Code, Detail: "Diese Adresse gibt es nicht."}
		case http.StatusMethodNotAllowed:
			return problem{Type: problemMethod, Title: "Methode nicht erlaubt", Status: he.Code, Detail: "Diese Adresse kann nur gelesen werden (GET oder HEAD)."}
		case http.StatusRequestedRangeNotSatisfiable:
			return problem{Type: problemHTTP, Title: "Bereich nicht lieferbar", Status: he.Code, Detail: "Der angefragte Bereich (Range) liegt außerhalb der Datei."}
		case http.StatusPreconditionFailed:
			return problem{Type: problemHTTP, Title: "Vorbedingung nicht erfüllt", Status: he.Code, Detail: "Die Datei hat sich geändert (If-Match oder If-Unmodified-Since)."}
		}
		if he.Code < 500 {
			return problem{Type: problemHTTP, Title: http.StatusText(he.Code), Status: he.Code, Detail: "Die Anfrage konnte nicht bearbeitet werden."}
		}
	}
	return problem{Type: problemInternal, Title: "Interner Fehler", Status: http.StatusInternalServerError, Detail: "Interner Fehler. Bitte später erneut versuchen."}
}

// seconds says n seconds in German.
func seconds(n int) string {
	if n == 1 {
		return "einer Sekunde"
	}
	return strconv.Itoa(n) + " Sekunden"
}

var errNotReady = errors.New("index not ready")

// handleError is echo's error handler: problem+json for the API, a German
// HTML page for people. 5xx causes are logged with the request id, never
// shown; errors are never cached.
func (a *app) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := toProblem(err)
	p.RequestID = requestIDOf(c)
	if p.Type == problemMethod && strings.HasPrefix(c.Request().URL.Path, "/api/v1/admin/") {
		p.Detail = "Diese Verwaltungsadresse erlaubt diese Methode nicht; welche Methoden sie annimmt, steht in /api/v1/openapi.json."
	}
	switch {
	case p.Status == statusClientClosed:
		a.log.Info("client went away", "request_id", p.RequestID, "path", c.Request().URL.Path)
	case p.Type == problemTimeout:
		a.log.Warn("request timed out", "request_id", p.RequestID, "path", c.Request().URL.Path, "err", err)
	case p.Status >= 500 && p.Type != problemNotReady:
		a.log.Error("request failed", "request_id", p.RequestID, "path", c.Request().URL.Path, "status", p.Status, "err", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Del(headerETag)
	var re *rateLimitError
	switch {
	case errors.As(err, &re):
		h.Set(echo.HeaderRetryAfter, strconv.Itoa(re.RetryAfter))
	case p.Status == http.StatusServiceUnavailable:
		h.Set(echo.HeaderRetryAfter, "5")
	}
	if machinePath(c.Request().URL.Path) || wantsJSON(c) {
		h.Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		_ = jsonEncode(c.Response(), p)
		return
	}
	if rerr := a.pages.render(c, p.Status, "error.html", errorPage{Title: p.Title, Detail: p.Detail, Status: p.Status}); rerr != nil {
		a.log.Error("render error page", "request_id", p.RequestID, "err", rerr)
	}
}

// machinePath is a path that programs read (the API, files, previews,
// static assets, health and metrics): its errors are always problem+json.
// The pages answer people with a German HTML page instead.
func machinePath(path string) bool {
	for _, prefix := range []string{"/api/", "/files/", "/previews/", "/static/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return quietRoutes[path] || path == "/static"
}

// wantsJSON is a client that asks for JSON (or problem+json) and not HTML.
func wantsJSON(c echo.Context) bool {
	acc := c.Request().Header.Get("Accept")
	return (strings.Contains(acc, "application/json") || strings.Contains(acc, "application/problem+json")) && !strings.Contains(acc, "text/html")
}
