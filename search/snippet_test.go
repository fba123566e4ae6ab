package search

import "testing"

func TestSnippetOf(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"…r die E-<mark>Rechnung</mark> informieren\n• Anforderungen an\n\nRechnungen einplane…"},
			"…die E-<mark>Rechnung</mark> informieren • Anforderungen an Rechnungen…"},
		{[]string{"Ganzer Satz mit <mark>Treffer</mark>."}, "Ganzer Satz mit <mark>Treffer</mark>."},
		// A cut word that is itself the match stays.
		{[]string{"…<mark>Rechnung</mark>en und mehr"}, "…<mark>Rechnung</mark>en und mehr"},
		{[]string{"vorne <mark>Akte</mark> und hint<mark>Akte</mark>…"}, "vorne <mark>Akte</mark> und hint<mark>Akte</mark>…"},
		{[]string{"…Straße und &lt;b&gt; Bürger…"}, "…und &lt;b&gt;…"},
	}
	for _, tt := range tests {
		if got := string(snippetOf(tt.in)); got != tt.want {
			t.Errorf("snippetOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
