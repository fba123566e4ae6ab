package search

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestCoverageRule checks the weights, the admission and the factor of a
// question's coverage: 100 talks, words in 1, 50, 0 and 10 of them, at
// least two words or 40 % of the weight.
func TestCoverageRule(t *testing.T) {
	c := newCoverage([]int{1, 50, 0, 10}, 100, 2, 0.4)
	if !(c.weights[0] > c.weights[3] && c.weights[3] > c.weights[1] && c.weights[1] > 0) || c.weights[2] != 0 {
		t.Fatalf("weights %v: want the rarer word heavier, 0 for a word no talk has", c.weights)
	}
	if sum := c.weights[0] + c.weights[1] + c.weights[3]; math.Abs(sum-c.total) > 1e-9 {
		t.Fatalf("total %g, want %g", c.total, sum)
	}
	tests := []struct {
		name     string
		matched  []int
		admitted bool
	}{
		{"the rarest word alone carries 40 %", []int{0}, true},
		{"a common word alone", []int{1}, false},
		{"a middling word alone", []int{3}, false},
		{"two common words: enough words", []int{1, 3}, true},
		{"every word", []int{0, 1, 3}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := 0.0
			for _, i := range tt.matched {
				w += c.weights[i]
			}
			if got := c.admits(len(tt.matched), w); got != tt.admitted {
				t.Errorf("admits = %v, want %v", got, tt.admitted)
			}
			want := math.Sqrt(float64(len(tt.matched)) / 4 * w / c.total)
			if got := c.factor(len(tt.matched), w); math.Abs(got-want) > 1e-12 {
				t.Errorf("factor = %g, want %g", got, want)
			}
		})
	}
	// The same words, rarer, cover more of the question.
	if rare, common := c.factor(1, c.weights[0]), c.factor(1, c.weights[1]); rare <= common {
		t.Errorf("factor of the rarest word %g ≤ that of the most common %g", rare, common)
	}
	if c := newCoverage([]int{0, 0}, 10, 1, 0.4); c.factor(0, 0) != 0 {
		t.Error("a question no talk matches covers something")
	}
}

// TestCoverageRows checks that the rows a coverage admits, computed from
// the clauses' row sets, are the rows admits accepts one by one, also
// beyond the first 64.
func TestCoverageRows(t *testing.T) {
	c := newCoverage([]int{1, 50, 10}, 100, 2, 0.4)
	const rows = 130
	sets := []rowSet{newRowSet(rows), newRowSet(rows), newRowSet(rows)}
	for r := int32(0); r < rows; r++ {
		for j := range sets {
			if (int(r)>>j)&1 == 1 {
				sets[j].add(r)
			}
		}
	}
	got := c.rows(sets)
	for r := int32(0); r < rows; r++ {
		n, w := 0, 0.0
		for j := range sets {
			if (int(r)>>j)&1 == 1 {
				n++
				w += c.weights[j]
			}
		}
		want := n > 0 && c.admits(n, w)
		if in := got[r/64]&(1<<(r%64)) != 0; in != want {
			t.Errorf("row %d (words %03b): admitted %v, want %v", r, r&7, in, want)
		}
	}
}

// TestQuestionCoverage checks on a real index that a question is answered
// by a talk with its one rare word, and not by one with a single common
// word: "Calc" and "statt" each stand in three of twelve talks, "Bruch"
// in one. Before, a question needed half of its words, and the talk about
// fractions came after every talk with "Calc" and "statt".
func TestQuestionCoverage(t *testing.T) {
	docs := []Doc{
		helpDoc("bruch", "Brüche eingeben", "Geben Sie einen Bruch mit Schrägstrich in eine Zelle ein."),
		helpDoc("format", "Ergebnis statt Formel", "Calc zeigt statt der Formel ihr Ergebnis."),
		helpDoc("runden", "Runden", "Calc rundet statt abzuschneiden."),
		helpDoc("calc", "Tabellen", "Calc rechnet mit Tabellen."),
		helpDoc("statt", "Ersetzen", "Ersetzen Sie ein Wort statt eines anderen."),
	}
	for _, w := range []string{"Seiten", "Rahmen", "Farben", "Linien", "Spalten", "Fenster", "Drucker"} {
		docs = append(docs, helpDoc(strings.ToLower(w), w, w+" einrichten und anpassen."))
	}
	ix := mustIndex(t, docs...)
	const q = "Wie gebe ich in Calc statt dessen einen Bruch ein?"
	res := mustSearch(t, ix, q)
	if res.Full != 3 {
		t.Errorf("%q: %d talks answer it (%s), want 3", q, res.Full, ids(res))
	}
	if len(res.Talks) < 3 {
		t.Fatalf("%q found %q", q, ids(res))
	}
	first := strings.Split(ids(res), ",")[:3]
	slices.Sort(first)
	if got := strings.Join(first, ","); got != "bruch,format,runden" {
		t.Errorf("%q: first three %q, want bruch, format and runden", q, got)
	}

	// Unscored, the question's query admits the same talks.
	tq := ix.parseText(context.Background(), q, false)
	snap, err := ix.openSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.r.Close()
	if err := snap.coverQuestion(&tq); err != nil {
		t.Fatal(err)
	}
	if tq.cover == nil {
		t.Fatalf("%q: no coverage", q)
	}
	unscored, err := snap.rowsOf(tq.talk, nil)
	if err != nil {
		t.Fatal(err)
	}
	sets, _, _, err := snap.clauseSets(tq, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := unscored.count(), tq.cover.rows(sets).count(); got != 3 || want != 3 {
		t.Errorf("unscored query admits %d talks, the row sets %d, want 3", got, want)
	}
}
