package corpus

import "strings"

// CanonicalState returns the canonical spelling of a state name, accepting
// any letter case and the transliterations ae/oe/ue/ss ("Thueringen"), and
// reports whether it is a known state.
func CanonicalState(s string) (string, bool) {
	key := foldName(s)
	for _, st := range States {
		if foldName(st) == key {
			return st, true
		}
	}
	return "", false
}

func canonicalKind(s string) (string, bool) {
	key := foldName(s)
	for _, k := range Kinds {
		if foldName(k) == key {
			return k, true
		}
	}
	return "", false
}

// foldName lower-cases s and folds umlauts and ß to their transliterations.
func foldName(s string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")
	return r.Replace(strings.ToLower(strings.TrimSpace(s)))
}
