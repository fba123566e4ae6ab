package search

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// bestOfClauses are term queries on the tech archive that overlap: some
// talks match one of them, some several.
func bestOfClauses() []query.Query {
	var qs []query.Query
	for _, tt := range []struct {
		term, field string
		boost       float64
	}{
		{"puff", fieldBody, 1}, {"ring", fieldBody, 2}, {"kernel", fieldBody, 0.5},
		{"kernel", fieldTitle, 4}, {"dien", fieldBody, 1}, {"list", fieldBody, 1},
	} {
		q := query.NewTermQuery(tt.term)
		q.SetField(tt.field)
		q.SetBoost(tt.boost)
		qs = append(qs, q)
	}
	return qs
}

// TestBestOf checks bestOf against bleve's disjunction on a real index:
// the same talks; with tie 1 the disjunction's score without its
// coordination factor (sum × matched/all); with other ties the best
// clause plus tie times the others, as the explanation lists them.
func TestBestOf(t *testing.T) {
	ix := mustOpenTech(t)
	qs := bestOfClauses()
	matched := map[string]int{} // talk → clauses it matches
	for _, q := range qs {
		for id := range hits(t, ix, q) {
			matched[id]++
		}
	}
	if !slices.ContainsFunc(slices.Collect(func(yield func(int) bool) {
		for _, n := range matched {
			if !yield(n) {
				return
			}
		}
	}), func(n int) bool { return n > 1 }) {
		t.Fatal("no talk matches two clauses: the test proves nothing")
	}
	disj := hits(t, ix, query.NewDisjunctionQuery(qs))
	sum := hits(t, ix, sumOf(qs))
	if len(sum) != len(disj) || len(sum) != len(matched) {
		t.Fatalf("bestOf finds %d talks, the disjunction %d, the clauses %d", len(sum), len(disj), len(matched))
	}
	for id, s := range sum {
		want := disj[id] * float64(len(qs)) / float64(matched[id])
		if math.Abs(s-want) > 1e-9*want {
			t.Errorf("%s: sum %.6g, want the disjunction's %.6g without its coordination factor", id, s, want)
		}
	}
	for _, tie := range []float64{0, 0.3} {
		req := bleve.NewSearchRequestOptions(newBestOf(qs, tie), 100, 0, true)
		res, err := ix.b.SearchInContext(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			var best, all float64
			for _, c := range h.Expl.Children {
				best, all = max(best, c.Value), all+c.Value
			}
			if want := best + tie*(all-best); math.Abs(h.Score-want) > 1e-9*want || len(h.Expl.Children) != matched[h.ID] {
				t.Errorf("tie %g, %s: score %.6g from %d clauses, want %.6g from %d", tie, h.ID, h.Score, len(h.Expl.Children), want, matched[h.ID])
			}
		}
	}
}

// TestBestOfAdvance checks the searcher's Advance (a conjunction asks for
// each talk in turn) and its unscored path (no scoring, as filters and
// counts use it): both find exactly the talks of the clauses.
func TestBestOfAdvance(t *testing.T) {
	ix := mustOpenTech(t)
	qs := bestOfClauses()
	want := hits(t, ix, query.NewDisjunctionQuery(qs))
	for _, d := range techDocs() {
		id := talkDocID(d.Talk.ID)
		got := hits(t, ix, query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery([]string{id}), maxOf(qs)}))
		if _, ok := want[id]; ok != (len(got) == 1) {
			t.Errorf("%s: found %d times through Advance, want %v", id, len(got), ok)
		}
	}
	req := bleve.NewSearchRequestOptions(sumOf(qs), 100, 0, false)
	req.Score = scoreNone
	res, err := ix.b.SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != len(want) {
		t.Errorf("unscored: %d talks, want %d", len(res.Hits), len(want))
	}
}
