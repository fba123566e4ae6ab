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
	// One batch, at least one segment, each. bleve's persister may merge
	// the segments of batches that arrive while it writes, so batches
	// are added until the index has several segments.
	talks := 0
	for ; talks < 6 || (segments(t, ix) < 2 && talks < 100); talks++ {
		d := Doc{Talk: Talk{ID: fmt.Sprintf("t%d", talks), Title: "Rechnung Nummer " + fmt.Sprint(talks), Kind: "Vortrag"},
			Slides: []Slide{{Page: 1, Text: "Die E-Rechnung im Rathaus"}, {Page: 2, Text: "Rechnungseingang digital"}}}
		if err := ix.Index(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if n := segments(t, ix); n < 2 {
		t.Fatalf("before Compact: %d segments after %d batches, want several", n, talks)
	}
	ids := func() []string {
		res, err := ix.Search(ctx, Query{Text: "Rechnung", Slides: 2, Size: talks})
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
	if after := ids(); !slices.Equal(before, after) || len(after) != 2*talks {
		t.Errorf("results changed by Compact:\nbefore %v\nafter  %v", before, after)
	}
}
