package api

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// Benchmarks of the API through the whole middleware chain, on the test
// archive and, with TALKSEARCH_BENCH_SLIDES=100000, on a generated archive
// of that many slides (50 per talk; building it takes a few minutes):
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
			ix := generatedIndex(b, slides)
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

// generatedIndex builds an archive of about the given number of slides,
// 50 per talk, from a German administrative vocabulary. With
// TALKSEARCH_BENCH_DIR set it keeps the archive in that folder
// (index-<slides>) and reuses it on the next run.
func generatedIndex(b testing.TB, slides int) *search.Index {
	b.Helper()
	dir := b.TempDir()
	if keep := os.Getenv("TALKSEARCH_BENCH_DIR"); keep != "" {
		dir = filepath.Join(keep, fmt.Sprintf("index-%d", slides))
	}
	ix, err := search.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	if st, err := ix.Stats(context.Background()); err == nil && st.Talks == max(slides/50, 1) {
		return ix // built by an earlier run
	}
	heads := strings.Fields("Digital Verwaltung Rechnung Akte Schul Bürger Daten Netz Sicherheit Archiv Dienst Portal Konto Haushalt Personal Bau Straßen Verkehr Melde Steuer Gewerbe Standes Ordnungs Sozial Jugend Umwelt Kataster Wahl Rats Kita Feuerwehr Beschaffungs Vergabe Förder Breitband Cloud Server Anwendungs Informations Kommunikations Prozess Projekt Qualitäts Wissens Lern Medien Geo Open Register Antrags Bescheid Post Scan Signatur Zahlungs Kassen Buchungs Lizenz Rechen Telefon Service")
	tails := strings.Fields("amt behörde verfahren system plattform dienst konzept strategie gesetz prozess portal register stelle akte daten netz zentrum modell lösung betrieb leitung planung verwaltung sicherheit archiv rechnung konto schnittstelle anbindung umsetzung einführung pilot projekt team labor werkstatt katalog standard norm richtlinie")
	endings := []string{"", "en", "e", "s", "er"}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		w := heads[rng.IntN(len(heads))] + tails[rng.IntN(len(tails))]
		return w + endings[rng.IntN(len(endings))]
	}
	states := []string{"Sachsen", "Thüringen", "Sachsen-Anhalt", "Brandenburg", "Berlin", "Bayern", "Hessen", "Niedersachsen", "bundesweit"}
	kinds := []string{"Vortrag", "Vortrag", "Vortrag", "Workshop", "Keynote", "Diskussion"}
	const perTalk = 50
	talks := max(slides/perTalk, 1)
	var batch []search.Doc
	for i := range talks {
		year := 2000 + i%25
		ev := search.Event{ID: fmt.Sprintf("itf%d", year), Name: fmt.Sprintf("%d. Mitteldeutscher IT-Fachtag", year-1996), Year: year}
		t := search.Talk{
			ID: fmt.Sprintf("talk-%05d", i), Title: word() + " in der " + word(), Kind: kinds[i%len(kinds)], Event: ev,
			Speakers: []search.Speaker{{Name: fmt.Sprintf("Person %d", i%400), Organisation: fmt.Sprintf("Stadt %d", i%150)}},
			States:   []string{states[i%len(states)]}, Topics: []string{heads[i%40] + "isierung", tails[i%30]},
			File: ev.ID + "/slides/" + fmt.Sprint(i) + ".pdf", Order: i,
		}
		d := search.Doc{Talk: t}
		for p := 1; p <= perTalk; p++ {
			words := make([]string, 30+rng.IntN(30))
			for w := range words {
				words[w] = word()
			}
			d.Slides = append(d.Slides, search.Slide{Page: p, Text: strings.Join(words, " ")})
		}
		batch = append(batch, d)
		if len(batch) == 100 || i == talks-1 {
			if err := ix.Index(context.Background(), batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return ix
}
