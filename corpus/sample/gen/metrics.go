package main

import (
	"strings"
	"unicode"
)

// Liberation Sans has Arial's metrics, which are Helvetica's; these advance
// widths are per 1000 units of the em (regular weight). They only serve to
// guess how many lines a text takes, so a rough table is enough.
var advance = map[rune]int{
	' ': 278, '!': 278, '"': 355, '#': 556, '$': 556, '%': 889, '&': 667, '\'': 191,
	'(': 333, ')': 333, '*': 389, '+': 584, ',': 278, '-': 333, '.': 278, '/': 278,
	':': 278, ';': 278, '<': 584, '=': 584, '>': 584, '?': 556, '@': 1015,
	'[': 278, '\\': 278, ']': 278, '_': 556, '|': 260,
	'A': 667, 'B': 667, 'C': 722, 'D': 722, 'E': 667, 'F': 611, 'G': 778, 'H': 722,
	'I': 278, 'J': 500, 'K': 667, 'L': 556, 'M': 833, 'N': 722, 'O': 778, 'P': 667,
	'Q': 778, 'R': 722, 'S': 667, 'T': 611, 'U': 722, 'V': 667, 'W': 944, 'X': 667,
	'Y': 667, 'Z': 611,
	'a': 556, 'b': 556, 'c': 500, 'd': 556, 'e': 556, 'f': 278, 'g': 556, 'h': 556,
	'i': 222, 'j': 222, 'k': 500, 'l': 222, 'm': 833, 'n': 556, 'o': 556, 'p': 556,
	'q': 556, 'r': 333, 's': 500, 't': 278, 'u': 556, 'v': 500, 'w': 722, 'x': 500,
	'y': 500, 'z': 500,
	'ß': 611, '–': 556, '—': 1000, '„': 333, '“': 333, '”': 333, '‚': 222, '‘': 222,
	'’': 222, '€': 556, '§': 556, '·': 278, '•': 350, '…': 1000, '°': 400, '²': 333,
}

// charWidth returns the advance of r in thousandths of an em.
func charWidth(r rune) int {
	if w, ok := advance[r]; ok {
		return w
	}
	switch {
	case unicode.IsDigit(r):
		return 556
	case unicode.IsUpper(r):
		// Ä, Ö, Ü and other accented capitals take their base letter's width.
		return 722
	case unicode.IsLetter(r):
		return 556
	}
	return 600
}

// ptToCm converts typographic points to centimetres.
func ptToCm(pt float64) float64 { return pt * 2.54 / 72 }

// textWidth returns the width of s in cm at size pt, a little generous for bold.
func textWidth(s string, size float64, bold bool) float64 {
	sum := 0
	for _, r := range s {
		sum += charWidth(r)
	}
	w := float64(sum) / 1000 * ptToCm(size)
	if bold {
		w *= 1.08
	}
	return w
}

// countLines guesses how many lines s takes when wrapped at width cm.
func countLines(s string, size, width float64, bold bool) int {
	words := strings.Fields(s)
	if len(words) == 0 {
		return 1
	}
	space := textWidth(" ", size, bold)
	lines, cur := 1, 0.0
	for _, w := range words {
		ww := textWidth(w, size, bold)
		switch {
		case cur == 0:
			cur = ww
		case cur+space+ww <= width:
			cur += space + ww
		default:
			lines++
			cur = ww
		}
		for cur > width { // a word wider than the line is broken
			lines++
			cur -= width
		}
	}
	return lines
}

// longestWord returns the width of the widest word of s.
func longestWord(s string, size float64, bold bool) float64 {
	m := 0.0
	for _, w := range strings.Fields(s) {
		m = max(m, textWidth(w, size, bold))
	}
	return m
}
