package main

import (
	"fmt"
	"strings"
)

// deckMeta is what the manifest says about a deck; it goes into the
// document's metadata and so into the PDF's Info dictionary.
type deckMeta struct {
	ID       string
	Title    string
	Creator  string
	Subject  string
	Keywords []string
	Footer   string
}

// Colours of the deck design.
const (
	colBlue   = "#1f4e79"
	colAccent = "#e3a21a"
	colText   = "#262626"
	colGrey   = "#7f7f7f"
	colRow    = "#dde7f1"
	colRowAlt = "#eef3f8"
	fontName  = "Liberation Sans"
)

// styleSet collects automatic styles, one per distinct set of properties,
// named in the order they are first asked for, so the output is stable.
type styleSet struct {
	byKey map[string]string
	count map[string]int
	buf   strings.Builder
}

func newStyleSet() *styleSet {
	return &styleSet{byKey: map[string]string{}, count: map[string]int{}}
}

// style returns the name of a <style:style> of family with body as its content.
func (ss *styleSet) style(prefix, family, body string) string {
	return ss.raw(prefix, family+"\x00"+body, func(name string) string {
		return fmt.Sprintf("<style:style style:name=%q style:family=%q>%s</style:style>\n", name, family, body)
	})
}

// raw returns the name of a style element written by mk, created once per key.
func (ss *styleSet) raw(prefix, key string, mk func(name string) string) string {
	key = prefix + "\x00" + key
	if name, ok := ss.byKey[key]; ok {
		return name
	}
	ss.count[prefix]++
	name := fmt.Sprintf("%s%d", prefix, ss.count[prefix])
	ss.byKey[key] = name
	ss.buf.WriteString(mk(name))
	return name
}

// cm formats a length in centimetres.
func cm(v float64) string { return fmt.Sprintf("%.3fcm", v) }

// pt formats a font size in points.
func pt(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + "pt" }

// textProps returns style:text-properties for the deck font.
func textProps(size float64, color string, bold, italic bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<style:text-properties style:font-name=%q fo:font-size=%q fo:color=%q`, fontName, pt(size), color)
	if bold {
		b.WriteString(` fo:font-weight="bold"`)
	}
	if italic {
		b.WriteString(` fo:font-style="italic"`)
	}
	b.WriteString(` fo:language="de" fo:country="DE"/>`)
	return b.String()
}

// paraStyle returns an automatic paragraph style.
func (ss *styleSet) paraStyle(size float64, color string, bold, italic bool, align string, spaceBefore float64) string {
	body := fmt.Sprintf(`<style:paragraph-properties fo:margin-top=%q fo:margin-bottom="0cm" fo:text-align=%q/>`, cm(spaceBefore), align) +
		textProps(size, color, bold, italic)
	return ss.style("P", "paragraph", body)
}

// frameStyle returns an automatic style for a text frame of family
// "graphic" or "presentation", with its text anchored at valign.
func (ss *styleSet) frameStyle(family, valign string) string {
	body := fmt.Sprintf(`<style:graphic-properties draw:stroke="none" draw:fill="none" draw:auto-grow-height="false" draw:fit-to-size="false" draw:textarea-vertical-align=%q fo:min-height="0cm" fo:padding-top=%q fo:padding-bottom=%q fo:padding-left=%q fo:padding-right=%q/>`,
		valign, cm(padY), cm(padY), cm(padX), cm(padX))
	prefix := "gr"
	if family == "presentation" {
		prefix = "pr"
	}
	return ss.style(prefix, family, body)
}

// listStyle returns a bullet list style sized for body text of size pt.
func (ss *styleSet) listStyle(size float64) string {
	return ss.raw("L", pt(size), func(name string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "<text:list-style style:name=%q>\n", name)
		for lvl := 1; lvl <= 9; lvl++ {
			l := min(lvl, maxLevel)
			before, label := bulletIndent(l, size)
			fmt.Fprintf(&b, `<text:list-level-style-bullet text:level="%d" text:bullet-char=%q>`+
				`<style:list-level-properties text:space-before=%q text:min-label-width=%q/>`+
				`<style:text-properties fo:font-family=%q style:font-pitch="variable" fo:color=%q fo:font-size="100%%"/>`+
				"</text:list-level-style-bullet>\n",
				lvl, bulletChar[l], cm(before), cm(label), fontName, colBlue)
		}
		b.WriteString("</text:list-style>\n")
		return b.String()
	})
}

var bulletChar = map[int]string{1: "•", 2: "–", 3: "•"}

// xmlEscaper escapes text for XML content and attribute values.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// esc escapes s for XML and drops characters XML 1.0 does not allow.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xfffe && r != 0xffff {
			return r
		}
		return -1
	}, s)
	return xmlEscaper.Replace(s)
}

// textContent escapes s as the content of a text:p. Runs of white space
// become one space, as ODF would show them anyway.
func textContent(s string) string {
	return esc(strings.Join(strings.Fields(s), " "))
}

// Namespace declarations of a flat ODP document.
const namespaces = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:xlink="http://www.w3.org/1999/xlink" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" ` +
	`xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ` +
	`xmlns:smil="urn:oasis:names:tc:opendocument:xmlns:smil-compatible:1.0" ` +
	`xmlns:anim="urn:oasis:names:tc:opendocument:xmlns:animation:1.0" ` +
	`xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"`

// buildFODP renders a deck as a flat ODP document. It returns the document
// and warnings about slides whose text may not fit.
func buildFODP(meta deckMeta, slides []slide) (string, []string) {
	ss := newStyleSet()
	var pages strings.Builder
	var warnings []string
	for i, s := range slides {
		var w []string
		if i == 0 {
			w = writeTitleSlide(&pages, ss, s, i+1, meta.Subject)
		} else {
			w = writeContentSlide(&pages, ss, s, i+1)
		}
		for _, m := range w {
			warnings = append(warnings, fmt.Sprintf("slide %d (line %d): %s", i+1, s.Line, m))
		}
	}

	var d strings.Builder
	d.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&d, `<office:document %s office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">`+"\n", namespaces)
	writeMeta(&d, meta)
	fmt.Fprintf(&d, `<office:font-face-decls><style:font-face style:name=%q svg:font-family="&apos;%s&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/></office:font-face-decls>`+"\n", fontName, fontName)
	d.WriteString(commonStyles)
	d.WriteString("<office:automatic-styles>\n")
	d.WriteString(fixedAutoStyles)
	d.WriteString(ss.buf.String())
	d.WriteString("</office:automatic-styles>\n")
	d.WriteString(masterStyles)
	d.WriteString("<office:body><office:presentation>\n")
	fmt.Fprintf(&d, `<presentation:footer-decl presentation:name="ftr1">%s</presentation:footer-decl>`+"\n", esc(meta.Footer))
	d.WriteString(pages.String())
	d.WriteString(`<presentation:settings presentation:mouse-visible="false"/>` + "\n")
	d.WriteString("</office:presentation></office:body>\n</office:document>\n")
	return d.String(), warnings
}

// writeMeta writes office:meta, which LibreOffice maps to the PDF's Info dictionary.
func writeMeta(d *strings.Builder, m deckMeta) {
	d.WriteString("<office:meta>\n")
	d.WriteString("<meta:generator>talksearch corpus/sample/gen</meta:generator>\n")
	fmt.Fprintf(d, "<dc:title>%s</dc:title>\n", esc(m.Title))
	if m.Subject != "" {
		fmt.Fprintf(d, "<dc:subject>%s</dc:subject>\n", esc(m.Subject))
	}
	for _, k := range m.Keywords {
		fmt.Fprintf(d, "<meta:keyword>%s</meta:keyword>\n", esc(k))
	}
	if m.Creator != "" {
		fmt.Fprintf(d, "<meta:initial-creator>%s</meta:initial-creator>\n<dc:creator>%s</dc:creator>\n", esc(m.Creator), esc(m.Creator))
	}
	d.WriteString("<dc:language>de-DE</dc:language>\n")
	d.WriteString("</office:meta>\n")
}

// commonStyles sets the document defaults: the deck font, German, no shadows.
var commonStyles = `<office:styles>
<style:default-style style:family="graphic">
<style:graphic-properties svg:stroke-color="#3465a4" draw:fill-color="#729fcf" fo:wrap-option="wrap" draw:shadow="hidden"/>
<style:paragraph-properties style:text-autospace="ideograph-alpha" style:punctuation-wrap="simple" style:line-break="strict" style:writing-mode="lr-tb" style:font-independent-line-spacing="false"/>
<style:text-properties style:use-window-font-color="true" style:font-name="` + fontName + `" fo:font-size="18pt" fo:language="de" fo:country="DE" fo:hyphenate="false"/>
</style:default-style>
<style:style style:name="standard" style:family="graphic">
<style:graphic-properties draw:stroke="none" draw:fill="none" fo:min-height="0cm"/>
<style:paragraph-properties fo:text-align="start"/>
<style:text-properties style:font-name="` + fontName + `" fo:font-size="18pt" fo:color="` + colText + `"/>
</style:style>
</office:styles>
`
