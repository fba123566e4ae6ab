package search

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"

	"github.com/talksearch/talksearch/internal/german"
)

// TestFoldMatchesAnalyzer proves that german.Fold, which suggestions,
// "Meinten Sie …?", filler words and the decompounder use, folds exactly
// as the analyzer's normalisation step (lower case, then normalize_de),
// on every word of the dictionary, the synonym list and some awkward ones.
func TestFoldMatchesAnalyzer(t *testing.T) {
	words := []string{
		"Feuerwehr", "Neue", "Straße", "Buergerbeteiligung", "Bürgerbeteiligung",
		"Müller", "Mueller", "Thüringen", "Thueringen", "Quelle", "Steuer",
		"Dauer", "Bäuerin", "Poesie", "aee", "Queue", "Ämter", "Öffentlichkeit",
		"Weiß", "MaerkerPlus", "Märker", "Schaltflächen", "Aufenthaltstitel",
	}
	for _, name := range []string{"dict/words.txt", "dict/synonyms.txt"} {
		data, err := dictFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			words = append(words, strings.FieldsFunc(line, func(r rune) bool {
				return r == ' ' || r == '|' || r == '-' || r == '\t'
			})...)
		}
	}
	for _, w := range words {
		ts := analysis.TokenStream{{Term: []byte(strings.ToLower(w))}}
		want := string(de.NewGermanNormalizeFilter().Filter(ts)[0].Term)
		if got := german.Fold(w); got != want {
			t.Errorf("german.Fold(%q) = %q, analyzer says %q", w, got, want)
		}
	}
}

// TestWordListsFolded checks that the keys of the filler and question word
// lists are already folded, so that look-ups with german.Fold find them.
func TestWordListsFolded(t *testing.T) {
	for name, list := range map[string]map[string]bool{"queryFiller": queryFiller, "interrogatives": interrogatives} {
		for w := range list {
			if f := german.Fold(w); f != w {
				t.Errorf("%s: %q folds to %q", name, w, f)
			}
		}
	}
}
