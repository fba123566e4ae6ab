package main

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/search"
)

// TestStandingRule checks the verdict of -rule on made-up figures: each
// table's overall nDCG@10 now and in its baseline.
func TestStandingRule(t *testing.T) {
	heldout := []string{"a", "b"}
	// figures: table name → {baseline, now}.
	type figures map[string][2]float64
	mk := func(f figures) ([]*table, map[string]*baseline) {
		var tables []*table
		baselines := map[string]*baseline{}
		for name, v := range f {
			before := v[0]
			r := &run{Analysis: search.AnalysisGerman, Overall: scores{NDCG: v[1]}}
			tables = append(tables, &table{Name: name, Runs: []*run{r}})
			baselines[name] = &baseline{Overall: &before}
		}
		return tables, baselines
	}
	for _, tt := range []struct {
		name   string
		f      figures
		pass   bool
		reason string
	}{
		{"one half rises", figures{"sample": {0.9, 0.9}, "a/dev": {0.5, 0.506}, "b/dev": {0.6, 0.6}}, true, "passes"},
		{"a fall within 0.002 beside a rise", figures{"sample": {0.9, 0.9}, "a/dev": {0.5, 0.5051}, "b/dev": {0.6, 0.5985}}, true, "passes"},
		{"no half rises enough", figures{"sample": {0.9, 0.9}, "a/dev": {0.5, 0.5049}, "b/dev": {0.6, 0.6}}, false, "no dev half rose"},
		{"a half falls too far", figures{"sample": {0.9, 0.9}, "a/dev": {0.5, 0.55}, "b/dev": {0.6, 0.5975}}, false, "fell by more than 0.002: b/dev -0.0025"},
		{"the sample falls", figures{"sample": {0.9, 0.8999}, "a/dev": {0.5, 0.55}, "b/dev": {0.6, 0.6}}, false, "the sample fell"},
		{"a half is missing", figures{"sample": {0.9, 0.9}, "a/dev": {0.5, 0.55}}, false, "not measured: b/dev"},
		{"test halves do not count", figures{"sample": {0.9, 0.9}, "a/dev": {0.5, 0.5}, "b/dev": {0.6, 0.6}, "a/test": {0.5, 0.6}}, false, "no dev half rose"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tables, baselines := mk(tt.f)
			v := standingRule(tables, baselines, heldout)
			if v.Pass != tt.pass || !strings.Contains(v.Reason, tt.reason) {
				t.Errorf("pass %v, %q; want pass %v and %q", v.Pass, v.Reason, tt.pass, tt.reason)
			}
		})
	}
}

// TestStandingRuleSign checks the alternative of entry 109: where no
// half rises by 0.005, the queries that moved decide by a sign test.
func TestStandingRuleSign(t *testing.T) {
	before := 0.5
	res := func(id string, ndcg float64) result {
		return result{query: query{ID: id, Text: id, Category: "typo"}, queryScore: queryScore{NDCG: ndcg}}
	}
	// moves builds a dev half whose overall figure rises by 0.001 and
	// whose queries moved up and down as given.
	moves := func(up, down int) ([]*table, map[string]*baseline) {
		var results []result
		per := map[string]float64{}
		for i := range up + down {
			id := fmt.Sprintf("q%d", i)
			per[id] = 0.5
			after := 0.6
			if i >= up {
				after = 0.4
			}
			results = append(results, res(id, after))
		}
		r := &run{Analysis: search.AnalysisGerman, Overall: scores{NDCG: 0.501}, Results: results}
		same := &run{Analysis: search.AnalysisGerman, Overall: scores{NDCG: 0.5}}
		// A test half whose queries all fell never counts.
		test := &run{Analysis: search.AnalysisGerman, Overall: scores{NDCG: 0.5}, Results: []result{res("t1", 0.1), res("t2", 0.1)}}
		tables := []*table{{Name: "sample", Runs: []*run{same}}, {Name: "a/dev", Runs: []*run{r}}, {Name: "a/test", Runs: []*run{test}}}
		return tables, map[string]*baseline{"sample": {Overall: &before}, "a/dev": {Overall: &before, PerQuery: per},
			"a/test": {Overall: &before, PerQuery: map[string]float64{"t1": 0.9, "t2": 0.9}}}
	}
	for _, tt := range []struct {
		up, down int
		pass     bool
		reason   string
	}{
		{5, 0, true, "5 of the 5 queries that moved rose"},
		{4, 0, false, "4 of the 4 queries that moved rose"},
		{7, 1, true, "7 of the 8"},
		{13, 5, true, "13 of the 18"},
		{12, 6, false, "12 of the 18"},
		{18, 7, true, "18 of the 25"},
		{17, 8, false, "17 of the 25"},
		{0, 0, false, "0 of the 0"},
		{1, 9, false, "1 of the 10"},
	} {
		t.Run(fmt.Sprintf("%d up %d down", tt.up, tt.down), func(t *testing.T) {
			tables, baselines := moves(tt.up, tt.down)
			v := standingRule(tables, baselines, []string{"a"})
			if v.Pass != tt.pass || !strings.Contains(v.Reason, tt.reason) {
				t.Errorf("pass %v, %q; want pass %v and %q", v.Pass, v.Reason, tt.pass, tt.reason)
			}
		})
	}
}

// TestSignTest checks the sign test against exact binomial sums.
func TestSignTest(t *testing.T) {
	for _, tt := range []struct {
		up, down int
		want     float64
	}{
		{0, 0, 1},
		{1, 0, 0.5},
		{5, 0, 1.0 / 32},
		{7, 1, 9.0 / 256},
		{13, 5, 12616.0 / 262144},
		{18, 7, 726206.0 / 33554432},
		{0, 10, 1},
	} {
		if got := signTest(tt.up, tt.down); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("signTest(%d, %d) = %.6f, want %.6f", tt.up, tt.down, got, tt.want)
		}
	}
}

// TestStandingRuleQueries checks that -rule lists the queries whose
// figure moved, and says so when a baseline has no per-query figures.
func TestStandingRuleQueries(t *testing.T) {
	before := 0.5
	res := func(id string, ndcg float64) result {
		return result{query: query{ID: id, Text: id + " text", Category: "typo"}, queryScore: queryScore{NDCG: ndcg}}
	}
	r := &run{Analysis: search.AnalysisGerman, Overall: scores{NDCG: 0.5}, Results: []result{res("same", 0.5), res("up", 0.9), res("tiny", 0.504)}}
	tables := []*table{{Name: "sample", Runs: []*run{r}}, {Name: "a/dev", Runs: []*run{r}}}
	baselines := map[string]*baseline{
		"sample": {Overall: &before, PerQuery: map[string]float64{"same": 0.5, "up": 0.4, "tiny": 0.5}},
		"a/dev":  {Overall: &before},
	}
	v := standingRule(tables, baselines, []string{"a"})
	var out strings.Builder
	printRule(&out, v)
	got := out.String()
	for _, want := range []string{`0.40 → 0.90  sample`, `up "up text"`, "a/dev: the baseline has no per-query figures"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"same text", "tiny text"} {
		if strings.Contains(got, not) {
			t.Errorf("output lists %q, which moved less than %.3f:\n%s", not, queryChange, got)
		}
	}
}
