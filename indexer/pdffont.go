package indexer

import (
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// font is what the text walker needs of a PDF font, resolved once per font:
// the Unicode text and the advance width of every character code.
//
// The library's Font looks widths up per decoded rune and re-reads the
// /Widths array for every glyph, and its Encoder ignores /ToUnicode whenever
// /Encoding is present; this type fixes both.
type font struct {
	composite bool
	// Simple fonts: one byte per code.
	text  [256]string
	width [256]float64 // advance in text space units for a font size of 1
	// Composite fonts: codes of one to four bytes (two for Identity-H).
	spaces   []codespace
	enc      *cmap // Encoding CMap (code -> CID); nil means Identity
	toUni    *cmap
	cidW     map[uint32]float64
	dw       float64
	ucs2     bool // predefined UCS-2 CMap: the code is the Unicode value
	cache    map[cmapKey]glyphInfo
	vertical bool
	// sizeScale converts the font size to an em size (Type 3 fonts have
	// their own FontMatrix).
	sizeScale float64
}

type glyphInfo struct {
	text  string
	width float64
}

// fontCache shares parsed fonts between the pages of one document. The key
// is the font dictionary's printed form, in which indirect references stay
// "n g R", so two keys are equal only for the same font object or an
// identical direct one.
type fontCache struct {
	byKey map[string]*font
}

func newFontCache() *fontCache { return &fontCache{byKey: map[string]*font{}} }

func (c *fontCache) get(v pdf.Value) *font {
	key := v.String()
	if f, ok := c.byKey[key]; ok {
		return f
	}
	f := loadFont(v)
	c.byKey[key] = f
	return f
}

// fallbackFont is used when a font dictionary is missing or unreadable:
// Latin-1 text with half-em widths.
func fallbackFont() *font {
	f := &font{sizeScale: 1}
	for c := 0; c < 256; c++ {
		f.text[c] = string(rune(c))
		f.width[c] = 0.5
	}
	return f
}

// loadFont reads a font dictionary. It never panics.
func loadFont(v pdf.Value) (f *font) {
	defer func() {
		if recover() != nil {
			f = fallbackFont()
		}
	}()
	if v.Kind() != pdf.Dict {
		return fallbackFont()
	}
	if v.Key("Subtype").Name() == "Type0" {
		return loadCompositeFont(v)
	}
	return loadSimpleFont(v)
}

func loadCompositeFont(v pdf.Value) *font {
	f := &font{composite: true, sizeScale: 1, dw: 1, cache: map[cmapKey]glyphInfo{}}
	desc := v.Key("DescendantFonts").Index(0)
	if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		f.dw = dw.Float64() / 1000
	}
	f.cidW = parseCIDWidths(desc.Key("W"))
	enc := v.Key("Encoding")
	switch enc.Kind() {
	case pdf.Name:
		name := enc.Name()
		f.vertical = strings.HasSuffix(name, "-V")
		f.ucs2 = strings.Contains(name, "UCS2") || strings.Contains(name, "UTF16")
	case pdf.Stream:
		f.enc = readCMap(enc)
		if f.enc != nil {
			f.spaces = f.enc.spaces
		}
		f.vertical = enc.Key("WMode").Int64() == 1
	}
	f.toUni = readCMap(v.Key("ToUnicode"))
	if len(f.spaces) == 0 && f.toUni != nil && f.enc == nil && !isIdentityName(enc.Name()) {
		f.spaces = f.toUni.spaces
	}
	return f
}

func isIdentityName(s string) bool { return s == "Identity-H" || s == "Identity-V" }

// parseCIDWidths reads a CIDFont /W array: "c [w1 w2 …]" and "c1 c2 w" entries.
func parseCIDWidths(w pdf.Value) map[uint32]float64 {
	out := map[uint32]float64{}
	n := w.Len()
	for i := 0; i < n; {
		first := w.Index(i)
		if first.Kind() != pdf.Integer || i+1 >= n {
			break
		}
		c := uint32(first.Int64())
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := 0; j < next.Len() && j < 1<<16; j++ {
				out[c+uint32(j)] = next.Index(j).Float64() / 1000
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		last := uint32(next.Int64())
		wd := w.Index(i+2).Float64() / 1000
		for cid := c; cid <= last && cid-c < 1<<16; cid++ {
			out[cid] = wd
		}
		i += 3
	}
	return out
}

// glyph returns the text and width of a composite font's code.
func (f *font) glyph(code uint32, n int) glyphInfo {
	k := cmapKey{code, n}
	if g, ok := f.cache[k]; ok {
		return g
	}
	var g glyphInfo
	cid := code
	if f.enc != nil {
		if c, ok := f.enc.lookupCID(code, n); ok {
			cid = c
		}
	}
	if s, ok := f.toUni.lookupText(code, n); ok {
		g.text = s
	} else if f.ucs2 {
		g.text = string(rune(code))
	}
	g.width = f.dw
	if w, ok := f.cidW[cid]; ok {
		g.width = w
	}
	if len(f.cache) < 1<<16 {
		f.cache[k] = g
	}
	return g
}

func loadSimpleFont(v pdf.Value) *font {
	f := &font{sizeScale: 1}
	subtype := v.Key("Subtype").Name()
	widthScale := 0.001
	if subtype == "Type3" {
		fm := v.Key("FontMatrix")
		if a := fm.Index(0).Float64(); a != 0 {
			widthScale = a
		}
		if d := fm.Index(3).Float64(); d != 0 {
			f.sizeScale = math.Abs(d) * 1000
		}
	}
	desc := v.Key("FontDescriptor")
	symbolic := desc.Key("Flags").Int64()&4 != 0 && desc.Key("Flags").Int64()&32 == 0

	// Encoding: the base table, then /Differences.
	base := &standardEncoding
	if subtype == "TrueType" || symbolic || subtype == "Type3" {
		base = &latin1Encoding
	}
	enc := v.Key("Encoding")
	var diffs map[byte]string
	switch enc.Kind() {
	case pdf.Name:
		base = namedEncoding(enc.Name(), base)
	case pdf.Dict:
		if b := enc.Key("BaseEncoding"); b.Kind() == pdf.Name {
			base = namedEncoding(b.Name(), base)
		}
		diffs = differences(v, enc.Key("Differences"))
	case pdf.Null:
		if subtype == "Type1" || subtype == "MMType1" {
			if builtin := type1BuiltinEncoding(desc); builtin != nil {
				diffs = builtin
			}
		}
	}
	toUni := readCMap(v.Key("ToUnicode"))
	for c := 0; c < 256; c++ {
		if s, ok := toUni.lookupText(uint32(c), 1); ok {
			f.text[c] = s
			continue
		}
		if s, ok := diffs[byte(c)]; ok {
			f.text[c] = s
			continue
		}
		if r := base[c]; r != 0 {
			f.text[c] = string(r)
		}
	}

	// Widths.
	first := int(v.Key("FirstChar").Int64())
	widths := v.Key("Widths")
	missing := desc.Key("MissingWidth").Float64() * widthScale
	if widths.Kind() == pdf.Array && widths.Len() > 0 {
		for c := 0; c < 256; c++ {
			f.width[c] = missing
		}
		for i := 0; i < widths.Len() && first+i < 256; i++ {
			if first+i >= 0 {
				f.width[first+i] = widths.Index(i).Float64() * widthScale
			}
		}
		return f
	}
	metrics := standardMetrics(v.Key("BaseFont").Name())
	for c := 0; c < 256; c++ {
		f.width[c] = metrics(f.text[c])
	}
	return f
}

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
	// table, which is not exported; ask it once per code.
	libFont := pdf.Font{V: fontDict}
	lib := libFont.Encoder()
	for c, name := range names {
		if s, ok := glyphNameText(name); ok {
			out[c] = s
			continue
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
