package search

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"strings"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// talkPage is one page of talks with the total and the facets.
type talkPage struct {
	hits   []talkMatch // the page, in order
	total  int
	facets []Facet
}

// talkMatch is a matching talk: its row in the talk table and its score.
type talkMatch struct {
	row   int32
	score float64
}

// pageFilter is the filter of one facet field, as ordinals of the table.
type pageFilter struct {
	field int    // index in tableFacets
	allow []bool // by value ordinal
}

// sortKey is one key of a sort order: the score, or a field of tableSorts.
type sortKey struct {
	score bool
	field int
	desc  bool
}

// collectTalks runs textQ (nil: every talk) on the snapshot and returns
// the page of talks q asks for, sorted as sortOrder says, with the total
// and every facet. Each facet counts the talks that match the text and
// the filters of all other fields, so its counts say what choosing
// another value would give. One pass over the matches does it all; the
// filters, facet values and sort keys come from the talk table. Scores
// and order are those of a bleve request with the filters as conjunction
// clauses and facet requests (the tests compare both).
func (s *snapshot) collectTalks(q Query, textQ query.Query) (*talkPage, error) {
	t := s.table
	filters := t.filters(q.Filters)
	keys := sortKeys(sortOrder(q.Sort, textQ != nil))
	h := &pageHeap{table: t, keys: keys, limit: (q.Page-1)*q.Size + q.Size}
	counts := make([][]int, len(tableFacets))
	for i := range counts {
		counts[i] = make([]int, len(t.dict[i]))
	}
	total := 0
	visit := func(row int32, score float64) {
		failed := -1
		for k, f := range filters {
			if !f.matches(t, row) {
				if failed >= 0 {
					return // fails two filters: counts nowhere
				}
				failed = k
			}
		}
		if failed >= 0 {
			// Counts only for the facet of the one filter it fails.
			t.count(counts, row, filters[failed].field)
			return
		}
		total++
		for i := range FacetFields {
			t.count(counts, row, i)
		}
		h.offer(talkMatch{row: row, score: score})
	}
	if textQ == nil {
		for row := range t.rows {
			visit(int32(row), 0)
		}
	} else {
		err := eachMatch(s.ctx, s.r, s.m, textQ, bsearch.SearcherOptions{}, func(d *bsearch.DocumentMatch) error {
			if row, ok := t.rowOf(d.IndexInternalID); ok {
				visit(row, d.Score)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	page := &talkPage{total: total, facets: t.facets(counts, q.Filters)}
	page.hits = h.sorted((q.Page - 1) * q.Size)
	return page, nil
}

// allMatch reports whether a row passes every filter.
func allMatch(fs []pageFilter, t *talkTable, row int32) bool {
	for _, f := range fs {
		if !f.matches(t, row) {
			return false
		}
	}
	return true
}

// filters resolves the filters of q to ordinals. A value no talk has
// allows nothing.
func (t *talkTable) filters(byField map[string][]string) []pageFilter {
	var out []pageFilter
	for i, f := range FacetFields {
		vals := byField[f]
		if len(vals) == 0 {
			continue
		}
		pf := pageFilter{field: i, allow: make([]bool, len(t.dict[i]))}
		for _, v := range vals {
			if o, ok := t.ords[i][v]; ok {
				pf.allow[o] = true
			}
		}
		out = append(out, pf)
	}
	return out
}

func (f pageFilter) matches(t *talkTable, row int32) bool {
	for _, o := range t.cols[f.field].of(row) {
		if f.allow[o] {
			return true
		}
	}
	return false
}

// count adds a talk's values of the facet of FacetFields[field] to the
// counts. The event facet counts event labels, which name the events.
func (t *talkTable) count(counts [][]int, row int32, field int) {
	if FacetFields[field] == FieldEvent {
		field = eventLabelAt
	}
	for _, o := range t.cols[field].of(row) {
		counts[field][o]++
	}
}

// facets turns the counts into the facets of the result: per field the
// values by count (then value), as many as facetSizes allows, and the
// active filter values even when nothing matches them (count 0). An empty
// value is no choice anyone can filter on and is left out.
func (t *talkTable) facets(counts [][]int, filters map[string][]string) []Facet {
	out := make([]Facet, 0, len(FacetFields))
	for i, f := range FacetFields {
		src := i
		if f == FieldEvent {
			src = eventLabelAt
		}
		type tc struct {
			term  string
			count int
		}
		var terms []tc
		for o, n := range counts[src] {
			if n > 0 {
				terms = append(terms, tc{t.dict[src][o], n})
			}
		}
		slices.SortFunc(terms, func(a, b tc) int {
			return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.term, b.term))
		})
		terms = terms[:min(len(terms), facetSizes[f])]
		facet := Facet{Field: f, Values: []FacetValue{}}
		seen := map[string]bool{}
		for _, x := range terms {
			v := FacetValue{Value: x.term, Count: x.count}
			if f == FieldEvent {
				v = eventFacetValue(x.term, x.count)
			}
			if strings.TrimSpace(v.Value) == "" {
				continue
			}
			facet.Values = append(facet.Values, v)
			seen[v.Value] = true
		}
		for _, v := range filters[f] {
			if !seen[v] {
				facet.Values = append(facet.Values, FacetValue{Value: v, Count: 0})
				seen[v] = true
			}
		}
		out = append(out, facet)
	}
	return out
}

// sortKeys translates a sort order of sortOrder into keys of the table.
func sortKeys(order []string) []sortKey {
	keys := make([]sortKey, 0, len(order))
	for _, o := range order {
		k := sortKey{}
		name, desc := strings.CutPrefix(o, "-")
		k.desc = desc
		if name == "_score" {
			k.score = true
		} else {
			k.field = slices.Index(tableSorts, name)
		}
		keys = append(keys, k)
	}
	return keys
}

// compare orders two matches as bleve's collector would: by each key in
// turn; a talk without a value of a field sorts last, as bleve's default
// "missing last" does.
func (t *talkTable) compare(keys []sortKey, a, b talkMatch) int {
	for _, k := range keys {
		c := 0
		if k.score {
			c = cmp.Compare(a.score, b.score)
		} else {
			c = strings.Compare(t.sortValue(a.row, k), t.sortValue(b.row, k))
		}
		if c != 0 {
			if k.desc {
				return -c
			}
			return c
		}
	}
	return cmp.Compare(a.row, b.row)
}

func (t *talkTable) sortValue(row int32, k sortKey) string {
	r := &t.rows[row]
	switch {
	case r.has[k.field]:
		return r.sorts[k.field]
	case k.desc:
		return bsearch.LowTerm
	default:
		return bsearch.HighTerm
	}
}

// pageHeap keeps the best limit matches, the worst on top.
type pageHeap struct {
	table *talkTable
	keys  []sortKey
	limit int
	items []talkMatch
}

func (h *pageHeap) Len() int           { return len(h.items) }
func (h *pageHeap) Less(i, j int) bool { return h.table.compare(h.keys, h.items[i], h.items[j]) > 0 }
func (h *pageHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *pageHeap) Push(x any)         { h.items = append(h.items, x.(talkMatch)) }
func (h *pageHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// offer adds m if it is among the best limit matches so far.
func (h *pageHeap) offer(m talkMatch) {
	if h.limit <= 0 {
		return
	}
	if len(h.items) < h.limit {
		heap.Push(h, m)
		return
	}
	if h.table.compare(h.keys, m, h.items[0]) < 0 {
		h.items[0] = m
		heap.Fix(h, 0)
	}
}

// sorted returns the kept matches best first, without the first skip.
func (h *pageHeap) sorted(skip int) []talkMatch {
	out := slices.Clone(h.items)
	slices.SortFunc(out, func(a, b talkMatch) int { return h.table.compare(h.keys, a, b) })
	if skip >= len(out) {
		return nil
	}
	return out[skip:]
}
