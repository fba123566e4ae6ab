package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/talksearch/talksearch/search"
)

// The documents of `talksearch export`, one JSON object each. Every
// slide and transcript passage carries its talk's filter fields, so an
// OpenSearch index of them filters and aggregates without joins. These
// are a wire format of their own: renaming a field in search does not
// rename it here.
type (
	exportAction struct {
		Index exportTarget `json:"index"`
	}
	exportTarget struct {
		Index string `json:"_index"`
		ID    string `json:"_id"`
	}
	exportTalk struct {
		Type       string           `json:"type"` // "talk"
		TalkID     string           `json:"talk_id"`
		Title      string           `json:"title"`
		Kind       string           `json:"kind"`
		Event      search.Event     `json:"event"`
		Speakers   []string         `json:"speakers"`
		People     []search.Speaker `json:"speaker_details"`
		States     []string         `json:"states"`
		Topics     []string         `json:"topics"`
		File       string           `json:"file,omitempty"`
		Transcript string           `json:"transcript,omitempty"`
		Recording  string           `json:"recording,omitempty"`
		Pages      int              `json:"pages"`
		Order      int              `json:"order"`
	}
	// exportPart is a slide (Page, Extractor) or a transcript passage
	// (N, Start).
	exportPart struct {
		Type      string   `json:"type"` // "slide" or "segment"
		TalkID    string   `json:"talk_id"`
		Title     string   `json:"title"`
		EventID   string   `json:"event_id"`
		Speakers  []string `json:"speakers"`
		States    []string `json:"states"`
		Topics    []string `json:"topics"`
		Page      int      `json:"page,omitempty"`
		Extractor string   `json:"extractor,omitempty"`
		N         int      `json:"n,omitempty"`
		Start     *float64 `json:"start,omitempty"`
		Text      string   `json:"text"`
	}
)

// errEmptyIndex makes `talksearch export` of an empty index an error.
var errEmptyIndex = errors.New("the index is empty; run talksearch index first")

// export writes every talk document and every slide and transcript
// passage of the index to Stdout as NDJSON in the OpenSearch (and
// Elasticsearch) bulk format: an action line, then the document.
func (m *Main) export(ctx context.Context) error {
	if err := m.openIndex(); err != nil {
		return err
	}
	ids, err := m.index.TalkIDs(ctx)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return errEmptyIndex
	}
	out := bufio.NewWriterSize(m.Stdout, 1<<16)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	docs := 0
	for _, id := range ids {
		n, err := m.exportTalk(ctx, enc, id)
		if err != nil {
			return err
		}
		docs += n
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	m.log.Info("exported", "talks", len(ids), "documents", docs, "index", m.Config.ExportIndex)
	return nil
}

// exportTalk writes one talk and its parts; it returns how many documents.
func (m *Main) exportTalk(ctx context.Context, enc *json.Encoder, id string) (int, error) {
	t, err := m.index.Talk(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("export talk %s: %w", id, err)
	}
	slides, segments, err := m.index.Slides(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("export talk %s: %w", id, err)
	}
	var labels []string
	for _, s := range t.Speakers {
		labels = append(labels, s.Label())
	}
	write := func(docID string, doc any) error {
		if err := enc.Encode(exportAction{exportTarget{m.Config.ExportIndex, docID}}); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	}
	err = write("t:"+id, exportTalk{Type: "talk", TalkID: id, Title: t.Title, Kind: t.Kind, Event: t.Event,
		Speakers: labels, People: t.Speakers, States: t.States, Topics: t.Topics, File: t.File,
		Transcript: t.Transcript, Recording: t.Recording, Pages: t.Pages, Order: t.Order})
	if err != nil {
		return 0, err
	}
	part := exportPart{TalkID: id, Title: t.Title, EventID: t.Event.ID, Speakers: labels, States: t.States, Topics: t.Topics}
	for _, s := range slides {
		p := part
		p.Type, p.Page, p.Extractor, p.Text = "slide", s.Page, s.Extractor, s.Text
		if err := write("s:"+id+":"+strconv.Itoa(s.Page), p); err != nil {
			return 0, err
		}
	}
	for _, g := range segments {
		p := part
		p.Type, p.N, p.Text = "segment", g.N, g.Text
		if g.Start >= 0 {
			p.Start = &g.Start
		}
		if err := write("g:"+id+":"+strconv.Itoa(g.N), p); err != nil {
			return 0, err
		}
	}
	return 1 + len(slides) + len(segments), nil
}
