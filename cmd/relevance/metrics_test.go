package main

import (
	"math"
	"testing"
)

// The expected values are worked out by hand from the definitions:
// gain = 2^rel − 1 (grade 2 → 3, grade 1 → 1), discount at rank r = 1/log2(r+1).
// log2(3) = 1.5849625007, log2(4) = 2, log2(5) = 2.3219280949.
func TestMetrics(t *testing.T) {
	ten := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "a"}
	tests := []struct {
		name       string
		ranked     []string
		rel        judgments
		k          int
		dcg, ideal float64
		ndcg       float64
		rr, recall float64
	}{
		{
			// DCG = 3/1 + 0 + 1/2 = 3.5; ideal = 3/1 + 1/log2(3) = 3.6309297536.
			name: "best first, partial third", ranked: []string{"a", "b", "c"},
			rel: judgments{"a": 2, "c": 1}, k: 10,
			dcg: 3.5, ideal: 3.6309297535714575, ndcg: 0.9639404333166532, rr: 1, recall: 1,
		},
		{
			// DCG = 3/log2(4) = 1.5; ideal = 3.
			name: "only relevant talk third", ranked: []string{"x", "y", "a"},
			rel: judgments{"a": 2}, k: 10,
			dcg: 1.5, ideal: 3, ndcg: 0.5, rr: 1.0 / 3, recall: 1,
		},
		{
			// DCG = 1/1 + 3/log2(3) = 2.8927892607; ideal = 3.6309297536.
			name: "grades swapped", ranked: []string{"b", "a"},
			rel: judgments{"a": 2, "b": 1}, k: 10,
			dcg: 2.892789260714372, ideal: 3.6309297535714575, ndcg: 0.7967075809905066, rr: 1, recall: 1,
		},
		{
			// DCG = 1/1 + 0 + 3/2 + 3/log2(5) = 3.7920296742;
			// ideal = 3/1 + 3/log2(3) + 1/2 = 5.3927892607.
			name: "partial first, both best later", ranked: []string{"c", "x", "a", "b"},
			rel: judgments{"a": 2, "b": 2, "c": 1}, k: 10,
			dcg: 3.792029674220179, ideal: 5.392789260714372, ndcg: 0.7031666714374551, rr: 1, recall: 1,
		},
		{
			// DCG = 1/log2(3); ideal = 1.
			name: "partial second", ranked: []string{"x", "a"},
			rel: judgments{"a": 1}, k: 10,
			dcg: 0.6309297535714575, ideal: 1, ndcg: 0.6309297535714575, rr: 0.5, recall: 1,
		},
		{
			name: "nothing relevant found", ranked: []string{"x", "y"},
			rel: judgments{"a": 2}, k: 10,
			dcg: 0, ideal: 3, ndcg: 0, rr: 0, recall: 0,
		},
		{
			name: "empty result", ranked: nil,
			rel: judgments{"a": 2, "b": 1}, k: 10,
			dcg: 0, ideal: 3.6309297535714575, ndcg: 0, rr: 0, recall: 0,
		},
		{
			// The relevant talk is 11th: outside the cut-off for every metric.
			name: "relevant below the cut-off", ranked: ten,
			rel: judgments{"a": 2}, k: 10,
			dcg: 0, ideal: 3, ndcg: 0, rr: 0, recall: 0,
		},
		{
			// k = 2 of three relevant talks: DCG = ideal = 1 + 1/log2(3);
			// recall = 2/3.
			name: "more relevant talks than k", ranked: []string{"a", "b", "c"},
			rel: judgments{"a": 1, "b": 1, "c": 1}, k: 2,
			dcg: 1.6309297535714575, ideal: 1.6309297535714575, ndcg: 1, rr: 1, recall: 2.0 / 3,
		},
		{
			name: "no judgments", ranked: []string{"a"},
			rel: judgments{}, k: 10,
			dcg: 0, ideal: 0, ndcg: 0, rr: 0, recall: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(what string, got, want float64) {
				t.Helper()
				if math.Abs(got-want) > 1e-12 {
					t.Errorf("%s = %.16g, want %.16g", what, got, want)
				}
			}
			check("dcg", dcg(tt.ranked, tt.rel, tt.k), tt.dcg)
			check("idealDCG", idealDCG(tt.rel, tt.k), tt.ideal)
			check("ndcg", ndcg(tt.ranked, tt.rel, tt.k), tt.ndcg)
			check("reciprocalRank", reciprocalRank(tt.ranked, tt.rel, tt.k), tt.rr)
			check("recall", recall(tt.ranked, tt.rel, tt.k), tt.recall)
		})
	}
}

func TestGain(t *testing.T) {
	for _, tt := range []struct {
		rel  int
		want float64
	}{{-1, 0}, {0, 0}, {1, 1}, {2, 3}, {3, 7}} {
		if got := gain(tt.rel); got != tt.want {
			t.Errorf("gain(%d) = %g, want %g", tt.rel, got, tt.want)
		}
	}
}

func TestMean(t *testing.T) {
	tests := []struct {
		name string
		in   []queryScore
		want scores
	}{
		{"none", nil, scores{}},
		{"one", []queryScore{{NDCG: 0.25, RR: 0.5, Recall: 1}}, scores{Queries: 1, NDCG: 0.25, MRR: 0.5, Recall: 1}},
		{
			"two", []queryScore{{NDCG: 1, RR: 1, Recall: 1}, {NDCG: 0, RR: 0.5, Recall: 0.5}},
			scores{Queries: 2, NDCG: 0.5, MRR: 0.75, Recall: 0.75},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mean(tt.in); got != tt.want {
				t.Errorf("mean = %+v, want %+v", got, tt.want)
			}
		})
	}
}
