package main

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"unicode/utf8"
)

// slide is one page of a deck: a title and its bullets (on the first
// page, the speaker and event lines).
type slide struct {
	Title   string
	Bullets []string
}

// Page geometry: a 16:9 slide of 960×540 points.
const (
	pageW, pageH = 960, 540
	marginX      = 60
	titleSize    = 30
	bodySize     = 20
	lineGap      = 27
	wrapChars    = 68 // Helvetica at 20 pt: about 10 pt a character, with room to spare
	maxLines     = 14
)

// writePDF renders the slides as a PDF 1.4 file: one page each, the
// standard 14 fonts Helvetica and Helvetica-Bold in WinAnsiEncoding (so
// ä, ö, ü and ß need no embedded font), Flate-compressed content streams.
// The output depends only on its input.
func writePDF(title string, slides []slide) []byte {
	var buf bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Objects 1-5, then a page and its content stream per slide.
	const first = 6
	kids := make([]string, len(slides))
	for i := range slides {
		kids[i] = fmt.Sprintf("%d 0 R", first+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(slides)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Title %s /Producer (talksearch scalegen) >>", pdfString(title)))
	for i, s := range slides {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			pageW, pageH, first+2*i+1))
		content := deflate(pageContent(s))
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", len(offsets), len(content))
		buf.Write(content)
		buf.WriteString("\nendstream\nendobj\n")
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return buf.Bytes()
}

// pageContent draws the title in bold and the bullets, each wrapped.
func pageContent(s slide) []byte {
	var b bytes.Buffer
	y := pageH - 70
	fmt.Fprintf(&b, "BT /F2 %d Tf %d %d Td %s Tj ET\n", titleSize, marginX, y, pdfString(s.Title))
	y -= 60
	lines := 0
	for _, bullet := range s.Bullets {
		for j, l := range wrap(bullet, wrapChars) {
			if lines == maxLines {
				return b.Bytes()
			}
			x, text := marginX+28, l
			if j == 0 {
				fmt.Fprintf(&b, "BT /F1 %d Tf %d %d Td (\\225) Tj ET\n", bodySize, marginX, y)
			}
			fmt.Fprintf(&b, "BT /F1 %d Tf %d %d Td %s Tj ET\n", bodySize, x, y, pdfString(text))
			y -= lineGap
			lines++
		}
	}
	return b.Bytes()
}

// wrap breaks s at spaces into lines of at most n characters (a longer
// word stands alone). It never breaks after a word ending in '-'
// ("Bürger- und"), which a reader would join to the next line.
func wrap(s string, n int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= n || strings.HasSuffix(cur, "-"):
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// winAnsi maps the characters outside Latin-1 that WinAnsiEncoding has.
var winAnsi = map[rune]byte{
	'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92,
	'“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
}

// pdfString encodes s as a literal PDF string in WinAnsiEncoding; a
// character the encoding lacks becomes '?'.
func pdfString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		var c byte
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			c = byte(r)
		case r < 0x80 || r >= 0xa0 && r <= 0xff:
			c = byte(r)
		default:
			var ok bool
			if c, ok = winAnsi[r]; !ok {
				c = '?'
			}
		}
		if c < 0x20 || c >= 0x7f {
			fmt.Fprintf(&b, "\\%03o", c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte(')')
	return b.String()
}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write(data) // a bytes.Buffer does not fail
	zw.Close()
	return b.Bytes()
}
