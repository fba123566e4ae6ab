// Package extract reads PDFs as talksearch indexes them: the text walker
// of internal/pdftext, poppler's pdftotext for files or pages the walker
// cannot read, and OCR (pdftoppm + tesseract) for pages without a text
// layer.
//
// It owns the Extractor and its child-process isolation: with
// Config.Isolate every file is read by a child process (this same
// executable, which must call ServeChild when ChildRequested reports so)
// bounded in time and memory, so a hang, a runaway allocation or a crash
// costs one file, never the process. Reason turns its errors into the
// sentences of the index report.
//
// It imports internal/pdftext and nothing else of talksearch; it must not
// import corpus, search, indexer, api or cmd.
package extract
