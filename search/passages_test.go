package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
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

// TestRankPassagesMatchesBleve: each talk's picked slides and segments,
// in order, are those of a bleve request sorted by score and id, for
// queries of one word, several words, a phrase and a typo, with one and
// three passages a talk.
func TestRankPassagesMatchesBleve(t *testing.T) {
	ix := pageArchive(t, 120)
	ctx := context.Background()
	checked := 0
	for _, text := range []string{"Rechnung", "Akte Schule Portal", `"Cloud Server"`, "Feuerwher", "Kita Wahl Kasse"} {
		for _, perTalk := range []int{1, 3} {
			tq := ix.parseText(ctx, text)
			res, err := ix.Search(ctx, Query{Text: text, Slides: 1})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range res.Talks {
				ids = append(ids, h.ID)
			}
			want, wantTalk, err := ix.bleveRankPassages(ctx, res.Talks, ids, tq.passages, perTalk)
			if err != nil {
				t.Fatal(err)
			}
			snap, err := ix.openSnapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, gotTalk, err := snap.rankPassages(res.Talks, ids, tq.passages, perTalk)
			snap.r.Close()
			if err != nil {
				t.Fatal(err)
			}
			perTalkOrder := func(order []string, talkOf map[string]int) [][]string {
				out := make([][]string, len(ids))
				for _, id := range order {
					out[talkOf[id]] = append(out[talkOf[id]], id)
				}
				return out
			}
			w, g := perTalkOrder(want, wantTalk), perTalkOrder(got, gotTalk)
			for i := range w {
				checked += len(w[i])
				if !slices.Equal(w[i], g[i]) {
					t.Errorf("%q, %d a talk, talk %s: bleve picks %v, rankPassages %v", text, perTalk, ids[i], w[i], g[i])
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d passages compared: the test proves too little", checked)
	}
}
