package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/corpus"
)

// runMain parses args and runs the command to completion.
func runMain(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &out, &errOut
	if err := m.ParseFlags(args); err != nil {
		return "", err
	}
	err := m.Run(context.Background())
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return out.String(), err
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// TestServeEndToEnd starts the server on a free port with an empty data
// folder: it must index the bundled sample and answer real requests.
func TestServeEndToEnd(t *testing.T) {
	data := t.TempDir()
	base := runServe(t, 60*time.Second, nil, "--data", data)

	code, body, hdr := get(t, base+"/api/v1/search?q=Rechnungen")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("search: %d %s", code, body)
	}
	var res struct {
		Total int `json:"total"`
		Data  []struct {
			ID     string `json:"id"`
			File   string `json:"file"`
			Slides []struct {
				Page    int    `json:"page"`
				Snippet string `json:"snippet"`
				URL     string `json:"url"`
			} `json:"slides"`
		} `json:"data"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || res.Data[0].ID != "workshop-e-rechnung" || len(res.Data[0].Slides) == 0 {
		t.Fatalf("Rechnungen: %s", body)
	}
	if !strings.Contains(res.Data[0].Slides[0].Snippet, "<mark>") {
		t.Errorf("snippet without highlight: %q", res.Data[0].Slides[0].Snippet)
	}

	// The slide link serves the real PDF.
	pdfURL, _, _ := strings.Cut(res.Data[0].Slides[0].URL, "#")
	code, pdf, hdr := get(t, base+pdfURL)
	if code != 200 || hdr.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") {
		t.Errorf("GET %s: %d %s", pdfURL, code, hdr.Get("Content-Type"))
	}

	// The state filter returns only Thüringen talks and counts match.
	code, body, _ = get(t, base+"/api/v1/search?state=Th%C3%BCringen&size=100")
	if code != 200 {
		t.Fatalf("state filter: %d %s", code, body)
	}
	res.Data = nil
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	cat, _ := corpus.Load(corpus.Sample())
	want := 0
	for _, tk := range cat.Talks {
		if strings.Contains(strings.Join(tk.States, ","), "Thüringen") {
			want++
		}
	}
	if res.Total != want || len(res.Data) != want {
		t.Errorf("Thüringen: total %d, data %d, want %d", res.Total, len(res.Data), want)
	}
	kinds := 0
	for _, v := range res.Facets["kind"] {
		kinds += v.Count
	}
	if kinds != want {
		t.Errorf("kind facet counts %d talks, want %d", kinds, want)
	}

	code, body, _ = get(t, base+"/?q=eAkte")
	if code != 200 || !strings.Contains(body, "Einführung der eAkte in Plauen") || !strings.Contains(body, `lang="de"`) {
		t.Errorf("search page: %d", code)
	}
	code, body, _ = get(t, base+"/api/v1/talks/eakte-plauen")
	if code != 200 || !strings.Contains(body, `"name":"Thomas Schüppel"`) {
		t.Errorf("talk: %d %s", code, body)
	}
	code, body, hdr = get(t, base+"/api/v1/search?page=x")
	if code != 400 || hdr.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, "ganze Zahl") {
		t.Errorf("bad page: %d %s", code, body)
	}
	if code, _, _ = get(t, base+"/files/itf2018/manifest.json"); code != 404 {
		t.Errorf("manifest served: %d", code)
	}
}

func TestIndexCommand(t *testing.T) {
	decks := t.TempDir()
	good, err := fs.ReadFile(corpus.Sample(), "itf2018/slides/freifunk-gera.pdf")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(decks, "Freifunk in Gera.pdf"), good, 0o644)
	os.WriteFile(filepath.Join(decks, "kaputt.pdf"), good[:2000], 0o644)
	data := t.TempDir()

	out, err := runMain(t, "index", "--corpus", decks, "--data", data)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, out)
	}
	if !strings.Contains(out, "2 talks: 2 indexed") || !strings.Contains(out, "FAILED kaputt.pdf") {
		t.Errorf("report:\n%s", out)
	}
	// Unchanged files are skipped the second time.
	out, err = runMain(t, "index", "--corpus", decks, "--data", data)
	if err != nil || !strings.Contains(out, "1 unchanged") {
		t.Errorf("second index: %v\n%s", err, out)
	}
	// The word on one slide only leads to that slide.
	out, err = runMain(t, "search", "--data", data, "Dachstandort")
	if err != nil || !strings.Contains(out, "1 talks") || !strings.Contains(out, "Freifunk in Gera") || !strings.Contains(out, "*Dachstandort*") {
		t.Errorf("search: %v\n%s", err, out)
	}
	// --json prints the API's JSON, not Go's field names.
	out, err = runMain(t, "search", "--json", "--data", data, "Dachstandort")
	checkSearchJSON(t, out, err)

	// Only broken files: nothing could be indexed, a non-zero exit.
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "kaputt.pdf"), []byte("kein PDF"), 0o644)
	if _, err := runMain(t, "index", "--corpus", bad, "--data", t.TempDir()); !errors.Is(err, errNothingIndexed) {
		t.Errorf("broken-only corpus: err = %v", err)
	}
}

func TestExtractCommand(t *testing.T) {
	pdf := filepath.Join(t.TempDir(), "d.pdf")
	data, _ := fs.ReadFile(corpus.Sample(), "itf2018/slides/eakte-plauen.pdf")
	os.WriteFile(pdf, data, 0o644)
	out, err := runMain(t, "extract", "--json", pdf)
	if err != nil {
		t.Fatal(err)
	}
	var pages []struct {
		Page int    `json:"page"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal([]byte(out), &pages); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(pages) < 8 || pages[0].Page != 1 || !strings.Contains(pages[0].Text, "Einführung der eAkte in Plauen") {
		t.Errorf("pages = %+v", pages[:1])
	}
}

func TestParseFlags(t *testing.T) {
	t.Setenv("TALKSEARCH_ADDR", ":9999")
	t.Setenv("TALKSEARCH_DATA", "/tmp/x")
	m := NewMain()
	m.Stderr = io.Discard
	if err := m.ParseFlags([]string{"search", "eAkte", "--state", "Sachsen", "--state", "Thüringen", "--data", "/tmp/y"}); err != nil {
		t.Fatal(err)
	}
	c := m.Config
	// search has no --addr, so TALKSEARCH_ADDR is not read for it.
	if c.Addr != ":8080" || c.Data != "/tmp/y" || strings.Join(c.States, ",") != "Sachsen,Thüringen" || strings.Join(c.Args, " ") != "eAkte" {
		t.Errorf("config = %+v", c)
	}
	for _, bad := range [][]string{{"tanzen"}, {"extract"}, {"search"}, {"serve", "--log-format", "xml"}} {
		m := NewMain()
		m.Stderr = io.Discard
		if err := m.ParseFlags(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// checkSearchJSON checks that out is a GET /api/v1/search body.
func checkSearchJSON(t *testing.T, out string, err error) {
	t.Helper()
	var body map[string]any
	if err != nil || json.Unmarshal([]byte(out), &body) != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	for _, k := range []string{"query", "total", "took_ms", "match", "ignored_words", "data", "facets", "pagination", "links"} {
		if _, ok := body[k]; !ok {
			t.Errorf("search --json lacks %q:\n%s", k, out)
		}
	}
	for _, k := range []string{"Total", "Talks", "Facets"} {
		if _, ok := body[k]; ok {
			t.Errorf("search --json has Go's field %q", k)
		}
	}
	data, _ := body["data"].([]any)
	if body["total"] != float64(1) || len(data) != 1 || body["match"] != "all" {
		t.Fatalf("search --json: %s", out)
	}
	talk := data[0].(map[string]any)
	if _, ok := talk["slides"].([]any); !ok || talk["url"] == nil || talk["event"] == nil {
		t.Errorf("talk %v", talk)
	}
}

// runServe runs `talksearch serve` in this process on a free loopback
// port with args until the test ends, and returns its base URL once it is
// ready and also() (nil: nothing more) holds. It fails the test when that
// takes longer than timeout, when the server stops early, or when it does
// not stop within 30 s at the end.
func runServe(t *testing.T, timeout time.Duration, also func() bool, args ...string) string {
	t.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	if err := m.ParseFlags(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("server did not stop")
		}
		m.Close()
	})
	deadline := time.Now().Add(timeout)
	for m.Addr() == "" || !m.ready.Load() || also != nil && !also() {
		if time.Now().After(deadline) {
			t.Fatal("server did not become ready (a file blocks?)")
		}
		select {
		case err := <-done:
			t.Fatalf("Run ended early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return "http://" + m.Addr()
}
