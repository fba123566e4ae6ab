package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// segments is the number of segments of ix's current snapshot.
func segments(t *testing.T, ix *Index) uint64 {
	t.Helper()
	adv, err := ix.b.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	m := adv.(*scorch.Scorch).StatsMap()
	return m["TotFileSegmentsAtRoot"].(uint64) + m["TotMemorySegmentsAtRoot"].(uint64)
}

func TestCompact(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for i := range 6 { // one batch, at least one segment, each
		d := Doc{Talk: Talk{ID: fmt.Sprintf("t%d", i), Title: "Rechnung Nummer " + fmt.Sprint(i), Kind: "Vortrag"},
			Slides: []Slide{{Page: 1, Text: "Die E-Rechnung im Rathaus"}, {Page: 2, Text: "Rechnungseingang digital"}}}
		if err := ix.Index(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if n := segments(t, ix); n < 2 {
		t.Fatalf("before Compact: %d segments, want several", n)
	}
	ids := func() []string {
		res, err := ix.Search(ctx, Query{Text: "Rechnung", Slides: 2})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Talks {
			out = append(out, h.ID, fmt.Sprint(len(h.Slides)))
		}
		return out
	}
	before := ids()
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if n := segments(t, ix); n != 1 {
		t.Errorf("after Compact: %d segments, want 1", n)
	}
	if after := ids(); !slices.Equal(before, after) || len(after) != 12 {
		t.Errorf("results changed by Compact:\nbefore %v\nafter  %v", before, after)
	}
}
