package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/search"
)

// lifecycle is the state of Main that keeps the data folder whole: the
// corpus it remembers, the swaps of index generations, the jobs and
// goroutines serve waits for when it stops.
type lifecycle struct {
	corpus   *corpusChoice // chosen once per command, see chooseCorpus
	switched *corpusSwitch // set when this command changed the corpus

	// writeMu serialises what writes the index or swaps it: updates,
	// rebuilds and the pick-up of a generation built by another process.
	writeMu sync.Mutex
	// hook is called at the steps of a swap (see step); tests kill the
	// process there.
	hook func(step string)
	// pollEvery is how often serve looks for a new live generation; 0
	// means every second.
	pollEvery time.Duration
	badGen    string // a generation that failed to open; not retried

	jobs      sync.WaitGroup // admin jobs and snapshots serve runs
	bg        sync.WaitGroup // serve's own goroutines (watcher, control)
	jobOnce   sync.Once
	jobCtx    context.Context // ends at the shutdown deadline
	jobCancel context.CancelFunc
	stopping  atomic.Bool
	control   net.Listener // the control socket, nil when none
	fullBuild bool         // this index run builds a new generation
}

// shutdownGrace is how long serve gives requests in flight and running
// jobs once it is told to stop; it stays below stopGrace, after which the
// process exits anyway.
const shutdownGrace = 8 * time.Second

// errStopping refuses a job because serve is stopping.
var errStopping = errors.New("the server is stopping")

// startJob registers a job (an admin job, a snapshot) that serve waits
// for when it stops, up to shutdownGrace. The job's context ends at that
// deadline rather than at the signal, so a job that can finish in time
// does. done must be called when the job ends.
func (m *Main) startJob() (context.Context, func(), error) {
	m.jobOnce.Do(func() { m.jobCtx, m.jobCancel = context.WithCancel(context.Background()) })
	if m.stopping.Load() {
		return nil, nil, errStopping
	}
	m.jobs.Add(1)
	return m.jobCtx, m.jobs.Done, nil
}

// stopJobs refuses new jobs, waits for running ones until ctx ends, then
// cancels them and waits for them to return; then it waits for serve's
// own goroutines.
func (m *Main) stopJobs(ctx context.Context) {
	m.stopping.Store(true)
	m.jobOnce.Do(func() { m.jobCtx, m.jobCancel = context.WithCancel(context.Background()) })
	if m.control != nil {
		m.control.Close()
	}
	done := make(chan struct{})
	go func() { m.jobs.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		m.log.Warn("jobs still running at the shutdown deadline; stopping them")
		m.jobCancel()
		<-done
	}
	m.jobCancel()
	m.bg.Wait()
}

// rebuild builds a new index generation from the corpus beside the live
// one, with every talk, and swaps it in: searches answer from the live
// index until the swap and from the new one after it, and the old one is
// closed when its last request has finished. A failed or interrupted
// rebuild leaves the live index as it was. It is the full rebuild of
// `index --force`, of an index of an older version, and of the admin
// reindex; the live index must be open in this process.
func (m *Main) rebuild(ctx context.Context) (*indexer.Report, error) {
	cat, fsys, err := m.loadCatalogue()
	if err != nil {
		return nil, err
	}
	return m.rebuildWith(ctx, cat, fsys)
}

// rebuildWith is rebuild of the catalogue cat; opts change the indexer's
// configuration (say, to report progress).
func (m *Main) rebuildWith(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, opts ...func(*indexer.Config)) (*indexer.Report, error) {
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	if m.index == nil {
		return nil, errors.New("rebuild: the index is not open")
	}
	if err := m.guardCorpus(ctx, m.index, cat); err != nil {
		return nil, err
	}
	name, ix, rep, err := m.buildGeneration(ctx, cat, fsys, opts...)
	if err != nil {
		return rep, err
	}
	if err := m.setLiveGeneration(name); err != nil {
		ix.Close()
		os.RemoveAll(filepath.Join(m.Config.Data, name))
		return rep, err
	}
	m.swapIn(ix, name)
	m.publish(rep)
	m.finishReport(rep)
	return rep, nil
}

// buildGeneration indexes every talk of cat into a new generation folder
// and returns it open. On failure the folder is removed.
func (m *Main) buildGeneration(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, opts ...func(*indexer.Config)) (string, *search.Index, *indexer.Report, error) {
	live, err := liveGeneration(m.Config.Data)
	if err != nil {
		return "", nil, nil, err
	}
	name := nextGeneration(m.Config.Data, live)
	dir := filepath.Join(m.Config.Data, name)
	ix, err := search.Open(dir, m.indexOptions())
	if err != nil {
		return "", nil, nil, fmt.Errorf("rebuild: create %s: %w", dir, err)
	}
	m.log.Info("building a new index beside the live one; searches use the live one until it is done", "dir", dir, "live", live)
	rep, err := m.indexerFor(ix, false, true, opts...).Run(ctx, cat, fsys)
	if err == nil {
		err = m.recordPublished(ctx, ix, cat, fsys, rep)
	}
	if err != nil {
		ix.Close()
		os.RemoveAll(dir)
		return "", nil, rep, fmt.Errorf("rebuild: %w (the new index was discarded; the live index is unchanged)", err)
	}
	m.step("built")
	return name, ix, rep, nil
}

// swapIn makes ix (folder name, already named in currentFile) the index
// of this process, closes the old one once its requests have finished,
// and removes old generations.
func (m *Main) swapIn(ix *search.Index, name string) {
	old := m.live.set(ix, name)
	m.index = ix
	if err := old.retire(); err != nil {
		m.log.Warn("closing the old index", "err", err)
	}
	m.log.Info("switched to the new index", "dir", filepath.Join(m.Config.Data, name))
	m.removeOldGenerations()
}

// publish serves the corpus files the last run could read.
func (m *Main) publish(rep *indexer.Report) {
	if m.files != nil && rep != nil {
		m.files.Publish(rep.Withheld)
	}
}

// finishReport logs the report of a rebuild; `index` renders the
// previews afterwards, once it has released the index.
func (m *Main) finishReport(rep *indexer.Report) {
	m.log.Info("index rebuilt", "talks", rep.Talks, "indexed", rep.Indexed, "pages", rep.Pages, "segments", rep.Segments,
		"failed", len(rep.Failed), "took", rep.Duration.Round(time.Millisecond))
}

// buildBeside is `index` while serve holds the live index: it builds a
// whole new generation, closes it and makes it live; serve switches to
// it within a second (watchGenerations).
func (m *Main) buildBeside(ctx context.Context, le *errIndexLocked, cat *corpus.Catalogue, fsys fs.FS, opts ...func(*indexer.Config)) (*indexer.Report, error) {
	m.log.Info("the index is in use by serve; building a complete new index beside it, which serve switches to when it is done",
		"holder_pid", le.pid)
	if err := m.guardCorpus(ctx, nil, cat); err != nil {
		return nil, err
	}
	name, ix, rep, err := m.buildGeneration(ctx, cat, fsys, opts...)
	if err != nil {
		return rep, err
	}
	dir := filepath.Join(m.Config.Data, name)
	if err := ix.Close(); err != nil {
		os.RemoveAll(dir)
		return rep, fmt.Errorf("rebuild: close %s: %w", dir, err)
	}
	if err := m.setLiveGeneration(name); err != nil {
		os.RemoveAll(dir)
		return rep, err
	}
	m.finishReport(rep)
	m.removeOldGenerations() // serve removes the one it holds after its switch
	return rep, nil
}

// watchGenerations makes serve switch to a generation that another
// process made live, checking every pollEvery until ctx ends.
func (m *Main) watchGenerations(ctx context.Context) {
	every := m.pollEvery
	if every <= 0 {
		every = time.Second
	}
	m.bg.Add(1)
	go func() {
		defer m.bg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.pickUp()
			}
		}
	}()
}

// pickUp opens the live generation named in currentFile when it is not
// the one this process serves, and swaps it in.
func (m *Main) pickUp() {
	name, err := liveGeneration(m.Config.Data)
	if err != nil || name == m.badGen {
		return
	}
	if g := m.live.p.Load(); g == nil || g.name == name {
		return
	}
	m.writeMu.Lock()
	defer m.writeMu.Unlock()
	dir := filepath.Join(m.Config.Data, name)
	if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 {
		m.log.Error("the live index named in CURRENT is missing; still serving the old one", "dir", dir)
		m.badGen = name
		return
	}
	opt := m.indexOptions()
	opt.LockTimeout = 100 * time.Millisecond
	ix, err := search.Open(dir, opt)
	if errors.Is(err, search.ErrLocked) {
		return // its builder is closing it: next time
	}
	if err != nil {
		m.log.Error("cannot open the new index; still serving the old one", "dir", dir, "err", err)
		m.badGen = name
		return
	}
	if m.Config.Replica {
		m.servePublished(ix)
	}
	m.swapIn(ix, name)
	m.writeHolder()
	m.noteCorpusChange()
}

// replaceDamaged starts a new, empty generation in place of the damaged
// one (kept until removeOldGenerations finds it unused) and makes it
// live; the caller fills it from the corpus.
func (m *Main) replaceDamaged(damaged string) (string, *search.Index, error) {
	name := nextGeneration(m.Config.Data, damaged)
	ix, err := search.Open(filepath.Join(m.Config.Data, name), m.indexOptions())
	if err != nil {
		return name, nil, err
	}
	if err := m.setLiveGeneration(name); err != nil {
		ix.Close()
		return name, nil, err
	}
	return name, ix, nil
}

// noteCorpusChange follows a generation built by another process from
// another corpus: later updates of this process use that corpus (unless
// this one was given explicitly); the files served stay those of the
// corpus serve started with until it restarts.
func (m *Main) noteCorpusChange() {
	rec, err := readCorpusRecord(m.Config.Data)
	if err != nil || rec == nil || m.corpus == nil || m.corpus.explicit || rec.Corpus == m.corpus.name {
		return
	}
	m.log.Warn("the new index was built from another corpus; its files are served after a restart of serve",
		"corpus", rec.Corpus, "was", m.corpus.name)
	m.corpus = nil
	m.root = nil // still open for the files served now
}

// catchUp brings the index serve opened up to date before it is ready:
// an index of an older version that still answers searches is served
// while its replacement is built beside it (the corpus files are
// published once it is built, when it is known which can be read);
// otherwise what changed in the corpus is indexed.
func (m *Main) catchUp(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) error {
	if m.index.Outdated() == "" {
		_, err := m.update(ctx, cat, fsys, false)
		return err
	}
	if _, err := m.index.Search(ctx, search.Query{Text: "test"}); err == nil {
		m.ready.Store(true)
		m.log.Info("ready, answering from the index of the older version until the new one is built")
	} else {
		m.log.Warn("the index of the older version cannot answer searches; serve is ready once the new one is built", "err", err)
	}
	_, err := m.rebuildWith(ctx, cat, fsys)
	return err
}

// indexOrRebuild is the work of `index`: an update of the live index, or
// a full build beside it (--force, an index of an older version, or the
// live index held by serve).
func (m *Main) indexOrRebuild(ctx context.Context, opts ...func(*indexer.Config)) (*indexer.Report, *corpus.Catalogue, fs.FS, error) {
	err := m.openIndex()
	var le *errIndexLocked
	locked := errors.As(err, &le) && le.byServe()
	if err != nil && !locked {
		return nil, nil, nil, err
	}
	cat, fsys, err := m.loadCatalogue()
	if err != nil {
		return nil, nil, nil, err
	}
	var rep *indexer.Report
	switch {
	case locked:
		m.fullBuild = true
		rep, err = m.buildBeside(ctx, le, cat, fsys, opts...)
	case m.Config.Force || m.index.Outdated() != "":
		m.fullBuild = true
		rep, err = m.rebuildWith(ctx, cat, fsys, opts...)
	default:
		rep, err = m.update(ctx, cat, fsys, false, opts...)
	}
	return rep, cat, fsys, err
}

// printCorpusSwitch adds an explicit change of corpus to the report.
func (m *Main) printCorpusSwitch() {
	s := m.switched
	if s == nil {
		return
	}
	removed := fmt.Sprintf("%d talks of the old corpus removed", s.Removed)
	if s.Removed < 0 {
		removed = "the talks of the old corpus that the new one lacks are removed"
	}
	fmt.Fprintf(m.Stdout, "  CORPUS now %s (was %s): %s\n", s.To, s.From, removed)
}
