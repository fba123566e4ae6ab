package main

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// zipfExponent is s in P(rank r) ∝ 1/r^s; natural text is close to 1.
const zipfExponent = 1.0

// followProb is the chance that the next word of a line follows the
// previous one as it did in the sample, rather than a fresh Zipf draw;
// it keeps the sample's phrases ("digitale Verwaltung") recurring.
const followProb = 0.5

// writer turns the model into text. It is read-only after newWriter and
// shared by goroutines; each draws with its own *rand.Rand.
type writer struct {
	words     []string
	zipf      []float64 // cumulative Zipf weights over the ranks
	nouns     []int     // ranks of capitalised words of 5+ letters, for titles
	nounZipf  []float64
	next      [][]int     // successors of each word
	nextCum   [][]float64 // their cumulative counts
	titleLen  []float64
	bullets   []float64
	bulletLen []float64
}

func newWriter(m *model) *writer {
	w := &writer{words: m.Words, zipf: zipfCum(len(m.Words))}
	for i, word := range m.Words {
		r, _ := utf8.DecodeRuneInString(word)
		if unicode.IsUpper(r) && utf8.RuneCountInString(word) >= 5 {
			w.nouns = append(w.nouns, i)
		}
	}
	w.nounZipf = zipfCum(len(w.nouns))
	w.next = make([][]int, len(m.Words))
	w.nextCum = make([][]float64, len(m.Words))
	for _, p := range m.Next {
		from := p[0]
		sum := float64(p[2])
		if n := len(w.nextCum[from]); n > 0 {
			sum += w.nextCum[from][n-1]
		}
		w.next[from] = append(w.next[from], p[1])
		w.nextCum[from] = append(w.nextCum[from], sum)
	}
	w.titleLen, w.bullets, w.bulletLen = cumInts(m.TitleLen), cumInts(m.Bullets), cumInts(m.BulletLen)
	return w
}

func zipfCum(n int) []float64 {
	cum := make([]float64, n)
	sum := 0.0
	for r := range n {
		sum += 1 / math.Pow(float64(r+1), zipfExponent)
		cum[r] = sum
	}
	return cum
}

func cumInts(h []int) []float64 {
	cum := make([]float64, len(h))
	sum := 0.0
	for i, v := range h {
		sum += float64(v)
		cum[i] = sum
	}
	return cum
}

// draw returns an index with probability proportional to its weight,
// given the cumulative weights.
func draw(rng *rand.Rand, cum []float64) int {
	x := rng.Float64() * cum[len(cum)-1]
	return sort.SearchFloat64s(cum, x)
}

// line writes n words: the first a Zipf draw (from first, when given),
// each next one either a successor from the sample or a fresh draw.
func (w *writer) line(rng *rand.Rand, n int, first int) string {
	var b strings.Builder
	prev := first
	if prev < 0 {
		prev = draw(rng, w.zipf)
	}
	b.WriteString(w.words[prev])
	for i := 1; i < n; i++ {
		cur := -1
		if len(w.next[prev]) > 0 && rng.Float64() < followProb {
			cur = w.next[prev][draw(rng, w.nextCum[prev])]
		} else {
			cur = draw(rng, w.zipf)
		}
		b.WriteByte(' ')
		b.WriteString(w.words[cur])
		prev = cur
	}
	return b.String()
}

// title writes a slide or talk title that starts with a noun.
func (w *writer) title(rng *rand.Rand) string {
	n := max(draw(rng, w.titleLen), 1)
	return w.line(rng, n, w.nouns[draw(rng, w.nounZipf)])
}

// slide writes one content slide: a title and its bullets.
func (w *writer) slide(rng *rand.Rand) slide {
	s := slide{Title: w.title(rng)}
	for range max(draw(rng, w.bullets), 1) {
		s.Bullets = append(s.Bullets, w.line(rng, max(draw(rng, w.bulletLen), 1), -1))
	}
	return s
}

// slideCount draws 8 to 40 slides, most decks between 10 and 25.
func slideCount(rng *rand.Rand) int {
	u := rng.Float64()
	return 8 + int(33*u*u)
}
