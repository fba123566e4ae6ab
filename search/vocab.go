package search

import (
	"context"
	"math"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// vocab answers, for one request, how many talks of the archive contain a
// word: the archive's own vocabulary, as folded surface forms (the
// vocab_key field, written with every talk). The query-time decompounder,
// the joining of neighbouring query words and the inflection variants all
// check their candidates here, so they learn whatever archive they run on
// and need no re-index when it grows. Counts are cached for the request.
type vocab struct {
	ctx    context.Context
	r      index.IndexReader // nil when the index has no reader
	counts map[string]int
	splits map[splitKey]scoredSplit
	// stop reports whether a word is a stop word, which is never a part.
	stop func(string) bool
}

type splitKey struct {
	w     string
	depth int
}

type scoredSplit struct {
	parts [][]string
	score float64
}

// newVocab opens a reader for one request; close it when done.
func (ix *Index) newVocab(ctx context.Context) *vocab {
	v := &vocab{ctx: ctx, counts: map[string]int{}, splits: map[splitKey]scoredSplit{},
		stop: func(w string) bool { return len(ix.analyzeWith(ix.wholeAnalyzer(), w)) == 0 }}
	if adv, err := ix.b.Advanced(); err == nil {
		if r, err := adv.Reader(); err == nil {
			v.r = r
		}
	}
	return v
}

func (v *vocab) close() {
	if v.r != nil {
		v.r.Close()
	}
}

// count is the number of talks containing the folded word w.
func (v *vocab) count(w string) int {
	if n, ok := v.counts[w]; ok {
		return n
	}
	n := 0
	if v.r != nil && v.ctx.Err() == nil {
		if tfr, err := v.r.TermFieldReader(v.ctx, []byte(w), fieldVocabKey, false, false, false); err == nil {
			n = int(tfr.Count())
			tfr.Close()
		}
	}
	v.counts[w] = n
	return n
}

// Limits of the query-time decompounder.
const (
	splitMinWord  = 6 // shortest word tried, in letters
	splitMinPart  = 3 // shortest part
	splitMaxParts = 4
	splitMaxWord  = 40
)

// splitLinks are the linking elements (Fugen) that may stand after a
// part: Zeitunterschied-s-berechnung, Legende-n-formatierung,
// Bereich-s-namen; "-" joins hyphenated pieces.
var splitLinks = []string{"s", "es", "n", "en", "e", "er", "-"}

// partForms returns the archive spellings a compound part may take: the
// part itself, with a dropped final e restored (Schul-bus → Schule), and
// for a nominalisation its verb (Entfernung → entfernen, Formatierung →
// formatieren), since help texts say "Duplikate entfernen" where a query
// says "Duplikatentfernung". Only forms the archive has are returned.
func (v *vocab) partForms(p string) []string {
	var out []string
	add := func(w string) {
		if w != "" && v.count(w) > 0 && !v.stop(w) {
			out = append(out, w)
		}
	}
	add(p)
	add(p + "e")
	if stem, ok := strings.CutSuffix(p, "ung"); ok && utf8.RuneCountInString(stem) >= splitMinPart {
		if strings.HasSuffix(stem, "er") || strings.HasSuffix(stem, "el") {
			add(stem + "n") // Änderung → ändern, Sammlung → sammeln
		} else {
			add(stem + "en") // Entfernung → entfernen
		}
	}
	return out
}

// split divides the folded word w into parts the archive has, choosing
// among candidate splits by the geometric mean of the parts' talk counts
// (Koehn & Knight 2003). Each part comes with the archive spellings it
// may take (partForms). It returns nil when w is no compound the archive
// can explain, or when w itself is more common than its best split.
func (v *vocab) split(w string) [][]string {
	if v == nil {
		return nil
	}
	n := utf8.RuneCountInString(w)
	if n < splitMinWord || n > splitMaxWord || strings.ContainsAny(w, " ") {
		return nil
	}
	if parts := v.hyphenSplit(w); parts != nil {
		return parts
	}
	best, score := v.bestSplit(w, 0)
	if len(best) < 2 || score <= float64(v.count(w)) {
		return nil
	}
	return best
}

// hyphenSplit returns the two pieces of w when the archive writes it
// with a hyphen ("QRCode" → qr-code, "Kernelringpuffer" →
// kernel-ringpuffer), whatever the pieces are on their own.
func (v *vocab) hyphenSplit(w string) [][]string {
	for i := range w {
		if i == 0 || utf8.RuneCountInString(w[:i]) < 2 || utf8.RuneCountInString(w[i:]) < 2 {
			continue
		}
		if v.count(w[:i]+"-"+w[i:]) > 0 {
			return [][]string{{w[:i]}, {w[i:]}}
		}
	}
	return nil
}

// bestSplit returns the best split of w into at most splitMaxParts-depth
// parts (w whole counts as one part when the archive has it) and its
// score, the geometric mean of the parts' best counts.
func (v *vocab) bestSplit(w string, depth int) ([][]string, float64) {
	key := splitKey{w, depth}
	if s, ok := v.splits[key]; ok {
		return s.parts, s.score
	}
	parts, score := v.searchSplit(w, depth)
	v.splits[key] = scoredSplit{parts, score}
	return parts, score
}

// searchSplit tries every first part and linking element of w.
func (v *vocab) searchSplit(w string, depth int) ([][]string, float64) {
	var best [][]string
	bestScore := 0.0
	if forms := v.partForms(w); len(forms) > 0 {
		best, bestScore = [][]string{forms}, float64(v.maxCount(forms))
	}
	if depth+1 >= splitMaxParts {
		return best, bestScore
	}
	for i := range w {
		if utf8.RuneCountInString(w[:i]) < splitMinPart {
			continue
		}
		headForms := v.partForms(w[:i])
		if len(headForms) == 0 {
			continue
		}
		for _, rest := range restsAfter(w[i:]) {
			if utf8.RuneCountInString(rest) < splitMinPart {
				continue
			}
			tail, tailScore := v.bestSplit(rest, depth+1)
			if tail == nil {
				continue
			}
			parts := append([][]string{headForms}, tail...)
			// Geometric mean over all parts: the tail's score is already
			// the geometric mean of its len(tail) parts.
			k := float64(len(parts))
			s := math.Pow(float64(v.maxCount(headForms))*math.Pow(tailScore, float64(len(tail))), 1/k)
			if best == nil || len(parts) < len(best) || (len(parts) == len(best) && s > bestScore) {
				best, bestScore = parts, s
			}
		}
	}
	return best, bestScore
}

// restsAfter returns what may follow a part: the rest as it is, and the
// rest without a linking element.
func restsAfter(rest string) []string {
	out := []string{rest}
	for _, l := range splitLinks {
		if r, ok := strings.CutPrefix(rest, l); ok && r != "" {
			out = append(out, r)
		}
	}
	return out
}

func (v *vocab) maxCount(forms []string) int {
	m := 0
	for _, f := range forms {
		m = max(m, v.count(f))
	}
	return m
}

// joinings returns the compounds the archive has that join the folded
// words a and b, in either order: "Bereich Namen" → bereichsnamen,
// "Umbruch der Seite" → seitenumbruch, "Leiste mit Symbolen" →
// symbolleiste, "Kernel Ringpuffer" → kernelringpuffer.
func (v *vocab) joinings(a, b string) []string {
	var out []string
	seen := map[string]bool{}
	try := func(first, second string) {
		for _, head := range headsOf(first) {
			for _, l := range append([]string{""}, splitLinks...) {
				c := head + l + second
				if !seen[c] && v.count(c) > 0 {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
	}
	try(a, b)
	try(b, a)
	return out
}

// headsOf returns the forms a word may take as the first part of a
// compound: itself, and without a plural or inflection ending
// (Symbolen → symbol, Seite → seit is tried too and only counts when the
// archive has the result).
func headsOf(w string) []string {
	out := []string{w}
	for _, e := range []string{"en", "n", "e", "s"} {
		if h, ok := strings.CutSuffix(w, e); ok && utf8.RuneCountInString(h) >= splitMinPart {
			out = append(out, h)
		}
	}
	return out
}
