package search

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
)

// scoreNone asks bleve not to score: for requests that only count talks
// or facets, scoring every match is wasted work.
const scoreNone = "none"

// facetSizes caps the values each facet reports.
var facetSizes = map[string]int{
	FieldSpeaker: 30, FieldOrganisation: 30, FieldState: 20, FieldTopic: 40, FieldKind: 10, FieldEvent: 30, FieldYear: 30,
}

// Search runs q and returns one page of talks with their best slides, the
// total number of matching talks and the facet counts. Facets count talks.
// Each facet is computed with the filters of all other fields applied but
// not its own, so its counts say what choosing another value would give.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	snap, err := ix.openSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.r.Close()
	tq := ix.parseText(ctx, q.Text, snap.table.leads)
	if err := ctx.Err(); err != nil {
		// The vocabulary look-ups stop at the deadline; their query
		// would be incomplete.
		return nil, fmt.Errorf("search: %w", err)
	}
	if err := snap.coverQuestion(&tq); err != nil {
		return nil, err
	}
	textQ := tq.talk
	if tq.empty {
		// Only stop words or punctuation: nothing to match.
		textQ = query.NewMatchNoneQuery()
	}
	page, err := snap.collectTalks(q, textQ)
	if err != nil {
		return nil, err
	}
	out := &Result{Total: page.total, Full: page.total, Match: MatchAll}
	if wantsTiers(q, tq, out.Full) {
		// Too few talks have all words: fill the page with talks that
		// have some of them (partial.go).
		rq, err := snap.relax(q, tq, out.Full)
		if err != nil {
			return nil, err
		}
		if rq != nil {
			if page, err = snap.collectTalks(q, rq.talk); err != nil {
				return nil, err
			}
			out.Total, out.Match, out.Ignored = page.total, MatchPartial, rq.ignored
		}
	}
	out.Facets = page.facets
	ids, err := snap.addTalks(out, page.hits)
	if err != nil {
		return nil, err
	}
	if err := ix.suggestCorrection(ctx, snap, q, tq, out); err != nil {
		return nil, err
	}
	if len(tq.passages) > 0 && len(ids) > 0 && q.Slides > 0 {
		if err := snap.addPassages(out.Talks, ids, tq.passages, q.Slides); err != nil {
			return nil, err
		}
	}
	out.Degraded = tq.budget.degraded
	return out, nil
}

// addTalks loads the talks of hits into out and returns their ids.
func (s *snapshot) addTalks(out *Result, hits []talkMatch) ([]string, error) {
	ids := make([]string, 0, len(hits))
	for _, h := range hits {
		t, err := s.talk(h.row)
		if err != nil {
			return nil, err
		}
		out.Talks = append(out.Talks, TalkHit{Talk: t, Score: h.score})
		ids = append(ids, t.ID)
	}
	return ids, nil
}

func sortOrder(sort string, hasText bool) []string {
	switch {
	case sort == SortTitle:
		return []string{fieldTitleKey, fieldTalkID}
	case sort == SortDate, !hasText:
		return []string{"-" + FieldYear, FieldEvent, fieldOrder, fieldTalkID}
	default:
		// Equal scores keep a stable order, so paging never repeats or
		// skips a talk.
		return []string{"-_score", "-" + FieldYear, fieldOrder, fieldTalkID}
	}
}

// eventFacetValue decodes an event_label term.
func eventFacetValue(term string, count int) FacetValue {
	parts := strings.SplitN(term, "\x00", 3)
	ev := &Event{ID: parts[0]}
	if len(parts) == 3 {
		ev.Name = parts[1]
		ev.Year, _ = strconv.Atoi(parts[2])
	}
	return FacetValue{Value: ev.ID, Count: count, Event: ev}
}

// parsePartID splits a slide or segment document id ("s:talk:3") into its
// type, talk id and number.
func parsePartID(id string) (kind, talkID string, n int, ok bool) {
	switch {
	case strings.HasPrefix(id, "s:"):
		kind = typeSlide
	case strings.HasPrefix(id, "g:"):
		kind = typeSegment
	default:
		return "", "", 0, false
	}
	rest := id[2:]
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return "", "", 0, false
	}
	n, err := strconv.Atoi(rest[i+1:])
	if err != nil {
		return "", "", 0, false
	}
	return kind, rest[:i], n, true
}

// snippetOf turns bleve's html-formatted fragment into template.HTML. The
// html formatter escapes all text and adds only <mark> and </mark>, so the
// result is safe to render as is. Line breaks and runs of spaces become one
// space, and a word cut off at either end of the fragment is dropped.
func snippetOf(fragments []string) template.HTML {
	if len(fragments) == 0 {
		return ""
	}
	s := strings.Join(strings.Fields(fragments[0]), " ")
	const ellipsis = "…"
	if rest, ok := strings.CutPrefix(s, ellipsis); ok {
		if i := strings.IndexByte(rest, ' '); i >= 0 && i < 30 && !strings.Contains(rest[:i], "<mark>") {
			s = ellipsis + rest[i+1:]
		}
	}
	if rest, ok := strings.CutSuffix(s, ellipsis); ok {
		if i := strings.LastIndexByte(rest, ' '); i >= 0 && len(rest)-i < 30 && !strings.Contains(rest[i:], "</mark>") {
			s = rest[:i] + ellipsis
		}
	}
	return template.HTML(s)
}
