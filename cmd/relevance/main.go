// Command relevance measures search quality on the bundled sample corpus
// with a suite of judged German queries.
//
// Usage:
//
//	go run ./cmd/relevance [-analysis german|stock|both] [-json] [-v]
//	go run ./cmd/relevance -write-baseline
//
// It indexes the sample corpus (the 19 talks of the 4. Mitteldeutscher
// IT-Fachtag 2018) into a temporary folder per analysis chain, runs every
// query of testdata/queries.json for the top 10 talks and prints, per
// query category and overall:
//
//   - nDCG@10, normalised discounted cumulative gain with graded gains
//     2^rel − 1 (grade 2: the talk is about it, 1: partially relevant),
//     the ideal ranking taken from the judgments;
//   - MRR, the mean of 1/rank of the first result that is relevant at all;
//   - Recall@10, the fraction of the relevant talks in the top 10.
//
// Every query weighs the same; "overall" is the mean over all queries.
// -analysis chooses the chain: german (the default, talksearch's own) or
// stock (bleve's "de" analyzer, for comparison); both prints the two side
// by side with the change. -v lists each query's top 5 with the judged
// talks marked [2] or [1], and the failing queries. -json prints the same
// as JSON. -write-baseline rewrites baseline.json, the per-category and
// overall nDCG@10 of the German chain that TestRelevanceBaseline guards.
//
// The judgments are made by reading the talks (corpus/sample/src and the
// transcripts), never from what the search returns; each query's note
// says why its talks are relevant.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/search"
)

// msRound rounds the durations the tables print.
const msRound = time.Millisecond

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.ParseFlags(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "relevance:", err)
		os.Exit(2)
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "relevance:", err)
		os.Exit(1)
	}
}

// Main is the command: its flags and where it writes.
type Main struct {
	Analysis      string // german, stock or both
	JSON          bool
	Verbose       bool
	QueriesFile   string // "" means the embedded testdata/queries.json
	BaselineFile  string // "" means cmd/relevance/baseline.json in the module
	WriteBaseline bool

	Stdout, Stderr io.Writer

	tmp string // the temporary folder of the indexes
}

// NewMain returns a Main writing to the standard streams.
func NewMain() *Main {
	return &Main{Analysis: search.AnalysisGerman, Stdout: os.Stdout, Stderr: os.Stderr}
}

// ParseFlags reads the command line.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("relevance", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.Analysis, "analysis", m.Analysis, "analysis chain: german, stock or both")
	fs.BoolVar(&m.JSON, "json", false, "print JSON")
	fs.BoolVar(&m.Verbose, "v", false, "list each query's top 5 and the failures")
	fs.StringVar(&m.QueriesFile, "queries", "", "judged queries (default: the bundled testdata/queries.json)")
	fs.StringVar(&m.BaselineFile, "baseline", "", "baseline file (default: cmd/relevance/baseline.json)")
	fs.BoolVar(&m.WriteBaseline, "write-baseline", false, "rewrite the baseline from the German chain's figures")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: relevance [-analysis german|stock|both] [-json] [-v] [-write-baseline]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch m.Analysis {
	case search.AnalysisGerman, search.AnalysisStock, "both":
	default:
		return fmt.Errorf("-analysis must be german, stock or both, not %q", m.Analysis)
	}
	if m.WriteBaseline && m.Analysis == search.AnalysisStock {
		return errors.New("-write-baseline records the german chain; drop -analysis stock")
	}
	return nil
}

// Run measures each chosen analysis chain and prints the figures.
func (m *Main) Run(ctx context.Context) error {
	qs, err := readQueries(m.QueriesFile)
	if err != nil {
		return err
	}
	cat, err := loadSample()
	if err != nil {
		return err
	}
	if err := validateQueries(qs, cat); err != nil {
		return err
	}
	if m.BaselineFile == "" {
		if m.BaselineFile, err = defaultBaselinePath(); err != nil {
			return err
		}
	}
	if m.tmp, err = os.MkdirTemp("", "talksearch-relevance-"); err != nil {
		return fmt.Errorf("relevance: %w", err)
	}
	runs, german, err := m.measureAll(ctx, cat, qs)
	if err != nil {
		return err
	}
	if m.WriteBaseline {
		if err := writeBaseline(m.BaselineFile, newBaseline(german)); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "wrote %s (german: overall nDCG@10 %.4f over %d queries)\n", m.BaselineFile, german.Overall.NDCG, german.Overall.Queries)
	}
	// Compare the German chain with the committed baseline, as the test
	// does; a missing baseline is only a note here.
	cmp := baselineCheck{}
	if german != nil && !m.WriteBaseline {
		cmp = m.checkBaseline(german)
	}
	if m.JSON {
		return printJSON(m.Stdout, runs, cmp.regress)
	}
	m.printReport(runs, german, cmp)
	return nil
}

// measureAll measures the chosen chains in the temporary folder; german
// is the run of the German chain when it is one of them.
func (m *Main) measureAll(ctx context.Context, cat *corpus.Catalogue, qs []query) (runs []*run, german *run, err error) {
	analyses := []string{m.Analysis}
	if m.Analysis == "both" {
		analyses = []string{search.AnalysisStock, search.AnalysisGerman}
	}
	for _, a := range analyses {
		r, err := measure(ctx, a, filepath.Join(m.tmp, a), cat, qs)
		if err != nil {
			return nil, nil, err
		}
		runs = append(runs, r)
		if a == search.AnalysisGerman {
			german = r
		}
	}
	return runs, german, nil
}

// baselineCheck is the German chain's figures held against the baseline:
// the lines below and above it, or why the baseline could not be read.
type baselineCheck struct {
	checked           bool
	regress, improved []string
	err               error
}

// checkBaseline holds the German chain's figures against the baseline file.
func (m *Main) checkBaseline(german *run) baselineCheck {
	b, err := readBaseline(m.BaselineFile)
	if err != nil {
		return baselineCheck{checked: true, err: err}
	}
	return baselineCheck{checked: true, regress: regressions(b, german), improved: improvements(b, german)}
}

// printReport prints the tables, with -v each query and the failures
// first, and then how the German chain compares with the baseline.
func (m *Main) printReport(runs []*run, german *run, cmp baselineCheck) {
	if m.Verbose {
		printQueries(m.Stdout, runs)
		fmt.Fprintln(m.Stdout)
		for _, r := range runs {
			printFailures(m.Stdout, r)
			fmt.Fprintln(m.Stdout)
		}
	}
	if len(runs) == 2 {
		printComparison(m.Stdout, runs[0], runs[1])
	} else {
		printTable(m.Stdout, runs[0])
	}
	switch {
	case !cmp.checked:
	case cmp.err != nil:
		fmt.Fprintf(m.Stdout, "\nbaseline: %v\n", cmp.err)
	case len(cmp.regress) > 0:
		fmt.Fprintf(m.Stdout, "\nbelow the baseline (%s):\n", m.BaselineFile)
		for _, l := range cmp.regress {
			fmt.Fprintln(m.Stdout, "  "+l)
		}
	default:
		fmt.Fprintf(m.Stdout, "\nbaseline: german holds every figure of %s (tolerance %.3f)\n", m.BaselineFile, tolerance)
		if len(cmp.improved) > 0 {
			fmt.Fprintln(m.Stdout, "above the baseline; lock it in with -write-baseline:")
			for _, l := range cmp.improved {
				fmt.Fprintln(m.Stdout, "  "+l)
			}
		}
	}
}

// Close removes the temporary indexes.
func (m *Main) Close() error {
	if m.tmp == "" {
		return nil
	}
	if err := os.RemoveAll(m.tmp); err != nil {
		return fmt.Errorf("relevance: remove %s: %w", m.tmp, err)
	}
	return nil
}
