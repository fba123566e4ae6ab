package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/talksearch/talksearch/search"
)

// baselineFile is the committed baseline, relative to this package.
const baselineFile = "baseline.json"

// tolerance is how far a figure may fall below the baseline before the
// regression test fails. It absorbs rounding and float noise only: in a
// category of 8 to 15 queries, one query whose only relevant talk slips
// from rank 1 to rank 2 already costs 0.025 or more.
const tolerance = 0.005

// baseline is the committed nDCG@10 of the German chain, overall and per
// category, that TestRelevanceBaseline holds the code to.
type baseline struct {
	Analysis   string              `json:"analysis"`
	Metric     string              `json:"metric"`
	Queries    int                 `json:"queries"`
	Overall    *float64            `json:"overall"`
	Categories map[string]*float64 `json:"categories"`
}

// newBaseline takes the baseline figures from a run, rounded to four
// decimals so that the file does not churn on the last bits of a float.
func newBaseline(r *run) *baseline {
	round := func(v float64) *float64 {
		v = math.Round(v*1e4) / 1e4
		return &v
	}
	b := &baseline{
		Analysis:   r.Analysis,
		Metric:     "ndcg@10",
		Queries:    r.Overall.Queries,
		Overall:    round(r.Overall.NDCG),
		Categories: map[string]*float64{},
	}
	for c, s := range r.Categories {
		b.Categories[c] = round(s.NDCG)
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
// figure that fell by more than tolerance. A category of the run that is
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
	return out
}

// defaultBaselinePath finds cmd/relevance/baseline.json from the working
// directory: in the module root at or above it (go run ./cmd/relevance
// runs in the caller's directory, go test in the package's).
func defaultBaselinePath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("relevance: %w", err)
	}
	for {
		pkg := filepath.Join(dir, "cmd", "relevance")
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if st, err := os.Stat(pkg); err == nil && st.IsDir() {
				return filepath.Join(pkg, baselineFile), nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("relevance: cannot find the module root (go.mod); pass -baseline FILE")
		}
		dir = parent
	}
}
