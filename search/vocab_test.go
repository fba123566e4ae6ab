package search

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// techDoc is a talk of the technical documentation event with the given
// slide texts.
func techDoc(id, title string, slides ...string) Doc {
	d := Doc{Talk: Talk{ID: id, Title: title, Kind: "Vortrag", Event: Event{ID: "doku", Name: "Technische Doku", Year: 2024}}}
	for i, s := range slides {
		d.Slides = append(d.Slides, Slide{Page: i + 1, Text: s})
	}
	return d
}

// techDocs is a small archive of technical German, written for these
// tests, whose words the curated dictionary does not know: what is found
// must come from the archive's own vocabulary.
func techDocs() []Doc {
	doc := techDoc
	return []Doc{
		doc("ringpuffer", "Protokollierung im Kern",
			"Der Kernel-Ringpuffer hält die letzten Meldungen.",
			"Meldungen werden mit dmesg ausgegeben."),
		doc("kernel", "Kernel bauen", "Ein Kernel wird aus den Quellen übersetzt.", "Der Puffer des Compilers ist groß."),
		doc("ring", "Ringe und Listen", "Ein Ring verbindet Listen.", "Der Puffer speichert Werte."),
		doc("timer", "Zeitgeber", "Jede Timer-Unit startet einen Dienst.", "Ein Dienst wird zur Laufzeit hinzugefügt."),
		doc("loop", "Abbilder einhängen", "Loopgeräte binden Abbilddateien ein.", "Dateien werden in Blöcke umgewandelt."),
		doc("geraete", "Geräte verwalten", "Ein Gerät erscheint unter /dev.", "Geräte lassen sich entfernen.", "Ein Puffer hilft."),
		doc("schaden", "Straßen", "Straßenschäden melden Bürger online.", "Der Schaden wird geprüft."),
		doc("namen", "Bereiche", "Bereichsnamen erleichtern Formeln.", "Ein Bereich hat Zellen."),
		doc("pgp", "Verschlüsseln", "OpenPGP verschlüsselt Dateien.", "Schlüssel werden verwaltet."),
		doc("umbruch", "Seiten", "Ein Seitenumbruch beginnt eine neue Seite.", "Der Umbruch ist sichtbar.", "Die Textfarbe bleibt."),
		doc("duplikate", "Listen bereinigen", "Doppelte Einträge: Duplikate entfernen.", "Die Liste wird sortiert."),
	}
}

// techVocab opens the tech archive and a vocabulary of it, closed when
// the test ends.
func techVocab(tb testing.TB) *vocab {
	tb.Helper()
	v := mustOpenTech(tb).newVocab(context.Background(), nil)
	tb.Cleanup(v.close)
	return v
}

func mustOpenTech(tb testing.TB) *Index {
	tb.Helper()
	ix, err := Open(tb.TempDir() + "/index")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), techDocs()...); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// TestArchiveVocabulary checks the ways of matching that learn the
// archive: joined, hyphenated and spaced forms; compounds in the query
// and in the text; verb forms; transliterations inside compounds. The
// talk that says it must come first.
func TestArchiveVocabulary(t *testing.T) {
	ix := mustOpenTech(t)
	ctx := context.Background()
	for _, tt := range []struct {
		query, first string
	}{
		{"Kernelringpuffer", "ringpuffer"},  // joined query, hyphenated text
		{"Kernel Ringpuffer", "ringpuffer"}, // spaced query
		{"Timerunit", "timer"},              // joined query, hyphenated text
		{"Timer Unit", "timer"},
		{"Loop-Geräte", "loop"},             // hyphenated query, joined text
		{"Loop Geräte", "loop"},             // spaced query, joined text
		{"Bereich Namen", "namen"},          // parts in the query, compound with -s- in the text
		{"Umbruch der Seite", "umbruch"},    // parts in the other order, compound in the text
		{"Duplikatentfernung", "duplikate"}, // compound of a noun and an -ung noun; text uses the verb
		{"PGP", "pgp"},                      // a word the archive has only inside a compound
		{"ausgeben", "ringpuffer"},          // infinitive; text has the participle
		{"hinzufügen", "timer"},
		{"umwandeln", "loop"},
		{"Strassenschaeden", "schaden"}, // transliteration inside a compound
		{"Gerät", "geraete"},            // umlaut plural in the text
	} {
		t.Run(tt.query, func(t *testing.T) {
			res, err := ix.Search(ctx, Query{Text: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Talks) == 0 || res.Talks[0].ID != tt.first {
				t.Errorf("%q: got %s, want %s first", tt.query, ids(res), tt.first)
			}
		})
	}
}

func TestVocabSplit(t *testing.T) {
	v := techVocab(t)
	for _, tt := range []struct {
		word string
		want [][]string
	}{
		{"kernelringpuffer", [][]string{{"kernel"}, {"ringpuffer"}}}, // the archive writes kernel-ringpuffer
		{"duplikatentfernung", [][]string{{"duplikate"}, {"entfernen"}}},
		{"ringliste", [][]string{{"ring", "ringe"}, {"liste"}}}, // every archive spelling of a part
		{"kernel", nil},    // a word the archive has is not split
		{"xylophon", nil},  // no parts in the archive
		{"ringsdorf", nil}, // "dorf" is no word of the archive
	} {
		got := v.split(tt.word)
		if !slices.EqualFunc(got, tt.want, slices.Equal[[]string]) {
			t.Errorf("split(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

func TestCompoundsWith(t *testing.T) {
	v := techVocab(t)
	if got := v.compoundsWith("pgp"); !slices.Contains(got, "openpgp") {
		t.Errorf(`compoundsWith("pgp") = %v, want openpgp`, got)
	}
	// "Ringpuffer" ends in "puffer", but "Puffer" stands on its own in
	// three talks: a common word is found as it is, not expanded.
	if got := v.compoundsWith("puffer"); len(got) != 0 {
		t.Errorf(`compoundsWith("puffer") = %v, want none`, got)
	}
	// "Ringe" starts with "ring", but the rest "e" is no part.
	if got := v.compoundsWith("ring"); slices.Contains(got, "ringe") {
		t.Errorf(`compoundsWith("ring") = %v, want no "ringe"`, got)
	}
}

// TestHeadedBy checks the compounds a known word heads: those it ends,
// not those it begins, and none for a word the archive lacks on its own
// (compoundsWith expands that one).
func TestHeadedBy(t *testing.T) {
	v := techVocab(t)
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"puffer", []string{"kernel-ringpuffer"}}, // Puffer stands alone in three talks
		{"umbruch", []string{"seitenumbruch"}},
		{"gerate", []string{"loopgerate"}},
		{"ring", nil},    // only begins "Ringpuffer", "Ringe"
		{"namen", nil},   // no talk has it alone: compoundsWith's
		{"pgp", nil},     // likewise ("OpenPGP")
		{"fenster", nil}, // not in the archive at all
	} {
		if got := v.headedBy(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("headedBy(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

// TestLoosePartsOnlyUnknown checks that the loose pieces of a word, the
// last resort for a word the archive lacks, are not tried for an
// inflected form whose stem the archive has: "kopierten" is "kopiert",
// not the piece "Kopie" (nor, in a larger archive, every word that ends
// in -ten).
func TestLoosePartsOnlyUnknown(t *testing.T) {
	ix := openDocs(t, map[string]string{
		"kopie":   "Die Kopie liegt im Ordner.",
		"kopiert": "Die Datei wird kopiert.",
	})
	tq := ix.parseText(context.Background(), "kopierten", false)
	if loose := tq.vocab.looseParts("kopierten"); len(loose) == 0 {
		t.Fatal("no loose pieces for kopierten: the test proves nothing")
	}
	for _, term := range queryTerms(tq.talk) {
		if term != "kopiert" {
			t.Errorf("term %q: kopierten is kopiert", term)
		}
	}
	if got := ids(mustSearch(t, ix, "kopierten")); got != "kopiert" {
		t.Errorf("kopierten found %q, want kopiert", got)
	}
}

func TestVerbForms(t *testing.T) {
	v := techVocab(t)
	for _, tt := range []struct {
		word string
		want string
	}{
		{"ausgeben", "ausgegeben"},
		{"hinzufugen", "hinzugefugt"},
		{"umwandeln", "umgewandelt"},
		{"meldet", "melden"},       // present tense
		{"verwaltet", "verwalten"}, // present tense of a verb whose stem ends in t
	} {
		if got := v.verbForms(tt.word, false); !slices.Contains(got, tt.want) {
			t.Errorf("verbForms(%q) = %v, want %s among them", tt.word, got, tt.want)
		}
	}
	// A word written as a noun is no present-tense form.
	if got := v.verbForms("meldet", true); slices.Contains(got, "melden") {
		t.Errorf(`verbForms("meldet", noun) = %v, want no "melden"`, got)
	}
}

func TestPresentInfinitives(t *testing.T) {
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"bleibt", []string{"bleiben"}},
		{"passt", []string{"passen"}},
		{"verschwindet", []string{"verschwindeen", "verschwinden"}},
		{"drucke", []string{"drucken"}}, // first person
		{"gut", nil},                    // too short a stem
		{"rad", nil},                    // neither -t nor -e
	} {
		if got := presentInfinitives(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("presentInfinitives(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

func TestJoinings(t *testing.T) {
	v := techVocab(t)
	for _, tt := range []struct {
		a, b, want string
	}{
		{"bereich", "namen", "bereichsnamen"},         // linking -s-
		{"umbruch", "seite", "seitenumbruch"},         // other order, linking -n-
		{"kernel", "ringpuffer", "kernel-ringpuffer"}, // hyphenated
		{"loop", "gerate", "loopgerate"},
		{"farbe", "textes", "textfarbe"}, // genitive -es ("Farbe des Textes")
	} {
		if got := v.joinings(tt.a, tt.b); !slices.Contains(got, tt.want) {
			t.Errorf("joinings(%q, %q) = %v, want %s among them", tt.a, tt.b, got, tt.want)
		}
	}
	if got := v.joinings("ring", "kernel"); len(got) != 0 {
		t.Errorf(`joinings("ring", "kernel") = %v, want none`, got)
	}
}

// TestCommonWords checks which words of a question count as common: in
// more than a third of the talks.
func TestCommonWords(t *testing.T) {
	v := techVocab(t)
	if n := v.talks(); n != len(techDocs()) {
		t.Fatalf("talks() = %d, want %d", n, len(techDocs()))
	}
	// "Ein" stands in most talks, "Puffer" in 3 of 11, "Kernel" in 2;
	// a phrase counts as rare.
	if got := v.common([]string{"Ein", "Puffer", "Kernel", `"ein Ring"`}); got != 1 {
		t.Errorf("common = %d, want 1 (only Ein)", got)
	}
}

func TestLooseParts(t *testing.T) {
	ix := mustOpenTech(t)
	v := ix.newVocab(context.Background(), nil)
	defer v.close()
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"kernelwolke", []string{"kernel"}},          // a known start, an unknown end
		{"listenpgp", []string{"listen", "openpgp"}}, // an end known only inside a compound
		{"kernel", nil}, // the archive has the word
	} {
		got := v.looseParts(tt.word)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("looseParts(%q) = %v, want %s among them", tt.word, got, w)
			}
		}
		if tt.want == nil && got != nil {
			t.Errorf("looseParts(%q) = %v, want nil", tt.word, got)
		}
	}
	// A query of such a word is no dead end.
	res, err := ix.Search(context.Background(), Query{Text: "Kernelwolke"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Error(`"Kernelwolke" found nothing, want the talks with "Kernel"`)
	}
}

func TestPresentTenseInfinitives(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"speichere", "speichern"},
		{"speichert", "speichern"},
		{"wandelt", "wandeln"},
	} {
		got := infinitivesOf(tt.word)
		if !slices.Contains(got, tt.want) {
			t.Errorf("infinitivesOf(%q) = %v, want %s among them", tt.word, got, tt.want)
		}
	}
}

// TestQuestionCompoundParts checks that a compound in a question finds
// talks with any of its parts, and a compound in keywords only those with
// its rarest part, when no talk has all of them. "Dienstpuffer": "Dienst"
// stands in one talk (timer), "Puffer" in three others.
func TestQuestionCompoundParts(t *testing.T) {
	ix := mustOpenTech(t)
	ctx := context.Background()
	for _, tt := range []struct {
		query    string
		withRing bool
	}{
		{"Dienstpuffer", false},
		{"Wie lese ich den Dienstpuffer?", true},
	} {
		res, err := ix.Search(ctx, Query{Text: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		ids := strings.Split(ids(res), ",")
		if ids[0] != "timer" {
			t.Errorf("%q: talks %v, want timer first (the rarest part)", tt.query, ids)
		}
		if got := slices.Contains(ids, "ring"); got != tt.withRing {
			t.Errorf("%q: talks %v, ring (only the common part) among them: %v, want %v", tt.query, ids, got, tt.withRing)
		}
	}
}

func TestDerivedForms(t *testing.T) {
	v := techVocab(t)
	for _, tt := range []struct {
		word string
		noun bool
		want string
	}{
		{"entfernung", true, "entfernen"},            // -ung noun → verb
		{"verschlusselung", true, "verschlusseln"},   // -ung noun of an -eln verb
		{"verschlusselung", true, "verschlusselt"},   // and the verb's participle
		{"protokollieren", false, "protokollierung"}, // verb → -ung noun
		{"sichtbarkeit", true, "sichtbar"},           // -keit noun → adjective
	} {
		if got := v.derivedForms(tt.word, tt.noun); !slices.Contains(got, tt.want) {
			t.Errorf("derivedForms(%q) = %v, want %s among them", tt.word, got, tt.want)
		}
	}
	if got := v.derivedForms("kernel", true); len(got) != 0 {
		t.Errorf(`derivedForms("kernel") = %v, want none`, got)
	}
}

func TestDerivations(t *testing.T) {
	for _, tt := range []struct {
		word       string
		nouns, adj []string
	}{
		{"speichern", []string{"speicherung"}, nil},
		{"schwarzen", []string{"schwarzung"}, nil},
		{"wandeln", []string{"wandelung", "wandlung"}, nil},
		{"installieren", []string{"installierung", "installation", "installition"}, nil},
		{"kommunizieren", []string{"kommunizierung", "kommunikation"}, nil},
		{"vertrauliche", nil, []string{"vertraulichkeit"}},
		{"verfugbar", nil, []string{"verfugbarkeit"}},
		{"sicherheit", nil, []string{"sicher"}},
		{"rad", nil, nil},
	} {
		if got := nominalisations(tt.word); !slices.Equal(got, tt.nouns) {
			t.Errorf("nominalisations(%q) = %v, want %v", tt.word, got, tt.nouns)
		}
		if got := adjectiveNouns(tt.word); !slices.Equal(got, tt.adj) {
			t.Errorf("adjectiveNouns(%q) = %v, want %v", tt.word, got, tt.adj)
		}
	}
}

// TestHyphenSplitNoStopWord: a hyphenated spelling whose piece is a stop
// word ("An-zahl", a line break kept) is no spelling of the word: its
// phrase would be the lone term zahl, and "Anzahl" would rank a page
// with "Zahl" as one with the word itself.
func TestHyphenSplitNoStopWord(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("count", "Zählen", "Die Anzahl der Wörter ausgeben."),
		helpDoc("number", "Zahlen", "Eine Zahl, eine Zahl, noch eine Zahl. Die An-zahl steht hier."),
		helpDoc("qr", "Codes", "Einen QR-Code erzeugen."),
	)
	v := ix.newVocab(context.Background(), nil)
	defer v.close()
	if got := v.hyphenSplit("anzahl"); got != nil {
		t.Errorf(`hyphenSplit("anzahl") = %v, want nil: "an" is a stop word`, got)
	}
	if got := v.hyphenSplit("qrcode"); len(got) != 2 {
		t.Errorf(`hyphenSplit("qrcode") = %v, want qr, code`, got)
	}
	wantFirst(t, ix, "count", "Anzahl")
}

// TestSplitInflectedModifier: a compound whose first part the archive has
// only in the plural ("Primfaktoren") is split in a second pass; the last
// part never takes another form, so "Aktenplane" is not akten + planen.
func TestSplitInflectedModifier(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("factor", "Faktoren", "Die Primfaktoren einer Zahl ausgeben; eine Zahl zerlegen. Die Zerlegung dauert."),
		helpDoc("plan", "Planung", "Wir planen die Akten neu."),
	)
	v := ix.newVocab(context.Background(), nil)
	defer v.close()
	if got := v.split("primfaktorzerlegung"); len(got) != 2 || got[0][0] != "primfaktoren" {
		t.Errorf(`split("primfaktorzerlegung") = %v, want primfaktoren, zerlegung`, got)
	}
	if got := v.split("aktenplane"); got != nil {
		t.Errorf(`split("aktenplane") = %v, want none: the last part keeps its form`, got)
	}
	wantFirst(t, ix, "factor", "Primfaktorzerlegung")
}

// TestSplitPhrase checks that a query compound the archive lacks ranks
// the page that says its parts next to each other („Auswahl umkehren“
// for Auswahlumkehrung) above a page with one part in its title and the
// other further on (addSplitPhrases).
func TestSplitPhrase(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("invert", "Invertieren", "Mit diesem Befehl können Sie die Auswahl umkehren. Was außen lag, liegt dann innen."),
		helpDoc("value", "Wert umkehren", "Der Filter kehrt die Helligkeit um. Er wirkt auf die Ebene oder auf eine Auswahl."),
		helpDoc("select", "Auswahl", "Eine Auswahl begrenzt die Wirkung der Werkzeuge."),
		helpDoc("select2", "Auswahlwerkzeuge", "Rechteck, Ellipse, freie Auswahl."),
	)
	if res := mustSearch(t, ix, "Auswahlumkehrung"); len(res.Talks) < 2 || res.Talks[0].ID != "invert" {
		t.Errorf("talks %v, want invert first", ids(res))
	}
}
