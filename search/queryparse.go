package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query syntax for power users. Plain input of any shape is valid: what
// does not parse as syntax is searched as plain words.
//
//	"Phrase in Anführungszeichen"   the words in this order
//	-wort                           talks without this word
//	a OR b                          either word
//	speaker:Weber  topic:eAkte      a word in one field (see fieldAliases)
//	Digi*                           words starting so (two letters or more)

// qterm is one parsed query term.
type qterm struct {
	text   string // the word, or the phrase's words
	field  string // one of fieldAliases' values, or "" for all text fields
	phrase bool
	prefix bool
	noun   bool // capitalised after the query's first word, as German writes nouns
}

// qgroup is one or more alternatives joined with OR.
type qgroup []qterm

// parsedQuery is a query split into positive groups and excluded terms.
type parsedQuery struct {
	groups []qgroup
	not    []qterm
}

// fieldAliases maps the field names users may type to search targets.
var fieldAliases = map[string]string{
	"speaker": "people", "referent": "people", "referentin": "people", "person": "people", "sprecher": "people",
	"organisation": "people", "org": "people",
	"topic": "topics", "thema": "topics",
	"title": "title", "titel": "title",
	"state": "about", "land": "about", "bundesland": "about",
	"kind": "about", "art": "about", "format": "about",
	"event": "about", "veranstaltung": "about",
	"year": "year", "jahr": "year",
}

// parseQuery splits raw input into groups. It never fails.
func parseQuery(raw string) parsedQuery {
	toks := lexQuery(raw)
	var pq parsedQuery
	joinNext := false
	for _, t := range toks {
		if t.or {
			joinNext = len(pq.groups) > 0
			continue
		}
		if t.negate {
			pq.not = append(pq.not, t.qterm)
			joinNext = false
			continue
		}
		if joinNext {
			last := &pq.groups[len(pq.groups)-1]
			*last = append(*last, t.qterm)
		} else {
			pq.groups = append(pq.groups, qgroup{t.qterm})
		}
		joinNext = false
	}
	markNouns(pq.groups)
	return pq
}

// markNouns marks the plain words after the first group that begin with a
// capital letter: German capitalises nouns, so "Dienst" is no verb form
// of "dienen", while "dient" or "Dient" at the start may be.
func markNouns(groups []qgroup) {
	for i := 1; i < len(groups); i++ {
		for j := range groups[i] {
			t := &groups[i][j]
			r, _ := utf8.DecodeRuneInString(t.text)
			t.noun = !t.phrase && !t.prefix && unicode.IsUpper(r)
		}
	}
}

type lexTok struct {
	qterm
	negate bool
	or     bool
}

// lexQuery splits input into terms, phrases and OR operators.
func lexQuery(raw string) []lexTok {
	norm := normalizeQuotes(raw)
	var toks []lexTok
	i := 0
	for i < len(norm) {
		r, size := utf8.DecodeRuneInString(norm[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		start := i
		var tok lexTok
		tok, i = readToken(norm, i)
		if i == start {
			i++ // a lone quote; skip it
			continue
		}
		if !tok.phrase && !tok.negate && tok.text == "OR" {
			toks = append(toks, lexTok{or: true})
			continue
		}
		if !tok.phrase {
			tok = refineToken(tok)
		}
		tok.text = strings.TrimSpace(tok.text)
		if tok.text == "" {
			continue
		}
		toks = append(toks, tok)
	}
	return toks
}

// normalizeQuotes makes typographic quotes plain ones; unbalanced quotes
// are not syntax, so then all are dropped.
func normalizeQuotes(raw string) string {
	norm := strings.NewReplacer("„", `"`, "“", `"`, "”", `"`).Replace(raw)
	if strings.Count(norm, `"`)%2 == 1 {
		norm = strings.ReplaceAll(norm, `"`, " ")
	}
	return norm
}

// readToken reads one token at norm[i:], which is not a space: up to
// whitespace, or a quoted phrase, with a leading minus. It returns the
// token and where the next begins.
func readToken(norm string, i int) (lexTok, int) {
	var tok lexTok
	if norm[i] == '-' && i+1 < len(norm) && !isSpaceAt(norm, i+1) {
		tok.negate = true
		i++
	}
	wordStart := i
	if i < len(norm) && norm[i] == '"' {
		end := strings.IndexByte(norm[i+1:], '"')
		tok.text = norm[i+1 : i+1+end]
		tok.phrase = true
		return tok, i + end + 2
	}
	for i < len(norm) {
		r, size := utf8.DecodeRuneInString(norm[i:])
		if unicode.IsSpace(r) {
			break
		}
		if r == '"' {
			// field:"a phrase"
			if i > wordStart && norm[i-1] == ':' {
				end := strings.IndexByte(norm[i+1:], '"')
				i += end + 2
			}
			break
		}
		i += size
	}
	tok.text = norm[wordStart:i]
	return tok, i
}

// sentencePunct is the punctuation of a sentence that clings to a word:
// "Wie drucke ich Etiketten?" asks for "Etiketten". The analyzers drop it
// anyway, but the archive's vocabulary is looked up by the word as typed.
const sentencePunct = "?!.,;:()[]{}'»«›‹¿¡"

// refineToken reads a field name ("speaker:Weber", `title:"a phrase"`)
// and a trailing star (a prefix of at least two letters) from a term, and
// trims the sentence punctuation around it.
func refineToken(tok lexTok) lexTok {
	if name, value, ok := strings.Cut(tok.text, ":"); ok && value != "" {
		if f, known := fieldAliases[strings.ToLower(name)]; known {
			tok.field = f
			tok.text = value
			if strings.HasPrefix(value, `"`) && strings.HasSuffix(value, `"`) && len(value) >= 2 {
				tok.text = value[1 : len(value)-1]
				tok.phrase = true
			}
		}
	}
	if t := strings.Trim(tok.text, sentencePunct); t != "" {
		tok.text = t
	}
	if rest, ok := strings.CutSuffix(tok.text, "*"); ok && utf8.RuneCountInString(strings.TrimRight(rest, "*")) >= 2 {
		tok.text = strings.TrimRight(rest, "*")
		tok.prefix = true
	}
	return tok
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r) || r == '-'
}
