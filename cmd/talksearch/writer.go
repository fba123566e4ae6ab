package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
)

// ops is what serve needs to change the index while it serves: the one
// writer, the background work, the latest catalogue and the admin jobs.
type ops struct {
	ctx      context.Context // serve's; ends the background work
	mu       sync.Mutex      // the one writer: every index write of serve holds it
	bg       sync.WaitGroup  // reindex jobs and the watcher
	fsys     fs.FS           // the corpus, as the indexer reads it
	token    string          // the admin token; "" turns the admin API off
	cat      atomic.Pointer[corpus.Catalogue]
	problems string // the catalogue problems last logged
	jobs     jobs

	previewOnce sync.Once
	previewCh   chan struct{}
}

// startOps prepares serve's writer: the corpus it reads and the admin
// token, read from its file once.
func (m *Main) startOps(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) error {
	m.ops.ctx, m.ops.fsys = ctx, fsys
	m.ops.cat.Store(cat)
	if m.Config.AdminTokenFile == "" {
		return nil
	}
	tok, err := readToken(m.Config.AdminTokenFile)
	if err != nil {
		return err
	}
	if st, err := os.Stat(m.Config.AdminTokenFile); err == nil && st.Mode().Perm()&0o077 != 0 {
		m.log.Warn("the admin token file can be read by other users; chmod 600 it", "file", m.Config.AdminTokenFile)
	}
	m.ops.token = tok
	m.log.Info("admin API on", "token_file", m.Config.AdminTokenFile)
	return nil
}

// minTokenLen is the shortest admin token accepted.
const minTokenLen = 16

// readToken reads the admin token: the file's one line, at least
// minTokenLen characters without spaces. Errors never quote the token.
func readToken(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	tok := string(bytes.TrimSpace(data))
	switch {
	case len(tok) < minTokenLen:
		return "", fmt.Errorf("admin token in %s is shorter than %d characters", file, minTokenLen)
	case bytes.ContainsAny([]byte(tok), " \t\r\n"):
		return "", fmt.Errorf("admin token in %s must be one word on one line", file)
	}
	return tok, nil
}

// errSettling postpones a sync: a manifest is being written.
var errSettling = errors.New("a manifest is being written")

// syncCorpus brings the index up to date with the corpus folder: it
// reloads the catalogue and indexes what changed, holding back talks
// whose files are still being copied. fresh names files the caller has
// just written whole (they need not settle). The caller holds ops.mu.
func (m *Main) syncCorpus(ctx context.Context, fresh map[string]bool) (*indexer.Report, error) {
	cat, err := m.reloadCatalogue()
	if err != nil {
		return nil, err
	}
	hold, wait := m.unsettled(cat, fresh, time.Now())
	if wait {
		return nil, errSettling
	}
	rep, err := m.update(ctx, cat, m.ops.fsys, false, func(c *indexer.Config) {
		c.Hold = func(id string) bool { return hold[id] }
	})
	if err != nil {
		return rep, err
	}
	m.ops.cat.Store(cat)
	if rep.Indexed > 0 || rep.Removed > 0 {
		m.requestPreviews()
	}
	return rep, nil
}

// reloadCatalogue loads the corpus again, logging its problems when they
// differ from those logged last.
func (m *Main) reloadCatalogue() (*corpus.Catalogue, error) {
	if m.root == nil {
		return corpus.Load(corpus.Sample())
	}
	cat, err := corpus.LoadDir(m.Config.Corpus)
	var verr *corpus.ValidationError
	text := ""
	switch {
	case errors.As(err, &verr):
		text = verr.Error()
	case err != nil:
		return nil, err
	}
	if text != m.ops.problems && verr != nil {
		for _, p := range verr.Problems {
			m.log.Warn("catalogue problem", "file", p.File, "field", p.Field, "problem", p.Msg)
		}
	}
	m.ops.problems = text
	return cat, nil
}

// Settling: a file modified less than settleTime ago may still be
// written; a PDF without "%%EOF" near its end is waited for up to
// incompleteGrace after its last change, then indexed (and reported, if
// it is broken).
const (
	settleTime      = 2 * time.Second
	incompleteGrace = 30 * time.Second
)

// unsettled returns the talks with a file still being copied, and whether
// a manifest is being written (then nothing should be indexed yet).
func (m *Main) unsettled(cat *corpus.Catalogue, fresh map[string]bool, now time.Time) (hold map[string]bool, wait bool) {
	if m.root == nil {
		return nil, false
	}
	young := func(name string, within time.Duration) (fs.FileInfo, bool) {
		st, err := m.root.Stat(name)
		if err != nil || fresh[name] {
			return st, false
		}
		age := now.Sub(st.ModTime())
		return st, age >= 0 && age < within
	}
	for _, ev := range cat.Events {
		if _, y := young(path.Join(ev.Dir, corpus.ManifestName), settleTime); y {
			return nil, true
		}
	}
	hold = map[string]bool{}
	for _, t := range cat.Talks {
		for _, rel := range []string{t.Files.Slides, t.Files.Transcript} {
			if rel == "" {
				continue
			}
			name := cat.Path(t, rel)
			if _, y := young(name, settleTime); y {
				hold[t.ID] = true
			} else if st, y := young(name, incompleteGrace); y && rel == t.Files.Slides && !m.pdfComplete(name, st.Size()) {
				hold[t.ID] = true
			}
		}
	}
	return hold, false
}

// pdfComplete reports whether the PDF name ends as a whole PDF does,
// with "%%EOF" in its last KB.
func (m *Main) pdfComplete(name string, size int64) bool {
	f, err := m.root.Open(name)
	if err != nil {
		return true // the indexer reports it
	}
	defer f.Close()
	tail := make([]byte, min(size, 1024))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return true
	}
	return bytes.Contains(tail, []byte("%%EOF"))
}

// requestPreviews asks previewLoop for a render of the latest catalogue.
func (m *Main) requestPreviews() {
	select {
	case m.ops.previews() <- struct{}{}:
	default: // one is pending already
	}
}

func (o *ops) previews() chan struct{} {
	o.previewOnce.Do(func() { o.previewCh = make(chan struct{}, 1) })
	return o.previewCh
}

// previewLoop renders the previews of cat, then again of the latest
// catalogue whenever the index changed, until ctx ends.
func (m *Main) previewLoop(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) {
	m.renderPreviews(ctx, cat, fsys)
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.ops.previews():
			if c := m.ops.cat.Load(); c != nil {
				m.renderPreviews(ctx, c, fsys)
			}
		}
	}
}

// writeAtomic replaces name in the corpus with data (atomicReplace) and
// syncs the folder. A reader sees the old file or the new one, never
// part of one.
func writeAtomic(root *os.Root, name string, data []byte) error {
	tmp := path.Join(path.Dir(name), "."+path.Base(name)+".tmp")
	if err := atomicReplace(root, name, tmp, data, nil); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return syncDir(root, path.Dir(name))
}

// atomicReplace writes data to tmp in root, syncs it and renames it over
// name; written, when set, runs between the write and the rename (the
// crash tests stop there). On failure tmp is removed and name is as it
// was. Syncing the folder, which makes the rename durable, is the
// caller's.
func atomicReplace(root *os.Root, name, tmp string, data []byte, written func()) error {
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && written != nil {
		written()
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// writeTemp copies at most limit bytes of r into a new temporary file in
// dir and syncs it. It returns the file's name and size; over the limit
// it returns errTooLarge and leaves no file.
func writeTemp(root *os.Root, dir string, r io.Reader, limit int64) (string, int64, error) {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	name := path.Join(dir, ".upload-"+hex.EncodeToString(rnd[:])+".tmp")
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", 0, fmt.Errorf("create %s: %w", name, err)
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = errTooLarge
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(name)
		return "", 0, err
	}
	return name, n, nil
}

var errTooLarge = errors.New("file over the upload limit")

// syncDir makes a rename in dir durable.
func syncDir(root *os.Root, dir string) error {
	d, err := root.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
