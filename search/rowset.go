package search

import (
	"math/bits"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// rowSet is a set of rows of the talk table.
type rowSet []uint64

func newRowSet(rows int) rowSet { return make(rowSet, (rows+63)/64) }

func (s rowSet) add(row int32) { s[row/64] |= 1 << (row % 64) }

// or adds the rows of o to s.
func (s rowSet) or(o rowSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

func (s rowSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// countNot counts the rows of s that are not in o.
func (s rowSet) countNot(o rowSet) int {
	n := 0
	for i, w := range s {
		n += bits.OnesCount64(w &^ o[i])
	}
	return n
}

// andNot returns the rows of s that are not in o.
func (s rowSet) andNot(o rowSet) rowSet {
	out := make(rowSet, len(s))
	for i, w := range s {
		out[i] = w &^ o[i]
	}
	return out
}

// intersects reports whether s and o share a row.
func (s rowSet) intersects(o rowSet) bool {
	for i, w := range s {
		if w&o[i] != 0 {
			return true
		}
	}
	return false
}

// rowsInAll is the rows in every set at the given positions.
func rowsInAll(sets []rowSet, at []int) rowSet {
	out := append(rowSet(nil), sets[at[0]]...)
	for _, j := range at[1:] {
		for i := range out {
			out[i] &= sets[j][i]
		}
	}
	return out
}

// rowsInAtLeast is the rows in at least k of the sets.
func rowsInAtLeast(sets []rowSet, k int) rowSet {
	out := newRowSet(64 * len(sets[0]))
	for i := range out {
		for b := 0; b < 64; b++ {
			n := 0
			for _, s := range sets {
				if s[i]&(1<<b) != 0 {
					n++
				}
			}
			if n >= k {
				out[i] |= 1 << b
			}
		}
	}
	return out
}

// rowsOf returns the talks that match q and pass the filters: one
// unscored pass over the matches.
func (s *snapshot) rowsOf(q query.Query, fs []pageFilter) (rowSet, error) {
	t := s.table
	set := newRowSet(len(t.rows))
	err := eachMatch(s.ctx, s.r, s.m, q, bsearch.SearcherOptions{Score: scoreNone}, func(d *bsearch.DocumentMatch) error {
		if row, ok := t.rowOf(d.IndexInternalID); ok && allMatch(fs, t, row) {
			set.add(row)
		}
		return nil
	})
	return set, err
}

// clauseSets reads the talks that pass the filters and match each clause
// of tq, their numbers, and those that match any excluded term: one
// unscored pass each. Without filters, the clauses' sets a question has
// already read (textQuery.coverSets) are used as they are.
func (s *snapshot) clauseSets(tq textQuery, fs []pageFilter) (sets []rowSet, counts []int, excluded rowSet, err error) {
	sets = make([]rowSet, len(tq.clauses))
	counts = make([]int, len(tq.clauses))
	for i, c := range tq.clauses {
		if len(fs) == 0 && tq.coverSets != nil {
			sets[i] = tq.coverSets[i]
		} else if sets[i], err = s.rowsOf(c, fs); err != nil {
			return nil, nil, nil, err
		}
		counts[i] = sets[i].count()
	}
	excluded = newRowSet(len(s.table.rows))
	for _, n := range tq.nots {
		set, err := s.rowsOf(n, fs)
		if err != nil {
			return nil, nil, nil, err
		}
		excluded.or(set)
	}
	return sets, counts, excluded, nil
}
