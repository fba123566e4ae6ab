package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// bestOf matches the documents that any of its queries matches and scores
// each by its best-scoring query plus tie times the others: tie 1 is the
// sum, tie 0 the best alone (Lucene's dis_max).
//
// bleve's disjunction multiplies the sum by the share of its queries that
// match (the coordination factor). Between the words of a query that is
// right: a talk with more of the words ranks higher. Inside one word of a
// question it is not. There the clauses are the word's fields and its
// other forms, so a word that stands only in a talk's text counted an
// eighth of one that also stands in its title, and a word with expansions
// counted half when the talk had its exact form. Questions are answered
// by text, not titles, so they score a word with bestOf (wordQuery).
type bestOf struct {
	qs  []query.Query
	tie float64
}

// sumOf scores a match by the sum of its queries' scores.
func sumOf(qs []query.Query) query.Query { return newBestOf(qs, 1) }

// maxOf scores a match by its best query.
func maxOf(qs []query.Query) query.Query { return newBestOf(qs, 0) }

func newBestOf(qs []query.Query, tie float64) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return &bestOf{qs: qs, tie: tie}
}

// MarshalJSON shows the query in debug output and tests (bleve cannot
// parse it back).
func (q *bestOf) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		BestOf []query.Query `json:"best_of"`
		Tie    float64       `json:"tie"`
	}{q.qs, q.tie})
}

// Searcher implements query.Query. Unscored, the documents are those of
// bleve's disjunction, which then uses its faster paths.
func (q *bestOf) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if opt.Score == scoreNone || len(q.qs) == 0 {
		return query.NewDisjunctionQuery(q.qs).Searcher(ctx, r, m, opt)
	}
	s := &bestOfSearcher{tie: q.tie, explain: opt.Explain}
	if err := s.open(ctx, q.qs, r, m, opt); err != nil {
		return nil, fmt.Errorf("search: clause of a word: %w", err)
	}
	return s, nil
}

// open opens a searcher for each query. As bleve's compound searchers do,
// s sets a query norm of its own, which an enclosing searcher replaces
// with its norm.
func (s *bestOfSearcher) open(ctx context.Context, qs []query.Query, r index.IndexReader, m mapping.IndexMapping, opt bsearch.SearcherOptions) error {
	for _, c := range qs {
		cs, err := c.Searcher(ctx, r, m, opt)
		if err != nil {
			_ = s.Close()
			return err
		}
		s.subs = append(s.subs, cs)
	}
	s.currs = make([]*bsearch.DocumentMatch, len(s.subs))
	if w := s.Weight(); w > 0 {
		s.SetQueryNorm(1 / math.Sqrt(w))
	}
	return nil
}

var _ bsearch.Searcher = (*bestOfSearcher)(nil)

// bestOfSearcher walks its searchers side by side, in document order.
type bestOfSearcher struct {
	subs    []bsearch.Searcher
	currs   []*bsearch.DocumentMatch // each searcher's current match; nil when done
	tie     float64
	explain bool
	started bool
	match   []int                    // scratch: the searchers on the current document
	others  []*bsearch.DocumentMatch // scratch: their matches after the first
	// cov, when set, admits and scales matches by their coverage of a
	// question (covered).
	cov *coverage
}

func (s *bestOfSearcher) start(ctx *bsearch.SearchContext) error {
	s.started = true
	for i, sub := range s.subs {
		d, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		s.currs[i] = d
	}
	return nil
}

// Next returns the next document any searcher matches, scored.
func (s *bestOfSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for {
		rv, err := s.nextMatch(ctx)
		if rv != nil || err != nil || s.cov == nil {
			return rv, err
		}
		if len(s.match) == 0 {
			return nil, nil
		}
	}
}

// nextMatch moves past the next document any searcher matches and
// returns it scored, or nil with s.match set when s.cov does not admit
// it.
func (s *bestOfSearcher) nextMatch(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	s.match = s.match[:0]
	for i, d := range s.currs {
		if d == nil {
			continue
		}
		if len(s.match) > 0 {
			c := d.IndexInternalID.Compare(s.currs[s.match[0]].IndexInternalID)
			if c > 0 {
				continue
			}
			if c < 0 {
				s.match = s.match[:0]
			}
		}
		s.match = append(s.match, i)
	}
	if len(s.match) == 0 {
		return nil, nil
	}
	var rv *bsearch.DocumentMatch
	if s.cov == nil || s.cov.admits(len(s.match), s.weight()) {
		rv = s.score()
	}
	for _, i := range s.match {
		if s.currs[i] != rv {
			ctx.DocumentMatchPool.Put(s.currs[i])
		}
		d, err := s.subs[i].Next(ctx)
		if err != nil {
			return nil, err
		}
		s.currs[i] = d
	}
	return rv, nil
}

// score combines the matches of the searchers in s.match into the first.
func (s *bestOfSearcher) score() *bsearch.DocumentMatch {
	var sum, best float64
	var expl []*bsearch.Explanation
	for _, i := range s.match {
		d := s.currs[i]
		sum += d.Score
		best = max(best, d.Score)
		if s.explain {
			expl = append(expl, d.Expl)
		}
	}
	rv := s.currs[s.match[0]]
	if len(s.match) > 1 {
		s.others = s.others[:0]
		for _, i := range s.match[1:] {
			s.others = append(s.others, s.currs[i])
		}
		rv.FieldTermLocations = bsearch.MergeFieldTermLocations(rv.FieldTermLocations, s.others)
		clear(s.others) // hold no pooled match
	}
	rv.Score = best + s.tie*(sum-best)
	f := 0.0
	if s.cov != nil {
		f = s.cov.factor(len(s.match), s.weight())
		rv.Score = sum * f
	}
	if s.explain {
		// Only when explaining: formatting per match costs an
		// allocation on every scored document.
		msg := fmt.Sprintf("best plus %g × the others of:", s.tie)
		if s.cov != nil {
			msg = fmt.Sprintf("sum times coverage %.4f of:", f)
		}
		rv.Expl = &bsearch.Explanation{Value: rv.Score, Message: msg, Children: expl}
	}
	return rv
}

// weight is the coverage weight of the searchers in s.match.
func (s *bestOfSearcher) weight() float64 {
	var w float64
	for _, i := range s.match {
		w += s.cov.weights[i]
	}
	return w
}

// Advance moves to the first document at or after id that a searcher
// matches.
func (s *bestOfSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for i, d := range s.currs {
		if d == nil || d.IndexInternalID.Compare(id) >= 0 {
			continue
		}
		ctx.DocumentMatchPool.Put(d)
		nd, err := s.subs[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.currs[i] = nd
	}
	return s.Next(ctx)
}

// Close closes every searcher.
func (s *bestOfSearcher) Close() error {
	var first error
	for _, sub := range s.subs {
		if err := sub.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight is the sum of the searchers' weights, as bleve's compound
// searchers report it for the query norm.
func (s *bestOfSearcher) Weight() float64 {
	var w float64
	for _, sub := range s.subs {
		w += sub.Weight()
	}
	return w
}

// SetQueryNorm passes the query norm on.
func (s *bestOfSearcher) SetQueryNorm(n float64) {
	for _, sub := range s.subs {
		sub.SetQueryNorm(n)
	}
}

// Count is an upper bound: the sum of the searchers' counts.
func (s *bestOfSearcher) Count() uint64 {
	var n uint64
	for _, sub := range s.subs {
		n += sub.Count()
	}
	return n
}

// Min is 0: one matching searcher is enough.
func (s *bestOfSearcher) Min() int { return 0 }

// Size estimates the searcher's memory in bytes.
func (s *bestOfSearcher) Size() int {
	n := 64 + 8*len(s.currs) + 8*cap(s.match)
	for _, sub := range s.subs {
		n += sub.Size()
	}
	return n
}

// DocumentMatchPoolSize is how many matches the searcher may hold at once.
func (s *bestOfSearcher) DocumentMatchPoolSize() int {
	n := len(s.subs)
	for _, sub := range s.subs {
		n += sub.DocumentMatchPoolSize()
	}
	return n
}
