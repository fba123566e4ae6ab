package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"

	"github.com/talksearch/talksearch/corpus"
)

// Change detection: a talk is re-indexed, and a deck's previews
// re-rendered, only when fileVersion of one of its files changed.

// fileVersion identifies the version of a file by its size and
// modification time where the file system has them (a folder on disk),
// else by a hash of its content (the embedded sample corpus, whose files
// have no time).
func fileVersion(fsys fs.FS, name string) (string, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return "", fmt.Errorf("indexer: %w", err)
	}
	if !st.ModTime().IsZero() {
		return fmt.Sprintf("size=%d mtime=%d", st.Size(), st.ModTime().UnixNano()), nil
	}
	f, err := fsys.Open(name)
	if err != nil {
		return "", fmt.Errorf("indexer: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("indexer: read %s: %w", name, err)
	}
	return "sha256=" + hex.EncodeToString(h.Sum(nil)), nil
}

// fingerprint identifies a talk's metadata and the versions of its files,
// so that an unchanged talk is skipped on the next run.
func fingerprint(cat *corpus.Catalogue, fsys fs.FS, t corpus.Talk) (string, error) {
	h := sha256.New()
	ev, _ := cat.Event(t.EventID)
	meta, _ := json.Marshal(struct {
		T corpus.Talk
		E corpus.Event
		F bool
	}{t, ev, t.TitleFromFile})
	h.Write(meta)
	for _, rel := range []string{t.Files.Slides, t.Files.Transcript} {
		if rel == "" {
			continue
		}
		name := cat.Path(t, rel)
		v, err := fileVersion(fsys, name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s|%s\n", name, v)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
