// Command pdfcompare measures talksearch's PDF text extraction against
// poppler's pdftotext, word by word, and prints the figures of issue 3.
//
// Usage:
//
//	go run ./cmd/pdfcompare [flags] [PATH...]
//
// Each PATH is a PDF or a folder searched for PDFs, and forms a group of
// its own; -fixtures adds internal/pdftext/testdata/pdf, -sample the
// bundled sample corpus and -list FILE the PDFs named in FILE, one per line (for example
// the output of `find / -xdev -name '*.pdf' -size -3M`). Files with the
// same content are compared once.
//
// Words are NFKC-normalised, lower-cased runs of letters and digits, taken
// as multisets. Per file it prints the word recall (words of pdftotext
// found in ours), the rate of glued words (a word of ours that is two or
// three words of pdftotext), the recall of words with umlauts or ß, the
// pages and the time. Per group and overall it prints mean and median
// recall, the share of files at 0.90 or more, the same for slide decks
// (three or more landscape pages), the glued-word rate, the umlaut-word recall, and the
// files the extraction crashed on, hung on (stopped at -timeout) or
// rejected (encrypted or unreadable to our reader while poppler reads
// them; they count as recall 0).
//
// Our extraction runs isolated in child processes (this executable), as
// the indexer runs it, without OCR and without the pdftotext fallback.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/internal/pdftext/compare"
)

func main() {
	if extract.ChildRequested() {
		os.Exit(extract.ServeChild(os.Stdin, os.Stdout))
	}
	var (
		fixtures = flag.Bool("fixtures", false, "compare the fixtures in internal/pdftext/testdata/pdf")
		sample   = flag.Bool("sample", false, "compare the decks of the bundled sample corpus")
		list     = flag.String("list", "", "compare the PDFs named in this file, one per line")
		timeout  = flag.Duration("timeout", 60*time.Second, "time limit of one extraction; a file that takes longer counts as a hang")
		memory   = flag.Int("memory-limit-mb", 1024, "memory bound of one extraction")
		maxSize  = flag.Int64("max-size", 3<<20, "skip files larger than this many bytes")
		workers  = flag.Int("workers", runtime.NumCPU(), "files compared in parallel")
		quiet    = flag.Bool("q", false, "print only the summaries")
	)
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: pdfcompare [flags] [PATH...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		fmt.Fprintln(os.Stderr, "pdfcompare: pdftotext (Debian package poppler-utils) is needed")
		os.Exit(2)
	}

	inputs, err := gatherInputs(*fixtures, *sample, *list, *maxSize, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "pdfcompare:", err)
		os.Exit(2)
	}
	if len(inputs) == 0 {
		flag.Usage()
		os.Exit(2)
	}

	ext := extract.New(extract.Config{
		Isolate: true, FileTimeout: *timeout, MemoryLimitMB: *memory,
		DisableOCR: true, DisableFallback: true,
	})
	results := compareAll(ext, inputs, *workers, *timeout)
	ext.Close()

	if !*quiet {
		printFiles(results)
	}
	printGroups(inputs, results)
}

// gatherInputs reads the PDFs to compare: the fixtures, the sample decks,
// the files named in list and the files under paths, each one once.
func gatherInputs(fixtures, sample bool, list string, maxSize int64, paths []string) ([]input, error) {
	var inputs []input
	seen := map[[32]byte]bool{}
	add := func(group, name string, data []byte) {
		if int64(len(data)) > maxSize || !bytes.HasPrefix(data, []byte("%PDF")) {
			return
		}
		sum := sha256.Sum256(data)
		if seen[sum] {
			return
		}
		seen[sum] = true
		inputs = append(inputs, input{group: group, name: name, data: data})
	}
	if fixtures {
		addDir("fixtures", "internal/pdftext/testdata/pdf", add)
	}
	if sample {
		files, _ := fs.Glob(corpus.Sample(), "*/slides/*.pdf")
		for _, f := range files {
			data, err := fs.ReadFile(corpus.Sample(), f)
			if err == nil {
				add("sample", "sample/"+f, data)
			}
		}
	}
	if list != "" {
		names, err := readList(list)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if data, err := os.ReadFile(n); err == nil {
				add(filepath.Base(list), n, data)
			}
		}
	}
	for _, p := range paths {
		addDir(p, p, add)
	}
	return inputs, nil
}

// printFiles prints one line per file.
func printFiles(results []result) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "recall\tglued\tumlauts\tpages\tms\t\tfile\t")
	for _, r := range results {
		if r.status == statusOK {
			fmt.Fprintf(w, "%.4f\t%.4f\t%.4f\t%d\t%d\t%s\t%s\t\n", r.cmp.Recall(), r.cmp.GluedRate(), r.cmp.UmlautRecall(), r.pages, r.took.Milliseconds(), deckMark(r), r.name)
		} else {
			fmt.Fprintf(w, "-\t-\t-\t-\t%d\t%s\t%s: %s\t\n", r.took.Milliseconds(), r.status, r.name, r.detail)
		}
	}
	w.Flush()
	fmt.Println()
}

// printGroups prints the summary of each group, and of all files when
// there are several groups.
func printGroups(inputs []input, results []result) {
	var groups []string
	for _, in := range inputs {
		if !slices.Contains(groups, in.group) {
			groups = append(groups, in.group)
		}
	}
	if len(groups) > 1 {
		groups = append(groups, "all")
	}
	for _, g := range groups {
		var rs []result
		for _, r := range results {
			if r.group == g || g == "all" {
				rs = append(rs, r)
			}
		}
		printSummary(g, rs)
	}
}

type input struct {
	group, name string
	data        []byte
}

// Outcomes of one file.
const (
	statusOK       = ""
	statusNoRef    = "no-ref"   // pdftotext failed or found no words: not compared
	statusRejected = "rejected" // encrypted or unreadable to us, read by poppler
	statusHang     = "HANG"
	statusCrash    = "CRASH"
)

type result struct {
	input
	status, detail string
	cmp            compare.Result
	pages          int
	deck           bool
	took           time.Duration
}

func compareAll(ext *extract.Extractor, inputs []input, workers int, timeout time.Duration) []result {
	results := make([]result, len(inputs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = compareOne(ext, inputs[i], timeout)
			}
		}()
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func compareOne(ext *extract.Extractor, in input, timeout time.Duration) result {
	r := result{input: in}
	ref, err := tool(timeout, in.data, "pdftotext", "-enc", "UTF-8", "-", "-")
	refText := pdftext.CleanText(string(ref))
	if err != nil || len(compare.Words(refText)) == 0 {
		r.status, r.detail = statusNoRef, "pdftotext found no text"
		if err != nil {
			r.detail = "pdftotext: " + err.Error()
		}
		return r
	}
	r.deck = slideDeck(in.data, timeout)
	began := time.Now()
	doc, err := ext.Extract(context.Background(), in.data)
	r.took = time.Since(began)
	switch {
	case errors.Is(err, extract.ErrTimedOut):
		r.status, r.detail = statusHang, extract.Reason(err)
	case errors.Is(err, extract.ErrCrashed) || errors.Is(err, extract.ErrOutOfMemory):
		r.status, r.detail = statusCrash, extract.Reason(err)
	case err != nil:
		r.status, r.detail = statusRejected, extract.Reason(err)
	}
	if err != nil {
		r.cmp = compare.Texts("", refText)
		return r
	}
	var text strings.Builder
	for _, p := range doc.Pages {
		text.WriteString(p.Text)
		text.WriteString("\n")
	}
	r.pages = len(doc.Pages)
	r.cmp = compare.Texts(text.String(), refText)
	return r
}

// slideDeck reports whether a PDF has the shape of a slide deck: at least
// three pages, the first wider than tall by a fifth. (Single landscape
// pages are mostly figures, barcodes and font samples.)
func slideDeck(data []byte, timeout time.Duration) bool {
	out, err := tool(timeout, data, "pdfinfo", "-")
	if err != nil {
		return false
	}
	wide, pages := false, 0
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, "Page size:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 3 {
				w, err1 := strconv.ParseFloat(f[0], 64)
				h, err2 := strconv.ParseFloat(f[2], 64)
				wide = err1 == nil && err2 == nil && w > 1.2*h
			}
		}
		if rest, ok := strings.CutPrefix(l, "Pages:"); ok {
			pages, _ = strconv.Atoi(strings.TrimSpace(rest))
		}
	}
	return wide && pages >= 3
}

func tool(timeout time.Duration, stdin []byte, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.WaitDelay = time.Second
	return cmd.Output()
}

func deckMark(r result) string {
	if r.deck {
		return "deck"
	}
	return ""
}

func printSummary(group string, rs []result) {
	var (
		recalls, deckRecalls              []float64
		openRecalls                       []float64
		glued, got, umlauts, umlautsFound int
		pages                             int
		took                              time.Duration
		noRef                             int
		hangs, crashes, rejected          []string
	)
	for _, r := range rs {
		switch r.status {
		case statusNoRef:
			noRef++
			continue
		case statusHang:
			hangs = append(hangs, r.name)
		case statusCrash:
			crashes = append(crashes, r.name)
		case statusRejected:
			rejected = append(rejected, r.name)
		case statusOK:
			openRecalls = append(openRecalls, r.cmp.Recall())
			pages += r.pages
			took += r.took
		}
		recalls = append(recalls, r.cmp.Recall())
		if r.deck {
			deckRecalls = append(deckRecalls, r.cmp.Recall())
		}
		glued += len(r.cmp.Glued)
		got += r.cmp.GotWords
		umlauts += r.cmp.UmlautWords
		umlautsFound += r.cmp.UmlautFound
	}
	fmt.Printf("== %s: %d files compared (%d without text in pdftotext, not compared)\n", group, len(recalls), noRef)
	if len(recalls) == 0 {
		return
	}
	atLeast90 := 0
	for _, x := range recalls {
		if x >= 0.90 {
			atLeast90++
		}
	}
	fmt.Printf("   word recall: mean %.4f, median %.4f; %.1f %% of files >= 0.90\n", mean(recalls), compare.Median(recalls), 100*float64(atLeast90)/float64(len(recalls)))
	if len(openRecalls) != len(recalls) {
		fmt.Printf("   word recall over the %d files we open: mean %.4f, median %.4f\n", len(openRecalls), mean(openRecalls), compare.Median(openRecalls))
	}
	if len(deckRecalls) > 0 {
		fmt.Printf("   slide decks (3+ landscape pages): %d files, mean %.4f, median %.4f\n", len(deckRecalls), mean(deckRecalls), compare.Median(deckRecalls))
	}
	fmt.Printf("   glued words: %.4f %% (%d of %d)\n", 100*ratio(glued, got), glued, got)
	fmt.Printf("   umlaut-word recall: %.4f (%d of %d)\n", ratio(umlautsFound, umlauts), umlautsFound, umlauts)
	fmt.Printf("   crashes: %d %s\n   hangs: %d %s\n   rejected: %d %s\n", len(crashes), names(crashes), len(hangs), names(hangs), len(rejected), names(rejected))
	if took > 0 {
		fmt.Printf("   %d pages in %v of isolated extraction, %.0f pages/s\n", pages, took.Round(time.Millisecond), float64(pages)/took.Seconds())
	}
}

func names(s []string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > 8 {
		return fmt.Sprintf("%v …", s[:8])
	}
	return fmt.Sprint(s)
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// addDir adds the PDF at path, or every PDF below the folder path.
func addDir(group, path string, add func(group, name string, data []byte)) {
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".pdf") {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil {
			add(group, p, data)
		}
		return nil
	})
}

func readList(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
