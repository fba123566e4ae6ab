package indexer

import (
	"strings"
	"testing"
)

func TestParseTranscript(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           []Cue
	}{
		{"plain paragraphs", "a.txt", "Sehr geehrte Damen\nund Herren,\n\nheute geht es um die eAkte.\n\n\n", []Cue{
			{-1, "Sehr geehrte Damen und Herren,"}, {-1, "heute geht es um die eAkte."}}},
		{"webvtt", "a.vtt", "WEBVTT\n\nNOTE Kommentar\n\n1\n00:00:01.500 --> 00:00:04.000\n<v Moderation>Willkommen &amp; Grüße\n\n00:12:34.000 --> 00:12:40.000 align:start\nZur E-Rechnung\nim Ilmkreis\n", []Cue{
			{1.5, "Willkommen & Grüße"}, {754, "Zur E-Rechnung im Ilmkreis"}}},
		{"srt", "a.srt", "1\r\n00:00:02,000 --> 00:00:05,000\r\nGuten Tag\r\n\r\n2\r\n01:00:00,250 --> 01:00:03,000\r\nStraße\r\n", []Cue{
			{2, "Guten Tag"}, {3600.25, "Straße"}}},
		{"srt content with txt name", "a.txt", "1\n00:00:02,000 --> 00:00:05,000\nHallo\n", []Cue{{2, "Hallo"}}},
		{"empty", "a.txt", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTranscript(strings.NewReader(tt.in), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("cue %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSegment(t *testing.T) {
	long := strings.Repeat("Wort ", 70)
	cues := []Cue{{10, long}, {20, long}, {30, "kurz"}, {40, long}}
	got := Segment(cues)
	if len(got) != 2 || got[0].Start != 10 || got[1].Start != 30 {
		t.Fatalf("segments = %d, starts %v", len(got), got)
	}
	if n := len(strings.Fields(got[0].Text)); n != 140 {
		t.Errorf("first segment has %d words", n)
	}
}
