package search

import "testing"

// TestStemGerman checks the light stemmer: Savoy's endings as bleve's
// stemmer strips them, and the three kinds of forms it keeps apart.
func TestStemGerman(t *testing.T) {
	for _, tt := range []struct{ words []string }{
		// as bleve's stemmer_de_light
		{[]string{"rechnung", "rechnungen"}},
		{[]string{"digital", "digitale", "digitalen"}},
		{[]string{"tabelle", "tabellen"}},
		{[]string{"drucker", "druckern"}},
		{[]string{"kapitel", "kapitels"}},
		// the genitive -s of a noun in -er
		{[]string{"benutzer", "benutzers", "benutzern"}},
		{[]string{"fenster", "fensters"}},
		// the plural of a noun in -nis
		{[]string{"verzeichnis", "verzeichnisse", "verzeichnissen", "verzeichnisses"}},
		{[]string{"ergebnis", "ergebnisse"}},
		// the plural -n of a noun in -el
		{[]string{"formel", "formeln"}},
		{[]string{"wurzel", "wurzeln"}},
		// the -s plural of loanwords after o, p, y and w
		{[]string{"foto", "fotos"}},
		{[]string{"backup", "backups"}},
		{[]string{"handy", "handys"}},
		{[]string{"workflow", "workflows"}},
		{[]string{"konto", "kontos"}},
	} {
		want := stemGerman(tt.words[0])
		for _, w := range tt.words[1:] {
			if got := stemGerman(w); got != want {
				t.Errorf("stem(%q) = %q, stem(%q) = %q: want the same", w, got, tt.words[0], want)
			}
		}
	}
	// Words in -rs whose s is no ending stay as they are.
	// Nor do singulars in -as, -is and -us, whose plurals take -e.
	for w, want := range map[string]string{"kurs": "kurs", "kurse": "kurs", "vers": "vers",
		"alias": "alias", "aliase": "alias", "haus": "haus", "verzeichnis": "verzeichnis"} {
		if got := stemGerman(w); got != want {
			t.Errorf("stem(%q) = %q, want %q", w, got, want)
		}
	}
}

// TestStemInIndex checks that the chain uses the stemmer: a plural in
// -nisse finds the page with the singular.
func TestStemInIndex(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("dir", "Ordner", "Das Verzeichnis wird angelegt."),
		helpDoc("other", "Dateien", "Die Datei wird gelöscht."),
	)
	if got := ids(mustSearch(t, ix, "Verzeichnisse")); got != "dir" {
		t.Errorf("Verzeichnisse found %q, want dir", got)
	}
}
