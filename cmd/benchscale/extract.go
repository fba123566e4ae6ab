package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/talksearch/talksearch/internal/pdftext"
)

// stamp is the part of scalegen's scalegen.json that says what a folder
// holds.
type stamp struct {
	Version int    `json:"version"`
	Seed    uint64 `json:"seed"`
	Talks   int    `json:"talks"`
	Pages   int    `json:"pages"`
}

// archive returns the folder of the generated archive of the given size,
// generating it unless a complete one with the same seed is there.
func archive(c config, pages int) (string, stamp, error) {
	dir := filepath.Join(c.dir, fmt.Sprintf("corpus-seed%d-%d", c.seed, pages))
	var st stamp
	if data, err := os.ReadFile(filepath.Join(dir, "scalegen.json")); err == nil && json.Unmarshal(data, &st) == nil &&
		st.Seed == c.seed && st.Pages == pages {
		logf("archive %s reused (%d talks)", dir, st.Talks)
		return dir, st, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", st, err
	}
	began := time.Now()
	cmd := exec.Command(c.scalegen, "-out", dir, "-seed", fmt.Sprint(c.seed), "-pages", fmt.Sprint(pages))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", st, fmt.Errorf("scalegen: %w", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "scalegen.json"))
	if err == nil {
		err = json.Unmarshal(data, &st)
	}
	logf("archive %s generated in %s", dir, time.Since(began).Round(time.Millisecond))
	return dir, st, err
}

// pdfs lists the PDFs below dir in a fixed order.
func pdfs(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".pdf") {
			out = append(out, p)
		}
		return err
	})
	sort.Strings(out)
	return out, err
}

// pool runs fn on every file with workers goroutines and returns the wall
// time and the pages fn counted.
func pool(files []string, workers int, fn func(string) (int, error)) (time.Duration, int, error) {
	began := time.Now()
	next := make(chan string)
	var (
		mu    sync.Mutex
		pages int
		first error
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				n, err := fn(f)
				mu.Lock()
				pages += n
				if err != nil && first == nil {
					first = fmt.Errorf("%s: %w", f, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return time.Since(began), pages, first
}

// extractAlone reads every file with our text walker, in-process.
func extractAlone(file string) (int, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	doc, err := pdftext.Extract(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, err
	}
	return len(doc.Pages), nil
}

// pdftotext reads every file with poppler's pdftotext, one process per
// file as a pipeline would call it; pages are counted by form feeds.
func pdftotext(file string) (int, error) {
	cmd := exec.Command("pdftotext", "-q", "-enc", "UTF-8", file, "-")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, io.Discard
	if err := cmd.Run(); err != nil {
		return 0, err
	}
	return bytes.Count(out.Bytes(), []byte("\f")), nil
}
