package search

import "testing"

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
