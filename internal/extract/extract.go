package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/talksearch/talksearch/internal/pdftext"
)

// Page.Extractor values: what read a page.
const (
	Walker    = pdftext.ExtractorName // the text walker of internal/pdftext
	Pdftotext = "pdftotext"           // poppler's pdftotext, the fallback
	OCR       = "ocr"                 // pdftoppm + tesseract, for pages without a text layer
)

// Document is an extracted PDF: what the text walker read, with the pages
// it failed on filled in by pdftotext or OCR (see Page.Extractor), and
// remarks for the index report.
type Document struct {
	pdftext.Document
	// Fallback, when the walker could not read the file at all and
	// pdftotext did, is the walker's error.
	Fallback string `json:",omitempty"`
	// Problems are remarks on single pages, such as an OCR that failed.
	Problems []string `json:",omitempty"`
}

// FallbackReason says why the walker could not read the file, when
// pdftotext read all of it ("" otherwise): the detail of its ErrUnreadable,
// such as "no page could be read".
func (d *Document) FallbackReason() string {
	if d.Fallback == "" {
		return ""
	}
	return unreadableDetail(d.Fallback)
}

// Errors of an isolated extraction (Config.Isolate). Their messages
// are what the index report shows.
var (
	// ErrTimedOut reports an extraction stopped at Config.FileTimeout.
	ErrTimedOut = errors.New("extract: extraction timed out")
	// ErrOutOfMemory reports an extraction stopped at Config.MemoryLimitMB.
	ErrOutOfMemory = errors.New("extract: extraction out of memory")
	// ErrCrashed reports an extraction child that died.
	ErrCrashed = errors.New("extract: extraction crashed")
)

// Config configures how an Extractor reads a PDF: isolation, the
// pdftotext fallback and OCR.
type Config struct {
	// Isolate extracts each file in a child process (this executable, see
	// ServeChild) bounded by FileTimeout and MemoryLimitMB, so that
	// a hang, a runaway allocation or a crash in the PDF library costs one
	// file and never the process. Without it the walker runs in-process
	// (recovering panics, but unbounded) and only the external tools are
	// bounded in time.
	Isolate bool
	// FileTimeout bounds the extraction of one file, and the OCR of each
	// of its pages; 0 means 60 seconds.
	FileTimeout time.Duration
	// MemoryLimitMB bounds the memory of one isolated extraction, the
	// external tools it runs included; 0 means 1024.
	MemoryLimitMB int
	// DisableOCR leaves pages without a text layer empty.
	DisableOCR bool
	// DisableFallback never reads a file with pdftotext.
	DisableFallback bool
	// OCRLanguage is tesseract's language; "" means "deu".
	OCRLanguage string
	// Pdftotext, Pdftoppm and Tesseract name the external programs
	// (Debian: poppler-utils, tesseract-ocr, tesseract-ocr-deu); "" looks
	// them up in PATH. A name that cannot be found disables what needs it.
	Pdftotext, Pdftoppm, Tesseract string
	// Executable is the program started as extraction child; "" means the
	// running executable, which must call ServeChild (talksearch
	// and the tests do).
	Executable string
}

// Extractor reads PDFs as the indexer does: the text walker, pdftotext
// where the walker fails, OCR for pages without text, optionally each in a
// child process. It is safe for concurrent use; Close ends the children it
// keeps.
type Extractor struct {
	cfg   Config
	tools tools
	exe   string
	notes []string
	pool  pool // idle extraction children
}

// tools are the resolved paths of the external programs; "" when missing.
type tools struct {
	Pdftotext string `json:"pdftotext,omitempty"`
	Pdftoppm  string `json:"pdftoppm,omitempty"`
	Tesseract string `json:"tesseract,omitempty"`
	Language  string `json:"language,omitempty"`
}

// Notes of an Extractor that cannot do everything it was asked to.
const (
	NoteOCRUnavailable = "pages without a text layer were not OCR'd: tesseract with its German model (Debian packages tesseract-ocr, tesseract-ocr-deu) and pdftoppm (poppler-utils) are needed"
	NoteNoFallback     = "files the PDF library cannot read were not tried with pdftotext: it is not installed (Debian package poppler-utils)"
)

// New resolves the external programs and returns an Extractor.
func New(cfg Config) *Extractor {
	if cfg.FileTimeout <= 0 {
		cfg.FileTimeout = 60 * time.Second
	}
	if cfg.MemoryLimitMB <= 0 {
		cfg.MemoryLimitMB = 1024
	}
	if cfg.OCRLanguage == "" {
		cfg.OCRLanguage = "deu"
	}
	e := &Extractor{cfg: cfg}
	if !cfg.DisableFallback {
		e.tools.Pdftotext = lookTool(cfg.Pdftotext, "pdftotext")
	}
	if !cfg.DisableOCR {
		ppm, tess := lookTool(cfg.Pdftoppm, "pdftoppm"), lookTool(cfg.Tesseract, "tesseract")
		if ppm != "" && tess != "" && hasLanguage(tess, cfg.OCRLanguage) {
			e.tools.Pdftoppm, e.tools.Tesseract, e.tools.Language = ppm, tess, cfg.OCRLanguage
		}
	}
	if cfg.Isolate {
		e.exe = cfg.Executable
		if e.exe == "" {
			exe, err := os.Executable()
			if err != nil {
				// Without our own executable there is no child to start.
				e.notes = append(e.notes, "files were extracted without isolation: "+err.Error())
				e.cfg.Isolate = false
			}
			e.exe = exe
		}
	}
	return e
}

// Notes are remarks on what the Extractor cannot do here, each a sentence
// for the index report.
func (e *Extractor) Notes() []string { return e.notes }

// CanOCR reports whether pages without a text layer are OCR'd.
func (e *Extractor) CanOCR() bool { return e.tools.Tesseract != "" }

// MissingTools returns the notes for a run in which emptyPages pages had
// no text and unreadable files defeated the walker: that OCR or the
// pdftotext fallback would have been tried had their tools been
// installed. Nothing is said of what the configuration turned off.
func (e *Extractor) MissingTools(emptyPages, unreadable int) []string {
	var notes []string
	if emptyPages > 0 && !e.cfg.DisableOCR && !e.CanOCR() {
		notes = append(notes, NoteOCRUnavailable)
	}
	if unreadable > 0 && !e.cfg.DisableFallback && e.tools.Pdftotext == "" {
		notes = append(notes, NoteNoFallback)
	}
	return notes
}

// Extract reads the PDF in data (see ExtractSource).
func (e *Extractor) Extract(ctx context.Context, data []byte) (*Document, error) {
	return e.ExtractSource(ctx, BytesSource(data))
}

// ExtractSource reads the PDF of src. Pages the walker leaves empty are
// OCR'd (Page.Extractor "ocr") when tesseract is available; a file or pages
// the walker cannot read come from pdftotext (Extractor "pdftotext") when it
// is installed. Config.FileTimeout covers opening and reading the file too.
// Errors wrap pdftext.ErrUnreadable, pdftext.ErrEncrypted, ErrTimedOut,
// ErrOutOfMemory or ErrCrashed; Document.Problems lists pages whose OCR
// failed.
func (e *Extractor) ExtractSource(ctx context.Context, src Source) (*Document, error) {
	var (
		doc  *Document
		data []byte // the file, without isolation
		err  error
	)
	if e.cfg.Isolate {
		doc, err = e.runChild(ctx, childRequest{Op: opExtract, Tools: e.tools}, src)
	} else {
		began := time.Now()
		data, err = src.ReadAll(ctx, e.cfg.FileTimeout)
		if err == nil {
			doc, err = extractText(ctx, e.tools, data, e.cfg.FileTimeout-time.Since(began))
		}
	}
	if err != nil {
		return nil, err
	}
	if e.tools.Tesseract == "" {
		return doc, nil
	}
	for i, p := range doc.Pages {
		if p.Text != "" {
			continue
		}
		var text string
		if e.cfg.Isolate {
			var res *Document
			res, err = e.runChild(ctx, childRequest{Op: opOCR, Page: p.Number, Tools: e.tools}, src)
			if err == nil && len(res.Pages) == 1 {
				text = res.Pages[0].Text
			}
		} else {
			text, err = ocrPage(ctx, e.tools, data, p.Number, e.cfg.FileTimeout)
		}
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("extract: %w", ctx.Err())
		case errors.Is(err, ErrTimedOut) || errors.Is(err, ErrOutOfMemory):
			doc.Problems = append(doc.Problems, Reason(err)) // "OCR of page 3 took longer than …"
		case err != nil:
			doc.Problems = append(doc.Problems, fmt.Sprintf("OCR of page %d failed: %s", p.Number, Reason(err)))
		case text != "":
			doc.Pages[i] = pdftext.Page{Number: p.Number, Text: text, Extractor: OCR}
		}
	}
	return doc, nil
}

// extractText runs the walker and, where it fails on the whole file or on
// pages, pdftotext. It is what an extraction child does.
func extractText(ctx context.Context, t tools, data []byte, timeout time.Duration) (*Document, error) {
	walked, err := pdftext.Extract(bytes.NewReader(data), int64(len(data)))
	if err != nil && (t.Pdftotext == "" || errors.Is(err, pdftext.ErrEncrypted)) {
		return nil, err
	}
	var doc *Document
	if err == nil {
		doc = &Document{Document: *walked}
	}
	if t.Pdftotext == "" || err == nil && len(doc.Failed) == 0 {
		return doc, nil
	}
	texts, terr := pdftotextPages(ctx, t.Pdftotext, data, timeout)
	if err != nil {
		// The walker failed on the whole file.
		if terr != nil || len(texts) == 0 {
			return nil, err
		}
		fb := &Document{Fallback: err.Error()}
		for i, text := range texts {
			fb.Pages = append(fb.Pages, pdftext.Page{Number: i + 1, Text: text, Extractor: Pdftotext})
		}
		return fb, nil
	}
	// Some pages failed: take pdftotext's text for them when it sees the
	// same pages.
	if terr == nil && len(texts) == len(doc.Pages) {
		for _, n := range doc.Failed {
			doc.Pages[n-1] = pdftext.Page{Number: n, Text: texts[n-1], Extractor: Pdftotext}
		}
	}
	return doc, nil
}

// lookTool returns the path of the program name (or def when name is ""),
// or "" when it cannot be found.
func lookTool(name, def string) string {
	if name == "" {
		name = def
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return p
}

// hasLanguage reports whether tesseract has the language's model.
func hasLanguage(tesseract, lang string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, tesseract, "--list-langs").CombinedOutput()
	if err != nil {
		return false
	}
	for _, l := range strings.Fields(string(out)) {
		if l == lang {
			return true
		}
	}
	return false
}

// Reason turns an extraction error into a sentence for the index report.
func Reason(err error) string {
	var (
		le *limitError
		ce *crashError
	)
	switch {
	case errors.As(err, &le):
		return le.reason()
	case errors.As(err, &ce):
		return "extraction crashed: " + ce.detail
	case errors.Is(err, pdftext.ErrEncrypted):
		return "the PDF is encrypted and cannot be read"
	case errors.Is(err, pdftext.ErrUnreadable):
		return "the PDF is damaged or not a PDF: " + unreadableDetail(err.Error())
	case errors.Is(err, fs.ErrNotExist):
		return "the file does not exist"
	default:
		return err.Error()
	}
}

// unreadableDetail is what an pdftext.ErrUnreadable message says after the
// prefixes of its wrapping ("indexer: extract x.pdf: pdftext: unreadable
// pdf: no page could be read" → "no page could be read").
func unreadableDetail(msg string) string {
	if i := strings.LastIndex(msg, pdftext.ErrUnreadable.Error()+": "); i >= 0 {
		return msg[i+len(pdftext.ErrUnreadable.Error())+2:]
	}
	return msg
}

// limitError is an extraction stopped at a limit.
type limitError struct {
	kind  error // ErrTimedOut or ErrOutOfMemory
	what  string
	limit string
}

func (e *limitError) Error() string {
	return fmt.Sprintf("%v: %s stopped at %s", e.kind, e.what, e.limit)
}

func (e *limitError) Unwrap() error { return e.kind }

func (e *limitError) reason() string {
	if e.kind == ErrOutOfMemory {
		return fmt.Sprintf("%s needed more than %s and was stopped", e.what, e.limit)
	}
	return fmt.Sprintf("%s took longer than %s and was stopped", e.what, e.limit)
}

// crashError is an extraction child that died without an answer.
type crashError struct{ detail string }

func (e *crashError) Error() string { return ErrCrashed.Error() + ": " + e.detail }
func (e *crashError) Unwrap() error { return ErrCrashed }
