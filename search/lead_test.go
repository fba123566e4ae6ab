package search

import (
	"context"
	"fmt"
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
		snap, err := ix.openSnapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := snap.table.leads; got != tt.titleFromFile {
			t.Errorf("TitleFromFile %v: the talk table has leads %v", tt.titleFromFile, got)
		}
		snap.r.Close()
		res := mustSearch(t, ix, "Prüfsummen berechnen")
		if len(res.Talks) != 2 || res.Talks[0].ID != tt.first {
			t.Errorf("TitleFromFile %v: talks %v, want 2 with %s first", tt.titleFromFile, ids(res), tt.first)
		}
	}
}

// TestFileNameTitleWeighsAsLead checks that a file name, which is no
// statement of what a talk is about, weighs as the lead, not as a title:
// "finden" in a query matches the file name man1-find, but the page whose
// name line has the query's other words ranks first.
func TestFileNameTitleWeighsAsLead(t *testing.T) {
	filler := strings.Repeat("Die Option steuert die Ausgabe des Programms. ", 4)
	// Other pages make "finden" and "Befehl" common words, as they are in
	// the man pages, and "Binärdatei" a rare one.
	var docs []Doc
	for i := range 8 {
		docs = append(docs, Doc{Talk: Talk{ID: fmt.Sprintf("other%d", i), Title: fmt.Sprintf("man1-other%d", i), Kind: "Vortrag"}, TitleFromFile: true,
			Slides: []Slide{{Page: 1, Text: fmt.Sprintf("OTHER%d(1) BEZEICHNUNG other%d - Zeilen ausgeben\n", i, i) + filler +
				"Mit diesem Befehl können Sie Zeilen finden und ausgeben."}}})
	}
	ix := mustIndex(t, append(docs,
		Doc{Talk: Talk{ID: "find", Title: "man1-find", Kind: "Vortrag"}, TitleFromFile: true,
			Slides: []Slide{{Page: 1, Text: "FIND(1) BEZEICHNUNG find - nach Dateien in einer Verzeichnishierarchie suchen\n" + filler +
				"Mit -exec führt find für jede gefundene Datei einen Befehl aus."}}},
		Doc{Talk: Talk{ID: "whereis", Title: "man1-whereis", Kind: "Vortrag"}, TitleFromFile: true,
			Slides: []Slide{{Page: 1, Text: "WHEREIS(1) BEZEICHNUNG whereis - nach der Binärdatei und den Handbuchseiten eines Befehls suchen\n" + filler}}},
	)...)
	res := mustSearch(t, ix, "Binärdatei eines Befehls finden")
	if len(res.Talks) == 0 || res.Talks[0].ID != "whereis" {
		t.Errorf("talks %v, want whereis first", ids(res))
	}
	if res := mustSearch(t, ix, "find"); len(res.Talks) == 0 || res.Talks[0].ID != "find" {
		t.Errorf("the file name is not searchable: talks %v, want find first", ids(res))
	}
}

// TestTitleAliasFindsFileName checks that title: finds a talk by the file
// name it is titled with, which the index keeps in its lead.
func TestTitleAliasFindsFileName(t *testing.T) {
	ix := mustIndex(t, leadDocs(true)...)
	if res := mustSearch(t, ix, "title:kurz"); ids(res) != "kurz" {
		t.Errorf("title:kurz found %q, want kurz", ids(res))
	}
}

// TestQuestionWeighsLead checks that a question weighs a lead above a
// title (questionLead and questionTitle): in a folder where some PDFs
// have a title and some do not, the page whose name line states the
// purpose answers a question before a talk that has the word in its
// title, while a keyword query keeps the title first.
func TestQuestionWeighsLead(t *testing.T) {
	filler := strings.Repeat("Die Option steuert die Ausgabe des Programms. ", 6)
	var docs []Doc
	for i := range 6 {
		docs = append(docs, Doc{Talk: Talk{ID: fmt.Sprintf("other%d", i), Title: fmt.Sprintf("man1-other%d", i), Kind: "Vortrag"}, TitleFromFile: true,
			Slides: []Slide{{Page: 1, Text: fmt.Sprintf("OTHER%d(1) BEZEICHNUNG other%d - Zeilen ausgeben\n", i, i) + filler}}})
	}
	ix := mustIndex(t, append(docs,
		Doc{Talk: Talk{ID: "sleep", Title: "man1-sleep", Kind: "Vortrag"}, TitleFromFile: true,
			Slides: []Slide{{Page: 1, Text: "SLEEP(1) BEZEICHNUNG sleep - eine Zeitspanne warten\n" + filler}}},
		Doc{Talk: Talk{ID: "locks", Title: "Auf Sperren warten", Kind: "Vortrag"},
			Slides: []Slide{{Page: 1, Text: "Sperren verwalten\n" + filler + "Prozesse warten auf die Sperre."}}},
	)...)
	if res := mustSearch(t, ix, "Wie kann ich warten?"); len(res.Talks) < 2 || res.Talks[0].ID != "sleep" {
		t.Errorf("question: talks %v, want sleep first", ids(res))
	}
	if res := mustSearch(t, ix, "warten"); len(res.Talks) < 2 || res.Talks[0].ID != "locks" {
		t.Errorf("keyword query: talks %v, want locks first", ids(res))
	}
}

// TestLonePartBelowSplit checks that a compound of a keyword query the
// archive lacks ranks the page with all its parts ("Spalten … entfernen")
// above a page with only its rarest part ("Entfernung"), although that
// part stands in the page's lead and body: the lone part is one clause,
// as the split is, not one per field (addLonePart).
func TestLonePartBelowSplit(t *testing.T) {
	filler := strings.Repeat("Die Option steuert die Ausgabe des Programms. ", 6)
	doc := func(id, lead, more string) Doc {
		return Doc{Talk: Talk{ID: id, Title: "man1-" + id, Kind: "Vortrag"}, TitleFromFile: true,
			Slides: []Slide{{Page: 1, Text: strings.ToUpper(id) + "(1) BEZEICHNUNG " + id + " - " + lead + "\n" + filler + more}}}
	}
	ix := mustIndex(t,
		doc("colrm", "Spalten aus einer Datei entfernen", ""),
		doc("escape", "Entfernung von Sonderzeichen", "Die Entfernung erfolgt sofort."),
		doc("column", "Spalten ausrichten", "Spalten und Zeilen."),
		doc("cut", "Spalten ausschneiden", "Spalten wählen."),
		doc("paste", "Zeilen zusammenfügen", "Spalten verbinden."),
	)
	res := mustSearch(t, ix, "Spaltenentfernung")
	if len(res.Talks) < 2 || res.Talks[0].ID != "colrm" {
		t.Errorf("talks %v, want colrm first", ids(res))
	}
}
