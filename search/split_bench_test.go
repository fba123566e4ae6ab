package search

import (
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func BenchmarkSplit(b *testing.B) {
	d, err := loadDictionary()
	if err != nil {
		b.Fatal(err)
	}
	words := []string{"verwaltungsdigitalisierungsstrategieentwicklungsplan", "strassenverkehrsbehorde", "rechnungseingangsbearbeitungsprozess", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bildungsinfrastrukturinvestitionsprogramm"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, w := range words {
			d.split(w)
		}
	}
}

// BenchmarkDecompoundFilter runs the index-time decompounder over a
// slide's worth of words that repeat, as an archive's words do.
func BenchmarkDecompoundFilter(b *testing.B) {
	d, err := loadDictionary()
	if err != nil {
		b.Fatal(err)
	}
	f := &decompoundFilter{dict: d, keepWhole: true}
	words := strings.Fields("verwaltungsdigitalisierung strassenverkehrsbehorde rechnungseingang bildungsinfrastruktur schulverwaltung burgerportal haushaltsplanung datenschutzbeauftragter und die der")
	b.ReportAllocs()
	for b.Loop() {
		in := make(analysis.TokenStream, len(words))
		for i, w := range words {
			in[i] = &analysis.Token{Term: []byte(w), Position: i + 1}
		}
		f.Filter(in)
	}
}
