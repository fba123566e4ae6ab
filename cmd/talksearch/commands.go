package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/search"
)

// errNothingIndexed makes `talksearch index` exit non-zero.
var errNothingIndexed = errors.New("nothing could be indexed")

// runIndex builds or updates the index and prints the report. Stopped by
// a signal, it prints the report of what it did and succeeds: every batch
// written is whole, so the index is consistent, and the next run goes on
// where this one stopped.
//
// A full rebuild (--force, or an index of an older version) and a run
// while serve holds the index build a new index beside the live one and
// swap it in (see rebuild); stopped, they discard the new one.
func (m *Main) runIndex(ctx context.Context) error {
	prog := m.newProgress()
	rep, cat, fsys, err := m.indexOrRebuild(ctx, prog.option)
	prog.finish()
	interrupted := err != nil && rep != nil && ctx.Err() != nil
	if err != nil && !interrupted {
		return err
	}
	if m.Config.Previews && !interrupted {
		m.indexPreviews(ctx, cat, fsys, rep)
	}
	if m.Config.JSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(m.Stdout, "%d talks: %d indexed, %d unchanged, %d removed; %d pages (%d without text), %d transcript passages in %s\n",
			rep.Talks, rep.Indexed, rep.Skipped, rep.Removed, rep.Pages, rep.EmptyPages, rep.Segments, rep.Duration.Round(1e6))
		if rep.Pages > 0 && rep.Searchable > 0 {
			fmt.Fprintf(m.Stdout, "  searchable after %s (%.0f pages/s); %d slide previews rendered\n",
				rep.Searchable.Round(1e6), float64(rep.Pages)/rep.Searchable.Seconds(), rep.Previews)
		}
		for _, f := range rep.Failed {
			fmt.Fprintf(m.Stdout, "  FAILED %s (talk %s): %s\n", f.File, f.Talk, f.Reason)
		}
		for _, p := range rep.Catalogue {
			fmt.Fprintf(m.Stdout, "  CATALOGUE %s %s: %s\n", p.File, p.Field, p.Problem)
		}
		for _, f := range rep.Limited {
			fmt.Fprintf(m.Stdout, "  LIMITED %s (talk %s): %s\n", f.File, f.Talk, f.Reason)
		}
		for _, list := range []struct {
			label string
			files []indexer.FilePages
		}{{"OCR", rep.OCR}, {"PDFTOTEXT", rep.Fallback}, {"NO TEXT", rep.NoText}} {
			for _, f := range list.files {
				fmt.Fprintf(m.Stdout, "  %s %s (talk %s) pages %s: %s\n", list.label, f.File, f.Talk, pageList(f.Pages), f.Reason)
			}
		}
		for _, note := range rep.Notes {
			fmt.Fprintf(m.Stdout, "  NOTE %s\n", note)
		}
		m.printCorpusSwitch()
		switch {
		case interrupted && m.fullBuild:
			fmt.Fprintf(m.Stdout, "  INTERRUPTED (%v): the new index was discarded; the live index is unchanged\n", context.Cause(ctx))
		case interrupted:
			fmt.Fprintf(m.Stdout, "  INTERRUPTED (%v): the talks above are kept; run index again to finish\n", context.Cause(ctx))
		}
	}
	if interrupted {
		return nil
	}
	if rep.Talks == 0 || rep.Skipped == 0 && rep.Pages+rep.Segments == 0 && len(rep.Failed) > 0 {
		return errNothingIndexed
	}
	return nil
}

// indexPreviews renders the slide previews after an index run. The
// index is closed first: it is complete and compacted, and another
// process (serve) may open it while the previews are rendered, at low
// priority. What the previews add goes into rep.
func (m *Main) indexPreviews(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, rep *indexer.Report) {
	if err := m.closeIndex(); err != nil {
		m.log.Warn("close index", "err", err)
	}
	prep := m.newIndexer(true).RenderPreviews(ctx, cat, fsys)
	rep.Previews = prep.Previews
	rep.Limited = append(rep.Limited, prep.Limited...)
	rep.Notes = append(rep.Notes, prep.Notes...)
	rep.Duration += prep.Duration
	m.log.Info("previews updated", "rendered", prep.Previews, "took", prep.Duration.Round(time.Millisecond))
}

var markRe = regexp.MustCompile(`</?mark>`)

// runSearch prints the best talks and slides for the query.
func (m *Main) runSearch(ctx context.Context) error {
	q := search.Query{Text: strings.Join(m.Config.Args, " "), Filters: map[string][]string{search.FieldSpeaker: m.Config.Speakers, search.FieldState: m.Config.States, search.FieldTopic: m.Config.Topics}}
	began := time.Now()
	res, err := m.searchIndex(ctx, q)
	if err != nil {
		return err
	}
	if m.Config.JSON {
		// Exactly what GET /api/v1/search answers for the same query.
		return api.WriteSearchJSON(m.Stdout, strings.TrimRight(m.Config.BaseURL, "/"), q, res, began)
	}
	fmt.Fprintf(m.Stdout, "%d talks for %q\n", res.Total, q.Text)
	if res.DidYouMean != "" {
		fmt.Fprintf(m.Stdout, "Meinten Sie: %s\n", res.DidYouMean)
	}
	for i, t := range res.Talks {
		var who []string
		for _, s := range t.Speakers {
			who = append(who, s.Label())
		}
		fmt.Fprintf(m.Stdout, "\n%d. %s [%s] (%s)\n   %s · %s\n", i+1, t.Title, t.Kind, t.ID, strings.Join(who, ", "), strings.Join(t.States, ", "))
		for _, s := range t.Slides {
			fmt.Fprintf(m.Stdout, "   Folie %d: %s\n", s.Page, plain(string(s.Snippet)))
		}
		for _, s := range t.Segments {
			fmt.Fprintf(m.Stdout, "   Mitschrift %d: %s\n", s.N, plain(string(s.Snippet)))
		}
	}
	return nil
}

// pageList prints page numbers, runs shortened: "1-3, 7".
func pageList(pages []int) string {
	var b strings.Builder
	for i := 0; i < len(pages); {
		j := i
		for j+1 < len(pages) && pages[j+1] == pages[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if j > i {
			fmt.Fprintf(&b, "%d-%d", pages[i], pages[j])
		} else {
			fmt.Fprintf(&b, "%d", pages[i])
		}
		i = j + 1
	}
	return b.String()
}

// plain turns a highlighted snippet into terminal text with the match in
// *stars*.
func plain(snippet string) string {
	s := markRe.ReplaceAllStringFunc(snippet, func(string) string { return "*" })
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// extract prints the text of every page of one PDF, read as the indexer
// reads it (isolated, with OCR and the pdftotext fallback where needed).
func (m *Main) extract(ctx context.Context, name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	ext := extract.New(m.extractConfig())
	defer ext.Close()
	doc, err := ext.Extract(ctx, data)
	if err != nil {
		return fmt.Errorf("%s: %s", name, extract.Reason(err))
	}
	empty := 0
	for _, p := range doc.Pages {
		if p.Text == "" {
			empty++
		}
	}
	for _, note := range append(ext.Notes(), ext.MissingTools(empty, 0)...) {
		m.log.Info(note)
	}
	for _, p := range doc.Problems {
		m.log.Warn(p, "file", name)
	}
	pages := doc.Pages
	if m.Config.JSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(pages)
	}
	for _, p := range pages {
		fmt.Fprintf(m.Stdout, "--- Seite %d ---\n%s\n", p.Number, p.Text)
	}
	return nil
}
