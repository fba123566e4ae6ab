package search

import (
	"fmt"
	"slices"
	"testing"
)

// TestEllipsisCompletion checks the completed words of German
// coordination ellipses, as the whole-word analyzer emits them.
func TestEllipsisCompletion(t *testing.T) {
	ix := mustIndex(t)
	for _, tt := range []struct {
		text string
		want []string // among the terms
		not  []string // never among them
	}{
		{text: "Ein- oder Ausschalten", want: []string{"einschalt", "ausschalt"}}, // a verb after a separable prefix
		{text: "Vorder- und Rückseite", want: []string{"vorderseit", "ruckseit"}},
		{text: "Benutzer- und Gruppenkennungen", want: []string{"benutzerkennung"}},
		{text: "Bund-, Länder- und Kommunalebene", want: []string{"bundeb", "landereb"}}, // a chain of fragments
		{text: "Haushalts- bzw. Finanzplanung", want: []string{"haushaltsplanung"}},
		{text: "E-Akte und Rechnung", not: []string{"akterechnung", "elektronischrechnung"}}, // a hyphen inside a word
		{text: "Die Datei- und", not: []string{"dateiund"}},                                  // no closing compound
		{text: "Datei- Ordner", not: []string{"dateiordn"}},                                  // no conjunction
	} {
		wantAmong(t, fmt.Sprintf("terms of %q", tt.text), allTerms(t, ix, analyzerWhole, tt.text), tt.want, tt.not)
	}
	// The completed word is no compound to split again: its parts are
	// words of the text already.
	if parts := allTerms(t, ix, analyzerParts, "Verzeichnis- oder Dateiname"); slices.Contains(parts, "verzeichnis") {
		t.Errorf("parts %v: the completed Verzeichnisname was split again", parts)
	}
}

// allTerms is every term the analyzer emits for text, the completed
// words of ellipses too (analyzeWith leaves them out).
func allTerms(t *testing.T, ix *Index, analyzer, text string) []string {
	t.Helper()
	a := ix.b.Mapping().AnalyzerNamed(analyzer)
	if a == nil {
		t.Fatalf("no analyzer %s", analyzer)
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}

// TestEllipsisInIndex: a page that says "ein- oder ausschalten" is found
// by "einschalten".
func TestEllipsisInIndex(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("acct", "Buchführung", "Die Prozessbuchführung ein- oder ausschalten."),
		helpDoc("other", "Buchführung", "Die Prozessbuchführung auswerten."),
	)
	if got := ids(mustSearch(t, ix, "einschalten")); got != "acct" {
		t.Errorf("einschalten found %q, want acct", got)
	}
}
