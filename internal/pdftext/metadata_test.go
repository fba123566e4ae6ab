package pdftext

import (
	"testing"
	"time"
)

func TestParsePDFDate(t *testing.T) {
	cet := time.FixedZone("", 3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"D:20240514000000Z", time.Date(2024, 5, 14, 0, 0, 0, 0, time.UTC)},
		{"D:20181106093012+01'00'", time.Date(2018, 11, 6, 9, 30, 12, 0, cet)},
		{"D:20181106093012+01'00", time.Date(2018, 11, 6, 9, 30, 12, 0, cet)},
		{"D:20181106093012-05'30'", time.Date(2018, 11, 6, 9, 30, 12, 0, time.FixedZone("", -5*3600-30*60))},
		{"D:2018", time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"D:201811", time.Date(2018, 11, 1, 0, 0, 0, 0, time.UTC)},
		{"20181106", time.Date(2018, 11, 6, 0, 0, 0, 0, time.UTC)},                              // without D:
		{"\xfe\xff\x00D\x00:\x002\x000\x001\x009", time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)}, // UTF-16
		{"", time.Time{}},
		{"D:201", time.Time{}},
		{"D:20181399", time.Time{}}, // month 13
		{"Tue Nov  6 09:30:12 2018", time.Time{}},
	}
	for _, tt := range tests {
		if got := parsePDFDate(tt.in); !got.Equal(tt.want) {
			t.Errorf("parsePDFDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
