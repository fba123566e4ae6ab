// Package searchtest builds generated archives for benchmarks of the
// search package and of the API: talks of fifty slides each, written from
// a German administrative vocabulary with a fixed seed, so every run sees
// the same archive.
package searchtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/search"
)

// PerTalk is the number of slides of each generated talk.
const PerTalk = 50

// CacheEnv names the environment variable of a folder where generated
// archives are kept between runs (one sub-folder per size). Without it,
// each run builds its archive in a temporary folder.
const CacheEnv = "TALKSEARCH_BENCH_DIR"

// ThesaurusEnv names the environment variable of the thesaurus the
// index is opened with, as serve opens it: a file, or "none". Unset, it
// is search.DefaultThesaurusFile when installed.
const ThesaurusEnv = "TALKSEARCH_BENCH_THESAURUS"

// Index returns an open index of about the given number of slides. With
// TALKSEARCH_BENCH_DIR set, an archive built before with the same size and
// index version is reused; otherwise it is built (a few minutes for
// 100,000 slides). The index is closed when tb's test ends.
func Index(tb testing.TB, slides int) *search.Index {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "index")
	if cache := os.Getenv(CacheEnv); cache != "" {
		dir = filepath.Join(cache, fmt.Sprintf("slides-%d", slides))
	}
	opt, err := options()
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := search.Open(dir, opt)
	if errors.Is(err, search.ErrNeedsRebuild) {
		if err = os.RemoveAll(dir); err == nil {
			ix, err = search.Open(dir, opt)
		}
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	st, err := ix.Stats(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if want := talks(slides); st.Talks == want {
		return ix
	} else if st.Talks != 0 {
		tb.Fatalf("searchtest: %s holds %d talks, want %d: remove it", dir, st.Talks, want)
	}
	if err := Fill(context.Background(), ix, slides); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// options are the options of the index: the thesaurus of ThesaurusEnv.
func options() (search.Options, error) {
	path := os.Getenv(ThesaurusEnv)
	if path == "none" {
		return search.Options{}, nil
	}
	explicit := path != ""
	if !explicit {
		path = search.DefaultThesaurusFile
	}
	th, err := search.LoadThesaurus(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return search.Options{}, nil
	}
	if err != nil {
		return search.Options{}, err
	}
	return search.Options{Thesaurus: th}, nil
}

func talks(slides int) int { return max(slides/PerTalk, 1) }

// batchTalks is the number of talks written in one batch: 1,000 slides,
// as indexer.Config.BatchPages writes them.
const batchTalks = 1000 / PerTalk

// Fill writes the generated archive of about the given number of slides
// into ix, in batches of 1,000 slides, and compacts it, as an index run
// does.
func Fill(ctx context.Context, ix *search.Index, slides int) error {
	var batch []search.Doc
	g := newGenerator()
	n := talks(slides)
	for i := range n {
		batch = append(batch, g.talk(i))
		if len(batch) == batchTalks || i == n-1 {
			if err := ix.Index(ctx, batch...); err != nil {
				return fmt.Errorf("searchtest: %w", err)
			}
			batch = batch[:0]
		}
	}
	if err := ix.Compact(ctx); err != nil {
		return fmt.Errorf("searchtest: %w", err)
	}
	return nil
}

var (
	heads   = strings.Fields("Digital Verwaltung Rechnung Akte Schul Bürger Daten Netz Sicherheit Archiv Dienst Portal Konto Haushalt Personal Bau Straßen Verkehr Melde Steuer Gewerbe Standes Ordnungs Sozial Jugend Umwelt Kataster Wahl Rats Kita Feuerwehr Beschaffungs Vergabe Förder Breitband Cloud Server Anwendungs Informations Kommunikations Prozess Projekt Qualitäts Wissens Lern Medien Geo Open Register Antrags Bescheid Post Scan Signatur Zahlungs Kassen Buchungs Lizenz Rechen Telefon Service")
	tails   = strings.Fields("amt behörde verfahren system plattform dienst konzept strategie gesetz prozess portal register stelle akte daten netz zentrum modell lösung betrieb leitung planung verwaltung sicherheit archiv rechnung konto schnittstelle anbindung umsetzung einführung pilot projekt team labor werkstatt katalog standard norm richtlinie")
	endings = []string{"", "en", "e", "s", "er"}
	states  = []string{"Sachsen", "Thüringen", "Sachsen-Anhalt", "Brandenburg", "Berlin", "Bayern", "Hessen", "Niedersachsen", "bundesweit"}
	kinds   = []string{"Vortrag", "Vortrag", "Vortrag", "Workshop", "Keynote", "Diskussion"}
)

type generator struct{ rng *rand.Rand }

func newGenerator() *generator { return &generator{rng: rand.New(rand.NewPCG(1, 2))} }

func (g *generator) word() string {
	w := heads[g.rng.IntN(len(heads))] + tails[g.rng.IntN(len(tails))]
	return w + endings[g.rng.IntN(len(endings))]
}

// talk is the i-th generated talk with its slides.
func (g *generator) talk(i int) search.Doc {
	year := 2000 + i%25
	ev := search.Event{ID: fmt.Sprintf("itf%d", year), Name: fmt.Sprintf("%d. Mitteldeutscher IT-Fachtag", year-1996), Year: year}
	t := search.Talk{
		ID: fmt.Sprintf("talk-%05d", i), Title: g.word() + " in der " + g.word(), Kind: kinds[i%len(kinds)], Event: ev,
		Speakers: []search.Speaker{{Name: fmt.Sprintf("Person %d", i%400), Organisation: fmt.Sprintf("Stadt %d", i%150)}},
		States:   []string{states[i%len(states)]}, Topics: []string{heads[i%40] + "isierung", tails[i%30]},
		File: ev.ID + "/slides/" + fmt.Sprint(i) + ".pdf", Order: i,
	}
	d := search.Doc{Talk: t}
	for p := 1; p <= PerTalk; p++ {
		words := make([]string, 30+g.rng.IntN(30))
		for w := range words {
			words[w] = g.word()
		}
		d.Slides = append(d.Slides, search.Slide{Page: p, Text: strings.Join(words, " ")})
	}
	return d
}
