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
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
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
}

// NewMain returns a Main with defaults and the process's standard streams.
func NewMain() *Main {
	return &Main{
		Config: Config{Command: "serve", Addr: ":8080", Data: "data", LogFormat: "text"},
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
	fset.BoolVar(&c.JSON, "json", c.JSON, "extract, search: print JSON")
	fset.Var(&c.Speakers, "speaker", "search: only talks by this speaker (repeatable)")
	fset.Var(&c.States, "state", "search: only talks from this state (repeatable)")
	fset.Var(&c.Topics, "topic", "search: only talks on this topic (repeatable)")
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
		return m.extract(m.Config.Args[0])
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
	ix, err := search.Open(dir)
	if errors.Is(err, search.ErrNeedsRebuild) {
		m.log.Warn("index format changed; rebuilding", "dir", dir)
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove outdated index: %w", err)
		}
		ix, err = search.Open(dir)
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

// update indexes what changed in the catalogue and logs the report.
func (m *Main) update(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) (*indexer.Report, error) {
	in := indexer.New(indexer.Config{Workers: m.Config.Workers, Force: m.Config.Force}, m.index, m.log)
	rep, err := in.Run(ctx, cat, fsys)
	if err != nil {
		return rep, err
	}
	m.log.Info("index updated", "talks", rep.Talks, "indexed", rep.Indexed, "skipped", rep.Skipped,
		"removed", rep.Removed, "pages", rep.Pages, "segments", rep.Segments, "failed", len(rep.Failed),
		"took", rep.Duration.Round(time.Millisecond))
	return rep, nil
}

func (m *Main) serve(ctx context.Context) error {
	if err := m.openIndex(); err != nil {
		return err
	}
	cat, fsys, err := m.loadCatalogue()
	if err != nil {
		return err
	}
	app := api.New(api.Config{
		BaseURL: strings.TrimRight(m.Config.BaseURL, "/"),
		Files:   cat.FileFS(fsys),
		Ready:   m.ready.Load,
		Logger:  m.log,
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

	if _, err := m.update(ctx, cat, fsys); err != nil {
		m.shutdown()
		return err
	}
	m.ready.Store(true)
	m.log.Info("ready")

	select {
	case <-ctx.Done():
		m.shutdown()
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

// multiFlag is a repeatable string flag.
type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, ",") }
func (f *multiFlag) Set(v string) error { *f = append(*f, v); return nil }
