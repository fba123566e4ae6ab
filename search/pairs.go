package search

import (
	"github.com/blevesearch/bleve/v2/search/query"
)

// A phrase is found through word pairs, as Elasticsearch's index_phrases
// does: each whole-word talk field, and the text of slides and transcript
// segments, has a twin that indexes
// every two neighbouring words as one term ("digital akte"; a stop word
// between them as "_"). bleve's phrase search reads the positions of
// both words in every talk that has both, and a talk's body is long: at
// 100,000 slides the phrases of one question (eAkte and its synonyms in
// five fields) took most of its 50 ms. Here the pair term, a single short
// posting list, finds the talks, and the words themselves score them:
//
//   - two words: the talks with the pair are exactly the phrase's;
//   - more: the talks with every pair, which are the phrase's but for a
//     rare repetition ("a b" and "b c" apart);
//   - the score is that of bleve's phrase search: the sum of the words'
//     scores in the field (the pairs weigh nothing).

// pairFields are the word-pair twins of the whole-word talk fields.
var pairFields = []string{fieldTitlePairs, fieldTopicsPairs, fieldPeoplePairs, fieldAboutPairs, fieldBodyPairs}

// pairFieldOf returns the word-pair twin of a talk field, or "".
func pairFieldOf(field string) string {
	switch field {
	case fieldTitle:
		return fieldTitlePairs
	case fieldTopics:
		return fieldTopicsPairs
	case fieldPeople:
		return fieldPeoplePairs
	case fieldAbout:
		return fieldAboutPairs
	case fieldBody:
		return fieldBodyPairs
	case fieldText:
		return fieldTextPairs
	}
	return ""
}

// phraseOf returns the phrase query of text in a field: through word pairs
// where the field has them (German chain) and the phrase's words are
// neighbours, else bleve's phrase query. A stop word inside the phrase
// ("Akte der Stadt") leaves a gap that pairs do not pin down; such
// phrases, rare in searches, keep bleve's.
func (ix *Index) phraseOf(text string) func(field string) fieldQuery {
	var words []string
	if ix.opt.Analysis != AnalysisStock {
		words = ix.neighbours(text)
	}
	return phraseOfWords(text, words)
}

// phraseOfWords is phraseOf for text whose neighbouring terms (words, as
// ix.neighbours returns them; nil for bleve's phrase query) are known.
func phraseOfWords(text string, words []string) func(field string) fieldQuery {
	var pairs []string
	for i := 0; i+1 < len(words); i++ {
		pairs = append(pairs, words[i]+" "+words[i+1])
	}
	return func(field string) fieldQuery {
		pf := pairFieldOf(field)
		if pf == "" || len(pairs) == 0 {
			q := query.NewMatchPhraseQuery(text)
			q.SetField(field)
			return q
		}
		return newPairPhrase(field, pf, words, pairs)
	}
}

// neighbours returns the terms of text (the whole-word analysis) when they
// stand at consecutive positions, as the pair fields join them; else nil.
func (ix *Index) neighbours(text string) []string {
	a := ix.b.Mapping().AnalyzerNamed(analyzerWhole)
	if a == nil {
		return nil
	}
	var words []string
	last := 0
	for i, tok := range a.Analyze([]byte(text)) {
		if i > 0 && tok.Position != last+1 {
			return nil
		}
		last = tok.Position
		words = append(words, string(tok.Term))
	}
	return words
}

// pairPhrase is a phrase as a conjunction of its words (scored) and its
// word pairs (weighing nothing).
type pairPhrase struct {
	*query.ConjunctionQuery
	words []*query.TermQuery
}

func newPairPhrase(field, pairField string, words, pairs []string) *pairPhrase {
	p := &pairPhrase{}
	var all []query.Query
	for _, w := range words {
		t := query.NewTermQuery(w)
		t.SetField(field)
		p.words = append(p.words, t)
		all = append(all, t)
	}
	seen := map[string]bool{}
	for _, pair := range pairs {
		if seen[pair] {
			continue
		}
		seen[pair] = true
		t := query.NewTermQuery(pair)
		t.SetField(pairField)
		t.SetBoost(0)
		all = append(all, t)
	}
	p.ConjunctionQuery = query.NewConjunctionQuery(all)
	return p
}

// SetBoost weights the words. (bleve ignores the boost of a conjunction
// itself.)
func (p *pairPhrase) SetBoost(boost float64) {
	for _, t := range p.words {
		t.SetBoost(boost)
	}
}
