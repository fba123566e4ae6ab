package pdftext

import (
	"errors"
	"io"

	"github.com/ledongthuc/pdf"
)

// errOpenHexString stops a page whose content stream ends inside a hex
// string.
var errOpenHexString = errors.New("pdftext: content stream ends inside a hex string")

// endsInHexString reports whether the content stream strm (a stream or an
// array of streams, as pdf.Interpret reads it; read into buf) ends with "<" and then only
// hex digits and white space. ledongthuc/pdf's lexer reads a newline for
// every byte past the end of a stream and skips white space inside a hex
// string, so on such a stream it never returns (lex.go, readHexString): a
// hostile or truncated file would hang the extraction. Any other character
// after the "<" makes the lexer fail instead, which the caller recovers
// from. Only the stream's end matters, so the check looks at the end of
// each chunk; a "<" inside a comment or a literal string left open at the
// very end counts too, which costs such a malformed page its text.
func endsInHexString(strm pdf.Value, buf []byte) bool {
	var r io.Reader
	if strm.Kind() == pdf.Array {
		readers := make([]io.Reader, 0, strm.Len())
		for i := 0; i < strm.Len(); i++ {
			readers = append(readers, strm.Index(i).Reader())
		}
		r = io.MultiReader(readers...)
	} else {
		r = strm.Reader()
	}
	var t tailScan
	for {
		n, err := r.Read(buf)
		t.add(buf[:n])
		if err != nil {
			return t.open()
		}
	}
}

// tailScan follows the end of a stream read in chunks: the last byte that
// is neither a hex digit nor white space and, when that is "<", how many
// "<" stand together there. The lexer reads them in pairs as "<<", so an
// odd number leaves a hex string open.
type tailScan struct {
	last  byte // the last byte that is no hex digit or white space
	seen  bool // last is set
	lts   int  // the "<" that end at last, when last is "<"
	endLt int  // the "<" at the very end of the chunks so far
}

// add takes the next chunk of the stream.
func (t *tailScan) add(p []byte) {
	i := len(p) - 1
	for i >= 0 && hexOrSpace(p[i]) {
		i--
	}
	if i >= 0 {
		t.last, t.seen, t.lts = p[i], true, 0
		j := i
		for j >= 0 && p[j] == '<' {
			t.lts++
			j--
		}
		if j < 0 {
			t.lts += t.endLt // the run goes on in the chunks before
		}
	}
	k := len(p) - 1
	for k >= 0 && p[k] == '<' {
		k--
	}
	if k < 0 {
		t.endLt += len(p)
	} else {
		t.endLt = len(p) - 1 - k
	}
}

// open reports whether the stream ends inside a hex string: an odd
// number of "<" followed by hex digits and white space only.
func (t *tailScan) open() bool {
	return t.seen && t.last == '<' && t.lts%2 == 1
}

// hexOrSpace reports whether c may stand inside a hex string.
func hexOrSpace(c byte) bool {
	_, hex := hexVal(c)
	return hex || isPDFSpace(c)
}
