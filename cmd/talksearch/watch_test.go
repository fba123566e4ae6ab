package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/internal/testpdf"
)

// TestWatch runs serve --watch on a folder of PDFs and changes the
// folder while it serves: a PDF still being copied is not indexed, and
// new, changed and deleted files show in the search within seconds.
func TestWatch(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "freifunk.pdf"), testpdf.SampleDeck(t, "freifunk-gera"), 0o644)
	base := runServe(t, 60*time.Second, nil, "--corpus", dir, "--data", t.TempDir(), "--isolate=false",
		"--watch", "--watch-interval", "1h")
	talk := func(id string) int {
		code, _, _ := get(t, base+"/api/v1/talks/"+id)
		return code
	}
	finds := func(q, id string) bool {
		_, body, _ := get(t, base+"/api/v1/search?q="+q)
		return strings.Contains(body, `"id":"`+id+`"`)
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("not within 15 s: %s", what)
			}
		}
	}

	// Half a PDF, its copy stalled: held back, not indexed as damaged.
	deck := testpdf.SampleDeck(t, "eakte-plauen")
	f, err := os.Create(filepath.Join(dir, "eakte.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	f.Write(deck[:len(deck)/2])
	time.Sleep(2*settleTime + debounce)
	if code := talk("eakte"); code != 404 {
		t.Errorf("a PDF still being copied was indexed (%d)", code)
	}
	f.Write(deck[len(deck)/2:])
	f.Close()
	waitFor("the copied PDF is found", func() bool { return finds("Plauen", "eakte") })

	// A changed file, replaced as rsync does (a hidden file renamed).
	tmp := filepath.Join(dir, ".freifunk.pdf.part")
	os.WriteFile(tmp, testpdf.SampleDeck(t, "workshop-e-rechnung"), 0o644)
	os.Rename(tmp, filepath.Join(dir, "freifunk.pdf"))
	waitFor("the changed PDF's new text is found", func() bool { return finds("Rechnungen", "freifunk") })

	// A new event folder with a PDF.
	os.Mkdir(filepath.Join(dir, "neu"), 0o755)
	os.WriteFile(filepath.Join(dir, "neu", "ozg.pdf"), testpdf.SampleDeck(t, "ozg-sachsen"), 0o644)
	waitFor("a PDF in a new folder is found", func() bool { return talk("ozg") == 200 })

	os.Remove(filepath.Join(dir, "eakte.pdf"))
	waitFor("the deleted PDF is gone", func() bool { return talk("eakte") == 404 })
}
