package indexer

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/testenv"
	"github.com/talksearch/talksearch/internal/testpdf"
)

// previewCorpus is a catalogue of a good deck, a broken deck and a talk
// without slides.
func previewCorpus(tb testing.TB) fstest.MapFS {
	tb.Helper()
	good := testpdf.SampleDeck(tb, "eakte-plauen")
	return fstest.MapFS{
		"manifest.json": {Data: []byte(`{"event": {"id": "itf2018", "name": "4. Mitteldeutscher IT-Fachtag", "year": 2018},
		  "talks": [
		    {"id": "eakte", "title": "Einführung der eAkte in Plauen", "files": {"slides": "eakte.pdf"}},
		    {"id": "kaputt", "title": "Abgeschnittener Foliensatz", "files": {"slides": "kaputt.pdf"}},
		    {"id": "ohne", "title": "Ohne Folien"}
		  ]}`)},
		"eakte.pdf":  {Data: good},
		"kaputt.pdf": {Data: []byte("%PDF-1.4 abgeschnitten")},
	}
}

func runPreviews(tb testing.TB, fsys fstest.MapFS, pc PreviewConfig) *Report {
	tb.Helper()
	cat, err := corpus.Load(fsys)
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := New(Config{Workers: 2, Previews: pc}, openIndex(tb), nil).Run(context.Background(), cat, fsys)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// pages lists the preview files of a talk, sorted.
func pages(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".png") {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}

func TestPreviewsWithPdftoppm(t *testing.T) {
	testenv.LookPath(t, "pdftoppm (poppler-utils) is not installed; .ci/run installs it", "pdftoppm")
	dir := filepath.Join(t.TempDir(), "previews")
	fsys := previewCorpus(t)
	// A folder of a talk that is gone, left from an earlier run.
	os.MkdirAll(filepath.Join(dir, "weg"), 0o755)
	os.WriteFile(filepath.Join(dir, "weg", "1.png"), []byte("x"), 0o644)

	rep := runPreviews(t, fsys, PreviewConfig{Dir: dir})
	got := pages(t, filepath.Join(dir, "eakte"))
	if len(got) < 8 || rep.Previews != len(got) || len(rep.Notes) != 0 {
		t.Fatalf("previews %v, report previews %d, notes %q", got, rep.Previews, rep.Notes)
	}
	for _, name := range []string{"1.png", "10.png", "2.png"} {
		data, err := os.ReadFile(filepath.Join(dir, "eakte", name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || max(cfg.Width, cfg.Height) != 320 {
			t.Errorf("%s: %v, %dx%d", name, err, cfg.Width, cfg.Height)
		}
	}
	for _, gone := range []string{"kaputt", "ohne", "weg"} {
		if p := pages(t, filepath.Join(dir, gone)); p != nil {
			t.Errorf("%s has previews %v", gone, p)
		}
	}

	// Unchanged decks are not rendered again.
	if rep := runPreviews(t, fsys, PreviewConfig{Dir: dir}); rep.Previews != 0 {
		t.Errorf("second run rendered %d previews", rep.Previews)
	}
	// A changed deck or size is.
	fsys["eakte.pdf"] = &fstest.MapFile{Data: testpdf.SampleDeck(t, "freifunk-gera")}
	if rep := runPreviews(t, fsys, PreviewConfig{Dir: dir, Size: 200}); rep.Previews == 0 || rep.Previews != len(pages(t, filepath.Join(dir, "eakte"))) {
		t.Errorf("changed deck: rendered %d", rep.Previews)
	}
}

func TestPreviewsWithoutPdftoppm(t *testing.T) {
	bin := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(bin, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		command string
		timeout time.Duration
		note    string
	}{
		{"missing", filepath.Join(bin, "fehlt"), 0, NotePreviewsUnavailable},
		{"fails", script("fails", "echo 'Syntax Error: broken' >&2; exit 1"), 0, ""},
		{"hangs", script("hangs", "exec sleep 30"), 300 * time.Millisecond, ""},
		{"writes nothing", script("nothing", "cat >/dev/null"), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "previews")
			began := time.Now()
			rep := runPreviews(t, previewCorpus(t), PreviewConfig{Dir: dir, Command: tt.command, Timeout: tt.timeout})
			if time.Since(began) > 20*time.Second {
				t.Errorf("took %s", time.Since(began))
			}
			var want []string
			if tt.note != "" {
				want = []string{tt.note}
			}
			if !slices.Equal(rep.Notes, want) || rep.Previews != 0 {
				t.Errorf("notes %q, previews %d; want notes %q", rep.Notes, rep.Previews, want)
			}
			if rep.Indexed != 3 {
				t.Errorf("indexed %d talks, want 3 despite the previews", rep.Indexed)
			}
			if p := pages(t, filepath.Join(dir, "eakte")); p != nil {
				t.Errorf("previews %v", p)
			}
			// No half-rendered folders are left behind; a deck that timed
			// out keeps only the record of it.
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if stamp, err := os.ReadFile(filepath.Join(dir, e.Name(), stampFile)); tt.timeout > 0 && err == nil && strings.HasSuffix(string(stamp), timedOutMark) {
					continue
				}
				t.Errorf("left %s in the previews folder", e.Name())
			}
		})
	}
}

// A deck whose previews time out is in the report's Limited list, and is
// not tried again until it changes or Force is given.
func TestPreviewTimeoutNotRetried(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "hangs")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "previews")
	pc := PreviewConfig{Dir: dir, Command: bin, Timeout: 2 * time.Second}
	fsys := previewCorpus(t)
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	run := func(force bool) *Report {
		rep, err := New(Config{Workers: 2, Previews: pc, Force: force}, ix, nil).Run(context.Background(), cat, fsys)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	limited := func(rep *Report) []string {
		var out []string
		for _, l := range rep.Limited {
			if strings.Contains(l.Reason, "previews took longer than 2s") {
				out = append(out, l.File)
			}
		}
		slices.Sort(out)
		return out
	}
	want := []string{"eakte.pdf"} // kaputt.pdf could not be read: no previews tried
	if got := limited(run(false)); !slices.Equal(got, want) {
		t.Errorf("first run: limited %q, want %q", got, want)
	}
	began := time.Now()
	if got := limited(run(false)); got != nil {
		t.Errorf("unchanged re-run: limited %q, want none (not retried)", got)
	}
	if d := time.Since(began); d > 1500*time.Millisecond {
		t.Errorf("unchanged re-run took %s: the previews were retried", d)
	}
	if got := limited(run(true)); !slices.Equal(got, want) {
		t.Errorf("forced run: limited %q, want %q", got, want)
	}
}

// TestPreviewsLowPriority checks that LowPriority runs pdftoppm under
// nice: a stand-in pdftoppm records the niceness it runs at, and the
// order of the decks it is given.
func TestPreviewsLowPriority(t *testing.T) {
	testenv.LookPath(t, "nice (Debian package coreutils) is not installed", "nice")
	bin := t.TempDir()
	log := filepath.Join(bin, "log")
	fake := filepath.Join(bin, "pdftoppm")
	// The last argument is the output prefix .../.render-*/p.
	body := `#!/bin/sh
cat >/dev/null
for last; do :; done
echo "$(nice)" >>` + log + `
: >"$last-1.png"
`
	if err := os.WriteFile(fake, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ low bool }{{false}, {true}} {
		os.Remove(log)
		dir := filepath.Join(t.TempDir(), "previews")
		rep := runPreviews(t, previewCorpus(t), PreviewConfig{Dir: dir, Command: fake, LowPriority: tt.low})
		got, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		// Niced, pdftoppm runs at 19 whatever the test runs at.
		if n := strings.TrimSpace(string(got)); tt.low != (n == "19") {
			t.Errorf("LowPriority %v: pdftoppm ran at niceness %q", tt.low, n)
		}
		if rep.Previews != 1 {
			t.Errorf("LowPriority %v: %d previews, want 1", tt.low, rep.Previews)
		}
	}
}

func TestNewestFirst(t *testing.T) {
	cat := &corpus.Catalogue{Events: []corpus.Event{{ID: "a", Year: 2018}, {ID: "b", Year: 2023}, {ID: "c", Year: 2020}}}
	talks := []corpus.Talk{{ID: "a1", EventID: "a"}, {ID: "b1", EventID: "b"}, {ID: "a2", EventID: "a"}, {ID: "c1", EventID: "c"}, {ID: "b2", EventID: "b"}}
	newestFirst(cat, talks)
	var got []string
	for _, t := range talks {
		got = append(got, t.ID)
	}
	if want := []string{"b1", "b2", "c1", "a1", "a2"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
