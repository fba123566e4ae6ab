package search

import (
	"slices"
	"testing"
)

// TestFacetsDropEmptyValues: a talk without a year (or any other facet
// value) indexes an empty term; it is no value to filter on.
func TestFacetsDropEmptyValues(t *testing.T) {
	tab := &talkTable{dict: make([][]string, len(tableFacets))}
	counts := make([][]int, len(tableFacets))
	set := func(field string, terms []string, n []int) {
		i := slices.Index(tableFacets, field)
		tab.dict[i], counts[i] = terms, n
	}
	set(FieldYear, []string{"", "2024", " "}, []int{4, 2, 1})
	set(FieldState, []string{""}, []int{3})
	set(fieldEventLabel, []string{"\x00\x00", "fk24\x00Fachkongress\x002024"}, []int{1, 2})
	for _, f := range tab.facets(counts, nil) {
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
			if len(f.Values) != 1 || f.Values[0].Value != "fk24" || f.Values[0].Event.Name != "Fachkongress" {
				t.Errorf("event facet = %+v, want only fk24", f.Values)
			}
		case FieldState:
			if len(f.Values) != 0 {
				t.Errorf("state facet = %+v, want none", f.Values)
			}
		}
	}
}
