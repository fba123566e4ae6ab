package search

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseThesaurus(t *testing.T) {
	ix := mustIndex(t)
	analyze := func(s string) []string { return ix.analyzeWith(analyzerWhole, s) }
	data, err := os.ReadFile("testdata/thesaurus.txt")
	if err != nil {
		t.Fatal(err)
	}
	th, err := parseThesaurus(data, "testdata/thesaurus.txt", analyze)
	if err != nil {
		t.Fatal(err)
	}
	if len(th.groups) != 4 {
		t.Errorf("%d groups, want 4 (the line whose only single word is Netzzugang is none): %q", len(th.groups), th.groups)
	}
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"Notiz", []string{"Anmerkung", "Kommentar", "Vermerk"}}, // the note in parentheses dropped
		{"Notizen", []string{"Anmerkung", "Kommentar", "Vermerk"}},
		{"Kommentare", []string{"Notiz", "Anmerkung", "Vermerk"}},
		{"Passwort", []string{"Kennwort", "Zugangscode"}},
		{"Netzzugang", nil},
		{"Zugang", nil}, // a word of a phrase only
		{"Tabelle", nil},
	} {
		terms := analyze(tt.word)
		if got := th.synonyms(terms[0]); !slices.Equal(got, tt.want) {
			t.Errorf("synonyms(%s) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if _, err := LoadThesaurus("testdata/none.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadThesaurus of a missing file: %v, want fs.ErrNotExist", err)
	}
	if th, err := LoadThesaurus("testdata/thesaurus.txt"); err != nil || th.Groups() != 4 {
		t.Errorf("LoadThesaurus: %d groups, %v; want 4", th.Groups(), err)
	}
	for _, bad := range []string{"", "# only a comment\n", "Zugang zum Netz;Netzzugang\n"} {
		if _, err := parseThesaurus([]byte(bad), "bad.txt", analyze); err == nil || !strings.Contains(err.Error(), "bad.txt") {
			t.Errorf("parseThesaurus(%q) = %v, want an error naming the file", bad, err)
		}
	}
}

// thesaurusDocs is an archive, written for TestQuestionThesaurus, that
// says Kommentar where a question says Notiz, uses Gruppe in three of its
// talks and Team in four, and Ordner in two and Mappe in one.
func thesaurusDocs() []Doc {
	doc := techDoc
	return []Doc{
		doc("kommentar", "Kommentare", "Ein Kommentar erklärt den Inhalt einer Zelle.", "Der Kommentar erscheint, wenn die Maus darüber steht."),
		doc("zellen", "Zellen", "Jede Zelle hat eine Adresse.", "Eine Zelle enthält Werte oder Formeln."),
		doc("gruppe1", "Gruppen bilden", "Eine Gruppe fasst Objekte zusammen."),
		doc("gruppe2", "Gruppen auflösen", "Die Gruppe wird wieder aufgelöst."),
		doc("gruppe3", "Gruppen bearbeiten", "In einer Gruppe bearbeiten Sie ein Objekt."),
		doc("team1", "Das Team", "Das Team schreibt die Hilfe."),
		doc("team2", "Team-Arbeit", "Ein Team teilt Vorlagen."),
		doc("team3", "Übersetzung", "Das Team übersetzt die Hilfe."),
		doc("team4", "Danksagung", "Wir danken dem Team."),
		doc("ordner1", "Ablage", "Ein Ordner sammelt Dateien."),
		doc("ordner2", "Speichern", "Der Ordner für neue Dateien lässt sich wählen."),
		doc("mappe", "Präsentation", "Die Mappe enthält die Folien des Vortrags."),
	}
}

// TestQuestionThesaurus checks that a question word the archive hardly
// uses finds the thesaurus synonym it uses more (Notiz → Kommentar),
// that a word it uses widely takes none (Gruppe ↛ Team), nor a rare word
// a synonym it uses less (Ordner ↛ Mappe), and that without the
// thesaurus the question does not find the synonym's talk first.
func TestQuestionThesaurus(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Index(context.Background(), thesaurusDocs()...); err != nil {
		t.Fatal(err)
	}
	const question = "Wie hänge ich eine Notiz an eine Zelle an?"
	got := ids(mustSearch(t, ix, question))
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(got, "kommentar") {
		t.Fatalf("without the thesaurus %q found %q: the test cannot tell", question, got)
	}

	th, err := LoadThesaurus("testdata/thesaurus.txt")
	if err != nil {
		t.Fatal(err)
	}
	ix = openWith(t, dir, Options{Thesaurus: th})
	wantFirst(t, ix, "kommentar,", question)
	for _, tt := range []struct{ question, not string }{
		{"Wie bilde ich eine Gruppe?", "team"},
		{"Wie löse ich eine Gruppe auf?", "team"},
		{"Wie lege ich einen Ordner an?", "mappe"},
	} {
		for _, id := range strings.Split(ids(mustSearch(t, ix, tt.question)), ",") {
			if strings.HasPrefix(id, tt.not) {
				t.Errorf("%q found %s: a synonym the archive uses less than the word, or of a word it uses widely", tt.question, id)
			}
		}
	}
}

// openWith opens the index in dir with opt and closes it after the test.
func openWith(tb testing.TB, dir string, opt Options) *Index {
	tb.Helper()
	ix, err := Open(dir, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}
