package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMixCoversCategories checks that the committed mix has every
// category the issue asks for, each with and without filters, and only
// filters the API knows.
func TestMixCoversCategories(t *testing.T) {
	mix, err := readMix("testdata/querymix.tsv")
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		cat      string
		filtered bool
	}
	seen := map[key]bool{}
	for _, q := range mix {
		seen[key{q.Category, len(q.Filters) > 0}] = true
		for f := range q.Filters {
			if f != "state" && f != "topic" && f != "speaker" {
				t.Errorf("%q: unknown filter %q", q.Text, f)
			}
		}
		if !strings.HasPrefix(q.path(), "/api/v1/search?") || q.query().Text != q.Text {
			t.Errorf("%q: path %s", q.Text, q.path())
		}
	}
	for _, cat := range []string{"word", "compound", "phrase", "words", "typo", "question"} {
		for _, filtered := range []bool{false, true} {
			if !seen[key{cat, filtered}] {
				t.Errorf("the mix has no %s query with filtered=%v", cat, filtered)
			}
		}
	}
	for _, q := range mix {
		if q.Category == "words" {
			if n := len(strings.Fields(q.Text)); n < 3 || n > 8 {
				t.Errorf("%q has %d words, want 3 to 8", q.Text, n)
			}
		}
	}
}

func TestReadMixErrors(t *testing.T) {
	for _, tt := range []struct{ name, content string }{
		{"empty", "# nur ein Kommentar\n"},
		{"two fields", "word\tVerwaltung\n"},
		{"bad filter", "word\tVerwaltung\tstate=%zz\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "mix.tsv")
			os.WriteFile(f, []byte(tt.content), 0o644)
			if _, err := readMix(f); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestIntList(t *testing.T) {
	if got, err := intList("1000, 10000"); err != nil || len(got) != 2 || got[1] != 10000 {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "10k", "1,,2"} {
		if _, err := intList(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
