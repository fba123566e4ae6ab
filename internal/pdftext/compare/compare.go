// Package compare measures extracted text against a reference text, word
// by word: the words are NFKC-normalised, lower-cased runs of letters and
// digits, compared as multisets. The tests of internal/pdftext and the
// pdfcompare command use it to hold our PDF extraction against poppler's
// pdftotext.
//
// It imports nothing of talksearch.
package compare

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Result compares one extracted text with its reference.
type Result struct {
	RefWords, GotWords int // words in the reference and in the extracted text
	Common             int // words of the reference found in the extracted text
	// Glued are extracted words that are two or three reference words
	// written together ("zurVerwaltung").
	Glued []string
	// UmlautWords and UmlautFound count the reference words with ä, ö, ü
	// or ß, and those of them found.
	UmlautWords, UmlautFound int
}

// Recall is the share of reference words found; 1 for an empty reference.
func (r Result) Recall() float64 { return ratio(r.Common, r.RefWords) }

// GluedRate is the share of extracted words that are glued.
func (r Result) GluedRate() float64 {
	if r.GotWords == 0 {
		return 0
	}
	return float64(len(r.Glued)) / float64(r.GotWords)
}

// UmlautRecall is the share of reference words with umlauts or ß found.
func (r Result) UmlautRecall() float64 { return ratio(r.UmlautFound, r.UmlautWords) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Texts compares got with the reference ref.
func Texts(got, ref string) Result {
	g, w := Words(got), Words(ref)
	gc, wc := Counts(g), Counts(w)
	r := Result{RefWords: len(w), GotWords: len(g), Common: Overlap(wc, gc), Glued: Glued(g, w)}
	for word, n := range wc {
		if strings.ContainsAny(word, "äöüß") {
			r.UmlautWords += n
			r.UmlautFound += min(n, gc[word])
		}
	}
	return r
}

// Words splits text into NFKC-normalised, lower-cased words of letters and
// digits.
func Words(s string) []string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Counts counts each word.
func Counts(ws []string) map[string]int {
	m := map[string]int{}
	for _, w := range ws {
		m[w]++
	}
	return m
}

// Overlap counts the words of a found in b, as multisets.
func Overlap(a, b map[string]int) int {
	n := 0
	for w, c := range a {
		n += min(c, b[w])
	}
	return n
}

// Glued returns the words of got that are not words of want but two or
// three words of want written together.
func Glued(got, want []string) []string {
	vocab := Counts(want)
	var out []string
	for _, w := range got {
		if vocab[w] > 0 {
			continue
		}
		if splits(w, vocab, 3) {
			out = append(out, w)
		}
	}
	return out
}

func splits(w string, vocab map[string]int, parts int) bool {
	if parts == 0 {
		return false
	}
	rs := []rune(w)
	for i := 1; i < len(rs); i++ {
		head, tail := string(rs[:i]), string(rs[i:])
		if vocab[head] == 0 || len([]rune(head)) < 2 {
			continue
		}
		if vocab[tail] > 0 && len([]rune(tail)) >= 2 || splits(tail, vocab, parts-1) {
			return true
		}
	}
	return false
}

// Median returns the median of xs; 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
