package pdftext

import (
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// graphicsState holds what q/Q save: the CTM and the text state parameters.
type graphicsState struct {
	ctm                        matrix
	tc, tw, th, tl, tfs, trise float64
	font                       *font
}

// Limits that keep a hostile file from looping.
const (
	maxFormDepth   = 12
	maxFormCalls   = 5000
	maxPageOps     = 5_000_000
	maxRunsPerPage = 200_000
)

// Spacing thresholds as fractions of the font size.
const (
	// A gap wider than this between two glyphs is a word space.
	wordGap = 0.15
	// Glyphs further apart than this start a new run: the layout decides
	// about columns and table cells.
	runBreakGap = 1.0
	// Glyphs moving back more than this start a new run (an accent moves
	// back about half an em over its letter).
	runBackGap = 0.7
)

type walker struct {
	fonts     *fontCache
	gs        graphicsState
	stack     []graphicsState
	tm, tlm   matrix
	runs      []textRun
	cur       *textRun // the run being extended, or nil
	args      []pdf.Value
	formCalls int
	ops       int
	inImage   bool
	scanBuf   []byte // for endsInHexString
}

// walkPage interprets a page's content stream and its Form XObjects and
// returns the text runs in drawing order.
//
// A page with more than maxPageOps operators keeps the text found up to
// there; any other panic (a malformed file) goes to the caller.
func walkPage(page pdf.Value, fonts *fontCache) (runs []textRun) {
	w := &walker{fonts: fonts}
	w.gs = graphicsState{ctm: identity, th: 1}
	contents := page.Key("Contents")
	if contents.Kind() != pdf.Stream && contents.Kind() != pdf.Array {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(errTooManyOps); !ok {
				panic(p)
			}
			runs = w.runs
		}
	}()
	w.run(contents, inherited(page, "Resources"), 0)
	return w.runs
}

// errTooManyOps stops the interpretation of a page at maxPageOps.
type errTooManyOps struct{}

// inherited looks a page attribute up the page tree.
func inherited(page pdf.Value, key string) pdf.Value {
	for i := 0; i < 32 && page.Kind() == pdf.Dict; i++ {
		if v := page.Key(key); !v.IsNull() {
			return v
		}
		page = page.Key("Parent")
	}
	return pdf.Value{}
}

// run interprets one content stream with the given resources.
func (w *walker) run(strm, res pdf.Value, depth int) {
	if w.scanBuf == nil {
		w.scanBuf = make([]byte, 4096)
	}
	if endsInHexString(strm, w.scanBuf) {
		panic(errOpenHexString) // the library's lexer would never return
	}
	sc := &scope{res: res}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		w.ops++
		if w.ops > maxPageOps {
			panic(errTooManyOps{})
		}
		args := w.args[:0]
		for n := stk.Len(); n > 0; n-- {
			args = append(args, stk.Pop())
		}
		// args are popped top first; reverse into operand order.
		for i, j := 0, len(args)-1; i < j; i, j = i+1, j-1 {
			args[i], args[j] = args[j], args[i]
		}
		w.args = args
		if w.inImage {
			if op == "EI" {
				w.inImage = false
			}
			return
		}
		w.op(op, args, sc, depth)
	})
}

func num(args []pdf.Value, i int) float64 {
	if i < len(args) {
		return args[i].Float64()
	}
	return 0
}

func (w *walker) op(op string, args []pdf.Value, sc *scope, depth int) {
	g := &w.gs
	switch op {
	case "q":
		if len(w.stack) < 1000 {
			w.stack = append(w.stack, w.gs)
		}
	case "Q":
		if n := len(w.stack); n > 0 {
			w.gs = w.stack[n-1]
			w.stack = w.stack[:n-1]
		}
	case "cm":
		if len(args) == 6 {
			g.ctm = matrixArgs(args).mul(g.ctm)
		}
	case "BT":
		w.tm, w.tlm = identity, identity
	case "ET":
	case "Tc":
		g.tc = num(args, 0)
	case "Tw":
		g.tw = num(args, 0)
	case "Tz":
		g.th = num(args, 0) / 100
	case "TL":
		g.tl = num(args, 0)
	case "Ts":
		g.trise = num(args, 0)
	case "Tf":
		if len(args) == 2 {
			g.font = w.font(args[0].Name(), sc)
			g.tfs = args[1].Float64()
		}
	case "Td":
		w.moveLine(num(args, 0), num(args, 1))
	case "TD":
		g.tl = -num(args, 1)
		w.moveLine(num(args, 0), num(args, 1))
	case "Tm":
		if len(args) == 6 {
			w.tm = matrixArgs(args)
			w.tlm = w.tm
		}
	case "T*":
		w.moveLine(0, -g.tl)
	case "Tj":
		if len(args) == 1 {
			w.show(args[0].RawString())
		}
	case "'":
		if len(args) == 1 {
			w.moveLine(0, -g.tl)
			w.show(args[0].RawString())
		}
	case "\"":
		if len(args) == 3 {
			g.tw, g.tc = args[0].Float64(), args[1].Float64()
			w.moveLine(0, -g.tl)
			w.show(args[2].RawString())
		}
	case "TJ":
		if len(args) == 1 {
			arr := args[0]
			for i := 0; i < arr.Len(); i++ {
				x := arr.Index(i)
				if x.Kind() == pdf.String {
					w.show(x.RawString())
				} else {
					w.advance(-x.Float64() / 1000 * g.tfs * g.th)
				}
			}
		}
	case "Do":
		if len(args) == 1 {
			w.doXObject(args[0].Name(), sc, depth)
		}
	case "BI":
		w.inImage = true
	}
}

func matrixArgs(args []pdf.Value) matrix {
	var m matrix
	for i := range m {
		m[i] = args[i].Float64()
	}
	return m
}

func (w *walker) moveLine(tx, ty float64) {
	w.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(w.tlm)
	w.tm = w.tlm
}

// advance moves the text matrix by tx text space units along the baseline.
func (w *walker) advance(tx float64) {
	w.tm[4] += tx * w.tm[0]
	w.tm[5] += tx * w.tm[1]
}

// scope is the resources of one content stream (a page or a form), with
// the lookups made in it.
type scope struct {
	res      pdf.Value
	resolved bool
	fontRes  pdf.Value
	fontKey  string
	fonts    map[string]*font
	xobjects pdf.Value
}

func (sc *scope) resolve() {
	if !sc.resolved {
		sc.resolved = true
		sc.fontRes = sc.res.Key("Font")
		sc.fontKey = sc.fontRes.String()
		sc.xobjects = sc.res.Key("XObject")
		sc.fonts = map[string]*font{}
	}
}

// font resolves a font resource name.
func (w *walker) font(name string, sc *scope) *font {
	sc.resolve()
	if f, ok := sc.fonts[name]; ok {
		return f
	}
	f := w.fonts.lookup(sc.fontRes, sc.fontKey, name)
	sc.fonts[name] = f
	return f
}

// doXObject runs a Form XObject with its matrix and resources.
func (w *walker) doXObject(name string, sc *scope, depth int) {
	sc.resolve()
	xo := sc.xobjects.Key(name)
	if xo.Kind() != pdf.Stream || xo.Key("Subtype").Name() != "Form" {
		return
	}
	w.formCalls++
	if depth >= maxFormDepth || w.formCalls > maxFormCalls {
		return
	}
	saved, savedTm, savedTlm := w.gs, w.tm, w.tlm
	if m := xo.Key("Matrix"); m.Kind() == pdf.Array && m.Len() == 6 {
		var mm matrix
		for i := range mm {
			mm[i] = m.Index(i).Float64()
		}
		w.gs.ctm = mm.mul(w.gs.ctm)
	}
	formRes := xo.Key("Resources")
	if formRes.Kind() != pdf.Dict {
		formRes = sc.res
	}
	stackLen := len(w.stack)
	w.run(xo, formRes, depth+1)
	w.stack = w.stack[:min(stackLen, len(w.stack))]
	w.gs, w.tm, w.tlm = saved, savedTm, savedTlm
}

// show draws a string with the current font, advancing the text matrix
// glyph by glyph.
func (w *walker) show(raw string) {
	g := &w.gs
	f := g.font
	if f == nil { // text shown before any Tf
		f = w.fonts.fallback()
	}
	m := w.tm.mul(g.ctm)
	// Positive character spacing is letter spacing (PostScript's ashow)
	// and counts as part of each glyph, except in a string of at most two
	// glyphs without a space: Ghostscript writes "2.5 Tc (gM) Tj" to put a
	// word space between g and M.
	letterSpacing := max(g.tc*g.th, 0)
	if !f.composite && len(raw) <= 2 && !strings.Contains(raw, " ") {
		letterSpacing = 0
	}
	for len(raw) > 0 {
		var gi glyphInfo
		isSpace := false
		if f.composite {
			n := codeLen(f.spaces, raw, 2)
			code := codeValue(raw[:n])
			gi = f.glyph(code, n)
			isSpace = n == 1 && code == 32
			raw = raw[n:]
		} else {
			c := raw[0]
			gi = glyphInfo{f.text[c], f.width[c]}
			isSpace = c == 32
			raw = raw[1:]
		}
		w0 := gi.width * g.tfs * g.th
		tx := w0 + g.tc*g.th
		if isSpace {
			tx += g.tw * g.th
		}
		if gi.text != "" {
			// Glyph origin (with rise) and end, in user space.
			x0 := g.trise*m[2] + m[4]
			y0 := g.trise*m[3] + m[5]
			ext := w0 + letterSpacing
			x1, y1 := x0+ext*m[0], y0+ext*m[1]
			size := g.tfs * math.Hypot(m[2], m[3]) * f.sizeScale
			w.addGlyph(x0, y0, x1, y1, m[0], m[1], size, gi.text)
		}
		m[4] += tx * m[0]
		m[5] += tx * m[1]
		w.advance(tx)
	}
}
