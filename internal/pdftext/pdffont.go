package pdftext

import (
	"math"
	"strings"

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

// fontCache shares parsed fonts between the pages of one document.
//
// The library re-reads (and re-inflates object streams) on every access to
// an indirect object, so resolving a font dictionary costs more than all
// the glyphs drawn with it. A font is therefore looked up by its resource
// name together with the printed form of the /Font resource dictionary, in
// which the fonts appear as "n g R" references: the same key means the same
// font object, and a cache hit resolves nothing. Other resource dictionaries
// share a font by its reference, or else by the printed form of the font
// dictionary itself.
type fontCache struct {
	byName map[string]*font // resource dictionary and name
	byRef  map[string]*font // indirect reference of the font
	byDict map[string]*font // printed font dictionary
	fallbk *font
}

// fallback returns the document's shared fallback font.
func (c *fontCache) fallback() *font {
	if c.fallbk == nil {
		c.fallbk = fallbackFont()
	}
	return c.fallbk
}

func newFontCache() *fontCache {
	return &fontCache{byName: map[string]*font{}, byRef: map[string]*font{}, byDict: map[string]*font{}}
}

// lookup returns the font named name in the /Font resource dictionary
// fontRes, whose printed form is resKey.
func (c *fontCache) lookup(fontRes pdf.Value, resKey, name string) *font {
	key := resKey + "\x00" + name
	if f, ok := c.byName[key]; ok {
		return f
	}
	ref := fontRef(resKey, name)
	if f, ok := c.byRef[ref]; ok && ref != "" {
		c.byName[key] = f
		return f
	}
	var f *font
	if v := fontRes.Key(name); v.Kind() != pdf.Dict {
		f = c.fallback()
	} else {
		dictKey := v.String()
		if f = c.byDict[dictKey]; f == nil {
			f = loadFont(v)
			c.byDict[dictKey] = f
		}
	}
	c.byName[key] = f
	if ref != "" {
		c.byRef[ref] = f
	}
	return f
}

// fontRef finds the indirect reference ("12 0 R") of a font in the printed
// form of a /Font resource dictionary ("<</F1 12 0 R/F2 13 0 R>>"), so that
// pages with different font sets still share the fonts they have in
// common without resolving them. It returns "" for direct font dictionaries.
func fontRef(printed, name string) string {
	if strings.Count(printed, "<<") != 1 {
		return "" // a direct font dictionary: its keys would look like fonts
	}
	needle := "/" + name + " "
	for i := 0; ; {
		j := strings.Index(printed[i:], needle)
		if j < 0 {
			return ""
		}
		i += j
		if i == 2 || printed[i-1] == ' ' { // after "<<" or between entries
			rest := printed[i+len(needle):]
			f := strings.Fields(rest)
			if len(f) >= 3 && isDigits(f[0]) && isDigits(f[1]) && strings.HasPrefix(f[2], "R") {
				return f[0] + " " + f[1]
			}
			return ""
		}
		i += len(needle)
	}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
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
	subtype := v.Key("Subtype").Name()
	if subtype == "Type0" {
		return loadCompositeFont(v)
	}
	return loadSimpleFont(v, subtype)
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

func loadSimpleFont(v pdf.Value, subtype string) *font {
	f := &font{sizeScale: 1}
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
	flags := desc.Key("Flags").Int64()
	symbolic := flags&4 != 0 && flags&32 == 0

	f.text = simpleFontText(v, desc, subtype, symbolic)
	loadSimpleWidths(f, v, desc, widthScale)
	return f
}

// simpleFontText maps each code of a simple font to its text: the
// ToUnicode CMap first, then /Differences (or a Type 1 font program's
// built-in encoding), then the base encoding.
func simpleFontText(v, desc pdf.Value, subtype string, symbolic bool) (text [256]string) {
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
			text[c] = s
			continue
		}
		if s, ok := diffs[byte(c)]; ok {
			text[c] = s
			continue
		}
		if r := base[c]; r != 0 {
			text[c] = string(r)
		}
	}

	return text
}

// loadSimpleWidths sets the glyph widths of f from /Widths, or for the
// standard 14 fonts, which may omit them, from their metrics.
func loadSimpleWidths(f *font, v, desc pdf.Value, widthScale float64) {
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
		return
	}
	metrics := standardMetrics(v.Key("BaseFont").Name())
	for c := 0; c < 256; c++ {
		f.width[c] = metrics(f.text[c])
	}
}
