package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search/searchtest"
)

// Benchmarks of the API through the whole middleware chain, on the test
// archive and, with TALKSEARCH_BENCH_SLIDES=100000, on a generated archive
// of that many slides (searchtest: 50 per talk; building it takes a few
// minutes, TALKSEARCH_BENCH_DIR keeps it between runs):
//
//	go test -run '^$' -bench . -benchmem ./api
//	TALKSEARCH_BENCH_SLIDES=100000 go test -run '^$' -bench . -benchtime 2s -timeout 60m ./api

// suggestInputs are what people type, a keystroke at a time.
var suggestInputs = []string{"Di", "Dig", "Digi", "Digit", "Verw", "Verwal", "Rech", "Rechnu", "Schul", "eAk", "eAkte Pl", "Werk", "Stra", "Bürg", "Buerg", "Sich", "Open D"}

func BenchmarkAPI(b *testing.B) {
	sizes := []int{0} // the 25-talk test archive
	if n, err := strconv.Atoi(os.Getenv("TALKSEARCH_BENCH_SLIDES")); err == nil && n > 0 {
		sizes = append(sizes, n)
	}
	for _, slides := range sizes {
		var e *echo.Echo
		name := "talks=25"
		if slides == 0 {
			e, _ = newTestApp(b, Config{})
		} else {
			ix := searchtest.Index(b, slides)
			e = New(Config{}, ix)
			name = fmt.Sprintf("slides=%d", slides)
		}
		get := func(b *testing.B, targets []string) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, targets[i%len(targets)], nil)
				req.Header.Set("Accept-Encoding", "gzip")
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", targets[i%len(targets)], rec.Code, rec.Body)
				}
				i++
			}
		}
		var suggest []string
		for _, in := range suggestInputs {
			suggest = append(suggest, "/api/v1/suggest?q="+strings.ReplaceAll(in, " ", "+"))
		}
		b.Run(name+"/suggest", func(b *testing.B) { get(b, suggest) })
		b.Run(name+"/search", func(b *testing.B) {
			get(b, []string{"/api/v1/search?q=Digitalisierung", "/api/v1/search?q=Rechnungen+digital", "/api/v1/search?q=eAkte&state=Sachsen"})
		})
		b.Run(name+"/browse", func(b *testing.B) {
			get(b, []string{"/api/v1/talks", "/api/v1/talks?state=Sachsen&topic=OZG", "/api/v1/search?year=2021&sort=title"})
		})
	}
}
