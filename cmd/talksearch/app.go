package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/search"
)

// Config is everything the command line and the environment set.
type Config struct {
	Command   string // serve, index, search, extract
	Addr      string
	Data      string
	Corpus    string // "" means the bundled sample corpus
	BaseURL   string
	LogFormat string // text or json
	Workers   int
	Force     bool
	JSON      bool
	Speakers  multiFlag
	States    multiFlag
	Topics    multiFlag
	Args      []string

	// PDF extraction (serve, index, extract).
	Isolate       bool          // extract each PDF in a child process
	FileTimeout   time.Duration // time limit of one file's extraction
	MemoryLimitMB int           // memory bound of one extraction child

	// HTTP API (serve).
	CORSOrigins    string        // comma-separated origins browsers may call the API from
	RateLimit      float64       // requests per second per client IP; 0 is off
	RateBurst      int           // requests a client may make at once
	RateLimitLocal bool          // limit loopback clients too
	TrustProxy     bool          // take the client IP from X-Forwarded-For of a local proxy
	RequestTimeout time.Duration // handler deadline
}

// Main wires the packages together and owns every lifetime.
type Main struct {
	Config Config
	Stdout io.Writer
	Stderr io.Writer

	log    *slog.Logger
	index  *search.Index
	server *http.Server
	addr   atomic.Value // string, set once serve listens
	ready  atomic.Bool
	// previewsDone is set once serve has brought the previews up to date.
	previewsDone atomic.Bool
}

// NewMain returns a Main with defaults and the process's standard streams.
func NewMain() *Main {
	return &Main{
		Config: Config{Command: "serve", Addr: ":8080", Data: "data", LogFormat: "text",
			Isolate: true, FileTimeout: 60 * time.Second, MemoryLimitMB: 1024,
			RateLimit: 20, RateBurst: 40, RequestTimeout: 10 * time.Second},
		Stdout: os.Stdout,
		Stderr: os.Stderr,
	}
}

const usage = `talksearch: full-text search over conference talks

Usage:
  talksearch serve   [--addr :8080] [--data ./data] [--corpus DIR]
  talksearch index   [--data ./data] [--corpus DIR] [--force]
  talksearch search  [--data ./data] [--state S] [--topic T] [--speaker P] "Anfrage"
  talksearch extract [--json] FILE.pdf

Flags:
`

// ParseFlags reads the command and its flags; environment variables give
// the defaults that flags override.
func (m *Main) ParseFlags(args []string) error {
	c := &m.Config
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c.Command, args = args[0], args[1:]
	}
	switch c.Command {
	case "serve", "index", "search", "extract":
	case "help":
		fmt.Fprint(m.Stdout, usage)
		return flag.ErrHelp
	default:
		return fmt.Errorf("unknown command %q (use serve, index, search or extract)", c.Command)
	}
	env := func(name, def string) string {
		if v, ok := os.LookupEnv(name); ok && v != "" {
			return v
		}
		return def
	}
	workers, err := strconv.Atoi(env("TALKSEARCH_WORKERS", "0"))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_WORKERS: %w", err)
	}
	rateLimit, err := strconv.ParseFloat(env("TALKSEARCH_RATE_LIMIT", strconv.FormatFloat(c.RateLimit, 'g', -1, 64)), 64)
	if err != nil {
		return fmt.Errorf("TALKSEARCH_RATE_LIMIT: %w", err)
	}
	rateBurst, err := strconv.Atoi(env("TALKSEARCH_RATE_BURST", strconv.Itoa(c.RateBurst)))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_RATE_BURST: %w", err)
	}
	rateLocal, err := strconv.ParseBool(env("TALKSEARCH_RATE_LIMIT_LOCAL", strconv.FormatBool(c.RateLimitLocal)))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_RATE_LIMIT_LOCAL: %w", err)
	}
	trustProxy, err := strconv.ParseBool(env("TALKSEARCH_TRUST_PROXY", strconv.FormatBool(c.TrustProxy)))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_TRUST_PROXY: %w", err)
	}
	timeout, err := time.ParseDuration(env("TALKSEARCH_REQUEST_TIMEOUT", c.RequestTimeout.String()))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_REQUEST_TIMEOUT: %w", err)
	}
	isolate, err := strconv.ParseBool(env("TALKSEARCH_ISOLATE", strconv.FormatBool(c.Isolate)))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_ISOLATE: %w", err)
	}
	fileTimeout, err := time.ParseDuration(env("TALKSEARCH_FILE_TIMEOUT", c.FileTimeout.String()))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_FILE_TIMEOUT: %w", err)
	}
	memoryLimit, err := strconv.Atoi(env("TALKSEARCH_MEMORY_LIMIT_MB", strconv.Itoa(c.MemoryLimitMB)))
	if err != nil {
		return fmt.Errorf("TALKSEARCH_MEMORY_LIMIT_MB: %w", err)
	}
	fset := flag.NewFlagSet("talksearch "+c.Command, flag.ContinueOnError)
	fset.SetOutput(m.Stderr)
	fset.Usage = func() { fmt.Fprint(m.Stderr, usage); fset.PrintDefaults() }
	fset.StringVar(&c.Addr, "addr", env("TALKSEARCH_ADDR", c.Addr), "address to serve HTTP on (TALKSEARCH_ADDR)")
	fset.StringVar(&c.Data, "data", env("TALKSEARCH_DATA", c.Data), "folder for the index and caches (TALKSEARCH_DATA)")
	fset.StringVar(&c.Corpus, "corpus", env("TALKSEARCH_CORPUS", c.Corpus), "folder of talks to index instead of the bundled sample (TALKSEARCH_CORPUS)")
	fset.StringVar(&c.BaseURL, "base-url", env("TALKSEARCH_BASE_URL", c.BaseURL), "public URL prefix for absolute links in API responses (TALKSEARCH_BASE_URL)")
	fset.StringVar(&c.LogFormat, "log-format", env("TALKSEARCH_LOG_FORMAT", c.LogFormat), "log format: text or json (TALKSEARCH_LOG_FORMAT)")
	fset.IntVar(&c.Workers, "workers", workers, "files extracted in parallel; 0 means one per core (TALKSEARCH_WORKERS)")
	fset.BoolVar(&c.Force, "force", c.Force, "index: re-index unchanged talks too")
	fset.BoolVar(&c.Isolate, "isolate", isolate, "extract each PDF in a child process bounded in time and memory (TALKSEARCH_ISOLATE)")
	fset.DurationVar(&c.FileTimeout, "file-timeout", fileTimeout, "time limit of one PDF's extraction, and of the OCR of each page (TALKSEARCH_FILE_TIMEOUT)")
	fset.IntVar(&c.MemoryLimitMB, "memory-limit-mb", memoryLimit, "memory bound of one PDF's extraction in MB, with --isolate (TALKSEARCH_MEMORY_LIMIT_MB)")
	fset.BoolVar(&c.JSON, "json", c.JSON, "extract, search: print JSON")
	fset.Var(&c.Speakers, "speaker", "search: only talks by this speaker (repeatable)")
	fset.Var(&c.States, "state", "search: only talks from this state (repeatable)")
	fset.Var(&c.Topics, "topic", "search: only talks on this topic (repeatable)")
	fset.StringVar(&c.CORSOrigins, "cors-origins", env("TALKSEARCH_CORS_ORIGINS", c.CORSOrigins), "serve: comma-separated origins that browsers may call the API from; none by default (TALKSEARCH_CORS_ORIGINS)")
	fset.Float64Var(&c.RateLimit, "rate-limit", rateLimit, "serve: requests per second per client IP; 0 turns the limit off (TALKSEARCH_RATE_LIMIT)")
	fset.IntVar(&c.RateBurst, "rate-burst", rateBurst, "serve: requests a client may make at once above the rate (TALKSEARCH_RATE_BURST)")
	fset.BoolVar(&c.RateLimitLocal, "rate-limit-local", rateLocal, "serve: rate-limit loopback clients too (TALKSEARCH_RATE_LIMIT_LOCAL)")
	fset.BoolVar(&c.TrustProxy, "trust-proxy", trustProxy, "serve: take the client IP from X-Forwarded-For set by a proxy on a loopback or private address (TALKSEARCH_TRUST_PROXY)")
	fset.DurationVar(&c.RequestTimeout, "request-timeout", timeout, "serve: deadline of one API or page request (TALKSEARCH_REQUEST_TIMEOUT)")
	if err := parseInterspersed(fset, args); err != nil {
		return err
	}
	c.Args = fset.Args()
	switch {
	case c.Command == "extract" && len(c.Args) != 1:
		return errors.New("extract needs exactly one PDF file")
	case c.Command == "search" && len(c.Args) == 0:
		return errors.New(`search needs a query, e.g. talksearch search "E-Rechnung"`)
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	case c.Data == "":
		return errors.New("--data must name a folder")
	case c.RateLimit < 0 || c.RateBurst < 0:
		return errors.New("--rate-limit and --rate-burst must not be negative")
	case c.FileTimeout <= 0:
		return errors.New("--file-timeout must be positive, e.g. 60s")
	case c.MemoryLimitMB < 64:
		return errors.New("--memory-limit-mb must be at least 64")
	case c.RequestTimeout <= 0:
		return errors.New("--request-timeout must be positive, e.g. 10s")
	}
	return nil
}

// parseInterspersed parses flags that may stand before or after the
// positional arguments, as in `talksearch search "eAkte" --state Sachsen`.
func parseInterspersed(fset *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fset.Parse(args); err != nil {
			return err
		}
		if fset.NArg() == 0 {
			break
		}
		positional = append(positional, fset.Arg(0))
		args = fset.Args()[1:]
	}
	return fset.Parse(append([]string{"--"}, positional...))
}

// Run runs the command. serve returns when ctx ends.
func (m *Main) Run(ctx context.Context) error {
	var h slog.Handler = slog.NewTextHandler(m.Stderr, nil)
	if m.Config.LogFormat == "json" {
		h = slog.NewJSONHandler(m.Stderr, nil)
	}
	m.log = slog.New(h)
	switch m.Config.Command {
	case "extract":
		return m.extract(ctx, m.Config.Args[0])
	case "index":
		return m.runIndex(ctx)
	case "search":
		return m.runSearch(ctx)
	default:
		return m.serve(ctx)
	}
}

// Close releases the index.
func (m *Main) Close() error {
	if m.index != nil {
		err := m.index.Close()
		m.index = nil
		return err
	}
	return nil
}

// Addr is the address serve listens on, once it does; "" before.
func (m *Main) Addr() string {
	s, _ := m.addr.Load().(string)
	return s
}

// openIndex opens the index in the data folder, rebuilding it from scratch
// when its mapping version is outdated.
func (m *Main) openIndex() error {
	dir := filepath.Join(m.Config.Data, "index")
	// An administrator's own synonyms extend the built-in list.
	opt := search.Options{SynonymsFile: filepath.Join(m.Config.Data, "synonyms.txt")}
	ix, err := search.OpenWith(dir, opt)
	if errors.Is(err, search.ErrNeedsRebuild) {
		m.log.Warn("index format changed; rebuilding", "dir", dir)
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove outdated index: %w", err)
		}
		ix, err = search.OpenWith(dir, opt)
	}
	if err != nil {
		return err
	}
	m.index = ix
	return nil
}

// loadCatalogue loads the configured corpus folder, or the bundled sample.
// Problems in the catalogue are logged; what is usable is returned.
func (m *Main) loadCatalogue() (*corpus.Catalogue, fs.FS, error) {
	var (
		cat  *corpus.Catalogue
		fsys fs.FS
		err  error
	)
	if m.Config.Corpus == "" {
		fsys = corpus.Sample()
		cat, err = corpus.Load(fsys)
	} else {
		fsys = os.DirFS(m.Config.Corpus)
		cat, err = corpus.LoadDir(m.Config.Corpus)
	}
	var verr *corpus.ValidationError
	switch {
	case errors.As(err, &verr):
		for _, p := range verr.Problems {
			m.log.Warn("catalogue problem", "file", p.File, "field", p.Field, "problem", p.Msg)
		}
	case err != nil:
		return nil, nil, err
	}
	return cat, fsys, nil
}

// update indexes what changed in the catalogue and logs the report. With
// previews it also renders the slide previews before it returns.
func (m *Main) update(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, previews bool) (*indexer.Report, error) {
	in := m.newIndexer(previews)
	rep, err := in.Run(ctx, cat, fsys)
	if err != nil {
		return rep, err
	}
	m.log.Info("index updated", "talks", rep.Talks, "indexed", rep.Indexed, "skipped", rep.Skipped,
		"removed", rep.Removed, "pages", rep.Pages, "segments", rep.Segments, "failed", len(rep.Failed),
		"previews", rep.Previews, "took", rep.Duration.Round(time.Millisecond))
	return rep, nil
}

// newIndexer returns an indexer configured from the flags; previews
// decides whether its runs render slide previews.
func (m *Main) newIndexer(previews bool) *indexer.Indexer {
	cfg := indexer.Config{
		Workers: m.Config.Workers,
		Force:   m.Config.Force,
		Extract: m.extractConfig(),
	}
	if previews {
		cfg.Previews = indexer.PreviewConfig{Dir: m.previewsDir()}
	}
	return indexer.New(cfg, m.index, m.log)
}

// renderPreviews brings the slide previews up to date after the server is
// ready; searches work meanwhile, with text placeholders for missing
// previews.
func (m *Main) renderPreviews(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) {
	rep := m.newIndexer(true).RenderPreviews(ctx, cat, fsys)
	for _, n := range rep.Notes {
		m.log.Warn("previews", "note", n)
	}
	m.log.Info("previews updated", "rendered", rep.Previews, "took", rep.Duration.Round(time.Millisecond))
	m.previewsDone.Store(true)
}

// extractConfig is how the indexer and extract read PDFs.
func (m *Main) extractConfig() extract.Config {
	return extract.Config{
		Isolate:       m.Config.Isolate,
		FileTimeout:   m.Config.FileTimeout,
		MemoryLimitMB: m.Config.MemoryLimitMB,
	}
}

// previewsDir is the folder of the slide previews, beside the index.
func (m *Main) previewsDir() string { return filepath.Join(m.Config.Data, "previews") }

func (m *Main) serve(ctx context.Context) error {
	if err := m.openIndex(); err != nil {
		return err
	}
	cat, fsys, err := m.loadCatalogue()
	if err != nil {
		return err
	}
	app := api.New(api.Config{
		BaseURL:  strings.TrimRight(m.Config.BaseURL, "/"),
		Files:    cat.FileFS(fsys),
		Previews: os.DirFS(m.previewsDir()),
		Ready:    m.ready.Load,
		Logger:   m.log,

		Version:           buildVersion(),
		AllowOrigins:      splitList(m.Config.CORSOrigins),
		RateLimit:         m.Config.RateLimit,
		RateBurst:         m.Config.RateBurst,
		RateLimitLoopback: m.Config.RateLimitLocal,
		TrustProxy:        m.Config.TrustProxy,
		Timeout:           m.Config.RequestTimeout,
		Stats:             m.index,
	}, m.index)
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.server = &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	m.addr.Store(ln.Addr().String())
	m.log.Info("serving", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- m.server.Serve(ln) }()

	if _, err := m.update(ctx, cat, fsys, false); err != nil {
		m.shutdown()
		return err
	}
	m.ready.Store(true)
	m.log.Info("ready")
	previews := make(chan struct{})
	go func() {
		defer close(previews)
		m.renderPreviews(ctx, cat, fsys)
	}()

	select {
	case <-ctx.Done():
		m.shutdown()
		<-previews
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	}
}

func (m *Main) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m.server.Shutdown(ctx); err != nil {
		m.log.Warn("shutdown", "err", err)
	}
}

// buildVersion is the module version the binary was built from, or "dev"
// for a build from a work tree.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, ",") }
func (f *multiFlag) Set(v string) error { *f = append(*f, v); return nil }
