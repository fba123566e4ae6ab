package search

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
)

// TestWordQuery checks the shape of one word's clause: its own matches
// and its expansions are two groups, however many expansions there are,
// so that bleve's share-of-clauses factor does not shrink the word, and
// the groups add up instead of being coordinated.
func TestWordQuery(t *testing.T) {
	terms := func(n int) []query.Query {
		qs := make([]query.Query, n)
		for i := range qs {
			qs[i] = query.NewTermQuery("t")
		}
		return qs
	}
	for _, tt := range []struct {
		name         string
		clauses      int
		exact        int
		want         int // clauses of the outer disjunction
		own, expands int // clauses of its two parts, when nested
	}{
		{"no expansions", 8, 8, 8, 0, 0},
		{"expansions", 8 + 35, 8, 2, 8, 35},
		{"only expansions", 5, 0, 5, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := wordQuery(terms(tt.clauses), tt.exact)
			if tt.own == 0 {
				d, ok := q.(*query.DisjunctionQuery)
				if !ok || len(d.Disjuncts) != tt.want {
					t.Fatalf("got %T, want a disjunction of %d clauses", q, tt.want)
				}
				return
			}
			// Nested: the two groups add up, without coordination.
			b, ok := q.(*bestOf)
			if !ok || b.tie != 1 || len(b.qs) != tt.want {
				t.Fatalf("got %T, want the sum of %d groups", q, tt.want)
			}
			own, exp := b.qs[0].(*query.DisjunctionQuery), b.qs[1].(*query.DisjunctionQuery)
			if len(own.Disjuncts) != tt.own || len(exp.Disjuncts) != tt.expands {
				t.Errorf("parts of %d and %d clauses, want %d and %d", len(own.Disjuncts), len(exp.Disjuncts), tt.own, tt.expands)
			}
		})
	}
}

// TestQuestionFiller checks that the filler words of questions, including
// contractions the stop list lacks and first-person light verbs, make no
// clause.
func TestQuestionFiller(t *testing.T) {
	ix := mustOpen(t)
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"Wie ändere ich den Ordner beim Speichern?", []string{"ändere", "Ordner", "Speichern"}},
		{"Wie mache ich eine Zeile höher?", []string{"Zeile", "höher"}},
		{"Wie gebe ich dem Blatt einen Namen?", []string{"Blatt", "Namen"}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			tq := ix.parseText(context.Background(), tt.query, false)
			if !slices.Equal(tq.clauseWords, tt.want) {
				t.Errorf("clause words %q, want %q", tq.clauseWords, tt.want)
			}
		})
	}
}

// queryTerms lists the terms of q's term queries, as its JSON shows them.
func queryTerms(q query.Query) []string {
	b, err := json.Marshal(q)
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range regexp.MustCompile(`"term":"([^"]*)"`).FindAllSubmatch(b, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// helpDoc is a talk of the small help-text archives the tests build: a
// title and one slide of text.
func helpDoc(id, title, text string) Doc {
	ev := Event{ID: "ev", Name: "Hilfe", Year: 2024}
	return Doc{Talk: Talk{ID: id, Title: title, Kind: "Vortrag", Event: ev}, Slides: []Slide{{Page: 1, Text: text}}}
}

// mustIndex opens an index in a temporary folder and indexes docs.
func mustIndex(tb testing.TB, docs ...Doc) *Index {
	tb.Helper()
	ix, err := Open(tb.TempDir() + "/index")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), docs...); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// mustSearch runs a search of text.
func mustSearch(tb testing.TB, ix *Index, text string) *Result {
	tb.Helper()
	res, err := ix.Search(context.Background(), Query{Text: text})
	if err != nil {
		tb.Fatalf("search %q: %v", text, err)
	}
	return res
}

// wantFirst checks that each query finds talks whose ids, joined by
// commas in rank order, begin with prefix.
func wantFirst(tb testing.TB, ix *Index, prefix string, queries ...string) {
	tb.Helper()
	for _, q := range queries {
		if got := ids(mustSearch(tb, ix, q)); !strings.HasPrefix(got, prefix) {
			tb.Errorf("%q found %q, want them to begin with %q", q, got, prefix)
		}
	}
}

// TestQuestionWordScores checks how a question scores its words: the
// talk whose text has most of the question's words comes before one that
// has a single word in its title and text, and an exact word counts no
// less because the word has other forms elsewhere in the archive.
func TestQuestionWordScores(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("bericht", "Werkzeug Fehlerbericht", "Nach einem Absturz schickt das Programm einen Bericht an die Entwickler. Er enthält Daten zum System."),
		helpDoc("anzeige", "Daten anzeigen", "Das Programm zeigt Daten und Tabellen."),
		helpDoc("start", "Starten", "Das Programm startet schnell."),
	)
	const q = "Welche Daten schickt das Programm nach einem Absturz an die Entwickler?"
	wantFirst(t, ix, "bericht,", q)
	tq := ix.parseText(context.Background(), q, false)
	if !tq.question {
		t.Fatal("not taken for a question")
	}
	for i, c := range tq.clauses {
		if _, ok := c.(*bestOf); !ok {
			t.Errorf("clause %d (%s) is a %T, want bestOf", i, tq.clauseWords[i], c)
		}
	}
}

// TestQuestionTargets checks that a question weighs a title match lower
// and every other field as a keyword query does, without changing the
// shared field tables.
func TestQuestionTargets(t *testing.T) {
	ix := mustOpen(t)
	plain := ix.targets("", true)
	q := plain.forQuestion(questionLead)
	for i, f := range q.whole {
		want := plain.whole[i].boost
		switch f.field {
		case fieldTitle:
			want *= questionTitle
		case fieldLead:
			want *= questionLead
		}
		if f.boost != want {
			t.Errorf("%s: boost %g, want %g", f.field, f.boost, want)
		}
	}
	if q.parts[0].field != fieldTitleParts || q.parts[0].boost != plain.parts[0].boost*questionTitle {
		t.Errorf("title parts: %+v, want ×%g of %+v", q.parts[0], questionTitle, plain.parts[0])
	}
	if wholeFields[0].boost != 4 {
		t.Errorf("the shared title weight changed to %g", wholeFields[0].boost)
	}
}

// TestDerivationWeights checks that a verb finds its -ung noun in a
// keyword query and in a question, weighted less in the keyword query: a
// keyword query names what it seeks, a question describes it in its own
// words.
func TestDerivationWeights(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("schwaerzung", "Schwärzung", "Die Schwärzung verdeckt vertrauliche Stellen."),
		helpDoc("stift", "Stifte", "Mit dem Stift lassen sich Flächen schwärzen."),
	)
	noun := ix.analyzeWith(ix.wholeAnalyzer(), "Schwärzung")[0]
	for _, tt := range []struct {
		q    string
		want float64
	}{
		{"Stellen schwärzen", weightDerivedKeyword},
		{"Wie kann ich Stellen schwärzen?", weightDerived},
	} {
		tq := ix.parseText(context.Background(), tt.q, false)
		if got := bodyBoost(tq.talk, noun); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%q looks for %q in the body with weight %g, want %g", tt.q, noun, got, tt.want)
		}
	}
}

// bodyBoost is the highest boost of a term query for term in the body
// field of q, 0 if there is none.
func bodyBoost(q query.Query, term string) float64 {
	b, err := json.Marshal(q)
	if err != nil {
		return 0
	}
	re := regexp.MustCompile(`\{"term":"` + regexp.QuoteMeta(term) + `","field":"body","boost":([0-9.e-]+)\}`)
	best := 0.0
	for _, m := range re.FindAllSubmatch(b, -1) {
		if v, err := strconv.ParseFloat(string(m[1]), 64); err == nil && v > best {
			best = v
		}
	}
	return best
}

// TestSplitUnknownPieces checks that a hyphenated word with a piece the
// archive lacks is searched as its pieces, so that a typo in one piece
// still finds the talk, while a hyphenated word the archive has, joined or
// hyphenated, and one with a piece shorter than three letters, stay one
// word.
func TestSplitUnknownPieces(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("cursor", "Direkt-Cursor verwenden", "Mit dem Direkt-Cursor schreiben Sie an jeder Stelle der Seite."),
		helpDoc("akte", "Akte anlegen", "Eine Akte enthält Vorgänge."),
		helpDoc("puffer", "Kernelringpuffer lesen", "Der Kernelringpuffer hält Meldungen."),
	)
	for _, tt := range []struct {
		q       string
		clauses int
		found   string
	}{
		{"Direkt-Cusror", 2, "cursor"},
		{"Direkt-Cursor", 1, "cursor"},
		{"Direkt-Cusror einschalten", 3, "cursor"},
		// Neither piece stands alone, but the archive writes the word
		// joined: split, each piece also finds the joined word.
		{"Kernel-Ringpuffer", 2, "puffer"},
		// A piece of one or two letters is never split off: "E-Akte" is
		// read by the E-prefix rule as "elektronische Akte".
		{"E-Akte", 1, ""},
	} {
		tq := ix.parseText(context.Background(), tt.q, false)
		if len(tq.clauses) != tt.clauses {
			t.Errorf("%q: %d clauses %q, want %d", tt.q, len(tq.clauses), tq.clauseWords, tt.clauses)
		}
		if got := ids(mustSearch(t, ix, tt.q)); tt.found != "" && !strings.HasPrefix(got, tt.found) {
			t.Errorf("%q found %q, want %s first", tt.q, got, tt.found)
		}
	}
}

// TestHyphenPieces checks that each piece of a hyphenated word may match
// alone, far below, when no talk has the pieces together: in a question
// every piece, in a keyword query the rarest ("Calc", in one talk, not
// "Tabelle", in two), so that neither is a dead end.
func TestHyphenPieces(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("tabelle", "Tabellen gestalten", "Eine Tabelle gestalten Sie mit Vorlagen."),
		helpDoc("zeilen", "Zeilen", "Eine Tabelle hat Zeilen."),
		helpDoc("calc", "Calc starten", "Calc startet aus dem Menü."),
	)
	for _, tt := range []struct {
		q    string
		want string // the talks found, sorted
	}{
		{"Was ist eine Calc-Tabelle?", "calc,tabelle,zeilen"},
		{"Calc-Tabelle", "calc"},
	} {
		found := strings.Split(ids(mustSearch(t, ix, tt.q)), ",")
		slices.Sort(found)
		if got := strings.Join(found, ","); got != tt.want {
			t.Errorf("%q found %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestIsFiller checks that a filler verb form written as a noun is a word
// of the query, and every other filler word stays filler.
func TestIsFiller(t *testing.T) {
	for _, tt := range []struct {
		q    string
		word string
		want bool
	}{
		{"Warum findet die Suche keine Zahl?", "Suche", false},
		{"Suche Vorträge zur eAkte", "Suche", true}, // first word: the verb
		{"Ich suche Vorträge zur eAkte", "suche", true},
		{"Gibt es ein Beispiel zur eAkte?", "Beispiel", true}, // a filler noun
		{"Wie gebe ich eine Formel ein?", "gebe", true},
		{"Wie lasse ich die Spalte zusammenzählen?", "lasse", true}, // auxiliary verbs
		{"Lässt sich die Summe anzeigen?", "Lässt", true},
		{"Darf ich die Vorlage ändern?", "Darf", true},
		{"Wie stimmt die Seitenzahl immer?", "immer", true}, // a vague adverb
		{"Ist die Summe gerade?", "gerade", false},          // also names a thing
	} {
		found := false
		for _, g := range parseQuery(tt.q).groups {
			if g[0].text == tt.word {
				found = true
				if got := isFiller(g[0]); got != tt.want {
					t.Errorf("%q: %q filler = %v, want %v", tt.q, tt.word, got, tt.want)
				}
			}
		}
		if !found {
			t.Errorf("%q: no word %q", tt.q, tt.word)
		}
	}
}

// TestJoinedWordsCountAlone checks two neighbouring query words that the
// archive writes as one compound: a talk with the compound has both, and
// a talk with only one of them still has that one.
func TestJoinedWordsCountAlone(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("farbe", "Hintergrundfarbe", "Die Hintergrundfarbe einer Zelle wählen."),
		helpDoc("bild", "Hintergrund", "Ein Bild als Hintergrund einer Zelle."),
		helpDoc("rahmen", "Rahmen", "Rahmen zeichnen."),
	)
	const q = "Hintergrund Farbe Zelle"
	tq := ix.parseText(context.Background(), q, false)
	if len(tq.clauses) != 3 {
		t.Fatalf("%q: %d clauses %q, want one per word", q, len(tq.clauses), tq.clauseWords)
	}
	res := mustSearch(t, ix, q)
	if res.Full != 2 || !strings.HasPrefix(ids(res), "farbe,bild") {
		t.Errorf("%q: %d full matches %q, want farbe (the compound and Zelle) then bild (Hintergrund and Zelle)", q, res.Full, ids(res))
	}
}

// TestPartsAddToTheirField checks that a keyword's match inside a
// compound adds to its match in the same field instead of counting as a
// field of its own: the page that names the word often outranks the page
// that has it once alone and once inside a compound.
func TestPartsAddToTheirField(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("often", "Belegung anzeigen", "Die Größe jeder Datei, die Größe der Ordner, die Größe in Blöcken: Größe lesbar."),
		helpDoc("once", "Liste anzeigen", "Zeigt die Dateien eines Ordners mit ihrer Größe und dem Datum an. Die Gesamtgröße aller Dateien steht am Ende der Liste. Versteckte Dateien zeigt erst die Option an, die mit einem Punkt beginnen. Die Reihenfolge folgt dem Namen."),
		helpDoc("other", "Ordner wechseln", "Wechselt in einen anderen Ordner."),
		helpDoc("limit", "Grenzen setzen", "Die Dateigröße eines Prozesses begrenzen."),
	)
	wantFirst(t, ix, "often,once", "Größe", "Groesse")
}

// TestHyphenatedIsTheWord checks that a joined query word finds the talk
// that writes it with a hyphen as if it had the word itself, above a talk
// that has its parts apart and the query's other word more often.
func TestHyphenatedIsTheWord(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("hyphen", "Dienste verwalten", "Der Befehl zeigt alle Unit-Dateien und kann sie auflisten. Die Ausgabe erscheint seitenweise im Terminal, mit Farben, Spalten und einer Kopfzeile über der Tabelle."),
		helpDoc("apart", "Befehle", "Jede Unit hat Dateien. Der Befehl kann Dateien und Verzeichnisse auflisten, Geräte auflisten und Nutzer auflisten."),
		helpDoc("other", "Netz", "Verbindungen einrichten."),
	)
	wantFirst(t, ix, "hyphen,", "Unitdateien auflisten", "Wie kann ich Unitdateien auflisten?")
}

// TestUmlautVerbIsNoStopWord checks that a verb whose folded spelling is
// a stop word ("ändern" folds to "andern", other) is still found as the
// verb of its -ung noun: "Zeitstempeländerung" finds the page that says
// "Zeitstempel ändern", and short stop words (aus, unter) stay no compound
// parts.
func TestUmlautVerbIsNoStopWord(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("touch", "Dateien anlegen", "Mit dem Befehl lassen sich die Zeitstempel einer Datei ändern."),
		helpDoc("stat", "Zeitstempel anzeigen", "Der Befehl zeigt die Zeitstempel einer Datei an."),
		helpDoc("other", "Andere Befehle", "Andere Dateien werden unten anders behandelt."),
	)
	wantFirst(t, ix, "touch", "Zeitstempeländerung")
	v := ix.newVocab(context.Background(), nil)
	defer v.close()
	for w, want := range map[string]bool{"andern": false, "aus": true, "unter": true, "datei": false} {
		if got := v.stop(w); got != want {
			t.Errorf("stop(%q) = %v, want %v", w, got, want)
		}
	}
}

// TestActionCompoundObject checks the lone parts of a keyword query's
// compound that no talk has whole or in all its parts: when its last part
// is a noun made of a verb the archive has (Einrichtung ← einrichten), the
// first part, the thing acted on, matches alone too, not only the rarest
// part (relevance journal, entry 87). Here Einrichtung is rarer than
// Drucker, so before, only the network setup page had both words.
func TestActionCompoundObject(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("drucker", "Angeschlossene Drucker", "Drucker am Arbeitsplatzrechner verwenden."),
		helpDoc("netz", "Netzwerk", "Einrichtung des Netzwerks am Arbeitsplatzrechner. Das Netz einrichten."),
		helpDoc("buero", "Büro", "Drucker im Büro."),
		helpDoc("start", "Start", "Den Arbeitsplatzrechner starten."),
	)
	res := mustSearch(t, ix, "Druckereinrichtung Arbeitsplatzrechner")
	got := strings.Split(ids(res), ",")
	if res.Full != 2 || len(got) < 2 || !sameSet(got[:2], "drucker", "netz") {
		t.Errorf("found %v with %d full matches, want drucker and netz as the 2 full matches", got, res.Full)
	}
	// No action in the last part: only the rarest part stands alone.
	res = mustSearch(t, ix, "Druckernetz Arbeitsplatzrechner")
	if res.Full != 1 {
		t.Errorf("Druckernetz: %d full matches (%s), want 1", res.Full, ids(res))
	}
}

// TestPhrasePairs checks that two neighbouring query words rank a talk
// that has them side by side above one with the same words apart, in
// keyword queries and questions, and only in the order typed.
func TestPhrasePairs(t *testing.T) {
	ix := mustIndex(t, append(techDocs(),
		techDoc("nebeneinander", "Absätze", "Eine nummerierte Liste beginnt bei eins.", "Absätze folgen."),
		techDoc("getrennt", "Absätze", "Eine Liste ist nummeriert und beginnt bei eins.", "Absätze folgen."),
	)...)
	for _, tt := range []struct {
		query  string
		phrase bool // "nebeneinander" must score above "getrennt"; else the same
	}{
		{"nummerierte Liste", true},
		{"nummerierte Listen beginnen", true},
		{"Wie beginnt eine nummerierte Liste?", true},
		{"Liste nummeriert", false},      // the text has them in the other order
		{"nummerierte und Liste", false}, // a stop word between them in the query
	} {
		t.Run(tt.query, func(t *testing.T) {
			score := map[string]float64{}
			for _, h := range mustSearch(t, ix, tt.query).Talks {
				score[h.Talk.ID] = h.Score
			}
			near, apart := score["nebeneinander"], score["getrennt"]
			if near == 0 || apart == 0 {
				t.Fatalf("found %v, want both talks", score)
			}
			if tt.phrase && near <= apart {
				t.Errorf("side by side %.4f, apart %.4f: want the talk with the phrase first", near, apart)
			}
			if !tt.phrase && math.Abs(near-apart) > 1e-9 {
				t.Errorf("side by side %.4f, apart %.4f: want the same score without the phrase in the query", near, apart)
			}
		})
	}
}

// TestPassagePhrase checks that of two slides with the same words, the
// one that has two neighbouring query words side by side is shown first.
func TestPassagePhrase(t *testing.T) {
	ix := mustIndex(t, append(techDocs(), techDoc("listen", "Absätze",
		"Eine Liste ist nummeriert und beginnt bei eins.",
		"Eine nummerierte Liste beginnt bei eins."))...)
	for _, tt := range []struct {
		query string
		page  int
	}{
		{"nummerierte Liste", 2},
		{"Wie beginnt eine nummerierte Liste?", 2},
		{"Liste nummeriert", 1}, // no slide has this order: the first page wins the tie
	} {
		res, err := ix.Search(context.Background(), Query{Text: tt.query, Slides: 1})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(res.Talks, func(h TalkHit) bool { return h.Talk.ID == "listen" })
		if i < 0 || len(res.Talks[i].Slides) == 0 {
			t.Fatalf("%q: talk listen or its slide missing: %s", tt.query, ids(res))
		}
		if got := res.Talks[i].Slides[0].Page; got != tt.page {
			t.Errorf("%q showed slide %d first, want %d", tt.query, got, tt.page)
		}
	}
}
