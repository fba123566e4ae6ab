package pdftext

import (
	"io"
	"strconv"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// cmap is a parsed CMap stream: a ToUnicode map (bfchar, bfrange) or a
// composite font's Encoding (codespace ranges, cidchar, cidrange).
//
// We parse CMaps with our own small tokenizer instead of pdf.Interpret: the
// library's interpreter panics on "begin" without a dictionary (which the
// standard "/CIDInit /ProcSet findresource begin" preamble produces when the
// callback cannot push one) and its own ToUnicode decoder is only used when
// a font has no /Encoding.
type cmap struct {
	spaces []codespace
	text   map[cmapKey]string
	ranges []cmapRange // bfrange entries mapping to a UTF-16 base value
	cids   map[cmapKey]uint32
	cidRng []cmapRange // cidrange entries
}

// cmapKey is a character code with its length in bytes, since <20> and
// <0020> are different codes.
type cmapKey struct {
	code uint32
	n    int
}

type codespace struct {
	n      int
	lo, hi uint32
}

type cmapRange struct {
	n      int
	lo, hi uint32
	base   []uint16 // bfrange: UTF-16 of the first code; cidrange: unused
	cid    uint32   // cidrange: CID of the first code
	list   []string // bfrange with an array of destinations
	isList bool
}

// maxCMapSize bounds how much of a CMap stream is read.
const maxCMapSize = 4 << 20

// readCMap parses the CMap in stream v. It never panics; a broken stream
// yields whatever was parsed before the error (possibly nil).
func readCMap(v pdf.Value) (m *cmap) {
	if v.Kind() != pdf.Stream {
		return nil
	}
	defer func() {
		if recover() != nil {
			m = nil
		}
	}()
	data, _ := io.ReadAll(io.LimitReader(v.Reader(), maxCMapSize))
	return parseCMap(data)
}

// parseCMap parses CMap source text.
func parseCMap(data []byte) *cmap {
	m := &cmap{text: map[cmapKey]string{}, cids: map[cmapKey]uint32{}}
	var ops []cmapToken // operands since the last begin… operator
	lx := cmapLexer{data: data}
	for {
		tok, ok := lx.next()
		if !ok {
			break
		}
		if tok.kind != tokKeyword {
			ops = append(ops, tok)
			continue
		}
		switch tok.s {
		case "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				lo, hi := ops[i], ops[i+1]
				if lo.kind == tokString && hi.kind == tokString && len(lo.s) == len(hi.s) && len(lo.s) >= 1 && len(lo.s) <= 4 {
					m.spaces = append(m.spaces, codespace{len(lo.s), codeValue(lo.s), codeValue(hi.s)})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops); i += 2 {
				src, dst := ops[i], ops[i+1]
				if src.kind == tokString && dst.kind == tokString && validCode(src.s) {
					m.text[cmapKey{codeValue(src.s), len(src.s)}] = utf16Text(dst.s)
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops); i += 3 {
				lo, hi, dst := ops[i], ops[i+1], ops[i+2]
				if lo.kind != tokString || hi.kind != tokString || len(lo.s) != len(hi.s) || !validCode(lo.s) {
					continue
				}
				r := cmapRange{n: len(lo.s), lo: codeValue(lo.s), hi: codeValue(hi.s)}
				if r.hi < r.lo {
					continue
				}
				switch dst.kind {
				case tokString:
					r.base = utf16Units(dst.s)
				case tokArray:
					r.isList = true
					for _, d := range dst.list {
						r.list = append(r.list, utf16Text(d))
					}
				default:
					continue
				}
				m.ranges = append(m.ranges, r)
			}
		case "endcidchar":
			for i := 0; i+1 < len(ops); i += 2 {
				src, cid := ops[i], ops[i+1]
				if src.kind == tokString && cid.kind == tokNumber && validCode(src.s) {
					m.cids[cmapKey{codeValue(src.s), len(src.s)}] = uint32(cid.num)
				}
			}
		case "endcidrange":
			for i := 0; i+2 < len(ops); i += 3 {
				lo, hi, cid := ops[i], ops[i+1], ops[i+2]
				if lo.kind == tokString && hi.kind == tokString && cid.kind == tokNumber && len(lo.s) == len(hi.s) && validCode(lo.s) {
					m.cidRng = append(m.cidRng, cmapRange{n: len(lo.s), lo: codeValue(lo.s), hi: codeValue(hi.s), cid: uint32(cid.num)})
				}
			}
		}
		ops = ops[:0]
	}
	return m
}

// lookupText returns the Unicode text of a code.
func (m *cmap) lookupText(code uint32, n int) (string, bool) {
	if m == nil {
		return "", false
	}
	if s, ok := m.text[cmapKey{code, n}]; ok {
		return s, true
	}
	for _, r := range m.ranges {
		if r.n != n || code < r.lo || code > r.hi {
			continue
		}
		off := code - r.lo
		if r.isList {
			if int(off) < len(r.list) {
				return r.list[off], true
			}
			return "", false
		}
		if len(r.base) == 0 {
			return "", false
		}
		u := append([]uint16(nil), r.base...)
		u[len(u)-1] += uint16(off)
		return string(utf16.Decode(u)), true
	}
	return "", false
}

// lookupCID returns the CID of a code in an Encoding CMap.
func (m *cmap) lookupCID(code uint32, n int) (uint32, bool) {
	if m == nil {
		return 0, false
	}
	if c, ok := m.cids[cmapKey{code, n}]; ok {
		return c, true
	}
	for _, r := range m.cidRng {
		if r.n == n && code >= r.lo && code <= r.hi {
			return r.cid + code - r.lo, true
		}
	}
	return 0, false
}

// codeLen returns the length of the code at the start of s according to
// the codespace ranges, or def if there are none.
func codeLen(spaces []codespace, s string, def int) int {
	if len(spaces) == 0 {
		return min(def, len(s))
	}
	for n := 1; n <= 4 && n <= len(s); n++ {
		c := codeValue(s[:n])
		for _, sp := range spaces {
			if sp.n == n && c >= sp.lo && c <= sp.hi {
				return n
			}
		}
	}
	// Not in any range: use the shortest declared length, as poppler does.
	short := 4
	for _, sp := range spaces {
		short = min(short, sp.n)
	}
	return min(short, len(s))
}

func validCode(s string) bool { return len(s) >= 1 && len(s) <= 4 }

func codeValue(s string) uint32 {
	var c uint32
	for i := 0; i < len(s); i++ {
		c = c<<8 | uint32(s[i])
	}
	return c
}

func utf16Units(s string) []uint16 {
	if len(s) == 1 {
		return []uint16{uint16(s[0])}
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return u
}

func utf16Text(s string) string { return string(utf16.Decode(utf16Units(s))) }

// cmapLexer tokenizes CMap (PostScript) source.
type cmapLexer struct {
	data []byte
	pos  int
}

type tokKind int

const (
	tokKeyword tokKind = iota
	tokString
	tokNumber
	tokName
	tokArray
	tokOther
)

type cmapToken struct {
	kind tokKind
	s    string
	num  int64
	list []string // tokArray: its string elements
}

func (lx *cmapLexer) next() (cmapToken, bool) {
	d := lx.data
	for lx.pos < len(d) {
		c := d[lx.pos]
		switch {
		case c == '%':
			for lx.pos < len(d) && d[lx.pos] != '\n' && d[lx.pos] != '\r' {
				lx.pos++
			}
		case isPDFSpace(c):
			lx.pos++
		case c == '<' && lx.pos+1 < len(d) && d[lx.pos+1] == '<', c == '>' && lx.pos+1 < len(d) && d[lx.pos+1] == '>':
			lx.pos += 2
			return cmapToken{kind: tokOther}, true
		case c == '<':
			return cmapToken{kind: tokString, s: lx.hex()}, true
		case c == '(':
			return cmapToken{kind: tokString, s: lx.literal()}, true
		case c == '[':
			lx.pos++
			var list []string
			for {
				t, ok := lx.next()
				if !ok || t.kind == tokOther && t.s == "]" {
					break
				}
				if t.kind == tokString {
					list = append(list, t.s)
				}
			}
			return cmapToken{kind: tokArray, list: list}, true
		case c == ']' || c == '{' || c == '}' || c == ')' || c == '>':
			lx.pos++
			return cmapToken{kind: tokOther, s: string(c)}, true
		case c == '/':
			lx.pos++
			return cmapToken{kind: tokName, s: lx.word()}, true
		default:
			w := lx.word()
			if w == "" {
				lx.pos++
				continue
			}
			if n, err := strconv.ParseInt(w, 10, 64); err == nil {
				return cmapToken{kind: tokNumber, num: n}, true
			}
			if f, err := strconv.ParseFloat(w, 64); err == nil {
				return cmapToken{kind: tokNumber, num: int64(f)}, true
			}
			return cmapToken{kind: tokKeyword, s: w}, true
		}
	}
	return cmapToken{}, false
}

func (lx *cmapLexer) word() string {
	start := lx.pos
	for lx.pos < len(lx.data) && !isPDFSpace(lx.data[lx.pos]) && !isPDFDelim(lx.data[lx.pos]) {
		lx.pos++
	}
	return string(lx.data[start:lx.pos])
}

func (lx *cmapLexer) hex() string {
	lx.pos++ // '<'
	var out []byte
	var hi byte
	odd := false
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		lx.pos++
		if c == '>' {
			break
		}
		v, ok := hexVal(c)
		if !ok {
			continue
		}
		if odd {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		odd = !odd
	}
	if odd {
		out = append(out, hi<<4)
	}
	return string(out)
}

func (lx *cmapLexer) literal() string {
	lx.pos++ // '('
	var out []byte
	depth := 1
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		lx.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return string(out)
			}
		case '\\':
			if lx.pos >= len(lx.data) {
				return string(out)
			}
			e := lx.data[lx.pos]
			lx.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := e - '0'
				for k := 0; k < 2 && lx.pos < len(lx.data) && lx.data[lx.pos] >= '0' && lx.data[lx.pos] <= '7'; k++ {
					v = v<<3 | (lx.data[lx.pos] - '0')
					lx.pos++
				}
				c = v
			case '\r', '\n':
				continue
			default:
				c = e
			}
		}
		out = append(out, c)
	}
	return string(out)
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
