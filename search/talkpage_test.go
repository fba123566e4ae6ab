package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// pageArchive writes talks whose facet values, years and texts vary, so
// that pages, facets and sort ties have something to get wrong: several
// speakers and topics a talk, talks without a year or a state, duplicate
// titles (equal scores and title keys).
func pageArchive(t *testing.T, n int) *Index {
	t.Helper()
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	rng := rand.New(rand.NewPCG(7, 11))
	words := strings.Fields("Rechnung Akte Schule Portal Konto Haushalt Bürgeramt Daten Netz Archiv Vergabe Förderung Breitband Cloud Server Signatur Kasse Wahl Feuerwehr Kita")
	pick := func(k int, from []string) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = from[rng.IntN(len(from))]
		}
		return out
	}
	states := []string{"Sachsen", "Thüringen", "Sachsen-Anhalt", "Brandenburg", "bundesweit"}
	var docs []Doc
	for i := range n {
		year := 2015 + rng.IntN(6)
		ev := Event{ID: fmt.Sprintf("ev%d", year), Name: fmt.Sprintf("Fachtag %d", year), Year: year}
		if i%9 == 0 {
			ev = Event{ID: "ohne", Name: "Ohne Jahr"}
		}
		tk := Talk{ID: fmt.Sprintf("t%03d", i), Title: strings.Join(pick(2, words), " "), Kind: []string{"Vortrag", "Workshop"}[rng.IntN(2)],
			Event: ev, States: pick(rng.IntN(3), states), Topics: pick(1+rng.IntN(2), words[:6]), Order: rng.IntN(20)}
		for range 1 + rng.IntN(3) {
			tk.Speakers = append(tk.Speakers, Speaker{Name: fmt.Sprintf("Person %d", rng.IntN(25)), Organisation: fmt.Sprintf("Stadt %d", rng.IntN(8))})
		}
		d := Doc{Talk: tk}
		for p := range 2 + rng.IntN(4) {
			d.Slides = append(d.Slides, Slide{Page: p + 1, Text: strings.Join(pick(8, words), " ")})
		}
		for n := range i % 3 { // transcripts: none, one or two segments
			d.Segments = append(d.Segments, Segment{N: n + 1, Start: float64(30 * n), Text: strings.Join(pick(10, words), " ")})
		}
		docs = append(docs, d)
	}
	for b := range slices.Chunk(docs, 40) { // several segments
		if err := ix.Index(context.Background(), b...); err != nil {
			t.Fatal(err)
		}
	}
	return ix
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

// bleveTalkPage is what Search did before the talk table: one bleve
// request with the filters as clauses, facets of the unfiltered fields,
// and a count-only request for each filtered field without its filter.
func (ix *Index) bleveTalkPage(t *testing.T, q Query, textQ query.Query) (ids []string, total int, facets map[string][]FacetValue) {
	t.Helper()
	ctx := ix.bm25Context(t)
	run := func(skip string, size, from int) *bleve.SearchResult {
		req := bleve.NewSearchRequestOptions(talkQuery(textQ, q.Filters, skip), size, from, false)
		req.SortBy(sortOrder(q.Sort, textQ != nil))
		for _, f := range FacetFields {
			src := f
			if f == FieldEvent {
				src = fieldEventLabel
			}
			if len(q.Filters[f]) == 0 && skip == "" || f == skip {
				req.AddFacet(f, bleve.NewFacetRequest(src, facetSizes[f]))
			}
		}
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	main := run("", q.Size, (q.Page-1)*q.Size)
	facets = map[string][]FacetValue{}
	add := func(f string, res *bleve.SearchResult) {
		for _, tf := range res.Facets[f].Terms.Terms() {
			v := FacetValue{Value: tf.Term, Count: tf.Count}
			if f == FieldEvent {
				v = eventFacetValue(tf.Term, tf.Count)
			}
			if strings.TrimSpace(v.Value) != "" {
				facets[f] = append(facets[f], v)
			}
		}
	}
	for _, f := range FacetFields {
		if len(q.Filters[f]) == 0 {
			add(f, main)
		} else {
			add(f, run(f, 0, 0))
		}
	}
	for _, h := range main.Hits {
		ids = append(ids, strings.TrimPrefix(h.ID, "t:"))
	}
	return ids, int(main.Total), facets
}

// TestTalkPageMatchesBleve: the page of talks, its total and every facet
// are what bleve's own collector computes for the same query, for
// queries with and without text, filters on one or several values,
// every sort order and later pages.
func TestTalkPageMatchesBleve(t *testing.T) {
	ix := pageArchive(t, 160)
	f := func(kv ...string) map[string][]string {
		m := map[string][]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = append(m[kv[i]], kv[i+1])
		}
		return m
	}
	tests := []struct {
		q Query
		// sameOrder: the filters add the same score to every talk (one
		// value of a field every talk has once), so bleve's order, which
		// scores filter clauses, is comparable.
		sameOrder bool
	}{
		{Query{Text: "Rechnung"}, true},
		{Query{Text: "Rechnung Schule"}, true},
		{Query{Text: "Akte", Page: 2, Size: 5}, true},
		{Query{Text: ""}, true},
		{Query{Text: "", Sort: SortTitle, Page: 3, Size: 7}, true},
		{Query{Text: "Portal", Sort: SortDate}, true},
		{Query{Text: "Konto", Filters: f(FieldKind, "Workshop")}, true},
		{Query{Text: "Kasse", Filters: f(FieldYear, "2017")}, true},
		{Query{Text: "Daten", Filters: f(FieldEvent, "ohne")}, true},
		{Query{Text: "Netz", Filters: f(FieldState, "Sachsen", FieldState, "bundesweit")}, false},
		{Query{Text: "Wahl", Filters: f(FieldSpeaker, "Person 3", FieldTopic, "Akte", FieldKind, "Vortrag")}, false},
		{Query{Text: "", Filters: f(FieldOrganisation, "Stadt 2", FieldYear, "2016", FieldYear, "2019")}, false},
		{Query{Text: "Cloud", Filters: f(FieldState, "Nirgendwo")}, false},
		{Query{Text: "Kita -Feuerwehr"}, true},
	}
	ctx := context.Background()
	for _, tc := range tests {
		q := tc.q
		if err := q.Normalize(); err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprintf("%q %v %s p%d", q.Text, q.Filters, q.Sort, q.Page), func(t *testing.T) {
			tq := ix.parseText(ctx, q.Text, false)
			wantIDs, wantTotal, wantFacets := ix.bleveTalkPage(t, q, tq.talk)
			snap, err := ix.openSnapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer snap.r.Close()
			page, err := snap.collectTalks(q, tq.talk)
			if err != nil {
				t.Fatal(err)
			}
			if page.total != wantTotal || wantTotal == 0 && q.Filters[FieldState] == nil {
				t.Errorf("total %d, bleve %d", page.total, wantTotal)
			}
			var ids []string
			for _, h := range page.hits {
				ids = append(ids, snap.table.rows[h.row].id())
			}
			if tc.sameOrder && !sameUpToRounding(t, snap, q, tq.talk, ids, wantIDs) {
				t.Errorf("page\n got %v\nwant %v", ids, wantIDs)
			}
			if !tc.sameOrder && len(ids) != len(wantIDs) {
				t.Errorf("page of %d talks, bleve %d", len(ids), len(wantIDs))
			}
			for _, fc := range page.facets {
				got := slices.DeleteFunc(slices.Clone(fc.Values), func(v FacetValue) bool { return v.Count == 0 })
				if !slices.EqualFunc(got, wantFacets[fc.Field], func(a, b FacetValue) bool { return cmp.Compare(a.Value, b.Value) == 0 && a.Count == b.Count }) {
					t.Errorf("facet %s\n got %v\nwant %v", fc.Field, got, wantFacets[fc.Field])
				}
			}
		})
	}
}

// sameUpToRounding reports whether two pages are the same but for talks
// whose scores differ by rounding only: bleve adds the score of the type
// clause to every talk, which can make two scores a bit apart equal (and
// the next sort key decide) or the other way round.
func sameUpToRounding(t *testing.T, snap *snapshot, q Query, textQ query.Query, got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	all := q
	all.Page, all.Size = 1, len(snap.table.rows)
	page, err := snap.collectTalks(all, textQ)
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]float64{}
	for _, h := range page.hits {
		score[snap.table.rows[h.row].id()] = h.score
	}
	for i := range got {
		a, b := score[got[i]], score[want[i]]
		if got[i] != want[i] && (textQ == nil || math.Abs(a-b) > 1e-9*math.Abs(a)) {
			return false
		}
	}
	return true
}

// TestTalkTableFollowsWrites: the page of talks and its facets see talks
// written, replaced and deleted after the table was first read.
func TestTalkTableFollowsWrites(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	talk := func(id, speaker string) Doc {
		return Doc{Talk: Talk{ID: id, Title: "Die E-Akte im Landratsamt", Kind: "Vortrag", Speakers: []Speaker{{Name: speaker}}},
			Slides: []Slide{{Page: 1, Text: "Aktenplan und Scanstelle"}}}
	}
	speakers := func() (int, []string) {
		t.Helper()
		res, err := ix.Search(ctx, Query{Text: "Aktenplan"})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range res.Facets {
			if f.Field == FieldSpeaker {
				for _, v := range f.Values {
					names = append(names, fmt.Sprintf("%s=%d", v.Value, v.Count))
				}
			}
		}
		slices.Sort(names)
		return res.Total, names
	}
	steps := []struct {
		write func() error
		total int
		names []string
	}{
		{func() error { return ix.Index(ctx, talk("a", "Anna Beispiel")) }, 1, []string{"Anna Beispiel=1"}},
		{func() error { return ix.Index(ctx, talk("b", "Bernd Muster")) }, 2, []string{"Anna Beispiel=1", "Bernd Muster=1"}},
		{func() error { return ix.Index(ctx, talk("a", "Bernd Muster")) }, 2, []string{"Bernd Muster=2"}},
		{func() error { return ix.Delete(ctx, "b") }, 1, []string{"Bernd Muster=1"}},
	}
	for i, st := range steps {
		if err := st.write(); err != nil {
			t.Fatal(err)
		}
		if total, names := speakers(); total != st.total || !slices.Equal(names, st.names) {
			t.Errorf("step %d: %d talks, speakers %v; want %d, %v", i, total, names, st.total, st.names)
		}
	}
}
