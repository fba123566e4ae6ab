package pdftext

import "testing"

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "Bürgerservice im Rathaus", "Bürgerservice im Rathaus"},
		{"nfc", "Bu\u0308rgerservice Stra\u00dfe", "Bürgerservice Straße"},
		{"ligatures", "o\ufb03zielle P\ufb02ichtaufgabe Datei\ufb02uss \ufb00\ufb01\ufb04\ufb05\ufb06", "offizielle Pflichtaufgabe Dateifluss fffifflstst"},
		{"soft hyphen inside", "Verwal\u00adtung", "Verwaltung"},
		{"soft hyphen at line end", "Verwal\u00ad\ntung beginnt", "Verwaltung beginnt"},
		{"hyphenated word joined", "die Verwal-\ntung der Stadt", "die Verwaltung\nder Stadt"},
		{"hyphenated word alone on next line", "die Verwal-\ntung\nneue Zeile", "die Verwaltung\nneue Zeile"},
		{"hyphenated twice", "Straßen-\nverkehrs-\nbehörde", "Straßenverkehrsbehörde"},
		{"real hyphen stays", "Die E-Rechnung kommt", "Die E-Rechnung kommt"},
		{"capital after line-end hyphen", "Bund-\nLänder-Kommission", "Bund-Länder-Kommission"},
		{"E-\\nRechnung", "die E-\nRechnung", "die E-Rechnung"},
		{"elliptic hyphen before und", "Hoch-\nund Tiefbau", "Hoch-\nund Tiefbau"},
		{"elliptic hyphen before oder", "Ein-\noder Ausgang", "Ein-\noder Ausgang"},
		{"dash after space stays", "Kosten -\nNutzen", "Kosten -\nNutzen"},
		{"number range stays", "2019-\n2020", "2019-\n2020"},
		{"hyphen before blank line stays", "Verwal-\n\ntung", "Verwal-\n\ntung"},
		{"unicode hyphen", "Verwal\u2010\ntung", "Verwaltung"},
		{"minus sign as hyphen", "E\u2212Rechnung", "E-Rechnung"},
		{"spacing diaeresis before letter", "Gr\u00a8oße \u00a8Amter", "Größe Ämter"},
		{"spacing diaeresis after letter", "O\u00a8ffentlich", "Öffentlich"},
		{"acute and circumflex", "Caf\u00b4e r\u02c6ole", "Café rôle"},
		{"diaeresis without composition stays", "q\u00a8 \u00a8", "q\u00a8 \u00a8"},
		{"ascii circumflex and tilde stay", "x^2 ~/bin", "x^2 ~/bin"},
		{"control characters dropped", "eAkte\x00\x01\x1b und\x7f Akte", "eAkte und Akte"},
		{"private use dropped", "\uf0b7 Punkt \U000f0001eins", "Punkt eins"},
		{"replacement and zero width dropped", "Stra\ufffde\u200b \ufeffA", "Strae A"},
		{"spaces collapsed and trimmed", "  viele    Leer\tzeichen   \n  hier  ", "viele Leer zeichen\nhier"},
		{"no-break and thin spaces", "10\u00a0km\u2009/\u202fh", "10 km / h"},
		{"blank lines collapsed", "a\n\n\n\nb\n \n\nc", "a\n\nb\n\nc"},
		{"leading and trailing blank lines", "\n\nText\n\n", "Text"},
		{"carriage returns and form feeds", "a\r\nb\rc\fd", "a\nb\nc\nd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in); got != tt.want {
				t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanTextIdempotent(t *testing.T) {
	for _, s := range []string{
		"die Verwal-\ntung der Stadt",
		"Gr\u00a8oße und o\ufb03zielle  Pflicht",
		"Bund-\nLänder\n\n\nEnde",
	} {
		once := CleanText(s)
		if twice := CleanText(once); twice != once {
			t.Errorf("CleanText not idempotent on %q: %q then %q", s, once, twice)
		}
	}
}
