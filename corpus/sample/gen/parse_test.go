package main

import (
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	src := "\ufeff# Straßen und Größen\nJörg Müßig, Stadt Görlitz\n4. Mitteldeutscher IT-Fachtag, Leipzig 2018\n\n---\n\n" +
		"# Übersicht\r\nEin Absatz.\n- Punkt\n  - Unterpunkt\n\n- Noch ein Punkt\n| A | B |\n|---|---|\n| 1 | 2 | 3 |\n> Hinweis\n> mit zwei Zeilen\n---\n# Leer\n"
	got, err := parseSource(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []slide{
		{Title: "Straßen und Größen", Line: 1, Blocks: []block{
			{Kind: paraBlock, Text: "Jörg Müßig, Stadt Görlitz"},
			{Kind: paraBlock, Text: "4. Mitteldeutscher IT-Fachtag, Leipzig 2018"},
		}},
		{Title: "Übersicht", Line: 7, Note: "Hinweis mit zwei Zeilen", Blocks: []block{
			{Kind: paraBlock, Text: "Ein Absatz."},
			{Kind: bulletBlock, Level: 1, Text: "Punkt"},
			{Kind: bulletBlock, Level: 2, Text: "Unterpunkt"},
			{Kind: bulletBlock, Level: 1, Text: "Noch ein Punkt"},
			{Kind: tableBlock, Rows: [][]string{{"A", "B", ""}, {"1", "2", "3"}}},
		}},
		{Title: "Leer", Line: 19},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseSource:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseSourceErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no heading", "Text\n", "line 1"},
		{"two headings", "# A\n# B\n", "line 2"},
		{"text after note", "# A\n> note\n- bullet\n", "line 3"},
		{"empty", "\n\n", "no slides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSource(strings.NewReader(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestBuildFODP(t *testing.T) {
	slides := []slide{
		{Title: "Titel <&> \"Größe\"", Blocks: []block{{Kind: paraBlock, Text: "Stadt A & B"}}},
		{Title: "Inhalt", Note: "Fußnote", Blocks: []block{
			{Kind: bulletBlock, Level: 2, Text: "tief <b>"},
			{Kind: bulletBlock, Level: 1, Text: "flach"},
			{Kind: paraBlock, Text: "Absatz"},
			{Kind: tableBlock, Rows: [][]string{{"Kopf", "Ä"}, {"x", "ß"}}},
		}},
	}
	meta := deckMeta{ID: "t", Title: "Größe & Co", Creator: "Jörg", Footer: "Fachtag · 2018"}
	doc, warnings := buildFODP(meta, slides)
	if len(warnings) > 0 {
		t.Errorf("warnings: %v", warnings)
	}
	again, _ := buildFODP(meta, slides)
	if doc != again {
		t.Error("two builds of the same deck differ")
	}

	// The document must be well-formed, and its text must survive escaping.
	var text strings.Builder
	d := xml.NewDecoder(strings.NewReader(doc))
	pages, lists, tables := 0, 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "page":
				pages++
			case "list":
				lists++
			case "table":
				tables++
			}
		case xml.CharData:
			text.Write(tok)
		}
	}
	if pages != 2 || lists != 2 || tables != 1 {
		t.Errorf("pages, lists, tables = %d, %d, %d; want 2, 2, 1", pages, lists, tables)
	}
	for _, s := range []string{"Titel <&> \"Größe\"", "tief <b>", "Fußnote", "Größe & Co", "Fachtag · 2018", "ß"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("text %q missing from the document", s)
		}
	}
}
