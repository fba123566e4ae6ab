package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// The standing rule of the relevance journal (docs/relevance-journal.md):
// a change of the analysis or ranking stays when no held-out dev half
// falls by more than ruleMaxFall, the sample does not fall, and either at
// least one dev half rises by ruleMinRise or more, or the queries that
// moved (queryChange or more, the sample and the dev halves pooled) rose
// more often than fell at p < ruleSignP by a one-sided sign test (entry
// 109). Figures are compared at the four decimals the baselines keep.
const (
	ruleMaxFall = 0.002
	ruleMinRise = 0.005
	ruleSignP   = 0.05
	// queryChange is the smallest change of one query's nDCG@10 that
	// -rule lists.
	queryChange = 0.005
)

// ruleRow is one table of the rule: its overall nDCG@10 in the committed
// baseline and now, and the queries whose figure changed.
type ruleRow struct {
	Table         string
	Before, After float64
	Changed       []changedQuery
	NoPerQuery    bool // the baseline records no per-query figures
}

// changedQuery is a query whose nDCG@10 moved by queryChange or more.
type changedQuery struct {
	ID, Text, Category string
	Before, After      float64
}

// ruleVerdict is the outcome of the standing rule.
type ruleVerdict struct {
	Rows   []ruleRow
	Pass   bool
	Reason string
}

// standingRule holds the German runs of the tables against their
// baselines (by table name). It needs the sample and the dev half of
// every held-out suite (heldout names them).
func standingRule(tables []*table, baselines map[string]*baseline, heldout []string) ruleVerdict {
	var v ruleVerdict
	byName := map[string]ruleRow{}
	for _, t := range tables {
		g, b := t.german(), baselines[t.Name]
		if g == nil || b == nil {
			continue
		}
		row := ruleRow{Table: t.Name, Before: *b.Overall, After: round4(g.Overall.NDCG), NoPerQuery: b.PerQuery == nil}
		for _, res := range g.Results {
			before, ok := b.PerQuery[res.ID]
			if !ok {
				continue
			}
			if after := round4(res.NDCG); math.Abs(after-before) >= queryChange {
				row.Changed = append(row.Changed, changedQuery{ID: res.ID, Text: res.Text, Category: res.Category, Before: before, After: after})
			}
		}
		v.Rows = append(v.Rows, row)
		byName[t.Name] = row
	}
	var missing, fell, rose []string
	sample, ok := byName[suiteSample]
	if !ok {
		missing = append(missing, suiteSample)
	}
	for _, h := range heldout {
		name := h + "/" + splitDev
		r, ok := byName[name]
		switch {
		case !ok:
			missing = append(missing, name)
		case r.After < r.Before-ruleMaxFall-1e-9:
			fell = append(fell, fmt.Sprintf("%s %+.4f", name, r.After-r.Before))
		case r.After >= r.Before+ruleMinRise-1e-9:
			rose = append(rose, name)
		}
	}
	switch {
	case len(missing) > 0:
		v.Reason = "incomplete: not measured: " + strings.Join(missing, ", ")
	case sample.After < sample.Before-1e-9:
		v.Reason = fmt.Sprintf("fails: the sample fell %+.4f", sample.After-sample.Before)
	case len(fell) > 0:
		v.Reason = fmt.Sprintf("fails: fell by more than %.3f: %s", ruleMaxFall, strings.Join(fell, ", "))
	case len(rose) == 0:
		up, down := v.moved()
		p := signTest(up, down)
		if p < ruleSignP {
			v.Pass = true
			v.Reason = fmt.Sprintf("passes: no dev half rose by %.3f, but %d of the %d queries that moved rose (sign test p = %.3f)", ruleMinRise, up, up+down, p)
			break
		}
		v.Reason = fmt.Sprintf("fails: no dev half rose by %.3f, and %d of the %d queries that moved rose (sign test p = %.3f, needs < %.2f)", ruleMinRise, up, up+down, p, ruleSignP)
	default:
		v.Pass = true
		v.Reason = "passes: rose by " + fmt.Sprintf("%.3f", ruleMinRise) + " or more: " + strings.Join(rose, ", ")
	}
	return v
}

// moved counts the listed queries of the sample and the dev halves whose
// figure rose and fell (a test half never decides).
func (v ruleVerdict) moved() (up, down int) {
	for _, r := range v.Rows {
		if r.Table != suiteSample && !strings.HasSuffix(r.Table, "/"+splitDev) {
			continue
		}
		for _, q := range r.Changed {
			if q.After > q.Before {
				up++
			} else {
				down++
			}
		}
	}
	return up, down
}

// signTest is the one-sided sign test of up rises against down falls:
// the chance of up or more rises among up+down queries that each rise
// or fall with equal chance. It is 1 when nothing moved.
func signTest(up, down int) float64 {
	n := up + down
	lc, _ := math.Lgamma(float64(n + 1))
	p := 0.0
	for k := up; k <= n; k++ {
		// C(n, k) / 2^n, through logarithms for large n.
		lk, _ := math.Lgamma(float64(k + 1))
		lnk, _ := math.Lgamma(float64(n - k + 1))
		p += math.Exp(lc - lk - lnk - float64(n)*math.Ln2)
	}
	return math.Min(p, 1)
}

// printRule prints the verdict: each table's overall figure before and
// after, the queries that changed, and the outcome.
func printRule(w io.Writer, v ruleVerdict) {
	fmt.Fprintln(w, "standing rule (docs/relevance-journal.md), against the committed baselines:")
	for _, r := range v.Rows {
		fmt.Fprintf(w, "  %-16s %.4f → %.4f  %+.4f\n", r.Table, r.Before, r.After, r.After-r.Before)
	}
	for _, r := range v.Rows {
		if r.NoPerQuery {
			fmt.Fprintf(w, "  %s: the baseline has no per-query figures; rewrite it with -write-baseline to list them\n", r.Table)
		}
		for _, q := range r.Changed {
			fmt.Fprintf(w, "  %.2f → %.2f  %-14s %-18s %s %q\n", q.Before, q.After, r.Table, q.Category, q.ID, q.Text)
		}
	}
	fmt.Fprintln(w, v.Reason)
}

// round4 rounds to the four decimals of the baselines.
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
