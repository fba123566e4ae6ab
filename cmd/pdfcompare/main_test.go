package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/internal/testenv"
)

func TestMain(m *testing.M) {
	if extract.ChildRequested() {
		os.Exit(extract.ServeChild(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

func TestCompareOne(t *testing.T) {
	testenv.LookPath(t, "pdftotext (poppler-utils) is not installed", "pdftotext")
	ext := extract.New(extract.Config{Isolate: true, DisableOCR: true, DisableFallback: true})
	defer ext.Close()
	tests := []struct {
		file   string
		status string
	}{
		{"lualatex.pdf", statusOK},
		{"fallback.pdf", statusRejected},      // only pdftotext reads it
		{"encrypted-rc4.pdf", statusNoRef},    // nobody reads it without the password
		{"encrypted-aes256.pdf", statusNoRef}, // the same
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join("..", "..", "internal", "pdftext", "testdata", "pdf", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		r := compareOne(ext, input{group: "fixtures", name: tt.file, data: data}, 30*time.Second)
		if r.status != tt.status {
			t.Errorf("%s: status %q (%s), want %q", tt.file, r.status, r.detail, tt.status)
		}
		if tt.status == statusOK && (r.cmp.Recall() < 0.97 || len(r.cmp.Glued) > 0 || r.pages != 1) {
			t.Errorf("%s: recall %.4f, glued %v, pages %d", tt.file, r.cmp.Recall(), r.cmp.Glued, r.pages)
		}
		if tt.status == statusRejected && r.cmp.Recall() != 0 {
			t.Errorf("%s: a rejected file must count as recall 0, not %.4f", tt.file, r.cmp.Recall())
		}
	}
}
