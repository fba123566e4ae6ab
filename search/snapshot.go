package search

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
)

// Snapshot writes a consistent copy of the index to dir while the index
// stays open for searching and writing: bleve's online copy
// (IndexCopyable) copies the segments of one point in time, which it
// keeps on disk until the copy ends. The copy is written beside dir and
// renamed into place, so dir is either absent or a whole index that Open
// opens. dir must not exist yet.
func (ix *Index) Snapshot(dir string) error {
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("search: snapshot: %s already exists", dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("search: snapshot: %w", err)
	}
	c, ok := ix.b.(bleve.IndexCopyable)
	if !ok {
		return errors.New("search: snapshot: the index does not support copying")
	}
	tmp := dir + ".tmp-" + strconv.Itoa(os.Getpid())
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("search: snapshot: %w", err)
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fmt.Errorf("search: snapshot: %w", err)
	}
	if err := c.CopyTo(bleve.FileSystemDirectory(tmp)); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("search: snapshot to %s: %w", dir, err)
	}
	if err := syncTree(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("search: snapshot: %w", err)
	}
	return syncDir(filepath.Dir(dir))
}

// syncTree flushes every file and folder under root to disk.
func syncTree(root string) error {
	return filepath.Walk(root, func(name string, fi os.FileInfo, err error) error {
		if err != nil {
			return fmt.Errorf("search: sync %s: %w", name, err)
		}
		if fi.IsDir() {
			return syncDir(name)
		}
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("search: sync %s: %w", name, err)
		}
		defer f.Close()
		if err := f.Sync(); err != nil {
			return fmt.Errorf("search: sync %s: %w", name, err)
		}
		return nil
	})
}
