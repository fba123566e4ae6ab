package api

import (
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/talksearch/talksearch/search"
)

// ctxKeyRequestID is where requestID keeps the id in the echo context.
const ctxKeyRequestID = "request_id"

// requestID takes the client's X-Request-Id when it is a sensible token
// and makes one otherwise, and returns it in every response.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Set(ctxKeyRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// validRequestID accepts up to 128 characters of letters, digits and
// -_.:, so a client's id cannot inject anything into logs or headers.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("-_.:", r):
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

func requestIDOf(c echo.Context) string {
	id, _ := c.Get(ctxKeyRequestID).(string)
	return id
}

// ctxKeyRateLimited marks a request the rate limit refused: its access
// line is logged at debug level only, since refusals are counted and
// logged per client once a minute (refusalLog).
const ctxKeyRateLimited = "rate_limited"

// quietRoutes are polled by machines; their requests are logged at debug
// level only.
var quietRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// observe writes the access log line and the request metrics. It hands
// errors to the error handler itself, so that it sees the final status.
func (a *app) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		began := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		took := time.Since(began)
		req, res := c.Request(), c.Response()
		route := routeOf(c)
		a.metrics.observe(route, res.Status, took)
		level := slog.LevelInfo
		if limited, _ := c.Get(ctxKeyRateLimited).(bool); limited || quietRoutes[route] {
			level = slog.LevelDebug
		}
		a.log.LogAttrs(req.Context(), level, "request",
			slog.String("request_id", requestIDOf(c)),
			slog.String("method", req.Method),
			slog.String("route", route),
			slog.String("uri", req.URL.RequestURI()),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
			slog.String("client", anonymizeIP(c.RealIP())),
			slog.String("user_agent", req.UserAgent()),
		)
		return nil
	}
}

// routeOf is the route pattern that served the request, such as
// /api/v1/talks/:id, never the raw path, so that metric labels stay few.
func routeOf(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "unmatched"
}

// anonymizeIP drops the host part of an address (the last byte of IPv4,
// the last 80 bits of IPv6) before it is logged.
func anonymizeIP(s string) string {
	ip := net.ParseIP(s)
	switch {
	case ip == nil:
		return ""
	case ip.To4() != nil:
		return ip.Mask(net.CIDRMask(24, 32)).String()
	default:
		return ip.Mask(net.CIDRMask(48, 128)).String()
	}
}

// Content security policies. The page uses only its own stylesheet and
// scripts under /static; JSON is never rendered, so it may load nothing.
const (
	cspHTML = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	cspJSON = "default-src 'none'; frame-ancestors 'none'"
)

// securityHeaders sets the headers every response carries, and a content
// security policy fitting what the response turns out to be.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		h := res.Header()
		h.Set(echo.HeaderXContentTypeOptions, "nosniff")
		h.Set(echo.HeaderReferrerPolicy, "strict-origin-when-cross-origin")
		h.Set(echo.HeaderXFrameOptions, "DENY")
		res.Before(func() {
			ct := h.Get(echo.HeaderContentType)
			switch {
			case strings.HasPrefix(ct, "text/html"):
				h.Set(echo.HeaderContentSecurityPolicy, cspHTML)
			case strings.HasPrefix(ct, "application/json"), strings.HasPrefix(ct, "application/problem+json"):
				h.Set(echo.HeaderContentSecurityPolicy, cspJSON)
			}
		})
		return next(c)
	}
}

// gzipMinLength is the smallest body worth compressing: below it, the
// gzip header and the CPU cost outweigh the saving.
const gzipMinLength = 1024

// compress gzips responses of at least gzipMinLength bytes for clients
// that accept it. PDFs are compressed already (and served with ranges),
// and /metrics compresses itself.
func compress() echo.MiddlewareFunc {
	return middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     gzip.BestSpeed + 4, // level 5: most of the gain at a third of level 9's CPU
		MinLength: gzipMinLength,
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return strings.HasPrefix(p, "/files/") || strings.HasPrefix(p, "/previews/") || p == "/metrics"
		},
	})
}

// cors lets browsers on the given origins call the API.
func cors(origins []string) echo.MiddlewareFunc {
	return middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:  origins,
		AllowMethods:  []string{http.MethodGet, http.MethodHead},
		AllowHeaders:  []string{headerIfNoneMatch, echo.HeaderXRequestID},
		ExposeHeaders: []string{headerETag, echo.HeaderXRequestID, echo.HeaderRetryAfter},
		MaxAge:        3600,
	})
}

// rateLimitError is a client over its request rate.
type rateLimitError struct {
	RetryAfter int  // seconds
	Expensive  bool // too many expensive queries at once (expensive.go)
}

func (e *rateLimitError) Error() string { return "rate limit exceeded" }

// rateLimit limits each client IP to cfg.RateLimit requests per second
// with bursts of cfg.RateBurst. Loopback clients are exempt unless
// cfg.RateLimitLoopback; CORS preflights, health checks, metrics, the
// stylesheet and the slide previews (a talk page loads dozens at once) are
// never limited.
func (a *app) rateLimit() echo.MiddlewareFunc {
	burst := a.cfg.RateBurst
	if burst <= 0 {
		burst = int(math.Max(1, math.Ceil(a.cfg.RateLimit)))
	}
	retry := int(math.Max(1, math.Ceil(1/a.cfg.RateLimit)))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool {
			route := routeOf(c)
			if c.Request().Method == http.MethodOptions || quietRoutes[route] || strings.HasPrefix(route, "/static") || strings.HasPrefix(route, "/previews/") {
				return true
			}
			if a.cfg.RateLimitLoopback {
				return false
			}
			ip := net.ParseIP(c.RealIP())
			return ip != nil && ip.IsLoopback()
		},
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(a.cfg.RateLimit), Burst: burst, ExpiresIn: 3 * time.Minute,
		}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return clientKey(c.RealIP()), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Set(ctxKeyRateLimited, true)
			a.refusals.note(clientKey(c.RealIP()), anonymizeIP(c.RealIP()))
			return &rateLimitError{RetryAfter: retry}
		},
	})
}

// clientKey is whom the rate limit counts: an IPv4 address, or the /64
// network of an IPv6 address, since one client usually has all of it.
func clientKey(s string) string {
	ip := net.ParseIP(s)
	if ip == nil || ip.To4() != nil {
		return s
	}
	return ip.Mask(net.CIDRMask(64, 128)).String()
}

// recoverPanics turns a panic into a 500 and logs it with its stack.
func (a *app) recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableErrorHandler: true, // observe hands the error on
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			a.log.Error("panic", "request_id", requestIDOf(c), "err", err, "stack", string(stack))
			return err
		},
	})
}

// timeout gives each handler a context deadline; a handler that runs out
// of time returns context.DeadlineExceeded, which becomes a 503. Files are
// streamed by net/http and bounded by the server's write timeout instead.
func (a *app) timeout() echo.MiddlewareFunc {
	return middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
		Timeout: a.cfg.Timeout,
		// Uploads and the indexing they start take as long as they take;
		// the server's read and write timeouts still bound them.
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return strings.HasPrefix(p, "/files/") || strings.HasPrefix(p, "/api/v1/admin/")
		},
		ErrorHandler: func(err error, _ echo.Context) error { return err },
	})
}

// mediaTypeError is a request with content the endpoint does not take.
type mediaTypeError struct {
	ContentType string
}

func (e *mediaTypeError) Error() string {
	return "unsupported request content " + strconv.Quote(e.ContentType)
}

// noBody refuses GET and HEAD requests that carry content: every API
// endpoint reads its parameters from the URL, and silently ignoring a body
// would hide a client's mistake. Other methods go on to the router's 405.
func noBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if (req.Method == http.MethodGet || req.Method == http.MethodHead) && req.ContentLength != 0 && req.Body != nil && req.Body != http.NoBody {
			ct := req.Header.Get(echo.HeaderContentType)
			if ct == "" {
				ct = "unbekannt"
			}
			return &mediaTypeError{ContentType: ct}
		}
		return next(c)
	}
}

// utf8Params refuses a request whose query string has a name or value
// that is not UTF-8, with the same 400 problem q gets: every parameter
// (q, the filters, suggest's q, page, sort, …) follows one rule, on every
// route, before any handler reads it.
func utf8Params(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawQuery == "" {
			return next(c)
		}
		for name, vals := range c.QueryParams() {
			ok := utf8.ValidString(name)
			for _, v := range vals {
				ok = ok && utf8.ValidString(v)
			}
			if !ok {
				return &search.QueryError{Field: strings.ToValidUTF8(name, "\uFFFD"), Problem: search.InvalidText}
			}
		}
		return next(c)
	}
}
