package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// topN is how many results -v shows per query.
const topN = 5

// nameWidth is the width the category column is padded to, which
// tabwriter aligns right like the figures, so that the names still read
// left-aligned: that of the longest category of the run's suite.
func nameWidth(r *run) int {
	w := len("category")
	for _, c := range r.Order {
		w = max(w, len(c))
	}
	return w
}

// printTable prints one analysis: per category and overall nDCG@10, MRR
// and Recall@10.
func printTable(w io.Writer, r *run) {
	fmt.Fprintf(w, "analysis %s: %d queries, indexed in %s, searched in %s\n\n",
		r.Analysis, r.Overall.Queries, r.IndexTime.Round(msRound), r.SearchTime.Round(msRound))
	nameWidth := nameWidth(r)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tqueries\tnDCG@10\tMRR\tRecall@10\t\n", nameWidth, "category")
	row := func(name string, s scores) {
		fmt.Fprintf(tw, "%-*s\t%d\t%.3f\t%.3f\t%.3f\t\n", nameWidth, name, s.Queries, s.NDCG, s.MRR, s.Recall)
	}
	for _, c := range presentCategories(r) {
		row(c, r.Categories[c])
	}
	row("overall", r.Overall)
	tw.Flush()
}

// printComparison prints two analyses side by side with the change from
// the first (a) to the second (b).
func printComparison(w io.Writer, a, b *run) {
	fmt.Fprintf(w, "%s vs %s: %d queries; Δ = %s − %s\n\n", a.Analysis, b.Analysis, a.Overall.Queries, b.Analysis, a.Analysis)
	nameWidth := nameWidth(a)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t\tnDCG@10\t\t\tMRR\t\t\tRecall@10\t\t\t\n")
	fmt.Fprintf(tw, "%-*s\tqueries\t%s\t%s\tΔ\t%s\t%s\tΔ\t%s\t%s\tΔ\t\n", nameWidth, "category", a.Analysis, b.Analysis, a.Analysis, b.Analysis, a.Analysis, b.Analysis)
	row := func(name string, x, y scores) {
		fmt.Fprintf(tw, "%-*s\t%d\t%.3f\t%.3f\t%+.3f\t%.3f\t%.3f\t%+.3f\t%.3f\t%.3f\t%+.3f\t\n", nameWidth, name, x.Queries,
			x.NDCG, y.NDCG, y.NDCG-x.NDCG, x.MRR, y.MRR, y.MRR-x.MRR, x.Recall, y.Recall, y.Recall-x.Recall)
	}
	for _, c := range presentCategories(a) {
		row(c, a.Categories[c], b.Categories[c])
	}
	row("overall", a.Overall, b.Overall)
	tw.Flush()
	fmt.Fprintf(w, "\nindexing %s / %s, searching %s / %s\n", a.IndexTime.Round(msRound), b.IndexTime.Round(msRound),
		a.SearchTime.Round(msRound), b.SearchTime.Round(msRound))
}

// printQueries prints, for -v, every query with each run's top results,
// the judged ones marked with their grade as [2] or [1], and the relevant
// talks that are missing from the top ten.
func printQueries(w io.Writer, runs []*run) {
	for i := range runs[0].Results {
		q := runs[0].Results[i].query
		fmt.Fprintf(w, "%s [%s] %q  relevant: %s\n", q.ID, q.Category, q.Text, judgedList(q.Relevant))
		for _, r := range runs {
			res := r.Results[i]
			fmt.Fprintf(w, "  %-7s nDCG %.2f  RR %.2f  R@10 %.2f  hits %-2d %s\n", r.Analysis, res.NDCG, res.RR, res.Recall, res.Total, topList(res))
			if missed := missedList(res); missed != "" {
				fmt.Fprintf(w, "  %-7s missed: %s\n", "", missed)
			}
		}
	}
}

// printFailures lists the queries of a run whose first result is not
// relevant or that miss a relevant talk in the top ten.
func printFailures(w io.Writer, r *run) {
	var lines []string
	for _, res := range r.Results {
		if res.RR == 1 && res.Recall == 1 {
			continue
		}
		line := fmt.Sprintf("  %-34s %-*s %q: nDCG %.2f", res.ID, nameWidth(r), res.Category, res.Text, res.NDCG)
		if res.RR < 1 {
			if res.RR == 0 {
				line += ", no relevant talk in the top 10"
			} else {
				line += fmt.Sprintf(", first relevant at rank %.0f", 1/res.RR)
			}
		}
		if missed := missedList(res); missed != "" {
			line += ", missed " + missed
		}
		lines = append(lines, line)
	}
	fmt.Fprintf(w, "failures of %s (%d of %d queries):\n", r.Analysis, len(lines), len(r.Results))
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

// printZeroResults prints how many queries of each run found no talk at
// all and, when verbose, which.
func printZeroResults(w io.Writer, runs []*run, verbose bool) {
	var parts []string
	for _, r := range runs {
		parts = append(parts, fmt.Sprintf("%s %d", r.Analysis, len(r.zeroResults())))
	}
	fmt.Fprintf(w, "\nqueries without results (of %d): %s\n", runs[0].Overall.Queries, strings.Join(parts, ", "))
	if !verbose {
		return
	}
	for _, r := range runs {
		for _, res := range r.zeroResults() {
			fmt.Fprintf(w, "  %-7s %s [%s] %q\n", r.Analysis, res.ID, res.Category, res.Text)
		}
	}
}

// jsonTable is the -json form of a table.
type jsonTable struct {
	Table       string    `json:"table"`
	Runs        []jsonRun `json:"runs"`
	Regressions []string  `json:"baseline_regressions,omitempty"`
}

// jsonRun is the -json form of a run.
type jsonRun struct {
	Analysis          string            `json:"analysis"`
	Overall           scores            `json:"overall"`
	Categories        map[string]scores `json:"categories"`
	ZeroResults       int               `json:"zero_results"`
	ZeroResultQueries []string          `json:"zero_result_queries"`
	IndexMS           int64             `json:"index_ms"`
	SearchMS          int64             `json:"search_ms"`
	Queries           []jsonQuery       `json:"queries"`
}

type jsonQuery struct {
	ID       string    `json:"id"`
	Query    string    `json:"query"`
	Category string    `json:"category"`
	Split    string    `json:"split,omitempty"`
	Relevant judgments `json:"relevant"`
	Ranked   []string  `json:"ranked"`
	Total    int       `json:"total"`
	NDCG     float64   `json:"ndcg@10"`
	RR       float64   `json:"rr"`
	Recall   float64   `json:"recall@10"`
}

// printJSON writes the tables as one JSON document.
func printJSON(w io.Writer, tables []*table) error {
	var out struct {
		Tables []jsonTable `json:"tables"`
	}
	for _, t := range tables {
		jt := jsonTable{Table: t.Name, Regressions: t.cmp.regress}
		for _, r := range t.Runs {
			jt.Runs = append(jt.Runs, newJSONRun(r))
		}
		out.Tables = append(out.Tables, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("relevance: encode json: %w", err)
	}
	return nil
}

// newJSONRun converts a run for -json.
func newJSONRun(r *run) jsonRun {
	jr := jsonRun{
		Analysis: r.Analysis, Overall: r.Overall, Categories: r.Categories,
		ZeroResultQueries: []string{},
		IndexMS:           r.IndexTime.Milliseconds(), SearchMS: r.SearchTime.Milliseconds(),
	}
	for _, res := range r.zeroResults() {
		jr.ZeroResultQueries = append(jr.ZeroResultQueries, res.ID)
	}
	jr.ZeroResults = len(jr.ZeroResultQueries)
	for _, res := range r.Results {
		ranked := res.Ranked
		if ranked == nil {
			ranked = []string{}
		}
		jr.Queries = append(jr.Queries, jsonQuery{
			ID: res.ID, Query: res.Text, Category: res.Category, Split: res.Split, Relevant: res.Relevant,
			Ranked: ranked, Total: res.Total, NDCG: res.NDCG, RR: res.RR, Recall: res.Recall,
		})
	}
	return jr
}

// presentCategories lists the categories that have queries, in table order.
func presentCategories(r *run) []string {
	var out []string
	for _, c := range r.Order {
		if _, ok := r.Categories[c]; ok {
			out = append(out, c)
		}
	}
	return out
}

// judgedList formats judgments as "a=2 b=1", best first.
func judgedList(rel judgments) string {
	var parts []string
	for _, g := range []int{gradeRelevant, gradePartial} {
		for _, id := range sortedKeys(rel) {
			if rel[id] == g {
				parts = append(parts, fmt.Sprintf("%s=%d", id, g))
			}
		}
	}
	return strings.Join(parts, " ")
}

// topList formats the first topN results, judged ones with their grade.
func topList(res result) string {
	if len(res.Ranked) == 0 {
		return "(nothing found)"
	}
	var parts []string
	for i, id := range res.Ranked {
		if i >= topN {
			break
		}
		p := fmt.Sprintf("%d.%s", i+1, id)
		if g := res.Relevant[id]; g > 0 {
			p += fmt.Sprintf("[%d]", g)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// missedList formats the relevant talks that are not in the top ten.
func missedList(res result) string {
	in := map[string]bool{}
	for i, id := range res.Ranked {
		if i < cutoff {
			in[id] = true
		}
	}
	var parts []string
	for _, g := range []int{gradeRelevant, gradePartial} {
		for _, id := range sortedKeys(res.Relevant) {
			if res.Relevant[id] == g && !in[id] {
				parts = append(parts, fmt.Sprintf("%s[%d]", id, g))
			}
		}
	}
	return strings.Join(parts, " ")
}
