package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/talksearch/talksearch/corpus"
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
	// Force re-indexes talks whose files have not changed.
	Force bool
	// Previews, when its Dir is set, renders PNG previews of the slides
	// after indexing (see PreviewConfig).
	Previews PreviewConfig
	// Extract configures how PDFs are read: isolation in child processes,
	// the pdftotext fallback and OCR (see ExtractConfig).
	Extract ExtractConfig
}

// Indexer turns a catalogue and its files into search documents.
type Indexer struct {
	cfg Config
	ix  *search.Index
	log *slog.Logger
	ext *Extractor
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
	return &Indexer{cfg: cfg, ix: ix, log: log, ext: NewExtractor(cfg.Extract)}
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
	Talks      int           `json:"talks"`       // talks in the catalogue
	Indexed    int           `json:"indexed"`     // talks (re)written this run
	Skipped    int           `json:"skipped"`     // talks unchanged since the last run
	Removed    int           `json:"removed"`     // talks no longer in the catalogue
	Pages      int           `json:"pages"`       // slides extracted this run
	Segments   int           `json:"segments"`    // transcript passages this run
	EmptyPages int           `json:"empty_pages"` // slides without any text layer
	Previews   int           `json:"previews"`    // slide previews rendered this run
	Failed     []FileError   `json:"failed"`
	OCR        []FilePages   `json:"ocr,omitempty"`      // pages read by OCR
	Fallback   []FilePages   `json:"fallback,omitempty"` // pages read by pdftotext, and why
	NoText     []FilePages   `json:"no_text,omitempty"`  // pages left without text, and why
	Notes      []string      `json:"notes,omitempty"`    // remarks on the whole run, each said once
	Duration   time.Duration `json:"duration_ns"`
}

// Run indexes every talk of cat whose files (read from fsys, the
// catalogue's root) changed since the last run, and removes talks that
// left the catalogue. A file that cannot be read is reported in the Report
// and its talk is still indexed with its metadata; Run returns an error
// only when the index itself cannot be written or ctx ends.
func (in *Indexer) Run(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) (*Report, error) {
	began := time.Now()
	rep := &Report{Talks: len(cat.Talks), Failed: []FileError{}}
	defer in.ext.Close()

	existing, err := in.ix.TalkIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("indexer: %w", err)
	}
	inCat := make(map[string]bool, len(cat.Talks))
	for _, t := range cat.Talks {
		inCat[t.ID] = true
	}
	var gone []string
	for _, id := range existing {
		if !inCat[id] {
			gone = append(gone, id)
		}
	}
	if err := in.ix.Delete(ctx, gone...); err != nil {
		return nil, fmt.Errorf("indexer: remove talks: %w", err)
	}
	rep.Removed = len(gone)

	// Decide what changed, then extract the changed talks on all cores.
	type job struct {
		order int
		talk  corpus.Talk
		fp    string
	}
	var jobs []job
	for i, t := range cat.Talks {
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

	type result struct {
		doc    search.Doc
		failed []FileError
		pages  pageNotes
	}
	jobCh := make(chan job)
	resCh := make(chan result)
	var wg sync.WaitGroup
	for w := 0; w < in.cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobCh {
				doc, failed, notes := in.build(ctx, cat, fsys, j.talk, j.order)
				if len(failed) == 0 {
					doc.Fingerprint = j.fp
				}
				select {
				case resCh <- result{doc, failed, notes}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobCh)
		for _, j := range jobs {
			select {
			case jobCh <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(resCh) }()

	var (
		batch      []search.Doc
		pages      int
		unreadable int
		writeErr   error
	)
	flush := func() {
		if len(batch) == 0 || writeErr != nil {
			return
		}
		if err := in.ix.Index(ctx, batch...); err != nil {
			writeErr = fmt.Errorf("indexer: %w", err)
			return
		}
		in.log.Debug("batch written", "talks", len(batch), "pages", pages)
		batch, pages = batch[:0], 0
	}
	for r := range resCh {
		rep.Indexed++
		rep.Pages += len(r.doc.Slides)
		rep.Segments += len(r.doc.Segments)
		rep.EmptyPages += r.pages.empty
		unreadable += r.pages.unreadable
		rep.Failed = append(rep.Failed, r.failed...)
		rep.OCR = append(rep.OCR, r.pages.ocr...)
		rep.Fallback = append(rep.Fallback, r.pages.fallback...)
		rep.NoText = append(rep.NoText, r.pages.noText...)
		for _, f := range r.failed {
			in.log.Warn("file skipped", "talk", f.Talk, "file", f.File, "reason", f.Reason)
		}
		batch = append(batch, r.doc)
		pages += len(r.doc.Slides) + len(r.doc.Segments)
		if pages >= in.cfg.BatchPages {
			flush()
		}
	}
	flush()
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

// pageNotes are what the report says about the pages of one talk.
type pageNotes struct {
	empty                 int // slides without text
	unreadable            int // 1 when the walker could not read the deck
	ocr, fallback, noText []FilePages
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
	}}
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
			failed = append(failed, FileError{Talk: t.ID, File: name, Reason: Reason(err)})
			if errors.Is(err, ErrUnreadable) {
				notes.unreadable = 1
			}
		} else {
			notes = in.notePages(t.ID, name, pdfDoc)
			for _, p := range pdfDoc.Pages {
				doc.Slides = append(doc.Slides, search.Slide{Page: p.Number, Text: p.Text, Extractor: p.Extractor})
			}
			for _, pr := range pdfDoc.Problems {
				failed = append(failed, FileError{Talk: t.ID, File: name, Reason: pr})
			}
			applyMetadata(&doc.Talk, pdfDoc.Meta, t.TitleFromFile)
		}
	}
	if t.Files.Transcript != "" {
		name := cat.Path(t, t.Files.Transcript)
		cues, err := readTranscript(fsys, name)
		if err != nil {
			failed = append(failed, FileError{Talk: t.ID, File: name, Reason: Reason(err)})
		}
		for i, c := range Segment(cues) {
			doc.Segments = append(doc.Segments, search.Segment{N: i + 1, Start: c.Start, Text: c.Text})
		}
	}
	return doc, failed, notes
}

func (in *Indexer) extractFile(ctx context.Context, fsys fs.FS, name string) (*Document, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("indexer: read %s: %w", name, err)
	}
	doc, err := in.ext.Extract(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("indexer: extract %s: %w", name, err)
	}
	return doc, nil
}

// notePages lists the pages of a file read by OCR or by pdftotext, and
// those left without text.
func (in *Indexer) notePages(talk, name string, doc *Document) pageNotes {
	var n pageNotes
	var ocr, fallback, empty []int
	for _, p := range doc.Pages {
		switch {
		case strings.TrimSpace(p.Text) == "":
			empty = append(empty, p.Number)
		case p.Extractor == ExtractorOCR:
			ocr = append(ocr, p.Number)
		case p.Extractor == ExtractorPdftotext:
			fallback = append(fallback, p.Number)
		}
	}
	n.empty = len(empty)
	if len(ocr) > 0 {
		n.ocr = []FilePages{{Talk: talk, File: name, Pages: ocr, Reason: "no text layer"}}
	}
	if len(fallback) > 0 {
		why := "the PDF library could not read these pages"
		if doc.Fallback != "" {
			why = "the PDF library could not read the file: " + unreadableDetail(doc.Fallback)
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

func readTranscript(fsys fs.FS, name string) ([]Cue, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("indexer: open %s: %w", name, err)
	}
	defer f.Close()
	return ParseTranscript(f, name)
}

// usableTitle returns a PDF metadata title worth showing, or "".
func usableTitle(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"Microsoft PowerPoint - ", "Microsoft Word - "} {
		s = strings.TrimPrefix(s, p)
	}
	low := strings.ToLower(s)
	if s == "" || low == "untitled" || low == "unbenannt" || strings.HasSuffix(low, ".pptx") ||
		strings.HasSuffix(low, ".ppt") || strings.HasSuffix(low, ".docx") || strings.HasSuffix(low, ".odp") {
		return ""
	}
	return s
}

// fingerprint identifies a talk's metadata and file contents, so that an
// unchanged talk is skipped on the next run. Files are identified by size
// and modification time where the file system has them, else by content.
func fingerprint(cat *corpus.Catalogue, fsys fs.FS, t corpus.Talk) (string, error) {
	h := sha256.New()
	ev, _ := cat.Event(t.EventID)
	meta, _ := json.Marshal(struct {
		T corpus.Talk
		E corpus.Event
		F bool
	}{t, ev, t.TitleFromFile})
	h.Write(meta)
	for _, rel := range []string{t.Files.Slides, t.Files.Transcript} {
		if rel == "" {
			continue
		}
		name := cat.Path(t, rel)
		st, err := fs.Stat(fsys, name)
		if err != nil {
			return "", fmt.Errorf("stat %s: %w", name, err)
		}
		if !st.ModTime().IsZero() {
			fmt.Fprintf(h, "%s|%d|%d\n", name, st.Size(), st.ModTime().UnixNano())
			continue
		}
		f, err := fsys.Open(name)
		if err != nil {
			return "", fmt.Errorf("open %s: %w", name, err)
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("read %s: %w", name, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
