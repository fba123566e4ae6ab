package api

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/search"
)

// TestWalkNextLinks follows links.next from the first page to the last and
// must see every matching talk exactly once, in the same order as one big
// page, also where many talks have the same score.
func TestWalkNextLinks(t *testing.T) {
	const base = "https://talks.example.org"
	e, docs := newTestApp(t, Config{BaseURL: base})
	var werkstatt []string
	for _, d := range docs {
		if strings.HasPrefix(d.Talk.ID, "werkstattbericht-") {
			werkstatt = append(werkstatt, d.Talk.ID)
		}
	}
	var all []string
	for _, d := range docs {
		all = append(all, d.Talk.ID)
	}
	tests := []struct {
		first     string
		want      []string // the talks every walk must see, in any order
		sameScore int      // at least this many talks share one score
	}{
		{"/api/v1/search?size=4", all, 25},
		{"/api/v1/search?sort=relevance&size=3", all, 25},
		{"/api/v1/search?sort=date&size=7", all, 0},
		{"/api/v1/search?sort=title&size=10", all, 0},
		{"/api/v1/search?q=Werkstattbericht&size=5", werkstatt, 12},
		{"/api/v1/search?q=Werkstattbericht&size=1", werkstatt, 12},
		{"/api/v1/search?q=Werkstattbericht&state=Sachsen&state=Th%C3%BCringen&size=3", werkstatt[:8], 4},
		{"/api/v1/talks?size=6", all, 0},
		{"/api/v1/talks?sort=title&size=100", all, 0},
	}
	for _, tt := range tests {
		t.Run(tt.first, func(t *testing.T) {
			// The reference order: everything on one page.
			u, _ := url.Parse(tt.first)
			v := u.Query()
			v.Set("size", "100")
			ref := decode[listJSON](t, serve(t, e, request{target: u.Path + "?" + v.Encode()}))

			var seen []string
			scores := map[float64]int{}
			pages := 0
			for next := tt.first; next != ""; {
				rec := serve(t, e, request{target: strings.TrimPrefix(next, base)})
				if rec.Code != 200 {
					t.Fatalf("GET %s: %d %s", next, rec.Code, rec.Body)
				}
				page := decode[listJSON](t, rec)
				pages++
				if page.Pagination.Page != pages || len(page.Data) == 0 || len(page.Data) > page.Pagination.Size {
					t.Fatalf("page %d: pagination %+v with %d talks", pages, page.Pagination, len(page.Data))
				}
				if page.Total != ref.Total || page.Pagination.TotalPages != (ref.Total+page.Pagination.Size-1)/page.Pagination.Size {
					t.Fatalf("page %d: total %d, %d pages; want %d", pages, page.Total, page.Pagination.TotalPages, ref.Total)
				}
				if pages > 1 && page.Links.Prev == "" {
					t.Errorf("page %d has no prev link", pages)
				}
				if next != "" && !strings.HasPrefix(page.Links.Self, base+"/api/v1/") {
					t.Errorf("self link %q", page.Links.Self)
				}
				for _, d := range page.Data {
					seen = append(seen, d.ID)
					scores[d.Score]++
				}
				next = page.Links.Next
				if pages > 30 {
					t.Fatal("next links do not end")
				}
			}
			if !slices.Equal(seen, ref.ids()) {
				t.Errorf("walked order differs from one big page:\n got %v\nwant %v", seen, ref.ids())
			}
			counts := map[string]int{}
			for _, id := range seen {
				counts[id]++
			}
			for id, n := range counts {
				if n != 1 {
					t.Errorf("%s seen %d times", id, n)
				}
			}
			if got, want := slices.Sorted(maps.Keys(counts)), slices.Sorted(slices.Values(tt.want)); !slices.Equal(got, want) {
				t.Errorf("walk saw %d talks %v\nwant %d %v", len(got), got, len(want), want)
			}
			if tt.sameScore > 0 && slices.Max(slices.Collect(maps.Values(scores))) < tt.sameScore {
				t.Errorf("scores %v: the walk does not exercise ties of %d talks", scores, tt.sameScore)
			}
		})
	}
}

// TestFacetSemantics checks through the API that filter values of one
// field combine with OR, fields with AND, and that each facet is counted
// with the other fields' filters but not its own, for browsing (no text)
// and for a search.
func TestFacetSemantics(t *testing.T) {
	e, docs := newTestApp(t, Config{})
	tests := []map[string][]string{
		{},
		{"state": {"Sachsen"}},
		{"state": {"Sachsen", "Thüringen"}},
		{"state": {"Sachsen", "Thüringen"}, "topic": {"eAkte"}},
		{"state": {"Sachsen-Anhalt"}, "topic": {"Digitale Schule", "IT-Sicherheit"}, "kind": {"Vortrag", "Diskussion"}},
		{"year": {"2018", "2021"}, "kind": {"Workshop"}},
		{"event": {"itf2019"}, "speaker": {"Claudia Neumann"}},
		{"organisation": {"Gymnasium Halberstadt", "Stadt Jena"}},
		{"state": {"Berlin"}, "topic": {"eAkte"}}, // nothing matches; facets still answer
	}
	for _, filters := range tests {
		v := url.Values{"size": {"100"}}
		for f, vals := range filters {
			v[f] = vals
		}
		for _, path := range []string{"/api/v1/search", "/api/v1/talks"} {
			t.Run(path+"?"+v.Encode(), func(t *testing.T) {
				rec := serve(t, e, request{target: path + "?" + v.Encode()})
				if rec.Code != 200 {
					t.Fatalf("%d %s", rec.Code, rec.Body)
				}
				got := decode[listJSON](t, rec)
				total, want := wantFacets(docs, filters)
				if got.Total != total || len(got.Data) != total {
					t.Errorf("total %d with %d talks, want %d", got.Total, len(got.Data), total)
				}
				for _, f := range search.FacetFields {
					gotCounts := map[string]int{}
					for _, fv := range got.Facets[f] {
						gotCounts[fv.Value] = fv.Count
					}
					wantCounts := want[f]
					// A selected value stays visible with count 0.
					for _, sel := range filters[f] {
						if _, ok := wantCounts[sel]; !ok {
							wantCounts[sel] = 0
						}
					}
					if !maps.Equal(gotCounts, wantCounts) {
						t.Errorf("facet %s = %v\nwant %v", f, gotCounts, wantCounts)
					}
				}
			})
		}
	}

	// With text: the facets count only talks that match the text.
	rec := serve(t, e, request{target: "/api/v1/search?q=Werkstattbericht&state=Sachsen"})
	got := decode[listJSON](t, rec)
	states := map[string]int{}
	for _, fv := range got.Facets["state"] {
		states[fv.Value] = fv.Count
	}
	want := map[string]int{"Sachsen": 4, "Thüringen": 4, "Sachsen-Anhalt": 3, "Brandenburg": 1}
	if got.Total != 4 || !maps.Equal(states, want) {
		t.Errorf("Werkstattbericht in Sachsen: total %d, state facet %v, want 4 and %v", got.Total, states, want)
	}
}
