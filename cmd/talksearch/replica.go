package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/search"
)

// A replica (serve --replica) serves copies of the writer's index that
// `talksearch publish` installs into its data folder as new generations.
// It opens them read-only, switches to a new one within a second as any
// serve does (watchGenerations), and never indexes, watches the corpus
// or takes admin writes. Under /files/ it serves exactly the files the
// writer published with that index (search.Index.PublishedFiles), from
// its own, read-only view of the same corpus folder.

// replicaState is what a replica publishes besides the index.
type replicaState struct {
	files replicaFiles
	mu    sync.Mutex
	roots map[string]*os.Root // corpus folders opened, by absolute path
}

// replicaFiles is the fs.FS of /files/ on a replica: the file set of the
// live generation, replaced when a new one is swapped in.
type replicaFiles struct {
	p atomic.Pointer[corpus.FileSet]
}

// Open opens a published file of the live generation.
func (r *replicaFiles) Open(name string) (fs.File, error) {
	s := r.p.Load()
	if s == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return s.Open(name)
}

func (r *replicaState) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, root := range r.roots {
		root.Close()
	}
	r.roots = nil
}

// replicaPoll is how often a replica without an index looks for one.
const replicaPoll = 200 * time.Millisecond

// serveReplica listens at once (/readyz says 503 and why until an index
// is there), waits for an index that publish installed, serves it and
// follows the new generations publish installs until ctx ends.
func (m *Main) serveReplica(ctx context.Context) error {
	errc, err := m.startServing(m.httpServer(&m.replica.files),
		"waiting for an index: talksearch publish installs one into "+m.Config.Data,
		"serving as a read-only replica", "data", m.Config.Data)
	if err != nil {
		return err
	}
	if err := m.waitReplicaIndex(ctx); err != nil {
		return m.abortStart(ctx, err)
	}
	m.markReady()
	m.watchGenerations(ctx)
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

// waitReplicaIndex opens the live generation of the data folder
// read-only, waiting until there is one that opens.
func (m *Main) waitReplicaIndex(ctx context.Context) error {
	logged := ""
	for {
		name, ix, err := m.openReplicaIndex()
		if err == nil {
			m.servePublished(ix)
			m.index = ix
			m.live.set(ix, name)
			m.writeHolder()
			m.removeOldGenerations()
			m.log.Info("serving the index", "dir", filepath.Join(m.Config.Data, name))
			return nil
		}
		m.status.Store("waiting for an index: " + err.Error())
		if err.Error() != logged {
			m.log.Warn("waiting for an index", "data", m.Config.Data, "reason", err)
			logged = err.Error()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(replicaPoll):
		}
	}
}

// openReplicaIndex opens the live generation read-only.
func (m *Main) openReplicaIndex() (string, *search.Index, error) {
	name, err := liveGeneration(m.Config.Data)
	if err != nil {
		return "", nil, err
	}
	dir := filepath.Join(m.Config.Data, name)
	if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 {
		return "", nil, fmt.Errorf("there is no index in %s yet; talksearch publish --data WRITER_DATA %s installs one", dir, m.Config.Data)
	}
	opt := m.indexOptions()
	opt.AcceptOutdated = true // it answers searches; the writer rebuilds it
	ix, err := search.Open(dir, opt)
	if err != nil {
		return "", nil, err
	}
	if v := ix.Outdated(); v != "" {
		m.log.Warn("the installed index was written by another version; rebuild it on the writer (index --force) and publish it", "dir", dir, "version", v)
	}
	return name, ix, nil
}

// servePublished serves under /files/ the files the writer published
// with ix, from the corpus folder named by --corpus or by the corpus
// record publish installed beside it. Without either, or without the
// writer's list, no file is served (logged); searches work regardless.
func (m *Main) servePublished(ix *search.Index) {
	files, ok, err := ix.PublishedFiles(context.Background())
	if err == nil && !ok {
		err = errors.New("the index records no published files; it was written by an older version: rebuild it on the writer (index --force) and publish it")
	}
	var root fs.FS
	if err == nil {
		root, err = m.replicaRoot()
	}
	if err != nil {
		m.log.Error("no corpus files are served under /files/", "err", err)
		m.replica.files.p.Store(corpus.PublishedFS(emptyFS{}, nil))
		return
	}
	m.replica.files.p.Store(corpus.PublishedFS(root, files))
}

// replicaRoot is the corpus folder of the replica, read-only: --corpus,
// else the folder the installed corpus record names (the writer's), or
// the bundled sample. A folder once opened stays open until Close, as
// requests may still read from it after a switch.
func (m *Main) replicaRoot() (fs.FS, error) {
	name := m.Config.Corpus
	if name == "" {
		rec, err := readCorpusRecord(m.Config.Data)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			return nil, fmt.Errorf("%s has no corpus record; publish installs the writer's, or give --corpus DIR", m.Config.Data)
		}
		name = rec.Corpus
	}
	if name == sampleCorpus {
		return corpus.Sample(), nil
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	r := &m.replica
	r.mu.Lock()
	defer r.mu.Unlock()
	if root, ok := r.roots[abs]; ok {
		return root.FS(), nil
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("the corpus folder %s cannot be opened (is it mounted read-only on this replica, at the writer's path or given with --corpus?): %w", abs, err)
	}
	if r.roots == nil {
		r.roots = map[string]*os.Root{}
	}
	r.roots[abs] = root
	return root.FS(), nil
}

// emptyFS holds no file.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// recordPublished stores in ix the corpus files the run that wrote it
// could read (the catalogue's files without rep.Withheld), so that
// replicas serving copies of ix publish exactly those.
func (m *Main) recordPublished(ctx context.Context, ix *search.Index, cat *corpus.Catalogue, fsys fs.FS, rep *indexer.Report) error {
	if ix == nil || rep == nil {
		return nil
	}
	set := cat.FileFS(fsys)
	set.Publish(rep.Withheld)
	if err := ix.SetPublishedFiles(ctx, set.Published()); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}
