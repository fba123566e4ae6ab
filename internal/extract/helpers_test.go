package extract

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/internal/pdftext"
)

// fixtureDir holds the PDF fixtures of the text walker; the extraction
// tests use the same files (make.sh there says how each was made).
const fixtureDir = "../pdftext/testdata/pdf"

// sampleDir is the bundled sample corpus, read from its folder: this
// package imports nothing of talksearch but internal/pdftext.
const sampleDir = "../../corpus/sample/itf2018"

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name+".pdf"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// fixtureNames lists the fixtures, without .pdf.
func fixtureNames(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.pdf"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("fixtures: %v (%d files)", err, len(files))
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(filepath.Base(f), ".pdf")
	}
	return names
}

// extractBytes runs the text walker alone, in-process.
func extractBytes(data []byte) (*pdftext.Document, error) {
	return pdftext.Extract(bytes.NewReader(data), int64(len(data)))
}

// samplePDF returns the slide deck of the sample talk id.
func samplePDF(tb testing.TB, id string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(sampleDir, "slides", id+".pdf"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// sampleDecks returns the slide decks of the bundled sample corpus.
func sampleDecks(tb testing.TB) [][]byte {
	tb.Helper()
	sample := os.DirFS(sampleDir)
	files, err := fs.Glob(sample, "slides/*.pdf")
	if err != nil || len(files) == 0 {
		tb.Fatalf("sample decks: %v (%d files)", err, len(files))
	}
	var out [][]byte
	for _, f := range files {
		data, err := fs.ReadFile(sample, f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}
