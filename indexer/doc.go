// Package indexer is the indexing pipeline: it turns the talk catalogue
// and its files into search documents.
//
// It owns:
//   - Run: remove talks that left the catalogue, detect which talks
//     changed (fileVersion: size and modification time, else a content
//     hash), build the changed ones on a pool of workers, write them in
//     batches and return a Report;
//   - the search document of a talk: one slide per PDF page, transcript
//     passages (ParseTranscript, Segment) and what PDF metadata adds to a
//     talk without a manifest;
//   - the PNG previews of the slides (pdftoppm), brought up to date after
//     a run or by RenderPreviews.
//
// Reading a PDF is not its job: internal/extract does that (isolation,
// the pdftotext fallback, OCR) on top of internal/pdftext (the text
// walker). indexer imports corpus, search, internal/extract and
// internal/pdftext (for its types and errors); it must not import api or
// cmd, and it never touches ledongthuc/pdf itself.
package indexer
