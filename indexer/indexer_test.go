package indexer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/internal/testpdf"
	"github.com/talksearch/talksearch/search"
)

func openIndex(tb testing.TB) *search.Index {
	tb.Helper()
	ix, err := search.Open(tb.TempDir() + "/index")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func TestRunReportsBrokenFilesAndIndexesTheRest(t *testing.T) {
	good := testpdf.SampleDeck(t, "workshop-e-rechnung")
	fsys := fstest.MapFS{
		"manifest.json": {Data: []byte(`{"event": {"id": "itf2018", "name": "4. Mitteldeutscher IT-Fachtag", "year": 2018},
		  "talks": [
		    {"id": "e-rechnung", "title": "Workshop E-Rechnung", "kind": "Workshop", "states": ["Thüringen"], "topics": ["E-Rechnung"],
		     "files": {"slides": "e-rechnung.pdf", "transcript": "e-rechnung.vtt"}},
		    {"id": "kaputt", "title": "Abgeschnittener Foliensatz", "states": ["Sachsen"], "files": {"slides": "kaputt.pdf"}},
		    {"id": "muell", "title": "Kein PDF", "files": {"slides": "muell.pdf"}}
		  ]}`)},
		"e-rechnung.pdf": {Data: good},
		"e-rechnung.vtt": {Data: []byte("WEBVTT\n\n00:12:34.000 --> 00:12:40.000\nDie Übertragungswege für Rechnungen\n")},
		"kaputt.pdf":     {Data: good[:len(good)/3]},
		"muell.pdf":      {Data: []byte("<html>Das ist keine PDF-Datei</html>")},
	}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	in := New(Config{Workers: 2}, ix, nil)
	rep, err := in.Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Talks != 3 || rep.Indexed != 3 || rep.Pages < 8 || rep.Segments != 1 {
		t.Errorf("report = %+v", rep)
	}
	failed := map[string]string{}
	for _, f := range rep.Failed {
		failed[f.File] = f.Reason
	}
	if len(failed) != 2 || !strings.Contains(failed["kaputt.pdf"], "damaged") || !strings.Contains(failed["muell.pdf"], "not a PDF") {
		t.Errorf("failed = %v", rep.Failed)
	}

	ctx := context.Background()
	res, err := ix.Search(ctx, search.Query{Text: "Rechnungen"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Talks[0].ID != "e-rechnung" || len(res.Talks[0].Slides) == 0 {
		t.Fatalf("Rechnungen found %+v", res.Talks)
	}
	seg := res.Talks[0].Segments
	if len(seg) != 1 || seg[0].Start != 754 {
		t.Errorf("transcript segment = %+v, want start 754", seg)
	}
	// The talk with the broken deck is still findable by its metadata.
	res, _ = ix.Search(ctx, search.Query{Text: "abgeschnittener Foliensatz"})
	if res.Total != 1 || res.Talks[0].ID != "kaputt" {
		t.Errorf("broken talk not findable by title: %+v", res.Talks)
	}

	// Second run: the good talk is skipped, the failed ones are retried.
	rep, err = in.Run(ctx, cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 1 || rep.Indexed != 2 || len(rep.Failed) != 2 {
		t.Errorf("second run = %+v", rep)
	}

	// A talk leaving the catalogue leaves the index.
	cat.Talks = cat.Talks[:1]
	rep, err = in.Run(ctx, cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Removed != 2 || rep.Skipped != 1 {
		t.Errorf("third run = %+v", rep)
	}
	if ids, _ := ix.TalkIDs(ctx); len(ids) != 1 {
		t.Errorf("talks left = %v", ids)
	}
}

func TestRunTitleFromPDFMetadata(t *testing.T) {
	fsys := fstest.MapFS{"Vortrag_Dresden.pdf": {Data: testpdf.SampleDeck(t, "earchiv-dresden")}}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	if _, err := New(Config{}, ix, nil).Run(context.Background(), cat, fsys); err != nil {
		t.Fatal(err)
	}
	tk, err := ix.Talk(context.Background(), "Vortrag_Dresden")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Title != "Das eArchiv der Landeshauptstadt Dresden" {
		t.Errorf("title = %q, want the PDF's metadata title", tk.Title)
	}
}

// TestSampleDecksReadCorrectly checks that every bundled deck extracts with
// its words separated and its umlauts intact, compared with the source.
func TestSampleDecksReadCorrectly(t *testing.T) {
	cat, err := corpus.Load(corpus.Sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range cat.Talks {
		t.Run(tk.ID, func(t *testing.T) {
			data := testpdf.SampleDeck(t, tk.ID)
			doc, err := pdftext.Extract(strings.NewReader(string(data)), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, p := range doc.Pages {
				got.WriteString(p.Text)
				got.WriteString("\n")
			}
			have := map[string]int{}
			for _, w := range sampleWords(got.String()) {
				have[w]++
			}
			src, err := fs.ReadFile(testSourceFS, tk.ID+".md")
			if err != nil {
				t.Fatal(err)
			}
			want := sampleWords(stripMarkup(string(src)))
			missing := 0
			var examples []string
			for _, w := range want {
				if have[w] > 0 {
					have[w]--
					continue
				}
				missing++
				if len(examples) < 8 {
					examples = append(examples, w)
				}
			}
			if recall := 1 - float64(missing)/float64(len(want)); recall < 0.99 {
				t.Errorf("word recall %.3f (%d of %d source words missing, e.g. %q)", recall, missing, len(want), examples)
			}
		})
	}
}

// testSourceFS holds the sources the sample decks were generated from.
var testSourceFS = os.DirFS("../corpus/sample/src")

// stripMarkup removes the deck source format's markers (headings, bullets,
// table bars, notes and slide separators), leaving the words a slide shows.
func stripMarkup(src string) string {
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		l := strings.TrimSpace(line)
		if l == "---" {
			continue
		}
		for _, p := range []string{"# ", "- ", "> "} {
			l = strings.TrimPrefix(l, p)
		}
		b.WriteString(strings.ReplaceAll(l, "|", " "))
		b.WriteString("\n")
	}
	return b.String()
}

// sampleWords splits text into lower-case words of letters and digits.
func sampleWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func TestRunReportsCatalogueProblems(t *testing.T) {
	fsys := fstest.MapFS{
		"manifest.json": {Data: []byte(`{"event": {"id": "itf2018", "name": "4. Mitteldeutscher IT-Fachtag", "year": 2018},
		  "talks": [
		    {"id": "gut", "title": "Ohne Folien, aber gültig", "states": ["Sachsen"]},
		    {"id": "atlantis", "title": "Aus Atlantis", "states": ["Atlantis"]},
		    {"id": "gut", "title": "Doppelt vergeben"}
		  ]}`)},
	}
	cat, err := corpus.Load(fsys)
	var verr *corpus.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Load: %v, want a ValidationError", err)
	}
	rep, err := New(Config{Workers: 1}, openIndex(t), nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Catalogue) != len(verr.Problems) || len(rep.Catalogue) < 2 {
		t.Fatalf("report names %d catalogue problems, Load found %d: %+v", len(rep.Catalogue), len(verr.Problems), rep.Catalogue)
	}
	var text []string
	for _, p := range rep.Catalogue {
		if p.File != "manifest.json" || p.Problem == "" {
			t.Errorf("problem without file or text: %+v", p)
		}
		text = append(text, p.Field+": "+p.Problem)
	}
	joined := strings.Join(text, "\n")
	if !strings.Contains(joined, "Atlantis") || !strings.Contains(joined, "gut") {
		t.Errorf("problems do not name the unknown state and the duplicate id:\n%s", joined)
	}
}
