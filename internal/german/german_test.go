package german

import (
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		// "eu", "au", "ie" and "qu" are no umlauts: the e stays.
		{"Feuerwehr", "feuerwehr"},
		{"Neue", "neue"},
		{"neue", "neue"},
		{"Steuer", "steuer"},
		{"Quelle", "quelle"},
		{"Dauer", "dauer"},
		{"Bauer", "bauer"},
		{"Bäuerin", "bauerin"},
		{"Dienst", "dienst"},
		// Umlauts and their transliterations fold alike.
		{"Müller", "muller"},
		{"Mueller", "muller"},
		{"MÜLLER", "muller"},
		{"Thüringen", "thuringen"},
		{"Thueringen", "thuringen"},
		{"Bürgerbeteiligung", "burgerbeteiligung"},
		{"Buergerbeteiligung", "burgerbeteiligung"},
		{"Gemeindeämter", "gemeindeamter"},
		{"Gemeindeaemter", "gemeindeamter"},
		{"Köln", "koln"},
		{"Koeln", "koln"},
		// ß is ss.
		{"Straße", "strasse"},
		{"Strasse", "strasse"},
		{"Anja Weiß", "anja weiss"},
		// The transliteration rule is the analyzer's, not a dictionary's:
		// the e of "oe" goes even where it is no umlaut.
		{"Poesie", "posie"},
		{"", ""},
		{"eAkte", "eakte"},
		{"2018", "2018"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Bürgerbeteiligung")
		Fold("Verwaltung")
	}
}

func TestUmlautReadings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"dateiuebertragung", []string{"dateiubertragung"}},
		{"gerateuebersicht", []string{"gerateubersicht"}},
		{"neue", []string{"neu"}},
		{"steuerueberblick", []string{"steuruberblick", "steurueberblick", "steueruberblick"}}, // Steuer-überblick: the last reading
		{"datei", nil},
	} {
		if got := UmlautReadings(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("UmlautReadings(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
