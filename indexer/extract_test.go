package indexer

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/internal/testenv"
	"github.com/talksearch/talksearch/internal/testpdf"
	"github.com/talksearch/talksearch/search"
)

// TestMain makes the test binary an extraction child when an isolated
// extraction (extract.Config.Isolate) starts it.
func TestMain(m *testing.M) {
	if extract.ChildRequested() {
		os.Exit(extract.ServeChild(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// needOCR skips a test when tesseract with its German model or pdftoppm is
// missing, and fails it under TALKSEARCH_REQUIRE_TOOLS=1 (.ci/run installs
// them).
func needOCR(t *testing.T) {
	t.Helper()
	if !extract.New(extract.Config{DisableFallback: true}).CanOCR() {
		testenv.SkipOrFail(t, "OCR needs pdftoppm (poppler-utils), tesseract (tesseract-ocr) and its German model (tesseract-ocr-deu)")
	}
}

func needPdftotext(t *testing.T) {
	t.Helper()
	testenv.LookPath(t, "pdftotext (poppler-utils) is not installed", "pdftotext")
}

// TestRunOCRReport indexes the scanned deck: the report lists the OCR'd
// page and the page is searchable.
func TestRunOCRReport(t *testing.T) {
	needOCR(t)
	fsys := fstest.MapFS{"scan.pdf": {Data: testpdf.Fixture(t, "scanned")}}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	rep, err := New(Config{Extract: extract.Config{Isolate: true}}, ix, nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []FilePages{{Talk: "scan", File: "scan.pdf", Pages: []int{1}, Reason: "no text layer"}}
	if !slices.EqualFunc(rep.OCR, want, equalFilePages) || rep.EmptyPages != 0 || len(rep.Notes) != 0 {
		t.Errorf("report = %+v", rep)
	}
	res, err := ix.Search(context.Background(), search.Query{Text: "Kämmerei Pflichtaufgabe"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || len(res.Talks[0].Slides) == 0 || res.Talks[0].Slides[0].Page != 1 {
		t.Errorf("OCR'd page not found: %+v", res.Talks)
	}
}

// TestRunWithoutOCR pretends tesseract is missing: the report says so once,
// lists the pages left without text, and indexes everything else.
func TestRunWithoutOCR(t *testing.T) {
	fsys := fstest.MapFS{
		"scan-a.pdf": {Data: testpdf.Fixture(t, "scanned")},
		"scan-b.pdf": {Data: testpdf.Fixture(t, "scan")},
	}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Extract: extract.Config{Tesseract: "/nonexistent/tesseract"}}
	rep, err := New(cfg, openIndex(t), nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(rep.Notes, "\n"), extract.NoteOCRUnavailable); n != 1 {
		t.Errorf("notes %q: want the OCR note once", rep.Notes)
	}
	want := []FilePages{
		{Talk: "scan-a", File: "scan-a.pdf", Pages: []int{1}, Reason: "no text layer, and OCR is not available"},
		{Talk: "scan-b", File: "scan-b.pdf", Pages: []int{1, 2}, Reason: "no text layer, and OCR is not available"},
	}
	got := slices.Clone(rep.NoText)
	slices.SortFunc(got, func(a, b FilePages) int { return strings.Compare(a.File, b.File) })
	if !slices.EqualFunc(got, want, equalFilePages) || rep.EmptyPages != 3 || len(rep.OCR) != 0 || len(rep.Failed) != 0 {
		t.Errorf("report = %+v", rep)
	}
}

func equalFilePages(a, b FilePages) bool {
	return a.Talk == b.Talk && a.File == b.File && a.Reason == b.Reason && slices.Equal(a.Pages, b.Pages)
}

func TestRunFallbackReport(t *testing.T) {
	needPdftotext(t)
	fsys := fstest.MapFS{"haushalt.pdf": {Data: testpdf.Fixture(t, "fallback")}}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	rep, err := New(Config{Extract: extract.Config{Isolate: true}}, ix, nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Fallback) != 1 || !slices.Equal(rep.Fallback[0].Pages, []int{1, 2}) ||
		!strings.HasPrefix(rep.Fallback[0].Reason, "the PDF library could not read the file: ") || len(rep.Failed) != 0 || rep.Pages != 2 {
		t.Errorf("report = %+v", rep)
	}
	res, err := ix.Search(context.Background(), search.Query{Text: "Vergabebüro"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Errorf("fallback text not indexed: %+v", res)
	}

	// Without pdftotext the file fails with the walker's reason.
	rep, err = New(Config{Force: true, Extract: extract.Config{Pdftotext: "/nonexistent/pdftotext"}}, ix, nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Reason, "damaged") || !slices.Contains(rep.Notes, extract.NoteNoFallback) {
		t.Errorf("report without pdftotext = %+v", rep)
	}
}
