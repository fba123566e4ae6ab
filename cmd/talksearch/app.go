package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/search"
)

// Config is everything the command line and the environment set. A
// command leaves the fields of flags it does not own at their defaults.
type Config struct {
	Command   string // serve, index, search, extract or help
	Addr      string
	Data      string
	Corpus    string // "" means the bundled sample corpus
	BaseURL   string
	LogFormat string // text or json
	Workers   int
	MaxFileMB int // size limit of one corpus file
	Force     bool
	Previews  bool // render slide previews (serve, index)
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
	// Getenv reads the environment variables of the flags (os.Getenv in
	// NewMain); nil reads none.
	Getenv func(key string) string

	log    *slog.Logger
	index  *search.Index
	root   *os.Root        // the corpus folder, nil for the sample
	files  *corpus.FileSet // the files serve publishes
	server *http.Server
	addr   atomic.Value // string, set once serve listens
	ready  atomic.Bool
	status atomic.Value // string: why serve is not ready yet
	live   liveIndex    // the index the handlers use, once open
}

// NewMain returns a Main with defaults and the process's standard streams.
func NewMain() *Main {
	return &Main{
		Config: Config{Command: "serve", Addr: ":8080", Data: "data", LogFormat: "text",
			Isolate: true, Previews: true, FileTimeout: 60 * time.Second, MemoryLimitMB: 1024, MaxFileMB: indexer.DefaultMaxFileMB,
			RateLimit: 20, RateBurst: 40, RequestTimeout: 10 * time.Second},
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
	}
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

// Close releases the index and the corpus folder.
func (m *Main) Close() error {
	if m.root != nil {
		m.root.Close()
		m.root = nil
	}
	return m.closeIndex()
}

// closeIndex closes the index and releases its lock.
func (m *Main) closeIndex() error {
	if m.index != nil {
		m.live.p.Store(nil)
		err := m.index.Close()
		m.index = nil
		m.removeHolder()
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
// when its mapping version is outdated or it is damaged. When another
// process holds it, it returns an *errIndexLocked naming that process
// after about a second.
func (m *Main) openIndex() error {
	dir := filepath.Join(m.Config.Data, "index")
	// An administrator's own synonyms extend the built-in list.
	opt := search.Options{SynonymsFile: filepath.Join(m.Config.Data, "synonyms.txt")}
	ix, err := search.Open(dir, opt)
	if errors.Is(err, search.ErrNeedsRebuild) {
		m.log.Warn("index outdated or damaged; rebuilding it from the corpus", "dir", dir, "reason", err)
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove outdated index: %w (remove %s by hand, or run talksearch index --force)", err, dir)
		}
		ix, err = search.Open(dir, opt)
	}
	if errors.Is(err, search.ErrLocked) {
		return m.lockedError(dir)
	}
	if err != nil {
		return fmt.Errorf("%w; if the index stays unusable, remove %s and run talksearch index --force", err, dir)
	}
	m.index = ix
	m.live.p.Store(ix)
	m.writeHolder()
	m.removeStaleTemp(dir)
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
		// os.Root refuses every name, symbolic links included, that
		// leads outside the corpus folder: nothing else is read or served.
		if m.root == nil {
			if m.root, err = os.OpenRoot(m.Config.Corpus); err != nil {
				return nil, nil, fmt.Errorf("corpus: %w", err)
			}
		}
		fsys = m.root.FS()
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
	began := time.Now()
	in := m.newIndexer(previews)
	rep, err := in.Run(ctx, cat, fsys)
	if err != nil && rep != nil && ctx.Err() != nil {
		// Every batch written is whole: the index is consistent.
		m.log.Warn("indexing interrupted; what was written is kept", "talks", rep.Talks, "indexed", rep.Indexed,
			"skipped", rep.Skipped, "removed", rep.Removed, "pages", rep.Pages, "failed", len(rep.Failed),
			"took", time.Since(began).Round(time.Millisecond))
		return rep, err
	}
	if err != nil {
		return rep, err
	}
	if m.files != nil {
		// Publish only what could be read.
		m.files.Publish(rep.Withheld)
	}
	m.log.Info("index updated", "talks", rep.Talks, "indexed", rep.Indexed, "skipped", rep.Skipped,
		"removed", rep.Removed, "pages", rep.Pages, "segments", rep.Segments, "failed", len(rep.Failed),
		"previews", rep.Previews, "took", rep.Duration.Round(time.Millisecond))
	return rep, nil
}

// newIndexer returns an indexer configured from the flags; previews
// decides whether its runs render slide previews.
func (m *Main) newIndexer(previews bool) *indexer.Indexer {
	return indexer.New(m.indexerConfig(previews), m.index, m.log)
}

// indexerConfig is the indexer's configuration from the flags.
func (m *Main) indexerConfig(previews bool) indexer.Config {
	cfg := indexer.Config{
		Workers:   m.Config.Workers,
		Force:     m.Config.Force,
		MaxFileMB: m.Config.MaxFileMB,
		Extract:   m.extractConfig(),
	}
	if previews {
		cfg.Previews = indexer.PreviewConfig{Dir: m.previewsDir(), LowPriority: true}
	}
	return cfg
}

// renderPreviews brings the slide previews up to date after the server is
// ready, newest talks first, one deck at a time at low priority, so that
// searches keep a core and the CPU they want; meanwhile a missing preview
// is a text placeholder.
func (m *Main) renderPreviews(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) {
	if !m.Config.Previews {
		return
	}
	cfg := m.indexerConfig(true)
	cfg.Previews.Workers = 1
	rep := indexer.New(cfg, m.index, m.log).RenderPreviews(ctx, cat, fsys)
	for _, n := range rep.Notes {
		m.log.Warn("previews", "note", n)
	}
	m.log.Info("previews updated", "rendered", rep.Previews, "took", rep.Duration.Round(time.Millisecond))
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

// serve listens, indexes what changed, reports ready, renders the
// previews in the background and serves until ctx ends.
//
// It listens at once: /healthz answers while it waits for the index
// (held by another process) and while it indexes, /readyz says 503 until
// it is ready. A signal ends the wait or the indexing; that is a clean
// stop, not an error.
func (m *Main) serve(ctx context.Context) error {
	cat, fsys, err := m.loadCatalogue()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.status.Store("opening the index")
	m.server = m.newServer(cat, fsys)
	m.addr.Store(ln.Addr().String())
	m.log.Info("serving", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- m.server.Serve(ln) }()

	if err := m.waitIndex(ctx); err != nil {
		m.shutdown()
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	m.status.Store("indexing")
	if _, err := m.update(ctx, cat, fsys, false); err != nil {
		m.shutdown()
		if ctx.Err() != nil {
			return nil
		}
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

// newServer returns the HTTP server of the search page and the API.
func (m *Main) newServer(cat *corpus.Catalogue, fsys fs.FS) *http.Server {
	m.files = cat.FileFS(fsys) // published once the index is updated
	app := api.New(api.Config{
		BaseURL:  strings.TrimRight(m.Config.BaseURL, "/"),
		Files:    m.files,
		Previews: os.DirFS(m.previewsDir()),
		Ready:    m.ready.Load,
		NotReady: m.notReady,
		Logger:   m.log,

		Version:           buildVersion(),
		AllowOrigins:      splitList(m.Config.CORSOrigins),
		RateLimit:         m.Config.RateLimit,
		RateBurst:         m.Config.RateBurst,
		RateLimitLoopback: m.Config.RateLimitLocal,
		TrustProxy:        m.Config.TrustProxy,
		Timeout:           m.Config.RequestTimeout,
		Stats:             &m.live,
	}, &m.live)
	return &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// shutdown stops the server, giving requests in flight a few seconds.
func (m *Main) shutdown() {
	m.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := m.server.Shutdown(ctx); err != nil {
		m.log.Warn("shutdown", "err", err)
	}
	m.log.Info("stopped")
}

// notReady says why serve is not ready yet.
func (m *Main) notReady() string {
	s, _ := m.status.Load().(string)
	return s
}

// liveIndex is the index the handlers search, nil until serve has
// opened it; the handlers that need it wait for /readyz (api's
// requireReady), so they never meet the nil.
type liveIndex struct{ p atomic.Pointer[search.Index] }

var errIndexNotOpen = errors.New("index not open yet")

func (l *liveIndex) get() (*search.Index, error) {
	if ix := l.p.Load(); ix != nil {
		return ix, nil
	}
	return nil, errIndexNotOpen
}

func (l *liveIndex) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	ix, err := l.get()
	if err != nil {
		return nil, err
	}
	return ix.Search(ctx, q)
}

func (l *liveIndex) Talk(ctx context.Context, id string) (*search.Talk, error) {
	ix, err := l.get()
	if err != nil {
		return nil, err
	}
	return ix.Talk(ctx, id)
}

func (l *liveIndex) Slides(ctx context.Context, talkID string) ([]search.Slide, []search.Segment, error) {
	ix, err := l.get()
	if err != nil {
		return nil, nil, err
	}
	return ix.Slides(ctx, talkID)
}

func (l *liveIndex) Suggest(ctx context.Context, input string, n int) ([]search.Suggestion, error) {
	ix, err := l.get()
	if err != nil {
		return nil, err
	}
	return ix.Suggest(ctx, input, n)
}

func (l *liveIndex) Stats(ctx context.Context) (search.Stats, error) {
	ix, err := l.get()
	if err != nil {
		return search.Stats{}, err
	}
	return ix.Stats(ctx)
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
