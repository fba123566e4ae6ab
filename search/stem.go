package search

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// filterStem is the chain's light stemmer (stemFilter).
const filterStem = "talksearch_stem_de"

// stemFilter is a German light stemmer: it strips the inflection endings
// of Savoy's light stemmer, as bleve's stemmer_de_light does, and keeps
// together three kinds of forms that stemmer keeps apart, which a German
// reader takes for the same word:
//
//   - the genitive -s of a noun in -er: des Benutzers, Rechners, Fensters
//     (bleve's stemmer strips a final s only after b, d, f, g, h, k, l, m,
//     n and t, so "benutzers" stayed apart from "benutz");
//   - the plural of a noun in -nis: Verzeichnisse, Ergebnissen (the -s is
//     doubled before an ending, so "verzeichniss" stayed apart from
//     "verzeichnis");
//   - the plural -n of a noun in -el: Formeln, Wurzeln, Kapiteln (no
//     ending of the stemmer);
//   - the -s plural of loanwords after o, p, y and w: Fotos, Videos,
//     Backups, Tipps, Apps, Handys, Workflows (pluralS).
//
// The input is normalised already (lower case, ä→a, ß→ss).
type stemFilter struct{}

// Filter implements analysis.TokenFilter.
func (stemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = []byte(stemGerman(string(tok.Term)))
	}
	return input
}

// stemGerman returns the stem of the normalised word w.
func stemGerman(w string) string {
	if n := utf8.RuneCountInString(w); n > 5 && (strings.HasSuffix(w, "ers") || strings.HasSuffix(w, "eln")) {
		// benutzers → benutzer, formeln → formel: then stemmed as those.
		w = w[:len(w)-1]
	}
	w = stemEnding(w)
	w = stemSuffix(w)
	if n := utf8.RuneCountInString(w); n > 5 && strings.HasSuffix(w, "niss") {
		w = w[:len(w)-1] // verzeichniss → verzeichnis
	}
	return w
}

// stemEnding removes an inflection ending (Savoy's first step).
func stemEnding(w string) string {
	n := utf8.RuneCountInString(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ern"):
		return w[:len(w)-3]
	case n > 4 && (strings.HasSuffix(w, "em") || strings.HasSuffix(w, "en") || strings.HasSuffix(w, "er") || strings.HasSuffix(w, "es")):
		return w[:len(w)-2]
	case n > 3 && strings.HasSuffix(w, "e"):
		return w[:len(w)-1]
	case n > 3 && strings.HasSuffix(w, "s") && (sEnding(w[len(w)-2]) || pluralS(w[len(w)-2])):
		return w[:len(w)-1]
	}
	return w
}

// stemSuffix removes a derivational or comparative ending (Savoy's
// second step).
func stemSuffix(w string) string {
	n := utf8.RuneCountInString(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "est"):
		return w[:len(w)-3]
	case n > 4 && (strings.HasSuffix(w, "er") || strings.HasSuffix(w, "en")):
		return w[:len(w)-2]
	case n > 4 && strings.HasSuffix(w, "st") && sEnding(w[len(w)-3]):
		return w[:len(w)-2]
	}
	return w
}

// sEnding reports whether an -s after the letter c is an ending, as in
// bleve's and Savoy's stemmers.
func sEnding(c byte) bool {
	switch c {
	case 'b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 't':
		return true
	}
	return false
}

// pluralS reports whether an -s after the letter c is the plural of a
// loanword, which Savoy's list leaves out: Fotos, Infos (o), Backups,
// Tipps (p), Handys (y), Workflows (w). Not after a, i or u, where -s ends
// many singulars whose plural takes -e (Alias and Aliase, Verzeichnis,
// Haus and Häuser), which would then stem apart. Measured on the dev
// halves (notes, entry 52): GIMP help 0.796 → 0.815 (inflection
// 0.775 → 0.942: "alte Fotos" finds „Altes Foto“), LibreOffice
// 0.815 → 0.816, man pages unchanged, sample 0.977 → 0.979
// ("Nutzerkontos").
func pluralS(c byte) bool {
	switch c {
	case 'o', 'p', 'y', 'w':
		return true
	}
	return false
}
