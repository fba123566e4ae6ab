package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
)

// bleveRankPassages is how passages were ranked before passages.go: it ranks the matching passages of the talks by score and picks
// up to perTalk slides and perTalk segments of each. It returns the picked
// document ids, best first, and the index in hits of each one's talk.
func (ix *Index) bleveRankPassages(ctx context.Context, hits []TalkHit, ids []string, passages []query.Query, perTalk int) ([]string, map[string]int, error) {
	q := query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(passages), termsQuery(fieldTalkID, ids)})
	req := bleve.NewSearchRequestOptions(q, min(len(ids)*100, 5000), 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("search: passages: %w", err)
	}
	pos := make(map[string]int, len(hits))
	for i, h := range hits {
		pos[h.ID] = i
	}
	talkOf := map[string]int{}
	var order []string
	slides := make([]int, len(hits))
	segments := make([]int, len(hits))
	for _, h := range res.Hits {
		kind, talkID, _, ok := parsePartID(h.ID)
		if !ok {
			continue
		}
		i, ok := pos[talkID]
		if !ok {
			continue
		}
		count := &slides[i]
		if kind == typeSegment {
			count = &segments[i]
		}
		if *count >= perTalk {
			continue
		}
		*count++
		talkOf[h.ID] = i
		order = append(order, h.ID)
	}
	return order, talkOf, nil
}

// bleveAddPassages is how passages were found before passages.go: it finds the best slides and transcript segments of the given
// talks and attaches them with highlighted snippets. Two requests, however
// many talks: the first ranks every matching passage of these talks
// without loading anything (talk and page are in the document id), the
// second loads and highlights only the few that are shown.
func (ix *Index) bleveAddPassages(ctx context.Context, hits []TalkHit, ids []string, passages []query.Query, perTalk int) error {
	order, talkOf, err := ix.bleveRankPassages(ctx, hits, ids, passages, perTalk)
	if err != nil || len(order) == 0 {
		return err
	}
	return ix.bleveHighlightPassages(ctx, hits, order, talkOf, passages)
}

// bleveHighlightPassages loads and highlights the picked passages and appends
// them, in the given order, to their talks' slides and segments.
func (ix *Index) bleveHighlightPassages(ctx context.Context, hits []TalkHit, order []string, talkOf map[string]int, passages []query.Query) error {
	hq := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(order), query.NewDisjunctionQuery(passages)})
	hreq := bleve.NewSearchRequestOptions(hq, len(order), 0, false)
	hreq.Fields = []string{fieldStart, fieldExtractor}
	hreq.Highlight = bleve.NewHighlightWithStyle(html.Name)
	hreq.Highlight.Fields = []string{fieldText}
	hres, err := ix.b.SearchInContext(ctx, hreq)
	if err != nil {
		return fmt.Errorf("search: passages: %w", err)
	}
	byID := make(map[string]*bsearch.DocumentMatch, len(hres.Hits))
	for _, h := range hres.Hits {
		byID[h.ID] = h
	}
	for _, id := range order {
		h, ok := byID[id]
		if !ok {
			continue
		}
		kind, _, n, _ := parsePartID(id)
		th := &hits[talkOf[id]]
		snippet := snippetOf(h.Fragments[fieldText])
		if kind == typeSegment {
			start, ok := h.Fields[fieldStart].(float64)
			if !ok {
				start = -1
			}
			th.Segments = append(th.Segments, SegmentHit{N: n, Start: start, Snippet: snippet})
			continue
		}
		extractor, _ := h.Fields[fieldExtractor].(string)
		th.Slides = append(th.Slides, SlideHit{Page: n, Snippet: snippet, Extractor: extractor})
	}
	return nil
}

// TestPassagesMatchBleve: each talk's slides and segments, their order,
// snippets, times and extractors are those the two bleve requests gave
// (ranked by score and id, then loaded and highlighted), for queries of
// one word, several words, a phrase and a typo, with one and three
// passages a talk.
func TestPassagesMatchBleve(t *testing.T) {
	ix := pageArchive(t, 120)
	ctx := ix.bm25Context(t)
	checked, segments := 0, 0
	for _, text := range []string{"Rechnung", "Akte Schule Portal", `"Cloud Server"`, "Feuerwher", "Kita Wahl Kasse"} {
		for _, perTalk := range []int{1, 3} {
			tq := ix.parseText(ctx, text, false)
			res, err := ix.Search(ctx, Query{Text: text, Slides: 1})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			want := make([]TalkHit, len(res.Talks))
			got := make([]TalkHit, len(res.Talks))
			for i, h := range res.Talks {
				ids = append(ids, h.ID)
				want[i].Talk, got[i].Talk = h.Talk, h.Talk
			}
			if err := ix.bleveAddPassages(ctx, want, ids, tq.passages, perTalk); err != nil {
				t.Fatal(err)
			}
			snap, err := ix.openSnapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = snap.addPassages(got, ids, tq.passages, perTalk)
			snap.r.Close()
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				checked += len(want[i].Slides) + len(want[i].Segments)
				segments += len(want[i].Segments)
				if !slices.Equal(want[i].Slides, got[i].Slides) || !slices.Equal(want[i].Segments, got[i].Segments) {
					t.Errorf("%q, %d a talk, talk %s:\nbleve  %+v %+v\npassages %+v %+v", text, perTalk, ids[i], want[i].Slides, want[i].Segments, got[i].Slides, got[i].Segments)
				}
			}
		}
	}
	if checked < 50 || segments < 5 {
		t.Errorf("only %d passages (%d segments) compared: the test proves too little", checked, segments)
	}
}

func TestPrune(t *testing.T) {
	ps := func(scores ...float64) []passage {
		out := make([]passage, len(scores))
		for i, s := range scores {
			out[i] = passage{score: s, id: fmt.Sprint(i)}
		}
		return out
	}
	tests := []struct {
		name   string
		in     []passage
		n      int
		scores []float64
	}{
		{"best three", ps(1, 5, 3, 4, 2), 3, []float64{5, 4, 3}},
		{"ties with the last are kept", ps(1, 3, 3, 5, 3), 2, []float64{5, 3, 3, 3}},
		{"fewer than n", ps(2, 1), 3, []float64{2, 1}},
		{"none wanted", ps(2, 1), 0, nil},
	}
	for _, tc := range tests {
		var got []float64
		for _, p := range prune(tc.in, tc.n) {
			got = append(got, p.score)
		}
		if !slices.Equal(got, tc.scores) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.scores)
		}
	}
}

// TestPassagesOfLongTalk: a talk with more matching slides than a group
// keeps at once still shows its best ones.
func TestPassagesOfLongTalk(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	d := Doc{Talk: Talk{ID: "lang", Title: "Rechnungseingang", Kind: "Vortrag"}}
	for p := 1; p <= 3*maxKept; p++ {
		text := "Rechnung prüfen und freigeben"
		if p%100 == 7 {
			text = "Rechnung Rechnung: die Rechnung kurz"
		}
		d.Slides = append(d.Slides, Slide{Page: p, Text: text})
	}
	if err := ix.Index(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Query{Text: "Rechnung", Slides: 3})
	if err != nil {
		t.Fatal(err)
	}
	var pages []int
	for _, s := range res.Talks[0].Slides {
		pages = append(pages, s.Page)
	}
	// The eight best slides tie; the document id orders them ("s:lang:107"
	// before "s:lang:7"), as a bleve request sorted by id does.
	if !slices.Equal(pages, []int{107, 207, 307}) {
		t.Errorf("best slides %v, want [107 207 307]", pages)
	}
}
