package search

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
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

// didYouMean proposes a spelling of raw in which each plain word that the
// archive does not know is replaced by the most frequent known word within
// its typo distance. It returns "" when nothing changes.
func (ix *Index) didYouMean(ctx context.Context, words []string, raw string) (string, error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return "", fmt.Errorf("search: did you mean: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return "", fmt.Errorf("search: did you mean: %w", err)
	}
	defer r.Close()
	out := raw
	changed := false
	for _, w := range words {
		best, err := ix.correction(ctx, r, w)
		if err != nil {
			return "", err
		}
		if best == "" {
			continue
		}
		out = strings.Replace(out, w, ix.shownForm(best), 1)
		changed = true
	}
	if !changed {
		return "", nil
	}
	return out, nil
}

// correction returns the folded form of the most frequent known word
// within w's typo distance, or "" when w is known, short or has none.
func (ix *Index) correction(ctx context.Context, r index.IndexReader, w string) (string, error) {
	f := german.Fold(w)
	if utf8.RuneCountInString(f) < 4 {
		return "", nil
	}
	tfr, err := r.TermFieldReader(ctx, []byte(f), fieldVocabKey, false, false, false)
	if err != nil {
		return "", fmt.Errorf("search: did you mean: %w", err)
	}
	n := tfr.Count()
	tfr.Close()
	if n > 0 {
		return "", nil
	}
	fz := max(fuzziness(w), 1)
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return "", nil // this index backend has no fuzzy dictionary
	}
	dict, err := fr.FieldDictFuzzy(fieldVocabKey, f, fz, "")
	if err != nil {
		return "", fmt.Errorf("search: did you mean: %w", err)
	}
	// The fuzzy dictionary gives no counts: look them up.
	var cands []string
	for len(cands) < 50 {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		cands = append(cands, e.Term)
	}
	dict.Close()
	best, bestCount := "", uint64(0)
	for _, c := range cands {
		tfr, err := r.TermFieldReader(ctx, []byte(c), fieldVocabKey, false, false, false)
		if err != nil {
			continue
		}
		if n := tfr.Count(); n > bestCount || n == bestCount && c < best {
			best, bestCount = c, n
		}
		tfr.Close()
	}
	return best, nil
}

// shownForm returns the most frequent original spelling of a folded word.
func (ix *Index) shownForm(folded string) string {
	dict, err := ix.b.FieldDictPrefix(fieldVocab, []byte(folded+vocabSep))
	if err != nil {
		return folded
	}
	defer dict.Close()
	best, bestCount := folded, uint64(0)
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		if e.Count > bestCount {
			_, best, _ = strings.Cut(e.Term, vocabSep)
			bestCount = e.Count
		}
	}
	return best
}

// suggestCorrection fills res.DidYouMean when the query found few talks
// and a corrected spelling finds at least as many (typo tolerance may have
// found them already; the prompt still shows the right spelling).
func (ix *Index) suggestCorrection(ctx context.Context, q Query, tq textQuery, res *Result) error {
	if q.Text == "" || res.Total >= 3 || len(tq.words) == 0 {
		return nil
	}
	alt, err := ix.didYouMean(ctx, tq.words, q.Text)
	if err != nil || alt == "" {
		return err
	}
	atq := ix.parseText(ctx, alt)
	if atq.talk == nil {
		return nil
	}
	req := bleve.NewSearchRequestOptions(talkQuery(atq.talk, q.Filters, ""), 0, 0, false)
	r, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: did you mean: %w", err)
	}
	if int(r.Total) >= max(res.Total, 1) {
		res.DidYouMean = alt
	}
	return nil
}
