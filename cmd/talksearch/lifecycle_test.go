package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talksearch/talksearch/search"
)

// deckFolder writes the named sample decks (file names without .pdf)
// into a new folder, a corpus of one talk per PDF.
func deckFolder(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		addDeck(t, dir, n)
	}
	return dir
}

func addDeck(t *testing.T, dir, name string) {
	t.Helper()
	data, err := readSample("itf2018/slides/" + name + ".pdf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".pdf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runMainEnv is runMain with an environment of its own and a context.
func runMainEnv(t *testing.T, ctx context.Context, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	m := NewMain()
	m.Stdout, m.Stderr = &out, io.Discard
	m.Getenv = func(k string) string { return env[k] }
	if err := m.ParseFlags(args); err != nil {
		return "", err
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return out.String(), err
}

// startServeMain runs serve in this process like runServe, with an
// environment of its own, and returns its Main, its base URL and a
// function that stops it as a signal would (called at the end of the
// test if not before).
func startServeMain(t *testing.T, env map[string]string, args ...string) (*Main, string, func()) {
	t.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	m.Getenv = func(k string) string { return env[k] }
	m.pollEvery = 50 * time.Millisecond
	if err := m.ParseFlags(append([]string{"serve", "--addr", "127.0.0.1:0", "--isolate=false", "--rate-limit", "0"}, args...)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Error("serve did not stop")
			}
			if err := m.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(60 * time.Second)
	for m.Addr() == "" || !m.ready.Load() {
		if time.Now().After(deadline) {
			t.Fatal("server did not become ready")
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("Run ended early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return m, "http://" + m.Addr(), stop
}

// talkTotal is the number of talks the API finds for q ("" lists all).
func talkTotal(t *testing.T, base, q string) int {
	t.Helper()
	code, body, _ := get(t, base+"/api/v1/search?size=1&q="+q)
	if code != 200 {
		t.Fatalf("q=%s: %d %s", q, code, body)
	}
	var res struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// openLive opens the live index generation of data; the caller closes it.
func openLive(t *testing.T, data string) *search.Index {
	t.Helper()
	name, err := liveGeneration(data)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(filepath.Join(data, name))
	if err != nil {
		t.Fatalf("the live index %s of %s does not open: %v", name, data, err)
	}
	return ix
}

// talksIn opens the live index of data and returns its talk ids.
func talksIn(t *testing.T, data string) []string {
	t.Helper()
	ix := openLive(t, data)
	defer ix.Close()
	ids, err := ix.TalkIDs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// TestCorpusRemembered is the measured failure of issue 12: index a
// folder, then serve, search and index without --corpus. Each must use
// the folder; none may index the sample or remove a talk.
func TestCorpusRemembered(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera", "workshop-e-rechnung")
	data := t.TempDir()
	if out, err := runMain(t, "index", "--corpus", decks, "--data", data, "--isolate=false"); err != nil || !strings.Contains(out, "2 talks: 2 indexed") {
		t.Fatalf("index --corpus: %v\n%s", err, out)
	}
	_, base, _ := startServeMain(t, nil, "--data", data)
	if n := talkTotal(t, base, ""); n != 2 {
		t.Errorf("serve without --corpus lists %d talks, want the 2 of the folder", n)
	}
	if n := talkTotal(t, base, "Plauen"); n != 0 {
		t.Errorf("serve without --corpus indexed the sample: Plauen finds %d talks", n)
	}
	if out, err := runMain(t, "index", "--data", data, "--isolate=false"); err != nil || !strings.Contains(out, "index beside") && !strings.Contains(out, "2 talks") {
		t.Errorf("index without --corpus while serve runs: %v\n%s", err, out)
	}
	if out, err := runMain(t, "index", "--data", t.TempDir(), "--corpus", "sample", "--isolate=false"); err != nil || !strings.Contains(out, "19 talks") {
		t.Errorf("index --corpus sample into a new folder: %v\n%s", err, out)
	}
	rec, err := readCorpusRecord(data)
	if err != nil || rec == nil || rec.Corpus != decks || rec.Talks != 2 || rec.Fingerprint == "" {
		t.Errorf("record = %+v, %v; want %s with 2 talks", rec, err, decks)
	}
}

// TestCorpusRememberedAfterRestart runs the same sequence with
// commands that do not share a process, and the Docker one: serve with
// TALKSEARCH_CORPUS=/corpus, then again with the variable empty.
func TestCorpusRememberedAfterRestart(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera", "workshop-e-rechnung")
	data := t.TempDir()
	env := map[string]string{"TALKSEARCH_CORPUS": decks, "TALKSEARCH_DATA": data}
	_, base, stop := startServeMain(t, env)
	if n := talkTotal(t, base, ""); n != 2 {
		t.Fatalf("serve with TALKSEARCH_CORPUS: %d talks", n)
	}
	stop()
	env["TALKSEARCH_CORPUS"] = ""
	_, base, _ = startServeMain(t, env)
	if n := talkTotal(t, base, ""); n != 2 {
		t.Errorf("serve with TALKSEARCH_CORPUS empty: %d talks, want the 2 of the volume", n)
	}
}

// TestCorpusRecordedAtStart: a first index run killed as soon as it
// started still recorded its folder, so search indexes that folder into
// the index left behind, not the sample.
func TestCorpusRecordedAtStart(t *testing.T) {
	decks := t.TempDir()
	for i, name := range []string{"freifunk-gera", "eakte-plauen", "ozg-sachsen", "erfurter-modell", "klar-kaiserslautern", "earchiv-dresden"} {
		data, err := readSample("itf2018/slides/" + name + ".pdf")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(decks, fmt.Sprintf("vortrag-%d.pdf", i)), data, 0o644)
	}
	data := t.TempDir()
	p := startMain(t, "index", "--corpus", decks, "--data", data, "--isolate=false")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(filepath.Join(data, corpusFile)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("index did not record its corpus")
		}
	}
	p.cmd.Process.Kill()
	p.wait(t, 10*time.Second)
	t.Logf("talks when killed: %d", len(talksIn(t, data)))
	out, err := runMain(t, "search", "--data", data, "--isolate=false", "Dachstandort")
	if err != nil || !strings.Contains(out, "1 talks") {
		t.Fatalf("search after the interrupted run: %v\n%s", err, out)
	}
	if got := talksIn(t, data); len(got) != 6 || !strings.HasPrefix(got[0], "vortrag-") {
		t.Errorf("talks %v, want the 6 of the folder", got)
	}
}

// TestCorpusSwitchAndRefusals: another corpus takes an explicit
// --corpus and the report says how many talks that removes; a data
// folder that does not record its corpus, or whose corpus is gone or
// empty, is left untouched with a message that says what to do.
func TestCorpusSwitchAndRefusals(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera", "workshop-e-rechnung")
	data := t.TempDir()
	if out, err := runMain(t, "index", "--corpus", decks, "--data", data, "--isolate=false"); err != nil {
		t.Fatalf("index: %v\n%s", err, out)
	}
	both := []string{"freifunk-gera", "workshop-e-rechnung"}

	// No record (an index from before records existed): refused.
	os.Rename(filepath.Join(data, corpusFile), filepath.Join(data, corpusFile+".bak"))
	for _, args := range [][]string{{"index"}, {"serve", "--addr", "127.0.0.1:0"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := runMainEnv(t, ctx, nil, append(append([]string{}, args...), "--data", data, "--isolate=false")...)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "does not record which corpus") || !strings.Contains(err.Error(), "--corpus") {
			t.Errorf("%s without a record: %v", args[0], err)
		}
	}
	if got := talksIn(t, data); !slices.Equal(got, both) {
		t.Errorf("talks after the refusals: %v", got)
	}
	os.Rename(filepath.Join(data, corpusFile+".bak"), filepath.Join(data, corpusFile))

	// The recorded folder is gone (not mounted): refused.
	moved := decks + "-moved"
	os.Rename(decks, moved)
	if _, err := runMain(t, "index", "--data", data, "--isolate=false"); err == nil || !strings.Contains(err.Error(), "was indexed from "+decks) {
		t.Errorf("index with the corpus gone: %v", err)
	}
	// Empty: refused.
	os.Mkdir(decks, 0o755)
	if _, err := runMain(t, "index", "--data", data, "--isolate=false"); err == nil || !strings.Contains(err.Error(), "has no talks") {
		t.Errorf("index with the corpus empty: %v", err)
	}
	if got := talksIn(t, data); !slices.Equal(got, both) {
		t.Errorf("talks after the refusals: %v", got)
	}

	// An explicit switch: the report says what it removes.
	other := deckFolder(t, "eakte-plauen")
	out, err := runMain(t, "index", "--corpus", other, "--data", data, "--isolate=false")
	if err != nil || !strings.Contains(out, "1 talks: 1 indexed, 0 unchanged, 2 removed") ||
		!strings.Contains(out, fmt.Sprintf("CORPUS now %s (was %s): 2 talks of the old corpus removed", other, decks)) {
		t.Errorf("switch: %v\n%s", err, out)
	}
}

// hammer queries the API from a few goroutines until stop is closed and
// returns how many requests failed and whether q, once found, was ever
// missing again.
func hammer(t *testing.T, base, q string, stop <-chan struct{}) (failed, flapped *atomic.Int64, wait func()) {
	failed, flapped = &atomic.Int64{}, &atomic.Int64{}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := false
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(base + "/api/v1/search?size=1&q=" + q)
				if err != nil {
					failed.Add(1)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Logf("%d %s", resp.StatusCode, body)
					failed.Add(1)
					continue
				}
				found := !strings.Contains(string(body), `"total":0`)
				if seen && !found {
					flapped.Add(1)
				}
				seen = seen || found
			}
		}()
	}
	return failed, flapped, wg.Wait
}

// TestRebuildWhileSearching runs the full rebuild of the admin reindex
// while three clients query without pause: no request fails, the new
// talk appears at the swap and stays, and the old generation is gone.
func TestRebuildWhileSearching(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera", "workshop-e-rechnung")
	data := t.TempDir()
	m, base, _ := startServeMain(t, nil, "--data", data, "--corpus", decks)
	addDeck(t, decks, "eakte-plauen")
	stop := make(chan struct{})
	failed, flapped, wait := hammer(t, base, "Plauen", stop)
	time.Sleep(100 * time.Millisecond)
	if n := talkTotal(t, base, "Plauen"); n != 0 {
		t.Fatalf("Plauen before the rebuild: %d", n)
	}
	rep, err := m.rebuild(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := talkTotal(t, base, "Plauen"); n != 1 {
		t.Errorf("Plauen after the rebuild: %d talks, want 1", n)
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wait()
	if rep.Indexed != 3 || failed.Load() != 0 || flapped.Load() != 0 {
		t.Errorf("rebuild indexed %d; %d requests failed, %d answered from the old index after the swap", rep.Indexed, failed.Load(), flapped.Load())
	}
	if live, _ := liveGeneration(data); live != "index-1" {
		t.Errorf("live generation %q, want index-1", live)
	}
	if _, err := os.Stat(filepath.Join(data, "index")); !os.IsNotExist(err) {
		t.Errorf("the old generation is still there: %v", err)
	}
}

// TestServePicksUpIndexFromProcess runs `index` in another process while
// serve holds the index and clients query it: index builds a new
// generation beside it and exits 0, serve switches to it without a
// restart, and no request fails.
func TestServePicksUpIndexFromProcess(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera", "workshop-e-rechnung")
	data := t.TempDir()
	_, base, _ := startServeMain(t, nil, "--data", data, "--corpus", decks)
	addDeck(t, decks, "eakte-plauen")
	stop := make(chan struct{})
	failed, flapped, wait := hammer(t, base, "Plauen", stop)
	p := startMain(t, "index", "--data", data, "--isolate=false")
	if code := p.wait(t, 60*time.Second); code != 0 || !strings.Contains(p.stderr.String(), "building a complete new index beside it") {
		t.Fatalf("index while serve runs: exit %d\n%s\n%s", code, p.stdout, p.stderr)
	}
	deadline := time.Now().Add(10 * time.Second)
	for talkTotal(t, base, "Plauen") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("serve did not switch to the new index within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wait()
	if failed.Load() != 0 || flapped.Load() != 0 {
		t.Errorf("%d requests failed, %d answered from the old index after the swap", failed.Load(), flapped.Load())
	}
	if n := talkTotal(t, base, ""); n != 3 {
		t.Errorf("%d talks after the switch, want 3", n)
	}
	// search cannot open the index serve holds: it asks serve.
	p = startMain(t, "search", "--data", data, "Plauen")
	if code := p.wait(t, 10*time.Second); code != 0 || !strings.Contains(p.stdout.String(), "talks for") {
		t.Errorf("search while serve runs: exit %d\n%s\n%s", code, p.stdout, p.stderr)
	}
}

// TestSnapshotWhileServing copies the index while serve holds it (through
// its control socket) and starts a second serve from the copy, which
// answers at once without indexing; without serve the copy is direct.
func TestSnapshotWhileServing(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera", "workshop-e-rechnung")
	data := t.TempDir()
	_, _, stop := startServeMain(t, nil, "--data", data, "--corpus", decks)
	if fi, err := os.Stat(filepath.Join(data, controlSocket)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("control socket: %v %v, want mode 0600", fi, err)
	}
	backup := filepath.Join(t.TempDir(), "backup")
	p := startMain(t, "snapshot", "--data", data, backup)
	if code := p.wait(t, 30*time.Second); code != 0 || !strings.Contains(p.stdout.String(), "snapshot of 2 talks") {
		t.Fatalf("snapshot while serve runs: exit %d\n%s\n%s", code, p.stdout, p.stderr)
	}
	p = startMain(t, "snapshot", "--data", data, backup)
	if code := p.wait(t, 30*time.Second); code == 0 || !strings.Contains(p.stderr.String(), "already exists") {
		t.Errorf("snapshot over a folder: exit %d, %s", code, p.stderr)
	}
	stop()

	direct := filepath.Join(t.TempDir(), "direct")
	if out, err := runMain(t, "snapshot", "--data", data, direct); err != nil || !strings.Contains(out, "snapshot of 2 talks") {
		t.Errorf("snapshot without serve: %v %s", err, out)
	}
	_, base, _ := startServeMain(t, nil, "--data", backup)
	if n := talkTotal(t, base, "Dachstandort"); n != 1 {
		t.Errorf("serve from the snapshot: Dachstandort finds %d talks", n)
	}
	if rec, err := readCorpusRecord(backup); err != nil || rec == nil || rec.Corpus != decks {
		t.Errorf("the snapshot's corpus record: %+v %v", rec, err)
	}
}

// TestStalePublishRemoved: the snapshot folder of a killed publish is
// removed by the next clean-up; that of a running one is kept.
func TestStalePublishRemoved(t *testing.T) {
	data := t.TempDir()
	killed := filepath.Join(data, publishTempPrefix+"2147483646-123")
	running := filepath.Join(data, fmt.Sprintf("%s%d-456", publishTempPrefix, os.Getpid()))
	for _, dir := range []string{killed, running} {
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	m := NewMain()
	m.Config.Data = data
	m.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	m.removeOldGenerations()
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("the killed publish's folder is still there: %v", err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("the running publish's folder was removed: %v", err)
	}
}

// TestSearchWhileServeRuns: `search` on a data folder that serve holds
// asks that serve through its control socket, with the same answer and
// the same refusal of a bad query as on its own.
func TestSearchWhileServeRuns(t *testing.T) {
	data := t.TempDir()
	runServe(t, 60*time.Second, nil, "--data", data, "--isolate=false", "--previews=false")
	out, err := runMain(t, "search", "--data", data, "Freifunk")
	if err != nil || !strings.Contains(out, "freifunk-gera") || !strings.Contains(out, "Folie") {
		t.Fatalf("search beside serve: %v\n%s", err, out)
	}
	out, err = runMain(t, "search", "--json", "--data", data, "--state", "Thüringen", "Freifunk")
	var body struct {
		Total int `json:"total"`
		Data  []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err != nil || json.Unmarshal([]byte(out), &body) != nil || body.Total != 1 || body.Data[0].ID != "freifunk-gera" {
		t.Errorf("search --json beside serve: %v\n%s", err, out)
	}
	if _, err := runMain(t, "search", "--data", data, strings.Repeat("x", 5000)); err == nil {
		t.Error("a query over the length limit was answered")
	}
}
