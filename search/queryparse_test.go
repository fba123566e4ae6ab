package search

import (
	"fmt"
	"testing"
)

func TestParseQuery(t *testing.T) {
	show := func(pq parsedQuery) string {
		s := ""
		for _, g := range pq.groups {
			s += "["
			for i, t := range g {
				if i > 0 {
					s += "|"
				}
				s += fmt.Sprintf("%s%s%s%s", map[bool]string{true: "\"", false: ""}[t.phrase], t.text, map[bool]string{true: "*", false: ""}[t.prefix], map[bool]string{true: "@" + t.field, false: ""}[t.field != ""])
			}
			s += "]"
		}
		for _, t := range pq.not {
			s += " -" + t.text
		}
		return s
	}
	tests := []struct{ in, want string }{
		{"eAkte Erfurt", "[eAkte][Erfurt]"},
		{`"elektronische Akte" Plauen`, `["elektronische Akte][Plauen]`},
		{`„Umlaufmappe“ -Papier`, `["Umlaufmappe] -Papier`},
		{"Schule OR Unterricht Tablet", "[Schule|Unterricht][Tablet]"},
		{"speaker:Weber topic:eAkte", "[Weber@people][eAkte@topics]"},
		{`speaker:"Thomas Weber"`, `["Thomas Weber@people]`},
		{"Digi* a*", "[Digi*][a*]"},
		{`unbalanced "quote here`, "[unbalanced][quote][here]"},
		{"OR OR Akte OR", "[Akte]"},
		{"- : -- 🙂", "[-][:][--][🙂]"}, // dropped later: no terms
		{"unknown:field", "[unknown:field]"},
		{"E-Rechnung -", "[E-Rechnung][-]"},
		{"Wie drucke ich (farbige) Etiketten?", "[Wie][drucke][ich][farbige][Etiketten]"},
		{"Digi*? speaker:Weber, z.B.", "[Digi*][Weber@people][z.B]"},
		{"?! ...", "[?!][...]"}, // nothing but punctuation: dropped later`
		{"", ""},
	}
	for _, tt := range tests {
		if got := show(parseQuery(tt.in)); got != tt.want {
			t.Errorf("parseQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestMarkNouns(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []bool // per group, its first term
	}{
		{"Bleibt die Zeile sichtbar", []bool{false, false, true, false}},
		{"wie bleibt die zeile sichtbar", []bool{false, false, false, false, false}},
		{`Zeile "Kopf Zeile" Kopf*`, []bool{false, false, false}},
		{"Ämter OR Übersicht", []bool{false}},
		{"a Übersicht", []bool{false, true}},
	} {
		pq := parseQuery(tt.in)
		var got []bool
		for _, g := range pq.groups {
			got = append(got, g[0].noun)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("nouns of %q = %v, want %v", tt.in, got, tt.want)
		}
	}
}
