package indexer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/search"
)

// Config configures an Indexer.
type Config struct {
	// Workers is the number of files extracted in parallel; 0 means one
	// per CPU core.
	Workers int
	// BatchPages is roughly how many slides go into one index batch; 0
	// means 1000.
	BatchPages int
	// Force re-indexes talks whose files have not changed, and retries
	// previews that timed out.
	Force bool
	// MaxFileMB is the size limit of one corpus file in MB; a larger file
	// is reported and not read. 0 means DefaultMaxFileMB.
	MaxFileMB int
	// Previews, when its Dir is set, renders PNG previews of the slides
	// after indexing (see PreviewConfig).
	Previews PreviewConfig
	// Extract configures how PDFs are read: isolation in child processes,
	// the pdftotext fallback and OCR (see extract.Config).
	Extract extract.Config
	// Progress, when set, is called from the goroutine that runs Run as
	// the run goes on (see Progress). It must return quickly.
	Progress func(Progress)
	// Hold, when set, names talks to leave in the index as they are this
	// run: neither rebuilt nor removed (a file still being copied). They
	// are counted in Report.Held.
	Hold func(talkID string) bool
}

// Indexer turns a catalogue and its files into search documents.
type Indexer struct {
	cfg Config
	ix  *search.Index
	log *slog.Logger
	ext *extract.Extractor
}

// New returns an Indexer that writes to ix.
func New(cfg Config, ix *search.Index, log *slog.Logger) *Indexer {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.BatchPages <= 0 {
		cfg.BatchPages = 1000
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Indexer{cfg: cfg, ix: ix, log: log, ext: extract.New(cfg.Extract)}
}

// FileError is a file that could not be read, and why.
type FileError struct {
	Talk   string `json:"talk"`
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// FilePages names pages of one file, and why they are listed.
type FilePages struct {
	Talk   string `json:"talk"`
	File   string `json:"file"`
	Pages  []int  `json:"pages"`
	Reason string `json:"reason,omitempty"`
}

// Report summarises an indexing run.
type Report struct {
	Talks      int         `json:"talks"`          // talks in the catalogue
	Indexed    int         `json:"indexed"`        // talks (re)written this run
	Skipped    int         `json:"skipped"`        // talks unchanged since the last run
	Removed    int         `json:"removed"`        // talks no longer in the catalogue
	Held       int         `json:"held,omitempty"` // talks left as they were (Config.Hold)
	Pages      int         `json:"pages"`          // slides extracted this run
	Segments   int         `json:"segments"`       // transcript passages this run
	EmptyPages int         `json:"empty_pages"`    // slides without any text layer
	Previews   int         `json:"previews"`       // slide previews rendered this run
	Failed     []FileError `json:"failed"`
	// Catalogue are the manifest problems that kept talks or fields out
	// of the index.
	Catalogue []CatalogueProblem `json:"catalogue,omitempty"`
	// Limited are files read only in part, or whose previews were not
	// rendered, because they reached a limit.
	Limited []FileError `json:"limited,omitempty"`
	// Withheld are the public names (corpus.FilePath) of the files that
	// could not be read; they must not be published.
	Withheld []string      `json:"withheld,omitempty"`
	OCR      []FilePages   `json:"ocr,omitempty"`      // pages read by OCR
	Fallback []FilePages   `json:"fallback,omitempty"` // pages read by pdftotext, and why
	NoText   []FilePages   `json:"no_text,omitempty"`  // pages left without text, and why
	Notes    []string      `json:"notes,omitempty"`    // remarks on the whole run, each said once
	Duration time.Duration `json:"duration_ns"`
	// Searchable is the time from the start of the run until every
	// changed talk was written and the index compacted, before any
	// previews.
	Searchable time.Duration `json:"searchable_ns"`
}

// CatalogueProblem is one problem of a manifest: its file, the field
// (for example "talks[3].states[0]", empty for the whole file) and what
// is wrong.
type CatalogueProblem struct {
	File    string `json:"file"`
	Field   string `json:"field,omitempty"`
	Problem string `json:"problem"`
}

// Run indexes every talk of cat whose files (read from fsys, the
// catalogue's root) changed since the last run, and removes talks that
// left the catalogue. A file that cannot be read is reported in the Report
// and its talk is still indexed with its metadata; Run returns an error
// only when the index itself cannot be written or ctx ends.
func (in *Indexer) Run(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) (*Report, error) {
	began := time.Now()
	rep := &Report{Talks: len(cat.Talks), Failed: []FileError{}}
	for _, p := range cat.Problems {
		rep.Catalogue = append(rep.Catalogue, CatalogueProblem{File: p.File, Field: p.Field, Problem: p.Msg})
	}
	defer in.ext.Close()

	removed, err := in.removeGone(ctx, cat)
	if err != nil {
		return nil, err
	}
	rep.Removed = removed
	jobs := in.changedTalks(cat, fsys, rep)
	unreadable, writeErr := in.indexTalks(ctx, cat, fsys, jobs, rep)
	if writeErr == nil && ctx.Err() == nil && rep.Indexed+rep.Removed > 0 {
		// One segment answers searches about twice as fast as the dozen
		// bleve leaves; a failure costs speed, not correctness.
		if err := in.ix.Compact(ctx); err != nil && ctx.Err() == nil {
			in.log.Warn("index not compacted", "err", err)
		}
	}
	rep.Searchable = time.Since(began)
	if rep.Indexed > 0 {
		// Said once per run, and only when a file needed what is missing.
		rep.Notes = append(rep.Notes, in.ext.Notes()...)
		rep.Notes = append(rep.Notes, in.ext.MissingTools(rep.EmptyPages, unreadable)...)
	}
	if in.cfg.Previews.Dir != "" && writeErr == nil && ctx.Err() == nil {
		in.renderPreviews(ctx, cat, fsys, rep)
	}
	rep.Duration = time.Since(began)
	if writeErr != nil {
		return rep, writeErr
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("indexer: %w", err)
	}
	return rep, nil
}

// removeGone deletes the talks of the index that left the catalogue and
// returns how many there were.
func (in *Indexer) removeGone(ctx context.Context, cat *corpus.Catalogue) (int, error) {
	existing, err := in.ix.TalkIDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("indexer: %w", err)
	}
	inCat := make(map[string]bool, len(cat.Talks))
	for _, t := range cat.Talks {
		inCat[t.ID] = true
	}
	var gone []string
	for _, id := range existing {
		if !inCat[id] && !in.held(id) {
			gone = append(gone, id)
		}
	}
	if err := in.ix.Delete(ctx, gone...); err != nil {
		return 0, fmt.Errorf("indexer: remove talks: %w", err)
	}
	return len(gone), nil
}

// job is a talk to (re)index: its place in the catalogue and the
// fingerprint of its metadata and files ("" when they cannot be read).
type job struct {
	order int
	talk  corpus.Talk
	fp    string
}

// changedTalks returns the talks whose fingerprint differs from the one
// stored with them (all of them with Config.Force), counting the others
// in rep.Skipped.
func (in *Indexer) changedTalks(cat *corpus.Catalogue, fsys fs.FS, rep *Report) []job {
	var jobs []job
	for i, t := range cat.Talks {
		if in.held(t.ID) {
			rep.Held++
			continue
		}
		fp, err := fingerprint(cat, fsys, t)
		if err != nil {
			in.log.Warn("cannot fingerprint talk", "talk", t.ID, "err", err)
		}
		if !in.cfg.Force && fp != "" {
			if old, _ := in.ix.Fingerprint(t.ID); old == fp {
				rep.Skipped++
				continue
			}
		}
		jobs = append(jobs, job{order: i, talk: t, fp: fp})
	}
	return jobs
}

// result is one built talk.
type result struct {
	doc    search.Doc
	failed []FileError
	pages  pageNotes
}

// indexTalks builds the talks of jobs on Config.Workers goroutines and
// writes them in batches, adding each to rep. It returns how many decks
// the walker could not read, and the first write error.
func (in *Indexer) indexTalks(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, jobs []job, rep *Report) (unreadable int, err error) {
	results := make(chan result)
	go func() {
		defer close(results)
		forEach(ctx, in.cfg.Workers, len(jobs), func(i int) {
			j := jobs[i]
			doc, failed, notes := in.build(ctx, cat, fsys, j.talk, j.order)
			if ctx.Err() != nil {
				// Cut short by the caller, not by a bad file: neither
				// reported nor written; the next run builds it again.
				return
			}
			if len(failed) == 0 {
				doc.Fingerprint = j.fp
			}
			select {
			case results <- result{doc, failed, notes}:
			case <-ctx.Done():
			}
		})
	}()
	b := newBatch(ctx, in)
	in.progress(rep, len(jobs))
	for r := range results {
		unreadable += r.pages.unreadable
		addToReport(rep, r)
		in.progress(rep, len(jobs))
		for _, f := range r.failed {
			in.log.Warn("file skipped", "talk", f.Talk, "file", f.File, "reason", f.Reason)
		}
		b.add(r.doc)
	}
	return unreadable, b.close()
}

// addToReport counts one built talk in rep.
func addToReport(rep *Report, r result) {
	rep.Indexed++
	rep.Pages += len(r.doc.Slides)
	rep.Segments += len(r.doc.Segments)
	rep.EmptyPages += r.pages.empty
	rep.Failed = append(rep.Failed, r.failed...)
	rep.OCR = append(rep.OCR, r.pages.ocr...)
	rep.Fallback = append(rep.Fallback, r.pages.fallback...)
	rep.NoText = append(rep.NoText, r.pages.noText...)
	rep.Limited = append(rep.Limited, r.pages.limited...)
	rep.Withheld = append(rep.Withheld, r.pages.withheld...)
}

// batch collects documents and hands them, once they hold about
// Config.BatchPages slides and passages, to a writer goroutine, so that
// the workers go on extracting while bleve analyses and writes: one batch
// is written while the next fills, and at most one more waits. After a
// failed write the writer drops everything and keeps the error.
type batch struct {
	ctx    context.Context
	in     *Indexer
	docs   []search.Doc
	pages  int
	writes chan []search.Doc
	done   chan struct{}
	err    error // the first write error, read after close
}

func newBatch(ctx context.Context, in *Indexer) *batch {
	b := &batch{ctx: ctx, in: in, writes: make(chan []search.Doc, 1), done: make(chan struct{})}
	go b.write()
	return b
}

// write writes the batches handed to it until close.
func (b *batch) write() {
	defer close(b.done)
	for docs := range b.writes {
		if b.err != nil {
			continue
		}
		if err := b.in.ix.Index(b.ctx, docs...); err != nil {
			b.err = fmt.Errorf("indexer: %w", err)
			continue
		}
		b.in.log.Debug("batch written", "talks", len(docs))
	}
}

func (b *batch) add(doc search.Doc) {
	b.docs = append(b.docs, doc)
	b.pages += len(doc.Slides) + len(doc.Segments)
	if b.pages >= b.in.cfg.BatchPages {
		b.flush()
	}
}

// flush hands the collected documents to the writer.
func (b *batch) flush() {
	if len(b.docs) == 0 {
		return
	}
	b.writes <- b.docs
	b.docs, b.pages = nil, 0
}

// close writes what is left, waits for the writer and returns the first
// write error.
func (b *batch) close() error {
	b.flush()
	close(b.writes)
	<-b.done
	return b.err
}

// pageNotes are what the report says about the pages of one talk.
type pageNotes struct {
	empty                 int // slides without text
	unreadable            int // 1 when the walker could not read the deck
	ocr, fallback, noText []FilePages
	limited               []FileError // files read in part
	withheld              []string    // public names of files not read
}

// build reads one talk's files and returns its search document, the files
// that failed and what to report about its pages.
func (in *Indexer) build(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, t corpus.Talk, order int) (search.Doc, []FileError, pageNotes) {
	ev, _ := cat.Event(t.EventID)
	doc := search.Doc{Talk: search.Talk{
		ID:         t.ID,
		Title:      t.Title,
		Kind:       t.Kind,
		Event:      search.Event{ID: ev.ID, Name: ev.Name, Year: ev.Year, Place: ev.Place},
		Speakers:   make([]search.Speaker, len(t.Speakers)),
		States:     nonNil(t.States),
		Topics:     nonNil(t.Topics),
		File:       corpus.FilePath(ev.ID, t.Files.Slides),
		Transcript: corpus.FilePath(ev.ID, t.Files.Transcript),
		Recording:  t.Files.Recording,
		Order:      order,
	}, TitleFromFile: t.TitleFromFile}
	for i, s := range t.Speakers {
		doc.Talk.Speakers[i] = search.Speaker(s)
	}
	var (
		failed []FileError
		notes  pageNotes
	)
	if t.Files.Slides != "" {
		name := cat.Path(t, t.Files.Slides)
		pdfDoc, err := in.extractFile(ctx, fsys, name)
		if err != nil {
			failed = append(failed, FileError{Talk: t.ID, File: name, Reason: reason(err)})
			notes.withheld = append(notes.withheld, doc.Talk.File)
			if errors.Is(err, pdftext.ErrUnreadable) {
				notes.unreadable = 1
			}
		} else {
			notes = in.notePages(t.ID, name, pdfDoc)
			if pdfDoc.Capped > 0 {
				notes.limited = append(notes.limited, FileError{Talk: t.ID, File: name,
					Reason: fmt.Sprintf("only the first %d pages were read: the page limit", pdfDoc.Capped)})
			}
			doc.Slides = slidesOf(pdfDoc)
			for _, pr := range pdfDoc.Problems {
				failed = append(failed, FileError{Talk: t.ID, File: name, Reason: pr})
			}
			if applyMetadata(&doc.Talk, pdfDoc.Meta, t.TitleFromFile) {
				doc.TitleFromFile = false
			}
		}
	}
	if t.Files.Transcript != "" {
		name := cat.Path(t, t.Files.Transcript)
		cues, err := in.readTranscript(ctx, fsys, name)
		if err != nil {
			failed = append(failed, FileError{Talk: t.ID, File: name, Reason: reason(err)})
			notes.withheld = append(notes.withheld, doc.Talk.Transcript)
		}
		for i, c := range Segment(cues) {
			doc.Segments = append(doc.Segments, search.Segment{N: i + 1, Start: c.Start, Text: c.Text})
		}
	}
	return doc, failed, notes
}

// slidesOf returns the pages of an extracted deck as slides.
func slidesOf(d *extract.Document) []search.Slide {
	var slides []search.Slide
	for _, p := range d.Pages {
		slides = append(slides, search.Slide{Page: p.Number, Text: p.Text, Extractor: p.Extractor})
	}
	return slides
}

// extractFile extracts the PDF name of fsys, streamed to the extraction
// child: the indexer never holds a whole deck.
func (in *Indexer) extractFile(ctx context.Context, fsys fs.FS, name string) (*extract.Document, error) {
	src, err := in.source(fsys, name)
	if err != nil {
		return nil, err
	}
	doc, err := in.ext.ExtractSource(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("indexer: extract %s: %w", name, err)
	}
	return doc, nil
}

// notePages lists the pages of a file read by OCR or by pdftotext, and
// those left without text.
func (in *Indexer) notePages(talk, name string, doc *extract.Document) pageNotes {
	var n pageNotes
	var ocr, fallback, empty []int
	for _, p := range doc.Pages {
		switch {
		case strings.TrimSpace(p.Text) == "":
			empty = append(empty, p.Number)
		case p.Extractor == extract.OCR:
			ocr = append(ocr, p.Number)
		case p.Extractor == extract.Pdftotext:
			fallback = append(fallback, p.Number)
		}
	}
	n.empty = len(empty)
	if len(ocr) > 0 {
		n.ocr = []FilePages{{Talk: talk, File: name, Pages: ocr, Reason: "no text layer"}}
	}
	if len(fallback) > 0 {
		why := "the PDF library could not read these pages"
		if cause := doc.FallbackReason(); cause != "" {
			why = "the PDF library could not read the file: " + cause
		}
		n.fallback = []FilePages{{Talk: talk, File: name, Pages: fallback, Reason: why}}
	}
	if len(empty) > 0 {
		why := "no text layer, and OCR found no text"
		switch {
		case in.cfg.Extract.DisableOCR:
			why = "no text layer (OCR is turned off)"
		case !in.ext.CanOCR():
			why = "no text layer, and OCR is not available"
		}
		n.noText = []FilePages{{Talk: talk, File: name, Pages: empty, Reason: why}}
	}
	return n
}

// readTranscript reads and parses the transcript name of fsys, within
// the size and time limits of a file.
func (in *Indexer) readTranscript(ctx context.Context, fsys fs.FS, name string) ([]Cue, error) {
	src, err := in.source(fsys, name)
	if err != nil {
		return nil, err
	}
	data, err := src.ReadAll(ctx, in.fileTimeout())
	if err != nil {
		return nil, fmt.Errorf("indexer: read %s: %w", name, err)
	}
	return ParseTranscript(bytes.NewReader(data), name)
}

// fileTimeout is the time limit of reading one file.
func (in *Indexer) fileTimeout() time.Duration {
	if in.cfg.Extract.FileTimeout <= 0 {
		return 60 * time.Second
	}
	return in.cfg.Extract.FileTimeout
}

// usableTitle returns a PDF metadata title worth showing, or "".
func usableTitle(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"Microsoft PowerPoint - ", "Microsoft Word - "} {
		s = strings.TrimPrefix(s, p)
	}
	low := strings.ToLower(s)
	if s == "" || low == "untitled" || low == "unbenannt" || isFileName(low) {
		return ""
	}
	return s
}

// isFileName reports whether the title low (lower case) is a file name
// that ends in the extension of a file a PDF is made from: what a
// converter writes where the source has no title, as chromium titles an
// untitled HTML page "du.html" and Office "Präsentation1.pptx".
func isFileName(low string) bool {
	i := strings.LastIndexByte(low, '.')
	if i <= 0 {
		return false
	}
	switch low[i+1:] {
	case "html", "htm", "xhtml", "txt", "md", "tex", "pdf", "ps", "doc", "docx",
		"odt", "odp", "ods", "ppt", "pptx", "pps", "ppsx", "xls", "xlsx", "rtf":
		return true
	}
	return false
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
