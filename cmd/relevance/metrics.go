package main

import (
	"math"
	"sort"
)

// Grades of relevance in the judgments: 2 means the talk is about the
// query or clearly answers it, 1 that it is partially relevant (mentions
// the subject substantively). Talks not listed are not relevant (0).
const (
	gradePartial  = 1
	gradeRelevant = 2
)

// judgments maps talk IDs to their relevance grade for one query.
type judgments map[string]int

// gain is the graded gain of a result: 2^rel − 1, so a talk of grade 2
// counts three times as much as one of grade 1.
func gain(rel int) float64 {
	if rel <= 0 {
		return 0
	}
	return math.Exp2(float64(rel)) - 1
}

// discount is the rank discount of position i (0-based): 1/log2(i+2).
func discount(i int) float64 {
	return 1 / math.Log2(float64(i+2))
}

// dcg is the discounted cumulative gain of the first k results.
func dcg(ranked []string, rel judgments, k int) float64 {
	var sum float64
	for i, id := range ranked {
		if i >= k {
			break
		}
		sum += gain(rel[id]) * discount(i)
	}
	return sum
}

// idealDCG is the DCG of the best possible ranking of the judged talks.
func idealDCG(rel judgments, k int) float64 {
	grades := make([]int, 0, len(rel))
	for _, g := range rel {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	var sum float64
	for i, g := range grades {
		if i >= k {
			break
		}
		sum += gain(g) * discount(i)
	}
	return sum
}

// ndcg is the normalised DCG of the first k results, between 0 and 1.
// A query without relevant talks has nothing to find and scores 0.
func ndcg(ranked []string, rel judgments, k int) float64 {
	ideal := idealDCG(rel, k)
	if ideal == 0 {
		return 0
	}
	return dcg(ranked, rel, k) / ideal
}

// reciprocalRank is 1/rank of the first of the first k results that is
// at least partially relevant, and 0 when none is.
func reciprocalRank(ranked []string, rel judgments, k int) float64 {
	for i, id := range ranked {
		if i >= k {
			break
		}
		if rel[id] >= gradePartial {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// recall is the fraction of the relevant talks (any grade) that are among
// the first k results.
func recall(ranked []string, rel judgments, k int) float64 {
	var relevant int
	for _, g := range rel {
		if g >= gradePartial {
			relevant++
		}
	}
	if relevant == 0 {
		return 0
	}
	var found int
	for i, id := range ranked {
		if i >= k {
			break
		}
		if rel[id] >= gradePartial {
			found++
		}
	}
	return float64(found) / float64(relevant)
}

// scores are the mean metrics over a set of queries.
type scores struct {
	Queries int     `json:"queries"`
	NDCG    float64 `json:"ndcg@10"`
	MRR     float64 `json:"mrr"`
	Recall  float64 `json:"recall@10"`
}

// queryScore is the metrics of one query.
type queryScore struct {
	NDCG, RR, Recall float64
}

// mean averages per-query scores; every query weighs the same.
func mean(qs []queryScore) scores {
	s := scores{Queries: len(qs)}
	if len(qs) == 0 {
		return s
	}
	for _, q := range qs {
		s.NDCG += q.NDCG
		s.MRR += q.RR
		s.Recall += q.Recall
	}
	n := float64(len(qs))
	s.NDCG /= n
	s.MRR /= n
	s.Recall /= n
	return s
}
