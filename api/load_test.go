package api

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talksearch/talksearch/search/searchtest"
)

// hostileQueries are the expensive queries of the load test: finding 1
// of issue 13 (125 two-letter prefixes), other prefix floods, and long
// lists of typos that each ask for fuzzy expansion.
var hostileQueries = []string{
	hostileQuery,
	strings.TrimSpace(strings.Repeat("ab* an* au* ei* er* zu* ve* ge* ", 15)),
	strings.TrimSpace(strings.Repeat("Verwaltugn Digitalisirung Rechnugn Sicherhiet Schnitstelle ", 6)),
	strings.TrimSpace(strings.Repeat("d* s* a* ", 50)),
}

// plainQueries are what municipal staff type, run beside the hostile ones.
var plainQueries = []string{
	"/api/v1/search?q=Digitalisierung",
	"/api/v1/search?q=Rechnungen+digital",
	"/api/v1/search?q=eAkte&state=Sachsen",
	"/api/v1/search?q=Schulverwaltung",
}

// TestHostileLoad is issue 13's load test: 32 clients send hostile
// queries at once while one client sends plain ones. The server's
// resident memory must stay under 1 GiB, every request must be answered
// within its deadline (plus a second), hostile ones with 200 (degraded)
// or 429 (the expensive-query limit), and plain queries must keep their
// usual latency.
//
// The race detector multiplies memory and time, so under it the test
// skips; .ci/run runs it once more without it. By default it runs on a 2,000-slide archive for a few
// seconds; the figure is measured on 100,000 slides:
//
//	TALKSEARCH_LOAD_SLIDES=100000 TALKSEARCH_BENCH_DIR=/tmp/tsbench go test -run TestHostileLoad -v -timeout 60m ./api
func TestHostileLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test; not in -short")
	}
	if raceEnabled {
		t.Skip("memory and latency mean nothing under the race detector; run without -race (as .ci/run does)")
	}
	slides, run := 2000, 4*time.Second
	if n, err := strconv.Atoi(os.Getenv("TALKSEARCH_LOAD_SLIDES")); err == nil && n > 0 {
		slides, run = n, 30*time.Second
	}
	ix := searchtest.Index(t, slides)
	const deadline = 5 * time.Second
	srv := httptest.NewServer(New(Config{Timeout: deadline}, ix))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	// Warm up, then measure plain queries alone.
	get(t, client, srv.URL+plainQueries[0])
	alone := plainLatencies(t, client, srv.URL, 40, nil)

	runtime.GC()
	debug.FreeOSMemory()
	var peak atomic.Int64
	stopRSS := sampleRSS(t, &peak)
	var (
		wg       sync.WaitGroup
		stop     = make(chan struct{})
		mu       sync.Mutex
		codes    = map[int]int{}
		slowest  time.Duration
		problems []string
	)
	for c := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := hostileQueries[i%len(hostileQueries)]
				began := time.Now()
				code, body := get(t, client, srv.URL+"/api/v1/search?q="+url.QueryEscape(q))
				took := time.Since(began)
				mu.Lock()
				codes[code]++
				slowest = max(slowest, took)
				if code != http.StatusOK && code != http.StatusTooManyRequests || took > deadline+time.Second {
					problems = append(problems, fmt.Sprintf("%d after %s: %.200s", code, took, body))
				}
				mu.Unlock()
				if code == http.StatusTooManyRequests {
					time.Sleep(100 * time.Millisecond) // a client that obeys Retry-After only a little
				}
			}
		}()
	}
	time.Sleep(500 * time.Millisecond) // let the flood build up
	during := plainLatencies(t, client, srv.URL, 0, stopAfter(run))
	close(stop)
	wg.Wait()
	stopRSS()

	p50Alone, p50During := percentile(alone, 50), percentile(during, 50)
	t.Logf("%d slides: hostile answers %v, slowest %s; peak RSS %d MiB; plain p50 alone %s, during the flood %s (%d queries), p95 %s",
		slides, codes, slowest.Round(time.Millisecond), peak.Load()>>20, p50Alone, p50During, len(during), percentile(during, 95))
	if len(problems) > 0 {
		t.Errorf("%d hostile requests failed or overran the deadline, e.g. %s", len(problems), problems[0])
	}
	if codes[http.StatusOK] == 0 {
		t.Error("no hostile query was answered at all")
	}
	if rss := peak.Load(); rss >= 1<<30 {
		t.Errorf("peak RSS %d MiB, want < 1024", rss>>20)
	}
	// The flood may cost plain queries a little CPU, never their
	// usability: at most three times their usual median, with 50 ms of
	// slack for a noisy two-core machine.
	if p50During > 3*p50Alone+50*time.Millisecond {
		t.Errorf("plain queries slowed from p50 %s to %s under the flood", p50Alone, p50During)
	}
}

// plainLatencies runs the plain queries one after another, n times or,
// with n 0, until done is closed, and returns their latencies. Each must
// answer 200.
func plainLatencies(t *testing.T, client *http.Client, base string, n int, done <-chan struct{}) []time.Duration {
	var out []time.Duration
	for i := 0; n == 0 || i < n; i++ {
		if done != nil {
			select {
			case <-done:
				return out
			default:
			}
		}
		began := time.Now()
		if code, body := get(t, client, base+plainQueries[i%len(plainQueries)]); code != http.StatusOK {
			t.Errorf("plain query %s: %d %.200s", plainQueries[i%len(plainQueries)], code, body)
		}
		out = append(out, time.Since(began))
	}
	return out
}

func stopAfter(d time.Duration) <-chan struct{} {
	c := make(chan struct{})
	time.AfterFunc(d, func() { close(c) })
	return c
}

func get(t *testing.T, client *http.Client, u string) (int, []byte) {
	resp, err := client.Get(u)
	if err != nil {
		t.Errorf("GET %s: %v", u, err)
		return 0, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(100 * time.Microsecond)
}

// sampleRSS records the process's peak resident memory (VmRSS, every
// 20 ms) in peak until the returned function is called.
func sampleRSS(t *testing.T, peak *atomic.Int64) (stop func()) {
	if _, err := readRSS(); err != nil {
		t.Skipf("no /proc/self/status here: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss, err := readRSS(); err == nil && rss > peak.Load() {
				peak.Store(rss)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// readRSS reads VmRSS of this process in bytes.
func readRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}
