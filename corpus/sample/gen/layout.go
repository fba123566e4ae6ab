package main

import (
	"fmt"
	"math"
	"strings"
)

// Slide geometry in cm: LibreOffice's 16:9 page.
const (
	slideW     = 28.0
	slideH     = 15.75
	marginX    = 1.2
	contentW   = slideW - 2*marginX
	padX       = 0.1 // text frame insets
	padY       = 0.1
	bodyTop    = 3.3
	bodyBottom = 14.2
	segGap     = 0.35 // between a text block and a table
	cellPadX   = 0.2
	cellPadY   = 0.1
	noteSize   = 11.0
)

// bodySizes are the body font sizes tried, largest first, until the slide's text fits.
var bodySizes = []float64{24, 22, 20, 18, 17, 16, 15, 14, 13, 12, 11, 10}

// lineHeight is the height of one line of text at size pt, in cm.
func lineHeight(size float64) float64 { return ptToCm(size) * 1.17 }

// roundHalf rounds v to the nearest half point.
func roundHalf(v float64) float64 { return math.Round(v*2) / 2 }

// blockSize returns the font size of a text block on a slide with body size s.
func blockSize(b block, s float64) float64 {
	if b.Kind == bulletBlock && b.Level > 1 {
		return roundHalf(s * math.Pow(0.88, float64(b.Level-1)))
	}
	return s
}

// bulletIndent returns the indent before the bullet and the bullet's label
// width for a list level, in cm, for body size s.
func bulletIndent(level int, s float64) (before, label float64) {
	em := ptToCm(s)
	return float64(level-1) * 0.95 * em, 0.95 * em
}

// textIndent is where the text of a block starts, relative to the frame's text area.
func textIndent(b block, s float64) float64 {
	if b.Kind != bulletBlock {
		return 0
	}
	before, label := bulletIndent(b.Level, s)
	return before + label
}

// spaceBefore is the space above a block that follows another one, in cm.
func spaceBefore(b block, s float64) float64 {
	if b.Kind == bulletBlock && b.Level > 1 {
		return ptToCm(s) * 0.15
	}
	return ptToCm(s) * 0.45
}

// tableSize is the font size of table text on a slide with body size s.
func tableSize(s float64) float64 { return min(18, max(9, math.Round(s*0.78))) }

// segment is a run of text blocks or a single table, laid out as one frame.
type segment struct {
	blocks []block
	table  bool
}

// segments groups a slide's blocks into frames.
func segments(bs []block) []segment {
	var segs []segment
	for _, b := range bs {
		switch {
		case b.Kind == tableBlock:
			segs = append(segs, segment{blocks: []block{b}, table: true})
		case len(segs) > 0 && !segs[len(segs)-1].table:
			segs[len(segs)-1].blocks = append(segs[len(segs)-1].blocks, b)
		default:
			segs = append(segs, segment{blocks: []block{b}})
		}
	}
	return segs
}

// textHeight estimates the height of a text frame at body size s.
func textHeight(bs []block, s float64) float64 {
	h := 2 * padY
	for i, b := range bs {
		size := blockSize(b, s)
		if i > 0 {
			h += spaceBefore(b, s)
		}
		lines := countLines(b.Text, size, contentW-2*padX-textIndent(b, s)-0.05, false)
		h += float64(lines) * lineHeight(size)
	}
	return h
}

// tableLayout is the estimated geometry of a table.
type tableLayout struct {
	size    float64
	cols    []float64
	rows    []float64
	width   float64
	height  float64
	rowData [][]string
}

// layoutTable sizes the columns of a table by their content and estimates the row heights.
func layoutTable(rows [][]string, s float64) tableLayout {
	t := tableLayout{size: tableSize(s), width: contentW - 2*padX, rowData: rows}
	natural, minimum := measureColumns(rows, t.size)
	t.cols = columnWidths(natural, minimum, t.width)
	for r, row := range rows {
		lines := 1
		for c, cell := range row {
			lines = max(lines, countLines(cell, t.size, t.cols[c]-2*cellPadX-0.1, r == 0))
		}
		h := float64(lines)*lineHeight(t.size) + 2*cellPadY
		t.rows = append(t.rows, h)
		t.height += h
	}
	return t
}

// measureColumns returns each column's natural width (its widest cell on
// one line) and its minimum width (its longest word), in cm; the first
// row is the bold header.
func measureColumns(rows [][]string, size float64) (natural, minimum []float64) {
	n := len(rows[0])
	natural = make([]float64, n)
	minimum = make([]float64, n)
	for r, row := range rows {
		for c, cell := range row {
			bold := r == 0
			natural[c] = max(natural[c], textWidth(cell, size, bold)+2*cellPadX+0.3)
			minimum[c] = max(minimum[c], longestWord(cell, size, bold)+2*cellPadX+0.1)
		}
	}
	return natural, minimum
}

// columnWidths shares width among the columns as a browser lays out an
// automatic table: a column narrower than its fair share keeps its natural
// width, the others share what is left in proportion to their natural
// widths, but never below their longest word. A table that fits is then
// stretched to the full width; one that got too wide through its longest
// words is shrunk.
func columnWidths(natural, minimum []float64, width float64) []float64 {
	n := len(natural)
	cols := make([]float64, n)
	remaining, open := width, make([]bool, n)
	for c := range n {
		open[c] = true
	}
	for changed := true; changed; {
		changed = false
		count := 0
		for c := range n {
			if open[c] {
				count++
			}
		}
		if count == 0 {
			break
		}
		share := remaining / float64(count)
		for c := range n {
			if open[c] && natural[c] <= share {
				cols[c], open[c] = natural[c], false
				remaining -= natural[c]
				changed = true
			}
		}
	}
	var openNat, sum float64
	for c := range n {
		if open[c] {
			openNat += natural[c]
		}
	}
	for c := range n {
		if open[c] {
			cols[c] = max(minimum[c], natural[c]/openNat*remaining)
		}
		sum += cols[c]
	}
	for c := range n {
		cols[c] *= width / sum
	}
	return cols
}

// segHeight estimates the height of a segment at body size s.
func segHeight(g segment, s float64) float64 {
	if g.table {
		return layoutTable(g.blocks[0].Rows, s).height
	}
	return textHeight(g.blocks, s)
}

// chooseSize returns the largest body size at which the segments fit into
// avail cm, and whether they fit at all.
func chooseSize(segs []segment, avail float64) (float64, bool) {
	for _, s := range bodySizes {
		h := float64(len(segs)-1) * segGap
		for _, g := range segs {
			h += segHeight(g, s)
		}
		if h <= avail {
			return s, true
		}
	}
	return bodySizes[len(bodySizes)-1], false
}

// frame writes a text frame; class is a presentation class or "" for a plain frame.
func frame(w *strings.Builder, ss *styleSet, class, valign string, x, y, width, height float64, content string) {
	if class != "" {
		fmt.Fprintf(w, `<draw:frame presentation:style-name=%q draw:layer="layout" svg:width=%q svg:height=%q svg:x=%q svg:y=%q presentation:class=%q presentation:user-transformed="true">`,
			ss.frameStyle("presentation", valign), cm(width), cm(height), cm(x), cm(y), class)
	} else {
		fmt.Fprintf(w, `<draw:frame draw:style-name=%q draw:layer="layout" svg:width=%q svg:height=%q svg:x=%q svg:y=%q>`,
			ss.frameStyle("graphic", valign), cm(width), cm(height), cm(x), cm(y))
	}
	fmt.Fprintf(w, "<draw:text-box>%s</draw:text-box></draw:frame>\n", content)
}

// fitTitle returns the largest size from sizes at which title takes at most
// maxLines lines of width cm and fits into height cm.
func fitTitle(title string, sizes []float64, width, height float64, maxLines int) (float64, bool) {
	for _, s := range sizes {
		n := countLines(title, s, width-2*padX-0.05, true)
		if n <= maxLines && float64(n)*lineHeight(s)+2*padY <= height {
			return s, true
		}
	}
	return sizes[len(sizes)-1], false
}

// writeTitleSlide writes the first slide: the talk's title on a coloured
// band, the speakers and the event below.
func writeTitleSlide(w *strings.Builder, ss *styleSet, s slide, num int, event string) []string {
	var warns []string
	fmt.Fprintf(w, `<draw:page draw:name="Folie %d" draw:style-name="dpTitle" draw:master-page-name="Titel">`+"\n", num)

	const x, width = 1.6, slideW - 3.2
	tsize, ok := fitTitle(s.Title, []float64{40, 36, 32, 28, 24, 20}, width, 6.6, 3)
	if !ok {
		warns = append(warns, "title too long")
	}
	frame(w, ss, "title", "bottom", x, 1.4, width, 6.6,
		fmt.Sprintf(`<text:p text:style-name=%q>%s</text:p>`, ss.paraStyle(tsize, "#ffffff", true, false, "start", 0), textContent(s.Title)))

	if lines := titleLines(s.Blocks); len(lines) > 0 {
		const top, avail = 9.3, 5.2
		size := fitTitleLines(lines, width, avail)
		frame(w, ss, "subtitle", "top", x, top, width, avail, titleParagraphs(ss, lines, size, event))
	}
	if s.Note != "" {
		writeNote(w, ss, s.Note)
	}
	w.WriteString("</draw:page>\n")
	return warns
}

// titleLines are the lines below the title: each paragraph or bullet, and
// each table row joined with " · ".
func titleLines(bs []block) []string {
	var lines []string
	for _, b := range bs {
		if b.Kind == tableBlock {
			for _, r := range b.Rows {
				lines = append(lines, strings.Join(r, " · "))
			}
			continue
		}
		lines = append(lines, b.Text)
	}
	return lines
}

// fitTitleLines returns the largest size at which the lines below the
// title fit into avail cm, or the smallest size tried.
func fitTitleLines(lines []string, width, avail float64) float64 {
	var size float64
	for _, size = range []float64{22, 20, 18, 16, 14, 12} {
		h := 2 * padY
		for i, l := range lines {
			h += float64(countLines(l, size, width-2*padX-0.05, true)) * lineHeight(size)
			if i > 0 {
				h += ptToCm(size) * 0.3
			}
		}
		if h <= avail {
			break
		}
	}
	return size
}

// titleParagraphs sets the lines below the title. A line that starts with
// the event's name (or else the last of several lines) is set as the
// event line; the others are speaker lines, the name in bold and role and
// organisation after the first comma.
func titleParagraphs(ss *styleSet, lines []string, size float64, event string) string {
	var c strings.Builder
	for i, l := range lines {
		if event != "" && strings.HasPrefix(l, event) || event == "" && i > 0 && i == len(lines)-1 {
			st := ss.paraStyle(size-2, colGrey, false, false, "start", ptToCm(size)*0.6)
			fmt.Fprintf(&c, `<text:p text:style-name=%q>%s</text:p>`, st, textContent(l))
			continue
		}
		before := 0.0
		if i > 0 {
			before = ptToCm(size) * 0.3
		}
		name, rest, found := strings.Cut(l, ", ")
		fmt.Fprintf(&c, `<text:p text:style-name=%q><text:span text:style-name=%q>%s</text:span>`,
			ss.paraStyle(size, colText, false, false, "start", before), ss.style("T", "text", textProps(size, colText, true, false)), textContent(name))
		if found {
			fmt.Fprintf(&c, ", %s", textContent(rest))
		}
		c.WriteString("</text:p>")
	}
	return c.String()
}

// writeNote writes the small footer remark above the footer line and
// returns its top edge.
func writeNote(w *strings.Builder, ss *styleSet, note string) float64 {
	n := countLines(note, noteSize, contentW-2*padX-0.05, false)
	h := float64(n)*lineHeight(noteSize) + 2*padY
	y := bodyBottom + 0.15 - h
	frame(w, ss, "", "bottom", marginX, y, contentW, h,
		fmt.Sprintf(`<text:p text:style-name=%q>%s</text:p>`, ss.paraStyle(noteSize, colGrey, false, true, "start", 0), textContent(note)))
	return y
}

// writeContentSlide writes a slide with a title, body text and tables, and
// an optional note; the master adds the footer and the slide number.
func writeContentSlide(w *strings.Builder, ss *styleSet, s slide, num int) []string {
	var warns []string
	fmt.Fprintf(w, `<draw:page draw:name="Folie %d" draw:style-name="dpContent" draw:master-page-name="Inhalt" presentation:use-footer-name="ftr1">`+"\n", num)

	tsize, ok := fitTitle(s.Title, []float64{28, 26, 24, 22, 20}, contentW, 2.3, 2)
	if !ok {
		warns = append(warns, "title too long")
	}
	frame(w, ss, "title", "bottom", marginX, 0.55, contentW, 2.3,
		fmt.Sprintf(`<text:p text:style-name=%q>%s</text:p>`, ss.paraStyle(tsize, colBlue, true, false, "start", 0), textContent(s.Title)))

	bottom := bodyBottom
	if s.Note != "" {
		bottom = writeNote(w, ss, s.Note) - 0.15
	}
	segs := segments(s.Blocks)
	if len(segs) == 0 {
		w.WriteString("</draw:page>\n")
		return warns
	}
	size, ok := chooseSize(segs, bottom-bodyTop)
	if !ok {
		warns = append(warns, fmt.Sprintf("body text may overflow even at %gpt", size))
	}
	y := bodyTop
	for i, g := range segs {
		h := segHeight(g, size)
		if g.table {
			writeTable(w, ss, layoutTable(g.blocks[0].Rows, size), y)
		} else {
			if i == len(segs)-1 {
				h = max(h, bottom-y) // the last text frame takes the rest, like a placeholder
			}
			frame(w, ss, "outline", "top", marginX, y, contentW, h, textBlocks(ss, g.blocks, size))
		}
		y += h + segGap
	}
	w.WriteString("</draw:page>\n")
	return warns
}

// textBlocks renders paragraphs and bullets; bullets become a nested text:list.
func textBlocks(ss *styleSet, bs []block, s float64) string {
	var w strings.Builder
	list := ss.listStyle(s)
	var open []bool // per open list level: whether it has an open list-item
	closeTo := func(depth int) {
		for len(open) > depth {
			if open[len(open)-1] {
				w.WriteString("</text:list-item>")
			}
			w.WriteString("</text:list>")
			open = open[:len(open)-1]
		}
	}
	for i, b := range bs {
		before := 0.0
		if i > 0 {
			before = spaceBefore(b, s)
		}
		style := ss.paraStyle(blockSize(b, s), colText, false, false, "start", before)
		p := fmt.Sprintf(`<text:p text:style-name=%q>%s</text:p>`, style, textContent(b.Text))
		if b.Kind != bulletBlock {
			closeTo(0)
			w.WriteString(p)
			continue
		}
		closeTo(b.Level)
		if len(open) == b.Level && open[b.Level-1] {
			w.WriteString("</text:list-item>")
			open[b.Level-1] = false
		}
		for len(open) < b.Level {
			if d := len(open); d > 0 && !open[d-1] {
				w.WriteString("<text:list-item>")
				open[d-1] = true
			}
			if len(open) == 0 {
				fmt.Fprintf(&w, `<text:list text:style-name=%q>`, list)
			} else {
				w.WriteString("<text:list>")
			}
			open = append(open, false)
		}
		w.WriteString("<text:list-item>")
		open[b.Level-1] = true
		w.WriteString(p)
	}
	closeTo(0)
	return w.String()
}

// writeTable writes a table as an Impress table: a draw:frame holding a table:table.
func writeTable(w *strings.Builder, ss *styleSet, t tableLayout, y float64) {
	fmt.Fprintf(w, `<draw:frame draw:style-name="standard" draw:layer="layout" svg:width=%q svg:height=%q svg:x=%q svg:y=%q>`,
		cm(t.width), cm(t.height), cm(marginX+padX), cm(y))
	w.WriteString(`<table:table>`)
	for _, c := range t.cols {
		col := ss.style("co", "table-column", fmt.Sprintf(`<style:table-column-properties style:column-width=%q/>`, cm(c)))
		fmt.Fprintf(w, `<table:table-column table:style-name=%q/>`, col)
	}
	for r, row := range t.rowData {
		rs := ss.style("ro", "table-row", fmt.Sprintf(`<style:table-row-properties style:row-height=%q/>`, cm(t.rows[r])))
		fill, color := colRow, colText
		switch {
		case r == 0:
			fill, color = colBlue, "#ffffff"
		case r%2 == 0:
			fill = colRowAlt
		}
		cs := ss.style("ce", "table-cell", fmt.Sprintf(
			`<style:graphic-properties draw:fill="solid" draw:fill-color=%q draw:textarea-vertical-align="middle" fo:padding-top=%q fo:padding-bottom=%q fo:padding-left=%q fo:padding-right=%q/>`+
				`<style:paragraph-properties fo:border="0.75pt solid #ffffff"/>`+"%s",
			fill, cm(cellPadY), cm(cellPadY), cm(cellPadX), cm(cellPadX), textProps(t.size, color, r == 0, false)))
		ps := ss.paraStyle(t.size, color, r == 0, false, "start", 0)
		fmt.Fprintf(w, `<table:table-row table:style-name=%q>`, rs)
		for _, cell := range row {
			fmt.Fprintf(w, `<table:table-cell table:style-name=%q><text:p text:style-name=%q>%s</text:p></table:table-cell>`, cs, ps, textContent(cell))
		}
		w.WriteString("</table:table-row>")
	}
	w.WriteString("</table:table></draw:frame>\n")
}

// fixedAutoStyles are the page layout and the styles of the master pages.
var fixedAutoStyles = `<style:page-layout style:name="PM1"><style:page-layout-properties fo:margin-top="0cm" fo:margin-bottom="0cm" fo:margin-left="0cm" fo:margin-right="0cm" fo:page-width="` + cm(slideW) + `" fo:page-height="` + cm(slideH) + `" style:print-orientation="landscape"/></style:page-layout>
<style:style style:name="Mdp1" style:family="drawing-page"><style:drawing-page-properties draw:background-size="full" draw:fill="solid" draw:fill-color="#ffffff"/></style:style>
<style:style style:name="dpTitle" style:family="drawing-page"><style:drawing-page-properties presentation:background-visible="true" presentation:background-objects-visible="true" presentation:display-footer="false" presentation:display-page-number="false" presentation:display-date-time="false"/></style:style>
<style:style style:name="dpContent" style:family="drawing-page"><style:drawing-page-properties presentation:background-visible="true" presentation:background-objects-visible="true" presentation:display-footer="true" presentation:display-page-number="true" presentation:display-date-time="false"/></style:style>
<style:style style:name="grBand" style:family="graphic"><style:graphic-properties draw:stroke="none" draw:fill="solid" draw:fill-color="` + colBlue + `"/></style:style>
<style:style style:name="grAccent" style:family="graphic"><style:graphic-properties draw:stroke="none" draw:fill="solid" draw:fill-color="` + colAccent + `"/></style:style>
<style:style style:name="grRule" style:family="graphic"><style:graphic-properties draw:stroke="solid" svg:stroke-color="#bfbfbf" svg:stroke-width="0.03cm" draw:fill="none"/></style:style>
<style:style style:name="prFooter" style:family="presentation"><style:graphic-properties draw:stroke="none" draw:fill="none" draw:auto-grow-height="false" draw:textarea-vertical-align="middle" fo:min-height="0cm" fo:padding-top="0cm" fo:padding-bottom="0cm" fo:padding-left="` + cm(padX) + `" fo:padding-right="` + cm(padX) + `"/></style:style>
<style:style style:name="PFooter" style:family="paragraph"><style:paragraph-properties fo:text-align="start"/>` + textProps(10, colGrey, false, false) + `</style:style>
<style:style style:name="PPageNo" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/>` + textProps(10, colGrey, false, false) + `</style:style>
`

// masterStyles are the two master slides: "Titel" with a coloured band and
// "Inhalt" with a bar, a rule under the title, the footer and the slide number.
var masterStyles = `<office:master-styles>
<draw:layer-set><draw:layer draw:name="layout"/><draw:layer draw:name="background"/><draw:layer draw:name="backgroundobjects"/><draw:layer draw:name="controls"/><draw:layer draw:name="measurelines"/></draw:layer-set>
<style:master-page style:name="Titel" style:page-layout-name="PM1" draw:style-name="Mdp1">
<draw:rect draw:style-name="grBand" draw:layer="backgroundobjects" svg:x="0cm" svg:y="0cm" svg:width="` + cm(slideW) + `" svg:height="8.6cm"/>
<draw:rect draw:style-name="grAccent" draw:layer="backgroundobjects" svg:x="0cm" svg:y="8.6cm" svg:width="` + cm(slideW) + `" svg:height="0.18cm"/>
</style:master-page>
<style:master-page style:name="Inhalt" style:page-layout-name="PM1" draw:style-name="Mdp1">
<draw:rect draw:style-name="grBand" draw:layer="backgroundobjects" svg:x="0cm" svg:y="0cm" svg:width="` + cm(slideW) + `" svg:height="0.35cm"/>
<draw:rect draw:style-name="grAccent" draw:layer="backgroundobjects" svg:x="` + cm(marginX+padX) + `" svg:y="2.95cm" svg:width="` + cm(contentW-2*padX) + `" svg:height="0.06cm"/>
<draw:line draw:style-name="grRule" draw:layer="backgroundobjects" svg:x1="` + cm(marginX+padX) + `" svg:y1="14.55cm" svg:x2="` + cm(slideW-marginX-padX) + `" svg:y2="14.55cm"/>
<draw:frame presentation:style-name="prFooter" draw:layer="backgroundobjects" svg:width="20cm" svg:height="0.8cm" svg:x="` + cm(marginX) + `" svg:y="14.65cm" presentation:class="footer"><draw:text-box><text:p text:style-name="PFooter"><presentation:footer/></text:p></draw:text-box></draw:frame>
<draw:frame presentation:style-name="prFooter" draw:layer="backgroundobjects" svg:width="4cm" svg:height="0.8cm" svg:x="` + cm(slideW-marginX-4) + `" svg:y="14.65cm" presentation:class="page-number"><draw:text-box><text:p text:style-name="PPageNo"><text:page-number>&lt;Nummer&gt;</text:page-number></text:p></draw:text-box></draw:frame>
</style:master-page>
</office:master-styles>
`
