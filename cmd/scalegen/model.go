package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// model is what the generator learned from the sample corpus's slide
// sources: the words as they occur (compounds kept whole) ranked by
// frequency, which word follows which, and the lengths of titles, slides
// and bullets. It is committed as model.json and rebuilt with -model-from.
type model struct {
	// Words are the distinct words, most frequent first (ties in
	// alphabetical order); Counts their frequencies in the sample.
	Words  []string `json:"words"`
	Counts []int    `json:"counts"`
	// Next lists, per pair, the index of a word, of the word that followed
	// it on the same line, and how often: [from, to, count].
	Next [][3]int `json:"next"`
	// TitleLen, Bullets and BulletLen are histograms: element i counts
	// titles of i words, slides of i bullets, bullets of i words.
	TitleLen  []int `json:"title_len"`
	Bullets   []int `json:"bullets"`
	BulletLen []int `json:"bullet_len"`
}

//go:embed model.json
var modelJSON []byte

// loadModel decodes the committed model.
func loadModel() (*model, error) {
	var m model
	if err := json.Unmarshal(modelJSON, &m); err != nil {
		return nil, fmt.Errorf("scalegen: decode model.json: %w", err)
	}
	if len(m.Words) == 0 || len(m.Words) != len(m.Counts) {
		return nil, fmt.Errorf("scalegen: model.json has %d words and %d counts", len(m.Words), len(m.Counts))
	}
	return &m, nil
}

// buildModel reads the sample's slide sources (corpus/sample/src/*.md:
// "# title", "- bullet" and prose lines, slides separated by "---").
func buildModel(dir string) (*model, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("scalegen: no slide sources (*.md) in %s", dir)
	}
	sort.Strings(files)
	b := newModelBuilder()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("scalegen: %w", err)
		}
		b.addDeck(string(data))
	}
	return b.model(), nil
}

type modelBuilder struct {
	count                       map[string]int
	next                        map[[2]string]int
	titleLen, bullets, bulletLn map[int]int
}

func newModelBuilder() *modelBuilder {
	return &modelBuilder{count: map[string]int{}, next: map[[2]string]int{},
		titleLen: map[int]int{}, bullets: map[int]int{}, bulletLn: map[int]int{}}
}

// addDeck counts the words and lengths of one markdown deck.
func (b *modelBuilder) addDeck(src string) {
	for _, slide := range strings.Split(src, "\n---") {
		n := 0
		for _, line := range strings.Split(slide, "\n") {
			t := strings.TrimSpace(line)
			switch {
			case t == "":
				continue
			case strings.HasPrefix(t, "# "):
				b.titleLen[b.addLine(t[2:])]++
			case strings.HasPrefix(t, "- "):
				n++
				b.bulletLn[b.addLine(t[2:])]++
			default:
				b.addLine(t)
			}
		}
		if n > 0 {
			b.bullets[n]++
		}
	}
}

// addLine counts the words of one line and their successions; it returns
// the number of words.
func (b *modelBuilder) addLine(line string) int {
	words := tokens(line)
	for i, w := range words {
		b.count[w]++
		if i > 0 {
			b.next[[2]string{words[i-1], w}]++
		}
	}
	return len(words)
}

// tokens splits a line into words as they are written, compounds and
// hyphenated words ("E-Rechnung") whole, punctuation at their ends removed.
func tokens(line string) []string {
	var out []string
	for _, f := range strings.Fields(line) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" && !strings.ContainsAny(w, "*`[]()|/") {
			out = append(out, w)
		}
	}
	return out
}

// model returns the counts in a deterministic order.
func (b *modelBuilder) model() *model {
	m := &model{}
	for w := range b.count {
		m.Words = append(m.Words, w)
	}
	sort.Slice(m.Words, func(i, j int) bool {
		ci, cj := b.count[m.Words[i]], b.count[m.Words[j]]
		if ci != cj {
			return ci > cj
		}
		return m.Words[i] < m.Words[j]
	})
	rank := make(map[string]int, len(m.Words))
	for i, w := range m.Words {
		rank[w] = i
		m.Counts = append(m.Counts, b.count[w])
	}
	for p, c := range b.next {
		m.Next = append(m.Next, [3]int{rank[p[0]], rank[p[1]], c})
	}
	sort.Slice(m.Next, func(i, j int) bool {
		a, c := m.Next[i], m.Next[j]
		if a[0] != c[0] {
			return a[0] < c[0]
		}
		return a[1] < c[1]
	})
	m.TitleLen, m.Bullets, m.BulletLen = histogram(b.titleLen), histogram(b.bullets), histogram(b.bulletLn)
	return m
}

func histogram(h map[int]int) []int {
	top := 0
	for k := range h {
		top = max(top, k)
	}
	out := make([]int, top+1)
	for k, v := range h {
		out[k] = v
	}
	return out
}

// writeModel writes m as compact JSON, one pair of the Next table a line
// would be too long; json.Marshal is deterministic for these types.
func writeModel(m *model, path string) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("scalegen: encode model: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("scalegen: %w", err)
	}
	return nil
}
