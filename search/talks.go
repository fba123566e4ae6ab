package search

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Slides returns the text of every slide of a talk in page order, and its
// transcript segments in order. A talk without slides returns none; an
// unknown talk returns ErrNotFound.
func (ix *Index) Slides(ctx context.Context, talkID string) ([]Slide, []Segment, error) {
	if _, err := ix.Talk(ctx, talkID); err != nil {
		return nil, nil, err
	}
	tq := query.NewTermQuery(talkID)
	tq.SetField(fieldTalkID)
	const pageSize = 500
	req := bleve.NewSearchRequestOptions(tq, pageSize, 0, false)
	req.Fields = []string{fieldText, fieldPage, fieldStart, fieldExtractor}
	req.SortBy([]string{"_id"})
	var (
		slides   []Slide
		segments []Segment
	)
	for {
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return nil, nil, fmt.Errorf("search: slides of %s: %w", talkID, err)
		}
		for _, h := range res.Hits {
			if strings.HasPrefix(h.ID, "t:") {
				continue // the talk document itself
			}
			text, _ := h.Fields[fieldText].(string)
			n, _ := h.Fields[fieldPage].(float64)
			if strings.HasPrefix(h.ID, "g:") {
				start, ok := h.Fields[fieldStart].(float64)
				if !ok {
					start = -1
				}
				segments = append(segments, Segment{N: int(n), Start: start, Text: text})
				continue
			}
			extractor, _ := h.Fields[fieldExtractor].(string)
			slides = append(slides, Slide{Page: int(n), Text: text, Extractor: extractor})
		}
		if len(res.Hits) < pageSize {
			break
		}
		req.SearchAfter = []string{res.Hits[len(res.Hits)-1].ID}
	}
	sort.Slice(slides, func(i, j int) bool { return slides[i].Page < slides[j].Page })
	sort.Slice(segments, func(i, j int) bool { return segments[i].N < segments[j].N })
	return slides, segments, nil
}
