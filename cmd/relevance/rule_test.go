package main

import (
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
