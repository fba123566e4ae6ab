package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/talksearch/talksearch/indexer"
)

// runPublish rolls the live index of the data folder (the writer's) out
// to the data folders of replicas (Args), one after the other: one
// snapshot is taken (through serve when serve holds the index), then
// each replica gets it as its next generation beside the one it serves,
// with the corpus record, the synonyms and the slide previews, and its
// CURRENT is renamed over. A replica running serve --replica switches
// within a second without a failed request and removes its old
// generation once the last request on it has finished. With --wait,
// publish waits until the replica serves the new generation (holds it
// open and has removed the old one) before it goes on to the next.
func (m *Main) runPublish(ctx context.Context) error {
	replicas, err := m.replicaDirs()
	if err != nil {
		return err
	}
	own, err := filepath.Abs(m.Config.Data) // serve writes a snapshot only to an absolute path
	if err != nil {
		return err
	}
	// The folder names this process, so that a later run can tell a
	// killed publish's leftovers from a running one's (staleTemp).
	tmp, err := os.MkdirTemp(own, fmt.Sprintf("%s%d-", publishTempPrefix, os.Getpid()))
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "data")
	msg, err := m.snapshotTo(ctx, snap)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	m.log.Info("publishing", "snapshot", msg)
	var late []string
	for _, dir := range replicas {
		name, prev, err := m.install(ctx, snap, dir)
		if err != nil {
			return fmt.Errorf("publish to %s: %w (replicas before it have the new index, it and those after it the old one)", dir, err)
		}
		fmt.Fprintf(m.Stdout, "installed %s in %s\n", name, dir)
		if m.Config.Wait <= 0 {
			continue
		}
		if err := waitSwitched(ctx, dir, prev, name, m.Config.Wait); err != nil {
			m.log.Warn("the replica has not switched to the new index; is serve --replica running there? It switches when it starts",
				"dir", dir, "waited", m.Config.Wait)
			late = append(late, dir)
			continue
		}
		fmt.Fprintf(m.Stdout, "the replica of %s serves %s\n", dir, name)
	}
	if len(late) > 0 {
		return fmt.Errorf("the new index is installed everywhere, but no replica switched to it within %s in %s", m.Config.Wait, strings.Join(late, ", "))
	}
	return nil
}

// replicaDirs are the absolute replica folders of Args; the writer's own
// data folder is refused.
func (m *Main) replicaDirs() ([]string, error) {
	own, err := filepath.Abs(m.Config.Data)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range m.Config.Args {
		dir, err := filepath.Abs(a)
		if err != nil {
			return nil, err
		}
		if dir == own {
			return nil, fmt.Errorf("publish: %s is the data folder being published, not a replica's", a)
		}
		out = append(out, dir)
	}
	return out, nil
}

// install copies the snapshot snap (a data folder with one generation,
// index) into the replica folder dir as its next generation and makes it
// live there, and returns the generation's name and that of the one live
// before. Whatever a reader of
// dir sees is whole: the generation is copied beside its place and
// renamed in, the files beside it are replaced by rename, and CURRENT is
// renamed last.
func (m *Main) install(ctx context.Context, snap, dir string) (name, prev string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	r := &Main{Config: Config{Data: dir}, log: m.log}
	r.removeOldGenerations() // what earlier runs left behind
	live, err := liveGeneration(dir)
	if err != nil {
		return "", "", err
	}
	name = nextGeneration(dir, live)
	tmp := filepath.Join(dir, name+".tmp-"+strconv.Itoa(os.Getpid()))
	if err := copyTree(ctx, filepath.Join(snap, firstGen), tmp); err != nil {
		os.RemoveAll(tmp)
		return "", "", err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.RemoveAll(tmp)
		return "", "", err
	}
	for _, f := range []string{corpusFile, "synonyms.txt"} {
		if err := replaceFile(filepath.Join(snap, f), filepath.Join(dir, f)); err != nil {
			return "", "", err
		}
	}
	stale, err := syncPreviews(ctx, m.previewsDir(), filepath.Join(dir, "previews"))
	if err != nil {
		return "", "", err
	}
	if err := r.setLiveGeneration(name); err != nil {
		return "", "", err
	}
	for _, f := range stale {
		os.Remove(f) // previews of slides the new index no longer has
	}
	r.removeOldGenerations() // those the replica does not hold; it removes its own after its switch
	return name, live, nil
}

// waitSwitched waits, at most d, until the replica of the folder dir
// serves the generation name: a process holds it open (a replica's
// read-only open takes a shared lock on its root file) and the
// generation prev that was live before is gone. A replica opens the new
// generation, swaps it in, closes the old one once its last request has
// finished and then removes it, so a held new generation alone could
// still be waiting to be swapped in. The old one's lock is not probed:
// a probe at the moment the replica checks it would keep the replica
// from removing it.
func waitSwitched(ctx context.Context, dir, prev, name string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		_, err := os.Stat(filepath.Join(dir, prev))
		if held(filepath.Join(dir, name)) && (prev == name || errors.Is(err, fs.ErrNotExist)) {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("not opened in time")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// held reports whether a process holds the index in dir open.
func held(dir string) bool {
	unlock, inUse := lockIndexFolder(dir)
	unlock()
	return inUse
}

// copyTree copies the folder src to the new folder dst, every file
// flushed to disk.
func copyTree(ctx context.Context, src, dst string) error {
	err := filepath.WalkDir(src, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, name)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if err := copyIfPresent(name, target); err != nil {
			return err
		}
		// A fresh time keeps removeOldGenerations of a replica that
		// starts meanwhile from taking the copy for a stale one.
		now := time.Now()
		os.Chtimes(dst, now, now)
		return syncFolder(filepath.Dir(target))
	})
	if err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return nil
}

// replaceFile puts a flushed copy of src at dst by rename, or removes dst
// when there is no src.
func replaceFile(src, dst string) error {
	if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
		if err := os.Remove(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	tmp := dst + ".tmp-" + strconv.Itoa(os.Getpid())
	os.Remove(tmp)
	if err := copyIfPresent(src, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// syncPreviews makes the replica's preview folder dst hold what the
// writer's src holds: files that are new or differ in size or time are
// copied (by rename, with the writer's modification time, which the
// versioned preview URLs carry, so every replica gives a slide the same
// URL). It returns the files of dst that src no longer has, for the
// caller to remove once the new index is live.
func syncPreviews(ctx context.Context, src, dst string) ([]string, error) {
	want := map[string]bool{}
	err := filepath.WalkDir(src, func(name string, d fs.DirEntry, err error) error {
		switch {
		case errors.Is(err, os.ErrNotExist) && name == src:
			return filepath.SkipDir // the writer has no previews
		case errors.Is(err, os.ErrNotExist):
			return nil // gone while we walk: a render replaced its deck
		case err != nil:
			return err
		case d.IsDir() && strings.HasPrefix(d.Name(), indexer.RenderScratchPrefix):
			return filepath.SkipDir // a render in progress
		case d.IsDir():
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, name)
		target := filepath.Join(dst, rel)
		want[target] = true // kept, if the replica has it, even if it goes now
		if err := copyPreview(name, target); !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil // gone while we walk: the next publish copies its successor
	})
	if err != nil {
		return nil, fmt.Errorf("copy the previews: %w", err)
	}
	var stale []string
	filepath.WalkDir(dst, func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !want[name] {
			stale = append(stale, name)
		}
		return nil
	})
	return stale, nil
}

// copyPreview copies one preview unless dst already has it.
func copyPreview(src, dst string) error {
	si, err := os.Stat(src)
	if err != nil {
		return err
	}
	if di, err := os.Stat(dst); err == nil && di.Size() == si.Size() && di.ModTime().Equal(si.ModTime()) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp := dst + ".tmp"
	os.Remove(tmp)
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(tmp, si.ModTime(), si.ModTime())
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
