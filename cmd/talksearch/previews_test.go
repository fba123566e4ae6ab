package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/search"
)

// TestIndexReleasesIndexBeforePreviews checks that `index` renders the
// previews after it has released the index: while a stand-in pdftoppm
// (first on PATH) waits, another opener gets the index and finds the talk.
func TestIndexReleasesIndexBeforePreviews(t *testing.T) {
	decks := t.TempDir()
	good, err := fs.ReadFile(corpus.Sample(), "itf2018/slides/freifunk-gera.pdf")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(decks, "Freifunk in Gera.pdf"), good, 0o644)
	bin, data := t.TempDir(), t.TempDir()
	started, release := filepath.Join(bin, "started"), filepath.Join(bin, "release")
	fake := "#!/bin/sh\ncat >/dev/null\n: >" + started + "\nwhile [ ! -e " + release + " ]; do sleep 0.05; done\nfor last; do :; done\n: >\"$last-1.png\"\n"
	if err := os.WriteFile(filepath.Join(bin, "pdftoppm"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := runMain(t, "index", "--corpus", decks, "--data", data)
		done <- result{out, err}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(started); err == nil {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("index ended before rendering previews: %v\n%s", r.err, r.out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("pdftoppm was never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The previews are being rendered: the index must be free.
	ix, err := search.Open(filepath.Join(data, "index"), search.Options{LockTimeout: 2 * time.Second})
	if err != nil {
		os.WriteFile(release, nil, 0o644)
		<-done
		t.Fatalf("open the index while index renders previews: %v", err)
	}
	res, err := ix.Search(context.Background(), search.Query{Text: "Dachstandort"})
	ix.Close()
	os.WriteFile(release, nil, 0o644)
	r := <-done
	if err != nil {
		t.Errorf("search while previews render: %v", err)
	} else if res.Total != 1 {
		t.Errorf("search while previews render: %d talks, want 1", res.Total)
	}
	if r.err != nil || !strings.Contains(r.out, "1 slide previews rendered") {
		t.Errorf("index: %v\n%s", r.err, r.out)
	}
}

// TestSyncPreviewsSkipsRenders checks that publishing copies a deck's
// finished previews but not a render in progress beside them, whose
// files the writer moves or deletes at any moment (copying one failed a
// publish when the render finished mid-walk).
func TestSyncPreviewsSkipsRenders(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	files := map[string]string{
		"deck/p-01.png": "png 1",
		"deck/.source":  "stamp",
		indexer.RenderScratchPrefix + "123/p-01.png": "half written",
	}
	for name, data := range files {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := syncPreviews(context.Background(), src, dst); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "deck/p-01.png")); err != nil || string(b) != "png 1" {
		t.Errorf("deck preview: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dst, indexer.RenderScratchPrefix+"123")); !os.IsNotExist(err) {
		t.Errorf("the render in progress was copied (stat: %v)", err)
	}
}
