package pdftext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ledongthuc/pdf"
)

// Page is the extracted text of one PDF page.
type Page struct {
	Number int    `json:"page"` // 1-based
	Text   string `json:"text"` // cleaned text, lines separated by \n, paragraphs by a blank line
	// Extractor names what read the page: ExtractorName for this package;
	// internal/extract adds "pdftotext" (its fallback) and "ocr".
	Extractor string `json:"extractor"`
}

// Metadata is the PDF document information dictionary, decoded
// (PDFDocEncoding and UTF-16BE with BOM).
type Metadata struct {
	Title, Author, Subject, Keywords string
	// Created is the creation date; zero when missing or malformed.
	Created time.Time
}

// Document is what Extract returns.
type Document struct {
	Pages []Page
	Meta  Metadata
	// Failed lists the 1-based numbers of pages whose content the walker
	// could not read; their Text is empty (a caller may fill it in by
	// other means and say so in Page.Extractor).
	Failed []int
	// Capped, when not 0, is MaxPages: the page tree had more pages and
	// only the first Capped were read.
	Capped int `json:",omitempty"`
}

// ErrUnreadable reports a file that is not a PDF or too malformed to read.
var ErrUnreadable = errors.New("pdftext: unreadable pdf")

// ErrEncrypted reports an encrypted PDF that cannot be opened without a password
// or with an encryption method the PDF library does not support.
var ErrEncrypted = errors.New("pdftext: encrypted pdf")

// ExtractorName is the Page.Extractor value of pages read by this
// package's text walker (which runs on ledongthuc/pdf).
const ExtractorName = "ledongthuc"

// MaxPages bounds the page tree walk: a file with more pages is read up
// to this page, and Document.Capped says so.
const MaxPages = 20000

const maxPages = MaxPages

// Extract reads the PDF in r and returns the text of every page in
// reading order, cleaned with CleanText, and the document metadata.
//
// A page without text (an image-only scan) has empty Text and is no error.
// A page whose content cannot be read has empty Text and is listed in
// Document.Failed; if every page fails, the error is ErrUnreadable.
// Errors wrap ErrUnreadable or ErrEncrypted.
func Extract(r io.ReaderAt, size int64) (*Document, error) {
	br := &budgetReader{r: r, total: docBudget(size)}
	rd, err := openPDF(br, size)
	if err != nil {
		return nil, err
	}
	br.reset(pageBudget(size))
	pages, capped, err := pageList(rd)
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: no pages", ErrUnreadable)
	}
	br.reset(pageBudget(size))
	doc := &Document{Pages: make([]Page, 0, len(pages)), Meta: readMetadata(rd)}
	if capped {
		doc.Capped = maxPages
	}
	fonts := newFontCache()
	for i, pv := range pages {
		br.reset(pageBudget(size))
		text, err := pageText(pv, fonts)
		if err != nil {
			doc.Failed = append(doc.Failed, i+1)
		}
		doc.Pages = append(doc.Pages, Page{Number: i + 1, Text: text, Extractor: ExtractorName})
	}
	if len(pages) > 0 && len(doc.Failed) == len(pages) {
		return nil, fmt.Errorf("%w: no page could be read", ErrUnreadable)
	}
	return doc, nil
}

// budgetReader limits how much the library may read. The library has loops
// without cycle checks (a /Prev chain of cross-reference sections pointing
// back, an object stream that /Extends itself) that would run forever on a
// malformed file, and every such loop reads; past the budget, ReadAt panics
// and the panic is recovered as ErrUnreadable.
//
// Legitimate reading stays far below the budgets (the library keeps no
// object cache, but reads through a buffer).
type budgetReader struct {
	r     io.ReaderAt
	left  int64 // for the current step (opening, one page)
	total int64 // for the whole document
}

func (b *budgetReader) reset(n int64) { b.left = n }

func (b *budgetReader) ReadAt(p []byte, off int64) (int, error) {
	b.left -= int64(len(p))
	b.total -= int64(len(p))
	if b.left < 0 || b.total < 0 {
		panic(errReadBudget{})
	}
	return b.r.ReadAt(p, off)
}

// pageBudget is the read budget for one page of a file of the given size,
// docBudget the one for the whole file. Measured on whole documents: 2 to
// 5 times the file size (a 3 MB pdfTeX manual of 594 pages: 12 MB).
func pageBudget(size int64) int64 { return 16*size + 16<<20 }
func docBudget(size int64) int64  { return 128*size + 256<<20 }

// errReadBudget is the panic value of an exhausted budgetReader. It claims
// to be a runtime.Error so that the library's own recover (which keeps
// parsing after other panics) passes it on.
type errReadBudget struct{}

func (errReadBudget) Error() string {
	return "read budget exceeded: cyclic or runaway pdf structure"
}

func (errReadBudget) RuntimeError() {}

// openPDF opens the file with the PDF library, turning its errors and panics
// into ErrUnreadable or ErrEncrypted. It sets the read budget of br.
func openPDF(br *budgetReader, size int64) (rd *pdf.Reader, err error) {
	if size <= 0 {
		return nil, fmt.Errorf("%w: empty file", ErrUnreadable)
	}
	var head [16]byte
	n, _ := br.r.ReadAt(head[:], 0)
	if !bytes.HasPrefix(head[:n], []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: not a pdf file", ErrUnreadable)
	}
	if err := checkLimits(br.r, size); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if n >= 9 && (head[5] != '1' || head[6] != '.' || head[7] < '0' || head[7] > '7' || head[8] != '\n' && head[8] != '\r') {
		// The library only accepts "%PDF-1.0" to "%PDF-1.7" followed by an
		// end of line; PDF 2.0 files use the same syntax for all we read.
		br.r = patchedHeader{br.r}
	}
	br.reset(4*size + 1<<20) // the cross-reference sections, each read once
	defer func() {
		if p := recover(); p != nil {
			rd, err = nil, fmt.Errorf("%w: open: %v", ErrUnreadable, p)
		}
	}()
	rd, err = pdf.NewReader(br, size)
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) || hasEncryptEntry(br.r, size) {
			return nil, fmt.Errorf("%w: %w", ErrEncrypted, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	return rd, nil
}

// patchedHeader presents the file's header line as "%PDF-1.7\n" to the library.
type patchedHeader struct{ io.ReaderAt }

func (p patchedHeader) ReadAt(b []byte, off int64) (int, error) {
	n, err := p.ReaderAt.ReadAt(b, off)
	const hdr = "%PDF-1.7\n"
	for i := 0; i < n; i++ {
		if pos := off + int64(i); pos < int64(len(hdr)) {
			b[i] = hdr[pos]
		}
	}
	return n, err
}

// hasEncryptEntry reports whether the end of the file (where the trailer or
// the cross-reference stream dictionary lives) names an /Encrypt dictionary.
func hasEncryptEntry(r io.ReaderAt, size int64) bool {
	const tail = 64 << 10
	off := max(size-tail, 0)
	buf := make([]byte, size-off)
	n, _ := r.ReadAt(buf, off)
	buf = buf[:n]
	for {
		i := bytes.Index(buf, []byte("/Encrypt"))
		if i < 0 {
			return false
		}
		buf = buf[i+len("/Encrypt"):]
		if len(buf) == 0 || isPDFSpace(buf[0]) || isPDFDelim(buf[0]) {
			return true
		}
	}
}

// pageList walks the page tree in document order. It does not trust /Count
// or /Type and stops at maxPages leaves or an absurd depth, so a malformed or
// cyclic tree cannot loop.
func pageList(rd *pdf.Reader) (pages []pdf.Value, capped bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			pages, err = nil, fmt.Errorf("%w: page tree: %v", ErrUnreadable, p)
		}
	}()
	root := rd.Trailer().Key("Root").Key("Pages")
	if root.Kind() != pdf.Dict {
		return nil, false, fmt.Errorf("%w: no page tree", ErrUnreadable)
	}
	visited := 0
	var walk func(node pdf.Value, depth int)
	walk = func(node pdf.Value, depth int) {
		visited++
		if len(pages) >= maxPages && node.Kind() == pdf.Dict {
			capped = true
		}
		if depth > 64 || visited > 4*maxPages || len(pages) >= maxPages || node.Kind() != pdf.Dict {
			return
		}
		kids := node.Key("Kids")
		if kids.Kind() != pdf.Array || node.Key("Type").Name() == "Page" {
			pages = append(pages, node)
			return
		}
		for i := 0; i < kids.Len(); i++ {
			walk(kids.Index(i), depth+1)
		}
	}
	walk(root, 0)
	return pages, capped, nil
}

// pageText extracts and cleans the text of one page, recovering from any
// panic in the library.
func pageText(pv pdf.Value, fonts *fontCache) (text string, err error) {
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("%w: page content: %v", ErrUnreadable, p)
		}
	}()
	runs := walkPage(pv, fonts)
	return CleanText(layoutText(runs)), nil
}
