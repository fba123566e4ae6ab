package search

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOpenHalfCreated opens what a kill during bleve.New used to leave:
// index_meta.json and an empty or short store/root.bolt. Open must say
// ErrNeedsRebuild, and after removing the folder it must create a fresh
// index.
func TestOpenHalfCreated(t *testing.T) {
	for _, tc := range []struct {
		name string
		bolt []byte
		meta string
	}{
		{"empty bolt", nil, `{"storage":"scorch","index_type":"scorch"}`},
		{"short bolt", make([]byte, 16<<10), `{"storage":"scorch","index_type":"scorch"}`},
		{"empty meta", nil, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			if err := os.MkdirAll(filepath.Join(dir, "store"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(tc.meta), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "store", "root.bolt"), tc.bolt, 0o600); err != nil {
				t.Fatal(err)
			}
			ix, err := Open(dir)
			if !errors.Is(err, ErrNeedsRebuild) {
				if ix != nil {
					ix.Close()
				}
				t.Fatalf("Open of a half-created index: %v, want ErrNeedsRebuild", err)
			}
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			ix, err = Open(dir)
			if err != nil {
				t.Fatalf("Open after removal: %v", err)
			}
			ix.Close()
		})
	}
}

// TestOpenCreatesBeside checks that a new index is built beside its place
// and leaves no temporary folder.
func TestOpenCreatesBeside(t *testing.T) {
	parent := t.TempDir()
	ix, err := Open(filepath.Join(parent, "index"))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "index" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only index", names)
	}
	ix, err = Open(filepath.Join(parent, "index"))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	ix.Close()
}

// TestOpenLocked checks that a second Open of an index in use gives up
// with ErrLocked after its lock timeout instead of waiting forever.
func TestOpenLocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	began := time.Now()
	other, err := Open(dir, Options{LockTimeout: 300 * time.Millisecond})
	if err == nil {
		other.Close()
		t.Fatal("second Open succeeded while the index was open")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("second Open took %s", d)
	}
}
