package search

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/talksearch/talksearch/internal/german"
)

// vocabKeys returns the folded forms of vocabulary entries.
func vocabKeys(vocab []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vocab {
		k, _, _ := strings.Cut(v, vocabSep)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// A known word is corrected too when it is rare and a word within its typo
// distance is far more frequent: "Verwaltnug" on one slide, "Verwaltung"
// in dozens of talks.
const (
	rareTalks  = 2  // a known word in at most this many talks is rare
	rareFactor = 10 // a correction of a rare word is in this many times as many talks
)

// didYouMean proposes a spelling of raw in which each plain word that the
// archive does not know, or with rare set knows but rarely, is replaced by
// a more frequent known word within its typo distance (see correction).
// It returns "" when nothing changes; unknown reports whether a word the
// archive does not know was replaced.
func (ix *Index) didYouMean(ctx context.Context, b *budget, words []string, raw string, rare bool) (alt string, unknown bool, err error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return "", false, fmt.Errorf("search: did you mean: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return "", false, fmt.Errorf("search: did you mean: %w", err)
	}
	defer r.Close()
	out := raw
	changed := false
	for _, w := range words {
		if err := ctx.Err(); err != nil {
			return "", false, fmt.Errorf("search: did you mean: %w", err)
		}
		best, unknownWord, err := ix.correction(ctx, b, r, w, rare)
		if err != nil {
			return "", false, err
		}
		if best == "" {
			continue
		}
		out = strings.Replace(out, w, ix.shownForm(ctx, best), 1)
		changed = true
		unknown = unknown || unknownWord
	}
	if !changed {
		return "", false, nil
	}
	return out, unknown, nil
}

// correction returns the folded form of the word to propose for w, or ""
// when there is none: for a word the archive does not know, the most
// frequent known word within its typo distance; with rare set, for a rare
// word of five letters or more, such a word in rareFactor times as many
// talks. unknown reports whether w is unknown.
func (ix *Index) correction(ctx context.Context, b *budget, r index.IndexReader, w string, rare bool) (best string, unknown bool, err error) {
	f := german.Fold(w)
	if utf8.RuneCountInString(f) < 4 || !b.take(1) {
		return "", false, nil
	}
	n, err := vocabCount(ctx, r, f)
	if err != nil {
		return "", false, err
	}
	fz, need := max(fuzziness(w), 1), uint64(1)
	if n > 0 {
		// A rare word: only typos the search itself would tolerate.
		fz, need = fuzziness(w), rareFactor*n
		if !rare || n > rareTalks || fz == 0 {
			return "", false, nil
		}
	}
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok || !b.take(fuzzyCost) {
		return "", false, nil // this index backend has no fuzzy dictionary
	}
	cands, err := fuzzyCandidates(ctx, fr, f, fz)
	if err == nil && len(cands) == 0 && n == 0 && fz == 1 && ix.widensDeadWord(w) {
		// A dead word, as the search widens it (unknownWord).
		cands, err = fuzzyCandidates(ctx, fr, f, 2)
	}
	if err != nil {
		return "", false, err
	}
	// The fuzzy dictionary gives no counts: look them up.
	bestCount := uint64(0)
	for _, c := range cands {
		if !b.take(1) {
			break
		}
		m, err := vocabCount(ctx, r, c)
		if err != nil {
			return "", false, err
		}
		if m >= need && (m > bestCount || m == bestCount && c < best) {
			best, bestCount = c, m
		}
	}
	return best, n == 0, nil
}

// vocabCount is the number of talks whose vocabulary has the folded word.
func vocabCount(ctx context.Context, r index.IndexReader, folded string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(folded), fieldVocabKey, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("search: did you mean: %w", err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// shownForm returns the most frequent original spelling of a folded word.
func (ix *Index) shownForm(ctx context.Context, folded string) string {
	dict, err := ix.b.FieldDictPrefix(fieldVocab, []byte(folded+vocabSep))
	if err != nil {
		return folded
	}
	best, bestCount := folded, uint64(0)
	eachShownForm(ctx, dict, func(shown string, count uint64) {
		if count > bestCount {
			best, bestCount = shown, count
		}
	})
	return best
}

// eachShownForm calls fn with each original spelling of one folded word
// and the number of talks that write it so, read from dict, the vocab
// field's entries with the word's prefix ("folded\x00"), which it closes.
func eachShownForm(ctx context.Context, dict index.FieldDict, fn func(shown string, count uint64)) {
	defer dict.Close()
	for ctx.Err() == nil {
		e, err := dict.Next()
		if err != nil || e == nil {
			return
		}
		_, shown, _ := strings.Cut(e.Term, vocabSep)
		fn(shown, e.Count)
	}
}

// suggestCorrection fills res.DidYouMean when a corrected spelling of the
// query exists and finds clearly more talks with all its words: one count
// request, and only when there is a correction. A query that filled its
// first page with talks that have all words needs none: its words, known
// or not, matched as typed, as stems or as parts. Rare words are looked at
// only when it found at most rareTalks such talks: with more, a rare word
// matched beyond its own talks, so it is no typo. Both spare the fuzzy
// look-up and the count.
func (ix *Index) suggestCorrection(ctx context.Context, snap *snapshot, q Query, tq textQuery, res *Result) error {
	if q.Text == "" || len(tq.words) == 0 || res.Full >= q.Size {
		return nil
	}
	alt, unknown, err := ix.didYouMean(ctx, tq.budget, tq.words, q.Text, res.Full <= rareTalks)
	if err != nil || alt == "" || strings.EqualFold(alt, q.Text) {
		return err
	}
	atq := ix.parseText(ctx, alt, snap.table.leads)
	if atq.talk == nil {
		return nil
	}
	if err := snap.coverQuestion(&atq); err != nil {
		return fmt.Errorf("search: did you mean: %w", err)
	}
	talks, err := snap.rowsOf(atq.talk, snap.table.filters(q.Filters))
	if err != nil {
		return fmt.Errorf("search: did you mean: %w", err)
	}
	if clearlyMore(talks.count(), res.Full, unknown) {
		res.DidYouMean = alt
	}
	return nil
}

// clearlyMore reports whether a corrected query that finds corrected talks
// with all its words is worth proposing for one that finds full such
// talks: when the query found none, or the correction finds twice as
// many. A correction of a word the archive does not know is proposed as
// before, too, when the query found little (fewer than three talks) and
// the correction as many: typo tolerance may have found them already,
// and the prompt still shows the right spelling.
func clearlyMore(corrected, full int, unknown bool) bool {
	switch {
	case corrected == 0:
		return false
	case full == 0, corrected >= 2*full:
		return true
	}
	return unknown && full < 3 && corrected >= full
}

// fuzzyCandidates returns up to 50 words of the vocabulary other than f
// within fz edits of it.
func fuzzyCandidates(ctx context.Context, fr index.IndexReaderFuzzy, f string, fz int) ([]string, error) {
	dict, err := fr.FieldDictFuzzy(fieldVocabKey, f, fz, "")
	if err != nil {
		return nil, fmt.Errorf("search: did you mean: %w", err)
	}
	defer dict.Close()
	var cands []string
	for len(cands) < 50 && ctx.Err() == nil {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		if e.Term != f {
			cands = append(cands, e.Term)
		}
	}
	return cands, nil
}

// widensDeadWord reports whether the search widens the query word w when
// it is dead (widensDeadWord of its analysed term).
func (ix *Index) widensDeadWord(w string) bool {
	terms := ix.analyzeWith(ix.wholeAnalyzer(), w)
	return len(terms) == 1 && widensDeadWord(terms[0])
}
