package search

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/talksearch/talksearch/internal/german"
)

// Thesaurus is a general German thesaurus, read once per process
// (LoadThesaurus) and shared by every index opened with it
// (Options.Thesaurus). It is safe for concurrent use.
type Thesaurus struct {
	t *thesaurus
}

// LoadThesaurus reads the thesaurus in OpenThesaurus's text format at
// path (Debian's openthesaurus-de-text installs it at
// DefaultThesaurusFile). A missing file is an error that wraps
// fs.ErrNotExist, so that a caller can treat it as none.
func LoadThesaurus(path string) (*Thesaurus, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("search: read thesaurus: %w", err)
	}
	m, err := buildMapping(AnalysisGerman)
	if err != nil {
		return nil, err
	}
	a := m.AnalyzerNamed(analyzerWhole)
	if a == nil {
		return nil, fmt.Errorf("search: read thesaurus: no analyzer %s", analyzerWhole)
	}
	t, err := parseThesaurus(data, path, func(s string) []string { return termsOf(a, s) })
	if err != nil {
		return nil, err
	}
	return &Thesaurus{t: t}, nil
}

// Groups is the number of groups of synonyms the thesaurus holds.
func (t *Thesaurus) Groups() int {
	if t == nil {
		return 0
	}
	return len(t.t.groups)
}

// thesaurus is a general German thesaurus in OpenThesaurus's text format
// (Debian's openthesaurus-de-text): one group of words with a meaning in
// common per line, separated by semicolons, "#" starting a comment line.
// It is read at run time from the installed package, never copied (its
// licence is the LGPL). Only single words are kept; a note in
// parentheses ("Intabulation (veraltet)") is dropped.
type thesaurus struct {
	groups [][]thesaurusWord  // the single words of each group
	of     map[string][]int32 // analysed term → the groups holding a word with it
}

// thesaurusWord is a word of a group as written, with its analysed term
// ("" when it analyses to none or to several).
type thesaurusWord struct {
	text, term string
}

// parseThesaurus reads data (named name in errors); analyze gives a word's
// analysed terms, by which a query word finds its groups in any of its
// inflected forms.
func parseThesaurus(data []byte, name string, analyze func(string) []string) (*thesaurus, error) {
	t := &thesaurus{of: map[string][]int32{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []thesaurusWord
		for _, w := range strings.Split(line, ";") {
			if i := strings.IndexByte(w, '('); i >= 0 {
				w = w[:i]
			}
			w = strings.TrimSpace(w)
			if w == "" || strings.ContainsAny(w, " .") {
				continue
			}
			word := thesaurusWord{text: w}
			if terms := analyze(w); len(terms) == 1 {
				word.term = terms[0]
			}
			group = append(group, word)
		}
		if len(group) < 2 {
			continue
		}
		g := int32(len(t.groups))
		t.groups = append(t.groups, group)
		for _, w := range group {
			if w.term == "" {
				continue
			}
			if l := t.of[w.term]; len(l) == 0 || l[len(l)-1] != g {
				t.of[w.term] = append(l, g)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("search: read thesaurus %s: %w", name, err)
	}
	if len(t.groups) == 0 {
		return nil, fmt.Errorf("search: thesaurus %s has no groups of single words", name)
	}
	return t, nil
}

// synonyms are the words, as written, of every group holding a word
// whose analysed term is term, except the words with that term, each
// once.
func (t *thesaurus) synonyms(term string) []string {
	if t == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, g := range t.of[term] {
		for _, w := range t.groups[g] {
			if seen[w.text] {
				continue
			}
			seen[w.text] = true
			if w.term != term {
				out = append(out, w.text)
			}
		}
	}
	return out
}

// DefaultThesaurusFile is where Debian's openthesaurus-de-text installs
// the thesaurus.
const DefaultThesaurusFile = "/usr/share/openthesaurus-de/openthesaurus.txt"

// Thesaurus synonyms of a question word (addThesaurus; relevance journal,
// entry 96).
const (
	rareWordShare = 0.01 // a word in at most this share of the talks …
	rareWordMin   = 2    // … or in at most this many is hardly used
	maxSynonyms   = 3    // the synonyms in most talks that a word takes
)

// addThesaurus appends, for a question word (folded; analysed: own) that
// the archive hardly uses, the thesaurus synonyms that it uses in more
// talks than the word, at most maxSynonyms of them, at weightDerived. A
// question is asked in the asker's words (Passwort, Notiz); an archive
// that hardly writes the word names the thing in its own (Kennwort,
// Kommentar). A word the archive uses widely is its own word for the
// thing, and a synonym of it more often means another of its senses.
func (ix *Index) addThesaurus(clauses *[]query.Query, tq *textQuery, folded, own string, fields []fieldBoost) {
	if ix.opt.Thesaurus == nil || ix.opt.Analysis == AnalysisStock || !tq.question || tq.vocab == nil {
		return
	}
	n := tq.vocab.termTalks(own)
	talks := tq.vocab.talks()
	if talks == 0 || n > max(rareWordMin, int(rareWordShare*float64(talks))) {
		return
	}
	type syn struct {
		w string
		n int
	}
	var syns []syn
	for _, w := range ix.opt.Thesaurus.t.synonyms(own) {
		f := german.Fold(w)
		term, ok := ix.formTerm(tq, f, own)
		if !ok {
			continue
		}
		if c := tq.vocab.termTalks(term); c > n {
			syns = append(syns, syn{f, c})
		}
	}
	slices.SortStableFunc(syns, func(a, b syn) int { return b.n - a.n })
	if len(syns) > maxSynonyms {
		syns = syns[:maxSynonyms]
	}
	for _, s := range syns {
		ix.addForm(clauses, tq, s.w, own, fields, weightDerived)
	}
}
