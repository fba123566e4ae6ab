// Package german folds German words to one spelling, so that "Müller",
// "Mueller" and "MÜLLER" compare equal. It is the single folding function
// of talksearch: corpus uses it to recognise state and kind names, search
// for suggestions, "Meinten Sie …?", filler words and the decompounding
// dictionary.
//
// It owns no data and imports nothing of talksearch (and no bleve), so
// that corpus and search may both import it without importing each other.
package german

import "strings"

// Fold lower-cases s and normalises German spelling exactly as the search
// index's analyzer does in its normalisation step (bleve's
// analysis/lang/de normalize_de, itself Lucene's GermanNormalizationFilter),
// so that a folded word can be compared with an index term:
//
//   - ä, ö, ü become a, o, u, and ß becomes ss;
//   - the transliterations ae, oe and ue become a, o and u, but only where
//     they can stand for an umlaut: not after a vowel or q, and not the
//     "ue" of a preceding "eu", "au" or "qu". So "Mueller" and "Müller" fold
//     alike (muller), while "Feuerwehr", "neue", "Steuer", "Quelle" and
//     "Dauer" keep their e.
//
// Fold does not trim, stem or drop anything; callers split words first.
// The search package's tests check that Fold agrees with the analyzer's
// filter on every word of its dictionary.
func Fold(s string) string {
	lower := strings.ToLower(s)
	if isPlainASCII(lower) {
		return lower
	}
	return normalize(lower)
}

// States of normalize, as in bleve and Lucene.
const (
	stateNone   = iota // ordinary
	stateVowel         // a following u cannot start an umlaut
	stateUmlaut        // a following e is the e of a transliterated umlaut
)

// normalize is the state machine of Lucene's GermanNormalizationFilter.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	state := stateNone
	for _, r := range s {
		switch r {
		case 'a', 'o':
			state = stateUmlaut
		case 'u':
			if state == stateNone {
				state = stateUmlaut
			} else {
				state = stateVowel
			}
		case 'e':
			if state == stateUmlaut {
				state = stateVowel
				continue // the e of ae, oe or ue
			}
			state = stateVowel
		case 'i', 'q', 'y':
			state = stateVowel
		case 'ä':
			r, state = 'a', stateVowel
		case 'ö':
			r, state = 'o', stateVowel
		case 'ü':
			r, state = 'u', stateVowel
		case 'ß':
			b.WriteByte('s')
			r, state = 's', stateNone
		default:
			state = stateNone
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isPlainASCII reports whether s has no non-ASCII letter and no a, o or u
// followed by e, so that folding would leave it unchanged.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return false
		}
		if c == 'e' && i > 0 && (s[i-1] == 'a' || s[i-1] == 'o' || s[i-1] == 'u') {
			return false
		}
	}
	return true
}

// UmlautReadings returns the spellings of the folded word f with the
// vowel pairs ae, oe and ue that Fold kept (after a vowel, as in "neue")
// read as transliterated umlauts after all, folded: all of them, then
// each one alone. At a compound boundary a German reader sees the umlaut
// where Fold cannot: "dateiuebertragung" is Datei-übertragung
// (dateiubertragung), "gerateuebersicht" Geräte-übersicht. Callers keep
// the readings their archive has. A word without such a pair has none.
func UmlautReadings(f string) []string {
	var at []int
	for i := 1; i < len(f); i++ {
		if f[i] == 'e' && (f[i-1] == 'a' || f[i-1] == 'o' || f[i-1] == 'u') {
			at = append(at, i)
		}
	}
	if len(at) == 0 || len(at) > 4 {
		return nil
	}
	without := func(drop ...int) string {
		var b strings.Builder
		j := 0
		for i := 0; i < len(f); i++ {
			if j < len(drop) && drop[j] == i {
				j++
				continue
			}
			b.WriteByte(f[i])
		}
		return b.String()
	}
	out := []string{without(at...)}
	if len(at) > 1 {
		for _, i := range at {
			out = append(out, without(i))
		}
	}
	return out
}
