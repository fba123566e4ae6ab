// Package testpdf gives tests the PDF files that several packages read:
// the text walker's fixtures (internal/pdftext/testdata/pdf, made by real
// producers, see make.sh there) and the slide decks of the bundled sample
// corpus. It finds them from its own source file, so a test in any
// package reads the same files without a path of its own.
//
// It is imported by tests only and imports nothing of talksearch.
package testpdf

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// root is the module's root folder, from this file's location.
func root(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("testpdf: cannot locate the source tree")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// FixtureDir is the folder of the text walker's PDF fixtures.
func FixtureDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(root(tb), "internal", "pdftext", "testdata", "pdf")
}

// Fixture returns the fixture name (without .pdf).
func Fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	return read(tb, filepath.Join(FixtureDir(tb), name+".pdf"))
}

// FixtureNames lists the fixtures, without .pdf, sorted.
func FixtureNames(tb testing.TB) []string {
	tb.Helper()
	return names(tb, FixtureDir(tb))
}

// SampleDir is the folder of the bundled sample corpus's decks.
func SampleDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(root(tb), "corpus", "sample", "itf2018", "slides")
}

// SampleDeck returns the slide deck of the sample talk id.
func SampleDeck(tb testing.TB, id string) []byte {
	tb.Helper()
	return read(tb, filepath.Join(SampleDir(tb), id+".pdf"))
}

// SampleDecks returns every slide deck of the sample corpus, sorted by
// talk id.
func SampleDecks(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, id := range names(tb, SampleDir(tb)) {
		out = append(out, SampleDeck(tb, id))
	}
	return out
}

func read(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("testpdf: %v", err)
	}
	return data
}

// names lists the PDFs of dir without .pdf; none is an error.
func names(tb testing.TB, dir string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("testpdf: no PDFs in %s (%v)", dir, err)
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = strings.TrimSuffix(filepath.Base(f), ".pdf")
	}
	return out
}
