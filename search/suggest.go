package search

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/talksearch/talksearch/internal/german"
)

// Suggestion is one completion of what a user is typing.
type Suggestion struct {
	Text   string // the whole completed input
	Kind   string // "term", "title" or "speaker"
	TalkID string // for titles
	Count  int    // talks containing a term
}

// Kinds of Suggestion.
const (
	SuggestTerm    = "term"
	SuggestTitle   = "title"
	SuggestSpeaker = "speaker"
)

// vocabSep separates the folded form of a vocabulary word, which prefix
// look-ups match, from the form shown to the user.
const vocabSep = "\x00"

// maxVocabScan bounds how many dictionary entries one suggest call reads.
const maxVocabScan = 20000

// Suggest completes the last word of input from the archive's vocabulary
// (most frequent first) and offers matching talk titles and speakers. It
// returns at most n suggestions of each kind.
func (ix *Index) Suggest(ctx context.Context, input string, n int) ([]Suggestion, error) {
	input = strings.TrimLeftFunc(input, unicode.IsSpace)
	if n <= 0 || n > 20 {
		n = 8
	}
	if err := CheckText(input); err != nil {
		return nil, err
	}
	head, last := "", input
	if i := strings.LastIndexFunc(input, unicode.IsSpace); i >= 0 {
		head, last = input[:i+1], input[i+1:]
	}
	out := []Suggestion{}
	if utf8.RuneCountInString(last) < 2 {
		return out, nil
	}
	terms, err := ix.vocabPrefix(ctx, german.Fold(last), n)
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		out = append(out, Suggestion{Text: head + t.text, Kind: SuggestTerm, Count: t.count})
	}

	// Titles and speakers: talks where a title or person word starts so.
	pq := query.NewPrefixQuery(german.Fold(last))
	pq.SetField(fieldWords)
	req := bleve.NewSearchRequestOptions(pq, 50, 0, false)
	req.Fields = []string{fieldMeta}
	// Talks that score alike come in talk id order, so the same input
	// always suggests the same titles.
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: suggest: %w", err)
	}
	titles, speakers := 0, map[string]bool{}
	for _, h := range res.Hits {
		t, err := talkFromFields(h.Fields)
		if err != nil {
			return nil, err
		}
		if titles < n && hasWordPrefix(t.Title, last) {
			out = append(out, Suggestion{Text: t.Title, Kind: SuggestTitle, TalkID: t.ID})
			titles++
		}
		for _, s := range t.Speakers {
			l := s.Label()
			if len(speakers) < n && !speakers[l] && hasWordPrefix(l, last) {
				speakers[l] = true
				out = append(out, Suggestion{Text: l, Kind: SuggestSpeaker})
			}
		}
	}
	return out, nil
}

type vocabTerm struct {
	text  string
	count int
}

// vocabPrefix returns the n most frequent vocabulary words whose folded
// form starts with prefix.
func (ix *Index) vocabPrefix(ctx context.Context, prefix string, n int) ([]vocabTerm, error) {
	dict, err := ix.b.FieldDictPrefix(fieldVocab, []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("search: suggest: %w", err)
	}
	defer dict.Close()
	best := map[string]vocabTerm{} // by folded form
	for i := 0; i < maxVocabScan; i++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("search: suggest: %w", err)
		}
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("search: suggest: %w", err)
		}
		if e == nil {
			break
		}
		key, shown, ok := strings.Cut(e.Term, vocabSep)
		if !ok {
			continue
		}
		if b, seen := best[key]; !seen || int(e.Count) > b.count {
			best[key] = vocabTerm{shown, int(e.Count) + b.count}
		} else {
			b.count += int(e.Count)
			best[key] = b
		}
	}
	terms := make([]vocabTerm, 0, len(best))
	for _, t := range best {
		terms = append(terms, t)
	}
	sort.Slice(terms, func(i, j int) bool {
		if terms[i].count != terms[j].count {
			return terms[i].count > terms[j].count
		}
		return terms[i].text < terms[j].text
	})
	if len(terms) > n {
		terms = terms[:n]
	}
	return terms, nil
}

// vocabulary returns the distinct words of a talk for suggestions, each as
// "folded\x00shown".
func vocabulary(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }) {
			w = strings.Trim(w, "-")
			if utf8.RuneCountInString(w) < 3 || utf8.RuneCountInString(w) > 40 || !unicode.IsLetter([]rune(w)[0]) {
				continue
			}
			e := german.Fold(w) + vocabSep + w
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// foldedWords returns the distinct folded words of the texts.
func foldedWords(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if f := german.Fold(w); !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// hasWordPrefix reports whether a word of s starts with prefix, folded.
func hasWordPrefix(s, prefix string) bool {
	p := german.Fold(prefix)
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if strings.HasPrefix(german.Fold(w), p) {
			return true
		}
	}
	return false
}
