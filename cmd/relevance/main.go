// Command relevance measures search quality with suites of judged German
// queries.
//
// Usage:
//
//	go run ./cmd/relevance [-suite sample|heldout|manpages|gimp|edu|all] [-split dev|test|both]
//	                       [-analysis german|stock|both] [-heldout DIR] [-manpages DIR] [-gimp DIR]
//	                       [-edu DIR] [-json] [-v]
//	go run ./cmd/relevance -write-baseline
//	go run ./cmd/relevance -rule
//
// There are five suites:
//
//   - sample: testdata/queries.json on the bundled sample corpus (the 19
//     talks of the 4. Mitteldeutscher IT-Fachtag 2018), which the German
//     chain was tuned on;
//   - heldout: testdata/heldout/queries.json on 326 pages of the German
//     LibreOffice help, a genre it was never tuned on, split into a dev
//     half (to tune on) and a test half (never tuned on; look only at its
//     figures). The corpus is not committed: scripts/heldout-corpus.sh DIR
//     builds it, by default into testdata/heldout/corpus (-heldout DIR);
//   - manpages: testdata/manpages/queries.json on 591 German manual pages
//     (Debian's manpages-de, sections 1 and 8), a second genre, split the
//     same way; scripts/manpages-corpus.sh DIR builds the corpus, by
//     default into testdata/manpages/corpus (-manpages DIR);
//   - gimp: testdata/gimp/queries.json on 328 pages of the German GIMP
//     help (Debian's gimp-help-de), a third genre, split the same way;
//     scripts/gimp-corpus.sh DIR builds the corpus, by default into
//     testdata/gimp/corpus (-gimp DIR);
//   - edu: testdata/edu/queries.json on 108 sections of the German Debian
//     Edu / Skolelinux manual (Debian's debian-edu-doc-de), a fourth
//     genre, split the same way; scripts/edu-corpus.sh DIR builds the
//     corpus, by default into testdata/edu/corpus (-edu DIR).
//
// Each suite's corpus is indexed into a temporary folder once per analysis
// chain; every query is run for the top 10 talks, and each table (sample,
// heldout/dev, heldout/test, manpages/dev, manpages/test, gimp/dev,
// gimp/test, edu/dev, edu/test; -split chooses the held-out halves)
// prints,
// per query category and overall:
//
//   - nDCG@10, normalised discounted cumulative gain with graded gains
//     2^rel − 1 (grade 2: the talk is about it, 1: partially relevant),
//     the ideal ranking taken from the judgments;
//   - MRR, the mean of 1/rank of the first result that is relevant at all;
//   - Recall@10, the fraction of the relevant talks in the top 10;
//
// and then the number of queries that found no talk at all.
//
// Every query weighs the same; "overall" is the mean over all queries.
// -analysis chooses the chain: german (the default, talksearch's own) or
// stock (bleve's "de" analyzer, for comparison); both prints the two side
// by side with the change. -v lists each query's top 5 with the judged
// talks marked [2] or [1], the failing queries and the queries without
// results. -json prints the same as JSON. -write-baseline rewrites the
// baselines of the tables measured (baseline.json for the sample,
// baseline-<suite>-<split>.json for the held-out halves), the
// per-category and overall nDCG@10 and the zero-result count of the German
// chain that TestRelevanceBaseline guards, and each query's nDCG@10.
// -rule measures the sample and the dev halves with the German chain and
// prints, after the report, the standing rule of the relevance journal
// (docs/relevance-journal.md) held against the committed baselines: each
// table's overall figure before and after, the queries that moved by
// 0.005 or more, and whether the change passes.
//
// The judgments are made by reading the talks (corpus/sample/src and the
// transcripts; the held-out pages), never from what the search returns;
// each query's note says why its talks are relevant.
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
	"slices"
	"strings"
	"syscall"
	"time"

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
	Suite        string // sample, a held-out suite's name (heldoutSuites) or all
	Split        string // the held-out halves: dev, test or both
	Analysis     string // german, stock or both
	JSON         bool
	Verbose      bool
	QueriesFile  string // "" means the embedded testdata/queries.json (sample suite)
	BaselineFile string // "" means cmd/relevance/baseline.json in the module
	// CorpusDirs are the held-out corpus folders by suite name; a
	// missing one means the suite's folder in the module (heldoutSuite.Dir).
	CorpusDirs    map[string]string
	WriteBaseline bool
	// Rule measures the sample and the dev halves with the German chain
	// and holds them to the committed baselines under the standing rule.
	Rule bool
	// Thesaurus is the German thesaurus the German chain's questions read
	// (a file read by search.LoadThesaurus); "none" for none. The baselines are
	// measured with search.DefaultThesaurusFile.
	Thesaurus string

	Stdout, Stderr io.Writer

	tmp  string            // the temporary folder of the indexes
	thes *search.Thesaurus // read from Thesaurus by Run
}

// Values of -suite, -split and -analysis that choose everything.
const (
	suiteAll     = "all"
	splitBoth    = "both"
	analysisBoth = "both"
)

// NewMain returns a Main writing to the standard streams.
func NewMain() *Main {
	return &Main{
		Suite: suiteAll, Split: splitBoth, Analysis: search.AnalysisGerman, CorpusDirs: map[string]string{},
		Thesaurus: search.DefaultThesaurusFile,
		Stdout:    os.Stdout, Stderr: os.Stderr,
	}
}

// ParseFlags reads the command line.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("relevance", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	suites := suiteNames()
	fs.StringVar(&m.Suite, "suite", m.Suite, "suite: "+strings.Join(suites, ", ")+" or all")
	fs.StringVar(&m.Split, "split", m.Split, "held-out half: dev, test or both")
	fs.StringVar(&m.Analysis, "analysis", m.Analysis, "analysis chain: german, stock or both")
	fs.BoolVar(&m.JSON, "json", false, "print JSON")
	fs.BoolVar(&m.Verbose, "v", false, "list each query's top 5, the failures and the queries without results")
	fs.StringVar(&m.QueriesFile, "queries", "", "judged queries of the sample suite (default: the bundled testdata/queries.json)")
	fs.StringVar(&m.BaselineFile, "baseline", "", "baseline of the sample suite (default: cmd/relevance/baseline.json); the held-out baselines sit beside it")
	var dirFlags []string
	for _, h := range heldoutSuites() {
		fs.Func(h.Name, fmt.Sprintf("%s corpus folder `DIR`, built by %s (default: cmd/relevance/%s)", h.Label, h.Script, filepath.ToSlash(h.Dir)),
			func(dir string) error { m.CorpusDirs[h.Name] = dir; return nil })
		dirFlags = append(dirFlags, "[-"+h.Name+" DIR]")
	}
	fs.StringVar(&m.Thesaurus, "thesaurus", m.Thesaurus, "German thesaurus in OpenThesaurus's text format that questions read, as talksearch --thesaurus; \"none\" for none (the baselines are measured with the default, Debian's openthesaurus-de-text)")
	fs.BoolVar(&m.WriteBaseline, "write-baseline", false, "rewrite the baselines of the tables measured from the German chain's figures")
	fs.BoolVar(&m.Rule, "rule", false, "measure the sample and the dev halves with the German chain and hold them to the committed baselines under the standing rule (docs/relevance-journal.md)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: relevance [-suite %s|all] [-split dev|test|both] [-analysis german|stock|both] %s [-json] [-v] [-write-baseline] [-rule]\n",
			strings.Join(suites, "|"), strings.Join(dirFlags, " "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if m.Suite != suiteAll && !slices.Contains(suites, m.Suite) {
		return fmt.Errorf("-suite must be %s or all, not %q", strings.Join(suites, ", "), m.Suite)
	}
	switch m.Split {
	case splitDev, splitTest, splitBoth:
	default:
		return fmt.Errorf("-split must be dev, test or both, not %q", m.Split)
	}
	switch m.Analysis {
	case search.AnalysisGerman, search.AnalysisStock, analysisBoth:
	default:
		return fmt.Errorf("-analysis must be german, stock or both, not %q", m.Analysis)
	}
	if m.WriteBaseline && m.Analysis == search.AnalysisStock {
		return errors.New("-write-baseline records the german chain; drop -analysis stock")
	}
	if m.Rule {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		switch {
		case m.WriteBaseline:
			return errors.New("-rule compares with the baselines; it cannot rewrite them (drop -write-baseline)")
		case set["split"] && m.Split != splitDev, set["analysis"] && m.Analysis != search.AnalysisGerman:
			return errors.New("-rule measures the dev halves with the german chain; drop -split and -analysis")
		}
		m.Split, m.Analysis = splitDev, search.AnalysisGerman
	}
	return nil
}

// table is one report table: the sample suite or one half of the held-out
// suite, a run per chosen chain (stock first), and the baseline file its
// German run is held to.
type table struct {
	Name     string // "sample", or a held-out suite and split: "heldout/dev"
	Runs     []*run
	Baseline string
	cmp      baselineCheck
}

// german is the table's run of the German chain, or nil.
func (t *table) german() *run {
	for _, r := range t.Runs {
		if r.Analysis == search.AnalysisGerman {
			return r
		}
	}
	return nil
}

// Run measures each chosen suite with each chosen chain and prints the
// figures.
func (m *Main) Run(ctx context.Context) error {
	if err := m.resolvePaths(); err != nil {
		return err
	}
	suites, err := m.loadSuites()
	if err != nil {
		return err
	}
	if m.Thesaurus != "none" {
		if m.thes, err = search.LoadThesaurus(m.Thesaurus); err != nil {
			return fmt.Errorf("relevance: %w (apt-get install openthesaurus-de-text, or -thesaurus none)", err)
		}
	}
	if m.tmp, err = os.MkdirTemp("", "talksearch-relevance-"); err != nil {
		return fmt.Errorf("relevance: %w", err)
	}
	var tables []*table
	for _, s := range suites {
		runs, err := m.measureSuite(ctx, s)
		if err != nil {
			return err
		}
		tables = append(tables, m.tables(s, runs)...)
	}
	for _, t := range tables {
		g := t.german()
		switch {
		case g == nil:
		case m.WriteBaseline:
			if err := writeBaseline(t.Baseline, newBaseline(g)); err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "wrote %s (german: overall nDCG@10 %.4f over %d queries, %d without results)\n",
				t.Baseline, g.Overall.NDCG, g.Overall.Queries, len(g.zeroResults()))
		default:
			// Compare the German chain with the committed baseline, as
			// the test does; a missing baseline is only a note here.
			t.cmp = checkBaseline(t.Baseline, g)
		}
	}
	if m.JSON {
		return printJSON(m.Stdout, tables)
	}
	m.printReport(tables)
	if m.Rule {
		return m.printRule(tables)
	}
	return nil
}

// printRule prints the standing rule's verdict after the report, from
// the baselines the tables were checked against (Run).
func (m *Main) printRule(tables []*table) error {
	baselines := map[string]*baseline{}
	for _, t := range tables {
		if t.cmp.err != nil {
			return t.cmp.err
		}
		baselines[t.Name] = t.cmp.base
	}
	var heldout []string
	for _, h := range heldoutSuites() {
		heldout = append(heldout, h.Name)
	}
	fmt.Fprintln(m.Stdout)
	printRule(m.Stdout, standingRule(tables, baselines, heldout))
	return nil
}

// resolvePaths fills in the default baseline file and held-out folders,
// which live in the module's cmd/relevance.
func (m *Main) resolvePaths() error {
	if m.CorpusDirs == nil {
		m.CorpusDirs = map[string]string{}
	}
	missing := slices.ContainsFunc(heldoutSuites(), func(h heldoutSuite) bool { return m.CorpusDirs[h.Name] == "" })
	if m.BaselineFile != "" && (!missing || m.Suite == suiteSample) {
		return nil
	}
	pkg, err := packageDir()
	if err != nil {
		return err
	}
	if m.BaselineFile == "" {
		m.BaselineFile = filepath.Join(pkg, baselineFile)
	}
	for _, h := range heldoutSuites() {
		if m.CorpusDirs[h.Name] == "" {
			m.CorpusDirs[h.Name] = filepath.Join(pkg, h.Dir)
		}
	}
	return nil
}

// loadSuites loads and validates the chosen suites.
func (m *Main) loadSuites() ([]*suite, error) {
	var out []*suite
	if m.Suite == suiteSample || m.Suite == suiteAll {
		s, err := loadSample(m.QueriesFile)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	for _, h := range heldoutSuites() {
		if m.Suite != h.Name && m.Suite != suiteAll {
			continue
		}
		s, err := h.load(m.CorpusDirs[h.Name], m.Split)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// options are the index options of the analysis chain a.
func (m *Main) options(a string) search.Options {
	return search.Options{Analysis: a, Thesaurus: m.thes}
}

// measureSuite indexes the suite's corpus once per chosen chain, in the
// temporary folder, and runs its queries.
func (m *Main) measureSuite(ctx context.Context, s *suite) ([]*run, error) {
	analyses := []string{m.Analysis}
	if m.Analysis == analysisBoth {
		analyses = []string{search.AnalysisStock, search.AnalysisGerman}
	}
	var runs []*run
	for _, a := range analyses {
		r, err := measure(ctx, m.options(a), filepath.Join(m.tmp, s.Name+"-"+a), s)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// tables makes the report tables of a suite: one, or one per chosen half.
func (m *Main) tables(s *suite, runs []*run) []*table {
	if !s.Splits {
		return []*table{{Name: s.Name, Runs: runs, Baseline: m.BaselineFile}}
	}
	splits := []string{splitDev, splitTest}
	if m.Split != splitBoth {
		splits = []string{m.Split}
	}
	var out []*table
	for _, sp := range splits {
		t := &table{
			Name:     s.Name + "/" + sp,
			Baseline: filepath.Join(filepath.Dir(m.BaselineFile), splitBaselineFile(s.Name, sp)),
		}
		for _, r := range runs {
			t.Runs = append(t.Runs, splitRun(r, sp))
		}
		out = append(out, t)
	}
	return out
}

// baselineCheck is the German chain's figures held against the baseline:
// the lines below and above it, or why the baseline could not be read.
type baselineCheck struct {
	checked           bool
	base              *baseline // as read, for -rule
	regress, improved []string
	err               error
}

// checkBaseline holds the German chain's figures against a baseline file.
func checkBaseline(path string, german *run) baselineCheck {
	b, err := readBaseline(path)
	if err != nil {
		return baselineCheck{checked: true, err: err}
	}
	return baselineCheck{checked: true, base: b, regress: regressions(b, german), improved: improvements(b, german)}
}

// printReport prints each table, headed by its name when there are
// several.
func (m *Main) printReport(tables []*table) {
	for i, t := range tables {
		if len(tables) > 1 {
			if i > 0 {
				fmt.Fprintln(m.Stdout)
			}
			fmt.Fprintf(m.Stdout, "== %s\n\n", t.Name)
		}
		m.printTableReport(t)
	}
}

// printTableReport prints one table, with -v each query and the failures
// first, then the queries without results and how the German chain
// compares with the baseline.
func (m *Main) printTableReport(t *table) {
	runs := t.Runs
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
	printZeroResults(m.Stdout, runs, m.Verbose)
	cmp := t.cmp
	switch {
	case !cmp.checked:
	case cmp.err != nil:
		fmt.Fprintf(m.Stdout, "\nbaseline: %v\n", cmp.err)
	case len(cmp.regress) > 0:
		fmt.Fprintf(m.Stdout, "\nbelow the baseline (%s):\n", t.Baseline)
		for _, l := range cmp.regress {
			fmt.Fprintln(m.Stdout, "  "+l)
		}
	default:
		fmt.Fprintf(m.Stdout, "\nbaseline: german holds every figure of %s (tolerance %.3f)\n", t.Baseline, tolerance)
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
