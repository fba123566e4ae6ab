package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// debounce is how long the watcher waits after the last change in the
// corpus folder before it looks: a copy of many files is one update.
const debounce = time.Second

// startWatch starts watching the corpus folder when --watch is set.
func (m *Main) startWatch(ctx context.Context) {
	if !m.Config.Watch {
		return
	}
	if m.root == nil {
		m.log.Warn("--watch: the bundled sample does not change; nothing to watch")
		return
	}
	m.ops.bg.Go(func() { m.watch(ctx) })
}

// watch indexes new, changed and deleted files of the corpus folder a
// second after they change (fsnotify, every folder below the corpus),
// and rescans the whole folder every --watch-interval as a safety net
// for changes fsnotify misses (network file systems, a full event
// queue). A file still being copied is held back and looked at again.
func (m *Main) watch(ctx context.Context) {
	var events <-chan fsnotify.Event
	var errs <-chan error
	w, err := fsnotify.NewWatcher()
	if err != nil {
		m.log.Warn("watch: cannot watch the corpus folder; rescanning it periodically only", "err", err)
	} else {
		defer w.Close()
		m.watchTree(w, m.Config.Corpus)
		events, errs = w.Events, w.Errors
	}
	m.log.Info("watching the corpus folder", "dir", m.Config.Corpus, "rescan", m.Config.WatchInterval)
	tick := time.NewTicker(m.Config.WatchInterval)
	defer tick.Stop()
	var due <-chan time.Time // the next look, after a change
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			if ignoredName(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
					m.watchTree(w, ev.Name)
				}
			}
			due = time.After(debounce)
			continue
		case err := <-errs:
			m.log.Warn("watch", "err", err) // the rescan catches what was missed
			continue
		case <-tick.C:
		case <-due:
		}
		due = nil
		if m.watchSync(ctx) {
			due = time.After(debounce)
		}
	}
}

// watchSync brings the index up to date under the one writer and reports
// whether something is still being copied (then it looks again soon).
func (m *Main) watchSync(ctx context.Context) (again bool) {
	m.ops.mu.Lock()
	defer m.ops.mu.Unlock()
	rep, err := m.syncCorpus(ctx, nil)
	switch {
	case errors.Is(err, errSettling):
		return true
	case err != nil && ctx.Err() == nil:
		m.log.Error("watch: update failed; trying again at the next change or rescan", "err", err)
		return false
	case err != nil:
		return false
	}
	if rep.Held > 0 {
		m.log.Info("watch: files still being copied; looking again shortly", "talks", rep.Held)
	}
	return rep.Held > 0
}

// watchTree watches dir and every folder below it, except hidden ones.
func (m *Main) watchTree(w *fsnotify.Watcher, dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if err := w.Add(p); err != nil {
			m.log.Warn("watch: cannot watch a folder; the rescan covers it", "dir", p, "err", err)
		}
		return nil
	})
}

// ignoredName is a file whose changes do not concern the catalogue:
// hidden and temporary files (ours, editors', rsync's) and backups.
func ignoredName(name string) bool {
	base := filepath.Base(name)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~")
}
