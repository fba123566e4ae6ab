package search

import (
	"fmt"
	"slices"
	"testing"
)

func mustStrongVerbs(t *testing.T) *strongVerbs {
	t.Helper()
	data, err := dictFS.ReadFile("dict/verbs.txt")
	if err != nil {
		t.Fatal(err)
	}
	sv, err := parseStrongVerbs(data, "dict/verbs.txt")
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func TestStrongVerbForms(t *testing.T) {
	sv := mustStrongVerbs(t)
	for _, tt := range []struct {
		word string
		noun bool
		want []string // among the forms
		not  []string // never among them
	}{
		{word: "umgebrochen", want: []string{"umbrechen"}},                                 // separable prefix, ge- inside
		{word: "umbrechen", want: []string{"umgebrochen", "umbricht"}},                     // and back
		{word: "verschoben", want: []string{"verschieben"}, not: []string{"vergeschoben"}}, // inseparable: no ge-
		{word: "unterbrochen", want: []string{"unterbrechen"}},
		{word: "geschlossen", want: []string{"schliessen"}}, // folded ß
		{word: "enthalt", want: []string{"enthalten"}},      // enthält, folded
		{word: "anerkannt", want: []string{"anerkennen"}},   // separable + inseparable
		{word: "gibt", want: []string{"geben", "gegeben"}},
		{word: "wissen", noun: true, want: []string{"gewusst"}, not: []string{"weiss"}}, // a noun is no present form
		{word: "ablauf"},     // no verb form: lauf is none
		{word: "interessen"}, // "inter" is no prefix
		{word: "brochen"},    // a participle without ge- needs an inseparable prefix
	} {
		got := sv.forms(tt.word, tt.noun)
		if len(tt.want) == 0 && len(got) > 0 {
			t.Errorf("forms(%q) = %v, want none", tt.word, got)
		}
		wantAmong(t, fmt.Sprintf("forms(%q)", tt.word), got, tt.want, tt.not)
	}
}

// wantAmong checks that got, what call produced, has every string of want
// and none of not.
func wantAmong(t *testing.T, call string, got, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s = %v, want %s among them", call, got, w)
		}
	}
	for _, w := range not {
		if slices.Contains(got, w) {
			t.Errorf("%s = %v, want no %s", call, got, w)
		}
	}
}

func TestParseStrongVerbsErrors(t *testing.T) {
	if _, err := parseStrongVerbs([]byte("brechen bricht\n"), "x.txt"); err == nil {
		t.Error("a line with two fields parsed without error")
	}
}

// TestStrongVerbInIndex: a participle whose vowel changes finds the page
// with the infinitive, and the other way round.
func TestStrongVerbInIndex(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("fold", "Zeilen", "Jede Eingabezeile wird so umbrechen, dass sie passt."),
		helpDoc("other", "Zeilen", "Jede Eingabezeile wird gezählt und ausgegeben."),
		helpDoc("move", "Dateien", "Die Datei wurde verschoben."),
	)
	for q, want := range map[string]string{
		"umgebrochen": "fold", // the page has umbrechen
		"verschieben": "move", // the page has verschoben
	} {
		if got := ids(mustSearch(t, ix, q)); got != want {
			t.Errorf("%q found %q, want %s", q, got, want)
		}
	}
}
