package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/talksearch/talksearch/corpus"
)

// heldoutDir is the default held-out corpus folder, relative to this
// package; scripts/heldout-corpus.sh builds it (it is not committed).
var heldoutDir = filepath.Join("testdata", "heldout", "corpus")

// heldoutStamp is the file scripts/heldout-corpus.sh writes last, when the
// corpus is complete.
const heldoutStamp = ".heldout-stamp"

// errNoHeldout means the held-out corpus is missing or incomplete; the
// baseline test skips on it (or fails, where tools are required).
var errNoHeldout = errors.New("held-out corpus missing or incomplete")

// checkHeldout checks that dir holds a complete held-out corpus: the stamp
// is there and counts as many PDFs as the folder holds.
func checkHeldout(dir string) error {
	fix := fmt.Sprintf("build it with scripts/heldout-corpus.sh %s", dir)
	f, err := os.Open(filepath.Join(dir, heldoutStamp))
	if err != nil {
		return fmt.Errorf("relevance: %w: no %s in %s; %s", errNoHeldout, heldoutStamp, dir, fix)
	}
	defer f.Close()
	want := -1
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "count: "); ok {
			if want, err = strconv.Atoi(v); err != nil {
				want = -1
			}
		}
	}
	pdfs, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil || want < 0 || len(pdfs) != want {
		return fmt.Errorf("relevance: %w: %s counts %d PDFs, %s holds %d; %s", errNoHeldout, heldoutStamp, want, dir, len(pdfs), fix)
	}
	return nil
}

// loadHeldout loads the held-out suite: its embedded queries, keeping those
// of split (dev, test or both), and the corpus in dir.
func loadHeldout(dir, split string) (*suite, error) {
	qs, err := parseQueries(embeddedHeldoutQueries)
	if err != nil {
		return nil, err
	}
	s := &suite{Name: suiteHeldout, Categories: heldoutCategories, Splits: true, Queries: qs}
	if err := checkHeldout(dir); err != nil {
		return nil, err
	}
	fsys := os.DirFS(dir)
	if s.Catalogue, err = corpus.Load(fsys); err != nil {
		return nil, fmt.Errorf("relevance: load held-out corpus %s: %w", dir, err)
	}
	s.Files = fsys
	if err := validateQueries(s); err != nil {
		return nil, err
	}
	if split != splitBoth {
		s.Queries = splitQueries(qs, split)
	}
	return s, nil
}

// splitQueries returns the queries of one split.
func splitQueries(qs []query, split string) []query {
	var out []query
	for _, q := range qs {
		if q.Split == split {
			out = append(out, q)
		}
	}
	return out
}

// packageDir finds cmd/relevance from the working directory: in the module
// root at or above it (go run ./cmd/relevance runs in the caller's
// directory, go test in the package's).
func packageDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("relevance: %w", err)
	}
	for {
		pkg := filepath.Join(dir, "cmd", "relevance")
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if st, err := os.Stat(pkg); err == nil && st.IsDir() {
				return pkg, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("relevance: cannot find the module root (go.mod); pass -baseline FILE and -heldout DIR")
		}
		dir = parent
	}
}
