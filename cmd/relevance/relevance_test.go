package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/testenv"
	"github.com/talksearch/talksearch/search"
)

// Sizes the sample suite must keep (issue 4 asks for at least 60
// queries); the held-out suites say theirs (heldoutSuite.Min).
const (
	minQueries          = 70
	minPerCategory      = 8
	minExactPerCategory = 3
)

// TestQueries checks the judged queries of every suite: well-formed,
// every judged talk in the corpus (for a held-out suite only when its
// corpus is built), and enough queries in every category and split.
func TestQueries(t *testing.T) {
	t.Run(suiteSample, func(t *testing.T) {
		s, err := loadSample("")
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Queries) < minQueries {
			t.Errorf("%d queries, want at least %d", len(s.Queries), minQueries)
		}
		count := map[string]int{}
		for _, q := range s.Queries {
			count[q.Category]++
		}
		for _, c := range sampleCategories {
			want := minPerCategory
			if c == "exact" {
				want = minExactPerCategory
			}
			if count[c] < want {
				t.Errorf("category %s has %d queries, want at least %d", c, count[c], want)
			}
		}
	})
	for _, h := range heldoutSuites() {
		t.Run(h.Name, func(t *testing.T) { checkHeldoutQueries(t, h) })
	}
}

// checkHeldoutQueries checks a held-out suite's queries: well-formed,
// every judged talk in the corpus when it is built, and enough queries in
// every category and split.
func checkHeldoutQueries(t *testing.T, h heldoutSuite) {
	qs, err := parseQueries(h.Queries)
	if err != nil {
		t.Fatal(err)
	}
	s := &suite{Name: h.Name, Categories: heldoutCategories, Splits: true, Queries: qs}
	if h.check(h.Dir) == nil {
		if s.Catalogue, err = corpus.Load(os.DirFS(h.Dir)); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Logf("talk ids not checked: corpus missing, %s", h.fix(h.Dir))
	}
	if err := validateQueries(s); err != nil {
		t.Fatal(err)
	}
	if len(qs) < h.Min.Total {
		t.Errorf("%d queries, want at least %d", len(qs), h.Min.Total)
	}
	count := map[string]int{}
	for _, q := range qs {
		count[q.Category]++
		count[q.Category+"/"+q.Split]++
	}
	for _, c := range heldoutCategories {
		if count[c] < h.Min.PerCategory {
			t.Errorf("category %s has %d queries, want at least %d", c, count[c], h.Min.PerCategory)
		}
		for _, sp := range []string{splitDev, splitTest} {
			if n := count[c+"/"+sp]; n < h.Min.PerSplit {
				t.Errorf("category %s has %d %s queries, want at least %d", c, n, sp, h.Min.PerSplit)
			}
		}
	}
}

// TestRelevanceBaseline indexes each suite's corpus with the German chain,
// runs its queries and fails when the overall nDCG@10 or that of any
// category falls more than tolerance below the table's baseline, or when
// more queries find nothing than it records. A held-out corpus is
// indexed once for both halves; without it those subtests skip (fail under
// TALKSEARCH_REQUIRE_TOOLS=1).
// After a change that is meant to move the figures, rewrite the baselines
// with go run ./cmd/relevance -write-baseline and commit them.
//
// The baselines are measured with the thesaurus installed
// (search.DefaultThesaurusFile); without it the test skips (fails under
// TALKSEARCH_REQUIRE_TOOLS=1).
func TestRelevanceBaseline(t *testing.T) {
	th, err := search.LoadThesaurus(search.DefaultThesaurusFile)
	if errors.Is(err, fs.ErrNotExist) {
		testenv.SkipOrFail(t, "thesaurus missing (apt-get install openthesaurus-de-text): "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	opt := search.Options{Analysis: search.AnalysisGerman, Thesaurus: th}
	t.Run(suiteSample, func(t *testing.T) {
		s, err := loadSample("")
		if err != nil {
			t.Fatal(err)
		}
		r, err := measure(context.Background(), opt, filepath.Join(t.TempDir(), "index"), s)
		if err != nil {
			t.Fatal(err)
		}
		holdsBaseline(t, baselineFile, r)
	})
	for _, h := range heldoutSuites() {
		t.Run(h.Name, func(t *testing.T) {
			s, err := h.load(h.Dir, splitBoth)
			if errors.Is(err, errNoHeldout) {
				testenv.SkipOrFail(t, h.Name+" corpus missing: "+h.fix(h.Dir))
			}
			if err != nil {
				t.Fatal(err)
			}
			r, err := measure(context.Background(), opt, filepath.Join(t.TempDir(), "index"), s)
			if err != nil {
				t.Fatal(err)
			}
			for _, sp := range []string{splitDev, splitTest} {
				t.Run(sp, func(t *testing.T) {
					holdsBaseline(t, splitBaselineFile(h.Name, sp), splitRun(r, sp))
				})
			}
		})
	}
}

// holdsBaseline fails tb when r falls below the baseline in path.
func holdsBaseline(tb testing.TB, path string, r *run) {
	tb.Helper()
	b, err := readBaseline(path)
	if err != nil {
		tb.Fatal(err)
	}
	var table bytes.Buffer
	printTable(&table, r)
	printZeroResults(&table, []*run{r}, true)
	tb.Logf("\n%s", table.String())
	for _, l := range improvements(b, r) {
		tb.Logf("above the baseline, lock it in with go run ./cmd/relevance -write-baseline: %s", l)
	}
	if regress := regressions(b, r); len(regress) > 0 {
		var fails bytes.Buffer
		printFailures(&fails, r)
		tb.Errorf("search quality fell below %s:\n  %s\n\n%s", path, strings.Join(regress, "\n  "), fails.String())
	}
}

// TestReadBaselineNeverFailsOpen proves that a baseline that is missing,
// empty or incomplete is an error, not a pass.
func TestReadBaselineNeverFailsOpen(t *testing.T) {
	tests := []struct {
		name    string
		content *string // nil: no file
		wantErr string
	}{
		{"missing file", nil, "read baseline"},
		{"empty file", ptr(""), "unexpected end of JSON"},
		{"empty object", ptr("{}"), "no overall figure"},
		{"no categories", ptr(`{"analysis":"german","metric":"ndcg@10","queries":1,"overall":0.5,"categories":{}}`), "no categories"},
		{"category without figure", ptr(`{"analysis":"german","metric":"ndcg@10","queries":1,"overall":0.5,"categories":{"typo":null}}`), `category "typo" has no figure`},
		{"stock figures", ptr(`{"analysis":"stock","metric":"ndcg@10","queries":1,"overall":0.5,"categories":{"typo":0.5}}`), `analysis is "stock"`},
		{"other metric", ptr(`{"analysis":"german","metric":"mrr","queries":1,"overall":0.5,"categories":{"typo":0.5}}`), `metric is "mrr"`},
		{"valid", ptr(`{"analysis":"german","metric":"ndcg@10","queries":1,"overall":0,"categories":{"typo":0}}`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "baseline.json")
			if tt.content != nil {
				if err := os.WriteFile(path, []byte(*tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := readBaseline(path)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("readBaseline: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("readBaseline = %+v, want an error containing %q", b, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("readBaseline error %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestBaselineRoundTrip writes a baseline from a run and reads it back.
func TestBaselineRoundTrip(t *testing.T) {
	r := fakeRun(map[string]float64{"typo": 0.123456, "umlaut": 1}, 0.5)
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := writeBaseline(path, newBaseline(r)); err != nil {
		t.Fatal(err)
	}
	b, err := readBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if *b.Overall != 0.5 || *b.Categories["typo"] != 0.1235 || *b.Categories["umlaut"] != 1 || b.Queries != 2 {
		t.Errorf("read back %+v (typo %v), want overall 0.5, typo 0.1235, umlaut 1, 2 queries", b, *b.Categories["typo"])
	}
	if got := regressions(b, r); len(got) != 0 {
		t.Errorf("a run compared with its own baseline regressed: %v", got)
	}
}

func TestRegressions(t *testing.T) {
	base := newBaseline(fakeRun(map[string]float64{"typo": 0.8, "umlaut": 0.9}, 0.85))
	tests := []struct {
		name string
		run  *run
		want []string // substrings, one per expected line
	}{
		{"equal", fakeRun(map[string]float64{"typo": 0.8, "umlaut": 0.9}, 0.85), nil},
		{"within tolerance", fakeRun(map[string]float64{"typo": 0.796, "umlaut": 0.9}, 0.846), nil},
		{"better", fakeRun(map[string]float64{"typo": 1, "umlaut": 1}, 1), nil},
		{"category fell", fakeRun(map[string]float64{"typo": 0.79, "umlaut": 0.9}, 0.85), []string{"typo: nDCG@10 0.7900 is below the baseline 0.8000"}},
		{"overall fell", fakeRun(map[string]float64{"typo": 0.8, "umlaut": 0.9}, 0.84), []string{"overall: nDCG@10 0.8400"}},
		{"new category", fakeRun(map[string]float64{"typo": 0.8, "umlaut": 0.9, "question": 1}, 0.85),
			[]string{"question: category is not in the baseline", "the baseline was written for 2 queries, the suite has 3"}},
		{"category gone", fakeRun(map[string]float64{"typo": 0.8}, 0.85),
			[]string{"umlaut: category is in the baseline but has no queries", "the baseline was written for 2 queries, the suite has 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := regressions(base, tt.run)
			if len(got) != len(tt.want) {
				t.Fatalf("regressions = %q, want %d line(s) like %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("line %d = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestCommittedBaselinesCoverSuites checks that each committed baseline
// was written for its committed queries: same categories and number of
// queries.
func TestCommittedBaselinesCoverSuites(t *testing.T) {
	sample, err := readQueries("")
	if err != nil {
		t.Fatal(err)
	}
	type committed struct {
		file string
		qs   []query
	}
	all := []committed{{baselineFile, sample}}
	for _, h := range heldoutSuites() {
		qs, err := parseQueries(h.Queries)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range []string{splitDev, splitTest} {
			all = append(all, committed{splitBaselineFile(h.Name, sp), splitQueries(qs, sp)})
		}
	}
	for _, tt := range all {
		b, err := readBaseline(tt.file)
		if err != nil {
			t.Error(err)
			continue
		}
		if b.Queries != len(tt.qs) {
			t.Errorf("%s was written for %d queries, the suite has %d: rewrite it with -write-baseline", tt.file, b.Queries, len(tt.qs))
		}
		for _, q := range tt.qs {
			if _, ok := b.Categories[q.Category]; !ok {
				t.Errorf("%s has no figure for category %s: rewrite it with -write-baseline", tt.file, q.Category)
				break
			}
		}
	}
}

func TestOutput(t *testing.T) {
	r := &run{Analysis: "german", Order: sampleCategories, Results: []result{
		{
			query:  query{ID: "a", Text: "Rechnug", Category: "typo", Relevant: judgments{"x": 2, "y": 1}},
			Ranked: []string{"z", "x"}, Total: 2,
			queryScore: queryScore{
				NDCG:   ndcg([]string{"z", "x"}, judgments{"x": 2, "y": 1}, cutoff),
				RR:     0.5,
				Recall: 0.5,
			},
		},
		{
			query:  query{ID: "b", Text: "Akte", Category: "compound_part", Relevant: judgments{"x": 2}},
			Ranked: []string{"x"}, Total: 1,
			queryScore: queryScore{NDCG: 1, RR: 1, Recall: 1},
		},
	}}
	r.Categories, r.Overall = summarize(r.Results)

	var buf bytes.Buffer
	printTable(&buf, r)
	for _, want := range []string{"compound_part", "typo", "overall", "nDCG@10"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.Index(buf.String(), "compound_part") > strings.Index(buf.String(), "typo") {
		t.Errorf("categories not in table order:\n%s", buf.String())
	}

	buf.Reset()
	printQueries(&buf, []*run{r})
	for _, want := range []string{"1.z 2.x[2]", "missed: y[1]", `"Rechnug"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("-v listing lacks %q:\n%s", want, buf.String())
		}
	}

	buf.Reset()
	printFailures(&buf, r)
	if !strings.Contains(buf.String(), "1 of 2") || !strings.Contains(buf.String(), "first relevant at rank 2") {
		t.Errorf("failures:\n%s", buf.String())
	}

	buf.Reset()
	printComparison(&buf, r, r)
	if !strings.Contains(buf.String(), "+0.000") {
		t.Errorf("comparison lacks a zero delta:\n%s", buf.String())
	}

	buf.Reset()
	zero := &run{Analysis: "stock", Order: sampleCategories, Results: []result{
		{query: query{ID: "a", Text: "Rechnug", Category: "typo"}},
		r.Results[1],
	}}
	zero.Categories, zero.Overall = summarize(zero.Results)
	printZeroResults(&buf, []*run{zero, r}, true)
	for _, want := range []string{"queries without results (of 2): stock 1, german 0", `a [typo] "Rechnug"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("zero results lack %q:\n%s", want, buf.String())
		}
	}

	buf.Reset()
	if err := printJSON(&buf, []*table{{Name: suiteSample, Runs: []*run{zero, r}}}); err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Tables []jsonTable `json:"tables"`
	}
	if err := json.Unmarshal(buf.Bytes(), &decoded); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, buf.String())
	}
	if len(decoded.Tables) != 1 || decoded.Tables[0].Table != suiteSample || len(decoded.Tables[0].Runs) != 2 {
		t.Fatalf("-json decoded to %+v", decoded)
	}
	if jr := decoded.Tables[0].Runs[1]; len(jr.Queries) != 2 || jr.Overall.Queries != 2 || jr.ZeroResults != 0 {
		t.Errorf("-json german run decoded to %+v", jr)
	}
	if jr := decoded.Tables[0].Runs[0]; jr.ZeroResults != 1 || len(jr.ZeroResultQueries) != 1 || jr.ZeroResultQueries[0] != "a" {
		t.Errorf("-json stock run has zero results %d %q, want 1 [a]", jr.ZeroResults, jr.ZeroResultQueries)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"-analysis", "both", "-v"}, false},
		{[]string{"-analysis", "stock", "-json"}, false},
		{[]string{"-analysis", "german", "-write-baseline"}, false},
		{[]string{"-analysis", "snowball"}, true},
		{[]string{"-analysis", "stock", "-write-baseline"}, true},
		{[]string{"-suite", "heldout", "-split", "dev", "-heldout", "/tmp/corpus"}, false},
		{[]string{"-suite", "sample"}, false},
		{[]string{"-suite", "manpages", "-manpages", "/tmp/corpus"}, false},
		{[]string{"-suite", "gimp", "-split", "test", "-gimp", "/tmp/corpus"}, false},
		{[]string{"-suite", "all", "-split", "test"}, false},
		{[]string{"-suite", "other"}, true},
		{[]string{"-split", "train"}, true},
		{[]string{"extra"}, true},
		{[]string{"-rule"}, false},
		{[]string{"-rule", "-split", "dev", "-v"}, false},
		{[]string{"-rule", "-split", "test"}, true},
		{[]string{"-rule", "-analysis", "both"}, true},
		{[]string{"-rule", "-write-baseline"}, true},
	}
	for _, tt := range tests {
		m := NewMain()
		m.Stderr = &bytes.Buffer{}
		if err := m.ParseFlags(tt.args); (err != nil) != tt.wantErr {
			t.Errorf("ParseFlags(%q) error = %v, want error %v", tt.args, err, tt.wantErr)
		}
	}
	// -rule measures the dev halves with the German chain.
	m := NewMain()
	if err := m.ParseFlags([]string{"-rule"}); err != nil || m.Split != splitDev || m.Analysis != search.AnalysisGerman {
		t.Errorf("-rule: split %q, analysis %q, error %v; want dev, german", m.Split, m.Analysis, err)
	}
}

// fakeRun makes a run with one query per category with the given nDCG,
// and the given overall figure.
func fakeRun(cats map[string]float64, overall float64) *run {
	r := &run{Analysis: search.AnalysisGerman, Categories: map[string]scores{}}
	for c := range cats {
		r.Order = append(r.Order, c)
	}
	for c, v := range cats {
		r.Categories[c] = scores{Queries: 1, NDCG: v}
	}
	r.Overall = scores{Queries: len(cats), NDCG: overall}
	return r
}

func ptr(s string) *string { return &s }
