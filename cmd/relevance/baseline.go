package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/talksearch/talksearch/search"
)

// baselineFile is the committed baseline of the sample suite, relative to
// this package.
const baselineFile = "baseline.json"

// splitBaselineFile is the committed baseline of one split of a held-out
// suite, relative to this package (baseline-heldout-dev.json).
func splitBaselineFile(suite, split string) string {
	return "baseline-" + suite + "-" + split + ".json"
}

// tolerance is how far a figure may fall below the baseline before the
// regression test fails. It absorbs rounding and float noise only: in a
// category of 8 to 15 queries, one query whose only relevant talk slips
// from rank 1 to rank 2 already costs 0.025 or more.
const tolerance = 0.005

// baseline is the committed nDCG@10 of the German chain, overall and per
// category, and its number of queries without any result, that
// TestRelevanceBaseline holds the code to. A baseline without
// zero_results (written before it was recorded) does not check them.
type baseline struct {
	Analysis    string              `json:"analysis"`
	Metric      string              `json:"metric"`
	Queries     int                 `json:"queries"`
	Overall     *float64            `json:"overall"`
	Categories  map[string]*float64 `json:"categories"`
	ZeroResults *int                `json:"zero_results,omitempty"`
	// PerQuery is each query's nDCG@10, by id, which -rule lists the
	// changes of; the regression test does not read it.
	PerQuery map[string]float64 `json:"per_query,omitempty"`
}

// newBaseline takes the baseline figures from a run, rounded to four
// decimals so that the file does not churn on the last bits of a float.
func newBaseline(r *run) *baseline {
	round := func(v float64) *float64 {
		v = round4(v)
		return &v
	}
	zero := len(r.zeroResults())
	b := &baseline{
		Analysis:    r.Analysis,
		Metric:      "ndcg@10",
		Queries:     r.Overall.Queries,
		Overall:     round(r.Overall.NDCG),
		Categories:  map[string]*float64{},
		ZeroResults: &zero,
	}
	for c, s := range r.Categories {
		b.Categories[c] = round(s.NDCG)
	}
	b.PerQuery = make(map[string]float64, len(r.Results))
	for _, res := range r.Results {
		b.PerQuery[res.ID] = round4(res.NDCG)
	}
	return b
}

// readBaseline reads and checks a baseline file. A missing, empty or
// incomplete file is an error: the regression test never passes for want
// of something to compare with.
func readBaseline(path string) (*baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("relevance: read baseline: %w (write it with go run ./cmd/relevance -write-baseline)", err)
	}
	var b baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("relevance: read baseline %s: %w", path, err)
	}
	var probs []string
	if b.Analysis != search.AnalysisGerman {
		probs = append(probs, fmt.Sprintf("analysis is %q, want %q", b.Analysis, search.AnalysisGerman))
	}
	if b.Metric != "ndcg@10" {
		probs = append(probs, fmt.Sprintf("metric is %q, want \"ndcg@10\"", b.Metric))
	}
	if b.Overall == nil {
		probs = append(probs, "no overall figure")
	}
	if b.ZeroResults != nil && *b.ZeroResults < 0 {
		probs = append(probs, fmt.Sprintf("zero_results is %d", *b.ZeroResults))
	}
	if len(b.Categories) == 0 {
		probs = append(probs, "no categories")
	}
	for _, c := range sortedKeys(b.Categories) {
		if b.Categories[c] == nil {
			probs = append(probs, fmt.Sprintf("category %q has no figure", c))
		}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("relevance: baseline %s: %s", path, strings.Join(probs, "; "))
	}
	return &b, nil
}

// writeBaseline writes b to path as indented JSON.
func writeBaseline(path string, b *baseline) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("relevance: encode baseline: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("relevance: write baseline: %w", err)
	}
	return nil
}

// regressions compares a run with the baseline and returns one line per
// figure that fell by more than tolerance, and one when more queries find
// nothing than the baseline records. A category of the run that is
// missing from the baseline, or the other way round, is a regression too:
// the suite changed and the baseline must be rewritten with it.
func regressions(b *baseline, r *run) []string {
	var out []string
	check := func(name string, base *float64, got float64) {
		if got < *base-tolerance {
			out = append(out, fmt.Sprintf("%s: nDCG@10 %.4f is below the baseline %.4f by %.4f (tolerance %.3f)", name, got, *base, *base-got, tolerance))
		}
	}
	check("overall", b.Overall, r.Overall.NDCG)
	for _, c := range sortedKeys(r.Categories) {
		base, ok := b.Categories[c]
		if !ok {
			out = append(out, fmt.Sprintf("%s: category is not in the baseline; rewrite it with -write-baseline", c))
			continue
		}
		check(c, base, r.Categories[c].NDCG)
	}
	for _, c := range sortedKeys(b.Categories) {
		if _, ok := r.Categories[c]; !ok {
			out = append(out, fmt.Sprintf("%s: category is in the baseline but has no queries; rewrite it with -write-baseline", c))
		}
	}
	if zero := r.zeroResults(); b.ZeroResults != nil && len(zero) > *b.ZeroResults {
		ids := make([]string, len(zero))
		for i, res := range zero {
			ids[i] = res.ID
		}
		out = append(out, fmt.Sprintf("zero results: %d queries find no talk, the baseline records %d (%s)", len(zero), *b.ZeroResults, strings.Join(ids, ", ")))
	}
	if b.Queries != r.Overall.Queries {
		out = append(out, fmt.Sprintf("the baseline was written for %d queries, the suite has %d; rewrite it with -write-baseline", b.Queries, r.Overall.Queries))
	}
	return out
}

// improvements lists the figures that rose by more than tolerance, so the
// baseline can be raised to lock them in.
func improvements(b *baseline, r *run) []string {
	var out []string
	if r.Overall.NDCG > *b.Overall+tolerance {
		out = append(out, fmt.Sprintf("overall: %.4f > %.4f", r.Overall.NDCG, *b.Overall))
	}
	for _, c := range sortedKeys(r.Categories) {
		if base, ok := b.Categories[c]; ok && r.Categories[c].NDCG > *base+tolerance {
			out = append(out, fmt.Sprintf("%s: %.4f > %.4f", c, r.Categories[c].NDCG, *base))
		}
	}
	if zero := len(r.zeroResults()); b.ZeroResults != nil && zero < *b.ZeroResults {
		out = append(out, fmt.Sprintf("zero results: %d < %d", zero, *b.ZeroResults))
	}
	return out
}
