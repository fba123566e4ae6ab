package indexer

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Cue is one timed (or, for plain text, untimed) passage of a transcript.
// Start is in seconds, -1 when the transcript has no timestamps.
type Cue struct {
	Start float64
	Text  string
}

// ParseTranscript reads a transcript. WebVTT (.vtt) and SubRip (.srt) keep
// their cue start times; plain text and Markdown (.txt, .md) become one cue
// per paragraph without a time. name decides the format, with a WEBVTT
// header or an SRT-style first cue recognised whatever the extension.
func ParseTranscript(r io.Reader, name string) ([]Cue, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("indexer: read transcript %s: %w", name, err)
	}
	text := strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n")
	ext := strings.ToLower(path.Ext(name))
	switch {
	case ext == ".vtt" || strings.HasPrefix(text, "WEBVTT"):
		return parseTimed(text, true), nil
	case ext == ".srt" || srtStart.MatchString(text):
		return parseTimed(text, false), nil
	default:
		return parsePlain(text), nil
	}
}

var (
	srtStart  = regexp.MustCompile(`^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->`)
	timingRe  = regexp.MustCompile(`^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->`)
	vttTagsRe = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
)

// parseTimed parses WebVTT or SRT cue blocks.
func parseTimed(text string, vtt bool) []Cue {
	var cues []Cue
	blocks := strings.Split(text, "\n\n")
	for _, b := range blocks {
		lines := strings.Split(strings.Trim(b, "\n"), "\n")
		start := -1.0
		var body []string
		for i, l := range lines {
			if m := timingRe.FindStringSubmatch(l); m != nil && start < 0 {
				start = parseTimestamp(m[1])
				body = lines[i+1:]
				break
			}
		}
		if start < 0 {
			continue // header, NOTE, STYLE, REGION or garbage block
		}
		var parts []string
		for _, l := range body {
			if vtt {
				l = vttTagsRe.ReplaceAllString(l, "")
				l = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&nbsp;", " ").Replace(l)
			}
			if l = strings.TrimSpace(l); l != "" {
				parts = append(parts, l)
			}
		}
		if len(parts) > 0 {
			cues = append(cues, Cue{Start: start, Text: strings.Join(parts, " ")})
		}
	}
	return cues
}

// parseTimestamp reads "hh:mm:ss.mmm", "mm:ss.mmm" or the SRT comma form.
func parseTimestamp(s string) float64 {
	s = strings.Replace(s, ",", ".", 1)
	parts := strings.Split(s, ":")
	var secs float64
	for _, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return -1
		}
		secs = secs*60 + v
	}
	return secs
}

func parsePlain(text string) []Cue {
	var cues []Cue
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	var para []string
	flush := func() {
		if len(para) > 0 {
			cues = append(cues, Cue{Start: -1, Text: strings.Join(para, " ")})
			para = para[:0]
		}
	}
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			flush()
			continue
		}
		para = append(para, l)
	}
	flush()
	return cues
}

// segmentWords is the length a transcript segment grows to before a new
// one starts: long enough for context, short enough to point at a moment.
const segmentWords = 120

// Segment groups consecutive cues into passages of about segmentWords
// words; each passage starts at its first cue's time.
func Segment(cues []Cue) []Cue {
	var out []Cue
	var cur []string
	words := 0
	start := -1.0
	for _, c := range cues {
		if len(cur) == 0 {
			start = c.Start
		}
		cur = append(cur, c.Text)
		words += len(strings.Fields(c.Text))
		if words >= segmentWords {
			out = append(out, Cue{Start: start, Text: strings.Join(cur, "\n")})
			cur, words = cur[:0], 0
		}
	}
	if len(cur) > 0 {
		out = append(out, Cue{Start: start, Text: strings.Join(cur, "\n")})
	}
	return out
}
