package indexer

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/search"
)

// needOCR skips a test when tesseract with its German model or pdftoppm is
// missing; .ci/run installs them.
func needOCR(t *testing.T) {
	t.Helper()
	if !NewExtractor(ExtractConfig{DisableFallback: true}).CanOCR() {
		t.Skip("OCR needs pdftoppm (poppler-utils), tesseract (tesseract-ocr) and its German model (tesseract-ocr-deu)")
	}
}

func needPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
}

// TestOCRScannedPage reads scanned.pdf, whose first page is a bitmap of a
// slide: OCR must find its German words, umlauts and ß included, and the
// second page keeps its text layer.
func TestOCRScannedPage(t *testing.T) {
	needOCR(t)
	for _, isolate := range []bool{false, true} {
		ext := NewExtractor(ExtractConfig{Isolate: isolate, DisableFallback: true})
		doc, err := ext.Extract(context.Background(), readFixture(t, "scanned"))
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Pages) != 2 || len(doc.Problems) > 0 {
			t.Fatalf("isolate=%v: pages %+v, problems %v", isolate, doc.Pages, doc.Problems)
		}
		p1, p2 := doc.Pages[0], doc.Pages[1]
		if p1.Extractor != ExtractorOCR || p2.Extractor != ExtractorWalker {
			t.Errorf("isolate=%v: extractors %q, %q; want ocr, %s", isolate, p1.Extractor, p2.Extractor, ExtractorWalker)
		}
		have := counts(words(p1.Text))
		for _, w := range []string{"schulverwaltungsamt", "schulträger", "rechnungen", "elektronisch", "prüfung", "kämmerei", "pflichtaufgabe", "größere", "beträge", "amtsleitung"} {
			if have[w] == 0 {
				t.Errorf("isolate=%v: OCR text lacks %q:\n%s", isolate, w, p1.Text)
			}
		}
	}
}

// TestRunOCRReport indexes the scanned deck: the report lists the OCR'd
// page and the page is searchable.
func TestRunOCRReport(t *testing.T) {
	needOCR(t)
	fsys := fstest.MapFS{"scan.pdf": {Data: readFixture(t, "scanned")}}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	rep, err := New(Config{Extract: ExtractConfig{Isolate: true}}, ix, nil).Run(context.Background(), cat, fsys)
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
		"scan-a.pdf": {Data: readFixture(t, "scanned")},
		"scan-b.pdf": {Data: readFixture(t, "scan")},
	}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Extract: ExtractConfig{Tesseract: "/nonexistent/tesseract"}}
	rep, err := New(cfg, openIndex(t), nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(rep.Notes, "\n"), NoteOCRUnavailable); n != 1 {
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

// TestFallbackToPdftotext reads fallback.pdf, whose content streams use a
// filter the PDF library does not know: pdftotext reads it instead.
func TestFallbackToPdftotext(t *testing.T) {
	needPdftotext(t)
	data := readFixture(t, "fallback")
	if _, err := extractBytes(data); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("walker: err = %v, want ErrUnreadable (else the fixture tests nothing)", err)
	}
	for _, isolate := range []bool{false, true} {
		doc, err := NewExtractor(ExtractConfig{Isolate: isolate, DisableOCR: true}).Extract(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Pages) != 2 || !strings.Contains(doc.Fallback, "unreadable pdf") {
			t.Fatalf("isolate=%v: %+v", isolate, doc)
		}
		want := []string{
			"Haushaltsplanung im Landratsamt\nDie Kämmerei prüft die Zuschüsse für den Straßenbau.",
			"Übergabe an die Fachämter\nÖffentliche Ausschreibung über die Vergabeplattform.\nGemäß Richtlinie endet die Frist am 30. Juni.",
		}
		for i, p := range doc.Pages {
			if p.Extractor != ExtractorPdftotext || p.Number != i+1 || !strings.HasPrefix(p.Text, want[i]) {
				t.Errorf("isolate=%v: page %d = %+v, want pdftotext text starting %q", isolate, i+1, p, want[i])
			}
		}
	}
}

func TestRunFallbackReport(t *testing.T) {
	needPdftotext(t)
	fsys := fstest.MapFS{"haushalt.pdf": {Data: readFixture(t, "fallback")}}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	rep, err := New(Config{Extract: ExtractConfig{Isolate: true}}, ix, nil).Run(context.Background(), cat, fsys)
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
	rep, err = New(Config{Force: true, Extract: ExtractConfig{Pdftotext: "/nonexistent/pdftotext"}}, ix, nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Reason, "damaged") || !slices.Contains(rep.Notes, NoteNoFallback) {
		t.Errorf("report without pdftotext = %+v", rep)
	}
}

// TestFallbackForFailedPages damages the content of one page of a deck:
// pdftotext fills in that page, the walker keeps the others.
func TestFallbackForFailedPages(t *testing.T) {
	needPdftotext(t)
	data := readFixture(t, "groff")
	for off := 0; ; off++ {
		i := strings.Index(string(data[off:]), "/FlateDecode")
		if i < 0 {
			t.Skip("no stream whose damage fails a single page")
		}
		off += i
		damaged := slices.Clone(data)
		copy(damaged[off:], "/LZWDecode  ")
		walked, err := extractBytes(damaged)
		if err != nil || len(walked.Failed) != 1 {
			continue
		}
		doc, err := NewExtractor(ExtractConfig{DisableOCR: true}).Extract(context.Background(), damaged)
		if err != nil {
			t.Fatal(err)
		}
		n := walked.Failed[0]
		for _, p := range doc.Pages {
			want := ExtractorWalker
			if p.Number == n {
				want = ExtractorPdftotext
			}
			if p.Extractor != want {
				t.Errorf("page %d extractor %q, want %q", p.Number, p.Extractor, want)
			}
		}
		// The damaged stream is not valid LZW either, so poppler may read
		// little of the page; what matters is that it was asked.
		return
	}
}

func TestReasonWording(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&limitError{kind: ErrTimedOut, what: "extraction", limit: roundDuration(60 * time.Second)}, "extraction took longer than 60s and was stopped"},
		{&limitError{kind: ErrTimedOut, what: "OCR of page 3", limit: roundDuration(1500 * time.Millisecond)}, "OCR of page 3 took longer than 1.5s and was stopped"},
		{&limitError{kind: ErrOutOfMemory, what: "extraction", limit: "1024 MB"}, "extraction needed more than 1024 MB and was stopped"},
		{fmt.Errorf("indexer: extract a.pdf: %w", &crashError{"panic: boom (exit status 2)"}), "extraction crashed: panic: boom (exit status 2)"},
		{fmt.Errorf("indexer: extract a.pdf: %w: no page could be read", ErrUnreadable), "the PDF is damaged or not a PDF: no page could be read"},
		{fmt.Errorf("indexer: extract a.pdf: %w: x", ErrEncrypted), "the PDF is encrypted and cannot be read"},
	}
	for _, tt := range tests {
		if got := Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if got := roundDuration(300 * time.Millisecond); got != "300ms" {
		t.Errorf("roundDuration(300ms) = %q", got)
	}
}
