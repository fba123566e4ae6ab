// Encodings and metrics of simple fonts.
//
// Sources and licences:
//   - WinAnsiEncoding and MacRomanEncoding come from golang.org/x/text's
//     charmap (BSD-3-Clause, The Go Authors); Latin-1 is the identity.
//   - StandardEncoding and PDFDocEncoding (standardTable, pdfDocTable) are
//     written down for talksearch (Apache-2.0) from the tables in ISO
//     32000-1 (PDF 1.7), Annex D.
//   - latin1GlyphNames lists the standard PostScript glyph names of ASCII
//     and Latin-1 in code order, as in ISO 32000-1 Annex D; the names are
//     the same as in the Adobe Glyph List (BSD-3-Clause, Copyright Adobe
//     Systems), none of whose text is copied here.
//   - helveticaWidths and timesWidths are the advance widths (WX) of the
//     printable ASCII characters in Adobe's Core 14 AFM files Helvetica.afm
//     and Times-Roman.afm (Copyright Adobe Systems Incorporated), whose
//     notice permits using, copying and distributing them for any purpose
//     without charge, with or without modification, with the copyright
//     notices retained.
package pdftext

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Single-byte encodings of simple fonts and of PDF text strings. A zero
// rune means the code has no character.
var (
	latin1Encoding   = byteTable(nil)
	winAnsiEncoding  = byteTable(charmap.Windows1252)
	macRomanEncoding = byteTable(charmap.Macintosh)
	standardEncoding = standardTable()
	pdfDocEncoding   = pdfDocTable()
)

func byteTable(cm *charmap.Charmap) [256]rune {
	var t [256]rune
	for c := 0x20; c < 256; c++ {
		r := rune(c)
		if cm != nil {
			r = cm.DecodeByte(byte(c))
		}
		if r != utf8.RuneError && r != 0x7f {
			t[c] = r
		}
	}
	return t
}

// standardTable is Adobe StandardEncoding (PDF 32000-1, Annex D).
func standardTable() [256]rune {
	t := byteTable(nil)
	for c := 0x7f; c < 256; c++ {
		t[c] = 0
	}
	t['\''], t['`'] = '’', '‘'
	high := map[byte]rune{
		0xa1: '¡', 0xa2: '¢', 0xa3: '£', 0xa4: '⁄', 0xa5: '¥', 0xa6: 'ƒ', 0xa7: '§', 0xa8: '¤',
		0xa9: '\'', 0xaa: '“', 0xab: '«', 0xac: '‹', 0xad: '›', 0xae: 'ﬁ', 0xaf: 'ﬂ',
		0xb1: '–', 0xb2: '†', 0xb3: '‡', 0xb4: '·', 0xb6: '¶', 0xb7: '•', 0xb8: '‚', 0xb9: '„',
		0xba: '”', 0xbb: '»', 0xbc: '…', 0xbd: '‰', 0xbf: '¿',
		0xc1: '`', 0xc2: '´', 0xc3: 'ˆ', 0xc4: '˜', 0xc5: '¯', 0xc6: '˘', 0xc7: '˙', 0xc8: '¨',
		0xca: '˚', 0xcb: '¸', 0xcd: '˝', 0xce: '˛', 0xcf: 'ˇ', 0xd0: '—',
		0xe1: 'Æ', 0xe3: 'ª', 0xe8: 'Ł', 0xe9: 'Ø', 0xea: 'Œ', 0xeb: 'º',
		0xf1: 'æ', 0xf5: 'ı', 0xf8: 'ł', 0xf9: 'ø', 0xfa: 'œ', 0xfb: 'ß',
	}
	for c, r := range high {
		t[c] = r
	}
	return t
}

// pdfDocTable is PDFDocEncoding (PDF 32000-1, Annex D), used for text
// strings such as the document information dictionary.
func pdfDocTable() [256]rune {
	t := byteTable(nil)
	t['\t'], t['\n'], t['\r'] = '\t', '\n', '\r'
	low := []rune("˘ˇˆ˙˝˛˚˜")
	for i, r := range low {
		t[0x18+i] = r
	}
	high := []rune("•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž")
	for i, r := range high {
		t[0x80+i] = r
	}
	t[0x9f] = 0
	t[0xa0] = '€'
	t[0xad] = 0
	return t
}

// latin1GlyphNames maps the standard glyph names of ASCII and Latin-1 to
// their characters.
var latin1GlyphNames = func() map[string]rune {
	m := map[string]rune{}
	ascii := strings.Fields(`space exclam quotedbl numbersign dollar percent ampersand quotesingle
		parenleft parenright asterisk plus comma hyphen period slash zero one two three four five
		six seven eight nine colon semicolon less equal greater question at`)
	for i, n := range ascii {
		m[n] = rune(0x20 + i)
	}
	for _, n := range strings.Fields(`bracketleft:[ backslash:\ bracketright:] asciicircum:^
		underscore:_ grave:` + "`" + ` braceleft:{ bar:| braceright:} asciitilde:~`) {
		name, r, _ := strings.Cut(n, ":")
		m[name], _ = utf8.DecodeRuneInString(r)
	}
	latin1 := strings.Fields(`nbspace exclamdown cent sterling currency yen brokenbar section
		dieresis copyright ordfeminine guillemotleft logicalnot sfthyphen registered macron degree
		plusminus twosuperior threesuperior acute mu paragraph periodcentered cedilla onesuperior
		ordmasculine guillemotright onequarter onehalf threequarters questiondown Agrave Aacute
		Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave
		Iacute Icircumflex Idieresis Eth Ntilde Ograve Oacute Ocircumflex Otilde Odieresis multiply
		Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn germandbls agrave aacute acircumflex
		atilde adieresis aring ae ccedilla egrave eacute ecircumflex edieresis igrave iacute
		icircumflex idieresis eth ntilde ograve oacute ocircumflex otilde odieresis divide oslash
		ugrave uacute ucircumflex udieresis yacute thorn ydieresis`)
	for i, n := range latin1 {
		m[n] = rune(0xa0 + i)
	}
	return m
}()

// standardMetrics returns approximate advance widths (in text space units
// for a font size of 1) for fonts that omit /Widths, which PDF allows only
// for the standard 14 fonts.
func standardMetrics(baseFont string) func(text string) float64 {
	name := baseFont
	if i := strings.IndexByte(name, '+'); i >= 0 {
		name = name[i+1:]
	}
	var table *[95]uint16
	switch {
	case strings.HasPrefix(name, "Courier"):
		return func(string) float64 { return 0.6 }
	case strings.HasPrefix(name, "Helvetica"), strings.HasPrefix(name, "Arial"):
		table = &helveticaWidths
	case strings.HasPrefix(name, "Times"):
		table = &timesWidths
	default:
		return func(string) float64 { return 0.5 }
	}
	return func(text string) float64 {
		r, _ := utf8.DecodeRuneInString(text)
		switch {
		case text == "":
			return 0
		case r >= 0x20 && r < 0x7f:
			return float64(table[r-0x20]) / 1000
		}
		// Latin-1 letters: width of the base letter.
		if b := baseLetter(r); b != 0 {
			return float64(table[b-0x20]) / 1000
		}
		return 0.5
	}
}

// baseLetter returns the ASCII letter under a German accented letter.
func baseLetter(r rune) rune {
	switch r {
	case 'ä':
		return 'a'
	case 'ö':
		return 'o'
	case 'ü':
		return 'u'
	case 'Ä':
		return 'A'
	case 'Ö':
		return 'O'
	case 'Ü':
		return 'U'
	case 'ß':
		return 'B'
	}
	return 0
}

// AFM widths of the printable ASCII characters (0x20–0x7e).
var helveticaWidths = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
}

var timesWidths = [95]uint16{
	250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
	500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
	921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
	556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
	333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
	500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
}
