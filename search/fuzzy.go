package search

import (
	"maps"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/vellum/levenshtein"
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
	terms, dists, ok := v.fuzzyTerms(field, term, fuzziness)
	if !ok {
		return nil, false
	}
	f := &fuzzyTerms{}
	for i, e := range terms {
		t := query.NewTermQuery(e)
		t.SetField(field)
		f.terms = append(f.terms, t)
		f.mult = append(f.mult, 1/float64(dists[i]+1))
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

// fuzzyTerms lists the terms of field within fuzziness edits of term, in
// term order, with their distances. bleve's FieldDictFuzzy builds the
// Levenshtein automaton anew for every field, and building it is nearly
// all the cost of a typo (a word is looked for in six fields); this
// builds it once a request and walks each segment's dictionary of the
// field with it, as bleve does.
func (v *vocab) fuzzyTerms(field, term string, fuzziness int) ([]string, []uint8, bool) {
	key := fieldFuzzyKey{field, fuzzyKey{term, fuzziness}}
	if f, seen := v.fuzzy[key]; seen {
		return f.terms, f.dists, f.ok
	}
	terms, dists, ok := v.walkFuzzy(field, term, fuzziness)
	if v.ctx.Err() == nil {
		v.fuzzy[key] = fuzzyFound{terms, dists, ok}
	}
	return terms, dists, ok
}

// walkFuzzy is fuzzyTerms without its cache.
func (v *vocab) walkFuzzy(field, term string, fuzziness int) ([]string, []uint8, bool) {
	is, ok := v.r.(*scorch.IndexSnapshot)
	if !ok || fuzziness < 1 || fuzziness > 2 {
		return nil, nil, false
	}
	key := fuzzyKey{term, fuzziness}
	dfa, ok := v.dfas[key]
	if !ok {
		var err error
		if dfa, err = v.lev.build(term, fuzziness); err != nil {
			return nil, nil, false
		}
		v.dfas[key] = dfa
	}
	dist := map[string]uint8{}
	for _, ss := range is.Segments() {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, nil, false
		}
		it := dict.AutomatonIterator(dfa, nil, nil)
		for v.ctx.Err() == nil {
			e, err := it.Next()
			if err != nil {
				return nil, nil, false
			}
			if e == nil {
				break
			}
			if d, seen := dist[e.Term]; !seen || e.EditDistance < d {
				dist[e.Term] = e.EditDistance
			}
		}
	}
	terms := slices.Sorted(maps.Keys(dist))
	dists := make([]uint8, len(terms))
	for i, t := range terms {
		dists[i] = dist[t]
	}
	return terms, dists, true
}

// levBuilders make Levenshtein automata of distance 1 and 2. Making a
// builder is costly (bleve keeps two for the process); an Index keeps
// its own, made on first use, with transpositions as bleve has them
// (a swap of neighbours is one edit). They are safe for concurrent use.
type levBuilders struct {
	once   sync.Once
	b1, b2 *levenshtein.LevenshteinAutomatonBuilder
	err    error
}

func (l *levBuilders) build(term string, fuzziness int) (*levenshtein.DFA, error) {
	l.once.Do(func() {
		if l.b1, l.err = levenshtein.NewLevenshteinAutomatonBuilder(1, true); l.err == nil {
			l.b2, l.err = levenshtein.NewLevenshteinAutomatonBuilder(2, true)
		}
	})
	if l.err != nil {
		return nil, l.err
	}
	if fuzziness == 1 {
		return l.b1.BuildDfa(term, 1)
	}
	return l.b2.BuildDfa(term, 2)
}

// hasFuzzy reports whether field has a term other than term within
// fuzziness edits of it; where it cannot tell (no vocabulary, no scorch
// snapshot), it answers yes, so that no word is widened unseen.
func (v *vocab) hasFuzzy(field, term string, fuzziness int) bool {
	if v == nil {
		return true
	}
	terms, _, ok := v.fuzzyTerms(field, term, fuzziness)
	return !ok || slices.ContainsFunc(terms, func(t string) bool { return t != term })
}
