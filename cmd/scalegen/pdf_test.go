package main

import (
	"strings"
	"testing"
)

func TestPDFString(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"eAkte", "(eAkte)"},
		{"(a) b\\c", `(\(a\) b\\c)`},
		{"Straße ÄÖÜ", `(Stra\337e \304\326\334)`},
		{"„E-Rechnung“ – 5 €", `(\204E-Rechnung\223 \226 5 \200)`},
		{"日本", "(??)"},
	} {
		if got := pdfString(tt.in); got != tt.want {
			t.Errorf("pdfString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want []string
	}{
		{"eins zwei drei", 9, []string{"eins zwei", "drei"}},
		{"Bürger- und Unternehmensservice", 8, []string{"Bürger- und", "Unternehmensservice"}},
		{"Schriftgutverwaltung", 5, []string{"Schriftgutverwaltung"}},
		{"", 5, nil},
	} {
		got := wrap(tt.in, tt.n)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
