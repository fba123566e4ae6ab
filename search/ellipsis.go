package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/talksearch/talksearch/internal/german"
)

// tokenizerEllipsis names the chain's tokenizer: bleve's Unicode
// tokenizer, which completes German coordination ellipses.
const tokenizerEllipsis = "talksearch_unicode_ellipsis"

// ellipsisTokenizer completes German coordination ellipses. In „Ein- oder
// Ausschalten“, „Vorder- und Rückseite“ or „Benutzer- und
// Gruppenkennungen“ the word before the hyphen shares its head with the
// compound that closes the phrase, so the text never has „Einschalten“,
// „Vorderseite“ or „Benutzerkennungen“ as words. After bleve's Unicode
// tokenizer, each such fragment gets its completed word as an extra token
// at the fragment's position and offsets (a highlight covers „Ein-“).
// The closing compound's head is its last part by the decompounding
// dictionary, or, after a separable verb prefix (ein, aus, an, …), the
// rest of a verb with such a prefix (ausschalten → schalten).
type ellipsisTokenizer struct {
	uni  analysis.Tokenizer
	dict *dictionary
}

// tokenCompleted marks the completed word of an ellipsis. The
// decompounder emits no parts for it: its parts are words of the text
// already (the fragment, the closing compound's head), and counted again
// they gave a page one word twice.
const tokenCompleted analysis.TokenType = 64

// ellipsisConjunctions may stand between the fragments and the closing
// compound („Ein-, Aus- und Umschalten“, „Haushalts- bzw. Finanzplanung“).
var ellipsisConjunctions = map[string]bool{"und": true, "oder": true, "bzw": true, "sowie": true}

// ellipsisWindow bounds the tokens between a fragment and its closing
// compound.
const ellipsisWindow = 8

func (t *ellipsisTokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := t.uni.Tokenize(input)
	var out analysis.TokenStream
	for i, tok := range toks {
		if out != nil {
			out = append(out, tok)
		}
		if !fragmentEnd(input, tok.End) {
			continue
		}
		head := t.closingHead(input, toks[i+1:], string(tok.Term))
		if head == "" {
			continue
		}
		if out == nil {
			out = append(make(analysis.TokenStream, 0, len(toks)+4), toks[:i+1]...)
		}
		out = append(out, &analysis.Token{Term: append(append([]byte(nil), tok.Term...), head...),
			Start: tok.Start, End: tok.End, Position: tok.Position, Type: tokenCompleted})
	}
	if out == nil {
		return toks
	}
	return out
}

// fragmentEnd reports whether the token that ends at end is the fragment
// of an ellipsis: a hyphen follows it directly, and then a space or a
// comma (not a letter: „E-Akte“ is one word).
func fragmentEnd(input []byte, end int) bool {
	r, n := utf8.DecodeRune(input[end:])
	if n == 0 || !isHyphen(r) {
		return false
	}
	next, m := utf8.DecodeRune(input[end+n:])
	return m > 0 && (unicode.IsSpace(next) || next == ',')
}

// closingHead finds, among the tokens after a fragment, the compound that
// closes the ellipsis (past other fragments and conjunctions, after at
// least one conjunction) and returns its head, folded, or "".
func (t *ellipsisTokenizer) closingHead(input []byte, rest analysis.TokenStream, fragment string) string {
	conj := false
	for j, tok := range rest {
		if j >= ellipsisWindow {
			return ""
		}
		term := strings.ToLower(string(tok.Term))
		switch {
		case ellipsisConjunctions[term]:
			conj = true
		case fragmentEnd(input, tok.End):
			// another fragment of the same phrase
		case !conj:
			return ""
		default:
			return t.head(string(tok.Term), fragment)
		}
	}
	return ""
}

// head returns the part of the compound word that a fragment shares:
// its last part by the dictionary, with the word's ending, or, when both
// the fragment and the word are a separable verb prefix and a verb with
// one, the word without its prefix.
func (t *ellipsisTokenizer) head(word, fragment string) string {
	w := german.Fold(word)
	if parts := t.dict.bestSplit(w, 0); len(parts) >= 2 {
		if i := strings.LastIndex(w, parts[len(parts)-1]); i > 0 {
			return w[i:]
		}
	}
	if !slices.Contains(separablePrefixes, german.Fold(fragment)) {
		return ""
	}
	for _, p := range separablePrefixes {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= minPart && !slices.Contains(separablePrefixes, rest) {
			return rest
		}
	}
	return ""
}
