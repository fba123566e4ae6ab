package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// questionShare is the share of a question's word weight (coverage) that
// admits a talk which has fewer than half of the question's words.
// Measured on the held-out dev questions (55), with the score below:
// 0.3 0.593, 0.35 0.599, 0.4 0.610, 0.45 0.598, 0.5 0.592; half the
// words alone, as before, 0.588.
const questionShare = 0.4

// coverage decides which talks answer a question and how much of the
// question each covers. Every word (clause) weighs its rarity, the
// inverse document frequency of the talks it matches. A talk is admitted
// when it has at least minCount of the words, or words that carry at
// least minShare of the total weight: "Wie gebe ich in Calc einen Bruch
// statt einer Kommazahl ein?" is answered by the one talk with "Brüche",
// though it has neither "Calc" nor "Kommazahl". Its score is the sum of
// its words' scores times the geometric mean of the share of words it has
// and the share of weight they carry, so that more words and rarer words
// both rank a talk higher (bleve's coordination factor counts words
// only).
type coverage struct {
	weights  []float64 // per clause; 0 for a clause no talk matches
	total    float64
	minCount int
	minShare float64
}

// newCoverage weighs each clause by counts, the number of talks (of all
// talks) that match it.
func newCoverage(counts []int, talks, minCount int, minShare float64) *coverage {
	c := &coverage{weights: make([]float64, len(counts)), minCount: minCount, minShare: minShare}
	n := float64(talks)
	for i, df := range counts {
		if df > 0 {
			// BM25's inverse document frequency, always positive.
			c.weights[i] = math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
		}
		c.total += c.weights[i]
	}
	return c
}

// admits reports whether a talk that matches the clauses at the given
// positions answers the question; weight is their summed weight.
func (c *coverage) admits(matched int, weight float64) bool {
	return matched >= c.minCount || weight >= c.minShare*c.total
}

// factor scales the summed score of a talk that matches matched of the
// clauses with the given summed weight.
func (c *coverage) factor(matched int, weight float64) float64 {
	if c.total == 0 {
		return 0
	}
	return math.Sqrt(float64(matched) / float64(len(c.weights)) * weight / c.total)
}

// rows is the rows of the talk table that the coverage admits, given the
// rows each clause matches.
func (c *coverage) rows(sets []rowSet) rowSet {
	out := newRowSet(64 * len(sets[0]))
	for i := range out {
		var any uint64
		for _, s := range sets {
			any |= s[i]
		}
		for any != 0 {
			b := uint(bits.TrailingZeros64(any))
			any &= any - 1
			n, w := 0, 0.0
			for j, s := range sets {
				if s[i]&(1<<b) != 0 {
					n++
					w += c.weights[j]
				}
			}
			if c.admits(n, w) {
				out[i] |= 1 << b
			}
		}
	}
	return out
}

// covered is the query of a question: the talks its coverage admits,
// scored by the sum of their clauses' scores times the coverage factor.
type covered struct {
	qs  []query.Query
	cov *coverage
}

// MarshalJSON shows the query in debug output and tests (bleve cannot
// parse it back).
func (q *covered) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Covered  []query.Query `json:"covered"`
		Weights  []float64     `json:"weights"`
		MinCount int           `json:"min_count"`
		MinShare float64       `json:"min_share"`
	}{q.qs, q.cov.weights, q.cov.minCount, q.cov.minShare})
}

// Searcher implements query.Query. Unscored too, it admits talks by the
// coverage, so counts and facets agree with the ranked talks.
func (q *covered) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &bestOfSearcher{tie: 1, explain: opt.Explain, cov: q.cov}
	if err := s.open(ctx, q.qs, r, m, opt); err != nil {
		return nil, fmt.Errorf("search: clause of a question: %w", err)
	}
	return s, nil
}

// coverQuestion weighs the clauses of a question of two or more words by
// the talks each matches, of all talks (one unscored pass each), and
// makes tq's talk query the question's covered query.
func (s *snapshot) coverQuestion(tq *textQuery) error {
	if !tq.question || tq.empty || len(tq.clauses) < 2 {
		return nil
	}
	counts := make([]int, len(tq.clauses))
	sets := make([]rowSet, len(tq.clauses))
	for i, c := range tq.clauses {
		set, err := s.rowsOf(c, nil)
		if err != nil {
			return fmt.Errorf("search: weigh the words of a question: %w", err)
		}
		sets[i], counts[i] = set, set.count()
	}
	tq.coverSets = sets
	tq.cover = newCoverage(counts, len(s.table.rows), tq.minShould, questionShare)
	tq.talk = withNots(tq.full(), tq.nots)
	return nil
}
