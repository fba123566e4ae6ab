package search

import (
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// fuzzyTerms is a typo-tolerant match of one word in one field, expanded
// once per request: the field's terms within the edit distance, each a
// term query weighted as bleve's fuzzy searcher weights it (1/(distance+1)
// of the clause's boost). A bleve FuzzyQuery builds its Levenshtein
// automaton again in every request the query runs in (the page of talks,
// the partial-match tiers, the facets, the passages), which made typo
// queries the slowest of the mix; this builds it once a field.
type fuzzyTerms struct {
	*query.DisjunctionQuery
	terms []*query.TermQuery
	mult  []float64
}

// SetBoost weights every term by boost and its distance. (Bleve ignores
// the boost of a disjunction itself.)
func (f *fuzzyTerms) SetBoost(boost float64) {
	for i, t := range f.terms {
		t.SetBoost(boost * f.mult[i])
	}
}

// fuzzyOf makes the typo-tolerant queries of term (already normalised)
// with the given edit distance. It expands the term against each field's
// dictionary through the request's reader; without one (or when the
// dictionary cannot be read) it falls back to bleve's FuzzyQuery, which
// matches the same terms.
func (v *vocab) fuzzyOf(term string, fuzziness int) func(field string) fieldQuery {
	return func(field string) fieldQuery {
		if f, ok := v.expandFuzzy(field, term, fuzziness); ok {
			return f
		}
		q := query.NewFuzzyQuery(term)
		q.SetField(field)
		q.SetFuzziness(fuzziness)
		return q
	}
}

// expandFuzzy lists the terms of field within fuzziness edits of term.
// As bleve's fuzzy searcher does, no candidate or only the term itself
// is a plain term query.
func (v *vocab) expandFuzzy(field, term string, fuzziness int) (fieldQuery, bool) {
	if v == nil {
		return nil, false
	}
	fr, ok := v.r.(index.IndexReaderFuzzy)
	if !ok {
		return nil, false
	}
	dict, err := fr.FieldDictFuzzy(field, term, fuzziness, "")
	if err != nil {
		return nil, false
	}
	defer dict.Close()
	f := &fuzzyTerms{}
	for v.ctx.Err() == nil {
		e, err := dict.Next()
		if err != nil {
			return nil, false
		}
		if e == nil {
			break
		}
		t := query.NewTermQuery(e.Term)
		t.SetField(field)
		f.terms = append(f.terms, t)
		f.mult = append(f.mult, 1/float64(e.EditDistance+1))
	}
	if len(f.terms) == 0 || len(f.terms) == 1 && f.terms[0].Term == term {
		t := query.NewTermQuery(term)
		t.SetField(field)
		return t, true
	}
	disjuncts := make([]query.Query, len(f.terms))
	for i, t := range f.terms {
		disjuncts[i] = t
	}
	f.DisjunctionQuery = query.NewDisjunctionQuery(disjuncts)
	return f, true
}
