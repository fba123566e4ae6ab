package search

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
)

// TestWordQuery checks the shape of one word's clause: its own matches
// and its expansions are two clauses, however many expansions there are,
// so that bleve's share-of-clauses factor does not shrink the word.
func TestWordQuery(t *testing.T) {
	terms := func(n int) []query.Query {
		qs := make([]query.Query, n)
		for i := range qs {
			qs[i] = query.NewTermQuery("t")
		}
		return qs
	}
	for _, tt := range []struct {
		name         string
		clauses      int
		exact        int
		want         int // clauses of the outer disjunction
		own, expands int // clauses of its two parts, when nested
	}{
		{"no expansions", 8, 8, 8, 0, 0},
		{"expansions", 8 + 35, 8, 2, 8, 35},
		{"only expansions", 5, 0, 5, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := wordQuery(terms(tt.clauses), tt.exact).(*query.DisjunctionQuery)
			if !ok {
				t.Fatal("not a disjunction")
			}
			if len(d.Disjuncts) != tt.want {
				t.Fatalf("%d clauses, want %d", len(d.Disjuncts), tt.want)
			}
			if tt.own == 0 {
				return
			}
			own, exp := d.Disjuncts[0].(*query.DisjunctionQuery), d.Disjuncts[1].(*query.DisjunctionQuery)
			if len(own.Disjuncts) != tt.own || len(exp.Disjuncts) != tt.expands {
				t.Errorf("parts of %d and %d clauses, want %d and %d", len(own.Disjuncts), len(exp.Disjuncts), tt.own, tt.expands)
			}
		})
	}
}

// TestQuestionFiller checks that the filler words of questions, including
// contractions the stop list lacks and first-person light verbs, make no
// clause.
func TestQuestionFiller(t *testing.T) {
	ix := mustOpen(t)
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"Wie ändere ich den Ordner beim Speichern?", []string{"ändere", "Ordner", "Speichern"}},
		{"Wie mache ich eine Zeile höher?", []string{"Zeile", "höher"}},
		{"Wie gebe ich dem Blatt einen Namen?", []string{"Blatt", "Namen"}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			tq := ix.parseText(context.Background(), tt.query)
			if !slices.Equal(tq.clauseWords, tt.want) {
				t.Errorf("clause words %q, want %q", tq.clauseWords, tt.want)
			}
		})
	}
}
