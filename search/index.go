package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrNeedsRebuild is returned by Open when the index on disk was written
// with another mapping version, or is damaged, and must be rebuilt from
// the catalogue.
var ErrNeedsRebuild = errors.New("search: index needs a rebuild")

// ErrNotFound is returned when a talk is not in the index.
var ErrNotFound = errors.New("search: not found")

var (
	keyMappingVersion = []byte("mapping_version")
	keyLastIndexed    = []byte("last_indexed")
)

// Index is a talk index on disk. It is safe for concurrent use.
type Index struct {
	b        bleve.Index
	dir      string
	opt      Options
	syn      *synonyms
	verbs    *strongVerbs  // the forms of strong verbs (strongverbs.go)
	tables   *tableCache   // the talk table of the newest snapshot (talktable.go)
	counter  *tokenCounter // the field lengths of talks, for BM25 (fieldlen.go); nil: stock
	lev      *levBuilders
	outdated string // the mapping version found, when Options.AcceptOutdated opened an older one
}

// Options select how an index analyses text.
type Options struct {
	// Analysis is AnalysisGerman (the default) or AnalysisStock, bleve's
	// plain "de" analyzer, kept to measure what the German chain gains.
	Analysis string
	// SynonymsFile, when set and present, adds synonym groups to the
	// built-in list (same format as search/dict/synonyms.txt). A missing
	// file is not an error.
	SynonymsFile string
	// Thesaurus, when not nil, is a general German thesaurus
	// (LoadThesaurus): a question word the archive hardly uses also
	// finds the synonyms it uses more (thesaurus.go). The German chain
	// only.
	Thesaurus *Thesaurus
	// LockTimeout is how long Open waits for another process to release
	// the index before it returns ErrLocked; 0 means one second.
	LockTimeout time.Duration
	// AcceptOutdated opens an index written with another mapping version
	// (which Open otherwise refuses with ErrNeedsRebuild), so that it can
	// answer searches while its replacement is built; Outdated reports
	// it. A damaged index is still refused.
	AcceptOutdated bool
	// ReadOnly opens an existing index for searching only, as a replica
	// does: nothing is written to its folder (bleve's read_only: bolt
	// opens its root file read-only under a shared lock, and no persister
	// or merger runs), and a missing or empty folder is an error rather
	// than a new index. Writes to such an index fail.
	ReadOnly bool
}

// Analysis chains an index can use.
const (
	AnalysisGerman = "german"
	AnalysisStock  = "stock"
)

// ErrReadOnly is returned by the writing methods of an index opened
// with Options.ReadOnly. They must not reach bleve: a batch on a
// read-only scorch index waits for a persister that never runs, for
// ever (measured with v2.6.3).
var ErrReadOnly = errors.New("search: the index is open read-only")

// ErrLocked is returned by Open when another process holds the index
// open (bolt's file lock) for longer than Options.LockTimeout.
var ErrLocked = errors.New("search: index is in use by another process")

// Open opens the index in dir, creating an empty one when dir does not
// exist or is empty. opts is at most one Options; none means the zero
// Options (the German chain, no extra synonyms). It returns
// ErrNeedsRebuild (and no index) when the index there has another mapping
// version, was created with another Analysis, or is damaged (a creation
// cut short by an older version); ErrLocked when another process holds it.
//
// A new index is created beside dir (dir.tmp-PID), given its mapping
// version, closed and renamed into place, so a process killed at any
// moment never leaves a half-created index at dir.
func Open(dir string, opts ...Options) (*Index, error) {
	var opt Options
	switch len(opts) {
	case 0:
	case 1:
		opt = opts[0]
	default:
		return nil, fmt.Errorf("search: open %s: %d Options given, at most one is allowed", dir, len(opts))
	}
	switch opt.Analysis {
	case "":
		opt.Analysis = AnalysisGerman
	case AnalysisGerman, AnalysisStock:
	default:
		return nil, fmt.Errorf("search: unknown analysis %q", opt.Analysis)
	}
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = time.Second
	}
	useBM25K1()
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
	case opt.ReadOnly && (err == nil || errors.Is(err, os.ErrNotExist)):
		return nil, fmt.Errorf("search: open index %s read-only: %w", dir, os.ErrNotExist)
	case err == nil || errors.Is(err, os.ErrNotExist):
		if err := create(dir, opt.Analysis); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("search: open index %s: %w", dir, err)
	}
	return openExisting(dir, opt)
}

// openExisting opens the index in dir and checks its mapping version.
func openExisting(dir string, opt Options) (*Index, error) {
	version := indexVersion(opt.Analysis)
	b, err := bleve.OpenUsing(dir, map[string]any{"bolt_timeout": opt.LockTimeout.String(), "read_only": opt.ReadOnly})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("%w (%s)", ErrLocked, dir)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("search: open index %s: %w", dir, err)
	case err != nil:
		return nil, fmt.Errorf("%w: index %s is damaged: %v", ErrNeedsRebuild, dir, err)
	}
	v, err := b.GetInternal(keyMappingVersion)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("%w: index %s is damaged: read mapping version: %v", ErrNeedsRebuild, dir, err)
	}
	if string(v) != version {
		if opt.AcceptOutdated && len(v) > 0 {
			ix, err := newIndex(b, dir, opt)
			if ix != nil {
				ix.outdated = string(v)
			}
			return ix, err
		}
		b.Close()
		return nil, fmt.Errorf("%w (found %q, want %q)", ErrNeedsRebuild, v, version)
	}
	return newIndex(b, dir, opt)
}

// create builds an empty index with its mapping version beside dir and
// renames it into place. When another process did the same first, its
// index is kept.
func create(dir, analysis string) error {
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("search: create index folder: %w", err)
	}
	im, err := buildMapping(analysis)
	if err != nil {
		return err
	}
	tmp := dir + ".tmp-" + strconv.Itoa(os.Getpid())
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("search: create index: %w", err)
	}
	b, err := bleve.New(tmp, im)
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("search: create index %s: %w", dir, err)
	}
	err = b.SetInternal(keyMappingVersion, []byte(indexVersion(analysis)))
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("search: create index %s: write mapping version: %w", dir, err)
	}
	if err := syncDir(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	// An empty dir is replaced; a full one means another process won.
	_ = os.Remove(dir)
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if entries, rerr := os.ReadDir(dir); rerr == nil && len(entries) > 0 {
			return nil
		}
		return fmt.Errorf("search: create index %s: %w", dir, err)
	}
	return syncDir(filepath.Dir(dir))
}

// syncDir flushes a folder's entries (and, for the new index, its files'
// names) to disk.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("search: sync %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("search: sync %s: %w", dir, err)
	}
	return nil
}

// newIndex wraps an open bleve index and loads the synonyms.
func newIndex(b bleve.Index, dir string, opt Options) (*Index, error) {
	ix := &Index{b: b, dir: dir, opt: opt, syn: &synonyms{}, tables: &tableCache{}, lev: &levBuilders{}}
	if opt.Analysis == AnalysisStock {
		return ix, nil // bleve's scoring: no field lengths
	}
	counter, err := newTokenCounter()
	if err != nil {
		b.Close()
		return nil, err
	}
	ix.counter = counter
	verbs, err := dictFS.ReadFile("dict/verbs.txt")
	if err == nil {
		ix.verbs, err = parseStrongVerbs(verbs, "dict/verbs.txt")
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	analyze := func(s string) []string { return ix.analyzeWith(analyzerWhole, s) }
	data, err := dictFS.ReadFile("dict/synonyms.txt")
	if err == nil {
		err = parseSynonyms(ix.syn, data, "dict/synonyms.txt", analyze)
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	if opt.SynonymsFile != "" {
		data, err := os.ReadFile(opt.SynonymsFile)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			b.Close()
			return nil, fmt.Errorf("search: read synonyms: %w", err)
		default:
			if err := parseSynonyms(ix.syn, data, opt.SynonymsFile, analyze); err != nil {
				b.Close()
				return nil, err
			}
		}
	}
	return ix, nil
}

// Close closes the index.
func (ix *Index) Close() error {
	if err := ix.b.Close(); err != nil {
		return fmt.Errorf("search: close index: %w", err)
	}
	return nil
}

// Outdated returns the mapping version of an index opened with
// Options.AcceptOutdated whose version is not this program's, and "" for
// a current index. An outdated index must be rebuilt.
func (ix *Index) Outdated() string { return ix.outdated }

// Dir is the folder the index lives in.
func (ix *Index) Dir() string { return ix.dir }

// Stats describes the index's contents.
type Stats struct {
	Talks       int
	Documents   uint64 // talk, slide and segment documents
	LastIndexed time.Time
}

// Stats reports how many talks and documents the index holds.
func (ix *Index) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	n, err := ix.b.DocCount()
	if err != nil {
		return st, fmt.Errorf("search: count documents: %w", err)
	}
	st.Documents = n
	req := bleve.NewSearchRequestOptions(typeQuery(typeTalk), 0, 0, false)
	req.Score = scoreNone
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return st, fmt.Errorf("search: count talks: %w", err)
	}
	st.Talks = int(res.Total)
	if v, err := ix.b.GetInternal(keyLastIndexed); err == nil && len(v) > 0 {
		st.LastIndexed, _ = time.Parse(time.RFC3339, string(v))
	}
	return st, nil
}

// Index writes the given talks in one batch, replacing everything the index
// held for them before (slides of a shorter new version do not linger).
func (ix *Index) Index(ctx context.Context, docs ...Doc) error {
	if len(docs) == 0 {
		return nil
	}
	if ix.opt.ReadOnly {
		return ErrReadOnly
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		if d.Talk.ID == "" {
			return fmt.Errorf("search: index: talk without id")
		}
		ids[i] = d.Talk.ID
	}
	old, err := ix.docIDsOf(ctx, ids)
	if err != nil {
		return err
	}
	batch := ix.b.NewBatch()
	for _, id := range old {
		batch.Delete(id)
	}
	for _, d := range docs {
		if err := addDoc(batch, d, ix.counter); err != nil {
			return err
		}
		if d.Fingerprint != "" {
			batch.SetInternal(fingerprintKey(d.Talk.ID), []byte(d.Fingerprint))
		} else {
			batch.DeleteInternal(fingerprintKey(d.Talk.ID))
		}
	}
	batch.SetInternal(keyLastIndexed, []byte(time.Now().UTC().Format(time.RFC3339)))
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("search: index: %w", err)
	}
	if err := ix.b.Batch(batch); err != nil {
		return fmt.Errorf("search: write batch of %d talks: %w", len(docs), err)
	}
	return nil
}

// Delete removes the given talks with all their slides and segments.
func (ix *Index) Delete(ctx context.Context, talkIDs ...string) error {
	if len(talkIDs) == 0 {
		return nil
	}
	if ix.opt.ReadOnly {
		return ErrReadOnly
	}
	old, err := ix.docIDsOf(ctx, talkIDs)
	if err != nil {
		return err
	}
	batch := ix.b.NewBatch()
	for _, id := range old {
		batch.Delete(id)
	}
	for _, id := range talkIDs {
		batch.DeleteInternal(fingerprintKey(id))
	}
	if err := ix.b.Batch(batch); err != nil {
		return fmt.Errorf("search: delete %d talks: %w", len(talkIDs), err)
	}
	return nil
}

// TalkIDs returns the ids of all talks in the index.
func (ix *Index) TalkIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := ix.scan(ctx, typeQuery(typeTalk), func(docID string) {
		ids = append(ids, strings.TrimPrefix(docID, "t:"))
	})
	return ids, err
}

// docIDsOf returns the ids of every document that belongs to the talks.
func (ix *Index) docIDsOf(ctx context.Context, talkIDs []string) ([]string, error) {
	var out []string
	err := ix.scan(ctx, termsQuery(fieldTalkID, talkIDs), func(id string) { out = append(out, id) })
	return out, err
}

// scan calls fn with the id of every document matching q, page by page.
func (ix *Index) scan(ctx context.Context, q query.Query, fn func(docID string)) error {
	const pageSize = 2000
	req := bleve.NewSearchRequestOptions(q, pageSize, 0, false)
	req.SortBy([]string{"_id"})
	for {
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("search: scan: %w", err)
		}
		for _, h := range res.Hits {
			fn(h.ID)
		}
		if len(res.Hits) < pageSize {
			return nil
		}
		req.SearchAfter = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// Talk returns the metadata of one talk.
func (ix *Index) Talk(ctx context.Context, id string) (*Talk, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{talkDocID(id)}), 1, 0, false)
	req.Fields = []string{fieldMeta}
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: talk %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("talk %q: %w", id, ErrNotFound)
	}
	t, err := talkFromFields(res.Hits[0].Fields)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Fingerprint returns the fingerprint stored with a talk by Index, or ""
// when the talk is not indexed or had none.
func (ix *Index) Fingerprint(talkID string) (string, error) {
	v, err := ix.b.GetInternal(fingerprintKey(talkID))
	if err != nil {
		return "", fmt.Errorf("search: read fingerprint of %s: %w", talkID, err)
	}
	return string(v), nil
}

func fingerprintKey(talkID string) []byte { return []byte("fp:" + talkID) }

func talkDocID(id string) string            { return "t:" + id }
func slideDocID(id string, page int) string { return "s:" + id + ":" + strconv.Itoa(page) }
func segmentDocID(id string, n int) string  { return "g:" + id + ":" + strconv.Itoa(n) }

// addDoc adds the talk document and its slide and segment documents.
func addDoc(batch *bleve.Batch, d Doc, c *tokenCounter) error {
	t := d.Talk
	t.Pages = len(d.Slides)
	talkDoc, err := talkDocument(t, d, c)
	if err != nil {
		return err
	}
	if err := batch.Index(talkDocID(t.ID), talkDoc); err != nil {
		return fmt.Errorf("search: index talk %s: %w", t.ID, err)
	}
	for _, s := range d.Slides {
		// A slide without text is indexed too, so the page is listed.
		doc := map[string]any{fieldType: typeSlide, fieldTalkID: t.ID, fieldText: s.Text, fieldTextPairs: s.Text, fieldPage: float64(s.Page)}
		if s.Extractor != "" {
			doc[fieldExtractor] = s.Extractor
		}
		if err := batch.Index(slideDocID(t.ID, s.Page), doc); err != nil {
			return fmt.Errorf("search: index slide %s/%d: %w", t.ID, s.Page, err)
		}
	}
	for _, s := range d.Segments {
		doc := map[string]any{fieldType: typeSegment, fieldTalkID: t.ID, fieldText: s.Text, fieldTextPairs: s.Text, fieldPage: float64(s.N), fieldStart: s.Start}
		if err := batch.Index(segmentDocID(t.ID, s.N), doc); err != nil {
			return fmt.Errorf("search: index segment %s/%d: %w", t.ID, s.N, err)
		}
	}
	return nil
}

// talkDocument is the talk document of d, whose metadata is t: the
// stored metadata, the searchable text fields, the facet fields, the
// vocabulary for suggestions and the lengths of its text fields, counted
// by c.
func talkDocument(t Talk, d Doc, c *tokenCounter) (map[string]any, error) {
	meta, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("search: encode talk %s: %w", t.ID, err)
	}
	var people, speakers, orgs []string
	for _, s := range t.Speakers {
		people = append(people, s.Name, s.Role, s.Organisation)
		speakers = append(speakers, s.Label())
		if s.Organisation != "" {
			orgs = append(orgs, s.Organisation)
		}
	}
	passages := passageTexts(d)
	body := bodyText(passages)
	title, lead := titleAndLead(t.Title, d.TitleFromFile, passages)
	about := strings.Join(append([]string{t.Kind, t.Event.Name, t.Event.Place}, t.States...), "\n")
	vocab := vocabulary(t.Title, strings.Join(t.Topics, " "), body)
	keys := vocabKeys(vocab)
	year := ""
	if t.Event.Year != 0 {
		year = strconv.Itoa(t.Event.Year)
	}
	return map[string]any{
		fieldType:         typeTalk,
		fieldTalkID:       t.ID,
		fieldMeta:         string(meta),
		fieldTitle:        title,
		fieldTitleParts:   title,
		fieldTopics:       strings.Join(t.Topics, "\n"),
		fieldTopicsParts:  strings.Join(t.Topics, "\n"),
		fieldPeople:       strings.Join(people, "\n"),
		fieldAbout:        about,
		fieldBody:         body,
		fieldBodyParts:    body,
		fieldLead:         lead,
		fieldLeadParts:    lead,
		fieldTitlePairs:   title,
		fieldTopicsPairs:  strings.Join(t.Topics, "\n"),
		fieldPeoplePairs:  strings.Join(people, "\n"),
		fieldAboutPairs:   about,
		fieldBodyPairs:    body,
		fieldOrder:        float64(t.Order),
		fieldTitleKey:     strings.ToLower(t.Title),
		fieldVocab:        vocab,
		fieldVocabKey:     keys,
		fieldVocabRev:     reversed(keys),
		fieldWords:        foldedWords(t.Title, strings.Join(speakers, " ")),
		FieldSpeaker:      speakers,
		FieldOrganisation: orgs,
		FieldState:        t.States,
		FieldTopic:        t.Topics,
		FieldKind:         t.Kind,
		FieldEvent:        t.Event.ID,
		fieldEventLabel:   t.Event.ID + "\x00" + t.Event.Name + "\x00" + strconv.Itoa(t.Event.Year),
		FieldYear:         year,
		fieldLengths:      c.lengthsOf(title, strings.Join(t.Topics, "\n"), strings.Join(people, "\n"), about, lead, passages),
	}, nil
}

// passageTexts are the texts of the slides and segments of d.
func passageTexts(d Doc) []string {
	out := make([]string, 0, len(d.Slides)+len(d.Segments))
	for _, s := range d.Slides {
		out = append(out, s.Text)
	}
	for _, s := range d.Segments {
		out = append(out, s.Text)
	}
	return out
}

// bodyText is the text of the passages of a talk (passageTexts), one
// paragraph each.
func bodyText(passages []string) string {
	var body strings.Builder
	for _, s := range passages {
		body.WriteString(s)
		body.WriteString("\n\n")
	}
	return body.String()
}

// talkFromFields decodes the stored metadata of a talk document.
func talkFromFields(fields map[string]any) (Talk, error) {
	s, _ := fields[fieldMeta].(string)
	return talkFromMeta(s)
}

// talkFromMeta decodes a talk's stored metadata.
func talkFromMeta(s string) (Talk, error) {
	var t Talk
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return t, fmt.Errorf("search: decode stored talk: %w", err)
	}
	return t, nil
}

func typeQuery(typ string) query.Query {
	q := query.NewTermQuery(typ)
	q.SetField(fieldType)
	return q
}

// termsQuery matches documents whose keyword field has any of values.
func termsQuery(field string, values []string) query.Query {
	qs := make([]query.Query, len(values))
	for i, v := range values {
		q := query.NewTermQuery(v)
		q.SetField(field)
		qs[i] = q
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}
