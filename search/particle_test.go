package search

import (
	"context"
	"strings"
	"testing"
)

// TestJoinParticle checks that a question's separable verb is joined with
// the particle that ends its clause, where the archive has the joined
// verb, and that other questions keep their words.
func TestJoinParticle(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("einfuegen", "Text einfügen", "Kopierten Text ohne Formatierung einfügen."),
		helpDoc("tipps", "Tipps abschalten", "Die Tipps beim Start abschalten."),
		helpDoc("blatt", "Blätter", "Ein Blatt umbenennen."),
	)
	v := ix.newVocab(context.Background(), newBudget())
	defer v.close()
	for _, tt := range []struct {
		q, want string // want: the groups, alternatives joined with |
	}{
		{"Wie füge ich kopierten Text ein?", "Wie einfugen|füge ich kopierten Text"},
		{"Wo schalte ich die Tipps ab, die beim Start erscheinen?", "Wo abschalten|schalte ich die Tipps die beim Start erscheinen"},
		{"Schalte ich die Tipps ab?", "abschalten|Schalte ich die Tipps"},
		// The archive lacks "anlegen": the words stay.
		{"Wie lege ich ein Blatt an?", "Wie lege ich ein Blatt an"},
		// "zu" is a preposition here, not the end of the clause.
		{"Wie komme ich zu einem Blatt?", "Wie komme ich zu einem Blatt"},
	} {
		pq := parseQuery(tt.q)
		var got []string
		for _, g := range joinParticle(v, tt.q, pq.groups) {
			var alts []string
			for _, a := range g {
				alts = append(alts, strings.Trim(a.text, "?,"))
			}
			got = append(got, strings.Join(alts, "|"))
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("%q: groups %q, want %q", tt.q, s, tt.want)
		}
	}
	// A keyword query is no question: its words are left alone.
	if tq := ix.parseText(context.Background(), "Tipps schalte ab", false); strings.Contains(strings.Join(tq.clauseWords, " "), "abschalten") {
		t.Errorf("keyword query joined: %q", tq.clauseWords)
	}
	if tq := ix.parseText(context.Background(), "Wo schalte ich die Tipps ab?", false); !strings.Contains(strings.Join(tq.clauseWords, " "), "abschalten") {
		t.Errorf("question not joined: %q", tq.clauseWords)
	}
}
