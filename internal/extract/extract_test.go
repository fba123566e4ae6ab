package extract

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/internal/pdftext/compare"
	"github.com/talksearch/talksearch/internal/testenv"
	"github.com/talksearch/talksearch/internal/testpdf"
)

// needOCR skips a test when tesseract with its German model or pdftoppm is
// missing, and fails it under TALKSEARCH_REQUIRE_TOOLS=1 (.ci/run installs
// them).
func needOCR(t *testing.T) {
	t.Helper()
	if !New(Config{DisableFallback: true}).CanOCR() {
		testenv.SkipOrFail(t, "OCR needs pdftoppm (poppler-utils), tesseract (tesseract-ocr) and its German model (tesseract-ocr-deu)")
	}
}

func needPdftotext(t *testing.T) {
	t.Helper()
	testenv.LookPath(t, "pdftotext (poppler-utils) is not installed", "pdftotext")
}

// TestOCRScannedPage reads scanned.pdf, whose first page is a bitmap of a
// slide: OCR must find its German words, umlauts and ß included, and the
// second page keeps its text layer.
func TestOCRScannedPage(t *testing.T) {
	needOCR(t)
	for _, isolate := range []bool{false, true} {
		ext := New(Config{Isolate: isolate, DisableFallback: true})
		doc, err := ext.Extract(context.Background(), testpdf.Fixture(t, "scanned"))
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Pages) != 2 || len(doc.Problems) > 0 {
			t.Fatalf("isolate=%v: pages %+v, problems %v", isolate, doc.Pages, doc.Problems)
		}
		p1, p2 := doc.Pages[0], doc.Pages[1]
		if p1.Extractor != OCR || p2.Extractor != Walker {
			t.Errorf("isolate=%v: extractors %q, %q; want ocr, %s", isolate, p1.Extractor, p2.Extractor, Walker)
		}
		have := compare.Counts(compare.Words(p1.Text))
		for _, w := range []string{"schulverwaltungsamt", "schulträger", "rechnungen", "elektronisch", "prüfung", "kämmerei", "pflichtaufgabe", "größere", "beträge", "amtsleitung"} {
			if have[w] == 0 {
				t.Errorf("isolate=%v: OCR text lacks %q:\n%s", isolate, w, p1.Text)
			}
		}
	}
}

// TestFallbackToPdftotext reads fallback.pdf, whose content streams use a
// filter the PDF library does not know: pdftotext reads it instead.
func TestFallbackToPdftotext(t *testing.T) {
	needPdftotext(t)
	data := testpdf.Fixture(t, "fallback")
	if _, err := extractBytes(data); !errors.Is(err, pdftext.ErrUnreadable) {
		t.Fatalf("walker: err = %v, want pdftext.ErrUnreadable (else the fixture tests nothing)", err)
	}
	for _, isolate := range []bool{false, true} {
		doc, err := New(Config{Isolate: isolate, DisableOCR: true}).Extract(context.Background(), data)
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
			if p.Extractor != Pdftotext || p.Number != i+1 || !strings.HasPrefix(p.Text, want[i]) {
				t.Errorf("isolate=%v: page %d = %+v, want pdftotext text starting %q", isolate, i+1, p, want[i])
			}
		}
	}
}

// TestFallbackForFailedPages damages the content of one page of a deck:
// pdftotext fills in that page, the walker keeps the others. It damages
// the streams of groff.pdf one at a time until one fails exactly one page;
// the fixture is fixed, so one always does, and if it changes so that none
// does, the test fails rather than testing nothing.
func TestFallbackForFailedPages(t *testing.T) {
	needPdftotext(t)
	data := testpdf.Fixture(t, "groff")
	for off := 0; ; off++ {
		i := strings.Index(string(data[off:]), "/FlateDecode")
		if i < 0 {
			t.Fatal("no damaged stream of groff.pdf fails exactly one page: the fixture changed, pick another")
		}
		off += i
		damaged := slices.Clone(data)
		copy(damaged[off:], "/LZWDecode  ")
		walked, err := extractBytes(damaged)
		if err != nil || len(walked.Failed) != 1 {
			continue
		}
		doc, err := New(Config{DisableOCR: true}).Extract(context.Background(), damaged)
		if err != nil {
			t.Fatal(err)
		}
		n := walked.Failed[0]
		for _, p := range doc.Pages {
			want := Walker
			if p.Number == n {
				want = Pdftotext
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
		{fmt.Errorf("indexer: extract a.pdf: %w: no page could be read", pdftext.ErrUnreadable), "the PDF is damaged or not a PDF: no page could be read"},
		{fmt.Errorf("indexer: extract a.pdf: %w: x", pdftext.ErrEncrypted), "the PDF is encrypted and cannot be read"},
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
