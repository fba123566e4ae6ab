package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// openDocs opens a fresh index in a temporary folder with one talk per
// text, id and title taken from the map key, the text as its one slide.
func openDocs(tb testing.TB, texts map[string]string) *Index {
	tb.Helper()
	ix, err := Open(tb.TempDir() + "/index")
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	ev := Event{ID: "ev2020", Name: "Fachtag", Year: 2020}
	var docs []Doc
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range texts {
			if !yield(id) {
				return
			}
		}
	}) {
		docs = append(docs, Doc{
			Talk:   Talk{ID: id, Title: "Vortrag " + strings.ToUpper(id), Kind: "Vortrag", Event: ev},
			Slides: []Slide{{Page: 1, Text: texts[id]}},
		})
	}
	if err := ix.Index(context.Background(), docs...); err != nil {
		tb.Fatalf("Index: %v", err)
	}
	return ix
}

// partialDocs has words of falling frequency: Schule in 5 talks, Wasser
// in 4, Feuer in 3, Garten in 2; no talk has all four.
func partialDocs() map[string]string {
	return map[string]string{
		"a": "Die Schule am Wasser und das Feuer",
		"b": "Schule und Wasser",
		"c": "Wasser an der Schule",
		"d": "Schule, Wasser",
		"r": "Die Schule",
		"p": "Feuer im Garten",
		"s": "Das Feuer",
		"q": "Der Garten",
	}
}

func TestSearchPartial(t *testing.T) {
	ix := openDocs(t, partialDocs())
	tests := []struct {
		name    string
		q       Query
		talks   string // in order; a set in braces when the order is free
		match   string
		full    int
		ignored []string
	}{
		{"all words", Query{Text: "Schule Wasser", Size: 4}, "{a,b,c,d}", MatchAll, 4, nil},
		{"all words, short page: any word last", Query{Text: "Schule Wasser", Size: 5}, "{a,b,c,d,r}", MatchPartial, 4, []string{"Wasser"}}, // r has Schule, lacks Wasser
		{"one word", Query{Text: "Garten"}, "{p,q}", MatchAll, 2, nil},
		{"unknown word ignored", Query{Text: "Garten Raumfahrt"}, "{p,q}", MatchPartial, 0, []string{"Raumfahrt"}},
		{"unknown word first", Query{Text: "Raumfahrt Feuer"}, "{a,p,s}", MatchPartial, 0, []string{"Raumfahrt"}},
		{"never together: the rarer word, then the other", Query{Text: "Wasser Garten"}, "{a,b,c,d,p,q}", MatchPartial, 0, []string{"Wasser"}},
		{"never together: the rarer word first", Query{Text: "Wasser Garten", Size: 2}, "{p,q}", MatchPartial, 0, []string{"Wasser"}},
		{"full match first", Query{Text: "Feuer Garten", Size: 2}, "p,q", MatchPartial, 1, []string{"Feuer"}},
		{"short page: any word last", Query{Text: "Feuer Garten"}, "p,q,s,a", MatchPartial, 1, []string{"Feuer"}},
		{"more words first", Query{Text: "Schule Wasser Feuer Garten", Size: 3}, "a,p,q", MatchPartial, 1, []string{"Schule", "Wasser"}}, // p has Feuer
		{"more words first, then any word", Query{Text: "Schule Wasser Feuer Garten"}, "a,p,q,b,c,d,s,r", MatchPartial, 1, []string{"Schule", "Wasser"}},
		{"page filled: no tiers", Query{Text: "Feuer Garten", Size: 1}, "p", MatchAll, 1, nil},
		{"excluded in every tier", Query{Text: "Wasser Garten -Feuer"}, "q,b,c,d", MatchPartial, 0, []string{"Wasser"}},
		{"phrase kept", Query{Text: `"Feuer im Garten" Raumfahrt`}, "p", MatchPartial, 0, []string{"Raumfahrt"}},
		{"phrase ignored", Query{Text: `Garten "Raumfahrt heute"`}, "{p,q}", MatchPartial, 0, []string{`"Raumfahrt heute"`}},
		{"field term", Query{Text: "title:Vortrag Raumfahrt", Size: 3}, "{a,b,c}", MatchPartial, 0, []string{"Raumfahrt"}},
		{"date order: tiers only without full matches", Query{Text: "Feuer Garten", Sort: SortDate}, "p", MatchAll, 1, nil},
		{"date order, none full", Query{Text: "Garten Raumfahrt", Sort: SortDate}, "{p,q}", MatchPartial, 0, []string{"Raumfahrt"}},
		{"only unknown words", Query{Text: "Raumfahrt Mondlandung"}, "", MatchAll, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(r)
			if strings.HasPrefix(tt.talks, "{") {
				s := strings.Split(got, ",")
				slices.Sort(s)
				got = "{" + strings.Join(s, ",") + "}"
			}
			if got != tt.talks {
				t.Errorf("talks = %s, want %s", got, tt.talks)
			}
			if r.Match != tt.match || r.Full != tt.full || !slices.Equal(r.Ignored, tt.ignored) {
				t.Errorf("Match, Full, Ignored = %q, %d, %q; want %q, %d, %q", r.Match, r.Full, r.Ignored, tt.match, tt.full, tt.ignored)
			}
			if r.Match == MatchAll && r.Full != r.Total {
				t.Errorf("Full = %d, Total = %d; want equal with MatchAll", r.Full, r.Total)
			}
		})
	}
}

// TestSearchPartialRarestInFull checks the any-word tier of a short page
// when every talk with the rarest word has all words, so that the tier of
// the rarest word adds none (journal entry 83): the talks with the other
// word still follow the full ones.
func TestSearchPartialRarestInFull(t *testing.T) {
	ix := openDocs(t, map[string]string{
		"irq1":  "IRQ anzeigen",
		"irq2":  "IRQ-Zähler anzeigen, IRQ",
		"ls":    "Informationen zu Interrupts anzeigen",
		"files": "Dateien anzeigen",
		"none":  "Nichts davon",
	})
	r, err := ix.Search(context.Background(), Query{Text: "IRQ anzeigen"})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(ids(r), ",")
	if len(got) != 4 || !sameSet(got[:2], "irq1", "irq2") || !sameSet(got[2:], "ls", "files") {
		t.Errorf("talks = %v, want irq1 and irq2, then ls and files", got)
	}
	// The talks below the full ones all lack IRQ and have anzeigen.
	if r.Match != MatchPartial || r.Full != 2 || r.Total != 4 || !slices.Equal(r.Ignored, []string{"IRQ"}) {
		t.Errorf("Match, Full, Total, Ignored = %q, %d, %d, %q; want partial, 2, 4, [IRQ]", r.Match, r.Full, r.Total, r.Ignored)
	}
}

// sameSet reports whether got holds exactly the ids want, in any order.
func sameSet(got []string, want ...string) bool {
	g := slices.Clone(got)
	slices.Sort(g)
	slices.Sort(want)
	return slices.Equal(g, want)
}

// TestSearchPartialQuestion checks the last tier of a question: a talk
// with any of its words, not only with its rarest word (Wasser: c).
func TestSearchPartialQuestion(t *testing.T) {
	texts := map[string]string{
		"a": "Feuer, Garten und Wasser", "b": "Feuer im Garten", "c": "Wasser", "d": "Der Garten", "e": "Das Feuer",
	}
	for i, w := range []string{"Straße", "Schule", "Brücke", "Hafen", "Bahnhof", "Rathaus"} {
		texts[fmt.Sprintf("x%d", i)] = w // rare words: none of the question is common
	}
	ix := openDocs(t, texts)
	for _, tt := range []struct {
		text, talks string
		full        int
		ignored     []string
	}{
		{"Feuer Garten Wasser?", "{a,b,c,d,e}", 2, []string{}},                 // c, d, e: each word is in one of them
		{"Feuer Garten Wasser", "{a,b,c,d,e}", 2, []string{"Feuer", "Garten"}}, // no question: the rarest word, then any (TestSearchPartial)
	} {
		t.Run(tt.text, func(t *testing.T) {
			r, err := ix.Search(context.Background(), Query{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			s := strings.Split(ids(r), ",")
			slices.Sort(s)
			if got := "{" + strings.Join(s, ",") + "}"; got != tt.talks {
				t.Errorf("talks = %s, want %s", got, tt.talks)
			}
			if r.Match != MatchPartial || r.Full != tt.full || !slices.Equal(r.Ignored, tt.ignored) {
				t.Errorf("Match, Full, Ignored = %q, %d, %q; want partial, %d, %q", r.Match, r.Full, r.Ignored, tt.full, tt.ignored)
			}
		})
	}
}

// TestSearchPartialFacetsAndPassages checks that facets count the partial
// matches and that their slides are highlighted.
func TestSearchPartialFacetsAndPassages(t *testing.T) {
	ix := mustOpen(t)
	r, err := ix.Search(context.Background(), Query{Text: "Magnetbandbibliothek Raumfahrt"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Match != MatchPartial || ids(r) != "ozg-sachsen" {
		t.Fatalf("got %s (%s), want ozg-sachsen, partial", ids(r), r.Match)
	}
	if len(r.Talks[0].Slides) != 1 || !strings.Contains(string(r.Talks[0].Slides[0].Snippet), "<mark>Magnetbandbibliothek</mark>") {
		t.Errorf("slides = %+v, want slide 4 highlighted", r.Talks[0].Slides)
	}
	if got := facet(r, FieldState); got["Sachsen"] != 1 || len(got) != 1 {
		t.Errorf("state facet = %v, want Sachsen: 1", got)
	}
	// Filtered: the facet of the filtered field comes from its own request.
	r, err = ix.Search(context.Background(), Query{Text: "Rechnungen Raumfahrt", Filters: map[string][]string{FieldState: {"Thüringen"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Match != MatchPartial || r.Total != 2 {
		t.Fatalf("got %s (%s, %d), want two talks in Thüringen, partial", ids(r), r.Match, r.Total)
	}
	if got := facet(r, FieldState); got["Thüringen"] != 2 || got["Sachsen"] != 1 {
		t.Errorf("state facet = %v, want Thüringen: 2, Sachsen: 1", got)
	}
}

// TestSearchPartialPaging checks that the talks and the total do not
// depend on the page asked for.
func TestSearchPartialPaging(t *testing.T) {
	ix := openDocs(t, partialDocs())
	var all []string
	for page := 1; page <= 3; page++ {
		r, err := ix.Search(context.Background(), Query{Text: "Schule Wasser Feuer Garten", Size: 1, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 1 {
			t.Fatalf("page %d: total %d, want 1 (the first page is filled by the full match)", page, r.Total)
		}
		all = append(all, ids(r))
	}
	if got := strings.Join(all, "|"); got != "a||" {
		t.Errorf("pages = %s, want a||", got)
	}
}

func TestDidYouMeanRareWord(t *testing.T) {
	texts := map[string]string{"typo": "Die Verwaltnug der Zukunft", "haus": "Haushalt"}
	for i := range 11 {
		texts[fmt.Sprintf("v%02d", i)] = "Digitale Verwaltung"
	}
	ix := openDocs(t, texts)
	tests := []struct{ text, want string }{
		{"Verwaltnug", "Verwaltung"},                   // a rare word, ten times more often corrected
		{"Verwaltnug Digitale", "Verwaltung Digitale"}, // the other word is known
		{"Verwaltung", ""},
		{"Haushalt", ""},              // rare, but nothing near it
		{"Raumfahrt Mondlandung", ""}, // unknown, nothing near
		{"Verwaltnug Haushalt", ""},   // the correction finds nothing with both words
		{"Verwaltunk", ""},            // unknown, but typo tolerance finds them all already
		{"Zukunft", ""},               // rare, known, no variant
	}
	for _, tt := range tests {
		r, err := ix.Search(context.Background(), Query{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		if r.DidYouMean != tt.want {
			t.Errorf("%q: DidYouMean = %q, want %q", tt.text, r.DidYouMean, tt.want)
		}
	}
}

func TestClearlyMore(t *testing.T) {
	tests := []struct {
		corrected, full int
		unknown, want   bool
	}{
		{0, 0, true, false},
		{1, 0, false, true},
		{3, 2, false, false},
		{4, 2, false, true},
		{2, 2, true, true},
		{1, 2, true, false},
		{3, 3, true, false},
	}
	for _, tt := range tests {
		if got := clearlyMore(tt.corrected, tt.full, tt.unknown); got != tt.want {
			t.Errorf("clearlyMore(%d, %d, %v) = %v, want %v", tt.corrected, tt.full, tt.unknown, got, tt.want)
		}
	}
}

func TestDropOrder(t *testing.T) {
	got := dropOrder([]int{3, 0, 5, 3, 0, 1})
	if want := []int{1, 4, 2, 3, 0, 5}; !slices.Equal(got, want) {
		t.Errorf("dropOrder = %v, want %v", got, want)
	}
}
