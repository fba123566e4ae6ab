package search

import (
	"context"
	"fmt"
	"html/template"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Field boosts of the talk-level query: a match in the title or the topics
// outranks one in the body text. The body holds every slide and the
// transcript, so a talk with many matching slides scores higher than one
// with a single passing mention (term frequency).
var talkFieldBoosts = []struct {
	field string
	boost float64
}{
	{fieldTitle, 4},
	{fieldTopics, 3},
	{fieldPeople, 2},
	{fieldAbout, 1},
	{fieldBody, 1},
}

// facetSizes caps the values each facet reports.
var facetSizes = map[string]int{
	FieldSpeaker: 30, FieldOrganisation: 30, FieldState: 20, FieldTopic: 40, FieldKind: 10, FieldEvent: 30, FieldYear: 30,
}

// Search runs q and returns one page of talks with their best slides, the
// total number of matching talks and the facet counts. Facets count talks.
// Each facet is computed with the filters of all other fields applied but
// not its own, so its counts say what choosing another value would give.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.normalize(); err != nil {
		return nil, err
	}
	terms := ix.analyze(q.Text)
	var textQ query.Query
	if q.Text != "" {
		if len(terms) == 0 {
			// Only stop words or punctuation: nothing to match.
			textQ = query.NewMatchNoneQuery()
		} else {
			textQ = talkTextQuery(terms)
		}
	}
	filters := q.filters()

	main := bleve.NewSearchRequestOptions(talkQuery(textQ, filters, ""), q.Size, (q.Page-1)*q.Size, false)
	main.Fields = []string{fieldMeta}
	main.SortBy(sortOrder(q.Sort, textQ != nil))
	for _, f := range FacetFields {
		if len(filters[f]) == 0 {
			main.AddFacet(f, bleve.NewFacetRequest(f, facetSizes[f]))
		}
	}
	res, err := ix.b.SearchInContext(ctx, main)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	facets := map[string]*bsearch.FacetResult{}
	for f, fr := range res.Facets {
		facets[f] = fr
	}
	// One count-only request per filtered field, without its own filter.
	for _, f := range FacetFields {
		if len(filters[f]) == 0 {
			continue
		}
		req := bleve.NewSearchRequestOptions(talkQuery(textQ, filters, f), 0, 0, false)
		req.AddFacet(f, bleve.NewFacetRequest(f, facetSizes[f]))
		r, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: facet %s: %w", f, err)
		}
		facets[f] = r.Facets[f]
	}

	out := &Result{Total: int(res.Total)}
	out.Facets = buildFacets(facets, filters)
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		t, err := talkFromFields(h.Fields)
		if err != nil {
			return nil, err
		}
		out.Talks = append(out.Talks, TalkHit{Talk: t, Score: h.Score})
		ids = append(ids, t.ID)
	}
	if len(terms) > 0 && len(ids) > 0 && q.Slides > 0 {
		if err := ix.addPassages(ctx, out.Talks, ids, terms, q.Slides); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// analyze runs text through the index's text analyzer and returns the
// distinct terms in order.
func (ix *Index) analyze(text string) []string {
	if text == "" {
		return nil
	}
	a := ix.b.Mapping().AnalyzerNamed(textAnalyzer)
	seen := map[string]bool{}
	var terms []string
	for _, tok := range a.Analyze([]byte(text)) {
		t := string(tok.Term)
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	return terms
}

// talkTextQuery matches talks where most of the terms occur in any of the
// talk fields: all terms for one or two, and all but a quarter beyond.
func talkTextQuery(terms []string) query.Query {
	perTerm := make([]query.Query, len(terms))
	for i, t := range terms {
		fields := make([]query.Query, len(talkFieldBoosts))
		for j, fb := range talkFieldBoosts {
			tq := query.NewTermQuery(t)
			tq.SetField(fb.field)
			tq.SetBoost(fb.boost)
			fields[j] = tq
		}
		perTerm[i] = query.NewDisjunctionQuery(fields)
	}
	if len(perTerm) == 1 {
		return perTerm[0]
	}
	dq := query.NewDisjunctionQuery(perTerm)
	dq.SetMin(float64(minShouldMatch(len(terms))))
	return dq
}

// minShouldMatch is how many of n query terms a talk must contain.
func minShouldMatch(n int) int {
	if n <= 2 {
		return n
	}
	return n - n/4
}

// talkQuery combines the text query with the filters of every field except
// skip. A nil text query matches all talks.
func talkQuery(textQ query.Query, filters map[string][]string, skip string) query.Query {
	parts := []query.Query{typeQuery(typeTalk)}
	if textQ != nil {
		parts = append(parts, textQ)
	}
	for _, f := range FacetFields {
		if f == skip || len(filters[f]) == 0 {
			continue
		}
		parts = append(parts, termsQuery(f, filters[f]))
	}
	return query.NewConjunctionQuery(parts)
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

// buildFacets converts bleve's facet results, keeping active filter values
// visible (count 0) even when nothing matches them.
func buildFacets(results map[string]*bsearch.FacetResult, filters map[string][]string) []Facet {
	out := make([]Facet, 0, len(FacetFields))
	for _, f := range FacetFields {
		facet := Facet{Field: f, Values: []FacetValue{}}
		seen := map[string]bool{}
		if fr := results[f]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				facet.Values = append(facet.Values, FacetValue{Value: t.Term, Count: t.Count})
				seen[t.Term] = true
			}
		}
		for _, v := range filters[f] {
			if !seen[v] {
				facet.Values = append(facet.Values, FacetValue{Value: v, Count: 0})
				seen[v] = true
			}
		}
		out = append(out, facet)
	}
	return out
}

// addPassages finds, in one request, the best slides and transcript
// segments of the given talks and attaches them with highlighted snippets.
func (ix *Index) addPassages(ctx context.Context, hits []TalkHit, ids, terms []string, perTalk int) error {
	anyTerm := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := query.NewTermQuery(t)
		tq.SetField(fieldText)
		anyTerm[i] = tq
	}
	q := query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(anyTerm), termsQuery(fieldTalkID, ids)})
	size := min(len(ids)*perTalk*4, 1000)
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.Fields = []string{fieldTalkID, fieldPage, fieldStart}
	req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	req.Highlight.Fields = []string{fieldText}
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: passages: %w", err)
	}
	pos := make(map[string]int, len(hits))
	for i, h := range hits {
		pos[h.ID] = i
	}
	for _, h := range res.Hits {
		talkID, _ := h.Fields[fieldTalkID].(string)
		i, ok := pos[talkID]
		if !ok {
			continue
		}
		page, _ := h.Fields[fieldPage].(float64)
		snippet := snippetOf(h.Fragments[fieldText])
		th := &hits[i]
		if strings.HasPrefix(h.ID, "g:") {
			if len(th.Segments) < perTalk {
				start, ok := h.Fields[fieldStart].(float64)
				if !ok {
					start = -1
				}
				th.Segments = append(th.Segments, SegmentHit{N: int(page), Start: start, Snippet: snippet})
			}
			continue
		}
		if len(th.Slides) < perTalk {
			th.Slides = append(th.Slides, SlideHit{Page: int(page), Snippet: snippet})
		}
	}
	return nil
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
