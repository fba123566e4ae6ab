// Package api is the HTTP face of talksearch: the JSON API for portals,
// the German search page for municipal staff, the slide files and the
// health endpoints. Handlers stay thin: they read parameters, call the
// Searcher and render.
//
// It owns the wire: its own response types (mapped from search's result
// types, so an index change never renames a JSON field), the one table
// that turns search's typed errors into German problem+json details, and
// every German text of the program.
//
// It imports search and nothing else of talksearch; nothing imports it
// but cmd.
package api

import (
	"context"
	"embed"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// Searcher is what the handlers need from the index. *search.Index
// implements it.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	Talk(ctx context.Context, id string) (*search.Talk, error)
	Slides(ctx context.Context, talkID string) ([]search.Slide, []search.Segment, error)
	Suggest(ctx context.Context, input string, n int) ([]search.Suggestion, error)
}

// StatsSource reports what the index holds; /metrics reads it at scrape
// time. *search.Index implements it.
type StatsSource interface {
	Stats(ctx context.Context) (search.Stats, error)
}

// Config configures the HTTP app. The zero value serves everything with
// no CORS, no rate limit and the default timeout.
type Config struct {
	// BaseURL, when set (for example "https://talks.example.org"), makes
	// the links in API responses absolute.
	BaseURL string
	// Files serves the talks' files under /files/; nil serves none.
	Files fs.FS
	// Previews holds the PNG previews of slides as <talk-id>/<page>.png,
	// served under /previews/ and shown on the pages; nil shows text
	// placeholders instead.
	Previews fs.FS
	// Ready reports whether the index is open and built; nil means always.
	Ready func() bool
	// NotReady, when set, says why the index is not ready yet; /readyz
	// shows it to operators as the problem's reason.
	NotReady func() string
	// Logger receives the access log (one line per request, with its
	// request id) and request errors; nil discards them.
	Logger *slog.Logger
	// Version is the program version GET /api/v1/version reports; ""
	// means "dev".
	Version string
	// AllowOrigins are the origins (for example "https://portal.example.de")
	// that browsers may call the API from; none by default. "*" allows any.
	AllowOrigins []string
	// RateLimit is how many requests per second one client IP may make,
	// with bursts of RateBurst; 0 turns rate limiting off.
	RateLimit float64
	RateBurst int
	// RateLimitLoopback limits clients on the loopback interface too; by
	// default they are not limited.
	RateLimitLoopback bool
	// TrustProxy takes the client IP from X-Forwarded-For when the request
	// comes from a loopback or private address (a reverse proxy). Without
	// it the header is ignored, so clients cannot choose their IP.
	TrustProxy bool
	// Timeout is the deadline of a request's handler; 0 means 10 seconds.
	Timeout time.Duration
	// Stats, when set, adds the index's size to /metrics.
	Stats StatsSource
	// ExpensiveQueries is how many expensive queries (with a prefix x*
	// or many words, search.Query.Expensive) run at once, server-wide;
	// 0 means DefaultExpensiveQueries(), a negative number no limit. One
	// more waits up to ExpensiveWait (0: DefaultExpensiveWait) and is
	// then refused with 429 and Retry-After.
	ExpensiveQueries int
	ExpensiveWait    time.Duration
	// Admin, together with AdminToken, turns the admin API on
	// (/api/v1/admin/…, see admin.go); without both its paths are 404.
	Admin Admin
	// AdminToken is the bearer token every admin request must carry.
	AdminToken string
	// AdminMaxUpload is the size limit of an uploaded file in bytes; 0
	// means DefaultMaxUpload.
	AdminMaxUpload int64
}

// DefaultMaxUpload is the size limit of an uploaded file when
// Config.AdminMaxUpload is 0.
const DefaultMaxUpload = 200 << 20

// DefaultTimeout is the handler deadline when Config.Timeout is 0.
const DefaultTimeout = 10 * time.Second

//go:embed templates static
var embedded embed.FS

// app holds what the handlers share.
type app struct {
	cfg     Config
	s       Searcher
	pages   *pages
	log     *slog.Logger
	metrics *metrics
	// refusals logs the rate limit's refusals, once per client a minute.
	refusals *refusalLog
	// expensive limits the expensive queries running at once.
	expensive *expensiveGate
}

// New returns the echo app with every route registered.
func New(cfg Config, s Searcher) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Ready == nil {
		cfg.Ready = func() bool { return true }
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.AdminMaxUpload <= 0 {
		cfg.AdminMaxUpload = DefaultMaxUpload
	}
	a := &app{cfg: cfg, s: s, log: cfg.Logger, pages: newPages(embedded),
		expensive: newExpensiveGate(cfg.ExpensiveQueries, cfg.ExpensiveWait)}
	a.metrics = newMetrics(cfg, a.log)
	a.refusals = newRefusalLog(a.log, time.Now)

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Logger.SetOutput(io.Discard) // we log with slog only
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	// Outermost first: every response, errors and panics included, gets a
	// request id, an access log line, metrics and the security headers.
	e.Use(requestID, a.observe, securityHeaders, compress())
	if len(cfg.AllowOrigins) > 0 {
		e.Use(cors(cfg.AllowOrigins))
	}
	if cfg.RateLimit > 0 {
		e.Use(a.rateLimit())
	}
	e.Use(a.recoverPanics(), a.timeout(), utf8Params)
	a.routes(e)
	return e
}

// routes registers every endpoint: health and metrics, the API under
// /api/v1, the HTML pages, static files, previews and talk files. Every
// route answers HEAD as it answers GET; net/http sends the status and
// headers (Content-Length included) and drops the body.
func (a *app) routes(e *echo.Echo) {
	read := []string{http.MethodGet, http.MethodHead}
	e.Match(read, "/healthz", a.healthz)
	e.Match(read, "/readyz", a.readyz)
	e.Match(read, "/metrics", a.serveMetrics)

	// No group middleware: echo would add a catch-all route that turns
	// every 405 into a 404.
	v1 := e.Group("/api/v1")
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		v1.Match(read, path, h, append([]echo.MiddlewareFunc{noBody}, m...)...)
	}
	get("/openapi.json", a.apiOpenAPI)
	get("/version", a.apiVersion)
	get("/search", a.apiSearch, a.requireReady)
	get("/suggest", a.apiSuggest, a.requireReady)
	get("/talks", a.apiTalks, a.requireReady)
	get("/talks/:id", a.apiTalk, a.requireReady)
	get("/talks/:id/slides", a.apiSlides, a.requireReady)
	a.adminRoutes(e)

	e.Match(read, "/", a.pageSearch, a.requireReady)
	e.Match(read, "/talks/:id", a.pageTalk, a.requireReady)
	if a.cfg.Previews != nil {
		e.Match(read, "/previews/*", a.servePreview)
	}
	// What e.StaticFS registers, for HEAD too.
	e.Match(read, "/static*", echo.StaticDirectoryHandler(echo.MustSubFS(embedded, "static"), !e.EnablePathUnescapingStaticFiles))
	if a.cfg.Files != nil {
		e.Match(read, "/files/*", a.serveFile, cacheFor(3600))
	}
}

// cacheFor sets a Cache-Control max-age on successful responses.
func cacheFor(seconds int) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", "public, max-age="+itoa(seconds))
			return next(c)
		}
	}
}
