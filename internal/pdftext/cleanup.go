package pdftext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanText normalises extracted text for indexing:
//   - Unicode NFC; ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) expanded;
//   - a spacing diacritic next to a letter (¨a, as TeX's OT1 fonts draw
//     it) combined into one character where Unicode has one (ä);
//   - soft hyphens removed, joining the word when one ends a line;
//   - a word hyphenated at the end of a line joined when the next line starts
//     with a lower-case letter ("Verwal-\ntung" → "Verwaltung"); before a
//     capital the hyphen stays and only the line break goes
//     ("Bund-\nLänder" → "Bund-Länder"), and before "und"/"oder" the line
//     is left alone ("Hoch-\nund Tiefbau");
//   - control characters other than \n, private-use code points,
//     replacement characters and zero-width characters dropped; other
//     spaces made plain spaces;
//   - runs of spaces collapsed, lines trimmed, at most one blank line in a row.
func CleanText(s string) string {
	s = normaliseRunes(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = collapseSpaces(l)
	}
	lines = joinHyphenated(lines)
	var b strings.Builder
	blank := 0
	for _, l := range lines {
		if l == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if blank > 0 {
				b.WriteString("\n")
			}
		}
		blank = 0
		b.WriteString(l)
	}
	return b.String()
}

var ligatures = strings.NewReplacer(
	"\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl",
	"\ufb05", "st", "\ufb06", "st",
	"\r\n", "\n", "\r", "\n", "\f", "\n", "\v", "\n", "\u2028", "\n", "\u2029", "\n\n",
)

// spacingToCombining maps spacing diacritics to their combining forms.
var spacingToCombining = map[rune]rune{
	'\u00a8': '\u0308', // ¨ diaeresis
	'\u00b4': '\u0301', // ´ acute
	'\u02c6': '\u0302', // ˆ circumflex
	'\u02dc': '\u0303', // ˜ tilde
	'\u00af': '\u0304', // ¯ macron
	'\u02d8': '\u0306', // ˘ breve
	'\u02d9': '\u0307', // ˙ dot above
	'\u02da': '\u030a', // ˚ ring
	'\u02dd': '\u030b', // ˝ double acute
	'\u02c7': '\u030c', // ˇ caron
	'\u00b8': '\u0327', // ¸ cedilla
	'\u02db': '\u0328', // ˛ ogonek
}

// normaliseRunes does the per-character work of CleanText.
func normaliseRunes(s string) string {
	s = ligatures.Replace(s)
	// Soft hyphen at a line end: the word continues on the next line.
	for _, sh := range []string{"\u00ad\n", "\u00ad \n"} {
		s = strings.ReplaceAll(s, sh, "")
	}
	s = combineSpacingDiacritics(s)
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\u2212' || r == '\u2010' || r == '\u2011':
			b.WriteByte('-') // minus (PostScript's ISOLatin1Encoding hyphen), hyphen, non-breaking hyphen
		case r == '\t' || r == '\u00a0' || r == '\u3000' || (unicode.Is(unicode.Zs, r) && r != ' '):
			b.WriteByte(' ')
		case r == '\u00ad' || r == utf8.RuneError || r == '\ufeff' ||
			r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060':
		case unicode.IsControl(r), unicode.Is(unicode.Co, r), r >= 0xf0000:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// combineSpacingDiacritics turns "¨a" (and "a¨" when nothing follows) into
// "a" + combining diaeresis when the pair composes to one character.
func combineSpacingDiacritics(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { _, ok := spacingToCombining[r]; return ok }) {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		mark, ok := spacingToCombining[rs[i]]
		if !ok {
			out = append(out, rs[i])
			continue
		}
		if i+1 < len(rs) && unicode.IsLetter(rs[i+1]) && composes(rs[i+1], mark) {
			out = append(out, rs[i+1], mark)
			i++
			continue
		}
		if n := len(out); n > 0 && unicode.IsLetter(out[n-1]) && composes(out[n-1], mark) {
			out = append(out, mark)
			continue
		}
		out = append(out, rs[i])
	}
	return string(out)
}

func composes(letter, mark rune) bool {
	return utf8.RuneCountInString(norm.NFC.String(string([]rune{letter, mark}))) == 1
}

// collapseSpaces trims a line and collapses runs of spaces.
func collapseSpaces(l string) string {
	if !strings.Contains(l, "  ") && strings.TrimSpace(l) == l {
		return l
	}
	return strings.Join(strings.Fields(l), " ")
}

// hyphenKeepers are words after which a line-end hyphen is elliptical
// ("Hoch-\nund Tiefbau") rather than a word break.
var hyphenKeepers = map[string]bool{
	"und": true, "oder": true, "bzw": true, "sowie": true, "als": true, "bis": true,
	"wie": true, "noch": true, "and": true, "or": true,
}

// joinHyphenated joins words hyphenated at line ends, moving the rest of
// the word up to the hyphenated line. It may modify lines.
func joinHyphenated(lines []string) []string {
	out := lines[:0:0]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+1 < len(lines) {
			hyphen, keep, ok := hyphenJoin(l, lines[i+1])
			if !ok {
				break
			}
			if !keep {
				l = strings.TrimSuffix(l, hyphen)
			}
			// Move the rest of the word up; the rest of the line stays.
			word, rest, _ := strings.Cut(lines[i+1], " ")
			l += word
			if rest != "" {
				lines[i+1] = rest
				break
			}
			i++
		}
		out = append(out, l)
	}
	return out
}

// hyphenJoin decides whether a line ending in a hyphen after a letter
// continues on the next line (ok), and whether the hyphen stays (keep).
func hyphenJoin(l, next string) (hyphen string, keep, ok bool) {
	switch {
	case next == "":
		return "", false, false
	case strings.HasSuffix(l, "-"):
		hyphen = "-"
	case strings.HasSuffix(l, "\u2010"):
		hyphen = "\u2010"
	default:
		return "", false, false
	}
	before, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(l, hyphen))
	if !unicode.IsLetter(before) {
		return "", false, false
	}
	first, _ := utf8.DecodeRuneInString(next)
	word, _, _ := strings.Cut(next, " ")
	switch {
	case hyphenKeepers[strings.ToLower(strings.TrimRight(word, ".,;:"))]:
		return "", false, false
	case unicode.IsLower(first):
		return hyphen, false, true
	case unicode.IsUpper(first):
		return hyphen, true, true
	}
	return "", false, false
}
