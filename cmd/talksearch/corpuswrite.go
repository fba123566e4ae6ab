package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/corpus"
)

// corpusWrite is one change of the corpus folder made of several steps;
// undo reverses the steps done unless keep was called, so that a failed
// upload leaves nothing behind.
type corpusWrite struct {
	root     *os.Root
	temps    []string // temporary files, always removed
	placed   []string // files put in place
	dirs     []string // folders made, removed when empty
	manifest string   // the manifest written, "" for none
	old      []byte   // its content before; nil when it was new
	fresh    map[string]bool
	kept     bool
}

// temp writes r to a temporary file in dir (made if needed), refusing
// more than the upload limit and a target that exists already.
func (w *corpusWrite) temp(m *Main, dir string, r io.Reader, target string) (string, int64, error) {
	if _, err := w.root.Lstat(target); err == nil {
		return "", 0, refuse(api.AdminTalkExists, "id", path.Base(target))
	}
	if err := w.mkdirAll(path.Dir(target)); err != nil {
		return "", 0, writeFailed(err)
	}
	name, size, err := writeTemp(w.root, dir, r, m.uploadLimit())
	switch {
	case errors.Is(err, errTooLarge):
		return "", 0, refuse(api.AdminTooLarge, "", "")
	case err != nil:
		return "", 0, writeFailed(err)
	}
	w.temps = append(w.temps, name)
	return name, size, nil
}

// mkdirAll makes dir and the folders above it that are missing,
// remembering them for undo.
func (w *corpusWrite) mkdirAll(dir string) error {
	var missing []string
	for d := dir; d != "." && d != "/"; d = path.Dir(d) {
		if _, err := w.root.Lstat(d); err == nil {
			break
		}
		missing = append(missing, d)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := w.root.Mkdir(missing[i], 0o755); err != nil {
			return fmt.Errorf("make folder %s: %w", missing[i], err)
		}
		w.dirs = append(w.dirs, missing[i])
	}
	return nil
}

// place renames a temporary file to its place and syncs the folder.
func (w *corpusWrite) place(tmp, target string) error {
	if err := w.root.Rename(tmp, target); err != nil {
		return fmt.Errorf("rename %s: %w", target, err)
	}
	w.placed = append(w.placed, target)
	w.fresh[target] = true
	return syncDir(w.root, path.Dir(target))
}

// addToManifest adds t to the manifest of ev, or writes a new manifest
// for a new event.
func (w *corpusWrite) addToManifest(ev corpus.Event, create bool, t corpus.Talk) error {
	name := path.Join(ev.Dir, corpus.ManifestName)
	var (
		data []byte
		err  error
	)
	if create {
		data, err = corpus.NewManifest(ev, t)
	} else {
		if w.old, err = w.root.ReadFile(name); err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		data, err = corpus.AppendTalk(w.old, t)
	}
	if err != nil {
		return err
	}
	if err := writeAtomic(w.root, name, data); err != nil {
		return err
	}
	w.manifest = name
	w.fresh[name] = true
	return nil
}

// keep makes the change final.
func (w *corpusWrite) keep() { w.kept = true }

// undo removes the temporary files and, unless keep was called, reverses
// every step: the manifest as it was, the files placed, the folders made.
func (w *corpusWrite) undo(m *Main) {
	for _, t := range w.temps {
		w.root.Remove(t) // placed ones are gone already
	}
	if w.kept {
		return
	}
	var errs []error
	if w.manifest != "" {
		if w.old != nil {
			errs = append(errs, writeAtomic(w.root, w.manifest, w.old))
		} else {
			errs = append(errs, w.root.Remove(w.manifest))
		}
	}
	for _, p := range w.placed {
		errs = append(errs, w.root.Remove(p))
	}
	for i := len(w.dirs) - 1; i >= 0; i-- {
		errs = append(errs, w.root.Remove(w.dirs[i]))
	}
	if err := errors.Join(errs...); err != nil {
		m.log.Error("admin: a failed upload could not be undone completely; check the corpus folder", "err", err)
	}
}
