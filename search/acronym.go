package search

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/talksearch/talksearch/internal/german"
)

// Bounds of a long form read as an acronym (relevance journal, entries
// 63 and 67): two to six content words; of two, the second gives two
// letters (Secure Shell → SSH), else each word one.
const (
	acronymMinWords = 2
	acronymMaxWords = 6
)

// acronymClauses looks at the plain words from group i on. When two to
// six capitalised content words in a row spell, by their initials, a
// word the archive writes in capitals ("Dynamic Host Configuration
// Protocol" → DHCP; of two words, the second gives two letters: "Secure
// Shell" → SSH), it returns a clause for each of them that matches
// the word or the acronym, the words as typed that the clauses stand for,
// and the index of the run's last group; otherwise nil. Stop words inside
// the run give no letter ("Deutsches Institut für Normung" → DIN). A talk
// that names the thing by its acronym then has every word of the long
// form; a talk with some of the words has those, as without the acronym.
// The longest run wins. Measured on the dev halves (relevance journal,
// entry 63): Debian Edu manual 0.751 → 0.801 (abbreviations 0.338 →
// 0.738), the other halves and the sample unchanged; two-word runs
// (entry 67): Debian Edu 0.801 → 0.811, man pages 0.7574 → 0.7561.
func (ix *Index) acronymClauses(ctx context.Context, tq *textQuery, pq parsedQuery, wordTerms [][]string, i int) ([]query.Query, []string, int) {
	if !isContent(pq, wordTerms, i) {
		return nil, nil, i
	}
	var at []int // the groups of the run's content words
	for j := i; j < len(pq.groups) && len(at) < acronymMaxWords; j++ {
		if wordTerms[j] != nil && len(wordTerms[j]) == 0 {
			continue // a stop word inside the run
		}
		if !isContent(pq, wordTerms, j) {
			break
		}
		at = append(at, j)
	}
	for n := len(at); n >= acronymMinWords; n-- {
		var initials strings.Builder
		for k, j := range at[:n] {
			f := []rune(german.Fold(pq.groups[j][0].text))
			take := 1
			if n == 2 && k == 1 {
				take = 2
			}
			initials.WriteString(string(f[:min(take, len(f))]))
		}
		if !tq.vocab.writtenInCapitals(initials.String()) {
			continue
		}
		terms := ix.analyzeFolded(tq.vocab, initials.String())
		if len(terms) == 0 {
			continue
		}
		tg := ix.targets("", tq.lead)
		var alt []query.Query
		addTerms(&alt, terms, tg.whole, 1)
		tq.addPassageTerms(terms)
		clauses := make([]query.Query, 0, n)
		words := make([]string, 0, n)
		for _, j := range at[:n] {
			alts := append([]query.Query(nil), alt...)
			if q := ix.termQuery(ctx, tq, pq.groups[j][0], true); q != nil {
				alts = append([]query.Query{q}, alts...)
			}
			clauses = append(clauses, query.NewDisjunctionQuery(alts))
			words = append(words, groupText(pq.groups[j:j+1]))
		}
		return clauses, words, at[n-1]
	}
	return nil, nil, i
}

// isContent reports whether group j is one plain word that may be part
// of a long form: written with a capital, as the words of a name are whose
// capitals make its acronym ("Logical Volume Manager"), and no stop
// word, question filler or acronym typed as such.
func isContent(pq parsedQuery, wordTerms [][]string, j int) bool {
	g := pq.groups[j]
	if len(g) != 1 || !isPlain(g[0]) || len(wordTerms[j]) == 0 || isFiller(g[0]) || isAllCaps(g[0].text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(g[0].text)
	return unicode.IsUpper(r)
}

// writtenInCapitals reports whether the archive writes the folded word a
// mostly in capitals: of its shown forms in the talks' vocabularies, the
// form in capitals is in the most talks. So "DHCP" counts, and "AND" in
// one heading does not, where "and" and "And" are in more talks.
func (v *vocab) writtenInCapitals(a string) bool {
	if v.r == nil || v.ctx.Err() != nil || !v.budget.take(1) {
		return false
	}
	dict, err := v.r.FieldDictPrefix(fieldVocab, []byte(a+vocabSep))
	if err != nil {
		return false
	}
	caps, best := uint64(0), uint64(0)
	eachShownForm(v.ctx, dict, func(shown string, count uint64) {
		if isAllCaps(shown) {
			caps += count
		} else {
			best = max(best, count)
		}
	})
	return caps > 0 && caps >= best
}

// isAllCaps reports whether w has two letters or more, all capitals: an
// acronym typed as such.
func isAllCaps(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}
