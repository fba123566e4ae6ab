package search

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/talksearch/talksearch/internal/german"
)

// strongVerbs knows the forms of German strong and irregular verbs whose
// vowel or stem changes (brechen, bricht, gebrochen; ziehen, gezogen),
// which verbForms' regular guesses cannot reach: "umgebrochen" is
// "umbrechen", "verschoben" is "verschieben", "enthält" is "enthalten".
// It is read from dict/verbs.txt, a list of general German grammar, and
// holds folded forms.
type strongVerbs struct {
	verbs []strongVerb
	// byForm finds, for a folded form without its prefix, the verbs and
	// the kind of form it is.
	byForm map[string][]verbForm
}

// strongVerb is one verb's folded forms. participle carries the ge- a
// participle takes without a prefix or after a separable one
// (gebrochen, aufgebrochen); bare is the participle after an inseparable
// prefix (unterbrochen, verbrochen). present is "" when its vowel does
// not change.
type strongVerb struct {
	infinitive, present, participle, bare string
}

type formKind int

const (
	kindInfinitive formKind = iota
	kindPresent
	kindParticiple // with ge-: alone or after a separable prefix
	kindBare       // without ge-: only after an inseparable prefix
)

type verbForm struct {
	verb int
	kind formKind
}

// inseparablePrefixes take no ge- in the participle (verschoben,
// überschrieben, unterbrochen). um, über, unter, durch and wider are
// separable too (umgebrochen), so both participles are tried.
var inseparablePrefixes = []string{
	"be", "emp", "ent", "er", "miss", "ver", "zer",
	"hinter", "uber", "unter", "um", "durch", "wider", "voll",
}

// strongSeparable are separable prefixes beside separablePrefixes that
// strong verbs often take (hochgezogen, durchgelesen, zurückgenommen).
var strongSeparable = []string{"hoch", "durch", "uber", "unter", "fort", "hinaus", "hinein", "herein", "hervor", "voraus", "entgegen", "zuruck"}

// parseStrongVerbs reads the "infinitive present participle" lines of
// dict/verbs.txt; src names the file in errors.
func parseStrongVerbs(data []byte, src string) (*strongVerbs, error) {
	sv := &strongVerbs{byForm: map[string][]verbForm{}}
	err := dictLines(data, func(line int, text string) error {
		f := strings.Fields(text)
		if len(f) != 3 {
			return fmt.Errorf("search: %s line %d: want infinitive, present (or -) and participle", src, line)
		}
		v := strongVerb{infinitive: german.Fold(f[0]), participle: german.Fold(f[2])}
		if f[1] != "-" {
			v.present = german.Fold(f[1])
		}
		v.bare = v.participle
		if rest, ok := strings.CutPrefix(v.participle, "ge"); ok && !strings.HasPrefix(v.infinitive, "ge") {
			v.bare = rest
		}
		i := len(sv.verbs)
		sv.verbs = append(sv.verbs, v)
		sv.byForm[v.infinitive] = append(sv.byForm[v.infinitive], verbForm{i, kindInfinitive})
		if v.present != "" {
			sv.byForm[v.present] = append(sv.byForm[v.present], verbForm{i, kindPresent})
		}
		sv.byForm[v.participle] = append(sv.byForm[v.participle], verbForm{i, kindParticiple})
		if v.bare != v.participle {
			sv.byForm[v.bare] = append(sv.byForm[v.bare], verbForm{i, kindBare})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: read %s: %w", src, err)
	}
	return sv, nil
}

// forms returns the other forms of the folded word w when it is a form
// of a strong verb, with or without a prefix: its infinitive, its
// present where the vowel changes (unless noun: a word written as a noun
// is no present-tense form) and its participles. They are guesses: the
// caller keeps those the archive has.
func (sv *strongVerbs) forms(w string, noun bool) []string {
	if sv == nil {
		return nil
	}
	var out []string
	for i := 0; i < len(w); i++ {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		prefix, rest := w[:i], w[i:]
		for _, f := range sv.byForm[rest] {
			if !prefixFits(prefix, f.kind) {
				continue
			}
			out = append(out, sv.verbs[f.verb].withPrefix(prefix, noun)...)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(s string) bool { return s == w })
}

// prefixFits reports whether a form of the kind may follow prefix: a
// participle with ge- stands alone or after a separable prefix, one
// without ge- only after an inseparable one.
func prefixFits(prefix string, kind formKind) bool {
	sep, insep := prefixKinds(prefix)
	switch kind {
	case kindParticiple:
		return prefix == "" || sep
	case kindBare:
		return insep
	default:
		return prefix == "" || sep || insep
	}
}

// prefixKinds tells whether prefix is a separable verb prefix and
// whether it is an inseparable one, or a separable one followed by an
// inseparable one (anerkannt, vorbehalten).
func prefixKinds(prefix string) (sep, insep bool) {
	if prefix == "" {
		return false, false
	}
	separable := func(p string) bool {
		return slices.Contains(separablePrefixes, p) || slices.Contains(strongSeparable, p)
	}
	sep = separable(prefix)
	insep = slices.Contains(inseparablePrefixes, prefix)
	if !insep {
		for _, p := range inseparablePrefixes {
			if head, ok := strings.CutSuffix(prefix, p); ok && head != "" && separable(head) {
				insep = true
				break
			}
		}
	}
	return sep, insep
}

// withPrefix returns the verb's forms after prefix.
func (v strongVerb) withPrefix(prefix string, noun bool) []string {
	out := []string{prefix + v.infinitive}
	if v.present != "" && !noun {
		out = append(out, prefix+v.present)
	}
	sep, insep := prefixKinds(prefix)
	if prefix == "" || sep {
		out = append(out, prefix+v.participle)
	}
	if insep {
		out = append(out, prefix+v.bare)
	}
	return out
}
