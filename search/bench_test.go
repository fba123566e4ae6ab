package search_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/talksearch/talksearch/search"
	"github.com/talksearch/talksearch/search/searchtest"
)

// benchQueries are searches with facets as the page runs them: plain
// words, a compound, two words, a filter, a typo and a question.
var benchQueries = []search.Query{
	{Text: "Digitalisierung"},
	{Text: "Rechnungen digital"},
	{Text: "eAkte", Filters: map[string][]string{search.FieldState: {"Sachsen"}}},
	{Text: "Bürgerportal"},
	{Text: "Verwaltungsplattform Sicherheit"},
	{Text: "Schnittstele"},
	{Text: "Wie funktioniert die Vergabeplattform?"},
	{Text: "Haushaltsplanung", Filters: map[string][]string{search.FieldYear: {"2021"}, search.FieldKind: {"Vortrag"}}},
	{Text: ""},
}

// BenchmarkSearchFacets measures in-process searches with facets and
// passages, and reports the latency percentiles over all queries. With
// TALKSEARCH_BENCH_SLIDES=100000 it runs on a generated archive of that
// many slides (set TALKSEARCH_BENCH_DIR to keep it between runs):
//
//	TALKSEARCH_BENCH_SLIDES=100000 TALKSEARCH_BENCH_DIR=/var/tmp/talksearch-bench \
//	  go test -run '^$' -bench SearchFacets -benchtime 400x -timeout 60m ./search
func BenchmarkSearchFacets(b *testing.B) {
	slides := 4000
	if n, err := strconv.Atoi(os.Getenv("TALKSEARCH_BENCH_SLIDES")); err == nil && n > 0 {
		slides = n
	}
	ix := searchtest.Index(b, slides)
	ctx := context.Background()
	for _, q := range benchQueries { // warm the caches of the index files
		if _, err := ix.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("slides="+strconv.Itoa(slides), func(b *testing.B) {
		b.ReportAllocs()
		var took []time.Duration
		i := 0
		for b.Loop() {
			start := time.Now()
			if _, err := ix.Search(ctx, benchQueries[i%len(benchQueries)]); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
			i++
		}
		reportPercentiles(b, took)
	})
}

// reportPercentiles adds p50, p95 and p99 in milliseconds to the
// benchmark's line.
func reportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
