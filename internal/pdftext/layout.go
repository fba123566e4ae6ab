package pdftext

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// line is a set of runs sharing a baseline, sorted left to right.
type line struct {
	runs []*textRun
	v    float64 // baseline of the largest run
	size float64 // largest em size
}

// Layout thresholds as fractions of the font size.
const (
	// A vertical gap between two lines (descender to ascender) larger than
	// this starts a paragraph.
	paragraphGap = 0.7
	// A column gutter is at least this wide.
	gutterWidth = 1.0
	// Columns need this many lines and words on each side to be read one
	// after the other; anything smaller (a table, a page number beside a
	// list) is read line by line.
	minColumnLines = 3
	minColumnWords = 10
	maxColumnDepth = 3
	// A vertical gap larger than this ends a column zone: a table with
	// airy rows below or above columns is not part of them.
	zoneGap = 1.0
)

// layoutText turns the runs of a page into text: upright text first, then
// each other rotation, each in reading order.
func layoutText(runs []textRun) string {
	var parts []string
	for rot := 0; rot < 4; rot++ {
		var group []*textRun
		for i := range runs {
			if runs[i].rot == rot && !privateUseOnly(runs[i].text) {
				group = append(group, &runs[i])
			}
		}
		if len(group) > 0 {
			parts = append(parts, layoutBlock(group, 0))
		}
	}
	return strings.Join(parts, "\n\n")
}

// privateUseOnly reports whether a run holds only private-use characters
// (bullets of symbol fonts), which CleanText drops; they must not take part
// in finding lines.
func privateUseOnly(b []byte) bool {
	for _, r := range string(b) {
		if !unicode.Is(unicode.Co, r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// layoutBlock lays out a block of runs: lines top to bottom, with column
// zones read column by column.
func layoutBlock(runs []*textRun, depth int) string {
	lines := groupLines(runs)
	var cands []float64
	if depth < maxColumnDepth {
		cands = gutterCandidates(lines)
	}
	var b strings.Builder
	var prev *line
	for i := 0; i < len(lines); {
		if len(cands) > 0 {
			if end, gutter := columnZone(lines, i, cands); end > i {
				left, right := splitRuns(lines[i:end], gutter)
				writeBreak(&b, "\n\n")
				b.WriteString(layoutBlock(left, depth+1))
				b.WriteString("\n\n")
				b.WriteString(layoutBlock(right, depth+1))
				prev = nil
				i = end
				continue
			}
		}
		l := lines[i]
		if prev != nil {
			if lineGap(prev, l) > paragraphGap*min(prev.size, l.size) {
				writeBreak(&b, "\n\n")
			} else {
				writeBreak(&b, "\n")
			}
		} else {
			writeBreak(&b, "\n\n")
		}
		writeLine(&b, l)
		prev = l
		i++
	}
	return strings.TrimSpace(b.String())
}

// lineGap is the white space between two lines, from the descender of the
// upper to the ascender of the lower line.
func lineGap(upper, lower *line) float64 {
	return (upper.v - 0.25*upper.size) - (lower.v + 0.75*lower.size)
}

// writeBreak writes a line or paragraph break unless at the start.
func writeBreak(b *strings.Builder, brk string) {
	if b.Len() > 0 {
		b.WriteString(brk)
	}
}

// groupLines sorts runs into lines, top to bottom. Two runs share a line when
// their vertical extents (ascender to descender) overlap by more than half
// of the smaller one, so superscripts stay on their line.
func groupLines(runs []*textRun) []*line {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b *textRun) int {
		switch {
		case a.v > b.v:
			return -1
		case a.v < b.v:
			return 1
		}
		return cmpFloat(a.u0, b.u0)
	})
	var lines []*line
	for _, r := range sorted {
		var best *line
		// Look back a few lines: a superscript may have started one.
		for k := len(lines) - 1; k >= 0 && k >= len(lines)-3; k-- {
			if overlapsLine(lines[k], r) {
				best = lines[k]
				break
			}
		}
		if best == nil {
			lines = append(lines, &line{runs: []*textRun{r}, v: r.v, size: r.size})
			continue
		}
		best.runs = append(best.runs, r)
		if r.size > best.size {
			best.size, best.v = r.size, r.v
		}
	}
	for _, l := range lines {
		slices.SortStableFunc(l.runs, func(a, b *textRun) int { return cmpFloat(a.u0, b.u0) })
		l.runs = dropDuplicates(l.runs)
	}
	slices.SortStableFunc(lines, func(a, b *line) int { return cmpFloat(b.v, a.v) })
	return lines
}

func overlapsLine(l *line, r *textRun) bool {
	if max(l.size, r.size) > 1.6*min(l.size, r.size) {
		// Very different sizes (a big initial, a stamp beside an address)
		// share a line only on the same baseline.
		return math.Abs(l.v-r.v) < 0.25*min(l.size, r.size)
	}
	top1, bot1 := l.v+0.75*l.size, l.v-0.25*l.size
	top2, bot2 := r.v+0.75*r.size, r.v-0.25*r.size
	overlap := min(top1, top2) - max(bot1, bot2)
	return overlap > 0.5*min(l.size, r.size)
}

// dropDuplicates removes a run drawn again at almost the same place (shadow
// effects, fake bold).
func dropDuplicates(runs []*textRun) []*textRun {
	out := runs[:0]
	for _, r := range runs {
		dup := false
		for _, o := range out {
			if math.Abs(o.u0-r.u0) < 0.3*r.size && math.Abs(o.size-r.size) < 0.1*r.size && bytes.Equal(o.text, r.text) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out
}

// writeLine joins the runs of a line, with a space where they are apart.
func writeLine(b *strings.Builder, l *line) {
	var prev *textRun
	for _, r := range l.runs {
		if prev != nil {
			gap := r.u0 - prev.u1
			size := min(prev.size, r.size)
			// A superscript or subscript (a footnote mark, a sentence number
			// in a statute) is a word of its own.
			shifted := math.Abs(prev.v-r.v) > 0.15*size && gap > -0.05*size
			if (gap > wordGap*size || shifted) && !endsWithSpace(prev.text) && r.text[0] != ' ' {
				b.WriteByte(' ')
			}
		}
		b.Write(r.text)
		prev = r
	}
}

// columnZone looks for a column zone starting at line i: consecutive lines
// none of which has text crossing a vertical gutter, with enough text on
// both sides. Gutter candidates are the middles of wide gaps inside single
// lines. It returns the end of the longest such zone (exclusive) and its
// gutter, or end == i when there is none.
func columnZone(lines []*line, i int, cands []float64) (end int, gutter float64) {
	best, bestGutter := i, 0.0
	for _, x := range cands {
		j := i
		for j < len(lines) && !crosses(lines[j], x) && (j == i || lineGap(lines[j-1], lines[j]) <= zoneGap*lines[j].size) {
			j++
		}
		if j > best && j-i >= minColumnLines && enoughColumns(lines[i:j], x) {
			best, bestGutter = j, x
		}
	}
	return best, bestGutter
}

// gutterCandidates returns the middles of the gaps of at least gutterWidth em
// between the runs of a line, for all lines, without near-duplicates.
func gutterCandidates(lines []*line) []float64 {
	var cands []float64
	for _, l := range lines {
		end := math.Inf(-1)
		for k, r := range l.runs {
			if k > 0 && r.u0-end >= gutterWidth*l.size {
				x := (r.u0 + end) / 2
				dup := false
				for _, c := range cands {
					if math.Abs(c-x) < 0.5*l.size {
						dup = true
						break
					}
				}
				if !dup && len(cands) < 64 {
					cands = append(cands, x)
				}
			}
			end = max(end, r.u1)
		}
	}
	return cands
}

// crosses reports whether a run of the line covers x.
func crosses(l *line, x float64) bool {
	for _, r := range l.runs {
		if r.u0 < x && r.u1 > x {
			return true
		}
	}
	return false
}

// enoughColumns reports whether both sides of the gutter hold prose: enough
// lines and words, not a table of short cells.
func enoughColumns(lines []*line, gutter float64) bool {
	var leftLines, rightLines, leftWords, rightWords int
	for _, l := range lines {
		var lw, rw int
		for _, r := range l.runs {
			n := wordCount(r.text)
			if r.u1 <= gutter {
				lw += n
			} else {
				rw += n
			}
		}
		if lw > 0 {
			leftLines++
			leftWords += lw
		}
		if rw > 0 {
			rightLines++
			rightWords += rw
		}
	}
	return leftLines >= minColumnLines && rightLines >= minColumnLines &&
		leftWords >= minColumnWords && rightWords >= minColumnWords &&
		float64(leftWords)/float64(leftLines) >= 2.5 && float64(rightWords)/float64(rightLines) >= 2.5
}

func splitRuns(lines []*line, gutter float64) (left, right []*textRun) {
	for _, l := range lines {
		for _, r := range l.runs {
			if r.u1 <= gutter {
				left = append(left, r)
			} else {
				right = append(right, r)
			}
		}
	}
	return left, right
}

func wordCount(b []byte) int {
	n, in := 0, false
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if letter && !in {
			n++
		}
		in = letter
	}
	return n
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
