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
	"sync"
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
	Command   string // serve, index, search, extract, snapshot, export, publish or help
	Addr      string
	Data      string
	Corpus    string // "" means not given (see chooseCorpus); "sample" the bundled sample
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
	// ExportIndex is the OpenSearch index name export writes (export).
	ExportIndex string
	// Thesaurus is a general German thesaurus in OpenThesaurus's text
	// format, read at start if present (serve, search); "none" or "" for
	// none.
	Thesaurus string

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

	// Operations (serve).
	AdminTokenFile   string        // file holding the admin API's token; "" turns the admin API off
	AdminMaxUploadMB int           // size limit of an uploaded file; 0 means MaxFileMB
	Watch            bool          // index changes of the corpus folder as they happen
	WatchInterval    time.Duration // full rescan of the corpus folder while watching

	// Scale-out (serve, publish).
	Replica bool          // serve the installed index read-only, never write
	Wait    time.Duration // publish: how long each replica may take to switch
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
	ops    ops          // serve's corpus writer, background work and admin jobs

	lifecycle              // corpus record, index generations, jobs and shutdown
	replica   replicaState // serve --replica: the files it publishes

	thesOnce sync.Once
	thes     *search.Thesaurus // read once from Config.Thesaurus (thesaurus)
}

// NewMain returns a Main with defaults and the process's standard streams.
func NewMain() *Main {
	return &Main{
		Config: Config{Command: "serve", Addr: ":8080", Data: "data", LogFormat: "text",
			Isolate: true, Previews: true, FileTimeout: 60 * time.Second, MemoryLimitMB: 1024, MaxFileMB: indexer.DefaultMaxFileMB,
			RateLimit: 20, RateBurst: 40, RequestTimeout: 10 * time.Second, WatchInterval: time.Minute, ExportIndex: "talksearch",
			Thesaurus: search.DefaultThesaurusFile},
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
	case "snapshot":
		return m.runSnapshot(ctx)
	case "export":
		return m.export(ctx)
	case "publish":
		return m.runPublish(ctx)
	}
	if m.Config.Replica {
		return m.serveReplica(ctx)
	}
	return m.serve(ctx)
}

// Close releases the index and the corpus folder. It waits for the
// requests that still use the index.
func (m *Main) Close() error {
	if m.root != nil {
		m.root.Close()
		m.root = nil
	}
	m.replica.close()
	return m.closeIndex()
}

// closeIndex closes the index and releases its lock.
func (m *Main) closeIndex() error {
	if m.index != nil {
		err := m.live.set(nil, "").retire()
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

// openIndex opens the live index generation of the data folder (see
// generations.go). An index of an older mapping version is opened and
// answers searches until its rebuild (m.index.Outdated); a damaged one is
// replaced by a new, empty generation. When another process holds it, it
// returns an *errIndexLocked naming that process after about a second.
func (m *Main) openIndex() error {
	name, err := liveGeneration(m.Config.Data)
	if err != nil {
		return err
	}
	dir := filepath.Join(m.Config.Data, name)
	opt := m.indexOptions()
	opt.AcceptOutdated = true
	ix, err := search.Open(dir, opt)
	if errors.Is(err, search.ErrNeedsRebuild) {
		m.log.Warn("index damaged; starting a new one beside it from the corpus", "dir", dir, "reason", err)
		name, ix, err = m.replaceDamaged(name)
		dir = filepath.Join(m.Config.Data, name)
	}
	if errors.Is(err, search.ErrLocked) {
		return m.lockedError(dir)
	}
	if err != nil {
		return fmt.Errorf("%w; if the index stays unusable, remove %s and run talksearch index --force", err, dir)
	}
	if v := ix.Outdated(); v != "" {
		m.log.Warn("index written by another version; it answers searches until a new one is built beside it", "dir", dir, "version", v)
	}
	m.index = ix
	m.live.set(ix, name)
	m.writeHolder()
	m.removeOldGenerations()
	return nil
}

// indexOptions are the options every index of the data folder opens with.
func (m *Main) indexOptions() search.Options {
	// An administrator's own synonyms extend the built-in list; the
	// thesaurus, when installed, gives questions the archive's words.
	// A replica opens the index read-only.
	return search.Options{SynonymsFile: filepath.Join(m.Config.Data, "synonyms.txt"), Thesaurus: m.thesaurus(),
		ReadOnly: m.Config.Replica}
}

// thesaurus reads Config.Thesaurus on its first call, once per process
// of the commands that answer queries (serve, search): every index
// generation shares it, and a replica's switch to a new one does not read
// it again. Without it (not installed, "none", unreadable) questions use
// the archive's own words only.
func (m *Main) thesaurus() *search.Thesaurus {
	m.thesOnce.Do(func() {
		path := m.Config.Thesaurus
		if path == "" || path == "none" || (m.Config.Command != "serve" && m.Config.Command != "search") {
			return
		}
		th, err := search.LoadThesaurus(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && path == search.DefaultThesaurusFile:
			m.log.Info("no thesaurus installed (apt-get install openthesaurus-de-text); questions use the archive's own words", "path", path)
		case err != nil:
			m.log.Warn("cannot read the thesaurus; questions use the archive's own words", "err", err)
		default:
			m.log.Info("read the thesaurus", "path", path, "groups", th.Groups())
			m.thes = th
		}
	})
	return m.thes
}

// loadCatalogue loads the chosen corpus folder, or the bundled sample
// (see chooseCorpus). Problems in the catalogue are logged; what is
// usable is returned.
func (m *Main) loadCatalogue() (*corpus.Catalogue, fs.FS, error) {
	var (
		cat  *corpus.Catalogue
		fsys fs.FS
	)
	choice, err := m.chooseCorpus()
	if err != nil {
		return nil, nil, err
	}
	if choice.isSample() {
		fsys = corpus.Sample()
		cat, err = corpus.Load(fsys)
	} else {
		// os.Root refuses every name, symbolic links included, that
		// leads outside the corpus folder: nothing else is read or served.
		if m.root == nil {
			if m.root, err = os.OpenRoot(choice.name); err != nil {
				return nil, nil, m.corpusMissing(choice, err)
			}
		}
		fsys = m.root.FS()
		cat, err = corpus.LoadDir(choice.name)
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
func (m *Main) update(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, previews bool, opts ...func(*indexer.Config)) (*indexer.Report, error) {
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	if err := m.guardCorpus(ctx, m.index, cat); err != nil {
		return nil, err
	}
	began := time.Now()
	in := m.newIndexer(previews, opts...)
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
		m.files.Reload(cat, rep.Withheld)
	}
	if err := m.recordPublished(ctx, m.index, cat, fsys, rep); err != nil {
		return rep, err
	}
	level := slog.LevelInfo
	if m.ready.Load() && rep.Indexed+rep.Removed+len(rep.Failed) == 0 {
		level = slog.LevelDebug // a rescan that found nothing new
	}
	m.log.Log(ctx, level, "index updated", "talks", rep.Talks, "indexed", rep.Indexed, "skipped", rep.Skipped,
		"removed", rep.Removed, "pages", rep.Pages, "segments", rep.Segments, "failed", len(rep.Failed),
		"previews", rep.Previews, "took", rep.Duration.Round(time.Millisecond))
	return rep, nil
}

// newIndexer returns an indexer of the live index configured from the
// flags; previews decides whether its runs render slide previews, opts
// change the configuration for one run.
func (m *Main) newIndexer(previews bool, opts ...func(*indexer.Config)) *indexer.Indexer {
	return m.indexerFor(m.index, previews, m.Config.Force, opts...)
}

// indexerFor returns an indexer that writes to ix, configured from the
// flags; force re-indexes unchanged talks.
func (m *Main) indexerFor(ix *search.Index, previews, force bool, opts ...func(*indexer.Config)) *indexer.Indexer {
	cfg := indexer.Config{
		Workers:   m.Config.Workers,
		Force:     force,
		MaxFileMB: m.Config.MaxFileMB,
		Extract:   m.extractConfig(),
	}
	if previews {
		cfg.Previews = indexer.PreviewConfig{Dir: m.previewsDir(), LowPriority: true}
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	return indexer.New(cfg, ix, m.log)
}

// renderPreviews brings the slide previews up to date after the server is
// ready, newest talks first, one deck at a time at low priority, so that
// searches keep a core and the CPU they want; meanwhile a missing preview
// is a text placeholder.
func (m *Main) renderPreviews(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) {
	if !m.Config.Previews {
		return
	}
	rep := m.indexerFor(nil, true, m.Config.Force, func(c *indexer.Config) { c.Previews.Workers = 1 }).RenderPreviews(ctx, cat, fsys) // needs no index
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

// markReady reports the server ready for searches and tunes the garbage
// collector for serving them (gc.go); indexing before it ran with Go's
// defaults, which keep its memory lower.
func (m *Main) markReady() {
	gcPercent, memLimit := tuneGC(m.Getenv)
	m.ready.Store(true)
	m.log.Info("ready", "gogc", gcPercent, "memory_limit_mb", memLimit>>20)
}

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
	if err := m.startOps(ctx, cat, fsys); err != nil {
		return err
	}
	errc, err := m.startServing(m.newServer(cat, fsys), "opening the index", "serving")
	if err != nil {
		return err
	}
	if err := m.waitIndex(ctx); err != nil {
		return m.abortStart(ctx, err)
	}
	m.startControl()
	m.status.Store("indexing")
	m.ops.mu.Lock()
	err = m.catchUp(ctx, cat, fsys)
	m.ops.mu.Unlock()
	if err != nil {
		return m.abortStart(ctx, err)
	}
	m.markReady()
	m.watchGenerations(ctx)
	previews := make(chan struct{})
	go func() {
		defer close(previews)
		m.previewLoop(ctx, cat, fsys)
	}()
	m.startWatch(ctx)

	select {
	case <-ctx.Done():
		m.shutdown()
		<-previews
		m.ops.bg.Wait() // reindex jobs and the watcher
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	}
}

// startServing listens on the configured address and serves srv in the
// background, saying status on /readyz until serve is ready; the channel
// receives Serve's error. logMsg is the log line that names the address.
func (m *Main) startServing(srv *http.Server, status, logMsg string, logAttrs ...any) (<-chan error, error) {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.status.Store(status)
	m.server = srv
	m.addr.Store(ln.Addr().String())
	m.log.Info(logMsg, append([]any{"addr", ln.Addr().String()}, logAttrs...)...)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	return errc, nil
}

// abortStart stops the server after err ended serve's start-up; a stop
// asked for by ctx (a signal) is clean, not an error.
func (m *Main) abortStart(ctx context.Context, err error) error {
	m.shutdown()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// newServer returns the HTTP server of the search page and the API.
func (m *Main) newServer(cat *corpus.Catalogue, fsys fs.FS) *http.Server {
	m.files = cat.FileFS(fsys) // published once the index is updated
	return m.httpServer(m.files)
}

// httpServer returns the HTTP server of the search page and the API,
// serving files under /files/.
func (m *Main) httpServer(files fs.FS) *http.Server {
	cfg := api.Config{
		BaseURL:  strings.TrimRight(m.Config.BaseURL, "/"),
		Files:    files,
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
	}
	if m.ops.token != "" {
		cfg.Admin, cfg.AdminToken, cfg.AdminMaxUpload = adminService{m}, m.ops.token, m.uploadLimit()
	}
	app := api.New(cfg, &m.live)
	return &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// shutdown stops accepting connections, gives requests in flight and
// running jobs until shutdownGrace to finish, and stops serve's
// goroutines; Close then closes the index.
func (m *Main) shutdown() {
	m.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := m.server.Shutdown(ctx); err != nil {
		m.log.Warn("shutdown", "err", err)
	}
	m.stopJobs(ctx)
	m.log.Info("stopped")
}

// notReady says why serve is not ready yet.
func (m *Main) notReady() string {
	s, _ := m.status.Load().(string)
	return s
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
