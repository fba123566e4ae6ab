package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/talksearch/talksearch/search"
)

// mixQuery is one line of the query mix.
type mixQuery struct {
	Category string
	Text     string
	Filters  url.Values
}

// readMix reads the query mix: category, text and filters (URL query
// syntax) separated by tabs; '#' starts a comment line.
func readMix(name string) ([]mixQuery, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("query mix: %w", err)
	}
	defer f.Close()
	var mix []mixQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("query mix %s:%d: want category, text and filters separated by tabs", name, n)
		}
		filters, err := url.ParseQuery(parts[2])
		if err != nil {
			return nil, fmt.Errorf("query mix %s:%d: filters: %w", name, n, err)
		}
		mix = append(mix, mixQuery{Category: parts[0], Text: parts[1], Filters: filters})
	}
	if len(mix) == 0 {
		return nil, fmt.Errorf("query mix %s is empty", name)
	}
	return mix, sc.Err()
}

// query is the search.Query of a mix line.
func (q mixQuery) query() search.Query {
	sq := search.Query{Text: q.Text}
	if len(q.Filters) > 0 {
		sq.Filters = map[string][]string(q.Filters)
	}
	return sq
}

// path is the API request of a mix line.
func (q mixQuery) path() string {
	v := url.Values{"q": {q.Text}}
	for k, vals := range q.Filters {
		v[k] = vals
	}
	return "/api/v1/search?" + v.Encode()
}

// latencies are the quantiles of a series of requests, in milliseconds.
type latencies struct {
	P50, P95, P99 float64
	N, Errors     int
	PerSecond     float64
	// Refused counts the answers other than 200 by status, as the
	// server logged them (wrk counts them among Errors).
	Refused map[int]int
	// ByCategory holds the quantiles of each category of the mix
	// (in-process only).
	ByCategory map[string]latencies
}

// inProcess opens the index and runs the mix rounds times, one query at a
// time, after one round to warm up. With a profile file name, it writes
// the CPU profile of the measured rounds there.
func inProcess(dir string, mix []mixQuery, rounds int, profile string) (latencies, error) {
	ix, err := search.Open(dir, search.Options{ReadOnly: true})
	if err != nil {
		return latencies{}, err
	}
	defer ix.Close()
	stop, err := startProfile(profile)
	if err != nil {
		return latencies{}, err
	}
	defer stop()
	ctx := context.Background()
	var all []time.Duration
	byCat := map[string][]time.Duration{}
	errs := 0
	for r := -1; r < rounds; r++ {
		for _, q := range mix {
			began := time.Now()
			res, err := ix.Search(ctx, q.query())
			d := time.Since(began)
			if err != nil || len(res.Facets) == 0 {
				errs++
			}
			if r >= 0 {
				all = append(all, d)
				byCat[q.Category] = append(byCat[q.Category], d)
			}
		}
	}
	l := quantilesOf(all)
	l.Errors = errs
	l.ByCategory = map[string]latencies{}
	for cat, times := range byCat {
		l.ByCategory[cat] = quantilesOf(times)
	}
	return l, nil
}

// startProfile starts a CPU profile into file (none for ""), after
// which stop ends it.
func startProfile(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// quantilesOf sorts times and returns their quantiles.
func quantilesOf(times []time.Duration) latencies {
	slices.Sort(times)
	q := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1)+0.5)]) / 1e6 }
	return latencies{P50: q(0.50), P95: q(0.95), P99: q(0.99), N: len(times)}
}

// warmUp sends the mix once over HTTP; every answer must be 200.
func warmUp(base string, mix []mixQuery) error {
	for _, q := range mix {
		resp, err := http.Get(base + q.path())
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", q.path(), resp.Status)
		}
	}
	return nil
}

// wrkScript cycles each wrk thread through the mix and prints the
// summary benchscale reads.
const wrkScript = `local paths = {%s}
local i = 0
function setup(thread) thread:set("offset", math.random(#paths)) end
function init(args) i = offset or 0 end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCHSCALE %%d %%d %%d %%.3f %%.3f %%.3f\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
`

// runWrk loads base with the mix from clients connections.
func runWrk(base string, mix []mixQuery, clients int, d time.Duration, tmp string) (latencies, error) {
	var paths []string
	for _, q := range mix {
		paths = append(paths, strconv.Quote(q.path()))
	}
	script := filepath.Join(tmp, "mix.lua")
	if err := os.WriteFile(script, fmt.Appendf(nil, wrkScript, strings.Join(paths, ", ")), 0o644); err != nil {
		return latencies{}, err
	}
	// One wrk thread drives 32 connections easily and leaves the two
	// cores to the server.
	out, err := exec.Command("wrk", "-t", "1", "-c", strconv.Itoa(clients), "-d", d.String(),
		"--timeout", "10s", "-s", script, base).CombinedOutput()
	if err != nil {
		return latencies{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "BENCHSCALE "); ok {
			var l latencies
			var micros int64
			if _, err := fmt.Sscan(rest, &l.N, &l.Errors, &micros, &l.P50, &l.P95, &l.P99); err != nil {
				return l, fmt.Errorf("wrk summary %q: %w", line, err)
			}
			l.PerSecond = float64(l.N) / (float64(micros) / 1e6)
			return l, nil
		}
	}
	return latencies{}, fmt.Errorf("wrk printed no summary:\n%s", out)
}
