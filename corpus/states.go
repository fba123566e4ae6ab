package corpus

import (
	"strings"

	"github.com/talksearch/talksearch/internal/german"
)

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

// foldName trims s and folds it with german.Fold, the spelling search
// uses too.
func foldName(s string) string {
	return german.Fold(strings.TrimSpace(s))
}
