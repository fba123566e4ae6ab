package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPublishedFilesTravelWithSnapshot records the published files, takes
// a snapshot and opens it read-only, as a replica does: the snapshot
// answers searches and returns the very list; an index without a record
// says so.
func TestPublishedFilesTravelWithSnapshot(t *testing.T) {
	ctx := context.Background()
	ix := mustOpen(t)
	if _, ok, err := ix.PublishedFiles(ctx); ok || err != nil {
		t.Fatalf("a new index has a published-files record: ok=%v err=%v", ok, err)
	}
	want := map[string]string{"itf2018/slides/e-rechnung.pdf": "itf2018/slides/e-rechnung.pdf", "ev/b.txt": "event-b/b.txt"}
	if err := ix.SetPublishedFiles(ctx, want); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "copy")
	if err := ix.Snapshot(dir); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	got, ok, err := ro.PublishedFiles(ctx)
	if err != nil || !ok || len(got) != len(want) {
		t.Fatalf("PublishedFiles of the snapshot = %v, %v, %v; want %v", got, ok, err, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("published %q = %q, want %q", k, got[k], v)
		}
	}
	res, err := ro.Search(ctx, Query{Text: "Umlaufmappe"})
	if err != nil || ids(res) != "eakte-erfurt" {
		t.Errorf("search in the read-only snapshot: %v, %v", res, err)
	}
}

// TestOpenReadOnly opens an index read-only: nothing in its folder
// changes, writes fail, several read-only opens share it, a writer must
// wait for them, and a missing folder is an error, not a new index.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Index(ctx, testDocs()...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	before := listing(t, dir)

	a, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir, Options{ReadOnly: true, LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("a second read-only open: %v", err)
	}
	if _, err := Open(dir, Options{LockTimeout: 100 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Errorf("a writer beside read-only opens: %v, want ErrLocked", err)
	}
	if res, err := a.Search(ctx, Query{Text: "Umlaufmappe"}); err != nil || ids(res) != "eakte-erfurt" {
		t.Errorf("read-only search: %v, %v", res, err)
	}
	if err := a.SetPublishedFiles(ctx, map[string]string{"x": "x"}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetPublishedFiles on a read-only index: %v, want ErrReadOnly", err)
	}
	if err := a.Index(ctx, testDocs()[0]); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Index on a read-only index: %v, want ErrReadOnly", err)
	}
	if err := a.Delete(ctx, "eakte-erfurt"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Delete on a read-only index: %v, want ErrReadOnly", err)
	}
	for _, ix := range []*Index{a, b} {
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if after := listing(t, dir); after != before {
		t.Errorf("the read-only open changed the folder:\nbefore %s\nafter  %s", before, after)
	}

	missing := filepath.Join(t.TempDir(), "none")
	if _, err := Open(missing, Options{ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only open of a missing folder: %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only open created %s", missing)
	}
}

// listing is every file under dir with its size and modification time.
func listing(tb testing.TB, dir string) string {
	tb.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if !d.IsDir() {
			fmt.Fprintf(&b, "%s %d %s\n", name, fi.Size(), fi.ModTime())
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return b.String()
}
