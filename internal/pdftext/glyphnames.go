// Glyph names: this file maps the glyph names of simple fonts to text.
//
// Source and licence: the code and the table extraGlyphNames were written
// for talksearch (Apache-2.0, see LICENSE). They do not contain the Adobe
// Glyph List (AGL): names that neither our tables nor the rules below
// know are looked up in the AGL table inside ledongthuc/pdf (its
// nameToRune, under that module's BSD-3-Clause licence), through its
// encoder. The uniXXXX and uXXXX forms and the "_" and "." rules follow
// Adobe's AGL specification. The few names in extraGlyphNames are
// standard PostScript glyph names, as TeX and LibreOffice use them; each
// is mapped to the text it stands for (ligatures to their letters), as
// the AGL (BSD-3-Clause, Copyright Adobe Systems) defines them or, for
// names outside it (compwordmark, visiblespace), as TeX does.
package pdftext

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// differences decodes an /Differences array into code -> text.
func differences(fontDict, d pdf.Value) map[byte]string {
	out := map[byte]string{}
	if d.Kind() != pdf.Array {
		return out
	}
	names := map[byte]string{}
	code := -1
	for i := 0; i < d.Len(); i++ {
		x := d.Index(i)
		switch x.Kind() {
		case pdf.Integer:
			code = int(x.Int64())
		case pdf.Name:
			if code >= 0 && code < 256 {
				names[byte(code)] = x.Name()
			}
			code++
		}
	}
	// The library's encoder maps glyph names through its Adobe Glyph List
	// table, which is not exported; ask it once per code that our own
	// table does not know.
	var lib pdf.TextEncoding
	for c, name := range names {
		if s, ok := glyphNameText(name); ok {
			out[c] = s
			continue
		}
		if lib == nil {
			libFont := pdf.Font{V: fontDict}
			lib = libFont.Encoder()
		}
		got := lib.Decode(string([]byte{c}))
		r, _ := utf8.DecodeRuneInString(got)
		switch {
		case got != "" && r != rune(c) && r != utf8.RuneError:
			out[c] = got // found in the library's glyph list
		case r == rune(c) && (c >= 0x20 && c < 0x7f || c >= 0xa0):
			out[c] = got // not found: the code itself is the best guess
		default:
			out[c] = ""
		}
	}
	return out
}

// glyphNameText handles glyph names missing from the Adobe Glyph List:
// uniXXXX, uXXXX, f_f_i style ligatures and suffixed names like a.sc.
func glyphNameText(name string) (string, bool) {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if strings.Contains(name, "_") {
		var b strings.Builder
		for _, part := range strings.Split(name, "_") {
			s, ok := glyphNameText(part)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	if len(name) == 1 {
		return name, true
	}
	if s, ok := extraGlyphNames[name]; ok {
		return s, true
	}
	if r, ok := latin1GlyphNames[name]; ok {
		return string(r), true
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 && (len(name)-3)%4 == 0 {
		var b strings.Builder
		for i := 3; i < len(name); i += 4 {
			n, err := strconv.ParseUint(name[i:i+4], 16, 32)
			if err != nil {
				return "", false
			}
			b.WriteRune(rune(n))
		}
		return b.String(), true
	}
	if strings.HasPrefix(name, "u") && len(name) >= 5 && len(name) <= 7 {
		if n, err := strconv.ParseUint(name[1:], 16, 32); err == nil && utf8.ValidRune(rune(n)) {
			return string(rune(n)), true
		}
	}
	return "", false
}

// extraGlyphNames covers names the library's glyph list lacks but TeX and
// ligature-aware producers use, plus the base letters that suffixed
// names (a.sc, germandbls.alt) need without the library.
var extraGlyphNames = map[string]string{
	"ff": "ff", "fi": "fi", "fl": "fl", "ffi": "ffi", "ffl": "ffl", "ft": "ft", "st": "st",
	"Germandbls": "ẞ", "compwordmark": "", "visiblespace": "␣", "dotlessi": "ı", "dotlessj": "ȷ",
	"quotedblbase": "„", "quotedblleft": "“", "quotedblright": "”", "quotesinglbase": "‚",
	"quoteleft": "‘", "quoteright": "’", "endash": "–", "emdash": "—", "bullet": "•",
	"ellipsis": "…", "Euro": "€", "minus": "−", "perthousand": "‰", "circumflex": "ˆ",
	"tilde": "˜", "ring": "˚", "caron": "ˇ", "breve": "˘", "dotaccent": "˙",
	"hungarumlaut": "˝", "ogonek": "˛", "OE": "Œ", "oe": "œ", "Lslash": "Ł", "lslash": "ł",
	"guilsinglleft": "‹", "guilsinglright": "›", "dagger": "†", "daggerdbl": "‡", "trademark": "™",
}

func namedEncoding(name string, def *[256]rune) *[256]rune {
	switch name {
	case "WinAnsiEncoding":
		return &winAnsiEncoding
	case "MacRomanEncoding":
		return &macRomanEncoding
	case "StandardEncoding":
		return &standardEncoding
	case "PDFDocEncoding":
		return &pdfDocEncoding
	}
	return def
}

// type1BuiltinEncoding reads "dup <code> /<name> put" entries from the clear
// text part of an embedded Type 1 font program.
func type1BuiltinEncoding(desc pdf.Value) map[byte]string {
	ff := desc.Key("FontFile")
	if ff.Kind() != pdf.Stream {
		return nil
	}
	n := ff.Key("Length1").Int64()
	if n <= 0 || n > 1<<20 {
		n = 1 << 16
	}
	buf := make([]byte, n)
	m, _ := io.ReadFull(ff.Reader(), buf)
	src := string(buf[:m])
	i := strings.Index(src, "/Encoding")
	if i < 0 || strings.HasPrefix(src[i:], "/Encoding StandardEncoding") {
		return nil
	}
	out := map[byte]string{}
	for _, line := range strings.Split(src[i:], "dup ")[1:] {
		f := strings.Fields(line)
		if len(f) < 3 || f[2] != "put" || !strings.HasPrefix(f[1], "/") {
			continue
		}
		c, err := strconv.Atoi(f[0])
		if err != nil || c < 0 || c > 255 {
			continue
		}
		name := f[1][1:]
		if s, ok := glyphNameText(name); ok {
			out[byte(c)] = s
		}
	}
	return out
}
