package indexer

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/testpdf"
)

// TestProgress: Config.Progress hears the number of talks to build
// first, then every built talk, and its last call matches the report.
func TestProgress(t *testing.T) {
	deck := testpdf.SampleDeck(t, "eakte-plauen")
	fsys := fstest.MapFS{
		"a.pdf": {Data: deck},
		"b.pdf": {Data: deck},
		"c.pdf": {Data: []byte("kein PDF")},
	}
	cat, _ := corpus.Load(fsys)
	var calls []Progress
	in := New(Config{Workers: 2, Progress: func(p Progress) { calls = append(calls, p) }}, openIndex(t), nil)
	rep, err := in.Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 4 || calls[0] != (Progress{Talks: 3}) {
		t.Fatalf("calls = %+v", calls)
	}
	done := make([]int, len(calls))
	for i, c := range calls {
		done[i] = c.Done
	}
	if !slices.Equal(done, []int{0, 1, 2, 3}) {
		t.Errorf("done = %v", done)
	}
	last := calls[len(calls)-1]
	if last.Pages != rep.Pages || last.Pages == 0 || last.Failed != 1 || last.Talks != 3 {
		t.Errorf("last = %+v, report = %+v", last, rep)
	}
}

// TestHold: a held talk is neither rebuilt nor removed, whether its
// file changed or it left the catalogue; the next run without the hold
// catches up.
func TestHold(t *testing.T) {
	deck := testpdf.SampleDeck(t, "eakte-plauen")
	fsys := fstest.MapFS{"a.pdf": {Data: deck}, "b.pdf": {Data: deck}}
	cat, _ := corpus.Load(fsys)
	ix := openIndex(t)
	ctx := context.Background()
	if _, err := New(Config{}, ix, nil).Run(ctx, cat, fsys); err != nil {
		t.Fatal(err)
	}
	// a changes (half copied), b leaves the catalogue: both are held.
	fsys["a.pdf"] = &fstest.MapFile{Data: deck[:100]}
	delete(fsys, "b.pdf")
	cat, _ = corpus.Load(fsys)
	hold := func(id string) bool { return id == "a" || id == "b" }
	rep, err := New(Config{Hold: hold}, ix, nil).Run(ctx, cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := ix.TalkIDs(ctx)
	if rep.Held != 1 || rep.Indexed != 0 || rep.Removed != 0 || len(ids) != 2 {
		t.Errorf("held run: report %+v, index %v", rep, ids)
	}
	rep, err = New(Config{}, ix, nil).Run(ctx, cat, fsys)
	ids, _ = ix.TalkIDs(ctx)
	if err != nil || rep.Indexed != 1 || rep.Removed != 1 || len(ids) != 1 {
		t.Errorf("next run: %v, report %+v, index %v", err, rep, ids)
	}
}
