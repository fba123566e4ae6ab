package pdftext

import (
	"strings"
	"testing"
)

// run makes a text run at (x, y) with a width of half an em per byte.
func run(x, y, size float64, text string) textRun {
	return textRun{u0: x, u1: x + 0.5*size*float64(len(text)), v: y, size: size, text: []byte(text)}
}

func TestLayoutText(t *testing.T) {
	tests := []struct {
		name string
		runs []textRun
		want string
	}{
		{
			name: "lines top to bottom, runs left to right, spaces from gaps",
			runs: []textRun{
				run(100, 700, 10, "zweite"), run(50, 686, 10, "dritte Zeile"),
				run(50, 700, 10, "erste"), run(50, 714, 10, "oben"),
			},
			want: "oben\nerste zweite\ndritte Zeile",
		},
		{
			name: "no space where runs touch, nor twice",
			runs: []textRun{run(50, 700, 10, "Verwal"), run(80, 700, 10, "tung "), run(110, 700, 10, "neu")},
			want: "Verwaltung neu",
		},
		{
			name: "paragraph gap",
			runs: []textRun{run(50, 700, 10, "Titel"), run(50, 670, 10, "Absatz")},
			want: "Titel\n\nAbsatz",
		},
		{
			name: "superscript stays on its line as a word",
			runs: []textRun{run(50, 700, 10, "Verwaltung"), run(100, 703.5, 7, "1"), run(50, 686, 10, "weiter")},
			want: "Verwaltung 1\nweiter",
		},
		{
			name: "big stamp beside an address does not merge its lines",
			runs: []textRun{
				run(50, 700, 10, "Petra Mustermann"), run(50, 686, 10, "Vor dem Berg 1"),
				run(400, 690, 40, "M"),
			},
			want: "Petra Mustermann\nM\nVor dem Berg 1",
		},
		{
			name: "duplicate run (shadow) dropped",
			runs: []textRun{run(50, 700, 20, "Schatten"), run(51, 699, 20, "Schatten")},
			want: "Schatten",
		},
		{
			name: "two columns read one after the other",
			runs: twoColumns(),
			want: "Überschrift über beide Spalten\n\n" +
				"links eins zwei drei vier\nlinks fünf sechs sieben acht\nlinks neun zehn elf zwölf\nlinks Ende der Spalte jetzt\n\n" +
				"rechts eins zwei drei vier\nrechts fünf sechs sieben acht\nrechts neun zehn elf zwölf\nrechts Ende der Spalte jetzt\n\n" +
				"Fußzeile Seite 1",
		},
		{
			name: "table of short cells read by rows",
			runs: []textRun{
				run(50, 700, 10, "Aufgabe"), run(250, 700, 10, "Frist"),
				run(50, 686, 10, "E-Rechnung"), run(250, 686, 10, "2020"),
				run(50, 672, 10, "eAkte"), run(250, 672, 10, "2021"),
				run(50, 658, 10, "OZG"), run(250, 658, 10, "2022"),
			},
			want: "Aufgabe Frist\nE-Rechnung 2020\neAkte 2021\nOZG 2022",
		},
		{
			name: "rotated text after upright text",
			runs: []textRun{
				{u0: 100, u1: 150, v: -560, size: 9, rot: 1, text: []byte("Stand: Mai")},
				run(50, 700, 10, "Oben"),
			},
			want: "Oben\n\nStand: Mai",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := layoutText(tt.runs); got != tt.want {
				t.Errorf("layoutText:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func twoColumns() []textRun {
	runs := []textRun{run(50, 760, 12, "Überschrift über beide Spalten")}
	left := []string{"links eins zwei drei vier", "links fünf sechs sieben acht", "links neun zehn elf zwölf", "links Ende der Spalte jetzt"}
	for i, l := range left {
		y := 730 - 12*float64(i)
		runs = append(runs, run(50, y, 10, l), run(300, y, 10, strings.Replace(l, "links", "rechts", 1)))
	}
	return append(runs, run(200, 40, 9, "Fußzeile Seite 1"))
}
