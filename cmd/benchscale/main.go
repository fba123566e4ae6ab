// Command benchscale measures talksearch on generated archives of 1,000,
// 10,000 and 100,000 slides and prints Markdown tables (BENCHMARKS.md).
// Run it with `make bench-scale` (PAGES=1000,10000 to choose the sizes),
// which builds the binaries it drives.
//
// Usage:
//
//	benchscale -talksearch BIN -scalegen BIN [-pages 1000,10000,100000] [-dir bench-data]
//	           [-seed 1] [-workers N] [-clients 1,8,32] [-duration 10s] [-rounds 10]
//
// For each size it generates the archive with scalegen into DIR (kept and
// reused while the seed and size match), then measures in one run:
//   - extraction alone: our PDF text walker (internal/pdftext) in-process
//     over every deck, and poppler's pdftotext, each with -workers files in
//     parallel;
//   - the whole pipeline: `talksearch serve` on an empty data folder with
//     --workers N, timed from the start to "ready" (searchable) and to
//     "previews updated" (everything), sampling the resident memory of the
//     process and its children (the extraction children, pdftoppm);
//   - query latency of the query mix (testdata/querymix.tsv) in-process
//     (search.Index.Search, one query at a time) and over HTTP with wrk at
//     each number of clients, against a fresh `talksearch serve` of the
//     same index, whose peak memory is the serving figure;
//   - the size of the index and of the previews on disk.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// config is what the flags set.
type config struct {
	talksearch, scalegen string
	dir                  string
	mix                  string
	sizes, clients       []int
	seed                 uint64
	workers              int
	duration             time.Duration
	rounds               int
	cpuprofile           string
}

func main() {
	var c config
	var sizes, clients string
	flag.StringVar(&c.talksearch, "talksearch", "", "the talksearch binary to measure")
	flag.StringVar(&c.scalegen, "scalegen", "", "the scalegen binary that writes the archives")
	flag.StringVar(&c.dir, "dir", "bench-data", "folder for the archives, indexes and results")
	flag.StringVar(&c.mix, "mix", "cmd/benchscale/testdata/querymix.tsv", "the query mix")
	flag.StringVar(&sizes, "pages", "1000,10000,100000", "archive sizes in slides, comma-separated")
	flag.StringVar(&clients, "clients", "1,8,32", "concurrent HTTP clients of each wrk run")
	flag.Uint64Var(&c.seed, "seed", 1, "scalegen seed")
	flag.IntVar(&c.workers, "workers", runtime.NumCPU(), "files read in parallel by every pipeline measured")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of each wrk run")
	flag.IntVar(&c.rounds, "rounds", 10, "times the in-process measurement runs the mix")
	flag.StringVar(&c.cpuprofile, "cpuprofile", "", "write the CPU profile of each size's in-process rounds to PREFIX-PAGES.pprof")
	flag.Parse()
	var err error
	if c.sizes, err = intList(sizes); err == nil {
		c.clients, err = intList(clients)
	}
	if err == nil && (c.talksearch == "" || c.scalegen == "") {
		err = errors.New("-talksearch and -scalegen are required (make bench-scale builds them)")
	}
	if err == nil {
		err = run(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchscale:", err)
		os.Exit(1)
	}
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a list of positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// run measures every size and prints the tables.
func run(c config) error {
	mix, err := readMix(c.mix)
	if err != nil {
		return err
	}
	var results []result
	for _, pages := range c.sizes {
		logf("== %d pages", pages)
		r, err := measure(c, mix, pages)
		if err != nil {
			return fmt.Errorf("%d pages: %w", pages, err)
		}
		results = append(results, r)
		// Each size's tables as soon as they are known, then all together.
		printTables(os.Stderr, c, []result{r})
	}
	printTables(os.Stdout, c, results)
	return nil
}

// logf prints progress to stderr.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
