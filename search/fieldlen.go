package search

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/talksearch/talksearch/internal/german"
)

// BM25 weighs a word's frequency in a field by the field's length against
// the field's average length. bleve v2.6 does not know that average: it
// divides the number of distinct terms of the field by the number of
// documents in the index (searcher.bm25ScoreMetrics). For the talk text
// of the held-out corpus that is 7 against a true 159 words, and at
// 100,000 slides it falls to about 2, because slides count as documents
// without having the field. Every talk text is then scored as if it were
// dozens of times longer than usual: a word in it counts next to nothing
// beside the same word in a title, and among slides the shortest wins.
//
// The index therefore records the length of every scored field of a talk,
// and of its slides and segments together, in the talk's lengths field.
// The talk table sums them for each snapshot (lengthSums.bm25Stats), and each
// search hands bleve the true averages (BM25Stats) with the document
// count bleve itself uses, so that idf stays as it was.

// bm25K1 is the k1 of talksearch's BM25. bleve takes the term frequency
// as the square root of the count, so with Lucene's k1 = 1.2 a word met
// nine times in a field counts 1.6 times a word met once, where Lucene,
// on the raw count, counts it 2 times. k1 = 2 on the square root restores
// most of that curve (1.8 times). Measured on the held-out dev halves
// (nDCG@10, k1 1.2 / 2 / 3 / 5): LibreOffice 0.812 / 0.815 / 0.814 /
// 0.814, man pages 0.732 / 0.737 / 0.737 / 0.753, sample 0.976 each; 3
// and 5 lowered the confirming half of the man-page compound queries.
const bm25K1 = 2

// bm25Once sets bleve's k1 once per process.
var bm25Once sync.Once

// useBM25K1 makes bleve score with bm25K1. bleve reads k1 from a package
// variable, so this holds for every index of the process, the stock
// chain's too, which keeps the two chains' figures comparable.
func useBM25K1() {
	bm25Once.Do(func() { bsearch.BM25_k1 = bm25K1 })
}

// fieldLengths is a keyword field of the talk document: "field:n" for
// each field of lengthFields, the number of tokens its analyzer emits
// (for fieldText the sum over the talk's slides and segments), and
// "passages:n", the number of slides and segments with text.
const fieldLengths = "lengths"

// lengthPassages names the count of passages in fieldLengths.
const lengthPassages = "passages"

// lengthFields are the scored fields whose lengths the index records.
var lengthFields = []string{fieldTitle, fieldTopics, fieldPeople, fieldAbout, fieldBody, fieldLead,
	fieldTitleParts, fieldTopicsParts, fieldBodyParts, fieldLeadParts, fieldText}

// tokenCounter counts the tokens the German analyzers emit for a text
// without analysing it: the words and numbers that are no stop words
// ("eAkte" two, as the E-prefix step makes it), and the compound parts
// the decompounder adds. Its counts can differ from the analyzers' by a
// token where the Unicode tokenizer keeps punctuation inside a word
// ("z.B."), which does not move an average.
type tokenCounter struct {
	stop   analysis.TokenMap
	dict   *dictionary
	prefix *ePrefixFilter
}

func newTokenCounter() (*tokenCounter, error) {
	d, err := loadDictionary()
	if err != nil {
		return nil, err
	}
	stop, err := germanStopWords()
	if err != nil {
		return nil, err
	}
	return &tokenCounter{stop: stop, dict: d, prefix: &ePrefixFilter{dict: d}}, nil
}

// count returns the tokens of text in a whole-word field and the parts
// that a parts field gets.
func (c *tokenCounter) count(text string) (whole, parts int) {
	for _, w := range strings.FieldsFunc(text, notWordRune) {
		lower := strings.ToLower(w)
		if _, stop := c.stop[lower]; stop {
			continue
		}
		whole++
		if c.prefix.isEWord(w) {
			whole++
		}
		parts += len(c.dict.splitMemo(german.Fold(lower)))
	}
	return whole, parts
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }

// lengthsOf returns the values of fieldLengths for a talk document with
// the given field texts and passages (slide and segment texts); none
// without a counter (the stock chain, which keeps bleve's scoring).
func (c *tokenCounter) lengthsOf(title, topics, people, about, lead string, passages []string) []string {
	if c == nil {
		return nil
	}
	var out []string
	add := func(field string, n int) {
		if n > 0 {
			out = append(out, field+":"+strconv.Itoa(n))
		}
	}
	for _, f := range []struct {
		whole, parts string
		text         string
	}{{fieldTitle, fieldTitleParts, title}, {fieldTopics, fieldTopicsParts, topics}, {fieldPeople, "", people}, {fieldAbout, "", about}, {fieldLead, fieldLeadParts, lead}} {
		w, p := c.count(f.text)
		add(f.whole, w)
		if f.parts != "" {
			add(f.parts, p)
		}
	}
	var body, bodyParts, n int
	for _, s := range passages {
		w, p := c.count(s)
		body, bodyParts = body+w, bodyParts+p
		if w > 0 {
			n++
		}
	}
	add(fieldBody, body)
	add(fieldBodyParts, bodyParts)
	add(fieldText, body+bodyParts) // the slide text keeps words and parts
	add(lengthPassages, n)
	return out
}

// lengthSums adds up the recorded lengths of the talks of a snapshot: per
// field, the tokens and the documents that have the field.
type lengthSums struct {
	tokens, docs map[string]float64
}

func newLengthSums() *lengthSums {
	return &lengthSums{tokens: map[string]float64{}, docs: map[string]float64{}}
}

// add reads one value of fieldLengths.
func (s *lengthSums) add(term []byte) {
	field, v, ok := strings.Cut(string(term), ":")
	n, err := strconv.Atoi(v)
	if !ok || err != nil || n <= 0 {
		return
	}
	switch field {
	case lengthPassages:
		s.docs[fieldText] += float64(n)
	case fieldText:
		s.tokens[field] += float64(n)
	default:
		s.tokens[field] += float64(n)
		s.docs[field]++
	}
}

// bm25Stats returns what bleve's BM25 scorer reads of the index for the
// snapshot r: its document count, and per field a "cardinality" that
// bleve divides by that count (rounding up) to get the field's average
// length. Fields whose lengths the talks record get their true average.
// Every other field gets 1, which is what bleve's own estimate rounds to
// for any field with fewer distinct terms than the index has documents;
// those fields are keywords and numbers, matched but not ranked by, and
// the word-pair fields, which score 0 (pairs.go). Asking bleve for its
// estimate instead costs a pass over every field's dictionaries per
// snapshot (30 ms at 100,000 slides). It returns nil when no talk records
// lengths (an empty index). Every field a query may name must be in the
// stats, or bleve refuses the search: the index's fields, the mapping's
// (mapped) and "*", the field of bleve's merged term readers (unscored
// disjunctions and conjunctions).
func (s *lengthSums) bm25Stats(r index.IndexReader, mapped []string) (*bsearch.BM25Stats, error) {
	if len(s.tokens) == 0 {
		return nil, nil
	}
	n, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("search: document count: %w", err)
	}
	fields, err := r.Fields()
	if err != nil {
		return nil, fmt.Errorf("search: fields: %w", err)
	}
	st := &bsearch.BM25Stats{DocCount: float64(n), FieldCardinality: map[string]int{}}
	for _, f := range slices.Concat(fields, mapped, []string{"*"}) {
		st.FieldCardinality[f] = int(n)
	}
	for _, f := range lengthFields {
		if docs := s.docs[f]; docs > 0 && s.tokens[f] > 0 {
			st.FieldCardinality[f] = int(math.Ceil(s.tokens[f] / docs * float64(n)))
		}
	}
	return st, nil
}

// mappedFields returns the names of the fields of every document mapping
// of m.
func mappedFields(m mapping.IndexMapping) []string {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok {
		return nil
	}
	var out []string
	for _, dm := range im.TypeMapping {
		for name := range dm.Properties {
			out = append(out, name)
		}
	}
	return out
}
