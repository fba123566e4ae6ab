// Package api is the HTTP face of talksearch: the JSON API for portals,
// the German search page for municipal staff, the slide files and the
// health endpoints. Handlers stay thin: they read parameters, call the
// Searcher and render.
//
// It imports search and nothing else of talksearch; nothing imports it
// but cmd.
package api

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/talksearch/talksearch/search"
)

// Searcher is what the handlers need from the index.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	Talk(ctx context.Context, id string) (*search.Talk, error)
}

// Config configures the HTTP app.
type Config struct {
	// BaseURL, when set (for example "https://talks.example.org"), makes
	// the links in API responses absolute.
	BaseURL string
	// Dev serves templates and static files from api/ on disk, re-read on
	// every request, instead of the copies embedded in the binary.
	Dev bool
	// Files serves the talks' files under /files/; nil serves none.
	Files fs.FS
	// Ready reports whether the index is open and built; nil means always.
	Ready func() bool
	// Logger receives request errors; nil discards them.
	Logger *slog.Logger
}

//go:embed templates static
var embedded embed.FS

// app holds what the handlers share.
type app struct {
	cfg   Config
	s     Searcher
	pages *pages
	log   *slog.Logger
}

// New returns the echo app with every route registered.
func New(cfg Config, s Searcher) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Ready == nil {
		cfg.Ready = func() bool { return true }
	}
	var assets fs.FS = embedded
	if cfg.Dev {
		assets = os.DirFS("api")
	}
	a := &app{cfg: cfg, s: s, log: cfg.Logger, pages: newPages(assets, cfg.Dev)}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	e.Use(middleware.Recover())

	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)

	v1 := e.Group("/api/v1", a.requireReady)
	v1.GET("/search", a.apiSearch)
	v1.GET("/talks/:id", a.apiTalk)

	e.GET("/", a.pageSearch, a.requireReady)
	e.StaticFS("/static", echo.MustSubFS(assets, "static"))
	if cfg.Files != nil {
		files := http.StripPrefix("/files/", http.FileServerFS(cfg.Files))
		e.GET("/files/*", echo.WrapHandler(files), cacheFor(3600))
	}
	return e
}

// templateFuncs are the helpers the templates use.
var templateFuncs = template.FuncMap{}

// cacheFor sets a Cache-Control max-age on successful responses.
func cacheFor(seconds int) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", "public, max-age="+itoa(seconds))
			return next(c)
		}
	}
}
