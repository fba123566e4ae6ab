package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// blockKind tells what a block of a slide's body is.
type blockKind int

const (
	paraBlock blockKind = iota
	bulletBlock
	tableBlock
)

// block is one paragraph, one bullet or one table of a slide's body.
type block struct {
	Kind  blockKind
	Level int        // bullet level, 1 for "- ", 2 for "  - ", ...
	Text  string     // paragraph or bullet text
	Rows  [][]string // table rows, the first one is the header
}

// slide is one slide of a source file.
type slide struct {
	Title  string
	Blocks []block
	Note   string // the small footer remark ("> ..."), if any
	Line   int    // line of the heading in the source, for messages
}

// maxLevel is the deepest bullet level the generator lays out.
const maxLevel = 3

// parseSource reads a slide-deck source: slides separated by a line "---",
// each opening with "# Heading", then bullets ("- ", "  - "), table rows
// ("| a | b |"), plain lines (paragraphs) and a final "> note".
func parseSource(r io.Reader) ([]slide, error) {
	var (
		slides []slide
		cur    *slide
		n      int
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "---":
			cur = nil
		case trimmed == "":
			if cur != nil && len(cur.Blocks) > 0 && cur.Blocks[len(cur.Blocks)-1].Kind == tableBlock {
				// A blank line ends a table; the next row starts a new one.
				cur.Blocks = append(cur.Blocks, block{Kind: -1})
			}
		case cur == nil:
			if !strings.HasPrefix(trimmed, "# ") {
				return nil, fmt.Errorf("line %d: slide does not start with \"# Heading\": %q", n, trimmed)
			}
			slides = append(slides, slide{Title: strings.TrimSpace(trimmed[2:]), Line: n})
			cur = &slides[len(slides)-1]
		default:
			if err := cur.addLine(line, trimmed); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for i := range slides {
		slides[i].Blocks = dropMarkers(slides[i].Blocks)
		for j := range slides[i].Blocks {
			if slides[i].Blocks[j].Kind == tableBlock {
				normaliseTable(&slides[i].Blocks[j])
			}
		}
	}
	if len(slides) == 0 {
		return nil, fmt.Errorf("no slides")
	}
	return slides, nil
}

// addLine adds a line of the slide's body below its heading: a note, a
// bullet, a table row or a paragraph. trimmed is line without its indent.
func (sl *slide) addLine(line, trimmed string) error {
	if sl.Note != "" && !strings.HasPrefix(trimmed, ">") {
		return fmt.Errorf("text after the slide's note")
	}
	switch {
	case strings.HasPrefix(trimmed, ">"):
		note := strings.TrimSpace(strings.TrimPrefix(trimmed, ">"))
		if sl.Note != "" {
			sl.Note += " " + note
		} else {
			sl.Note = note
		}
	case strings.HasPrefix(trimmed, "- ") || trimmed == "-":
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		indent += strings.Count(line[:indent], "\t") // a tab counts as two spaces
		level := min(indent/2+1, maxLevel)
		sl.Blocks = append(sl.Blocks, block{Kind: bulletBlock, Level: level, Text: strings.TrimSpace(trimmed[1:])})
	case strings.HasPrefix(trimmed, "|") && strings.HasSuffix(trimmed, "|") && len(trimmed) > 1:
		sl.addTableRow(trimmed)
	case strings.HasPrefix(trimmed, "# "):
		return fmt.Errorf("second heading on a slide (missing \"---\"?)")
	default:
		sl.Blocks = append(sl.Blocks, block{Kind: paraBlock, Text: trimmed})
	}
	return nil
}

// addTableRow adds a row "| a | b |" to the table the slide ends with, or
// starts a table; a Markdown header separator row is dropped.
func (sl *slide) addTableRow(trimmed string) {
	cells := strings.Split(trimmed[1:len(trimmed)-1], "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	if isSeparatorRow(cells) {
		return
	}
	if k := len(sl.Blocks); k > 0 && sl.Blocks[k-1].Kind == tableBlock {
		sl.Blocks[k-1].Rows = append(sl.Blocks[k-1].Rows, cells)
	} else {
		sl.Blocks = append(sl.Blocks, block{Kind: tableBlock, Rows: [][]string{cells}})
	}
}

// dropMarkers removes the table-ending markers that parseSource inserts.
func dropMarkers(bs []block) []block {
	out := bs[:0]
	for _, b := range bs {
		if b.Kind >= 0 {
			out = append(out, b)
		}
	}
	return out
}

// normaliseTable pads short rows so that every row has as many cells as the widest.
func normaliseTable(b *block) {
	cols := 0
	for _, r := range b.Rows {
		cols = max(cols, len(r))
	}
	for i, r := range b.Rows {
		for len(r) < cols {
			r = append(r, "")
		}
		b.Rows[i] = r
	}
}

// isSeparatorRow reports whether cells is a Markdown header separator such as |---|:--|.
func isSeparatorRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return true
}
