package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
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

// categories are the query categories, in the order the tables print them.
var categories = []string{
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

//go:embed testdata/queries.json
var embeddedQueries []byte

// query is one judged query of the suite.
type query struct {
	ID       string    `json:"id"`
	Text     string    `json:"query"`
	Category string    `json:"category"`
	Relevant judgments `json:"relevant"`
	Note     string    `json:"note"`
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

// readQueries reads the query file at path, or the embedded suite when
// path is empty.
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
// than 1 and 2, and talks that are not in the catalogue.
func validateQueries(qs []query, cat *corpus.Catalogue) error {
	talks := make(map[string]bool, len(cat.Talks))
	for _, t := range cat.Talks {
		talks[t.ID] = true
	}
	var probs []string
	seen := map[string]bool{}
	for i, q := range qs {
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
		if !slices.Contains(categories, q.Category) {
			probs = append(probs, fmt.Sprintf("%s: unknown category %q (want one of %s)", where, q.Category, strings.Join(categories, ", ")))
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
			if !talks[id] {
				probs = append(probs, fmt.Sprintf("%s: talk %q is not in the sample corpus", where, id))
			}
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("relevance: %d problem(s) in the queries:\n  %s", len(probs), strings.Join(probs, "\n  "))
	}
	return nil
}

// result is one query's ranking and metrics.
type result struct {
	query
	Ranked []string  // talk IDs, best first, at most cutoff
	Scores []float64 // their scores
	Total  int       // talks that matched
	queryScore
}

// run is the outcome of the suite on one analysis chain.
type run struct {
	Analysis   string
	Results    []result
	Categories map[string]scores
	Overall    scores
	IndexTime  time.Duration
	SearchTime time.Duration
}

// loadSample loads the bundled sample catalogue; any problem with it is
// an error, since the judgments are made against all of its talks.
func loadSample() (*corpus.Catalogue, error) {
	cat, err := corpus.Load(corpus.Sample())
	if err != nil {
		return nil, fmt.Errorf("relevance: load sample corpus: %w", err)
	}
	return cat, nil
}

// measure indexes the sample corpus into dir (which must be empty or not
// exist) with the given analysis, runs every query and scores it.
func measure(ctx context.Context, analysis, dir string, cat *corpus.Catalogue, qs []query) (*run, error) {
	ix, err := search.Open(dir, search.Options{Analysis: analysis})
	if err != nil {
		return nil, fmt.Errorf("relevance: %w", err)
	}
	defer ix.Close()

	began := time.Now()
	rep, err := indexer.New(indexer.Config{}, ix, nil).Run(ctx, cat, corpus.Sample())
	if err != nil {
		return nil, fmt.Errorf("relevance: index sample corpus: %w", err)
	}
	if len(rep.Failed) > 0 {
		f := rep.Failed[0]
		return nil, fmt.Errorf("relevance: index sample corpus: %d file(s) failed, first %s: %s", len(rep.Failed), f.File, f.Reason)
	}
	r := &run{Analysis: analysis, IndexTime: time.Since(began)}

	began = time.Now()
	for _, q := range qs {
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
		r.Results = append(r.Results, qr)
	}
	r.SearchTime = time.Since(began)
	r.Categories, r.Overall = summarize(r.Results)
	return r, nil
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
