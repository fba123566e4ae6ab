package search

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// TestTokenCounter compares the counter with the analyzers it stands for,
// on the sample corpus's talk sources and on words the chain treats
// specially.
func TestTokenCounter(t *testing.T) {
	ix := mustOpenTech(t)
	texts := []string{
		"Die eAkte, die E-Akte und die E Akte sind dasselbe.",
		"Servicekontoportal und Rechnungseingangsbuch im Landratsamt",
		"Am 12. März 2018 um 9:30 Uhr, Raum 2.14",
	}
	srcs, err := filepath.Glob(filepath.Join("..", "corpus", "sample", "src", "*.md"))
	if err != nil || len(srcs) == 0 {
		t.Fatalf("sample sources: %v (%d files)", err, len(srcs))
	}
	for _, p := range srcs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	var got, want [3]int
	for _, text := range texts {
		w, p := ix.counter.count(text)
		got[0], got[1], got[2] = got[0]+w, got[1]+p, got[2]+w+p
		want[0] += len(ix.analyzeWith(analyzerWhole, text))
		want[1] += len(ix.analyzeWith(analyzerParts, text))
		want[2] += len(ix.analyzeWith(analyzerAll, text))
	}
	for i, name := range []string{analyzerWhole, analyzerParts, analyzerAll} {
		if diff := math.Abs(float64(got[i]-want[i])) / float64(want[i]); diff > 0.01 {
			t.Errorf("%s: counted %d tokens, the analyzer emits %d (%.1f %% off, want at most 1 %%)", name, got[i], want[i], 100*diff)
		}
	}
	if w, _ := ix.counter.count("eAkte"); w != 2 {
		t.Errorf(`count("eAkte") = %d words, want 2 (elektronisch, akte)`, w)
	}
	if w, _ := ix.counter.count("und die oder"); w != 0 {
		t.Errorf(`count("und die oder") = %d words, want 0 (stop words)`, w)
	}
}

// TestBM25AverageLengths checks that searches score with the true average
// length of each field, which a scan of the index's norms gives, and not
// with bleve's estimate (distinct terms / documents).
func TestBM25AverageLengths(t *testing.T) {
	ix := mustOpenTech(t)
	ctx := context.Background()
	snap, err := ix.openSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.r.Close()
	st, _ := snap.ctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats)
	if st == nil {
		t.Fatal("no BM25 statistics in the search context")
	}
	for _, f := range []string{fieldTitle, fieldBody, fieldBodyParts, fieldText} {
		want := averageLength(t, snap.r, f)
		got := math.Ceil(float64(st.FieldCardinality[f]) / st.DocCount) // as bleve reads it
		if math.Abs(got-math.Ceil(want)) > 1 {
			t.Errorf("%s: average length %.0f, the index's norms give %.2f", f, got, want)
		}
	}
	if n, _ := snap.r.DocCount(); st.DocCount != float64(n) {
		t.Errorf("document count %v, want the index's %d (idf unchanged)", st.DocCount, n)
	}
	// Every field of the mapping has statistics: bleve refuses a search
	// that names a field without.
	for _, f := range append(mappedFields(ix.b.Mapping()), "*") {
		if _, ok := st.FieldCardinality[f]; !ok {
			t.Errorf("no statistics for field %q", f)
		}
	}
	// A search that scores every field works.
	if _, err := ix.Search(ctx, Query{Text: "Wie entferne ich Duplikate aus Listen?"}); err != nil {
		t.Fatal(err)
	}
}

// TestBM25StockUnchanged checks that the stock chain keeps bleve's own
// scoring, as the comparison it is.
func TestBM25StockUnchanged(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"), Options{Analysis: AnalysisStock})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index(context.Background(), techDocs()...); err != nil {
		t.Fatal(err)
	}
	snap, err := ix.openSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.r.Close()
	if st := snap.ctx.Value(bsearch.BM25StatsKey); st != nil {
		t.Errorf("stock chain: BM25 statistics %v, want bleve's own", st)
	}
}

// averageLength is the mean length of field over the documents that have
// it, read from the norms of every posting.
func averageLength(t *testing.T, r index.IndexReader, field string) float64 {
	t.Helper()
	d, err := r.FieldDict(field)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	lens := map[string]float64{}
	for {
		e, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			break
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, false)
		if err != nil {
			t.Fatal(err)
		}
		for {
			p, err := tfr.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if p == nil {
				break
			}
			lens[string(p.ID)] = 1 / (p.Norm * p.Norm)
		}
		tfr.Close()
	}
	sum := 0.0
	for _, l := range lens {
		sum += l
	}
	if len(lens) == 0 {
		t.Fatalf("field %s is empty", field)
	}
	return sum / float64(len(lens))
}

// bm25Context is a context in which bleve's own search requests score as
// Search does: with the true average field lengths of the current
// snapshot.
func (ix *Index) bm25Context(t *testing.T) context.Context {
	t.Helper()
	snap, err := ix.openSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.r.Close()
	if snap.table.bm25 == nil {
		return context.Background()
	}
	return context.WithValue(context.Background(), bsearch.BM25StatsKey, snap.table.bm25)
}

// TestBM25TermFrequency checks the weight of a word's count: in two
// talks of equal length, nine mentions of a word score about 1.8 times
// one mention (k1 = 2 on bleve's square-root term frequency), not the 1.6
// times of bleve's default k1.
func TestBM25TermFrequency(t *testing.T) {
	ix := openDocs(t, map[string]string{
		"once": "Drucker Wasser Feuer Garten Schule Baum Haus Licht Stein",
		"nine": "Drucker Drucker Drucker Drucker Drucker Drucker Drucker Drucker Drucker",
	})
	res, err := ix.Search(context.Background(), Query{Text: "Drucker", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]float64{}
	for _, h := range res.Talks {
		score[h.ID] = h.Score
	}
	if score["once"] <= 0 {
		t.Fatalf("scores %v, want both talks", score)
	}
	if r := score["nine"] / score["once"]; r < 1.7 || r > 1.9 {
		t.Errorf("nine mentions score %.3f times one mention, want about 1.8", r)
	}
}
