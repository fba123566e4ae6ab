package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
	"github.com/talksearch/talksearch/search"
)

// cutoff is the number of talks each query retrieves and the k of
// nDCG@k, Recall@k and the reciprocal rank.
const cutoff = 10

// Names of the suites and of the held-out suite's splits.
const (
	suiteSample   = "sample"
	suiteHeldout  = "heldout"
	suiteManpages = "manpages"
	suiteGimp     = "gimp"
	suiteEdu      = "edu"
	splitDev      = "dev"
	splitTest     = "test"
)

// sampleCategories are the sample suite's query categories, in the order
// the tables print them.
var sampleCategories = []string{
	"inflection",     // Rechnungen → Rechnung, digitalem → digitaler
	"compound_part",  // Konto → Servicekonto
	"compound_whole", // Schulkonzept → Konzept für die Schulen
	"umlaut",         // Buergerbeteiligung → Bürgerbeteiligung, Märker → Maerker
	"eprefix_hyphen", // eRechnung → E-Rechnung, Service Konto → Service-Konto
	"abbreviation",   // OZG ↔ Onlinezugangsgesetz
	"typo",           // Onlinezugansgesetz → Onlinezugangsgesetz
	"question",       // natural questions of municipal staff
	"exact",          // control: words as they appear
}

// heldoutCategories are the held-out suite's query categories, in table
// order (testdata/heldout/README.md).
var heldoutCategories = []string{
	"joined_hyphenated", // Pivottabelle → Pivot-Tabelle, Druck-Bereich → Druckbereich
	"compound_query",    // a compound in the query, its parts in the text
	"compound_text",     // parts in the query, the compound in the text
	"inflection",        // participles, verb forms, plurals
	"spelling",          // ae/oe/ue/ss spellings
	"typo",              // misspelt words
	"question",          // natural questions
	"abbreviation",      // abbreviations and their long forms
}

//go:embed testdata/queries.json
var embeddedQueries []byte

//go:embed testdata/heldout/queries.json
var embeddedHeldoutQueries []byte

//go:embed testdata/manpages/queries.json
var embeddedManpagesQueries []byte

//go:embed testdata/gimp/queries.json
var embeddedGimpQueries []byte

//go:embed testdata/edu/queries.json
var embeddedEduQueries []byte

// query is one judged query of a suite.
type query struct {
	ID       string    `json:"id"`
	Text     string    `json:"query"`
	Category string    `json:"category"`
	Relevant judgments `json:"relevant"`
	Note     string    `json:"note"`
	Split    string    `json:"split,omitempty"` // held-out suite only: dev or test
}

// suite is a set of judged queries with the corpus they were judged on.
type suite struct {
	Name       string   // suiteSample or a held-out suite's name
	Categories []string // in table order
	Splits     bool     // every query is in the dev or the test half
	Queries    []query
	Catalogue  *corpus.Catalogue // nil: not loaded, talk ids are not checked
	Files      fs.FS             // the corpus the catalogue's files are read from
}

// parseQueries decodes a query file strictly: unknown fields are errors.
func parseQueries(data []byte) ([]query, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var qs []query
	if err := dec.Decode(&qs); err != nil {
		return nil, fmt.Errorf("relevance: parse queries: %w", err)
	}
	if dec.More() {
		return nil, errors.New("relevance: parse queries: data after the list")
	}
	if len(qs) == 0 {
		return nil, errors.New("relevance: no queries")
	}
	return qs, nil
}

// readQueries reads the query file at path, or the embedded sample suite
// when path is empty.
func readQueries(path string) ([]query, error) {
	data := embeddedQueries
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("relevance: %w", err)
		}
	}
	return parseQueries(data)
}

// validateQueries reports every problem of the suite at once: missing or
// duplicate ids, empty queries or notes, unknown categories, grades other
// than 1 and 2, a split that is missing or unknown (held-out) or present
// (sample), and, when the catalogue is loaded, talks that are not in it.
func validateQueries(s *suite) error {
	var talks map[string]bool
	if s.Catalogue != nil {
		talks = make(map[string]bool, len(s.Catalogue.Talks))
		for _, t := range s.Catalogue.Talks {
			talks[t.ID] = true
		}
	}
	var probs []string
	seen := map[string]bool{}
	for i, q := range s.Queries {
		where := fmt.Sprintf("query %d (%q)", i, q.ID)
		switch {
		case q.ID == "":
			probs = append(probs, where+": no id")
		case seen[q.ID]:
			probs = append(probs, where+": duplicate id")
		}
		seen[q.ID] = true
		if strings.TrimSpace(q.Text) == "" {
			probs = append(probs, where+": empty query")
		}
		if !slices.Contains(s.Categories, q.Category) {
			probs = append(probs, fmt.Sprintf("%s: unknown category %q (want one of %s)", where, q.Category, strings.Join(s.Categories, ", ")))
		}
		switch {
		case s.Splits && q.Split != splitDev && q.Split != splitTest:
			probs = append(probs, fmt.Sprintf("%s: split is %q, want %q or %q", where, q.Split, splitDev, splitTest))
		case !s.Splits && q.Split != "":
			probs = append(probs, fmt.Sprintf("%s: split %q, but the %s suite has no splits", where, q.Split, s.Name))
		}
		if strings.TrimSpace(q.Note) == "" {
			probs = append(probs, where+": no note saying why the talks are relevant")
		}
		if len(q.Relevant) == 0 {
			probs = append(probs, where+": no relevant talks")
		}
		for _, id := range sortedKeys(q.Relevant) {
			if g := q.Relevant[id]; g != gradePartial && g != gradeRelevant {
				probs = append(probs, fmt.Sprintf("%s: talk %q has grade %d; use 1 (partially relevant) or 2 (relevant)", where, id, g))
			}
			if talks != nil && !talks[id] {
				probs = append(probs, fmt.Sprintf("%s: talk %q is not in the %s corpus", where, id, s.Name))
			}
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("relevance: %d problem(s) in the %s queries:\n  %s", len(probs), s.Name, strings.Join(probs, "\n  "))
	}
	return nil
}

// result is one query's ranking and metrics.
type result struct {
	query
	Ranked []string  // talk IDs, best first, at most cutoff
	Scores []float64 // their scores
	Total  int       // talks that matched
	Took   time.Duration
	queryScore
}

// run is the outcome of a suite, or of one split of it, on one analysis
// chain.
type run struct {
	Analysis   string
	Order      []string // the suite's categories, in table order
	Results    []result
	Categories map[string]scores
	Overall    scores
	IndexTime  time.Duration // of the whole corpus, shared by the splits
	SearchTime time.Duration
}

// zeroResults lists the queries that found no talk at all.
func (r *run) zeroResults() []result {
	var out []result
	for _, res := range r.Results {
		if res.Total == 0 {
			out = append(out, res)
		}
	}
	return out
}

// loadSample loads the sample suite: the bundled sample catalogue (any
// problem with it is an error, since the judgments are made against all
// of its talks) and the queries of path, or the embedded ones.
func loadSample(path string) (*suite, error) {
	qs, err := readQueries(path)
	if err != nil {
		return nil, err
	}
	cat, err := corpus.Load(corpus.Sample())
	if err != nil {
		return nil, fmt.Errorf("relevance: load sample corpus: %w", err)
	}
	s := &suite{Name: suiteSample, Categories: sampleCategories, Queries: qs, Catalogue: cat, Files: corpus.Sample()}
	if err := validateQueries(s); err != nil {
		return nil, err
	}
	return s, nil
}

// measure indexes the suite's corpus into dir (which must be empty or not
// exist) with the given options, runs every query and scores it.
func measure(ctx context.Context, opt search.Options, dir string, s *suite) (*run, error) {
	ix, err := search.Open(dir, opt)
	if err != nil {
		return nil, fmt.Errorf("relevance: %w", err)
	}
	defer ix.Close()

	began := time.Now()
	rep, err := indexer.New(indexer.Config{}, ix, nil).Run(ctx, s.Catalogue, s.Files)
	if err != nil {
		return nil, fmt.Errorf("relevance: index %s corpus: %w", s.Name, err)
	}
	if len(rep.Failed) > 0 {
		f := rep.Failed[0]
		return nil, fmt.Errorf("relevance: index %s corpus: %d file(s) failed, first %s: %s", s.Name, len(rep.Failed), f.File, f.Reason)
	}
	r := &run{Analysis: opt.Analysis, Order: s.Categories, IndexTime: time.Since(began)}

	for _, q := range s.Queries {
		began := time.Now()
		res, err := ix.Search(ctx, search.Query{Text: q.Text, Size: cutoff, Slides: 1})
		if err != nil {
			return nil, fmt.Errorf("relevance: query %s (%q): %w", q.ID, q.Text, err)
		}
		qr := result{query: q, Total: res.Total}
		for _, h := range res.Talks {
			qr.Ranked = append(qr.Ranked, h.ID)
			qr.Scores = append(qr.Scores, h.Score)
		}
		qr.queryScore = queryScore{
			NDCG:   ndcg(qr.Ranked, q.Relevant, cutoff),
			RR:     reciprocalRank(qr.Ranked, q.Relevant, cutoff),
			Recall: recall(qr.Ranked, q.Relevant, cutoff),
		}
		qr.Took = time.Since(began)
		r.SearchTime += qr.Took
		r.Results = append(r.Results, qr)
	}
	r.Categories, r.Overall = summarize(r.Results)
	return r, nil
}

// splitRun is the part of r whose queries are in the given split, scored
// on its own; the index time stays that of the whole corpus.
func splitRun(r *run, split string) *run {
	out := &run{Analysis: r.Analysis, Order: r.Order, IndexTime: r.IndexTime}
	for _, res := range r.Results {
		if res.Split == split {
			out.Results = append(out.Results, res)
			out.SearchTime += res.Took
		}
	}
	out.Categories, out.Overall = summarize(out.Results)
	return out
}

// summarize averages the results per category and over all queries. The
// overall figure is the mean over queries, not over categories.
func summarize(results []result) (map[string]scores, scores) {
	byCat := map[string][]queryScore{}
	all := make([]queryScore, 0, len(results))
	for _, r := range results {
		byCat[r.Category] = append(byCat[r.Category], r.queryScore)
		all = append(all, r.queryScore)
	}
	out := make(map[string]scores, len(byCat))
	for c, qs := range byCat {
		out[c] = mean(qs)
	}
	return out, mean(all)
}

// sortedKeys returns the keys of m in order, for stable output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
