package search

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum/levenshtein"

	"github.com/talksearch/talksearch/internal/german"
)

// vocab answers, for one request, how many talks of the archive contain a
// word: the archive's own vocabulary, as folded surface forms (the
// vocab_key field, written with every talk). The query-time decompounder,
// the joining of neighbouring query words and the inflection variants all
// check their candidates here, so they learn whatever archive they run on
// and need no re-index when it grows. Counts are cached for the request.
type vocab struct {
	ctx    context.Context
	r      index.IndexReader // nil when the index has no reader
	counts map[string]int
	splits map[splitKey]scoredSplit
	// folded holds the words read by analyzeFolded for this request.
	folded map[string][]string
	// stop reports whether a word is a stop word, which is never a part.
	stop func(string) bool
	dict index.FieldDictContains // opened on first use
	// budget pays for each look-up; over it, a word counts as absent.
	budget *budget
	// The Levenshtein automata of this request's typo matching, by word
	// and distance, and the index's builders of them.
	dfas map[fuzzyKey]*levenshtein.DFA
	lev  *levBuilders
	// fuzzy holds the typo candidates found in a field, by field, word
	// and distance: a dead word's check (hasFuzzy) and its expansion
	// read the body's once.
	fuzzy map[fieldFuzzyKey]fuzzyFound
	// verbs knows the forms of strong verbs; nil for none.
	verbs *strongVerbs
}

// fuzzyKey names a Levenshtein automaton: a word and its distance.
type fuzzyKey struct {
	term      string
	fuzziness int
}

// fieldFuzzyKey names the typo candidates of a word in a field.
type fieldFuzzyKey struct {
	field string
	fuzzyKey
}

// fuzzyFound is what fuzzyTerms found.
type fuzzyFound struct {
	terms []string
	dists []uint8
	ok    bool
}

type splitKey struct {
	w         string
	depth     int
	inflected bool
}

type scoredSplit struct {
	parts [][]string
	score float64
}

// newVocab opens a reader for one request; close it when done.
func (ix *Index) newVocab(ctx context.Context, b *budget) *vocab {
	v := &vocab{ctx: ctx, budget: b, counts: map[string]int{}, splits: map[splitKey]scoredSplit{}, folded: map[string][]string{},
		dfas: map[fuzzyKey]*levenshtein.DFA{}, lev: ix.lev, verbs: ix.verbs, fuzzy: map[fieldFuzzyKey]fuzzyFound{}}
	v.stop = func(w string) bool { return len(ix.analyzeFolded(v, w)) == 0 }
	if adv, err := ix.b.Advanced(); err == nil {
		if r, err := adv.Reader(); err == nil {
			v.r = r
		}
	}
	return v
}

func (v *vocab) close() {
	if v.r != nil {
		v.r.Close()
	}
}

// hasTerm reports whether the body text of any talk has the analysed
// term.
func (v *vocab) hasTerm(term string) bool {
	if v.r == nil || v.ctx.Err() != nil || !v.budget.take(1) {
		return false
	}
	return hasTermIn(v.ctx, v.r, term, []fieldBoost{{fieldBody, 1}})
}

// count is the number of talks containing the folded word w.
func (v *vocab) count(w string) int {
	return v.talksWith(w, w, fieldVocabKey, v.mayContain)
}

// termTalks is the number of talks whose body has the analysed term.
func (v *vocab) termTalks(term string) int {
	return v.talksWith("\x00"+term, term, fieldBody, nil)
}

// talksWith is the number of talks whose field has term, read once per
// request (cached under key) and paid from the budget; maybe, unless
// nil, rules a term out without reading postings.
func (v *vocab) talksWith(key, term, field string, maybe func(string) bool) int {
	if n, ok := v.counts[key]; ok {
		return n
	}
	n := 0
	if v.r != nil && v.ctx.Err() == nil && v.budget.take(1) && (maybe == nil || maybe(term)) {
		if tfr, err := v.r.TermFieldReader(v.ctx, []byte(term), field, false, false, false); err == nil {
			n = int(tfr.Count())
			tfr.Close()
		}
	}
	v.counts[key] = n
	return n
}

// mayContain answers from the vocabulary's term dictionary alone, without
// reading postings: most candidates the decompounder tries are no words,
// and this keeps them cheap. It errs towards true.
func (v *vocab) mayContain(w string) bool {
	if v.dict == nil {
		c, ok := v.r.(index.IndexReaderContains)
		if !ok {
			return true
		}
		d, err := c.FieldDictContains(fieldVocabKey)
		if err != nil {
			return true
		}
		v.dict = d
	}
	ok, err := v.dict.Contains([]byte(w))
	return ok || err != nil
}

// Limits of the query-time decompounder.
const (
	splitMinWord  = 6 // shortest word tried, in letters
	splitMinPart  = 3 // shortest part
	splitMaxParts = 4
	splitMaxWord  = 40
	splitRare     = 2 // a word in more talks is found as it is, never split
)

// splitLinks are the linking elements (Fugen) that may stand after a
// part: Zeitunterschied-s-berechnung, Legende-n-formatierung,
// Bereich-s-namen; "-" joins hyphenated pieces.
var splitLinks = []string{"s", "es", "n", "en", "e", "er", "-"}

// partForms returns the archive spellings a compound part may take: the
// part itself, with a dropped final e restored (Schul-bus → Schule), and
// for a nominalisation its verb (Entfernung → entfernen, Formatierung →
// formatieren), since help texts say "Duplikate entfernen" where a query
// says "Duplikatentfernung". Only forms the archive has are returned.
func (v *vocab) partForms(p string) []string {
	var out []string
	add := func(w string) {
		if w != "" && v.count(w) > 0 && !v.stop(w) {
			out = append(out, w)
		}
	}
	add(p)
	add(p + "e")
	add(v.nounVerb(p)) // Entfernung → entfernen, Änderung → ändern
	return out
}

// withParticiples returns the parts of a split with, for each form that
// is a verb, the verb's participles the archive has (Zahlenrundung:
// runden, gerundet), so that the compound finds the page that names its
// action by the participle, as the lone noun does (derivedForms). parts
// itself is not changed.
func (v *vocab) withParticiples(parts [][]string) [][]string {
	out := make([][]string, len(parts))
	for i, forms := range parts {
		f := newForms(v, "")
		for _, w := range forms {
			f.seen[w] = true
		}
		for _, w := range forms {
			for _, c := range participlesOf(w) {
				f.add(c)
			}
		}
		out[i] = forms
		if len(f.out) > 0 {
			out[i] = append(slices.Clone(forms), f.out...)
		}
	}
	return out
}

// inflectedForms returns the first of p's plural or inflected forms
// (-en, -n, -s, -er) the archive has, for a part before the last.
func (v *vocab) inflectedForms(p string) []string {
	for _, end := range []string{"en", "n", "s", "er"} {
		if f := v.partForms(p + end); len(f) > 0 {
			return f[:1]
		}
	}
	return nil
}

// split divides the folded word w, which at most splitRare talks have,
// into parts the archive has: the spelling the archive hyphenates if it
// does, else the split with the fewest parts and, among those, the
// highest geometric mean of the parts' talk counts (Koehn & Knight 2003).
// Each part comes with the archive spellings it may take (partForms). It
// returns nil when w is no compound the archive can explain, or when w
// itself is more common than its best split.
func (v *vocab) split(w string) [][]string {
	if v == nil {
		return nil
	}
	n := utf8.RuneCountInString(w)
	if n < splitMinWord || n > splitMaxWord || strings.ContainsAny(w, " ") || v.count(w) > splitRare {
		return nil
	}
	if parts := v.hyphenSplit(w); parts != nil {
		return parts
	}
	best, score := v.bestSplit(w, 0, false)
	if len(best) < 2 {
		// No split of the parts as they are: again with a part before
		// the last in its plural or inflected form (Primfaktorzerlegung,
		// where the archive has only Primfaktoren). Only then, so that
		// no coarser split into inflected compounds replaces a finer one.
		best, score = v.bestSplit(w, 0, true)
	}
	if len(best) < 2 || score <= float64(v.count(w)) {
		return nil
	}
	return best
}

// hyphenSplit returns the two pieces of w when the archive writes it
// with a hyphen ("QRCode" → qr-code, "Kernelringpuffer" →
// kernel-ringpuffer), whatever the pieces are on their own, unless one
// is a stop word.
func (v *vocab) hyphenSplit(w string) [][]string {
	for i := range w {
		if i == 0 || utf8.RuneCountInString(w[:i]) < 2 || utf8.RuneCountInString(w[i:]) < 2 {
			continue
		}
		// Not where a piece is a stop word: the phrase of "an-zahl"
		// would be the lone term zahl, searched as the word Anzahl.
		if v.count(w[:i]+"-"+w[i:]) > 0 && !v.stop(w[:i]) && !v.stop(w[i:]) {
			return [][]string{{w[:i]}, {w[i:]}}
		}
	}
	return nil
}

// bestSplit returns the best split of w into at most splitMaxParts-depth
// parts (below depth 0, w whole counts as one part when the archive has
// it) and its score, the geometric mean of the parts' best counts. With
// inflected, a part before the last may take its plural or inflected form
// (split's second pass).
func (v *vocab) bestSplit(w string, depth int, inflected bool) ([][]string, float64) {
	key := splitKey{w, depth, inflected}
	if s, ok := v.splits[key]; ok {
		return s.parts, s.score
	}
	parts, score := v.searchSplit(w, depth, inflected)
	v.splits[key] = scoredSplit{parts, score}
	return parts, score
}

// searchSplit tries every first part and linking element of w.
func (v *vocab) searchSplit(w string, depth int, inflected bool) ([][]string, float64) {
	var best [][]string
	bestScore := 0.0
	// The whole rest may be the last part; the word itself (depth 0) is
	// weighed against its best split by split.
	if forms := v.partForms(w); depth > 0 && len(forms) > 0 {
		best, bestScore = [][]string{forms}, float64(v.maxCount(forms))
	}
	if depth+1 >= splitMaxParts {
		return best, bestScore
	}
	for i := range w {
		if utf8.RuneCountInString(w[:i]) < splitMinPart {
			continue
		}
		headForms := v.partForms(w[:i])
		if len(headForms) == 0 && inflected {
			headForms = v.inflectedForms(w[:i])
		}
		if len(headForms) == 0 {
			continue
		}
		for _, rest := range restsAfter(w[i:]) {
			if utf8.RuneCountInString(rest) < splitMinPart {
				continue
			}
			tail, tailScore := v.bestSplit(rest, depth+1, inflected)
			if tail == nil {
				continue
			}
			parts := append([][]string{headForms}, tail...)
			// Geometric mean over all parts: the tail's score is already
			// the geometric mean of its len(tail) parts.
			k := float64(len(parts))
			s := math.Pow(float64(v.maxCount(headForms))*math.Pow(tailScore, float64(len(tail))), 1/k)
			if best == nil || len(parts) < len(best) || (len(parts) == len(best) && s > bestScore) {
				best, bestScore = parts, s
			}
		}
	}
	return best, bestScore
}

// restsAfter returns what may follow a part: the rest as it is, and the
// rest without a linking element.
func restsAfter(rest string) []string {
	out := []string{rest}
	for _, l := range splitLinks {
		if r, ok := strings.CutPrefix(rest, l); ok && r != "" {
			out = append(out, r)
		}
	}
	return out
}

func (v *vocab) maxCount(forms []string) int {
	m := 0
	for _, f := range forms {
		m = max(m, v.count(f))
	}
	return m
}

// joinings returns the compounds the archive has that join the folded
// words a and b, in either order: "Bereich Namen" → bereichsnamen,
// "Umbruch der Seite" → seitenumbruch, "Leiste mit Symbolen" →
// symbolleiste, "Kernel Ringpuffer" → kernelringpuffer.
func (v *vocab) joinings(a, b string) []string {
	var out []string
	seen := map[string]bool{}
	try := func(first, second string) {
		for _, head := range headsOf(first) {
			for _, l := range append([]string{""}, splitLinks...) {
				c := head + l + second
				if !seen[c] && v.count(c) > 0 {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
	}
	try(a, b)
	try(b, a)
	return out
}

// headsOf returns the forms a word may take as the first part of a
// compound: itself, and without a plural, inflection or genitive ending
// (Symbolen → symbol, „des Bildes“ → bild, for Bildeigenschaften; Seite
// → seit is tried too and only counts when the archive has the result).
// The genitive -es: GIMP help dev 0.815 → 0.844 (notes, entry 53),
// nothing else moved.
func headsOf(w string) []string {
	out := []string{w}
	for _, e := range []string{"en", "es", "n", "e", "s"} {
		if h, ok := strings.CutSuffix(w, e); ok && utf8.RuneCountInString(h) >= splitMinPart {
			out = append(out, h)
		}
	}
	return out
}

// separablePrefixes are the verb prefixes after which a participle takes
// its ge-: aus-ge-geben, hinzu-ge-fügt, um-ge-wandelt, zusammen-ge-führt.
var separablePrefixes = []string{
	"zusammen", "zuruck", "hinzu", "heraus", "herunter", "voran", "vorbei", "weiter", "wieder",
	"auf", "aus", "ein", "fest", "frei", "her", "hin", "los", "mit", "nach", "vor", "weg", "zu",
	"ab", "an", "bei", "dar", "um",
}

// verbForms returns the forms of the folded word w that the archive has
// and that stand for the same verb: the infinitive of a participle
// (ausgegeben → ausgeben, hinzugefugt → hinzufugen, gerundet → runden,
// umgewandelt → umwandeln), the participles of an infinitive and, unless
// w was written as a noun, the infinitive of a present-tense form
// (bleibt → bleiben, verschwindet → verschwinden, schwarze → schwarzen)
// and the participles of that infinitive, whether or not the archive has
// it (schwarze → geschwarzt).
func (v *vocab) verbForms(w string, noun bool) []string {
	if v == nil || utf8.RuneCountInString(w) < 5 {
		return nil
	}
	f := newForms(v, w)
	infs := infinitiveGuesses(w, noun)
	for _, c := range infs {
		f.add(c)
	}
	for _, inf := range append([]string{w}, infs...) {
		for _, c := range participlesOf(inf) {
			f.add(c)
		}
	}
	for _, c := range v.verbs.forms(w, noun) {
		f.add(c) // strong verbs: umgebrochen → umbrechen
	}
	return f.out
}

// derivedForms returns the words of the archive derived from the folded
// word w or w derived from: the -ung noun of a verb and the verb of an
// -ung noun (schwarzen → schwarzung, entfernung → entfernen), with the
// verb's participles, and the -keit/-heit noun of an adjective and the
// adjective of such a noun (vertraulich → vertraulichkeit). They name
// the same thing less closely than another form of the word does.
func (v *vocab) derivedForms(w string, noun bool) []string {
	if v == nil || utf8.RuneCountInString(w) < 5 {
		return nil
	}
	f := newForms(v, w)
	if verb := v.nounVerb(w); verb != "" {
		f.add(verb)
		for _, c := range participlesOf(verb) {
			f.add(c)
		}
	}
	for _, inf := range append([]string{w}, infinitiveGuesses(w, noun)...) {
		for _, c := range nominalisations(inf) {
			f.addNoun(c)
		}
	}
	for _, c := range adjectiveNouns(w) {
		f.addNoun(c)
	}
	return f.out
}

// infinitiveGuesses are the infinitives the folded word w may be a form
// of: those of infinitivesOf and, unless w was written as a noun, of
// presentInfinitives.
func infinitiveGuesses(w string, noun bool) []string {
	infs := infinitivesOf(w)
	if !noun {
		infs = append(infs, presentInfinitives(w)...)
	}
	return infs
}

// forms collects the candidates the archive has, once each, never the
// word itself or a stop word.
type forms struct {
	v    *vocab
	seen map[string]bool
	out  []string
}

func newForms(v *vocab, w string) *forms { return &forms{v: v, seen: map[string]bool{w: true}} }

func (f *forms) add(c string) {
	if !f.seen[c] && utf8.RuneCountInString(c) >= 4 && f.v.count(c) > 0 && !f.v.stop(c) {
		f.seen[c] = true
		f.out = append(f.out, c)
	}
}

// addNoun adds the -ung, -ion or -keit noun c, or its plural where the
// archive has only that (Sicherungen, Installationen).
func (f *forms) addNoun(c string) {
	if !strings.HasSuffix(c, "ung") && !strings.HasSuffix(c, "ion") && !strings.HasSuffix(c, "keit") || f.v.count(c) > 0 {
		f.add(c)
		return
	}
	f.add(c + "en")
}

// nominalisations guesses the -ung nouns of an infinitive: speichern →
// speicherung, schwarzen → schwarzung, wandeln → wandlung; and of an
// -ieren verb its -ation, -ition or -ikation noun too: installieren →
// installation, definieren → definition, kommunizieren → kommunikation.
func nominalisations(inf string) []string {
	if stem, ok := strings.CutSuffix(inf, "izieren"); ok && utf8.RuneCountInString(stem) >= 3 {
		return []string{stem + "izierung", stem + "ikation"}
	}
	if stem, ok := strings.CutSuffix(inf, "ieren"); ok && utf8.RuneCountInString(stem) >= 3 {
		return []string{stem + "ierung", stem + "ation", stem + "ition"}
	}
	switch {
	case strings.HasSuffix(inf, "eln"):
		s := inf[:len(inf)-3]
		return []string{s + "elung", s + "lung"}
	case strings.HasSuffix(inf, "ern"):
		return []string{inf[:len(inf)-1] + "ung"}
	case strings.HasSuffix(inf, "en") && utf8.RuneCountInString(inf) > 4:
		return []string{inf[:len(inf)-2] + "ung"}
	}
	return nil
}

// adjectiveSuffixes end the adjectives whose nouns take -keit.
var adjectiveSuffixes = []string{"lich", "ig", "bar", "sam"}

// adjectiveNouns guesses the -keit noun of an adjective, in any of its
// endings (vertrauliche → vertraulichkeit), and the adjective of a
// -keit or -heit noun (sichtbarkeit → sichtbar).
func adjectiveNouns(w string) []string {
	for _, suf := range []string{"keit", "heit"} {
		if a, ok := strings.CutSuffix(w, suf); ok && utf8.RuneCountInString(a) >= 4 {
			return []string{a}
		}
	}
	for _, end := range []string{"", "e", "en", "er", "es", "em"} {
		a, ok := strings.CutSuffix(w, end)
		if !ok {
			continue
		}
		for _, suf := range adjectiveSuffixes {
			if strings.HasSuffix(a, suf) && utf8.RuneCountInString(a) > len(suf)+2 {
				return []string{a + "keit"}
			}
		}
	}
	return nil
}

// nounVerb returns the verb of an -ung noun, or of an -ation, -ition or
// -ikation noun, when the archive has it (Verschlüsselung →
// verschlusseln, Speicherung → speichern, Installation → installieren,
// Kommunikation → kommunizieren), else "".
func (v *vocab) nounVerb(w string) string {
	if v == nil {
		return ""
	}
	for _, verb := range verbsOfNoun(w) {
		if v.count(verb) > 0 && !v.stop(verb) {
			return verb
		}
	}
	return ""
}

// verbsOfNoun guesses the infinitives of the folded noun w by its
// derivational suffix: -ung (speicherung → speichern, entfernung →
// entfernen) and the borrowed -ation, -ition and -ikation (installation
// → installieren, definition → definieren, kommunikation →
// kommunizieren).
func verbsOfNoun(w string) []string {
	if stem, ok := strings.CutSuffix(w, "ung"); ok && utf8.RuneCountInString(stem) >= 3 {
		if strings.HasSuffix(stem, "er") || strings.HasSuffix(stem, "el") {
			return []string{stem + "n"}
		}
		return []string{stem + "en"}
	}
	if stem, ok := strings.CutSuffix(w, "ikation"); ok && utf8.RuneCountInString(stem) >= 3 {
		return []string{stem + "izieren", stem + "ikieren"}
	}
	for _, suf := range []string{"ation", "ition"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && utf8.RuneCountInString(stem) >= 3 {
			return []string{stem + "ieren"}
		}
	}
	return nil
}

// infinitivesOf guesses the infinitives of a participle, and of a
// present-tense form of an -ern or -eln verb, whose stem the light
// stemmer cuts differently (speichere, speichert → speichern).
func infinitivesOf(w string) []string {
	var out []string
	for _, end := range []string{"ere", "ele", "ert", "elt", "erst", "elst"} {
		if s, ok := strings.CutSuffix(w, end); ok && utf8.RuneCountInString(s) >= 3 {
			out = append(out, s+end[:2]+"n")
		}
	}
	stemToInf := func(prefix, rest string) {
		for _, end := range []string{"et", "t", "en"} {
			if s, ok := strings.CutSuffix(rest, end); ok && s != "" {
				if strings.HasSuffix(s, "el") || strings.HasSuffix(s, "er") {
					out = append(out, prefix+s+"n") // gewandelt → wandeln
				}
				out = append(out, prefix+s+"en")
			}
		}
	}
	if rest, ok := strings.CutPrefix(w, "ge"); ok {
		stemToInf("", rest)
	}
	for _, p := range separablePrefixes {
		if rest, ok := strings.CutPrefix(w, p+"ge"); ok {
			stemToInf(p, rest)
		}
		if rest, ok := strings.CutPrefix(w, p+"zu"); ok && strings.HasSuffix(rest, "en") {
			out = append(out, p+rest) // auszugeben → ausgeben
		}
	}
	return out
}

// presentInfinitives guesses the infinitives of a present-tense form:
// the third person, which the light stemmer keeps apart from its verb
// (bleibt → bleiben, zeigt → zeigen, passt → passen, verschwindet →
// verschwinden), and the first (schwarze → schwarzen), whose
// participles the stemmer keeps apart. The -ert and -elt forms are
// infinitivesOf's.
func presentInfinitives(w string) []string {
	stem, ok := strings.CutSuffix(w, "t")
	if !ok {
		if utf8.RuneCountInString(w) >= 4 && strings.HasSuffix(w, "e") {
			return []string{w + "n"} // first person: schwarze → schwarzen
		}
		return nil
	}
	if utf8.RuneCountInString(stem) < 3 {
		return nil
	}
	out := []string{stem + "en"}
	if s, ok := strings.CutSuffix(stem, "e"); ok {
		out = append(out, s+"en") // verschwindet → verschwinden
	}
	return out
}

// participlesOf guesses the participles of an infinitive.
func participlesOf(w string) []string {
	var stem string
	switch {
	case strings.HasSuffix(w, "eln"), strings.HasSuffix(w, "ern"):
		stem = w[:len(w)-1]
	case strings.HasSuffix(w, "en"):
		stem = w[:len(w)-2]
	default:
		return nil
	}
	forms := func(prefix, s string) []string {
		return []string{prefix + "ge" + s + "t", prefix + "ge" + s + "et", prefix + "ge" + s + "en", prefix + s + "t"}
	}
	out := forms("", stem)
	for _, p := range separablePrefixes {
		if s, ok := strings.CutPrefix(stem, p); ok && utf8.RuneCountInString(s) >= 2 {
			out = append(out, forms(p, s)...)
		}
	}
	return out
}

// reversed returns each word spelt backwards, so that a prefix look-up in
// the vocab_rev field finds the words that end in a given word.
func reversed(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = reverse(w)
	}
	return out
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// Limits of compoundsWith.
const (
	compoundScan = 400 // dictionary entries read per direction
	compoundKeep = 12  // compounds kept, the most common first
	compoundRare = 0   // a word in more talks than this is known: compoundsWith leaves it to the dictionary parts field, headedBy expands it
)

// compoundsWith returns, for a folded word w that no talk has on its own
// (more than compoundRare), the archive's compounds that have w as their
// first or last part ("Konto" → servicekonto, kontoauszug;
// "PGP" → openpgp), the most common first. The rest of the compound must
// be a possible part (isPartWord), so that "Skonto" is no compound of
// "Konto".
func (v *vocab) compoundsWith(w string) []string {
	if v == nil || v.r == nil || utf8.RuneCountInString(w) < 3 || v.count(w) > compoundRare {
		return nil
	}
	return v.compounds(w, true)
}

// headedBy returns, for a folded word w that the archive also has on its
// own, the archive's compounds whose last part is w, the most common
// first: "Link" → hyperlink, "Fenster" → dokumentfenster. A German
// compound names a kind of its last part, so a question that asks in the
// general word is answered by a page that names the specific kind. The
// first part does not carry over ("Stellenwert" is no kind of Stelle).
func (v *vocab) headedBy(w string) []string {
	if v == nil || v.r == nil || utf8.RuneCountInString(w) < 3 || v.count(w) <= compoundRare {
		return nil
	}
	return v.compounds(w, false)
}

// compounds returns the archive's compounds that end with w and, if
// first, those that begin with it, the most common first, at most
// compoundKeep.
func (v *vocab) compounds(w string, first bool) []string {
	type cand struct {
		word  string
		count int
	}
	var cands []cand
	seen := map[string]bool{}
	collect := func(field, prefix string, rest func(key string) (word, other string)) {
		if !v.budget.take(scanCost) {
			return
		}
		dict, err := v.r.FieldDictPrefix(field, []byte(prefix))
		if err != nil {
			return
		}
		defer dict.Close()
		for i := 0; i < compoundScan && v.ctx.Err() == nil; i++ {
			e, err := dict.Next()
			if err != nil || e == nil {
				return
			}
			word, other := rest(e.Term)
			if word == w || seen[word] || !v.isPartWord(other) {
				continue
			}
			seen[word] = true
			cands = append(cands, cand{word, int(e.Count)})
		}
	}
	if first {
		// w first: the rest after w (and a linking element) is a word.
		collect(fieldVocabKey, w, func(key string) (string, string) { return key, strings.TrimPrefix(key[len(w):], "-") })
	}
	// w last: what stands before w is a word, with or without a link.
	collect(fieldVocabRev, reverse(w), func(key string) (string, string) {
		word := reverse(key)
		return word, strings.TrimSuffix(word[:len(word)-len(w)], "-")
	})
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(b.count-a.count, strings.Compare(a.word, b.word)) })
	out := make([]string, 0, min(len(cands), compoundKeep))
	for _, c := range cands[:min(len(cands), compoundKeep)] {
		out = append(out, c.word)
	}
	return out
}

// isPartWord reports whether s, the rest of a compound, can be a part:
// four letters or more ("Open" in OpenPGP), or a word of the archive,
// possibly after dropping a linking element at either end ("Skonto" has
// no part "s").
func (v *vocab) isPartWord(s string) bool {
	switch n := utf8.RuneCountInString(s); {
	case n < splitMinPart:
		return false
	case n >= splitMinPart+1:
		return true
	}
	if len(v.partForms(s)) > 0 {
		return true
	}
	for _, l := range splitLinks {
		if t, ok := strings.CutSuffix(s, l); ok && utf8.RuneCountInString(t) >= splitMinPart && len(v.partForms(t)) > 0 {
			return true
		}
		if t, ok := strings.CutPrefix(s, l); ok && utf8.RuneCountInString(t) >= splitMinPart && len(v.partForms(t)) > 0 {
			return true
		}
	}
	return false
}

// rarest returns the form of the part of a split that the fewest talks
// have, the most specific word of a compound.
func (v *vocab) rarest(parts [][]string) string {
	best, bestCount := "", 0
	for _, forms := range parts {
		for _, f := range forms {
			if n := v.count(f); n > 0 && (best == "" || n < bestCount) {
				best, bestCount = f, n
			}
		}
	}
	return best
}

// actedOn returns the first part of a split whose last part is a noun
// made of a verb the archive has (einrichtung ← einrichten): the thing
// the action is done to, as the archive spells it; "" otherwise.
func (v *vocab) actedOn(parts [][]string) string {
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[len(parts)-1]) == 0 {
		return ""
	}
	if v.nounVerb(parts[len(parts)-1][0]) == "" || v.count(parts[0][0]) == 0 {
		return ""
	}
	return parts[0][0]
}

// commonShare is the share of the archive's talks (a third) above which a word
// tells talks apart too little to be required in a question.
const commonShare = 0.33

// common counts the words (each a clause's word as typed) that more than
// commonShare of the archive's talks have. Words of several pieces and
// unknown words count as rare.
func (v *vocab) common(words []string) int {
	if v == nil {
		return 0
	}
	talks := v.talks()
	if talks == 0 {
		return 0
	}
	n := 0
	for _, w := range words {
		if strings.ContainsAny(w, " \"*") {
			continue
		}
		if float64(v.count(german.Fold(w))) > commonShare*float64(talks) {
			n++
		}
	}
	return n
}

// talks is the number of talks in the archive.
func (v *vocab) talks() int {
	if v.r == nil {
		return 0
	}
	tfr, err := v.r.TermFieldReader(v.ctx, []byte(typeTalk), fieldType, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return int(tfr.Count())
}

// looseParts is the last resort for a word w that the archive has
// neither whole nor as a compound of its words ("Personalmangel", where
// "Mangel" stands only in "Fachkräftemangel"): the longest start and the
// longest end of w that the archive has on its own, and the archive's
// compounds of a start or end that it has only inside compounds. Each is
// a weak hint of what w is about, so a query of one such word is no dead
// end.
func (v *vocab) looseParts(w string) []string {
	if v == nil || v.count(w) > 0 || utf8.RuneCountInString(w) < splitMinWord {
		return nil
	}
	var out []string
	add := func(piece string) {
		if forms := v.partForms(piece); len(forms) > 0 {
			out = append(out, forms[0])
			return
		}
		out = append(out, v.compoundsWith(piece)...)
	}
	runes := []rune(w)
	for n := len(runes) - splitMinPart; n >= splitMinPart+1; n-- {
		if head := string(runes[:n]); len(v.partForms(head)) > 0 {
			add(head)
			add(strings.TrimLeft(string(runes[n:]), "s-"))
			return out
		}
	}
	return out
}
