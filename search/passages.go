package search

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// passage is a matching slide or transcript segment of a talk on the page.
type passage struct {
	dm    *bsearch.DocumentMatch // with the match's term locations
	id    string                 // the document id, once looked up
	talk  int                    // index of its talk in the page's hits
	score float64
}

// addPassages finds the best slides and transcript segments of the page's
// talks and attaches them with highlighted snippets: up to perTalk slides
// and perTalk segments of each talk, the best by score and then by
// document id (as a bleve request sorted by "-_score", "_id" would).
//
// One pass over the matching passages of the page's talks reads each
// one's talk and type from doc values and keeps its term locations; only
// the picked passages (and any that tie with the last picked) have their
// document ids looked up, and only the picked are loaded and highlighted,
// from the locations already read. Before, a bleve request sorted by id
// read the stored id of every matching passage, and a second request
// found the picked ones again to highlight them.
func (s *snapshot) addPassages(hits []TalkHit, ids []string, passages []query.Query, perTalk int) error {
	picked, err := s.pickPassages(hits, ids, passages, perTalk)
	if err != nil || len(picked) == 0 {
		return err
	}
	hl, err := bleve.Config.Cache.HighlighterNamed(html.Name)
	if err != nil {
		return fmt.Errorf("search: passages: %w", err)
	}
	for _, p := range picked {
		if err := s.attach(&hits[p.talk], p, hl); err != nil {
			return err
		}
	}
	return nil
}

// pickPassages returns the picked passages of the page's talks, best first.
func (s *snapshot) pickPassages(hits []TalkHit, ids []string, passages []query.Query, perTalk int) ([]passage, error) {
	pos := make(map[string]int, len(hits))
	for i, h := range hits {
		pos[h.ID] = i
	}
	dvr, err := s.r.DocValueReader([]string{fieldTalkID, fieldType})
	if err != nil {
		return nil, fmt.Errorf("search: passages: %w", err)
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
	err = eachMatchKeep(s.ctx, s.r, s.m, q, bsearch.SearcherOptions{IncludeTermVectors: true}, func(d *bsearch.DocumentMatch) (bool, error) {
		talk, typ = talk[:0], typ[:0]
		if err := dvr.VisitDocValues(d.IndexInternalID, visit); err != nil {
			return false, err
		}
		i, ok := pos[string(talk)]
		if !ok {
			return false, nil
		}
		g := 2 * i
		if string(typ) == typeSegment {
			g++
		}
		groups[g] = append(groups[g], passage{dm: d, talk: i, score: d.Score})
		if len(groups[g]) >= maxKept {
			groups[g] = prune(groups[g], perTalk)
		}
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: passages: %w", err)
	}
	var picked []passage
	for _, group := range groups {
		best, err := s.best(group, perTalk)
		if err != nil {
			return nil, err
		}
		picked = append(picked, best...)
	}
	slices.SortFunc(picked, byScoreThenID)
	return picked, nil
}

// maxKept is the number of passages a talk's group keeps before it drops
// those that can no longer be picked: a talk of thousands of slides does
// not keep thousands of matches with their term locations.
const maxKept = 256

// prune keeps the n best passages of a group and those that tie with the
// n-th (the id decides among them later).
func prune(group []passage, n int) []passage {
	if n <= 0 {
		return group[:0]
	}
	slices.SortStableFunc(group, func(a, b passage) int { return cmp.Compare(b.score, a.score) })
	end := min(n, len(group))
	for end < len(group) && group[end].score == group[n-1].score {
		end++
	}
	clear(group[end:]) // let the dropped matches go
	return group[:end]
}

// best returns the n best passages of a group with their document ids.
// Ids are looked up for the n best by score and for those that tie with
// the n-th, which the id orders.
func (s *snapshot) best(group []passage, n int) ([]passage, error) {
	group = prune(group, n)
	for i := range group {
		id, err := s.r.ExternalID(group[i].dm.IndexInternalID)
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

// attach loads a picked passage, highlights it from its term locations and
// appends it to its talk's slides or segments.
func (s *snapshot) attach(th *TalkHit, p passage, hl interface {
	BestFragmentsInField(*bsearch.DocumentMatch, index.Document, string, int) []string
}) error {
	kind, _, n, ok := parsePartID(p.id)
	if !ok {
		return nil
	}
	doc, err := s.r.Document(p.id)
	if err != nil {
		return fmt.Errorf("search: passage %s: %w", p.id, err)
	}
	if doc == nil {
		return nil // removed since the search began
	}
	p.dm.ID = p.id
	p.dm.Complete(nil)
	snippet := snippetOf(hl.BestFragmentsInField(p.dm, doc, fieldText, 1))
	start, extractor := -1.0, ""
	doc.VisitFields(func(f index.Field) {
		switch v := f.(type) {
		case index.NumericField:
			if f.Name() == fieldStart {
				if n, err := v.Number(); err == nil {
					start = n
				}
			}
		case index.TextField:
			if f.Name() == fieldExtractor {
				extractor = v.Text()
			}
		}
	})
	if kind == typeSegment {
		th.Segments = append(th.Segments, SegmentHit{N: n, Start: start, Snippet: snippet})
		return nil
	}
	th.Slides = append(th.Slides, SlideHit{Page: n, Snippet: snippet, Extractor: extractor})
	return nil
}
