package search

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/talksearch/talksearch/internal/german"
)

// fieldBoost is a talk field and the weight of a match in it.
type fieldBoost struct {
	field string
	boost float64
}

// Talk-level fields. A match in the title or topics outranks one in the
// body text; whole-word fields outrank the parts fields, so an exact match
// ranks above a match inside a compound.
var (
	wholeFields = []fieldBoost{{fieldTitle, 4}, {fieldTopics, 3}, {fieldPeople, 2}, {fieldAbout, 1}, {fieldBody, 1}}
	partFields  = []fieldBoost{{fieldTitleParts, 4}, {fieldTopicsParts, 3}, {fieldBodyParts, 1}}
	// The lead of a talk titled only by its file name (leadText) stands
	// in for the title at half its weight. It is searched only in an
	// archive that has leads: an extra field per word would change
	// bleve's coordination factor for archives whose talks all have
	// titles.
	leadWhole = fieldBoost{fieldLead, 2}
	leadParts = fieldBoost{fieldLeadParts, 2}
)

// Weights of the ways a query word can match, relative to an exact match.
const (
	weightPart           = 0.3 // the word is part of a compound in the talk
	weightSplit          = 0.4 // the query word is a compound, its parts occur
	weightSynonym        = 0.9 // an equivalent from the synonym list occurs
	weightVerbForm       = 0.8 // another form of the same verb occurs
	weightDerived        = 0.5 // a word derived from it, or it from, occurs (question)
	weightDerivedKeyword = 0.3 // the same in a keyword query
	weightRarestPart     = 0.1 // only the rarest part of a compound in the query occurs
	weightFuzzy          = 0.25
	weightPrefix         = 0.8
	minFuzzyLetters1     = 5 // one typo from five letters on
	minFuzzyLetters2     = 9 // two from nine
)

// textQuery is a parsed and analysed free-text query.
type textQuery struct {
	talk        query.Query     // matches talk documents; nil for no text
	passages    []query.Query   // any of these marks a slide or segment passage
	passageSeen map[string]bool // the terms and prefixes in passages
	empty       bool            // there was text, but nothing searchable in it
	words       []string        // the plain words, for "Meinten Sie …?"
	vocab       *vocab          // the archive's vocabulary, for this request
	question    bool            // the input is phrased as a question
	lead        bool            // the archive has leads (talkTable.leads): search them
	budget      *budget         // what is left of the expansion budget

	// The pieces of talk, for matching part of the words (partial.go):
	// one clause per query word or group, the user's word(s) each clause
	// stands for, how many clauses talk needs and the excluded terms.
	clauses     []query.Query
	clauseWords []string
	minShould   int
	nots        []query.Query
	// cover, for a question, admits and scores talks by the rarity of
	// the words they have (coverage.go); nil until the snapshot weighs
	// the clauses.
	cover *coverage
	// coverSets are the talks each clause matches, of all talks, as the
	// snapshot read them to weigh a question's clauses; relax reuses
	// them when no filter applies.
	coverSets []rowSet
}

// full is the query of the talks that match enough of tq's words.
func (tq textQuery) full() query.Query {
	if tq.cover != nil {
		return &covered{qs: tq.clauses, cov: tq.cover}
	}
	b := query.NewBooleanQuery(nil, tq.clauses, nil)
	b.SetMinShould(float64(tq.minShould))
	return b
}

// target is where one query term is looked for.
type target struct {
	whole []fieldBoost
	parts []fieldBoost
}

// questionTitle scales a title match in a question. A question describes
// a task in the asker's words and is answered by a page's text; the
// title names the task in the archive's words (measured on the held-out
// dev questions: ×0.5 0.571, ×0.75 0.588, ×1 0.578, ×1.5 0.555).
const questionTitle = 0.75

// questionLead scales a lead match in a question (German chain). In an
// archive with leads (a folder of PDFs titled by their file names) the
// lead is a page's statement of its purpose, as a man page's name line
// "lsusb - USB-Geräte auflisten", which is what a question asks for; the
// body lists options. Pre-registered, one value (notes, entry 32): the 30
// fresh man-page dev questions 0.265 → 0.276 (study half 0.153 → 0.154,
// confirming half 0.376 → 0.397), the five older ones unchanged; archives
// without leads cannot move. The stock chain keeps the lead's keyword
// weight: with ×2 its fresh questions fell 0.215 → 0.182.
const questionLead = 2

// forQuestion is t with its title fields scaled by questionTitle and its
// lead fields by lead.
func (t target) forQuestion(lead float64) target {
	scale := func(fs []fieldBoost) []fieldBoost {
		out := slices.Clone(fs)
		for i := range out {
			switch out[i].field {
			case fieldTitle, fieldTitleParts:
				out[i].boost *= questionTitle
			case fieldLead, fieldLeadParts:
				out[i].boost *= lead
			}
		}
		return out
	}
	return target{whole: scale(t.whole), parts: scale(t.parts)}
}

// targets returns the fields that a word with the given field alias ("" for
// none) is searched in; lead adds the lead fields (textQuery.lead), also
// to "title": a talk titled by its file name has its title in the lead.
func (ix *Index) targets(alias string, lead bool) target {
	germanChain := ix.opt.Analysis != AnalysisStock
	t := target{whole: wholeFields}
	if germanChain {
		t.parts = partFields
	}
	if lead && (alias == "" || alias == "title") {
		t.whole = append(slices.Clip(t.whole), leadWhole)
		if germanChain {
			t.parts = append(slices.Clip(t.parts), leadParts)
		}
	}
	pick := func(fs []fieldBoost, names ...string) []fieldBoost {
		var out []fieldBoost
		for _, f := range fs {
			for _, n := range names {
				if f.field == n {
					out = append(out, f)
				}
			}
		}
		return out
	}
	switch alias {
	case "people":
		t = target{whole: pick(wholeFields, fieldPeople)}
	case "topics":
		t.whole, t.parts = pick(wholeFields, fieldTopics), pick(t.parts, fieldTopicsParts)
	case "title":
		t.whole, t.parts = pick(t.whole, fieldTitle, fieldLead), pick(t.parts, fieldTitleParts, fieldLeadParts)
	case "about":
		t = target{whole: pick(wholeFields, fieldAbout)}
	}
	return t
}

// analyze runs text through one of the index's analyzers. The completed
// words of ellipses are left out: they stand beside a word, not in the
// sequence that a synonym or phrase compares (the synonym „Deutscher
// Städte- und Gemeindebund“ would gain „Städtebund“ between its words).
func (ix *Index) analyzeWith(analyzer, text string) []string {
	a := ix.b.Mapping().AnalyzerNamed(analyzer)
	if a == nil {
		return nil
	}
	return termsOf(a, text)
}

// termsOf runs text through the analyzer a and returns its terms, without
// the completed words of ellipses (analyzeWith).
func termsOf(a analysis.Analyzer, text string) []string {
	out := []string{} // empty, not nil, for a stop word
	for _, tok := range a.Analyze([]byte(text)) {
		if tok.Type != tokenCompleted {
			out = append(out, string(tok.Term))
		}
	}
	return out
}

// analyzeFolded analyses a word of the archive's vocabulary v, which
// keeps words folded (umlauts without dots, ß as ss), as the whole-word
// fields hold it. Folding can turn a word into a stop word: "ändern"
// folds to "andern" (other), whose analysis is empty, while the index
// holds "ändern" as "and". A folded word that analyses to nothing is
// therefore read with one umlaut restored, when the index has the term
// that reading gives (Änderung → ändern was no verb form, so
// "Zeitstempeländerung" found no page that says "Zeitstempel ändern").
// Only words of six letters or more: a short stop word's umlaut reading
// often shares its stem with a real word ("unter" as "ünter" with
// "unten"). One longer stop word reads as a verb this way too ("anders"
// as the stem of "ändern"); it then counts as a word where the archive
// has it inside a compound, which costs nothing measurable.
// With a vocab, the reading is kept for the request (vocab.folded): the
// vocab's stop check and the clauses of the same word read it once.
func (ix *Index) analyzeFolded(v *vocab, w string) []string {
	if v == nil {
		return ix.readFolded(nil, w)
	}
	terms, ok := v.folded[w]
	if !ok {
		terms = ix.readFolded(v, w)
		v.folded[w] = terms
	}
	return terms
}

// readFolded is analyzeFolded without the vocab's memory.
func (ix *Index) readFolded(v *vocab, w string) []string {
	terms := ix.analyzeWith(ix.wholeAnalyzer(), w)
	if len(terms) > 0 || ix.opt.Analysis == AnalysisStock || v == nil || utf8.RuneCountInString(w) < 6 {
		return terms
	}
	for i := 0; i < len(w); i++ {
		var u string
		switch w[i] {
		case 'a':
			u = "ä"
		case 'o':
			u = "ö"
		case 'u':
			u = "ü"
		default:
			continue
		}
		if t := ix.analyzeWith(ix.wholeAnalyzer(), w[:i]+u+w[i+1:]); len(t) == 1 && v.hasTerm(t[0]) {
			return t
		}
	}
	return terms
}

func (ix *Index) wholeAnalyzer() string {
	if ix.opt.Analysis == AnalysisStock {
		return stockAnalyzer
	}
	return analyzerWhole
}

// parseText builds the talk and passage queries for raw input; leads says
// whether the archive has leads to search (talkTable.leads).
func (ix *Index) parseText(ctx context.Context, raw string, leads bool) textQuery {
	pq := parseQuery(raw)
	tq := textQuery{budget: newBudget(), lead: leads}
	ix.planPrefixes(ctx, tq.budget, pq)
	germanChain := ix.opt.Analysis != AnalysisStock
	if germanChain {
		pq.groups = ix.splitUnknownPieces(ctx, tq.budget, pq.groups)
		tq.vocab = ix.newVocab(ctx, tq.budget)
		defer tq.vocab.close()
		if isQuestion(raw, pq) {
			pq.groups = joinParticle(tq.vocab, raw, pq.groups)
		}
	}

	// Each plain single-word group may take part in a synonym phrase.
	wordTerms := make([][]string, len(pq.groups))
	for i, g := range pq.groups {
		if len(g) == 1 && isPlain(g[0]) {
			wordTerms[i] = ix.analyzeWith(ix.wholeAnalyzer(), g[0].text)
			tq.words = append(tq.words, g[0].text)
		}
	}
	question := isQuestion(raw, pq)
	tq.question = question
	dropFiller := germanChain && hasNonFiller(pq, wordTerms)
	clauses, clauseWords, words := ix.groupClauses(ctx, &tq, pq, wordTerms, germanChain, dropFiller)
	nots := ix.notQueries(ctx, tq.budget, pq.not)
	if len(clauses) == 0 && len(nots) == 0 {
		tq.empty = raw != ""
		return tq
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	if len(clauses) > 0 {
		tq.clauses, tq.clauseWords = clauses, clauseWords
		tq.minShould = minShouldMatch(len(clauses), words, question)
		if question {
			// Half of the words that tell talks apart: a word that most
			// talks of this archive have says little about which one
			// answers the question.
			tq.minShould = max(1, (len(clauses)-tq.vocab.common(clauseWords)+1)/2)
		}
		b.AddShould(clauses...)
		b.SetMinShould(float64(tq.minShould))
	} else {
		b.AddMust(query.NewMatchAllQuery())
	}
	if len(nots) > 0 {
		b.AddMustNot(nots...)
		tq.nots = nots
	}
	tq.talk = b
	return tq
}

// splitUnknownPieces replaces each plain hyphenated word with a piece
// of three letters or more that the archive does not have
// ("Direkt-Cusror") by its pieces, as words of their own. As one word its
// pieces must stand side by side, which no talk has, and a word of
// several pieces gets none of a word's expansions; as words, the
// misspelt piece is matched with its typo, and the query, now of several
// words, falls back to the talks with some of them (no dead end). Where
// the archive writes the pieces joined ("Kernelringpuffer"), each of the
// two neighbouring words also finds the joined word (joinedClauses).
func (ix *Index) splitUnknownPieces(ctx context.Context, b *budget, groups []qgroup) []qgroup {
	var out []qgroup
	for gi, g := range groups {
		pieces := hyphenPieces(g)
		if len(pieces) < 2 || !ix.hasUnknown(ctx, b, pieces) {
			out = append(out, g)
			continue
		}
		for pi, p := range pieces {
			r, _ := utf8.DecodeRuneInString(p)
			out = append(out, qgroup{{text: p, noun: (gi > 0 || pi > 0) && unicode.IsUpper(r)}})
		}
	}
	return out
}

// hyphenPieces returns the pieces of a group that is one plain word
// written with hyphens, else nil.
func hyphenPieces(g qgroup) []string {
	if len(g) != 1 || !isPlain(g[0]) || !strings.ContainsAny(g[0].text, hyphens) {
		return nil
	}
	return strings.FieldsFunc(g[0].text, isHyphen)
}

// hyphens are the characters that join the pieces of a word.
const hyphens = "-\u2010\u2011"

func isHyphen(r rune) bool { return strings.ContainsRune(hyphens, r) }

// hasUnknown reports whether a piece of three letters or more is no
// word of the archive.
func (ix *Index) hasUnknown(ctx context.Context, b *budget, pieces []string) bool {
	for _, p := range pieces {
		terms := ix.analyzeWith(ix.wholeAnalyzer(), p)
		if utf8.RuneCountInString(p) >= 3 && len(terms) == 1 && !ix.known(ctx, b, terms[0], wholeFields) {
			return true
		}
	}
	return false
}

// groupClauses builds one clause per query group (a synonym phrase is one
// clause for its words), the words as typed that each clause stands for,
// and counts the query words they stand for.
func (ix *Index) groupClauses(ctx context.Context, tq *textQuery, pq parsedQuery, wordTerms [][]string, germanChain, dropFiller bool) (clauses []query.Query, clauseWords []string, words int) {
	// wordClause[i] is the clause of group i when it is a plain word's
	// own (no synonym phrase, acronym or joined compound), else absent.
	wordClause := map[int]int{}
	for i := 0; i < len(pq.groups); i++ {
		if germanChain {
			if g, n := ix.syn.match(wordTerms, i); g >= 0 {
				if q := ix.synonymQuery(tq, g); q != nil {
					clauses = append(clauses, q)
					clauseWords = append(clauseWords, groupText(pq.groups[i:i+n]))
					for _, w := range wordTerms[i : i+n] {
						if len(w) > 0 {
							words++
						}
					}
				}
				i += n - 1
				continue
			}
		}
		if germanChain {
			if qs, ws, j := ix.acronymClauses(ctx, tq, pq, wordTerms, i); qs != nil {
				// A long form of an acronym the archive writes: each
				// word, or the acronym.
				clauses = append(clauses, qs...)
				clauseWords = append(clauseWords, ws...)
				words += len(qs)
				i = j
				continue
			}
			if qs, j := ix.joinedClauses(ctx, tq, pq, wordTerms, i); qs != nil {
				// Two neighbouring words the archive writes as one
				// compound: each word, or the compound.
				clauses = append(clauses, qs...)
				clauseWords = append(clauseWords, groupText(pq.groups[i:i+1]), groupText(pq.groups[j:j+1]))
				words += 2
				i = j
				continue
			}
		}
		if dropFiller && len(wordTerms[i]) > 0 && isFiller(pq.groups[i][0]) {
			// Filler words of questions and requests ("Welche Erfahrungen
			// gibt es mit …?") say nothing about the talk sought.
			continue
		}
		var alts []query.Query
		for _, t := range pq.groups[i] {
			if q := ix.termQuery(ctx, tq, t, germanChain); q != nil {
				alts = append(alts, q)
			}
		}
		switch len(alts) {
		case 0:
			continue
		case 1:
			clauses = append(clauses, alts[0])
			if len(pq.groups[i]) == 1 && isPlain(pq.groups[i][0]) && len(wordTerms[i]) == 1 {
				wordClause[i] = len(clauses) - 1
			}
		default:
			clauses = append(clauses, query.NewDisjunctionQuery(alts))
		}
		clauseWords = append(clauseWords, groupText(pq.groups[i:i+1]))
		words++
	}
	if germanChain {
		ix.addPhrasePairs(tq, pq, wordClause, clauses)
	}
	return clauses, clauseWords, words
}

// addPhrasePairs adds to the clause of each query word the phrase it
// makes with the next word, where a page has the two side by side: in
// each field with a word-pair twin, the two words' scores there
// (pairPhrase), summed over the fields. Two words qualify that stand next
// to each other in the query, with no stop word between. The phrase
// implies both words, so the talks a query matches stay the same; only
// their order changes, and that of each talk's slides. Measured on the dev halves (relevance journal,
// entries 106–110): sample 0.9788 → 0.9806, LibreOffice 0.8242 →
// 0.8285, man pages 0.7614 → 0.7620, GIMP 0.8568 → 0.8607, Debian Edu
// 0.8686 → 0.8691; 18 of the 25 queries that moved rose. A pair term
// alone, scored as one rare term and coordinated over the fields, moved
// nothing (entry 106).
func (ix *Index) addPhrasePairs(tq *textQuery, pq parsedQuery, wordClause map[int]int, clauses []query.Query) {
	tg := ix.targets("", tq.lead)
	if tq.question {
		tg = tg.forQuestion(questionLead)
	}
	marked := map[string]bool{} // the pairs that mark passages already
	for i := 0; i+1 < len(pq.groups); i++ {
		k, ok := wordClause[i]
		if _, next := wordClause[i+1]; !ok || !next {
			continue
		}
		text := pq.groups[i][0].text + " " + pq.groups[i+1][0].text
		words := ix.neighbours(text)
		if len(words) != 2 {
			continue
		}
		phrase := phraseOfWords(text, words)
		if pair := words[0] + " " + words[1]; !marked[pair] {
			// The slide with the phrase is the one to show (entry 112);
			// a pair the query repeats marks them once.
			marked[pair] = true
			tq.addPassage(phrase(fieldText))
		}
		var alts []query.Query
		for _, f := range tg.whole {
			if pairFieldOf(f.field) == "" {
				continue
			}
			q := phrase(f.field)
			q.SetBoost(f.boost)
			alts = append(alts, q)
		}
		if len(alts) > 0 {
			clauses[k] = sumOf([]query.Query{clauses[k], sumOf(alts)})
		}
	}
}

// hasNonFiller reports whether a group of pq is more than a filler word,
// so that filler words can be dropped with something left.
func hasNonFiller(pq parsedQuery, wordTerms [][]string) bool {
	for i, g := range pq.groups {
		if len(g) != 1 || !isPlain(g[0]) || len(wordTerms[i]) > 0 && !isFiller(g[0]) {
			return true
		}
	}
	return false
}

// notQueries are the queries of excluded terms; they mark no passages.
func (ix *Index) notQueries(ctx context.Context, b *budget, terms []qterm) []query.Query {
	var nots []query.Query
	for _, t := range terms {
		scratch := textQuery{budget: b}
		if q := ix.termQuery(ctx, &scratch, qterm{text: t.text, field: t.field, phrase: t.phrase}, false); q != nil {
			nots = append(nots, q)
		}
	}
	return nots
}

func isPlain(t qterm) bool { return t.field == "" && !t.phrase && !t.prefix }

// termQuery builds the talk query of one term and adds its passage
// queries. expand enables parts, fuzzy matching and such (German chain).
func (ix *Index) termQuery(ctx context.Context, tq *textQuery, t qterm, expand bool) query.Query {
	if t.field == "year" {
		q := query.NewTermQuery(t.text)
		q.SetField(FieldYear)
		return q
	}
	tg := ix.targets(t.field, tq.lead)
	if tq.question {
		lead := 1.0
		if ix.opt.Analysis != AnalysisStock {
			lead = questionLead
		}
		tg = tg.forQuestion(lead)
	}
	if t.phrase {
		var alts []query.Query
		ix.addPhrase(&alts, tq, t.text, tg.whole, 1)
		return query.NewDisjunctionQuery(alts)
	}
	if t.prefix {
		var alts []query.Query
		p := german.Fold(t.text)
		if !tq.budget.allowPrefix(p) {
			// Over budget: the prefix matches only as the word itself.
			addEach(&alts, tq, tg.whole, weightPrefix, termOf(p))
			return query.NewDisjunctionQuery(alts)
		}
		addEach(&alts, tq, tg.whole, weightPrefix, prefixOf(p))
		return query.NewDisjunctionQuery(alts)
	}

	whole := ix.analyzeWith(ix.wholeAnalyzer(), t.text)
	if len(whole) == 0 {
		return nil // a stop word, punctuation, an emoji
	}
	// The word's own clauses and its expansions are two groups
	// (wordQuery, questionWordQuery).
	clauses := ix.ownClauses(tq, t.text, whole, tg, expand)
	if !expand {
		return query.NewDisjunctionQuery(clauses)
	}
	exact := len(clauses)
	expanded := ix.expansions(ctx, clauses, tq, t, whole, tg)
	if tq.question {
		return questionWordQuery(expanded, exact)
	}
	return wordQuery(expanded, exact)
}

// ownClauses are the clauses of the query word text (analysed: whole)
// itself: the word in each field and, with expand (German chain), inside
// compounds and in the archive's hyphenated spelling. Within them, bleve's
// coordination factor (matched clauses / all clauses) has the same
// denominator for every talk and favours talks matching in more fields.
func (ix *Index) ownClauses(tq *textQuery, text string, whole []string, tg target, expand bool) []query.Query {
	var clauses []query.Query
	switch {
	case len(whole) > 1:
		// "eAkte", "E-Akte", "Service-Konto": the pieces next to each
		// other, as the analyzer puts them for every spelling.
		ix.addPhrase(&clauses, tq, text, tg.whole, 1)
	case !expand:
		addTerms(&clauses, whole, tg.whole, 1)
		tq.addPassageTerms(whole)
	case !tq.question:
		// In a keyword query, the word inside compounds adds to the
		// word in the same field (addPaired).
		hyphenated := ix.hyphenated(tq, text)
		addPaired(&clauses, whole[0], tg, hyphenated)
		tq.addPassageTerms(whole)
		if hyphenated != nil {
			tq.addPassage(hyphenated(fieldText))
		}
	default:
		// A question sums its word's clauses (questionWordQuery).
		addTerms(&clauses, whole, tg.whole, 1)
		tq.addPassageTerms(whole)
		addTerms(&clauses, whole, tg.parts, weightPart)
		if hyphenated := ix.hyphenated(tq, text); hyphenated != nil {
			addEach(&clauses, tq, tg.whole, 1, hyphenated)
		}
	}
	return clauses
}

// expansions appends to clauses the other ways the query word t
// (analysed: whole) can match: joined without hyphens, its compound parts
// or known pieces, the archive's compounds and verb forms of it, and, when
// the archive lacks it, those of unknownWord.
func (ix *Index) expansions(ctx context.Context, clauses []query.Query, tq *textQuery, t qterm, whole []string, tg target) []query.Query {
	text := t.text
	if joined := strings.NewReplacer("-", "", "\u2011", "", "\u2010", "").Replace(text); joined != text {
		// "Service-Konto" also as "Servicekonto".
		if j := ix.analyzeWith(ix.wholeAnalyzer(), joined); len(j) > 0 {
			addTerms(&clauses, j, tg.whole, 1)
			tq.addPassageTerms(j)
		}
	}
	if parts := ix.analyzeWith(analyzerParts, text); len(parts) >= 2 {
		// A compound in the query: its parts anywhere in the talk.
		clauses = append(clauses, allOf(parts, tg.whole, weightSplit))
		tq.addPassageTerms(parts)
	}
	known := len(whole) == 1 && ix.known(ctx, tq.budget, whole[0], tg.whole)
	if len(whole) == 1 {
		folded := german.Fold(text)
		ix.addSplits(&clauses, tq, folded, whole[0], tg.whole, known)
		// The compounds of the archive that begin or end with a word it
		// never has on its own ("PGP" → OpenPGP).
		for _, c := range tq.vocab.compoundsWith(folded) {
			ix.addForm(&clauses, tq, c, whole[0], tg.whole, weightPart)
		}
		ix.addHeaded(&clauses, tq, folded, whole[0], tg.whole)
		// Other forms of the same verb: participle, infinitive.
		for _, f := range tq.vocab.verbForms(folded, t.noun) {
			ix.addForm(&clauses, tq, f, whole[0], tg.whole, weightVerbForm)
		}
		ix.addDerived(&clauses, tq, t, folded, whole[0], tg.whole)
		ix.addThesaurus(&clauses, tq, folded, whole[0], tg.whole)
	}
	if len(whole) == 1 && !known {
		clauses = ix.unknownWord(ctx, clauses, tq, text, whole[0], tg)
	}
	if len(whole) > 1 {
		ix.addHyphenPieces(&clauses, tq, text, tg.whole)
	}
	return clauses
}

// addHyphenPieces appends the pieces of the word text, written with a
// hyphen, alone, far below, as the parts of a compound (loneParts), so
// that it is no dead end where no talk has its pieces together. In a
// question each piece ("Calc-Tabelle" where the page says "Tabelle";
// held-out dev questions unchanged, sample questions 0.933 → 0.942), else
// the rarest (dev joined ↔ hyphenated 0.985 → 0.987).
func (ix *Index) addHyphenPieces(clauses *[]query.Query, tq *textQuery, text string, fields []fieldBoost) {
	var parts [][]string
	for _, p := range strings.FieldsFunc(text, isHyphen) {
		parts = append(parts, []string{german.Fold(p)})
	}
	for _, f := range loneParts(tq, parts) {
		ix.addLonePart(clauses, tq, f, "", fields)
	}
}

// addDerived appends the derivations of the query word t (folded;
// analysed: own): Schwärzung for schwärzen, Vertraulichkeit for
// vertraulich, Begrenzungen for begrenzt. A question describes what it
// seeks in its own words (weightDerived); a keyword query names it, so
// there a derivation counts as little as the word inside a compound
// (weightDerivedKeyword). Left out of keyword queries, held-out dev rose
// on the LibreOffice help (inflection 0.887 → 0.895), but on the man
// pages, written later, the inflection query "Prozessressource begrenzt"
// lost its page, which says "Begrenzungen". Measured on both dev halves,
// keyword derivations at 0.3: LibreOffice overall 0.786 → 0.786
// (inflection 0.904 → 0.902), man pages 0.565 → 0.599 (inflection
// 0.523 → 0.723, compound in the text 0.731 → 0.783); at 0.5 the
// man-page typos fell (0.660 → 0.590); 0.15–0.3 measure alike.
func (ix *Index) addDerived(clauses *[]query.Query, tq *textQuery, t qterm, folded, own string, fields []fieldBoost) {
	w := weightDerived
	if !tq.question {
		w = weightDerivedKeyword
	}
	for _, f := range tq.vocab.derivedForms(folded, t.noun) {
		ix.addForm(clauses, tq, f, own, fields, w)
	}
}

// addSplits appends the parts of the query compound folded (analysed:
// own) as the archive spells them, or, when the archive has neither the
// word (known) nor a split of it into its words, its known pieces far
// below, so that one such word is no dead end.
func (ix *Index) addSplits(clauses *[]query.Query, tq *textQuery, folded, own string, fields []fieldBoost, known bool) {
	// A compound the archive explains: its parts, as the archive
	// spells them, anywhere in the talk.
	parts := tq.vocab.split(folded)
	if len(parts) < 2 && !known {
		// No split into words of the archive: its known pieces, far
		// below, so that one such word is no dead end.
		for _, p := range tq.vocab.looseParts(folded) {
			ix.addLonePart(clauses, tq, p, own, fields)
		}
	}
	if len(parts) >= 2 {
		*clauses = append(*clauses, ix.partsQuery(tq, tq.vocab.withParticiples(parts), fields, weightSplit))
		ix.addSplitPhrases(clauses, tq, parts, fields)
		// Where no talk has every part, the rarest part alone, far
		// below: the most specific thing the query names. Not for a
		// compound the archive writes with a hyphen: that is found.
		if tq.vocab.hyphenSplit(folded) == nil {
			for _, f := range loneParts(tq, parts) {
				ix.addLonePart(clauses, tq, f, own, fields)
			}
		}
	}
}

// addSplitPhrases appends, in a keyword query, the two parts of a query
// compound next to each other, in the compound's order and in each of
// the forms the archive has (the word-pair fields): „Auswahl umkehren“
// is *Auswahlumkehrung* said in two words, *Kernel Ringpuffer* is
// *Kernelringpuffer* spaced. The parts anywhere in a talk (partsQuery)
// also match a page titled „Wert umkehren“ that names an *Auswahl*
// somewhere. At the split's weight, as further clauses of the word's
// forms. Measured on the dev halves (notes, entry 54): GIMP help
// 0.844 → 0.854 (compound in the query 0.714 → 0.792), man pages
// 0.753 → 0.757, LibreOffice 0.816 → 0.817; sample unchanged; at
// weight 1 two confirming means fell. Questions score their forms by
// the best (questionWordQuery) and are left as they were.
func (ix *Index) addSplitPhrases(clauses *[]query.Query, tq *textQuery, parts [][]string, fields []fieldBoost) {
	if tq.question || len(parts) != 2 {
		return
	}
	for _, a := range parts[0] {
		for _, b := range parts[1] {
			// Both forms must stay words: "ändern" folds to the stop
			// word "andern", and the phrase would be "Zeitstempel" alone.
			if p := a + " " + b; len(ix.neighbours(p)) == 2 {
				ix.addPhrase(clauses, tq, p, fields, weightSplit)
			}
		}
	}
}

// addHeaded appends the archive's compounds headed by the question word
// folded (analysed: own) that the dictionary does not split: a question
// asks for a *Link* where the page says *Hyperlink*. The compounds the
// dictionary splits are found through the parts fields already.
func (ix *Index) addHeaded(clauses *[]query.Query, tq *textQuery, folded, own string, fields []fieldBoost) {
	if !tq.question {
		return
	}
	for _, c := range tq.vocab.headedBy(folded) {
		if len(ix.analyzeWith(analyzerParts, c)) < 2 {
			ix.addForm(clauses, tq, c, own, fields, weightPart)
		}
	}
}

// loneParts are the parts of a query compound that may match alone, far
// below the compound: the rarest part, the most specific thing the query
// names. In a question every part: a question describes what is sought in
// the asker's words, and its compound often names in one word what the
// page says with one of its parts ("Tabellenblatt" where the page says
// "Tabelle", "Textabschnitt" where it says "Text"). A question's words
// need not all match, so a part that is too general only adds a little to
// talks that match others of its words.
//
// In a keyword query, a compound whose last part is an action (a noun made
// of a verb the archive has: Druckereinrichtung, Dateiaufteilung) also
// has its first part, the thing acted on, which the rarest part often
// is not (relevance journal, entry 87).
func loneParts(tq *textQuery, parts [][]string) []string {
	if !tq.question {
		out := []string{tq.vocab.rarest(parts)}
		if obj := tq.vocab.actedOn(parts); obj != "" && obj != out[0] {
			out = append(out, obj)
		}
		return out
	}
	var out []string
	for _, forms := range parts {
		out = append(out, forms...)
	}
	return out
}

// wordQuery is the clause of one query word: its first exact clauses (the
// word itself in each field) and the others (its other forms, parts,
// compounds, typos). bleve scales a disjunction by the share of its
// clauses that match, so in one flat disjunction a word with forty
// expansions would count a fifth of one with none, and a question's
// plainest word ("drucke", which has many compounds) would weigh almost
// nothing. Nested, the word's own match and its other forms are two
// groups, summed (sumOf) rather than coordinated: a talk that has the word
// both as typed and in another form ("deaktivieren", "deaktiviert") has
// more of the word, but it has no more of the query's words, and under
// bleve's coordination it counted twice as much as a talk with the typed
// form alone (measured on the dev halves: spellings 0.940 → 0.945 on the
// LibreOffice help; man pages overall 0.599 → 0.607, inflection
// 0.723 → 0.765, typos 0.664 → 0.698; sample unchanged).
func wordQuery(clauses []query.Query, exact int) query.Query {
	if exact == 0 || exact >= len(clauses) {
		return query.NewDisjunctionQuery(clauses)
	}
	return sumOf([]query.Query{
		query.NewDisjunctionQuery(clauses[:exact]),
		query.NewDisjunctionQuery(clauses[exact:]),
	})
}

// questionWordQuery is the clause of one word of a question, scored
// without bleve's coordination factor (bestOf): its own clauses (the word
// in each field and inside compounds) add up, its expansions count by the
// best of them, and the word by the better of the two. A question is
// answered by a page's text: the word there, and nowhere else, must count
// fully, and an exact match must not count half because the word has
// other forms (measured on the held-out dev questions: 0.551 → 0.568).
func questionWordQuery(clauses []query.Query, exact int) query.Query {
	if exact == 0 || exact >= len(clauses) {
		return sumOf(clauses)
	}
	return maxOf([]query.Query{sumOf(clauses[:exact]), maxOf(clauses[exact:])})
}

// unknownWord appends the clauses of a word the archive does not have,
// whose analysed term is term: its spelling with an umlaut read after a
// vowel, its genitive base, the start of a longer word and typo
// tolerance (one edit more for a dead word).
func (ix *Index) unknownWord(ctx context.Context, clauses []query.Query, tq *textQuery, text, term string, tg target) []query.Query {
	// A transliterated umlaut after a vowel, which the folding reads as
	// a vowel pair ("Dateiuebertragung"): the readings the archive has
	// are the word's own spelling.
	for _, r := range german.UmlautReadings(german.Fold(text)) {
		if w := ix.analyzeWith(ix.wholeAnalyzer(), r); len(w) == 1 && w[0] != term && ix.known(ctx, tq.budget, w[0], tg.whole) {
			addTerms(&clauses, w, tg.whole, 1)
			addTerms(&clauses, w, tg.parts, weightPart)
			tq.addPassageTerms(w)
		}
	}
	// A genitive the light stemmer keeps ("des Schulträgers"): the
	// word without its -s or -es, where the archive knows that.
	for _, suffix := range []string{"es", "s"} {
		if base, ok := strings.CutSuffix(text, suffix); ok && utf8.RuneCountInString(base) >= 4 {
			if b := ix.analyzeWith(ix.wholeAnalyzer(), base); len(b) == 1 && ix.known(ctx, tq.budget, b[0], tg.whole) {
				addTerms(&clauses, b, tg.whole, 1)
				addTerms(&clauses, b, tg.parts, weightPart)
				tq.addPassageTerms(b)
				break
			}
		}
	}
	// The start of a longer word the dictionary cannot split, such
	// as a product name ("Märker" in "MaerkerPlus").
	if p := german.Fold(text); utf8.RuneCountInString(p) >= minFuzzyLetters1 {
		if n := ix.prefixTerms(ctx, p); n <= prefixMaxTerms && tq.budget.expansion(max(n, 1)) {
			addEach(&clauses, tq, tg.whole, weightPart, prefixOf(p))
		} else if tq.budget != nil {
			tq.budget.degraded = true
		}
	}
	// Typo tolerance only for words the archive does not have: a
	// known word is no typo, and fuzzy matching costs time.
	if fz := fuzziness(text); fz > 0 && tq.budget.expansion(fuzzyCost) {
		if fz == 1 && widensDeadWord(term) && !tq.vocab.hasFuzzy(fieldBody, term, 1) {
			// A dead word: nothing within one edit ("umbennen" for
			// umbenennen, which lost a syllable), so one edit more.
			fz = 2
		}
		addEach(&clauses, tq, tg.whole, weightFuzzy, tq.vocab.fuzzyOf(term, fz))
	}
	return clauses
}

// addPhrase appends one phrase clause per field for text, analysed by
// each field's analyzer, and marks the phrase in passages.
func (ix *Index) addPhrase(clauses *[]query.Query, tq *textQuery, text string, fields []fieldBoost, weight float64) {
	addEach(clauses, tq, fields, weight, ix.phraseOf(text))
}

// fieldQuery is a bleve query bound to a field that takes a boost.
type fieldQuery interface {
	query.Query
	SetBoost(float64)
}

// addEach appends the query mk makes for each field, weighted by the
// field's boost, and the same query on the slide text as a passage query.
func addEach(clauses *[]query.Query, tq *textQuery, fields []fieldBoost, weight float64, mk func(field string) fieldQuery) {
	for _, f := range fields {
		q := mk(f.field)
		q.SetBoost(f.boost * weight)
		*clauses = append(*clauses, q)
	}
	tq.addPassage(mk(fieldText))
}

// prefixOf makes prefix queries for a normalised word start.
func prefixOf(prefix string) func(field string) fieldQuery {
	return func(field string) fieldQuery {
		q := query.NewPrefixQuery(prefix)
		q.SetField(field)
		return q
	}
}

// termOf makes term queries for a normalised word.
func termOf(term string) func(field string) fieldQuery {
	return func(field string) fieldQuery {
		q := query.NewTermQuery(term)
		q.SetField(field)
		return q
	}
}

// addTerms appends the clauses that match terms in fields: one clause per
// field for a single term, or one clause needing all terms.
func addTerms(clauses *[]query.Query, terms []string, fields []fieldBoost, weight float64) {
	if len(fields) == 0 || len(terms) == 0 {
		return
	}
	if len(terms) > 1 {
		*clauses = append(*clauses, allOf(terms, fields, weight))
		return
	}
	for _, f := range fields {
		q := query.NewTermQuery(terms[0])
		q.SetField(f.field)
		q.SetBoost(f.boost * weight)
		*clauses = append(*clauses, q)
	}
}

// known reports whether term occurs in any of the fields. Over budget,
// every word is known, which spares its expansions.
func (ix *Index) known(ctx context.Context, b *budget, term string, fields []fieldBoost) bool {
	if !b.take(1) {
		return true
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return false
	}
	r, err := adv.Reader()
	if err != nil {
		return false
	}
	defer r.Close()
	return hasTermIn(ctx, r, term, fields)
}

// hasTermIn reports whether any talk has the analysed term in one of the
// fields.
func hasTermIn(ctx context.Context, r index.IndexReader, term string, fields []fieldBoost) bool {
	for _, f := range fields {
		tfr, err := r.TermFieldReader(ctx, []byte(term), f.field, false, false, false)
		if err != nil {
			continue
		}
		n := tfr.Count()
		tfr.Close()
		if n > 0 {
			return true
		}
	}
	return false
}

// synonymQuery matches any alternative of a synonym group.
func (ix *Index) synonymQuery(tq *textQuery, group int) query.Query {
	var clauses []query.Query
	tg := ix.targets("", tq.lead)
	alts := ix.syn.groups[group]
	for a, terms := range alts {
		if slices.ContainsFunc(alts[:a], func(t []string) bool { return slices.Equal(t, terms) }) {
			// Spellings the analyzer makes one ("eAkte", "E-Akte"):
			// the same clauses again would count the talk twice and
			// cost a phrase search per field each.
			continue
		}
		if len(terms) > 1 {
			ix.addPhrase(&clauses, tq, ix.syn.texts[group][a], tg.whole, weightSynonym)
			continue
		}
		addTerms(&clauses, terms, tg.whole, weightSynonym)
		addTerms(&clauses, terms, tg.parts, weightSynonym*weightPart)
		tq.addPassageTerms(terms)
	}
	return query.NewDisjunctionQuery(clauses)
}

func (tq *textQuery) addPassageTerms(terms []string) {
	for _, t := range terms {
		q := query.NewTermQuery(t)
		q.SetField(fieldText)
		tq.addPassage(q)
	}
}

// addPassage adds a passage query unless the same term or prefix is
// there: the ways a word can match often name one term several times
// (the word, its split, a verb form), and every copy is one more posting
// list to walk for each slide of the page's talks.
func (tq *textQuery) addPassage(q query.Query) {
	var key string
	switch q := q.(type) {
	case *query.TermQuery:
		key = "t\x00" + q.Term
	case *query.PrefixQuery:
		key = "p\x00" + q.Prefix
	}
	if key != "" {
		if tq.passageSeen[key] {
			return
		}
		if tq.passageSeen == nil {
			tq.passageSeen = map[string]bool{}
		}
		tq.passageSeen[key] = true
	}
	tq.passages = append(tq.passages, q)
}

// anyField matches term in any of the fields, weighted.
func anyField(term string, fields []fieldBoost, weight float64) query.Query {
	qs := make([]query.Query, len(fields))
	for i, f := range fields {
		q := query.NewTermQuery(term)
		q.SetField(f.field)
		q.SetBoost(f.boost * weight)
		qs[i] = q
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// allOf matches talks that contain every term, each in any field.
func allOf(terms []string, fields []fieldBoost, weight float64) query.Query {
	if len(terms) == 1 {
		return anyField(terms[0], fields, weight)
	}
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		qs[i] = anyField(t, fields, weight)
	}
	return query.NewConjunctionQuery(qs)
}

// deadWordLetters is the shortest analysed term of a dead word (no term
// of the archive within its typos) that is matched within one edit more:
// two edits from six letters, as Elasticsearch's AUTO fuzziness allows.
// A shorter term is a name the archive lacks more often than a typo:
// "Plauen" (plau) found Lage, Plätze and klären two edits away.
const deadWordLetters = 6

// widensDeadWord reports whether a dead word whose analysed term is term
// is matched within one edit more.
func widensDeadWord(term string) bool {
	return utf8.RuneCountInString(term) >= deadWordLetters
}

// fuzziness is the number of typos tolerated in a word of its length.
func fuzziness(word string) int {
	n := 0
	for _, r := range word {
		if unicode.IsLetter(r) {
			n++
		}
	}
	switch {
	case n >= minFuzzyLetters2:
		return 2
	case n >= minFuzzyLetters1:
		return 1
	}
	return 0
}

// minShouldMatch is how many of n query clauses, standing for words query
// words (a synonym phrase is one clause for several words), a talk must
// match: all of one or two words, three quarters (rounded down) beyond,
// and half of a question's.
func minShouldMatch(n, words int, question bool) int {
	if question {
		return max(1, (n+1)/2)
	}
	if words <= 2 {
		return n
	}
	need := int(math.Floor(0.75*float64(words))) - (words - n)
	return min(n, max(1, need))
}

// The two word lists below were written for talksearch by the project and
// are under its licence, Apache License 2.0 (LICENSE at the repository
// root); they copy no existing stop-word list. Their keys are folded with
// german.Fold (ä → a, ae → a, ß → ss), as the look-ups are. German stop
// words proper come from bleve's analysis/lang/de (Apache License 2.0,
// from the Snowball project's list).

// interrogatives start a question even without a question mark.
var interrogatives = map[string]bool{
	"wie": true, "was": true, "wer": true, "wo": true, "wann": true, "warum": true, "wieso": true,
	"weshalb": true, "welche": true, "welcher": true, "welches": true, "welchen": true, "gibt": true,
	"kann": true, "konnen": true, "muss": true, "mussen": true, "soll": true, "sollte": true,
}

// queryFiller are words of questions and requests that do not describe
// what is sought; they are dropped from queries of several words.
var queryFiller = map[string]bool{
	"wie": true, "was": true, "wer": true, "wo": true, "wann": true, "warum": true, "wieso": true,
	"weshalb": true, "welche": true, "welcher": true, "welches": true, "welchen": true, "welchem": true,
	"gibt": true, "gibts": true, "geben": true, "gab": true, "man": true, "kann": true, "konnen": true,
	"muss": true, "mussen": true, "soll": true, "sollte": true, "sollen": true, "wurde": true,
	"mache": true, "macht": true, "machen": true, "gebe": true, "erfahrung": true, "erfahrungen": true, "beispiel": true,
	"beispiele": true, "information": true, "informationen": true, "infos": true, "vortrag": true,
	"vortrage": true, "folie": true, "folien": true, "etwas": true, "zum": true, "thema": true,
	"bitte": true, "suche": true, "finde": true, "zeige": true,
	// Modal and auxiliary verbs the Snowball stop list lacks: the
	// causative "lassen" ("Wie lasse ich … anzeigen?"), "möchte", "darf".
	"lasse": true, "lasst": true, "lassen": true, "liess": true, "mochte": true, "mochten": true,
	"darf": true, "durfen": true,
	// Modal particles and vague adverbs ("dass die Seitenzahl immer
	// stimmt"); not gerade, gleich, einfach, eben or mal, which also
	// name things (straight, equal, single, flat, times).
	"immer": true, "schon": true, "erst": true, "genau": true, "ganz": true, "eigentlich": true,
	"denn": true, "halt": true, "bloss": true, "uberhaupt": true, "irgendwie": true, "wirklich": true,
	"nochmal": true,
	// Contractions of a preposition and an article that the Snowball
	// stop list lacks ("beim Speichern").
	"beim": true, "ans": true, "aufs": true, "durchs": true, "furs": true, "ums": true,
	"ubers": true, "unters": true, "vors": true, "hinters": true,
}

// fillerVerbs are the verb forms among the filler words. Written as a
// noun (capitalised after the query's first word) such a word names a
// thing: „Warum findet die Suche …?“ asks about searching.
var fillerVerbs = map[string]bool{
	"suche": true, "finde": true, "zeige": true, "gebe": true, "mache": true,
}

// isFiller reports whether t is a filler word of a question or request.
func isFiller(t qterm) bool {
	w := german.Fold(t.text)
	return queryFiller[w] && !(t.noun && fillerVerbs[w])
}

// isQuestion reports whether the input is phrased as a question.
func isQuestion(raw string, pq parsedQuery) bool {
	if strings.HasSuffix(strings.TrimSpace(raw), "?") {
		return true
	}
	if len(pq.groups) > 0 && len(pq.groups[0]) == 1 && isPlain(pq.groups[0][0]) {
		return interrogatives[german.Fold(pq.groups[0][0].text)]
	}
	return false
}

// partsQuery matches talks that contain every part, each in one of the
// archive spellings it may take (vocab.partForms), and marks the parts in
// passages.
func (ix *Index) partsQuery(tq *textQuery, parts [][]string, fields []fieldBoost, weight float64) query.Query {
	conj := make([]query.Query, 0, len(parts))
	for _, forms := range parts {
		var alts []query.Query
		for _, f := range forms {
			for _, term := range ix.analyzeFolded(tq.vocab, f) {
				alts = append(alts, anyField(term, fields, weight))
				tq.addPassageTerms([]string{term})
			}
		}
		if len(alts) == 0 {
			continue
		}
		conj = append(conj, query.NewDisjunctionQuery(alts))
	}
	if len(conj) < 3 {
		return query.NewConjunctionQuery(conj)
	}
	// Three or more parts: a talk may say one of them otherwise.
	b := query.NewBooleanQuery(nil, conj, nil)
	b.SetMinShould(float64(len(conj) - 1))
	return b
}

// joinedClauses looks at the plain word of group i and the next plain
// word after any stop words ("Umbruch der Seite"). When the archive has a
// compound of the two (vocab.joinings), it returns a clause for each word
// that matches the word or the compound, and the index of the second
// group; otherwise nil. A talk with the compound has both words; a talk
// with one of them has that one, as without the compound. (One clause
// for both words, or the compound, counted a talk with one of them as
// having neither: held-out dev questions 0.608 → 0.615, compound in the
// text 0.905 → 0.928, nothing lower; sample unchanged.) The compound's
// fields are alternatives of the word beside its own clause, so bleve's
// coordination factor scales a talk with the word alone by 1/7 and
// favours the talks that write the compound; the compound as one
// alternative moved pages both ways and no dev half by 0.005
// (relevance journal, entry 103).
func (ix *Index) joinedClauses(ctx context.Context, tq *textQuery, pq parsedQuery, wordTerms [][]string, i int) ([]query.Query, int) {
	if len(wordTerms[i]) != 1 || isFiller(pq.groups[i][0]) {
		return nil, i
	}
	j := i + 1
	for j < len(pq.groups) && wordTerms[j] != nil && len(wordTerms[j]) == 0 {
		j++ // stop words between the two
	}
	if j >= len(pq.groups) || len(wordTerms[j]) != 1 || isFiller(pq.groups[j][0]) {
		return nil, i
	}
	a, b := pq.groups[i][0].text, pq.groups[j][0].text
	joined := tq.vocab.joinings(german.Fold(a), german.Fold(b))
	if len(joined) == 0 {
		return nil, i
	}
	qa, qb := ix.termQuery(ctx, tq, pq.groups[i][0], true), ix.termQuery(ctx, tq, pq.groups[j][0], true)
	if qa == nil || qb == nil {
		return nil, i
	}
	var compounds []query.Query
	tg := ix.targets("", tq.lead)
	for _, c := range joined {
		terms := ix.analyzeFolded(tq.vocab, c)
		if len(terms) == 0 {
			continue
		}
		addTerms(&compounds, terms, tg.whole, 1)
		tq.addPassageTerms(terms)
	}
	return []query.Query{
		query.NewDisjunctionQuery(append([]query.Query{qa}, compounds...)),
		query.NewDisjunctionQuery(append([]query.Query{qb}, compounds...)),
	}, j
}

// addForm appends the clauses of another form of a query word, given
// folded, unless it analyses to the word's own term.
func (ix *Index) addForm(clauses *[]query.Query, tq *textQuery, form, own string, fields []fieldBoost, weight float64) {
	if term, ok := ix.formTerm(tq, form, own); ok {
		addTerms(clauses, []string{term}, fields, weight)
		tq.addPassageTerms([]string{term})
	}
}

// formTerm is the analysed term of another form of a query word, given
// folded, unless it is none, several or the word's own term (own).
func (ix *Index) formTerm(tq *textQuery, form, own string) (string, bool) {
	if form == "" {
		return "", false
	}
	terms := ix.analyzeFolded(tq.vocab, form)
	if len(terms) != 1 || terms[0] == own {
		return "", false
	}
	return terms[0], true
}

// addLonePart appends a lone part of a query compound (folded; the
// word's own term: own), far below the compound (weightRarestPart). In a
// keyword query it is one clause over its fields, as the compound's split
// is: the word's other forms are one coordinated group (wordQuery), and a
// clause per field let the part, found in a page's lead and body, count
// twice as much as the split found whole ("Spaltenentfernung": the pages
// with "Entfernung" above colrm, which says "Spalten … entfernen").
// Measured on the dev halves (notes, entry 48): man pages 0.748 → 0.753
// (compound in the query 0.756 → 0.783), LibreOffice 0.815 → 0.814,
// sample 0.977 unchanged. A question's forms count by the best clause
// (questionWordQuery), so there it stays a clause per field.
func (ix *Index) addLonePart(clauses *[]query.Query, tq *textQuery, form, own string, fields []fieldBoost) {
	if tq.question {
		ix.addForm(clauses, tq, form, own, fields, weightRarestPart)
		return
	}
	if term, ok := ix.formTerm(tq, form, own); ok {
		*clauses = append(*clauses, anyField(term, fields, weightRarestPart))
		tq.addPassageTerms([]string{term})
	}
}

// hyphenated makes the phrase queries of the word text as the archive
// writes it with a hyphen ("Unit-Dateien" for "Unitdateien"), nil if it
// does not. That spelling is the word itself, so it counts as an exact
// match: as an expansion it had the weight of a compound's parts found
// anywhere in a talk and almost no share of the word (measured on the
// man-page dev half: joined ↔ hyphenated 0.723 → 0.803, spellings
// 0.791 → 0.831, overall 0.607 → 0.622; LibreOffice dev and sample
// unchanged).
func (ix *Index) hyphenated(tq *textQuery, text string) func(string) fieldQuery {
	h := tq.vocab.hyphenSplit(german.Fold(text))
	if h == nil {
		return nil
	}
	return ix.phraseOf(h[0][0] + "-" + h[1][0])
}

// partsOf names the parts field of each whole-word field that has one.
var partsOf = map[string]string{fieldTitle: fieldTitleParts, fieldTopics: fieldTopicsParts, fieldBody: fieldBodyParts, fieldLead: fieldLeadParts}

// addPaired appends one clause per whole-word field of tg for term: the
// term in the field, summed with the term inside the field's compounds
// (weightPart) and, unless alt is nil, with alt's query in the field (the
// word written with a hyphen). Summed, not as clauses of their own: bleve's coordination
// factor counts matched clauses, and a talk whose body has the word both
// alone and inside a compound would count as matching in two fields,
// doubling its score over a talk that has the word more often but never
// in a compound ("Groesse von Verzeichnissen" ranked the page with one
// "Größe" and a "Gesamtgröße" above the page on sizes). Measured on the
// dev halves: spellings 0.925 → 0.940 (LibreOffice help; stock 0.938)
// and 0.685 → 0.791 (man pages; stock 0.789), inflection 0.900 → 0.904
// and 0.471 → 0.523, overall 0.784 → 0.786 and 0.556 → 0.565; typos
// 0.911 → 0.908 and 0.723 → 0.660; sample unchanged.
func addPaired(clauses *[]query.Query, term string, tg target, alt func(string) fieldQuery) {
	for _, f := range tg.whole {
		q := query.NewTermQuery(term)
		q.SetField(f.field)
		q.SetBoost(f.boost)
		qs := []query.Query{q}
		if pf, ok := partsOf[f.field]; ok {
			if i := slices.IndexFunc(tg.parts, func(p fieldBoost) bool { return p.field == pf }); i >= 0 {
				pq := query.NewTermQuery(term)
				pq.SetField(pf)
				pq.SetBoost(tg.parts[i].boost * weightPart)
				qs = append(qs, pq)
			}
		}
		if alt != nil {
			aq := alt(f.field)
			aq.SetBoost(f.boost)
			qs = append(qs, aq)
		}
		*clauses = append(*clauses, sumOf(qs))
	}
}
