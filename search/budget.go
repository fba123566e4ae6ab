package search

import (
	"cmp"
	"context"
	"slices"
	"unicode/utf8"

	"github.com/talksearch/talksearch/internal/german"
)

// A query's term expansions are paid from one budget: the terms its
// prefixes expand to, its fuzzy clauses, and every look-up in the
// archive's vocabulary (compound splits, joinings, compounds of a word,
// verb forms, known words, "Meinten Sie" candidates) and every count of
// the partial-match tiers. Bleve expands a prefix or fuzzy query into one
// term searcher per matching term, so an unbounded query of many short
// prefixes costs seconds and gigabytes. Over budget, the query degrades:
// the most expensive prefixes are dropped first (they then match only as
// the word itself), later expansions are left out, and Result.Degraded
// says so. A query never fails for its cost.
const (
	// queryBudget is what one query may spend, in units: one per term a
	// prefix expands to (in the body field), one per vocabulary look-up,
	// fuzzyCost per fuzzy clause and scanCost per dictionary scan.
	queryBudget = 6000
	// prefixShare is the part of queryBudget the user's prefixes (x*)
	// may take together, so that their words keep their other expansions.
	prefixShare = 2
	// prefixMinLetters is the shortest prefix that is expanded; a
	// shorter one matches only as the word itself.
	prefixMinLetters = 3
	// prefixMaxTerms is the most terms one prefix may expand to; a
	// prefix with more is dropped.
	prefixMaxTerms = 1000
	// maxExpansions is the number of prefix and fuzzy expansions (each
	// over all of its fields) one query may have.
	maxExpansions = 16
	// maxPrefixes is the number of distinct prefixes whose dictionary
	// is measured at all; the others are dropped unmeasured.
	maxPrefixes = 32
	fuzzyCost   = 100
	scanCost    = 25
)

// budget is what is left of one query's expansion budget. A nil budget
// is unlimited.
type budget struct {
	left       int
	expansions int  // prefix and fuzzy expansions left
	used       int  // units spent
	degraded   bool // something was left out for the budget
	// prefixes are the user's prefixes (folded) allowed to expand, and
	// how many times each: a prefix repeated costs once per occurrence.
	prefixes map[string]int
}

func newBudget() *budget {
	return &budget{left: queryBudget, expansions: maxExpansions, prefixes: map[string]int{}}
}

// take spends n units if they are left, and otherwise records that the
// query degraded.
func (b *budget) take(n int) bool {
	if b == nil {
		return true
	}
	if n > b.left {
		b.degraded = true
		return false
	}
	b.left -= n
	b.used += n
	return true
}

// expansion spends one prefix or fuzzy expansion of cost units.
func (b *budget) expansion(cost int) bool {
	if b == nil {
		return true
	}
	if b.expansions <= 0 || cost > b.left {
		b.degraded = true
		return false
	}
	b.expansions--
	return b.take(cost)
}

// allowPrefix reports whether the user's prefix p (folded) may expand
// once more.
func (b *budget) allowPrefix(p string) bool {
	if b == nil {
		return true
	}
	if b.prefixes[p] <= 0 {
		return false
	}
	b.prefixes[p]--
	return true
}

// planPrefixes decides which of the user's prefixes expand: each is
// measured (the terms it expands to in the body field, the largest), and
// the cheapest are admitted first until the expansions or the prefix
// share of the budget run out. Prefixes that are too short or expand to
// too many terms are dropped whatever is left.
func (ix *Index) planPrefixes(ctx context.Context, b *budget, pq parsedQuery) {
	var ps []string
	seen := map[string]int{} // occurrences of each prefix
	add := func(t qterm) {
		if p := german.Fold(t.text); t.prefix {
			if seen[p] == 0 {
				ps = append(ps, p)
			}
			seen[p]++
		}
	}
	for _, g := range pq.groups {
		for _, t := range g {
			add(t)
		}
	}
	for _, t := range pq.not {
		add(t)
	}
	type measured struct {
		p    string
		cost int
	}
	var ms []measured
	for i, p := range ps {
		if i >= maxPrefixes || utf8.RuneCountInString(p) < prefixMinLetters {
			b.degraded = true
			continue
		}
		n := ix.prefixTerms(ctx, p)
		if n > prefixMaxTerms {
			b.degraded = true
			continue
		}
		ms = append(ms, measured{p, max(n, 1)})
	}
	slices.SortStableFunc(ms, func(x, y measured) int { return cmp.Compare(x.cost, y.cost) })
	share := queryBudget / prefixShare
	for _, m := range ms {
		for range seen[m.p] {
			if m.cost > share || !b.expansion(m.cost) {
				b.degraded = true
				break
			}
			share -= m.cost
			b.prefixes[m.p]++
		}
	}
}

// prefixTerms counts the terms of the body field that start with p, up to
// one more than prefixMaxTerms.
func (ix *Index) prefixTerms(ctx context.Context, p string) int {
	d, err := ix.b.FieldDictPrefix(fieldBody, []byte(p))
	if err != nil {
		return 0
	}
	defer d.Close()
	n := 0
	for n <= prefixMaxTerms && ctx.Err() == nil {
		e, err := d.Next()
		if err != nil || e == nil {
			break
		}
		n++
	}
	return n
}

// expensiveWords is the number of query words from which a query counts
// as expensive: each word costs vocabulary look-ups and a count of the
// partial-match tiers.
const expensiveWords = 8

// Expensive reports whether the query's text is likely to spend much of
// its expansion budget: it has a prefix (x*), or many words. A server
// may run fewer of these at once than of plain queries.
func (q Query) Expensive() bool {
	pq := parseQuery(q.Text)
	if len(pq.groups)+len(pq.not) >= expensiveWords {
		return true
	}
	for _, t := range pq.not {
		if t.prefix {
			return true
		}
	}
	for _, g := range pq.groups {
		for _, t := range g {
			if t.prefix {
				return true
			}
		}
	}
	return false
}
