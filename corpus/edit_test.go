package corpus

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCheckTalk(t *testing.T) {
	tests := []struct {
		name   string
		talk   Talk
		fields []string // the fields with problems
	}{
		{"valid", Talk{ID: "a", Title: " Titel ", Kind: "workshop", States: []string{"Thueringen"}, Topics: []string{"eAkte"},
			Speakers: []Speaker{{Name: "Anna"}}, Files: Files{Recording: "https://example.org/v"}}, nil},
		{"no id", Talk{Title: "T"}, []string{"id"}},
		{"bad id", Talk{ID: "a/b", Title: "T"}, []string{"id"}},
		{"empty title", Talk{ID: "a"}, []string{"title"}},
		{"unknown kind", Talk{ID: "a", Title: "T", Kind: "Tanz"}, []string{"kind"}},
		{"unknown state", Talk{ID: "a", Title: "T", States: []string{"Sachsen", "Bayer"}}, []string{"states[1]"}},
		{"empty topic", Talk{ID: "a", Title: "T", Topics: []string{" "}}, []string{"topics[0]"}},
		{"nameless speaker", Talk{ID: "a", Title: "T", Speakers: []Speaker{{Role: "Leiter"}}}, []string{"speakers[0]"}},
		{"recording", Talk{ID: "a", Title: "T", Files: Files{Recording: "javascript:alert(1)"}}, []string{"files.recording"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			talk := tt.talk
			var fields []string
			for _, p := range CheckTalk(&talk) {
				fields = append(fields, p.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("problems in %v, want %v", fields, tt.fields)
			}
			if tt.fields == nil && (talk.Title != "Titel" || talk.Kind != KindWorkshop || talk.States[0] != "Thüringen") {
				t.Errorf("not normalised: %+v", talk)
			}
		})
	}
}

// TestEditManifest: a talk appended to a manifest and removed again
// loads as written, and the other talks are untouched.
func TestEditManifest(t *testing.T) {
	orig := `{"event": {"id": "itf", "name": "Fachtag & Co", "year": 2018},
	  "talks": [{"id": "a", "title": "A", "states": ["Sachsen"], "files": {"slides": "a.pdf"}}]}`
	fsys := fstest.MapFS{"manifest.json": file(orig), "a.pdf": file("%PDF-a"), "slides/b.pdf": file("%PDF-b")}
	before, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	b := Talk{ID: "b", Title: "Straßen <und> Plätze", Kind: KindTalk, States: []string{"Thüringen"},
		Speakers: []Speaker{{Name: "Jörg Weiß", Organisation: "Stadt Gera"}}, Files: Files{Slides: "slides/b.pdf"}}
	data, err := AppendTalk([]byte(orig), b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "Straßen <und> Plätze") || !strings.Contains(string(data), "Fachtag & Co") {
		t.Errorf("text escaped:\n%s", data)
	}
	fsys["manifest.json"] = file(string(data))
	after, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Talks) != 2 || after.Talks[1].Title != b.Title || after.Talks[1].Speakers[0] != b.Speakers[0] ||
		!slices.Equal(after.Talks[0].States, before.Talks[0].States) || after.Events[0] != before.Events[0] {
		t.Errorf("after append: %+v", after)
	}
	data, ok, err := RemoveTalk(data, "b")
	if err != nil || !ok {
		t.Fatalf("remove: %v %v", ok, err)
	}
	fsys["manifest.json"] = file(string(data))
	again, err := Load(fsys)
	if err != nil || len(again.Talks) != 1 || again.Talks[0].ID != "a" {
		t.Errorf("after remove: %+v, %v", again, err)
	}
	if _, ok, _ := RemoveTalk(data, "b"); ok {
		t.Error("removed a talk that is not there")
	}
	if _, err := AppendTalk([]byte(`{"event": `), b); err == nil {
		t.Error("appended to a broken manifest")
	}
	fresh, err := NewManifest(Event{ID: "neu", Name: "Neu"}, b)
	fsys = fstest.MapFS{"manifest.json": file(string(fresh)), "slides/b.pdf": file("%PDF-b")}
	if cat, lerr := Load(fsys); err != nil || lerr != nil || len(cat.Talks) != 1 || cat.Events[0].ID != "neu" {
		t.Errorf("new manifest: %v %v\n%s", err, lerr, fresh)
	}
}

// TestFileSetReload: a reload serves the files of the new catalogue and
// no longer those of the old one.
func TestFileSetReload(t *testing.T) {
	root := fstest.MapFS{"a.pdf": file("%PDF-a"), "b.pdf": file("%PDF-b")}
	old, _ := Load(fstest.MapFS{"a.pdf": root["a.pdf"]})
	set := old.FileFS(root)
	set.Publish(nil)
	cat, _ := Load(fstest.MapFS{"b.pdf": root["b.pdf"]})
	set.Reload(cat, nil)
	if _, err := fs.ReadFile(set, "archiv/a.pdf"); err == nil {
		t.Error("a.pdf still served")
	}
	if data, err := fs.ReadFile(set, "archiv/b.pdf"); err != nil || string(data) != "%PDF-b" {
		t.Errorf("b.pdf: %q %v", data, err)
	}
	set.Reload(cat, []string{"archiv/b.pdf"})
	if _, err := fs.ReadFile(set, "archiv/b.pdf"); err == nil {
		t.Error("withheld b.pdf served")
	}
}

// TestPublishedFS: what one FileSet publishes, PublishedFS serves from
// another root exactly: a withheld file stays withheld, a file outside
// the list does not exist, and nothing is published before Publish.
func TestPublishedFS(t *testing.T) {
	root := fstest.MapFS{"a.pdf": file("%PDF-a"), "b.pdf": file("%PDF-b"), "c.pdf": file("%PDF-c")}
	cat, _ := Load(fstest.MapFS{"a.pdf": root["a.pdf"], "b.pdf": root["b.pdf"]})
	set := cat.FileFS(root)
	if got := set.Published(); len(got) != 0 {
		t.Errorf("published before Publish: %v", got)
	}
	set.Publish([]string{"archiv/b.pdf"})
	files := set.Published()
	replica := PublishedFS(root, files)
	for _, tt := range []struct {
		name, want string // want "" means not served
	}{
		{"archiv/a.pdf", "%PDF-a"},
		{"archiv/b.pdf", ""}, // withheld by the writer
		{"archiv/c.pdf", ""}, // not in the catalogue
		{"c.pdf", ""},        // a name in the root, not a public name
	} {
		data, err := fs.ReadFile(replica, tt.name)
		if got := string(data); got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if bad := PublishedFS(root, map[string]string{"x.pdf": "../a.pdf"}); len(bad.Published()) != 0 {
		t.Errorf("a name leaving the root was accepted: %v", bad.Published())
	}
}
