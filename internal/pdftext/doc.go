// Package pdftext reads the text of a PDF, page by page, in reading
// order: Extract returns each page's text, cleaned with CleanText, and
// the document information (Metadata).
//
// It owns the PDF text library: a content-stream walker on top of
// ledongthuc/pdf (textwalk.go, runs.go) with its own font handling
// (simple and composite fonts, ToUnicode CMaps, encodings, glyph names),
// the layout of text runs into lines, columns and paragraphs (layout.go),
// the clean-up of the text (cleanup.go), and the guards that keep a
// malformed file from hanging or exhausting memory (read budgets,
// pdfcheck.go). A panic in the library is recovered and becomes
// ErrUnreadable; an encrypted file it cannot open is ErrEncrypted.
//
// It does not isolate, time-limit or OCR anything (internal/extract does)
// and knows nothing of talks. It imports no package of talksearch.
// internal/extract, indexer (for its types and errors) and the commands
// import it; api and search must not (check with go list -deps ./api
// ./search).
//
// The fixtures in testdata/pdf come with their sources and make.sh; go
// test ./internal/pdftext -update rewrites the golden files.
package pdftext
