package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// syllables make the synthetic words of the budget index: every start
// of two letters is common, as in a real German archive.
var syllables = []string{
	"be", "ve", "ge", "de", "ei", "an", "un", "er", "ma", "ko", "ra", "ti", "lu", "so", "pe", "nu",
	"ha", "wi", "fo", "st", "tr", "ka", "li", "mo", "sa", "te", "zu", "ab", "ri", "no",
}

// budgetDocs are talks of synthetic words: several thousand distinct
// words, with hundreds behind each two-letter prefix.
func budgetDocs(talks int) []Doc {
	rng := rand.New(rand.NewPCG(13, 1))
	word := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syllables[rng.IntN(len(syllables))])
		}
		return b.String()
	}
	ev := Event{ID: "synth", Name: "Synthetischer Fachtag", Year: 2024}
	docs := make([]Doc, talks)
	for i := range docs {
		var slides []Slide
		for p := 1; p <= 3; p++ {
			words := make([]string, 80)
			for j := range words {
				words[j] = word()
			}
			slides = append(slides, Slide{Page: p, Text: strings.Join(words, " ")})
		}
		docs[i] = Doc{Talk: Talk{ID: fmt.Sprintf("t%03d", i), Title: word() + " " + word(), Kind: "Vortrag", Event: ev, Order: i}, Slides: slides}
	}
	return docs
}

// openBudgetIndex builds the synthetic index in a temporary folder.
func openBudgetIndex(tb testing.TB) *Index {
	tb.Helper()
	ix, err := Open(tb.TempDir() + "/index")
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), budgetDocs(150)...); err != nil {
		tb.Fatalf("Index: %v", err)
	}
	return ix
}

// hostileQuery is finding 1 of issue 13: 125 two-letter prefixes, 499
// characters.
func hostileQuery() string {
	ps := make([]string, 125)
	for i := range ps {
		ps[i] = syllables[i%len(syllables)] + "*"
		if i >= len(syllables) {
			// Distinct prefixes beyond the syllables: two letters each.
			ps[i] = string(rune('a'+i%26)) + string(rune('a'+(i/26)%26)) + "*"
		}
	}
	return strings.Join(ps, " ")
}

// countPrefixQueries counts the prefix queries in a built query.
func countPrefixQueries(tb testing.TB, tq textQuery) int {
	tb.Helper()
	if tq.talk == nil {
		return 0
	}
	b, err := json.Marshal(tq.talk)
	if err != nil {
		tb.Fatalf("marshal query: %v", err)
	}
	return strings.Count(string(b), `"prefix":`)
}

func TestHostilePrefixQueryDegrades(t *testing.T) {
	ix := openBudgetIndex(t)
	ctx := context.Background()
	q := hostileQuery()
	if n := len([]rune(q)); n > MaxQueryLength {
		t.Fatalf("hostile query has %d characters, over the limit", n)
	}
	tq := ix.parseText(ctx, q, false)
	if got := countPrefixQueries(t, tq); got != 0 {
		t.Errorf("two-letter prefixes: %d prefix queries built, want none", got)
	}
	if !tq.budget.degraded {
		t.Error("hostile query: budget not reported as degraded")
	}
	res, err := ix.Search(ctx, Query{Text: q})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if !res.Degraded {
		t.Error("Result.Degraded = false for the hostile query")
	}
}

func TestPrefixBudgetKeepsCheapest(t *testing.T) {
	ix := openBudgetIndex(t)
	ctx := context.Background()
	// 100 three-letter prefixes: only maxExpansions of them expand, the
	// cheapest first.
	var ps []string
	for _, a := range syllables {
		for _, b := range "aeioustrn" {
			ps = append(ps, a+string(b)+"*")
		}
	}
	q := strings.Join(ps[:100], " ")
	tq := ix.parseText(ctx, q, false)
	if !tq.budget.degraded {
		t.Error("100 prefixes: not degraded")
	}
	if tq.budget.used > queryBudget {
		t.Errorf("budget used %d > %d", tq.budget.used, queryBudget)
	}
	if n := len(tq.budget.prefixes); n == 0 || n > maxExpansions {
		t.Errorf("%d prefixes expanded, want 1..%d", n, maxExpansions)
	}
	// Each allowed prefix is one query per whole field plus the passage
	// query.
	if got, most := countPrefixQueries(t, tq), maxExpansions*(len(wholeFields)+1); got > most {
		t.Errorf("%d prefix queries built, want at most %d", got, most)
	}
	res, err := ix.Search(ctx, Query{Text: q})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if !res.Degraded {
		t.Error("Result.Degraded = false")
	}
}

func TestPlainQueryNotDegraded(t *testing.T) {
	ix := openBudgetIndex(t)
	for _, q := range []string{"bevege", "mako* rati", "unerkolu sotipe"} {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatalf("Search %q: %v", q, err)
		}
		if res.Degraded {
			t.Errorf("Search %q: degraded", q)
		}
	}
}

func TestSearchHonoursDeadline(t *testing.T) {
	ix := openBudgetIndex(t)
	for _, q := range []string{hostileQuery(), "bevege mako* unerkolu"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
		time.Sleep(time.Millisecond)
		_, err := ix.Search(ctx, Query{Text: q})
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Search %.20q past its deadline: err = %v, want DeadlineExceeded", q, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	if _, err := ix.Suggest(ctx, "bev", 5); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Suggest past its deadline: err = %v, want DeadlineExceeded", err)
	}
}

func BenchmarkHostileQuery(b *testing.B) {
	ix := openBudgetIndex(b)
	ctx := context.Background()
	for _, bc := range []struct{ name, q string }{
		{"2letter", hostileQuery()},
		{"3letter", strings.Repeat("ber* ver* ger* ", 33)},
		{"plain", "bevege mako rati"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Search(ctx, Query{Text: bc.q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestQueryExpensive(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"", false},
		{"eAkte Rechnungen", false},
		{`"digitale Verwaltung" Sachsen`, false},
		{"verw*", true},
		{"eAkte -be*", true},
		{"eins zwei drei vier fünf sechs sieben acht", true},
		{hostileQuery(), true},
	} {
		if got := (Query{Text: tc.text}).Expensive(); got != tc.want {
			t.Errorf("Query{%.30q}.Expensive() = %v, want %v", tc.text, got, tc.want)
		}
	}
}
