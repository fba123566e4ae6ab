package search

import (
	"context"
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestFuzzyTermsMatchBleveFuzzy: the expansion built once per request
// finds the same documents with the same scores as bleve's FuzzyQuery,
// for every field a typo is looked for in.
func TestFuzzyTermsMatchBleveFuzzy(t *testing.T) {
	ix := mustOpen(t)
	ctx := context.Background()
	v := ix.newVocab(ctx, newBudget())
	defer v.close()
	fields := []string{fieldText}
	for _, f := range wholeFields {
		fields = append(fields, f.field)
	}
	expanded, found := 0, 0
	for _, field := range fields {
		for _, tc := range typosOf(t, ix, field) {
			want := query.NewFuzzyQuery(tc.term)
			want.SetField(field)
			want.SetFuzziness(tc.fz)
			want.SetBoost(0.7)
			got, ok := v.expandFuzzy(field, tc.term, tc.fz)
			if !ok {
				t.Fatalf("%s in %s: not expanded", tc.term, field)
			}
			if _, multi := got.(*fuzzyTerms); multi {
				expanded++
			}
			got.SetBoost(0.7)
			// Beside another clause, so that the weights count: alone,
			// bleve's query norm cancels them.
			anchor := func() query.Query {
				q := query.NewTermQuery(tc.anchor)
				q.SetField(field)
				return q
			}
			a := hits(t, ix, query.NewDisjunctionQuery([]query.Query{want, anchor()}))
			b := hits(t, ix, query.NewDisjunctionQuery([]query.Query{got, anchor()}))
			found += len(a)
			if len(a) != len(b) {
				t.Errorf("%s in %s: bleve finds %v, the expansion %v", tc.term, field, a, b)
				continue
			}
			for id, score := range a {
				if math.Abs(score-b[id]) > 1e-9 {
					t.Errorf("%s in %s: %s scores %g with bleve, %g expanded", tc.term, field, id, score, b[id])
				}
			}
		}
	}
	if found == 0 {
		t.Error("no typo found anything: the test proves nothing")
	}
	if expanded == 0 {
		t.Error("no term expanded to several candidates: the test proves nothing")
	}
}

func hits(t *testing.T, ix *Index, q query.Query) map[string]float64 {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 100, 0, false)
	res, err := ix.b.SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out
}

type typo struct {
	term   string
	fz     int
	anchor string // another term of the field
}

// typosOf makes typos of the field's longer terms: one letter replaced
// (fuzziness 1) and two neighbours swapped (fuzziness 2), plus a word
// that matches nothing.
func typosOf(t *testing.T, ix *Index, field string) []typo {
	t.Helper()
	d, err := ix.b.FieldDict(field)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out []typo
	anchor := ""
	for len(out) < 12 {
		e, err := d.Next()
		if err != nil || e == nil {
			break
		}
		w := []rune(e.Term)
		if anchor == "" {
			anchor = e.Term
			out = append(out, typo{"xyzzyqw", 1, anchor})
		}
		if len(w) < 6 {
			continue
		}
		replaced := append([]rune{}, w...)
		replaced[2] = 'q'
		swapped := append([]rune{}, w...)
		swapped[3], swapped[4] = swapped[4], swapped[3]
		out = append(out, typo{string(replaced), 1, anchor}, typo{string(swapped), 2, anchor})
	}
	return out
}

// TestDeadWordOneEditMore checks that a word with no term of the archive
// within its allowed edits gets one edit more: "umbennen" (eight letters,
// one edit allowed) lost a syllable of "umbenennen", two edits away.
func TestDeadWordOneEditMore(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("mv", "mv", "mv - Dateien verschieben oder umbenennen. Quelle und Ziel angeben."),
		helpDoc("tail", "tail", "tail - den letzten Teil von Dateien ausgeben. Dateien, Dateien und noch mehr Dateien."),
		helpDoc("date", "date", "date - Datum und Uhrzeit ausgeben"),
	)
	res := mustSearch(t, ix, "Dateien umbennen")
	if len(res.Talks) == 0 || res.Talks[0].ID != "mv" {
		t.Errorf("talks %v, want mv first", ids(res))
	}
	if res.Full != 1 {
		t.Errorf("full matches %d, want 1: mv has the corrected word", res.Full)
	}
	// A short dead word is a name the archive lacks more often than a
	// typo: "Plauen" (term plau) must not find "Lage" or "klar" two
	// edits away, nor propose them.
	ix = mustIndex(t,
		helpDoc("gera", "Freifunk in Gera", "Gebäude in zentraler Lage, Plätze mit freier Sicht. Datenschutz klären."),
		helpDoc("rechnung", "Workshop E-Rechnung", "Anforderungen klar beschreiben."),
	)
	if res := mustSearch(t, ix, "Plauen"); res.Total != 0 || res.DidYouMean != "" {
		t.Errorf("Plauen: talks %v, did you mean %q; want none", ids(res), res.DidYouMean)
	}
}

// TestDeadWordDidYouMean checks that "Meinten Sie" proposes the word two
// edits away for a dead word, as the search finds it.
func TestDeadWordDidYouMean(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("mv", "mv", "mv - Dateien verschieben oder umbenennen."),
		helpDoc("tail", "tail", "tail - den letzten Teil von Dateien ausgeben."),
	)
	res := mustSearch(t, ix, "umbennen")
	if res.DidYouMean != "umbenennen" {
		t.Errorf("did you mean %q, want umbenennen", res.DidYouMean)
	}
}

// TestUmlautAfterVowel checks that "ue" after a vowel, which the folding
// keeps as a vowel pair, is read as the umlaut where the archive has that
// word (german.UmlautReadings): "Dateiuebertragung" is Dateiübertragung,
// matched as the word itself, not as a typo of it.
func TestUmlautAfterVowel(t *testing.T) {
	ix := mustIndex(t,
		helpDoc("sftp", "sftp", "sftp - Sichere Dateiübertragung mit OpenSSH"),
		helpDoc("cp", "cp", "cp - Dateien und Verzeichnisse kopieren"),
	)
	want := mustSearch(t, ix, "Dateiübertragung")
	got := mustSearch(t, ix, "Dateiuebertragung")
	if len(got.Talks) == 0 || got.Talks[0].ID != "sftp" || len(want.Talks) == 0 {
		t.Fatalf("talks %v, want sftp first", ids(got))
	}
	// As an expansion of the typed word it scores below the archive's
	// own spelling typed (about half), as a typo about a fourteenth.
	if r := got.Talks[0].Score / want.Talks[0].Score; r < 0.3 {
		t.Errorf("Dateiuebertragung scores %.2f of Dateiübertragung, want it read as the same word", r)
	}
}
