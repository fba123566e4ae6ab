package corpus

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestLoadManifest(t *testing.T) {
	fsys := fstest.MapFS{
		"manifest.json": file(`{
  "event": {"id": "itf2018", "name": "4. Mitteldeutscher IT-Fachtag", "year": 2018, "place": "Leipzig"},
  "talks": [
    {"id": "e-rechnung", "title": "Workshop E-Rechnung", "kind": "workshop",
     "speakers": [{"organisation": "Ilmkreis"}], "states": ["Thueringen", "Sachsen"], "topics": ["E-Rechnung"],
     "files": {"slides": "slides/e-rechnung.pdf", "transcript": "e-rechnung.txt", "recording": "https://example.org/v.mp4"}},
    {"id": "ohne-kind", "title": "Vortrag ohne Art", "speakers": [{"name": "Thomas Weber", "role": "Direktor"}]}
  ]}`),
		"slides/e-rechnung.pdf": file("%PDF-1.4"),
		"e-rechnung.txt":        file("Guten Tag."),
	}
	cat, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(cat.Events) != 1 || cat.Events[0].ID != "itf2018" || cat.Events[0].Dir != "." || cat.Events[0].Year != 2018 {
		t.Fatalf("events = %+v", cat.Events)
	}
	if len(cat.Talks) != 2 {
		t.Fatalf("talks = %d, want 2", len(cat.Talks))
	}
	tk := cat.Talks[0]
	if tk.Kind != KindWorkshop || tk.EventID != "itf2018" {
		t.Errorf("kind/event = %q/%q", tk.Kind, tk.EventID)
	}
	if strings.Join(tk.States, ",") != "Thüringen,Sachsen" {
		t.Errorf("states = %v, want canonical spelling", tk.States)
	}
	if tk.Files.Slides != "slides/e-rechnung.pdf" || tk.Files.Transcript != "e-rechnung.txt" {
		t.Errorf("files = %+v", tk.Files)
	}
	if cat.Talks[1].Kind != KindTalk {
		t.Errorf("empty kind = %q, want %q", cat.Talks[1].Kind, KindTalk)
	}
	if got := tk.Speakers[0].Label(); got != "Ilmkreis" {
		t.Errorf("label = %q", got)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	fsys := fstest.MapFS{
		"manifest.json": file(`{
  "event": {"id": "itf2018", "name": ""},
  "talks": [
    {"id": "a", "title": "", "kind": "Vorlesung", "states": ["Bayern", "Preußen"], "files": {"slides": "fehlt.pdf"}},
    {"id": "a", "title": "Doppelt"},
    {"id": "", "title": "Ohne Kennung"},
    {"id": "b", "title": "B", "speakers": [{"role": "Niemand"}], "files": {"slides": "../raus.pdf", "transcript": "t.vtt", "recording": "ftp://x"}},
    {"id": "c", "title": "C", "files": {"slides": "notes.txt"}}
  ]}`),
		"notes.txt": file("x"),
	}
	cat, err := Load(fsys)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v, want *ValidationError", err)
	}
	want := []string{
		"manifest.json: event.name: missing",
		"manifest.json: talks[0].title: empty",
		`manifest.json: talks[0].kind: unknown kind "Vorlesung"`,
		`manifest.json: talks[0].states[1]: unknown state "Preußen"`,
		`manifest.json: talks[0].files.slides: file "fehlt.pdf" not found`,
		"manifest.json: talks[2].id: missing",
		"manifest.json: talks[3].speakers[0]: needs a name or an organisation",
		`manifest.json: talks[3].files.slides: "../raus.pdf" must be a relative path`,
		`manifest.json: talks[3].files.transcript: file "t.vtt" not found`,
		`manifest.json: talks[3].files.recording: "ftp://x" is not an http(s) URL`,
		`manifest.json: talks[4].files.slides: "notes.txt" is not a .pdf file`,
		`manifest.json: talks.id: duplicate talk id "a"`,
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q\nfull error:\n%s", w, msg)
		}
	}
	if len(verr.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(verr.Problems), len(want), msg)
	}
	// The usable talks are still there: a (first), b, c.
	var ids []string
	for _, tk := range cat.Talks {
		ids = append(ids, tk.ID)
	}
	if strings.Join(ids, ",") != "a,b,c" {
		t.Errorf("talks = %v, want a,b,c", ids)
	}
}

func TestLoadInvalidJSON(t *testing.T) {
	tests := []struct {
		name, manifest, want string
	}{
		{"syntax", "{\n  \"event\": {\"id\": \"x\",}\n}", "manifest.json: invalid JSON: line 2"},
		{"unknown field", `{"event": {"id": "x", "name": "X"}, "talk": []}`, `unknown field "talk"`},
		{"wrong type", `{"event": {"id": "x", "name": "X", "year": "2018"}}`, "invalid JSON: line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"manifest.json": file(tt.manifest)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadFolderWithoutManifest(t *testing.T) {
	fsys := fstest.MapFS{
		"Haushalt_2019.pdf":            file("%PDF"),
		"Haushalt_2019.vtt":            file("WEBVTT"),
		"notiz.txt":                    file("x"),
		"unterordner/E-Akte Gera.pdf":  file("%PDF"),
		"itf2019/manifest.json":        file(`{"event": {"id": "itf2019", "name": "5. Fachtag", "year": 2019}, "talks": [{"id": "x", "title": "X"}]}`),
		"itf2019/ignored-no-entry.pdf": file("%PDF"),
	}
	cat, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	got := map[string]Talk{}
	for _, tk := range cat.Talks {
		got[tk.ID] = tk
	}
	if len(got) != 3 {
		t.Fatalf("talks = %+v", cat.Talks)
	}
	h := got["Haushalt_2019"]
	if h.Title != "Haushalt 2019" || !h.TitleFromFile || h.Files.Transcript != "Haushalt_2019.vtt" || h.EventID != DefaultEventID {
		t.Errorf("loose talk = %+v", h)
	}
	if got["E-Akte Gera"].EventID != "unterordner" || got["E-Akte Gera"].Files.Slides != "E-Akte Gera.pdf" {
		t.Errorf("sub-folder talk = %+v", got["E-Akte Gera"])
	}
	if got["x"].EventID != "itf2019" {
		t.Errorf("manifest talk = %+v", got["x"])
	}
}

func TestSampleLoads(t *testing.T) {
	cat, err := Load(Sample())
	if err != nil {
		t.Fatalf("sample corpus has problems: %v", err)
	}
	if len(cat.Talks) != 19 {
		t.Errorf("sample talks = %d, want 19", len(cat.Talks))
	}
	for _, tk := range cat.Talks {
		if tk.Files.Slides == "" {
			t.Errorf("talk %s has no slides", tk.ID)
		}
	}
}

func TestCanonicalState(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Thüringen", "Thüringen", true},
		{"thueringen", "Thüringen", true},
		{"SACHSEN-ANHALT", "Sachsen-Anhalt", true},
		{" Baden-Wuerttemberg ", "Baden-Württemberg", true},
		{"Bundesweit", Nationwide, true},
		{"Preußen", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := CanonicalState(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CanonicalState(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
