package search

import (
	"strings"
	"testing"
)

func TestLeadText(t *testing.T) {
	tests := []struct {
		passages []string
		n        int
		want     string
	}{
		{[]string{"eins zwei", "drei\nvier fünf"}, 4, "eins zwei drei vier"},
		{[]string{"eins  zwei"}, 5, "eins zwei"},
		{[]string{"", "eins"}, 1, "eins"},
		{nil, 3, ""},
	}
	for _, tt := range tests {
		if got := leadText(tt.passages, tt.n); got != tt.want {
			t.Errorf("leadText(%q, %d) = %q, want %q", tt.passages, tt.n, got, tt.want)
		}
	}
}

// leadDocs are two man pages titled by their file names: "lang" names its
// task in its first line and goes on at length, "kurz" is short and
// mentions the task only after its first 40 words.
func leadDocs(titleFromFile bool) []Doc {
	filler := strings.Repeat("Die Option steuert die Ausgabe des Programms. ", 8)
	return []Doc{
		{Talk: Talk{ID: "lang", Title: "man1-lang", Kind: "Vortrag"}, TitleFromFile: titleFromFile,
			Slides: []Slide{{Page: 1, Text: "LANG(1) BEZEICHNUNG lang - Prüfsummen berechnen und prüfen\n" + strings.Repeat(filler, 4)}}},
		{Talk: Talk{ID: "kurz", Title: "man1-kurz", Kind: "Vortrag"}, TitleFromFile: titleFromFile,
			Slides: []Slide{{Page: 1, Text: "KURZ(1) BEZEICHNUNG kurz - Dateien kopieren\n" + filler + "Auch Prüfsummen berechnen andere Programme."}}},
	}
}

// TestLeadInIndex checks that a talk titled only by its file name is
// found by its opening words, which name what it does, above a shorter
// talk that mentions the words further on; and that an archive whose
// talks have titles has no leads and ranks as before.
func TestLeadInIndex(t *testing.T) {
	for _, tt := range []struct {
		titleFromFile bool
		first         string
	}{
		{true, "lang"},  // the name line counts as a lead
		{false, "kurz"}, // no leads: BM25 favours the shorter talk
	} {
		ix := mustIndex(t, leadDocs(tt.titleFromFile)...)
		if got := ix.hasLeads(); got != tt.titleFromFile {
			t.Errorf("TitleFromFile %v: hasLeads() = %v", tt.titleFromFile, got)
		}
		res := mustSearch(t, ix, "Prüfsummen berechnen")
		if len(res.Talks) != 2 || res.Talks[0].ID != tt.first {
			t.Errorf("TitleFromFile %v: talks %v, want 2 with %s first", tt.titleFromFile, ids(res), tt.first)
		}
	}
}
