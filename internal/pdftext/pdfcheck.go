package pdftext

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// The library sizes its cross-reference table from numbers in the file
// (/Size, /Index, subsection headers) and its PNG predictor buffers from
// /Columns, without limits. A 20 KB file claiming three billion objects
// makes it allocate a table of 120 GB, which is not a recoverable panic but
// a fatal "out of memory" that ends the whole process. checkLimits scans the
// file for such numbers before the library sees it.

// Limits on numbers that the library allocates by.
const (
	maxObjects = 10_000_000
	maxColumns = 1 << 24
)

var errImplausible = errors.New("implausible size in cross-reference data")

// checkLimits reports a file whose cross-reference data claims more objects
// than the file could hold, or predictor columns beyond any real image.
func checkLimits(r io.ReaderAt, size int64) error {
	objLimit := min(64*size+1000, maxObjects)
	var xrefOffsets []int64
	const chunk, overlap = 1 << 20, 64
	buf := make([]byte, chunk+overlap)
	for off := int64(0); off < size; off += chunk {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if n == 0 && err != nil {
			return nil // the library reports unreadable files itself
		}
		b := buf[:n]
		// Only look at keys starting in this chunk; the overlap gives
		// them room for their numbers.
		for _, key := range []string{"/Size", "/Index", "/Columns"} {
			for i := 0; ; {
				j := bytes.Index(b[i:], []byte(key))
				if j < 0 || i+j >= chunk {
					break
				}
				i += j + len(key)
				for _, v := range numbersAfter(b[i:]) {
					limit := objLimit
					if key == "/Columns" {
						limit = maxColumns
					}
					if v > limit {
						return fmt.Errorf("%w: %s %d", errImplausible, key, v)
					}
				}
			}
		}
		for i := 0; ; {
			j := bytes.Index(b[i:], []byte("xref"))
			if j < 0 || i+j >= chunk {
				break
			}
			i += j + len("xref")
			if i < len(b) && (b[i] == '\n' || b[i] == '\r') && (i-len("xref") == 0 || isPDFSpace(b[i-len("xref")-1])) {
				xrefOffsets = append(xrefOffsets, off+int64(i))
			}
		}
	}
	for _, off := range xrefOffsets {
		if err := checkXrefTable(io.NewSectionReader(r, off, size-off), objLimit); err != nil {
			return err
		}
	}
	return nil
}

// numbersAfter parses the integer after a key, or the integers of an array
// after it ("/Index [0 5 10 3]"), looking at most 64 bytes ahead.
func numbersAfter(b []byte) []int64 {
	b = b[:min(len(b), 64)]
	var out []int64
	inArray := false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case isPDFSpace(c):
			i++
		case c == '[' && !inArray && out == nil:
			inArray = true
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(b) && b[j] >= '0' && b[j] <= '9' {
				j++
			}
			v, err := strconv.ParseInt(string(b[i:j]), 10, 64)
			if err != nil {
				v = maxObjects + maxColumns + 1 // too long for int64
			}
			out = append(out, v)
			if !inArray {
				return out
			}
			i = j
		default:
			return out
		}
	}
	return out
}

// checkXrefTable reads the subsection headers of a cross-reference table
// ("start count" lines, each followed by count entries) up to "trailer".
func checkXrefTable(r io.Reader, limit int64) error {
	br := bufio.NewReader(r)
	for lines := 0; lines < 1_000_000; lines++ {
		line, err := br.ReadSlice('\n')
		fields := bytes.Fields(line)
		if len(fields) > 0 && bytes.HasPrefix(fields[0], []byte("trailer")) {
			return nil
		}
		if len(fields) == 2 {
			start, err1 := strconv.ParseInt(string(fields[0]), 10, 64)
			count, err2 := strconv.ParseInt(string(fields[1]), 10, 64)
			if err1 != nil || err2 != nil {
				return nil // not a table the library can read either
			}
			if start < 0 || count < 0 || start > limit || count > limit || start+count > limit {
				return fmt.Errorf("%w: xref subsection %d %d", errImplausible, start, count)
			}
		}
		if err != nil && err != bufio.ErrBufferFull {
			return nil
		}
	}
	return nil
}
