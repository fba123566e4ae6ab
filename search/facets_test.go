package search

import (
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// TestBuildFacetsDropsEmptyValues: a talk without a year (or any other
// facet value) indexes an empty term; it is no value to filter on.
func TestBuildFacetsDropsEmptyValues(t *testing.T) {
	terms := func(tf ...*bsearch.TermFacet) *bsearch.FacetResult {
		fr := &bsearch.FacetResult{Terms: &bsearch.TermFacets{}}
		fr.Terms.Add(tf...)
		return fr
	}
	results := map[string]*bsearch.FacetResult{
		FieldYear:  terms(&bsearch.TermFacet{Term: "", Count: 4}, &bsearch.TermFacet{Term: "2024", Count: 2}, &bsearch.TermFacet{Term: " ", Count: 1}),
		FieldState: terms(&bsearch.TermFacet{Term: "", Count: 3}),
		FieldEvent: terms(&bsearch.TermFacet{Term: "\x00\x00", Count: 1}, &bsearch.TermFacet{Term: "fk24\x00Fachkongress\x002024", Count: 2}),
	}
	for _, f := range buildFacets(results, nil) {
		for _, v := range f.Values {
			if v.Value == "" || v.Value == " " {
				t.Errorf("facet %s lists an empty value (count %d)", f.Field, v.Count)
			}
		}
		switch f.Field {
		case FieldYear:
			if len(f.Values) != 1 || f.Values[0].Value != "2024" {
				t.Errorf("year facet = %+v, want only 2024", f.Values)
			}
		case FieldEvent:
			if len(f.Values) != 1 || f.Values[0].Value != "fk24" {
				t.Errorf("event facet = %+v, want only fk24", f.Values)
			}
		case FieldState:
			if len(f.Values) != 0 {
				t.Errorf("state facet = %+v, want none", f.Values)
			}
		}
	}
}
