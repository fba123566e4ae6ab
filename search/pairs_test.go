package search

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPairPhraseMatchesBlevePhrase: a phrase found through word pairs
// finds the talks bleve's phrase search finds, with the same scores, in
// every field that has pairs: phrases of two words, with a stop word
// between them, with umlauts, spelled with a hyphen, and of three words
// (where pairs may find more, never fewer).
func TestPairPhraseMatchesBlevePhrase(t *testing.T) {
	ix := mustOpen(t)
	var phrases []string
	for _, d := range testDocs() {
		for _, text := range []string{d.Talk.Title, bodyText(passageTexts(d))} {
			w := strings.Fields(strings.NewReplacer(",", " ", ".", " ", ":", " ").Replace(text))
			for i := 0; i+1 < len(w) && i < 12; i++ {
				phrases = append(phrases, w[i]+" "+w[i+1])
				if i+2 < len(w) {
					phrases = append(phrases, w[i]+" "+w[i+1]+" "+w[i+2])
				}
			}
		}
	}
	phrases = append(phrases, "E-Rechnung", "elektronische Rechnung", "Rechnung der Stadt", "Straßen Schäden")
	slices.Sort(phrases)
	phrases = slices.Compact(phrases)
	found, compared := 0, 0
	for _, f := range wholeFields {
		if pairFieldOf(f.field) == "" {
			t.Fatalf("%s has no word-pair field", f.field)
		}
		anchor := query.NewTermQuery("rechnung")
		anchor.SetField(f.field)
		for _, p := range phrases {
			want := query.NewMatchPhraseQuery(p)
			want.SetField(f.field)
			want.SetBoost(2.5)
			got := ix.phraseOf(p)(f.field)
			if _, ok := got.(*pairPhrase); !ok {
				continue // one word after analysis: bleve's own query
			}
			got.SetBoost(2.5)
			a := hits(t, ix, query.NewDisjunctionQuery([]query.Query{want, anchor}))
			b := hits(t, ix, query.NewDisjunctionQuery([]query.Query{got, anchor}))
			three := len(ix.analyzeWith(ix.wholeAnalyzer(), p)) > 2
			compared++
			for id, score := range a {
				found++
				if math.Abs(score-b[id]) > 1e-9*score {
					t.Errorf("%q in %s: %s scores %g with bleve's phrase, %g with pairs", p, f.field, id, score, b[id])
				}
			}
			if !three && len(a) != len(b) {
				t.Errorf("%q in %s: bleve's phrase finds %v, pairs %v", p, f.field, a, b)
			}
		}
	}
	if compared < 50 || found < 50 {
		t.Errorf("compared %d phrases with %d hits: the test proves too little", compared, found)
	}
}
