package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckHeldout proves, for every held-out suite, that a corpus without
// its stamp, or with fewer PDFs than the stamp counts, is an error that
// names the fix.
func TestCheckHeldout(t *testing.T) {
	for _, h := range heldoutSuites() {
		t.Run(h.Name, func(t *testing.T) { checkHeldoutCorpus(t, h) })
	}
}

// checkHeldoutCorpus runs TestCheckHeldout's cases for one suite.
func checkHeldoutCorpus(t *testing.T, h heldoutSuite) {
	if _, err := os.Stat(filepath.Join("..", "..", h.Script)); err != nil {
		t.Errorf("the fix names %s: %v", h.Script, err)
	}
	heldoutStamp := h.Stamp
	tests := []struct {
		name    string
		files   map[string]string
		wantErr bool
	}{
		{"missing folder", nil, true},
		{"no stamp", map[string]string{"a.pdf": "x"}, true},
		{"stamp without count", map[string]string{"a.pdf": "x", heldoutStamp: "package: p 1\n"}, true},
		{"a PDF missing", map[string]string{"a.pdf": "x", heldoutStamp: "count: 2\n"}, true},
		{"complete", map[string]string{"a.pdf": "x", "b.pdf": "y", heldoutStamp: "package: p 1\ncount: 2\n"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "corpus")
			if tt.files != nil {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := h.check(dir)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("check: %v", err)
				}
				return
			}
			if !errors.Is(err, errNoHeldout) {
				t.Fatalf("check = %v, want errNoHeldout", err)
			}
			if want := "build it with " + h.Script + " " + dir; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		})
	}
}

// TestValidateQueriesSplits checks the split rules: dev or test on the
// held-out suite, none on the sample suite; and each suite's categories.
func TestValidateQueriesSplits(t *testing.T) {
	q := func(category, split string) query {
		return query{ID: "q", Text: "Druckbereich", Category: category, Split: split, Relevant: judgments{"p": 2}, Note: "n"}
	}
	tests := []struct {
		name    string
		splits  bool
		cats    []string
		q       query
		wantErr string
	}{
		{"held-out dev", true, heldoutCategories, q("spelling", splitDev), ""},
		{"held-out test", true, heldoutCategories, q("spelling", splitTest), ""},
		{"held-out without split", true, heldoutCategories, q("spelling", ""), `split is ""`},
		{"held-out other split", true, heldoutCategories, q("spelling", "train"), `split is "train"`},
		{"held-out sample category", true, heldoutCategories, q("umlaut", splitDev), `unknown category "umlaut"`},
		{"sample with split", false, sampleCategories, q("umlaut", splitDev), "has no splits"},
		{"sample", false, sampleCategories, q("umlaut", ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &suite{Name: "x", Categories: tt.cats, Splits: tt.splits, Queries: []query{tt.q}}
			err := validateQueries(s)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("validateQueries: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("validateQueries = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestZeroResultRegression checks that more zero-result queries than the
// baseline records is a regression, fewer an improvement, and that a
// baseline without the count does not check it.
func TestZeroResultRegression(t *testing.T) {
	mk := func(totals ...int) *run {
		r := &run{Analysis: "german", Order: []string{"typo"}}
		for _, n := range totals {
			r.Results = append(r.Results, result{query: query{ID: "q", Category: "typo"}, Total: n})
		}
		r.Categories, r.Overall = summarize(r.Results)
		return r
	}
	base := newBaseline(mk(0, 3))
	if *base.ZeroResults != 1 {
		t.Fatalf("baseline zero_results = %d, want 1", *base.ZeroResults)
	}
	if got := regressions(base, mk(3, 0)); len(got) != 0 {
		t.Errorf("as many zero results regressed: %q", got)
	}
	if got := regressions(base, mk(0, 0)); len(got) != 1 || !strings.Contains(got[0], "2 queries find no talk, the baseline records 1") {
		t.Errorf("more zero results: regressions = %q", got)
	}
	if got := improvements(base, mk(1, 1)); len(got) != 1 || !strings.Contains(got[0], "zero results: 0 < 1") {
		t.Errorf("fewer zero results: improvements = %q", got)
	}
	base.ZeroResults = nil
	if got := regressions(base, mk(0, 0)); len(got) != 0 {
		t.Errorf("a baseline without zero_results checked them: %q", got)
	}
}
