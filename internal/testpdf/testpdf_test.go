package testpdf

import (
	"bytes"
	"testing"
)

func TestFilesArePDFs(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files [][]byte
		min   int
	}{
		{"sample decks", SampleDecks(t), 19},
		{"walker fixtures", func() [][]byte {
			var out [][]byte
			for _, n := range FixtureNames(t) {
				out = append(out, Fixture(t, n))
			}
			return out
		}(), 10},
	} {
		if len(tt.files) < tt.min {
			t.Errorf("%s: %d files, want at least %d", tt.name, len(tt.files), tt.min)
		}
		for i, f := range tt.files {
			if !bytes.HasPrefix(f, []byte("%PDF-")) && !bytes.Contains(f[:min(len(f), 1024)], []byte("%PDF-")) {
				t.Errorf("%s: file %d does not start like a PDF", tt.name, i)
			}
		}
	}
}
