// Command scalegen writes a synthetic archive of German conference talks
// for the scale benchmarks (cmd/benchscale): real PDF slide decks and one
// manifest.json per event, a folder that `talksearch index --corpus`
// reads and corpus.LoadDir accepts.
//
// Usage:
//
//	scalegen -out DIR [-pages N | -talks N] [-seed S] [-workers W]
//	scalegen -model-from corpus/sample/src -model-out cmd/scalegen/model.json
//
// The slide text draws its words (compounds as written), the words that
// follow them and the lengths of titles, slides and bullets from the
// sample corpus's slide sources, summarised in the committed model.json;
// words are drawn with Zipf frequencies over their sample ranks. Each
// talk has 8 to 40 slides. Speakers come from a pool of 600 synthetic
// names, each working in one of the 16 states; 48 topics. The output is
// the same, byte for byte, for the same seed and size: every random draw
// comes from PCG sources seeded with -seed (the catalogue from one, each
// deck from its own), and nothing depends on map order or on -workers.
//
// When done it writes DIR/scalegen.json (seed, size, version), which
// cmd/benchscale compares to reuse a generated archive.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/talksearch/talksearch/corpus"
)

// version changes whenever the same seed would produce other output.
const version = 1

// Stamp is DIR/scalegen.json: what was generated.
type Stamp struct {
	Version int    `json:"version"`
	Seed    uint64 `json:"seed"`
	Talks   int    `json:"talks"`
	Pages   int    `json:"pages"`
	Events  int    `json:"events"`
}

// StampName is the file name of the Stamp inside the output folder.
const StampName = "scalegen.json"

type options struct {
	out            string
	seed           uint64
	talks, pages   int
	workers        int
	perEvent       int
	modelFrom, mdl string
}

func main() {
	var o options
	flag.StringVar(&o.out, "out", "", "folder to write the archive into")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed and size give the same bytes")
	flag.IntVar(&o.pages, "pages", 0, "generate talks until the archive has this many slides")
	flag.IntVar(&o.talks, "talks", 0, "generate this many talks (instead of -pages)")
	flag.IntVar(&o.workers, "workers", runtime.GOMAXPROCS(0), "decks written in parallel")
	flag.IntVar(&o.perEvent, "talks-per-event", 50, "talks per event folder")
	flag.StringVar(&o.modelFrom, "model-from", "", "rebuild the model from this folder of slide sources (*.md) and exit")
	flag.StringVar(&o.mdl, "model-out", "model.json", "where -model-from writes the model")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "scalegen:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.modelFrom != "" {
		m, err := buildModel(o.modelFrom)
		if err != nil {
			return err
		}
		return writeModel(m, o.mdl)
	}
	switch {
	case o.out == "":
		return errors.New("-out is required")
	case (o.pages > 0) == (o.talks > 0):
		return errors.New("give exactly one of -pages and -talks, positive")
	case o.perEvent < 1 || o.workers < 1:
		return errors.New("-talks-per-event and -workers must be positive")
	}
	st, err := generate(o)
	if err != nil {
		return err
	}
	fmt.Printf("scalegen: %d talks, %d pages in %d events written to %s\n", st.Talks, st.Pages, st.Events, o.out)
	return nil
}

// generate writes the archive and its stamp into o.out.
func generate(o options) (Stamp, error) {
	m, err := loadModel()
	if err != nil {
		return Stamp{}, err
	}
	w := newWriter(m)
	pl := newPlanner(o.seed, w, o.perEvent).makePlan(o.talks, o.pages)
	st := Stamp{Version: version, Seed: o.seed, Pages: pl.pages, Events: len(pl.events)}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return st, fmt.Errorf("create %s: %w", o.out, err)
	}
	// A stamp left by an earlier run is no longer true while we write.
	if err := os.Remove(filepath.Join(o.out, StampName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return st, err
	}
	var g errgroup.Group
	g.SetLimit(o.workers)
	for _, ev := range pl.events {
		st.Talks += len(ev.talks)
		if err := writeManifest(o.out, ev); err != nil {
			return st, err
		}
		for _, t := range ev.talks {
			g.Go(func() error {
				name := filepath.Join(o.out, ev.event.ID, filepath.FromSlash(t.talk.Files.Slides))
				return os.WriteFile(name, writePDF(t.talk.Title, w.deck(o.seed, ev.event, t)), 0o644)
			})
		}
	}
	if err := g.Wait(); err != nil {
		return st, fmt.Errorf("write deck: %w", err)
	}
	data, _ := json.MarshalIndent(st, "", "  ")
	return st, os.WriteFile(filepath.Join(o.out, StampName), append(data, '\n'), 0o644)
}

// writeManifest writes an event's folder, its slides folder and its
// manifest.json.
func writeManifest(out string, ev eventPlan) error {
	dir := filepath.Join(out, ev.event.ID)
	if err := os.MkdirAll(filepath.Join(dir, "slides"), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	mf := struct {
		Event corpus.Event  `json:"event"`
		Talks []corpus.Talk `json:"talks"`
	}{Event: ev.event}
	for _, t := range ev.talks {
		mf.Talks = append(mf.Talks, t.talk)
	}
	data, err := json.MarshalIndent(mf, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest of %s: %w", ev.event.ID, err)
	}
	return os.WriteFile(filepath.Join(dir, corpus.ManifestName), append(data, '\n'), 0o644)
}
