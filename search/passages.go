package search

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// passage is a matching slide or transcript segment of a talk on the page.
type passage struct {
	doc   []byte // bleve's internal id
	id    string // the document id, once looked up
	score float64
}

// rankPassages ranks the matching passages of the page's talks and picks
// up to perTalk slides and perTalk segments of each, the best by score
// and then by document id (as a bleve request sorted by "-_score", "_id"
// would). It returns the picked document ids, best first, and the index
// in hits of each one's talk.
//
// One pass over the matches, which reads each match's talk and type from
// doc values; only the picked passages (and any that tie with the last
// picked) have their document ids looked up. A bleve request sorted by id
// looked up the stored id of every matching passage of ten talks.
func (s *snapshot) rankPassages(hits []TalkHit, ids []string, passages []query.Query, perTalk int) ([]string, map[string]int, error) {
	pos := make(map[string]int, len(hits))
	for i, h := range hits {
		pos[h.ID] = i
	}
	dvr, err := s.r.DocValueReader([]string{fieldTalkID, fieldType})
	if err != nil {
		return nil, nil, fmt.Errorf("search: passages: %w", err)
	}
	// groups[2*i] are the slides of hits[i], groups[2*i+1] its segments.
	groups := make([][]passage, 2*len(hits))
	var talk, typ []byte
	visit := func(field string, term []byte) {
		switch field {
		case fieldTalkID:
			talk = append(talk[:0], term...)
		case fieldType:
			typ = append(typ[:0], term...)
		}
	}
	q := query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(passages), termsQuery(fieldTalkID, ids)})
	err = eachMatch(s.ctx, s.r, s.m, q, bsearch.SearcherOptions{}, func(d *bsearch.DocumentMatch) error {
		talk, typ = talk[:0], typ[:0]
		if err := dvr.VisitDocValues(d.IndexInternalID, visit); err != nil {
			return err
		}
		i, ok := pos[string(talk)]
		if !ok {
			return nil
		}
		g := 2 * i
		if string(typ) == typeSegment {
			g++
		}
		groups[g] = append(groups[g], passage{doc: bytes.Clone(d.IndexInternalID), score: d.Score})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("search: passages: %w", err)
	}
	var picked []passage
	talkOf := map[string]int{}
	for g, group := range groups {
		best, err := s.best(group, perTalk)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range best {
			talkOf[p.id] = g / 2
		}
		picked = append(picked, best...)
	}
	slices.SortFunc(picked, byScoreThenID)
	order := make([]string, len(picked))
	for i, p := range picked {
		order[i] = p.id
	}
	return order, talkOf, nil
}

// best returns the n best passages of a group with their document ids.
// Ids are looked up for the n best by score and for those that tie with
// the n-th, which the id orders.
func (s *snapshot) best(group []passage, n int) ([]passage, error) {
	if len(group) == 0 || n <= 0 {
		return nil, nil
	}
	slices.SortStableFunc(group, func(a, b passage) int { return cmp.Compare(b.score, a.score) })
	end := min(n, len(group))
	for end < len(group) && group[end].score == group[n-1].score {
		end++
	}
	group = group[:end]
	for i := range group {
		id, err := s.r.ExternalID(group[i].doc)
		if err != nil {
			return nil, fmt.Errorf("search: passages: %w", err)
		}
		group[i].id = id
	}
	slices.SortFunc(group, byScoreThenID)
	return group[:min(n, len(group))], nil
}

func byScoreThenID(a, b passage) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.id, b.id))
}
