package search

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	stoptoken "github.com/blevesearch/bleve/v2/analysis/token/stop"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/talksearch/talksearch/internal/german"
)

// The German analysis chain. Every full-text field uses one of three
// analyzers built from the same steps, at index and query time:
//
//		unicode tokenizer (ellipses completed, ellipsis.go) → E-prefix →
//		lower case → German stop words →
//		German normalisation (ä/ae→a, ß→ss, …) → [decompounding] → light stemmer (stem.go)
//
//	  - analyzerWhole keeps words whole: exact matches, the highest ranked.
//	  - analyzerParts emits only the parts of compounds ("Servicekonto" →
//	    service, konto): a part finds its compound, ranked below exact.
//	  - analyzerAll emits words and their parts (slide and transcript text),
//	    so snippets highlight a compound when a part matched.
//
// The E-prefix step makes "eAkte", "E-Akte", "E‑Akte", "E Akte" and
// "elektronische Akte" the same two terms (elektronisch, akte).
const (
	analyzerWhole = "talksearch_de"
	analyzerParts = "talksearch_de_parts"
	analyzerAll   = "talksearch_de_all"
	analyzerPairs = "talksearch_de_pairs"

	filterEPrefix    = "talksearch_eprefix"
	filterDecompound = "talksearch_decompound"
	filterPairs      = "talksearch_pairs"
	filterStop       = "talksearch_stop_de"
)

// germanStopWords is the chain's stop-word list: the Snowball German list
// that bleve ships, with each word that has an umlaut or ß also in the
// spellings the chain takes for the same word (ae/oe/ue/ss, and the 1996
// reform's dass for daß). The list predates the reform and knows only the
// umlaut spellings, so „dass“, „fuer“ and „ueber“ were words of a query:
// „dass“ matched nearly every talk, and a question with it needed one
// more word.
func germanStopWords() (analysis.TokenMap, error) {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(de.GermanStopWords); err != nil {
		return nil, fmt.Errorf("search: German stop words: %w", err)
	}
	spell := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")
	for w := range tm {
		if v := spell.Replace(w); v != w {
			tm.AddToken(v)
		}
	}
	return tm, nil
}

// eWord is what a lone "E"/"e" before a word, or the e of "eAkte", means.
const eWord = "elektronisch"

//go:embed dict/words.txt dict/synonyms.txt dict/verbs.txt
var dictFS embed.FS

// dictLines calls fn with each line of a word-list file that has text
// before its "#" comment, and the line's number; it stops at fn's first
// error.
func dictLines(data []byte, fn func(line int, text string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := fn(line, text); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Registering the three token filter types is the package's only init side
// effect, as for bleve's own analysers.
func init() {
	mustRegister(registry.RegisterTokenFilter(filterEPrefix, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		d, err := loadDictionary()
		if err != nil {
			return nil, err
		}
		return &ePrefixFilter{dict: d}, nil
	}))
	mustRegister(registry.RegisterTokenizer(tokenizerEllipsis, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		d, err := loadDictionary()
		if err != nil {
			return nil, err
		}
		return &ellipsisTokenizer{uni: unitok.NewUnicodeTokenizer(), dict: d}, nil
	}))
	mustRegister(registry.RegisterTokenFilter(filterStem, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return stemFilter{}, nil
	}))
	mustRegister(registry.RegisterTokenFilter(filterDecompound, func(cfg map[string]any, _ *registry.Cache) (analysis.TokenFilter, error) {
		d, err := loadDictionary()
		if err != nil {
			return nil, err
		}
		keep, _ := cfg["keep_whole"].(bool)
		return &decompoundFilter{dict: d, keepWhole: keep}, nil
	}))
}

func mustRegister(err error) {
	if err != nil {
		panic(err)
	}
}

// addAnalyzers defines the chain's analyzers in an index mapping.
func addAnalyzers(im *mapping.IndexMappingImpl) error {
	stop, err := germanStopWords()
	if err != nil {
		return err
	}
	tokens := make([]any, 0, len(stop))
	for w := range stop {
		tokens = append(tokens, w)
	}
	slices.SortFunc(tokens, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	if err := im.AddCustomTokenMap(filterStop, map[string]any{"type": tokenmap.Name, "tokens": tokens}); err != nil {
		return fmt.Errorf("search: define the stop words: %w", err)
	}
	if err := im.AddCustomTokenFilter(filterStop, map[string]any{"type": stoptoken.Name, "stop_token_map": filterStop}); err != nil {
		return fmt.Errorf("search: define the stop filter: %w", err)
	}
	if err := im.AddCustomTokenFilter("talksearch_decompound_parts", map[string]any{"type": filterDecompound, "keep_whole": false}); err != nil {
		return err
	}
	if err := im.AddCustomTokenFilter("talksearch_decompound_all", map[string]any{"type": filterDecompound, "keep_whole": true}); err != nil {
		return err
	}
	chain := func(decompound string) []string {
		f := []string{filterEPrefix, lowercase.Name, filterStop, de.NormalizeName}
		if decompound != "" {
			f = append(f, decompound)
		}
		return append(f, filterStem)
	}
	// Neighbouring words as one term ("digital akte"), a stop word
	// between them as "_", for the word-pair fields (pairs.go).
	if err := im.AddCustomTokenFilter(filterPairs, map[string]any{"type": shingle.Name, "min": 2.0, "max": 2.0,
		"output_original": false, "separator": " ", "filler": "_"}); err != nil {
		return err
	}
	for name, filters := range map[string][]string{
		analyzerPairs: append(chain(""), filterPairs),
		analyzerWhole: chain(""),
		analyzerParts: chain("talksearch_decompound_parts"),
		analyzerAll:   chain("talksearch_decompound_all"),
	} {
		// The word pairs keep the text's own neighbours: an ellipsis's
		// completed word would pair with both sides of its fragment.
		tokenizer := tokenizerEllipsis
		if name == analyzerPairs {
			tokenizer = unitok.Name
		}
		err := im.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     tokenizer,
			"token_filters": filters,
		})
		if err != nil {
			return fmt.Errorf("search: define analyzer %s: %w", name, err)
		}
	}
	return nil
}

// dictionary is the set of known words for decompounding, normalised the
// way the chain normalises (lower case, umlauts folded).
type dictionary struct {
	words map[string]bool

	// memo keeps the splits of the words seen, for Filter: an archive
	// repeats its words, and splitting one tries every first part and
	// linking element (13 % of the CPU of writing an index before).
	mu   sync.RWMutex
	memo map[string][]string
}

// maxMemo bounds the memo of splits; beyond it, words are split anew.
const maxMemo = 1 << 18

// splitMemo is split with its answer remembered. The parts returned are
// shared: callers must not change them.
func (d *dictionary) splitMemo(w string) []string {
	d.mu.RLock()
	parts, ok := d.memo[w]
	d.mu.RUnlock()
	if ok {
		return parts
	}
	parts = d.split(w)
	d.mu.Lock()
	if d.memo == nil {
		d.memo = map[string][]string{}
	}
	if len(d.memo) < maxMemo {
		d.memo[w] = parts
	}
	d.mu.Unlock()
	return parts
}

var (
	dictOnce sync.Once
	dictVal  *dictionary
	dictErr  error
)

// loadDictionary parses the embedded word list once.
func loadDictionary() (*dictionary, error) {
	dictOnce.Do(func() {
		data, err := dictFS.ReadFile("dict/words.txt")
		if err != nil {
			dictErr = fmt.Errorf("search: read dictionary: %w", err)
			return
		}
		d := &dictionary{words: map[string]bool{}}
		err = dictLines(data, func(_ int, text string) error {
			if w := strings.TrimSpace(text); utf8.RuneCountInString(w) >= minPart {
				d.words[german.Fold(w)] = true
			}
			return nil
		})
		dictVal, dictErr = d, err
	})
	return dictVal, dictErr
}

// Decompounding limits.
const (
	minPart     = 3  // shortest part
	minCompound = 7  // shortest word that is tried
	maxCompound = 48 // longest word that is tried (runes)
	maxParts    = 5
)

// linking elements (Fugen) allowed between parts, and inflection endings
// allowed after the last part. Normalised forms.
var (
	linkers = []string{"", "s", "es", "n", "en", "e", "er", "ns"}
	endings = []string{"", "e", "en", "n", "s", "es", "er", "ern", "nen", "se", "sen", "in", "innen"}
)

// split returns the parts of a normalised compound, or nil when w is not
// one. It prefers the split with the fewest parts, then the longest last
// part, and also returns the parts of parts ("servicekontoportal" →
// servicekonto, service, konto, portal).
func (d *dictionary) split(w string) []string {
	n := utf8.RuneCountInString(w)
	if n < minCompound || n > maxCompound {
		return nil
	}
	best := d.bestSplit(w, 0)
	if len(best) < 2 {
		return nil
	}
	out := make([]string, 0, len(best)+2)
	for _, p := range best {
		out = append(out, p)
		if sub := d.bestSplit(p, 0); len(sub) >= 2 {
			out = append(out, sub...)
		}
	}
	return out
}

// bestSplit covers w with dictionary words; depth bounds the recursion.
func (d *dictionary) bestSplit(w string, depth int) []string {
	if depth >= maxParts {
		return nil
	}
	var best []string
	// The whole rest as the last part, with an inflection ending.
	for _, e := range endings {
		if stem, ok := strings.CutSuffix(w, e); ok && depth > 0 && utf8.RuneCountInString(stem) >= minPart && d.words[stem] {
			best = []string{stem}
			break
		}
	}
	// A first part, a linking element, and the rest.
	for i := range w {
		if i == 0 || utf8.RuneCountInString(w[:i]) < minPart {
			continue
		}
		head := w[:i]
		if !d.words[head] {
			continue
		}
		for _, l := range linkers {
			rest, ok := strings.CutPrefix(w[i:], l)
			if !ok || utf8.RuneCountInString(rest) < minPart {
				continue
			}
			tail := d.bestSplit(rest, depth+1)
			if tail == nil {
				continue
			}
			cand := append([]string{head}, tail...)
			if best == nil || better(cand, best) {
				best = cand
			}
		}
	}
	return best
}

// better prefers fewer parts, then a longer last part.
func better(a, b []string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return len(a[len(a)-1]) > len(b[len(b)-1])
}

// decompoundFilter adds (keepWhole) or substitutes the parts of compound
// words. Parts carry the whole word's offsets and position, so a highlight
// covers the word.
type decompoundFilter struct {
	dict      *dictionary
	keepWhole bool
}

func (f *decompoundFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input))
	for _, tok := range input {
		if tok.Type == tokenCompleted {
			if f.keepWhole {
				out = append(out, tok)
			}
			continue
		}
		parts := f.dict.splitMemo(string(tok.Term))
		if f.keepWhole {
			out = append(out, tok)
		}
		for _, p := range parts {
			out = append(out, &analysis.Token{Term: []byte(p), Start: tok.Start, End: tok.End, Position: tok.Position, Type: tok.Type})
		}
	}
	return out
}

// ePrefixFilter rewrites the E-prefix family to "elektronisch" + word.
// It runs on the raw tokens (before lower-casing), so it sees "eAkte".
type ePrefixFilter struct {
	dict *dictionary
}

func (f *ePrefixFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input))
	shift := 0
	for _, tok := range input {
		tok.Position += shift
		term := string(tok.Term)
		switch {
		case term == "e" || term == "E":
			// "E-Akte", "E Akte", "E‑Akte": the next token is the word.
			tok.Term = []byte(eWord)
			out = append(out, tok)
		case f.isEWord(term):
			// "eAkte", "eRechnung" (and "eakte" when akte is a known
			// word): two tokens on consecutive positions, like "E Akte".
			rest := term[1:]
			out = append(out,
				&analysis.Token{Term: []byte(eWord), Start: tok.Start, End: tok.End, Position: tok.Position, Type: tok.Type},
				&analysis.Token{Term: []byte(rest), Start: tok.Start, End: tok.End, Position: tok.Position + 1, Type: tok.Type})
			shift++
		default:
			out = append(out, tok)
		}
	}
	return out
}

// isEWord reports whether term is an e-prefixed word: "e" + a capital
// ("eAkte", "eGovernment"), or "e"/"E" + a known word of four or more
// letters ("eakte", "Erechnung"). Words such as "Erfurt" or "Eltern" do
// not qualify: their rest is no dictionary word.
func (f *ePrefixFilter) isEWord(term string) bool {
	if len(term) < 4 || (term[0] != 'e' && term[0] != 'E') {
		return false
	}
	rest := term[1:]
	r, _ := utf8.DecodeRuneInString(rest)
	n := utf8.RuneCountInString(rest)
	switch {
	case unicode.IsUpper(r):
		return term[0] == 'e' && n >= 3
	case unicode.IsLower(r):
		return n >= 4 && f.dict.words[german.Fold(rest)]
	}
	return false
}
