package search

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// testDocs is a small archive with the traits the tests need.
func testDocs() []Doc {
	ev := Event{ID: "itf2018", Name: "4. Mitteldeutscher IT-Fachtag", Year: 2018, Place: "Leipzig"}
	return []Doc{
		{
			Talk: Talk{ID: "e-rechnung", Title: "Workshop E-Rechnung", Kind: "Workshop", Event: ev, Order: 1,
				Speakers: []Speaker{{Organisation: "Ilmkreis"}, {Organisation: "Stadt Leipzig"}},
				States:   []string{"Thüringen", "Sachsen"}, Topics: []string{"E-Rechnung"}, File: "itf2018/slides/e-rechnung.pdf"},
			Slides: []Slide{
				{Page: 1, Text: "Workshop E-Rechnung"},
				{Page: 2, Text: "Der Rechnungseingang wird elektronisch: die E-Rechnung kommt"},
				{Page: 3, Text: "Übertragungswege für elektronische Rechnungen und das Format XRechnung"},
				{Page: 4, Text: "Fragen aus dem Publikum <script>alert(1)</script>"},
			},
			Segments: []Segment{{N: 1, Start: -1, Text: "Wir sprechen heute über Rechnungen im Ilmkreis."}},
		},
		{
			Talk: Talk{ID: "eakte-erfurt", Title: "Das Erfurter Modell: eAkte und Umlaufmappe", Kind: "Vortrag", Event: ev, Order: 2,
				Speakers: []Speaker{{Name: "Tarek Unger", Organisation: "Landeshauptstadt Erfurt"}},
				States:   []string{"Thüringen"}, Topics: []string{"eAkte", "Workflow"}},
			Slides: []Slide{
				{Page: 1, Text: "Das Erfurter Modell"},
				{Page: 2, Text: "Die dynamische Umlaufmappe ersetzt den Papierweg"},
				{Page: 3, Text: "Straßenverkehrsbehörde und Bürgerbüro arbeiten mit der eAkte"},
			},
		},
		{
			Talk: Talk{ID: "ozg-sachsen", Title: "Umsetzung des Onlinezugangsgesetzes in Sachsen", Kind: "Vortrag", Event: ev, Order: 3,
				Speakers: []Speaker{{Name: "Thomas Weber", Role: "Direktor", Organisation: "SAKD"}},
				States:   []string{"Sachsen"}, Topics: []string{"OZG"}},
			Slides: []Slide{
				{Page: 1, Text: "Onlinezugangsgesetz in Sachsen"},
				{Page: 2, Text: "Bürgerinnen und Bürger stellen Anträge online"},
				{Page: 3, Text: "Agile Teams mit dem Zweckverband KISA"},
				{Page: 4, Text: "Eine Magnetbandbibliothek braucht niemand mehr"},
			},
		},
		{
			Talk: Talk{ID: "freifunk", Title: "Freifunk in Gera", Kind: "Vortrag", Event: Event{ID: "itf2019", Name: "5. Fachtag", Year: 2019}, Order: 1,
				Speakers: []Speaker{{Organisation: "Stadt Gera"}}, States: []string{"Thüringen"}, Topics: []string{"WLAN"}},
			Slides: []Slide{{Page: 1, Text: "Freies WLAN für Bürger in der Innenstadt"}, {Page: 2, Text: "Rechnungen für Router zahlt die Stadt"}},
		},
	}
}

// mustOpen opens a fresh index in a temporary folder with testDocs.
func mustOpen(tb testing.TB) *Index {
	tb.Helper()
	ix, err := Open(tb.TempDir() + "/index")
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), testDocs()...); err != nil {
		tb.Fatalf("Index: %v", err)
	}
	return ix
}

func ids(r *Result) string {
	var s []string
	for _, t := range r.Talks {
		s = append(s, t.ID)
	}
	return strings.Join(s, ",")
}

func facet(r *Result, field string) map[string]int {
	m := map[string]int{}
	for _, f := range r.Facets {
		if f.Field == field {
			for _, v := range f.Values {
				m[v.Value] = v.Count
			}
		}
	}
	return m
}

func TestSearchQueries(t *testing.T) {
	ix := mustOpen(t)
	tests := []struct {
		name  string
		q     Query
		first string // expected top talk
		all   string // expected talks in order, when set
	}{
		{"plural finds singular", Query{Text: "Rechnungen"}, "e-rechnung", ""},
		{"umlaut transliterated", Query{Text: "Strassenverkehrsbehoerde"}, "eakte-erfurt", "eakte-erfurt"},
		{"inflection", Query{Text: "Bürgern"}, "", ""},
		{"title outranks body", Query{Text: "Freifunk"}, "freifunk", "freifunk"},
		{"speaker name", Query{Text: "Weber"}, "ozg-sachsen", "ozg-sachsen"},
		{"two terms across fields", Query{Text: "eAkte Erfurt"}, "eakte-erfurt", "eakte-erfurt"},
		{"stop words only", Query{Text: "und die der"}, "", ""},
		{"no match", Query{Text: "Raumfahrt"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if tt.first != "" && (len(r.Talks) == 0 || r.Talks[0].ID != tt.first) {
				t.Errorf("top talk of %q = %q, want %s", tt.q.Text, ids(r), tt.first)
			}
			if tt.all != "" && ids(r) != tt.all {
				t.Errorf("talks of %q = %q, want %q", tt.q.Text, ids(r), tt.all)
			}
			if tt.first == "" && tt.all == "" && tt.name != "inflection" && r.Total != 0 {
				t.Errorf("%q found %q, want nothing", tt.q.Text, ids(r))
			}
			if tt.name == "inflection" && r.Total < 2 {
				t.Errorf("%q found %q, want the two talks that mention Bürger", tt.q.Text, ids(r))
			}
		})
	}
}

func TestSearchSlidePages(t *testing.T) {
	ix := mustOpen(t)
	r, err := ix.Search(context.Background(), Query{Text: "Magnetbandbibliothek"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 1 || len(r.Talks[0].Slides) != 1 || r.Talks[0].Slides[0].Page != 4 {
		t.Fatalf("got %+v, want ozg-sachsen with exactly slide 4", r.Talks)
	}
	if got := string(r.Talks[0].Slides[0].Snippet); !strings.Contains(got, "<mark>Magnetbandbibliothek</mark>") {
		t.Errorf("snippet = %q", got)
	}

	r, err = ix.Search(context.Background(), Query{Text: "Rechnungen"})
	if err != nil {
		t.Fatal(err)
	}
	top := r.Talks[0]
	pages := map[int]bool{}
	for _, s := range top.Slides {
		pages[s.Page] = true
	}
	if !pages[3] || !pages[2] || pages[4] {
		t.Errorf("slides of %s = %+v, want pages 2 and 3 (not 4)", top.ID, top.Slides)
	}
	if len(top.Segments) != 1 || !strings.Contains(string(top.Segments[0].Snippet), "<mark>Rechnungen</mark>") || top.Segments[0].Start != -1 {
		t.Errorf("segments = %+v", top.Segments)
	}
}

func TestSnippetEscapesHTML(t *testing.T) {
	ix := mustOpen(t)
	r, err := ix.Search(context.Background(), Query{Text: "Publikum"})
	if err != nil {
		t.Fatal(err)
	}
	got := string(r.Talks[0].Slides[0].Snippet)
	if strings.Contains(got, "<script>") || !strings.Contains(got, "&lt;script&gt;") {
		t.Errorf("snippet not escaped: %q", got)
	}
}

func TestSearchFilters(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()

	r, err := ix.Search(ctx, Query{Filters: map[string][]string{FieldState: {"Thüringen"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 3 {
		t.Errorf("Thüringen total = %d (%s), want 3", r.Total, ids(r))
	}
	for _, tk := range r.Talks {
		if !strings.Contains(strings.Join(tk.States, ","), "Thüringen") {
			t.Errorf("talk %s (%v) is not in Thüringen", tk.ID, tk.States)
		}
	}
	// Other facets count exactly the filtered talks.
	kinds := facet(r, FieldKind)
	if kinds["Vortrag"]+kinds["Workshop"] != r.Total {
		t.Errorf("kind facet %v does not add up to %d", kinds, r.Total)
	}
	// The state facet ignores its own filter: it shows what else there is.
	states := facet(r, FieldState)
	if states["Thüringen"] != r.Total || states["Sachsen"] != 2 {
		t.Errorf("state facet = %v", states)
	}

	// OR within a field, AND across fields.
	r, err = ix.Search(ctx, Query{Filters: map[string][]string{FieldState: {"Sachsen", "Thüringen"}, FieldKind: {"Vortrag"}, FieldYear: {"2018"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ids(r) != "eakte-erfurt,ozg-sachsen" {
		t.Errorf("got %s", ids(r))
	}

	// No match: zero talks, facets still listed, the active value kept.
	r, err = ix.Search(ctx, Query{Text: "Rechnungen", Filters: map[string][]string{FieldState: {"Berlin"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 0 || len(r.Talks) != 0 {
		t.Errorf("Berlin found %s", ids(r))
	}
	if len(r.Facets) != len(FacetFields) {
		t.Errorf("facets = %+v", r.Facets)
	}
	if st := facet(r, FieldState); st["Berlin"] != 0 || st["Thüringen"] != 2 {
		t.Errorf("state facet = %v, want Berlin:0 kept and Thüringen:2", st)
	}

	// Facets count talks, not slides: three slides of e-rechnung match.
	r, err = ix.Search(ctx, Query{Text: "Rechnung"})
	if err != nil {
		t.Fatal(err)
	}
	if got := facet(r, FieldSpeaker)["Ilmkreis"]; got != 1 {
		t.Errorf("speaker facet Ilmkreis = %d, want 1", got)
	}
}

func TestSearchPaging(t *testing.T) {
	ix := mustOpen(t)
	seen := map[string]int{}
	for page := 1; page <= 4; page++ {
		r, err := ix.Search(context.Background(), Query{Page: page, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 4 {
			t.Fatalf("total = %d", r.Total)
		}
		for _, tk := range r.Talks {
			seen[tk.ID]++
		}
	}
	if len(seen) != 4 {
		t.Errorf("paging saw %v, want each of 4 talks once", seen)
	}
	// Browsing lists the newest event first, then the programme order.
	r, _ := ix.Search(context.Background(), Query{})
	if ids(r) != "freifunk,e-rechnung,eakte-erfurt,ozg-sachsen" {
		t.Errorf("browse order = %s", ids(r))
	}
	r, _ = ix.Search(context.Background(), Query{Sort: SortTitle})
	if ids(r) != "eakte-erfurt,freifunk,ozg-sachsen,e-rechnung" {
		t.Errorf("title order = %s", ids(r))
	}
}

func TestBadQuery(t *testing.T) {
	ix := mustOpen(t)
	tests := []struct {
		q       Query
		field   string
		problem Problem
	}{
		{Query{Text: strings.Repeat("a", MaxQueryLength+1)}, "q", TooLong},
		{Query{Text: "a\xffb"}, "q", InvalidText},
		{Query{Page: -1}, "page", OutOfRange},
		{Query{Page: MaxPage + 1}, "page", OutOfRange},
		{Query{Size: MaxPageSize + 1}, "size", OutOfRange},
		{Query{Slides: MaxSlides + 1}, "slides", OutOfRange},
		{Query{Sort: "beliebt"}, "sort", UnknownSort},
		{Query{Filters: map[string][]string{"colour": {"rot"}}}, "colour", UnknownFilter},
		{Query{Filters: map[string][]string{FieldTopic: make([]string, MaxFilters+1)}}, "", 0}, // empty values are dropped
		{Query{Filters: map[string][]string{FieldTopic: slices.Repeat([]string{"x"}, MaxFilters+1)}}, FieldTopic, TooManyValues},
		{Query{Filters: map[string][]string{FieldSpeaker: {strings.Repeat("ü", MaxFilterValue+1)}}}, FieldSpeaker, ValueTooLong},
		{Query{Filters: map[string][]string{FieldYear: {"zweitausend"}}}, FieldYear, NotAYear},
		{Query{Filters: map[string][]string{FieldState: {"Sachs\xffen"}}}, FieldState, InvalidText},
		{Query{Filters: map[string][]string{FieldYear: {" 2018 "}}}, "", 0},
	}
	for _, tt := range tests {
		_, err := ix.Search(context.Background(), tt.q)
		if tt.field == "" {
			if err != nil {
				t.Errorf("query %+v: err = %v, want none", tt.q, err)
			}
			continue
		}
		var qe *QueryError
		if !errors.Is(err, ErrBadQuery) || !errors.As(err, &qe) || qe.Field != tt.field || qe.Problem != tt.problem {
			t.Errorf("query %+v: err = %v, want %s problem %d", tt.q, err, tt.field, tt.problem)
		}
	}
}

func TestNormalize(t *testing.T) {
	q := Query{Text: "  eAkte ", Sort: " date ", Filters: map[string][]string{
		FieldState: {" Sachsen ", "", "  "}, FieldTopic: {""},
	}}
	if err := q.Normalize(); err != nil {
		t.Fatal(err)
	}
	want := Query{Text: "eAkte", Sort: SortDate, Page: 1, Size: DefaultSize, Slides: DefaultSlides,
		Filters: map[string][]string{FieldState: {"Sachsen"}}}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("Normalize = %+v, want %+v", q, want)
	}
	again := q
	if err := again.Normalize(); err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("Normalize is not idempotent: %+v, %v", again, err)
	}
}

func TestCheckPage(t *testing.T) {
	tests := []struct {
		page, size, total, pages int // pages -1: no error
	}{
		{1, 10, 0, -1}, {2, 10, 0, 0}, {2, 10, 11, -1}, {3, 10, 11, 2}, {2, 10, 5, 1},
	}
	for _, tt := range tests {
		err := Query{Page: tt.page, Size: tt.size}.CheckPage(tt.total)
		var qe *QueryError
		switch {
		case tt.pages < 0 && err != nil:
			t.Errorf("page %d of %d: %v", tt.page, tt.total, err)
		case tt.pages >= 0 && (!errors.As(err, &qe) || qe.Problem != PastLastPage || qe.Limit != tt.pages):
			t.Errorf("page %d of %d: err = %v, want %d pages", tt.page, tt.total, err, tt.pages)
		}
	}
}

func TestReindexReplacesOldSlides(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	d := testDocs()[2]
	d.Slides = d.Slides[:2] // the Magnetbandbibliothek slide is gone
	if err := ix.Index(ctx, d); err != nil {
		t.Fatal(err)
	}
	r, _ := ix.Search(ctx, Query{Text: "Magnetbandbibliothek"})
	if r.Total != 0 {
		t.Errorf("old slide still found: %s", ids(r))
	}
	tk, err := ix.Talk(ctx, "ozg-sachsen")
	if err != nil || tk.Pages != 2 {
		t.Errorf("Talk = %+v, %v; want 2 pages", tk, err)
	}
	if err := ix.Delete(ctx, "ozg-sachsen"); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Talk(ctx, "ozg-sachsen"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted talk: err = %v", err)
	}
	got, _ := ix.TalkIDs(ctx)
	if len(got) != 3 {
		t.Errorf("TalkIDs = %v", got)
	}
	st, err := ix.Stats(ctx)
	if err != nil || st.Talks != 3 || st.LastIndexed.IsZero() {
		t.Errorf("Stats = %+v, %v", st, err)
	}
}

func TestOpenNeedsRebuild(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.b.SetInternal(keyMappingVersion, []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := Open(dir); !errors.Is(err, ErrNeedsRebuild) {
		t.Fatalf("Open old index: err = %v, want ErrNeedsRebuild", err)
	}
}

func BenchmarkSearch(b *testing.B) {
	ix, err := Open(b.TempDir() + "/index")
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	// 200 talks of 20 slides each: 4,000 slides.
	words := strings.Fields("Rechnung Akte Schule Bürger Verwaltung Digitalisierung Konto Archiv Personal Strategie Netz Daten")
	var docs []Doc
	for i := 0; i < 200; i++ {
		d := Doc{Talk: Talk{ID: fmt.Sprintf("t%d", i), Title: "Vortrag " + words[i%len(words)], Kind: "Vortrag",
			States: []string{[]string{"Sachsen", "Thüringen", "Brandenburg"}[i%3]}, Topics: []string{words[(i+3)%len(words)]}}}
		for p := 1; p <= 20; p++ {
			d.Slides = append(d.Slides, Slide{Page: p, Text: strings.Repeat(words[(i+p)%len(words)]+" und die "+words[(i*p)%len(words)]+" ", 8)})
		}
		docs = append(docs, d)
	}
	if err := ix.Index(context.Background(), docs...); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.Search(context.Background(), Query{Text: "Rechnungen Bürger", Filters: map[string][]string{FieldState: {"Sachsen"}}}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSlides(t *testing.T) {
	ix := mustOpen(t)
	slides, segs, err := ix.Slides(context.Background(), "e-rechnung")
	if err != nil {
		t.Fatal(err)
	}
	if len(slides) != 4 || slides[0].Page != 1 || slides[3].Page != 4 || !strings.Contains(slides[2].Text, "XRechnung") {
		t.Errorf("slides = %+v", slides)
	}
	if len(segs) != 1 || segs[0].Start != -1 || !strings.Contains(segs[0].Text, "Ilmkreis") {
		t.Errorf("segments = %+v", segs)
	}
	if _, _, err := ix.Slides(context.Background(), "fehlt"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown talk: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	tests := []struct {
		in   string
		want string // a suggestion text that must be present
		kind string
	}{
		{"Rechn", "Rechnungen", SuggestTerm},
		{"rechnungsein", "Rechnungseingang", SuggestTerm},
		{"Buerg", "Bürger", SuggestTerm},
		{"die Umlauf", "die Umlaufmappe", SuggestTerm},
		{"Erfur", "Das Erfurter Modell: eAkte und Umlaufmappe", SuggestTitle},
		{"unge", "Tarek Unger", SuggestSpeaker},
	}
	for _, tt := range tests {
		got, err := ix.Suggest(ctx, tt.in, 5)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range got {
			found = found || s.Text == tt.want && s.Kind == tt.kind
		}
		if !found {
			t.Errorf("Suggest(%q) = %+v, want %s %q", tt.in, got, tt.kind, tt.want)
		}
	}
	if got, _ := ix.Suggest(ctx, "R", 5); len(got) != 0 {
		t.Errorf("one letter gave %+v", got)
	}
}

func TestEmptySlidesAreListed(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	d := Doc{Talk: Talk{ID: "scan", Title: "Gescannter Foliensatz", Kind: "Vortrag"},
		Slides: []Slide{{Page: 1, Text: "Titel der Präsentation", Extractor: "ocr"}, {Page: 2, Text: "", Extractor: "ocr"}, {Page: 3, Text: "Schluss", Extractor: "ledongthuc"}}}
	if err := ix.Index(ctx, d); err != nil {
		t.Fatal(err)
	}
	slides, _, err := ix.Slides(ctx, "scan")
	if err != nil {
		t.Fatal(err)
	}
	if len(slides) != 3 || slides[1].Page != 2 || slides[1].Text != "" || slides[0].Extractor != "ocr" || slides[2].Extractor != "ledongthuc" {
		t.Errorf("slides = %+v", slides)
	}
	res, err := ix.Search(ctx, Query{Text: "Präsentation"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Talks) != 1 || len(res.Talks[0].Slides) != 1 || res.Talks[0].Slides[0].Extractor != "ocr" {
		t.Errorf("hits = %+v", res.Talks)
	}
	if tk, _ := ix.Talk(ctx, "scan"); tk.Pages != 3 {
		t.Errorf("pages = %d, want 3", tk.Pages)
	}
}

// TestSuggestTiesInTalkOrder indexes talks whose titles match a prefix
// equally well: the title suggestions come in talk id order, whatever
// order the index keeps them in.
func TestSuggestTiesInTalkOrder(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	ids := []string{"talk-e", "talk-b", "talk-d", "talk-a", "talk-c", "talk-f"}
	for _, id := range ids { // one batch each, so segments differ
		d := Doc{Talk: Talk{ID: id, Title: "Glasfaser im Landkreis", Event: Event{ID: "ev", Name: "Fachtag"}}}
		if err := ix.Index(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		got, err := ix.Suggest(ctx, "Glasf", 3)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, s := range got {
			if s.Kind == SuggestTitle {
				titles = append(titles, s.TalkID)
			}
		}
		if want := []string{"talk-a", "talk-b", "talk-c"}; !slices.Equal(titles, want) {
			t.Fatalf("title suggestions = %v, want %v", titles, want)
		}
	}
}
