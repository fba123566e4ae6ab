package search

import (
	"cmp"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Match values of Result.Match.
const (
	// MatchAll means every talk found matches the whole query.
	MatchAll = "all"
	// MatchPartial means talks that match only some of the query's
	// words follow those that match all (if any); Result.Ignored names
	// the words that none of the first of them has.
	MatchPartial = "partial"
)

// tierGap is the score step between the tiers of a partial match, before
// bleve's query normalisation. bleve ignores the boost of compound
// queries, so each tier adds a constant (a match-all clause boosted to
// it) to the score of its words. A talk's score from its words is below
// (boost ≤ 4) × idf² (idf ≤ 15) per matching term, so a million outweighs
// that for hundreds of terms and still leaves the word scores about nine
// significant digits in a float64, keeping the order within a tier.
const tierGap = 1e6

// A query that does not fill its first page is relaxed the way
// Meilisearch's "last" matching strategy does: words are dropped one at a
// time, first those no talk matches, then the most frequent (least
// informative) one, and each tier requires all the words left. Talks are
// ranked by the first tier they match: all words, then the tier that
// dropped one word, and so on. Each tier excludes the talks of the tiers
// before it, so every talk matches exactly one tier; within the full tier
// the order is that of the full query, and within a later tier the words
// it does not require, where present, still raise the score. When even
// the tier of the rarest word leaves the page short, a last tier takes
// the talks with any of the words (a question has it instead of the tier
// of its rarest word): two typed words never hide a talk with one of them
// while the page has room (docs/relevance-journal.md, entry 71: Debian
// Edu dev 0.8112 → 0.8328, the other dev halves up to +0.0025).

// relaxed is a query relaxed to a part of its words.
type relaxed struct {
	talk    query.Query // the tiers, to be used instead of the full query
	ignored []string    // the words no talk of its first tier has, in query order
}

// wantsTiers reports whether the query of tq, which found full talks,
// should be relaxed to fill the first page: only free text of two or more
// words, and with another sort order only when nothing matched at all
// (partial matches would mix with full ones).
func wantsTiers(q Query, tq textQuery, full int) bool {
	if tq.talk == nil || len(tq.clauses) < 2 || full >= q.Size {
		return false
	}
	return q.Sort == "" || q.Sort == SortRelevance || full == 0
}

// relax builds the tiers of tq until they find at least q.Size talks or one
// word remains. It returns nil when no tier adds a talk to the full ones.
// It reads which talks (of those the filters leave) match each clause and
// each excluded term, one unscored pass each, and counts the talks of
// each tier from those sets, in memory.
func (s *snapshot) relax(q Query, tq textQuery, full int) (*relaxed, error) {
	if !tq.budget.take(len(tq.clauses)) {
		return nil, nil // no tiers for a query over its budget
	}
	sets, counts, excluded, err := s.clauseSets(tq, s.table.filters(q.Filters))
	if err != nil {
		return nil, err
	}
	order := dropOrder(counts)
	fullQ := tq.full()
	taken := rowsInAtLeast(sets, tq.minShould) // the talks of the tiers so far
	if tq.cover != nil {
		taken = tq.cover.rows(sets)
	}
	taken.or(excluded)

	tiers := []query.Query{withConstant(tq.talk, tierGap*float64(len(order)))}
	total := full
	var ignored []string // the words the talks of the first tier lack
	var prev query.Query // the required words of the last tier taken
	rarest := false      // the tier of the rarest word was tried
	// addTier appends the tier that requires req (the talks of reqSet)
	// and scores the dropped clauses, at the constant c, when it adds a
	// talk to the tiers before it.
	addTier := func(req query.Query, reqSet rowSet, dropped []int, c float64) {
		n := reqSet.countNot(taken)
		if n <= 0 {
			return
		}
		if prev == nil {
			// The first talks below the full ones: the words none of
			// them has, which the page and the API name.
			ignored = lackedBy(sets, reqSet.andNot(taken), tq.clauseWords)
		}
		tier := tierQuery(tq.clauses, req, dropped, counts, []query.Query{fullQ, prev})
		tiers = append(tiers, withConstant(tier, c))
		total += n
		taken.or(reqSet)
		prev = req
	}
	for k := 1; k < len(order) && total < q.Size; k++ {
		dropped, kept := order[:k], order[k:]
		if counts[kept[0]] == 0 {
			continue // a word no talk has is still required
		}
		if len(kept) >= tq.minShould {
			continue // every talk of this tier is a full match
		}
		if !tq.budget.take(len(kept)) {
			break // the tiers so far; Result.Degraded says so
		}
		req, reqSet := allClauses(tq.clauses, kept), rowsInAll(sets, kept)
		rarest = len(kept) == 1
		if rarest && tq.question {
			// The last tier of a question: any of its words. A question
			// says more than its rarest word; which of its words a
			// page uses, their rarity and number decide the order.
			req, reqSet = anyClause(tq.clauses, counts), rowsInAtLeast(sets, 1)
		}
		addTier(req, reqSet, dropped, tierGap*float64(len(order)-len(tiers)))
	}
	if total < q.Size && !tq.question && rarest && tq.budget.take(len(order)) {
		// The last tier of a keyword query whose page is still short:
		// any of its words, below the talks with its rarest one, also
		// when that tier added none (every talk with the rarest word
		// has them all; journal entry 83).
		addTier(anyClause(tq.clauses, counts), rowsInAtLeast(sets, 1), order[:len(order)-1], 0)
	}
	if total == full {
		return nil, nil
	}
	return &relaxed{talk: withNots(query.NewDisjunctionQuery(tiers), tq.nots), ignored: ignored}, nil
}

// dropOrder is the order in which clauses are dropped: those matching no
// talk first, in query order, then the others from the most frequent to
// the rarest; of equally frequent ones, the later in the query first.
func dropOrder(counts []int) []int {
	order := make([]int, len(counts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		za, zb := counts[a] == 0, counts[b] == 0
		switch {
		case za && zb:
			return cmp.Compare(a, b)
		case za:
			return -1
		case zb:
			return 1
		}
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	return order
}

// tierQuery requires req, leaves out the talks of the earlier tiers and
// scores the dropped clauses that some talk matches as optional.
func tierQuery(clauses []query.Query, req query.Query, dropped, counts []int, earlier []query.Query) query.Query {
	b := query.NewBooleanQuery([]query.Query{req}, nil, nil)
	var optional []query.Query
	for _, i := range dropped {
		if counts[i] > 0 {
			optional = append(optional, clauses[i])
		}
	}
	if len(optional) > 0 {
		b.AddShould(optional...)
	}
	for _, e := range earlier {
		if e != nil {
			b.AddMustNot(e)
		}
	}
	return b
}

// withConstant adds c to the score of every talk that matches q.
func withConstant(q query.Query, c float64) query.Query {
	all := query.NewMatchAllQuery()
	all.SetBoost(c)
	return query.NewConjunctionQuery([]query.Query{q, all})
}

// allClauses requires the clauses at the given positions.
func allClauses(clauses []query.Query, at []int) query.Query {
	if len(at) == 1 {
		return clauses[at[0]]
	}
	qs := make([]query.Query, len(at))
	for i, j := range at {
		qs[i] = clauses[j]
	}
	return query.NewConjunctionQuery(qs)
}

// anyClause matches talks with any of the clauses some talk matches.
func anyClause(clauses []query.Query, counts []int) query.Query {
	var qs []query.Query
	for i, c := range clauses {
		if counts[i] > 0 {
			qs = append(qs, c)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// withNots excludes the talks that match any of nots.
func withNots(q query.Query, nots []query.Query) query.Query {
	if len(nots) == 0 {
		return q
	}
	return query.NewBooleanQuery([]query.Query{q}, nil, nots)
}

// lackedBy returns the words (of the clauses whose talks are sets) that
// none of the talks in rows has, in query order: the words a partial
// match's first talks lack. The words a tier does not require are not
// that: the any-word tier of a keyword query requires none, and its
// talks all lack the rarest word and may have the others.
func lackedBy(sets []rowSet, rows rowSet, words []string) []string {
	out := []string{}
	for i, s := range sets {
		if !s.intersects(rows) {
			out = append(out, words[i])
		}
	}
	return out
}

// groupText is how the user typed consecutive query groups, as far as the
// parsed query says: a phrase in quotes, a prefix with its star, a field
// term without its field name, alternatives joined with OR.
func groupText(groups []qgroup) string {
	var parts []string
	for _, g := range groups {
		alts := make([]string, len(g))
		for i, t := range g {
			switch {
			case t.phrase:
				alts[i] = `"` + t.text + `"`
			case t.prefix:
				alts[i] = t.text + "*"
			default:
				alts[i] = t.text
			}
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	return strings.Join(parts, " ")
}
