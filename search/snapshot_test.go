package search

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
)

// TestSnapshotWhileWriting copies the index while another goroutine
// writes to it: the copy opens as an index of its own, with the mapping
// version, and answers searches; a second snapshot to the same folder is
// refused.
func TestSnapshotWhileWriting(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 20 {
			if err := ix.Index(ctx, testDocs()...); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := filepath.Join(t.TempDir(), "copy")
	err := ix.Snapshot(dir)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Snapshot(dir); err == nil {
		t.Error("a snapshot over an existing folder was written")
	}
	cp, err := Open(dir)
	if err != nil {
		t.Fatalf("the snapshot does not open: %v", err)
	}
	defer cp.Close()
	res, err := cp.Search(ctx, Query{Text: "Umlaufmappe"})
	if err != nil {
		t.Fatal(err)
	}
	if ids(res) != "eakte-erfurt" {
		t.Errorf("search in the snapshot: %s", ids(res))
	}
	st, err := cp.Stats(ctx)
	if err != nil || st.Talks != len(testDocs()) {
		t.Errorf("snapshot stats: %+v, %v", st, err)
	}
}

// TestOpenAcceptOutdated opens an index of another mapping version with
// AcceptOutdated: it answers searches and says it is outdated; without
// the option Open refuses it.
func TestOpenAcceptOutdated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Index(context.Background(), testDocs()...); err != nil {
		t.Fatal(err)
	}
	if ix.Outdated() != "" {
		t.Errorf("a new index says it is outdated: %q", ix.Outdated())
	}
	if err := ix.b.SetInternal(keyMappingVersion, []byte("0/old")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := Open(dir); !errors.Is(err, ErrNeedsRebuild) {
		t.Fatalf("Open without AcceptOutdated: %v", err)
	}
	old, err := Open(dir, Options{AcceptOutdated: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if old.Outdated() != "0/old" {
		t.Errorf("Outdated() = %q, want 0/old", old.Outdated())
	}
	res, err := old.Search(context.Background(), Query{Text: "Umlaufmappe"})
	if err != nil || ids(res) != "eakte-erfurt" {
		t.Errorf("search in the outdated index: %v %v", res, err)
	}
}
