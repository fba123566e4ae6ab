package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// The talk table is what the page of talks needs of every talk, read once
// per index snapshot: its facet values, filter values and sort keys. The
// page of talks then filters, counts facets and sorts matching talks in
// memory, in one pass over bleve's matches, instead of bleve reading the
// same doc values again for every matching talk of every request and of
// the extra count-only requests of filtered facets (the profile at
// 100,000 slides: a third of a search). Its size is a few hundred bytes a
// talk; it is rebuilt when a write or a merge changes the snapshot.

// tableFacets are the fields the table keeps as value ordinals: the facet
// fields (filtered on), then the event label (counted for the event
// facet).
var tableFacets = append(append([]string{}, FacetFields...), fieldEventLabel)

// eventLabelAt is the position of fieldEventLabel in tableFacets.
var eventLabelAt = len(FacetFields)

// tableSorts are the fields the sort orders of sortOrder use besides the
// score.
var tableSorts = []string{FieldYear, FieldEvent, fieldOrder, fieldTalkID, fieldTitleKey}

// talkIDAt is the position of fieldTalkID in tableSorts.
var talkIDAt = slices.Index(tableSorts, fieldTalkID)

// id is the talk's id.
func (r *talkRow) id() string { return r.sorts[talkIDAt] }

// talkRow is one talk of the table.
type talkRow struct {
	// sorts[i] is the value of tableSorts[i] as bleve's field sort sees
	// it (the first term, the full-precision term of a number), and has
	// whether the talk has one.
	sorts [5]string
	has   [5]bool
	// meta is the talk's stored metadata, decoded on first use: the
	// talks on first pages recur, and loading and decoding it was a
	// twentieth of a search.
	meta atomic.Pointer[Talk]
}

// talkTable describes every talk of one index snapshot.
type talkTable struct {
	// reader is the snapshot the table describes, for identity only: it
	// is not held open (holding it would keep the files of replaced
	// segments on disk), and scorch allocates every snapshot anew, so
	// while the table points at it no other snapshot can be equal.
	reader index.IndexReader
	rows   []talkRow
	// The row of each talk by bleve's internal document id: scorch's
	// ids are 8-byte document numbers, kept as a slice by number; any
	// other id in a map.
	byNum []int32 // -1: no talk
	byDoc map[string]int32
	dict  [][]string // per tableFacets field: values by ordinal
	ords  []map[string]uint32
	// cols[i] holds the talks' values of tableFacets[i], as ordinals,
	// one field's values of all talks side by side: the page of talks
	// reads them for every matching talk, and a row's own slices cost a
	// cache miss each.
	cols []facetCol
	// bm25 is what BM25 scoring reads of the snapshot, with the true
	// average field lengths (fieldlen.go); nil, when no talk records
	// them (the stock chain): bleve's estimate.
	bm25 *bsearch.BM25Stats
	// leads says whether some talk has a lead (lead.go), so that queries
	// search the lead fields.
	leads bool
}

// facetCol is one field's values of every talk: those of row r are
// vals[start[r]:start[r+1]].
type facetCol struct {
	start []int32
	vals  []uint32
}

func (c *facetCol) of(row int32) []uint32 { return c.vals[c.start[row]:c.start[row+1]] }

// tableCache keeps the table of the newest snapshot a search has seen.
type tableCache struct {
	mu sync.Mutex
	t  *talkTable
}

// snapshot is one search's view of the index: a reader, which the caller
// closes, and the talk table of that reader.
type snapshot struct {
	r     index.IndexReader
	table *talkTable
	m     mapping.IndexMapping
	ctx   context.Context // carries what bleve's searchers expect of a search
}

// openSnapshot opens a reader on the current index snapshot and returns it
// with its talk table, building the table when the snapshot is new. The
// caller must close s.r.
func (ix *Index) openSnapshot(ctx context.Context) (*snapshot, error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: open reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: open reader: %w", err)
	}
	ctx = searchContext(ctx, ix.b.Mapping())
	c := ix.tables
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t == nil || c.t.reader != r {
		t, err := buildTalkTable(ctx, r, ix.b.Mapping())
		if err != nil {
			r.Close()
			return nil, err
		}
		c.t = t
	}
	if c.t.bm25 != nil {
		ctx = context.WithValue(ctx, bsearch.BM25StatsKey, c.t.bm25)
	}
	return &snapshot{r: r, table: c.t, m: ix.b.Mapping(), ctx: ctx}, nil
}

// searchContext adds to ctx what bleve's SearchInContext gives its
// searchers: the scoring model of the mapping (BM25 or tf-idf).
func searchContext(ctx context.Context, m mapping.IndexMapping) context.Context {
	model := index.DefaultScoringModel
	if im, ok := m.(*mapping.IndexMappingImpl); ok && im.ScoringModel != "" {
		model = im.ScoringModel
	}
	return context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
		bsearch.GetScoringModelCallbackFn(func() string { return model }))
}

// buildTalkTable reads the table fields of every talk document of r and
// the field lengths the talks record, for BM25.
func buildTalkTable(ctx context.Context, r index.IndexReader, m mapping.IndexMapping) (*talkTable, error) {
	t := &talkTable{reader: r, byDoc: map[string]int32{}, dict: make([][]string, len(tableFacets)), ords: make([]map[string]uint32, len(tableFacets)),
		cols: make([]facetCol, len(tableFacets))}
	for i := range t.ords {
		t.ords[i] = map[string]uint32{}
		t.cols[i].start = []int32{0}
	}
	fields := slices.Compact(slices.Sorted(slices.Values(slices.Concat(tableFacets, tableSorts, []string{fieldLengths}))))
	dvr, err := r.DocValueReader(fields)
	if err != nil {
		return nil, fmt.Errorf("search: talk table: %w", err)
	}
	var row *talkRow
	cur := make([][]uint32, len(tableFacets)) // the facet values of row
	sums := newLengthSums()
	visit := func(field string, term []byte) {
		if field == fieldLengths {
			sums.add(term)
			return
		}
		t.add(row, cur, field, term)
	}
	err = eachMatch(ctx, r, m, typeQuery(typeTalk), bsearch.SearcherOptions{Score: scoreNone}, func(d *bsearch.DocumentMatch) error {
		t.rows = append(t.rows, talkRow{})
		row = &t.rows[len(t.rows)-1]
		if err := dvr.VisitDocValues(d.IndexInternalID, visit); err != nil {
			return err
		}
		for i, vals := range cur {
			c := &t.cols[i]
			c.vals = append(c.vals, vals...)
			c.start = append(c.start, int32(len(c.vals)))
			cur[i] = vals[:0]
		}
		t.setRow(d.IndexInternalID, int32(len(t.rows)-1))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: talk table: %w", err)
	}
	if t.bm25, err = sums.bm25Stats(r, mappedFields(m)); err != nil {
		return nil, fmt.Errorf("search: talk table: %w", err)
	}
	if t.leads, err = hasLeads(r); err != nil {
		return nil, fmt.Errorf("search: talk table: %w", err)
	}
	return t, nil
}

// setRow records the row of a document id.
func (t *talkTable) setRow(id []byte, row int32) {
	if len(id) != 8 {
		t.byDoc[string(id)] = row
		return
	}
	n := binary.BigEndian.Uint64(id)
	if n >= 1<<32 {
		t.byDoc[string(id)] = row
		return
	}
	for uint64(len(t.byNum)) <= n {
		t.byNum = append(t.byNum, -1)
	}
	t.byNum[n] = row
}

// rowOf returns the row of a document id, if it is a talk.
func (t *talkTable) rowOf(id []byte) (int32, bool) {
	if len(id) == 8 {
		if n := binary.BigEndian.Uint64(id); n < uint64(len(t.byNum)) && t.byNum[n] >= 0 {
			return t.byNum[n], true
		}
	}
	row, ok := t.byDoc[string(id)]
	return row, ok
}

// add records one doc value of a talk: a facet value in cur, a sort key in
// row.
func (t *talkTable) add(row *talkRow, cur [][]uint32, field string, term []byte) {
	for i, f := range tableFacets {
		if f == field {
			cur[i] = append(cur[i], t.ordinal(i, string(term)))
		}
	}
	for i, f := range tableSorts {
		if f != field || row.has[i] {
			continue
		}
		if f == fieldOrder {
			// A number is indexed at several precisions; bleve sorts on
			// the full one (shift 0).
			if valid, shift := numeric.ValidPrefixCodedTermBytes(term); !valid || shift != 0 {
				continue
			}
		}
		row.sorts[i], row.has[i] = string(term), true
	}
}

// ordinal returns the ordinal of value in field i's dictionary, adding it.
func (t *talkTable) ordinal(i int, value string) uint32 {
	if o, ok := t.ords[i][value]; ok {
		return o
	}
	o := uint32(len(t.dict[i]))
	t.dict[i] = append(t.dict[i], value)
	t.ords[i][value] = o
	return o
}

// eachMatch runs q on r and calls fn with every match, in index order. A
// match is only valid during its call.
func eachMatch(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, q searchable, opts bsearch.SearcherOptions, fn func(*bsearch.DocumentMatch) error) error {
	return eachMatchKeep(ctx, r, m, q, opts, func(d *bsearch.DocumentMatch) (bool, error) { return false, fn(d) })
}

// searchable is a query: something that makes a bleve searcher.
type searchable interface {
	Searcher(context.Context, index.IndexReader, mapping.IndexMapping, bsearch.SearcherOptions) (bsearch.Searcher, error)
}

// eachMatchKeep is eachMatch where fn may keep a match: one it keeps is
// not reused for the next.
func eachMatchKeep(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, q searchable, opts bsearch.SearcherOptions, fn func(*bsearch.DocumentMatch) (keep bool, err error)) (err error) {
	s, err := q.Searcher(ctx, r, m, opts)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		d, err := s.Next(sctx)
		if err != nil || d == nil {
			return err
		}
		keep, err := fn(d)
		if err != nil {
			return err
		}
		if !keep {
			sctx.DocumentMatchPool.Put(d)
		}
	}
}

// talk loads the stored metadata of the talk of a table row.
func (s *snapshot) talk(row int32) (Talk, error) {
	if t := s.table.rows[row].meta.Load(); t != nil {
		return *t, nil
	}
	id := s.table.rows[row].id()
	doc, err := s.r.Document(talkDocID(id))
	if err != nil {
		return Talk{}, fmt.Errorf("search: load talk %s: %w", id, err)
	}
	if doc == nil {
		return Talk{}, fmt.Errorf("search: load talk %s: %w", id, ErrNotFound)
	}
	var meta string
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fieldMeta {
			meta = string(f.Value())
		}
	})
	t, err := talkFromMeta(meta)
	if err != nil {
		return t, err
	}
	s.table.rows[row].meta.Store(&t)
	return t, nil
}
