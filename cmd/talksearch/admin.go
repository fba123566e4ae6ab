package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/extract"
)

// adminService is serve's implementation of api.Admin: it writes
// uploads into the corpus folder, the source of truth, and brings the
// index up to date under the one writer.
type adminService struct{ m *Main }

var _ api.Admin = adminService{}

// refuse is a refused admin request.
func refuse(reason api.AdminReason, field, value string) error {
	return &api.AdminError{Reason: reason, Field: field, Value: value}
}

// writeFailed is a corpus write that failed; everything was undone.
func writeFailed(err error) error {
	return &api.AdminError{Reason: api.AdminWriteFailed, Err: err}
}

// AddTalk writes the upload's files and its manifest entry into the
// corpus, each atomically, and indexes it. A failure at any step undoes
// the steps before it.
func (s adminService) AddTalk(ctx context.Context, up *api.Upload) (string, error) {
	m := s.m
	if m.root == nil {
		return "", refuse(api.AdminReadOnly, "", "")
	}
	t, err := talkOf(up)
	if err != nil {
		return "", err
	}
	m.ops.mu.Lock()
	defer m.ops.mu.Unlock()
	cat, err := m.reloadCatalogue()
	if err != nil {
		return "", writeFailed(err)
	}
	ev, create, err := m.uploadEvent(cat, up)
	if err != nil {
		return "", err
	}
	if _, ok := findTalk(cat, t.ID); ok {
		return "", refuse(api.AdminTalkExists, "id", t.ID)
	}
	w := &corpusWrite{root: m.root, fresh: map[string]bool{}}
	defer w.undo(m)
	if err := m.addFiles(ctx, w, ev.Dir, &t, up); err != nil {
		return "", err
	}
	if err := w.addToManifest(ev, create, t); err != nil {
		return "", writeFailed(err)
	}
	// The corpus is the truth: the talk must load back as written.
	if cat, err = m.reloadCatalogue(); err != nil {
		return "", writeFailed(err)
	}
	if got, ok := findTalk(cat, t.ID); !ok || got.EventID != ev.ID || got.Files.Slides != t.Files.Slides {
		return "", writeFailed(fmt.Errorf("talk %s did not load back from %s", t.ID, w.manifest))
	}
	w.keep()
	m.log.Info("admin: talk added", "talk", t.ID, "event", ev.ID, "file", path.Join(ev.Dir, t.Files.Slides))
	// From here the talk is in the corpus; indexing it must not stop
	// because the client went away.
	if _, err := m.syncCorpus(context.WithoutCancel(ctx), w.fresh); err != nil {
		return "", fmt.Errorf("index the new talk %s: %w", t.ID, err)
	}
	return t.ID, nil
}

// talkOf checks the upload's metadata by the catalogue's own rules and
// returns the talk it describes, its files not yet set.
func talkOf(up *api.Upload) (corpus.Talk, error) {
	id := up.ID
	if id == "" {
		id = corpus.Slug(up.Title)
	}
	if id == "" || id != corpus.Slug(id) {
		return corpus.Talk{}, refuse(api.AdminBadField, "id", cmp(up.ID, up.Title))
	}
	if up.EventYear != 0 && (up.EventYear < 1900 || up.EventYear > 2200) {
		return corpus.Talk{}, refuse(api.AdminBadField, "event_year", strconv.Itoa(up.EventYear))
	}
	if up.Transcript.Content != nil && !transcriptExt(up.Transcript.Name) {
		return corpus.Talk{}, refuse(api.AdminNotTranscript, "transcript", "")
	}
	t := corpus.Talk{ID: id, Title: up.Title, Kind: up.Kind, States: up.States, Topics: up.Topics,
		Files: corpus.Files{Recording: up.Recording}}
	for _, sp := range up.Speakers {
		t.Speakers = append(t.Speakers, corpus.Speaker(sp))
	}
	if probs := corpus.CheckTalk(&t); len(probs) > 0 {
		field, value := fieldValue(up, probs[0].Field)
		return corpus.Talk{}, refuse(api.AdminBadField, field, value)
	}
	return t, nil
}

// fieldValue names the form field of a corpus.CheckTalk problem
// ("states[1]") and the value sent for it.
func fieldValue(up *api.Upload, problem string) (string, string) {
	name, idx, _ := strings.Cut(strings.TrimPrefix(problem, "files."), "[")
	i, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
	at := func(l []string) string {
		if i < len(l) {
			return l[i]
		}
		return ""
	}
	switch name {
	case "states":
		return name, at(up.States)
	case "topics":
		return name, at(up.Topics)
	case "speakers":
		if i < len(up.Speakers) {
			return name, up.Speakers[i].Name
		}
	case "kind":
		return name, up.Kind
	case "recording":
		return name, up.Recording
	case "title":
		return name, up.Title
	}
	return name, ""
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// transcriptExt reports whether a transcript file name has a type the
// catalogue pairs with talks.
func transcriptExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".vtt", ".srt", ".txt", ".md":
		return true
	}
	return false
}

// uploadEvent is the event an upload goes to: an event of the catalogue
// with a manifest, or a new event folder (create) when the corpus is a
// folder of event folders.
func (m *Main) uploadEvent(cat *corpus.Catalogue, up *api.Upload) (corpus.Event, bool, error) {
	if ev, ok := cat.Event(up.Event); ok {
		if _, err := m.root.Stat(path.Join(ev.Dir, corpus.ManifestName)); err != nil {
			return ev, false, refuse(api.AdminEventNoManifest, "event", ev.ID)
		}
		return ev, false, nil
	}
	if _, err := m.root.Stat(corpus.ManifestName); err == nil {
		root := ""
		if len(cat.Events) > 0 {
			root = cat.Events[0].ID
		}
		return corpus.Event{}, false, refuse(api.AdminSingleEvent, "event", root)
	}
	if up.Event != corpus.Slug(up.Event) || strings.HasPrefix(up.Event, ".") {
		return corpus.Event{}, false, refuse(api.AdminBadField, "event", up.Event)
	}
	if _, err := m.root.Lstat(path.Join(up.Event, corpus.ManifestName)); err == nil {
		return corpus.Event{}, false, writeFailed(fmt.Errorf("%s exists but cannot be loaded", path.Join(up.Event, corpus.ManifestName)))
	}
	name := up.EventName
	if name == "" {
		name = up.Event
	}
	return corpus.Event{ID: up.Event, Name: name, Year: up.EventYear, Dir: up.Event}, true, nil
}

func findTalk(cat *corpus.Catalogue, id string) (corpus.Talk, bool) {
	for _, t := range cat.Talks {
		if t.ID == id {
			return t, true
		}
	}
	return corpus.Talk{}, false
}

// addFiles writes the upload's PDF (and transcript) under the event
// folder dir as slides/<id>.pdf and transcripts/<id>.<ext>; the client's
// file names are never used as paths.
func (m *Main) addFiles(ctx context.Context, w *corpusWrite, dir string, t *corpus.Talk, up *api.Upload) error {
	slides := path.Join("slides", t.ID+".pdf")
	tmp, size, err := w.temp(m, dir, up.PDF.Content, path.Join(dir, slides))
	if err != nil {
		return err
	}
	if err := m.checkPDF(ctx, tmp, size); err != nil {
		return &api.AdminError{Reason: api.AdminUnreadablePDF, Field: "pdf", Err: err}
	}
	if err := w.place(tmp, path.Join(dir, slides)); err != nil {
		return writeFailed(err)
	}
	t.Files.Slides = slides
	if up.Transcript.Content == nil {
		return nil
	}
	rel := path.Join("transcripts", t.ID+strings.ToLower(path.Ext(up.Transcript.Name)))
	tmp, _, err = w.temp(m, dir, up.Transcript.Content, path.Join(dir, rel))
	if err != nil {
		return err
	}
	if data, err := m.root.ReadFile(tmp); err != nil || !utf8.Valid(data) {
		return refuse(api.AdminNotTranscript, "transcript", "")
	}
	if err := w.place(tmp, path.Join(dir, rel)); err != nil {
		return writeFailed(err)
	}
	t.Files.Transcript = rel
	return nil
}

// checkPDF reads the PDF as the indexer will; one it cannot read at all
// (damaged, encrypted, over a limit) is refused rather than published.
func (m *Main) checkPDF(ctx context.Context, name string, size int64) error {
	ext := extract.New(m.extractConfig())
	defer ext.Close()
	_, err := ext.ExtractSource(ctx, extract.Source{Size: size, Open: func() (io.ReadCloser, error) { return m.root.Open(name) }})
	if err != nil {
		return fmt.Errorf("%s", extract.Reason(err))
	}
	return nil
}

// uploadLimit is the size limit of one uploaded file in bytes.
func (m *Main) uploadLimit() int64 {
	mb := m.Config.AdminMaxUploadMB
	if mb <= 0 {
		mb = m.Config.MaxFileMB
	}
	return int64(mb) << 20
}

// DeleteTalk removes the talk from its event's manifest (atomically),
// then its files, and takes it out of the index.
func (s adminService) DeleteTalk(ctx context.Context, id string) error {
	m := s.m
	if m.root == nil {
		return refuse(api.AdminReadOnly, "", "")
	}
	m.ops.mu.Lock()
	defer m.ops.mu.Unlock()
	cat, err := m.reloadCatalogue()
	if err != nil {
		return writeFailed(err)
	}
	t, ok := findTalk(cat, id)
	if !ok {
		return refuse(api.AdminTalkNotFound, "", "")
	}
	ev, _ := cat.Event(t.EventID)
	fresh := map[string]bool{}
	manifest := path.Join(ev.Dir, corpus.ManifestName)
	if old, err := m.root.ReadFile(manifest); err == nil {
		data, found, err := corpus.RemoveTalk(old, id)
		if err != nil || !found {
			return writeFailed(fmt.Errorf("remove %s from %s: found %v, %v", id, manifest, found, err))
		}
		if err := writeAtomic(m.root, manifest, data); err != nil {
			return writeFailed(err)
		}
		fresh[manifest] = true
	}
	m.removeFiles(cat, t)
	m.log.Info("admin: talk deleted", "talk", id, "event", ev.ID)
	if _, err := m.syncCorpus(context.WithoutCancel(ctx), fresh); err != nil {
		return fmt.Errorf("remove talk %s from the index: %w", id, err)
	}
	return nil
}

// removeFiles deletes the files of t that no other talk uses. The talk
// has left the catalogue already; a file that stays is only logged.
func (m *Main) removeFiles(cat *corpus.Catalogue, t corpus.Talk) {
	used := map[string]bool{}
	for _, o := range cat.Talks {
		if o.ID != t.ID {
			used[cat.Path(o, o.Files.Slides)] = true
			used[cat.Path(o, o.Files.Transcript)] = true
		}
	}
	for _, rel := range []string{t.Files.Slides, t.Files.Transcript} {
		name := cat.Path(t, rel)
		if rel == "" || used[name] {
			continue
		}
		if err := m.root.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
			m.log.Warn("admin: file of a deleted talk not removed", "file", name, "err", err)
		}
	}
}
