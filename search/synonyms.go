package search

import (
	"fmt"
	"slices"
	"strings"
)

// synonyms are groups of equivalent words and phrases (OZG |
// Onlinezugangsgesetz). They expand queries only, so an administrator can
// extend them without re-indexing. Each alternative is stored as the
// sequence of terms the whole-word analyzer makes of it.
type synonyms struct {
	groups [][][]string        // group → alternative → terms
	texts  [][]string          // group → alternative as written
	first  map[string][][2]int // first term → (group, alternative)
}

// parseSynonyms reads the "a | b | c" format; analyze turns an entry into
// terms. src names the file in errors.
func parseSynonyms(s *synonyms, data []byte, src string, analyze func(string) []string) error {
	if s.first == nil {
		s.first = map[string][][2]int{}
	}
	return dictLines(data, func(line int, text string) error {
		var (
			group [][]string
			texts []string
		)
		for _, entry := range strings.Split(text, "|") {
			entry = strings.TrimSpace(entry)
			if terms := analyze(entry); len(terms) > 0 {
				group = append(group, terms)
				texts = append(texts, entry)
			}
		}
		if len(group) < 2 {
			return fmt.Errorf("search: %s line %d: a synonym group needs at least two entries separated by |", src, line)
		}
		g := len(s.groups)
		s.groups = append(s.groups, group)
		s.texts = append(s.texts, texts)
		for a, terms := range group {
			s.first[terms[0]] = append(s.first[terms[0]], [2]int{g, a})
		}
		return nil
	})
}

// match finds the longest synonym entry that the query words starting at
// i spell out. words[k] are the terms of query word k. It returns the
// group and how many words matched, or -1, 0.
func (s *synonyms) match(words [][]string, i int) (group, n int) {
	group = -1
	if s == nil || len(words[i]) == 0 {
		return -1, 0
	}
	for _, ga := range s.first[words[i][0]] {
		alt := s.groups[ga[0]][ga[1]]
		// Consume whole query words while they match the alternative.
		pos, k := 0, i
		for k < len(words) && pos < len(alt) {
			w := words[k]
			if len(w) == 0 && words[k] != nil {
				k++ // a stop word inside the phrase ("Städte- und Gemeindebund")
				continue
			}
			if len(w) == 0 || pos+len(w) > len(alt) || !slices.Equal(alt[pos:pos+len(w)], w) {
				break
			}
			pos += len(w)
			k++
		}
		if pos == len(alt) && k-i > n {
			group, n = ga[0], k-i
		}
	}
	return group, n
}
