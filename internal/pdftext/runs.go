package pdftext

import "math"

// textRun is a piece of text drawn on one baseline without a gap, in the
// page's "reading frame": for upright text the default user space; for
// rotated text a frame turned so that its baseline runs along +u.
type textRun struct {
	u0, u1 float64 // start and end along the baseline
	v      float64 // baseline position, growing upwards
	size   float64 // em size in user space units
	rot    int     // 0, 1, 2, 3: quarter turns counter-clockwise
	text   []byte
}

// addGlyph appends a glyph to the current run or starts a new one.
func (w *walker) addGlyph(x0, y0, x1, y1, dx, dy, size float64, text string) {
	if size <= 0 || math.IsNaN(size) || math.IsInf(size, 0) {
		return
	}
	rot := 0
	switch {
	case math.Abs(dx) >= math.Abs(dy) && dx < 0:
		rot = 2
	case math.Abs(dy) > math.Abs(dx) && dy > 0:
		rot = 1
	case math.Abs(dy) > math.Abs(dx) && dy < 0:
		rot = 3
	case dx == 0 && dy == 0:
		return
	}
	u0, v := toFrame(rot, x0, y0)
	u1, _ := toFrame(rot, x1, y1)
	if c := w.cur; c != nil && c.rot == rot && math.Abs(c.size-size) < 0.25*size &&
		math.Abs(c.v-v) < 0.6*size && u0 < c.u1 && max(u1, u0+0.1*size) > c.u0 {
		// An accent drawn apart from its letter, raised over a capital
		// (TeX's \accent): keep both in one run, as accent then letter or
		// letter then accent; CleanText combines them.
		if isDiacritics(c.text) {
			c.text = append(c.text, text...)
			c.u0, c.u1, c.v = min(c.u0, u0), max(c.u1, u1), v
			return
		}
		if isDiacritics([]byte(text)) && math.Abs(c.v-v) >= 0.1*size {
			c.text = append(c.text, text...)
			return
		}
	}
	if c := w.cur; c != nil && c.rot == rot &&
		math.Abs(c.v-v) < 0.1*size && math.Abs(c.size-size) < 0.25*size {
		gap := u0 - c.u1
		switch {
		case gap > -runBackGap*size && gap <= wordGap*size:
			c.text = append(c.text, text...)
			c.u1 = max(c.u1, u1)
			return
		case gap > wordGap*size && gap < runBreakGap*size:
			if !endsWithSpace(c.text) && !startsWithSpace(text) {
				c.text = append(c.text, ' ')
			}
			c.text = append(c.text, text...)
			c.u1 = max(c.u1, u1)
			return
		}
	}
	if isBlank(text) {
		return // a run never starts with a space
	}
	w.flush()
	if len(w.runs) >= maxRunsPerPage {
		return
	}
	w.runs = append(w.runs, textRun{u0: u0, u1: max(u0, u1), v: v, size: size, rot: rot, text: append([]byte(nil), text...)})
	w.cur = &w.runs[len(w.runs)-1]
}

// flush ends the current run.
func (w *walker) flush() { w.cur = nil }

// toFrame maps a user space point into the reading frame of a rotation.
func toFrame(rot int, x, y float64) (u, v float64) {
	switch rot {
	case 1:
		return y, -x
	case 2:
		return -x, -y
	case 3:
		return -y, x
	}
	return x, y
}

func endsWithSpace(b []byte) bool   { return len(b) > 0 && b[len(b)-1] == ' ' }
func startsWithSpace(s string) bool { return len(s) > 0 && s[0] == ' ' }

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\u00a0' && r != '\t' {
			return false
		}
	}
	return true
}

// isDiacritics reports whether b holds only spacing diacritics (¨ ´ ˆ …).
func isDiacritics(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, r := range string(b) {
		if _, ok := spacingToCombining[r]; !ok {
			return false
		}
	}
	return true
}
