package search

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/internal/german"
)

func TestDictionarySplit(t *testing.T) {
	d, err := loadDictionary()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		word string
		want string // parts joined by "+", "" for no split
	}{
		{"Servicekonto", "service+konto"},
		{"Straßenverkehrsbehörde", "strasse+verkehr+behorde"},
		{"Müllabfuhr", "mull+abfuhr"},
		{"Rechnungseingang", "rechnung+eingang"},
		{"Umlaufmappe", "umlauf+mappe"},
		{"Verwaltungsdigitalisierung", "verwaltung+digitalisierung"},
		{"Rechnungen", ""},
		{"Konto", ""},
		{"Konzept", ""},
	}
	for _, tt := range tests {
		got := strings.Join(d.split(german.Fold(tt.word)), "+")
		if got != tt.want {
			t.Errorf("split(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestAnalyzers(t *testing.T) {
	ix := mustOpen(t)
	tests := []struct {
		analyzer, in, want string
	}{
		{analyzerWhole, "eAkte", "elektronisch akt"},
		{analyzerWhole, "E-Akte", "elektronisch akt"},
		{analyzerWhole, "E\u2011Akte", "elektronisch akt"},
		{analyzerWhole, "E Akte", "elektronisch akt"},
		{analyzerWhole, "elektronische Akte", "elektronisch akt"},
		{analyzerWhole, "eakte", "elektronisch akt"},
		{analyzerWhole, "E-Rechnung eRechnung", "elektronisch rechnung elektronisch rechnung"},
		{analyzerWhole, "Erfurt Eltern", "erfurt elt"},
		{analyzerWhole, "Straße Strasse", "strass strass"},
		{analyzerWhole, "Buergerbeteiligung Bürgerbeteiligung", "burgerbeteiligung burgerbeteiligung"},
		{analyzerWhole, "Größe Groesse", "gross gross"},
		// Stop words in every spelling the chain takes for the same word;
		// content words that fold alike stay.
		{analyzerWhole, "dass daß Akte", "akt"},
		{analyzerWhole, "fuer für ueber über Akte", "akt"},
		{analyzerWhole, "wuerde koennen waehrend Akte", "akt"},
		{analyzerWhole, "Ware Fuehrung", "war fuhrung"},
		{analyzerParts, "Das Servicekonto", "servic konto"},
		{analyzerParts, "Konto", ""},
		{analyzerAll, "Servicekonto", "servicekonto servic konto"},
	}
	for _, tt := range tests {
		got := strings.Join(ix.analyzeWith(tt.analyzer, tt.in), " ")
		if got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.analyzer, tt.in, got, tt.want)
		}
	}
}

// germanDocs exercise compounds, spellings, abbreviations and typos.
func germanDocs() []Doc {
	ev := Event{ID: "itf", Name: "IT-Fachtag", Year: 2018}
	talk := func(id, title string, topics []string, slides ...string) Doc {
		d := Doc{Talk: Talk{ID: id, Title: title, Kind: "Vortrag", Event: ev, Topics: topics}}
		for i, s := range slides {
			d.Slides = append(d.Slides, Slide{Page: i + 1, Text: s})
		}
		return d
	}
	return []Doc{
		talk("konto", "Das Servicekonto Berlin", []string{"Servicekonto"},
			"Das Servicekonto Berlin", "Bürgerinnen und Bürger melden sich einmal an"),
		talk("konto-exakt", "Ein Konto für alle Leistungen", []string{"Nutzerkonten"},
			"Das Konto ist der Schlüssel", "Anmeldung mit dem Konto"),
		talk("schule", "Konzept für die Schule", []string{"Schuldigitalisierung"},
			"Ein Konzept für jede Schule", "Tablets im Unterricht"),
		talk("erechnung", "Workshop E-Rechnung", []string{"E-Rechnung"},
			"Die E‑Rechnung kommt", "Übertragungswege für elektronische Rechnungen"),
		talk("eakte", "Einführung der eAkte", []string{"eAkte"},
			"Die eAkte ersetzt Papier", "Die Müllabfuhr und die Straßenverkehrsbehörde arbeiten digital"),
		talk("ozg", "Umsetzung des Onlinezugangsgesetzes", []string{"Onlinezugangsgesetz"},
			"Das Onlinezugangsgesetz verpflichtet Bund und Länder"),
		talk("dstgb", "Keynote des DStGB", []string{"Digitalisierungsstrategie"},
			"Der DStGB sieht Chancen der Verwaltungsdigitalisierung"),
		talk("maerker", "MaerkerPlus in Potsdam", []string{"Bürgerkommunikation"},
			"Hinweise der Bürger über MaerkerPlus"),
	}
}

func openGerman(tb testing.TB) *Index {
	tb.Helper()
	ix, err := Open(tb.TempDir() + "/index")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), germanDocs()...); err != nil {
		tb.Fatal(err)
	}
	return ix
}

func TestGermanQueries(t *testing.T) {
	ix := openGerman(t)
	tests := []struct {
		q     string
		first string // expected first talk; "-" for no results
		also  string // another talk that must be found, "" for none
	}{
		{"Konto", "konto-exakt", "konto"},                   // exact above part
		{"Servicekonto", "konto", ""},                       //
		{"Service-Konto", "konto", ""},                      // hyphen form
		{"Schulkonzept", "schule", ""},                      // compound finds its parts
		{"Digitalisierung", "dstgb", ""},                    // part finds compound
		{"Müllabfuhr", "eakte", ""},                         //
		{"Abfuhr", "eakte", ""},                             //
		{"Strassenverkehrsbehoerde", "eakte", ""},           // ss and oe spelling
		{"elektronische Akte", "eakte", ""},                 // E-prefix family
		{"E-Akte", "eakte", ""},                             //
		{"eRechnung", "erechnung", ""},                      //
		{"E Rechnung", "erechnung", ""},                     //
		{"elektronische Rechnung", "erechnung", ""},         //
		{"OZG", "ozg", ""},                                  // abbreviation
		{"Deutscher Städte- und Gemeindebund", "dstgb", ""}, // long form
		{"Onlinezugansgesetz", "ozg", ""},                   // one typo
		{"Onlinezugngsgestz", "ozg", ""},                    // two typos in a long word
		{"Servicekondo", "konto", ""},                       // typo
		{`"elektronische Rechnungen"`, "erechnung", ""},     // phrase
		{`"Rechnungen elektronische"`, "-", ""},             // wrong order
		{"Konto -Servicekonto", "konto-exakt", ""},          // exclusion
		{"Tablets OR Papier", "schule", "eakte"},            // OR
		{"topic:eAkte", "eakte", ""},                        // field
		{"title:Konzept", "schule", ""},                     //
		{"Umsetz*", "ozg", ""},                              // prefix
		{`"Konto`, "konto-exakt", ""},                       // odd input is plain
		{"Konto 🙂", "konto-exakt", ""},                      //
		{": - *", "-", ""},                                  //
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Errorf("%q: %v", tt.q, err)
			continue
		}
		if tt.first == "-" {
			if res.Total != 0 {
				t.Errorf("%q found %s, want nothing", tt.q, ids(res))
			}
			continue
		}
		if len(res.Talks) == 0 || res.Talks[0].ID != tt.first {
			t.Errorf("%q: talks %s, want %s first", tt.q, ids(res), tt.first)
		}
		if tt.also != "" && !strings.Contains(","+ids(res)+",", ","+tt.also+",") {
			t.Errorf("%q: talks %s, want %s too", tt.q, ids(res), tt.also)
		}
	}
}

// TestEWordsArePhrases: "eAkte" needs "elektronisch" right before "Akte",
// not both words somewhere in the talk.
func TestEWordsArePhrases(t *testing.T) {
	ix := openGerman(t)
	docs := []Doc{{Talk: Talk{ID: "verstreut", Title: "Verstreute Wörter", Kind: "Vortrag", Event: Event{ID: "itf", Name: "IT-Fachtag"}},
		Slides: []Slide{{Page: 1, Text: "Elektronische Post kommt an."}, {Page: 2, Text: "Die Akte liegt im Schrank."}}}}
	if err := ix.Index(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"eAkte", "E-Akte", "elektronische Akte"} {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res); got != "eakte" {
			t.Errorf("%q found %s, want only eakte", q, got)
		}
	}
}

func TestHighlightCoversWord(t *testing.T) {
	ix := openGerman(t)
	tests := []struct{ q, want string }{
		{"Müllabfuhr", "<mark>Müllabfuhr</mark>"},
		{"Abfuhr", "<mark>Müllabfuhr</mark>"},
		{"Straßenverkehrsbehörde", "<mark>Straßenverkehrsbehörde</mark>"},
		{"Behörde", "<mark>Straßenverkehrsbehörde</mark>"},
		{"Rechnung", "E‑<mark>Rechnung</mark>"},
		{"eAkte", "<mark>eAkte</mark>"},
		{"Konto", "<mark>Servicekonto</mark>"},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.q, Slides: 10})
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, h := range res.Talks {
			for _, s := range h.Slides {
				all = append(all, string(s.Snippet))
			}
		}
		if !strings.Contains(strings.Join(all, " | "), tt.want) {
			t.Errorf("%q: snippets %q lack %q", tt.q, all, tt.want)
		}
	}
}

func TestStockAnalysisForComparison(t *testing.T) {
	ix, err := Open(t.TempDir()+"/index", Options{Analysis: AnalysisStock})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index(context.Background(), germanDocs()...); err != nil {
		t.Fatal(err)
	}
	// Bleve's stock analyzer knows no compounds: the part finds nothing.
	res, err := ix.Search(context.Background(), Query{Text: "Abfuhr"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("stock found %s for a compound part", ids(res))
	}
}

func TestDidYouMean(t *testing.T) {
	ix := openGerman(t)
	tests := []struct{ q, want string }{
		{"Servicekondo", "Servicekonto"},
		{"Müllabfur", "Müllabfuhr"},
		{"Servicekondo Berlin", "Servicekonto Berlin"},
		{"Konto", ""},     // found plenty? one talk, but spelled right
		{"Raumfahrt", ""}, // nothing close
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if res.DidYouMean != tt.want {
			t.Errorf("%q: DidYouMean = %q, want %q", tt.q, res.DidYouMean, tt.want)
		}
	}
}

func TestQuestions(t *testing.T) {
	ix := openGerman(t)
	tests := []struct{ q, first string }{
		{"Wie führt man die elektronische Akte ein?", "eakte"},
		{"Welche Erfahrungen gibt es mit Tablets?", "schule"},
		{"Was gibt es zum Servicekonto?", "konto"},
		{"Welche Vorträge gibt es?", "*"}, // only filler: searched as is, all are Vorträge
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if tt.first == "*" {
			if res.Total != len(germanDocs()) {
				t.Errorf("%q found %s, want every talk", tt.q, ids(res))
			}
			continue
		}
		if len(res.Talks) == 0 || res.Talks[0].ID != tt.first {
			t.Errorf("%q: %s, want %s first", tt.q, ids(res), tt.first)
		}
	}
}

func TestSynonymsFile(t *testing.T) {
	file := t.TempDir() + "/synonyms.txt"
	if err := os.WriteFile(file, []byte("# Verwaltungssprache\nMüllabfuhr | Abfallentsorgung\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(t.TempDir()+"/index", Options{SynonymsFile: file})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index(context.Background(), germanDocs()...); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Query{Text: "Abfallentsorgung"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Talks[0].ID != "eakte" {
		t.Errorf("Abfallentsorgung found %s, want eakte via the administrator synonym Müllabfuhr", ids(res))
	}

	bad := t.TempDir() + "/bad.txt"
	os.WriteFile(bad, []byte("nur ein Eintrag\n"), 0o644)
	if _, err := Open(t.TempDir()+"/index", Options{SynonymsFile: bad}); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad synonyms file: err = %v", err)
	}
}

// TestSplitMemo checks that the remembered splits are the splits, the
// first time, the second time and once the memo is full.
func TestSplitMemo(t *testing.T) {
	d, err := loadDictionary()
	if err != nil {
		t.Fatal(err)
	}
	m := &dictionary{words: d.words}
	words := []string{"strassenverkehrsbehorde", "rechnungseingang", "verwaltung", "servicekontoportal", "xyz", "aaaaaaaaaaaaaaaaaaaaaaaa"}
	for round := range 2 {
		for _, w := range words {
			if got, want := m.splitMemo(w), d.split(w); !slices.Equal(got, want) {
				t.Errorf("round %d: splitMemo(%q) = %q, want %q", round, w, got, want)
			}
		}
	}
	if len(m.memo) != len(words) {
		t.Errorf("memo holds %d words, want %d", len(m.memo), len(words))
	}
	for i := range maxMemo {
		m.memo[fmt.Sprint(i)] = nil
	}
	if got, want := m.splitMemo("haushaltsplanung"), d.split("haushaltsplanung"); !slices.Equal(got, want) || len(want) < 2 {
		t.Errorf("full memo: splitMemo = %q, want %q", got, want)
	}
	if _, ok := m.memo["haushaltsplanung"]; ok {
		t.Error("a full memo grew")
	}
}
