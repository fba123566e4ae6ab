package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/internal/testenv"
	"github.com/talksearch/talksearch/search"
)

// gen writes an archive of the given size into a new temporary folder.
func gen(t *testing.T, seed uint64, talks, pages, workers int) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := generate(options{out: dir, seed: seed, talks: talks, pages: pages, workers: workers, perEvent: 3}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// files reads every file below dir, by relative path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a := files(t, gen(t, 7, 5, 0, 1))
	b := files(t, gen(t, 7, 5, 0, 4))
	c := files(t, gen(t, 8, 5, 0, 2))
	if len(a) != len(b) {
		t.Fatalf("seed 7 wrote %d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with seed 7 (1 and 4 workers)", name)
		}
	}
	if bytes.Equal(a["fachtag-001/manifest.json"], c["fachtag-001/manifest.json"]) {
		t.Error("seeds 7 and 8 wrote the same manifest")
	}
}

func TestPagesExact(t *testing.T) {
	dir := gen(t, 1, 0, 100, 2)
	cat, err := corpus.LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	pages := 0
	for _, tk := range cat.Talks {
		ev, _ := cat.Event(tk.EventID)
		data, err := os.ReadFile(filepath.Join(dir, ev.Dir, tk.Files.Slides))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := pdftext.Extract(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", tk.ID, err)
		}
		pages += len(doc.Pages)
	}
	if pages != 100 {
		t.Errorf("-pages 100 wrote %d pages", pages)
	}
}

// deckText is the words of every slide of the first talk, as generated.
func deckText(t *testing.T, dir string) (string, []string) {
	t.Helper()
	m, err := loadModel()
	if err != nil {
		t.Fatal(err)
	}
	w := newWriter(m)
	pl := newPlanner(3, w, 3).makePlan(2, 0)
	ev, tk := pl.events[0].event, pl.events[0].talks[0]
	var pages []string
	for _, s := range w.deck(3, ev, tk) {
		pages = append(pages, strings.Join(strings.Fields(s.Title+" "+strings.Join(s.Bullets, " ")), " "))
	}
	return filepath.Join(dir, ev.ID, tk.talk.Files.Slides), pages
}

// normalise drops the bullet signs and joins the words.
func normalise(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "•", " ")), " ")
}

func TestReadBack(t *testing.T) {
	dir := gen(t, 3, 2, 0, 1)
	file, want := deckText(t, dir)
	if !strings.ContainsAny(strings.Join(want, " "), "äöüß") {
		t.Fatal("the test deck has no umlaut or ß; pick another seed")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := pdftext.Extract(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != len(want) {
		t.Fatalf("pdftext read %d pages, want %d", len(doc.Pages), len(want))
	}
	for i, p := range doc.Pages {
		if got := normalise(p.Text); got != want[i] {
			t.Errorf("pdftext page %d:\n got %q\nwant %q", i+1, got, want[i])
		}
	}
	bin := testenv.LookPath(t, "pdftotext not installed (apt-get install poppler-utils)", "pdftotext")
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
	if len(got) != len(want) {
		t.Fatalf("pdftotext read %d pages, want %d", len(got), len(want))
	}
	for i := range got {
		// pdftotext puts the bullet signs in a column of their own, which
		// may move the title: compare the words, in any order.
		if g := normalise(got[i]); !sameWords(g, want[i]) {
			t.Errorf("pdftotext page %d:\n got %q\nwant %q", i+1, g, want[i])
		}
	}
}

// sameWords reports whether a and b hold the same words, in any order.
func sameWords(a, b string) bool {
	count := map[string]int{}
	for _, w := range strings.Fields(a) {
		count[w]++
	}
	for _, w := range strings.Fields(b) {
		count[w]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// TestIndexes loads a generated archive as the indexer does and finds a
// word of its first deck.
func TestIndexes(t *testing.T) {
	dir := gen(t, 3, 2, 0, 1)
	cat, err := corpus.LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if len(cat.Talks) != 2 {
		t.Fatalf("loaded %d talks, want 2", len(cat.Talks))
	}
	ix, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	rep, err := indexer.New(indexer.Config{Workers: 1}, ix, nil).Run(context.Background(), cat, root.FS())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Indexed != 2 || len(rep.Failed) > 0 {
		t.Fatalf("report: %+v", rep)
	}
	res, err := ix.Search(context.Background(), search.Query{Text: "\"" + cat.Talks[0].Title + "\""})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || res.Talks[0].ID != cat.Talks[0].ID {
		t.Errorf("the title of %s as a phrase found %+v", cat.Talks[0].ID, res.Talks)
	}
}
