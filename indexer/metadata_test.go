package indexer

import (
	"context"
	"os"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/extract"
	"github.com/talksearch/talksearch/internal/testpdf"
	"github.com/talksearch/talksearch/search"
)

func TestSpeakersFromAuthor(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Jörg Müller; Anja Weiß", []string{"Jörg Müller", "Anja Weiß"}},
		{"Jörg Müller und Anja Weiß", []string{"Jörg Müller", "Anja Weiß"}},
		{"Jörg Müller, Anja Weiß", []string{"Jörg Müller", "Anja Weiß"}},
		{"Müller, Jörg", []string{"Müller, Jörg"}},
		{"  Prof. Dr.  Michael Breidung ", []string{"Prof. Dr. Michael Breidung"}},
		{"Administrator", nil},
		{"Microsoft Office User", nil},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range speakersFromAuthor(tt.in) {
			got = append(got, s.Name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("speakersFromAuthor(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTopicsFromMetadata(t *testing.T) {
	tests := []struct {
		keywords, subject string
		want              []string
	}{
		{"eAkte, E-Rechnung; Onlinezugangsgesetz", "Erfahrungsbericht für den Fachtag", []string{"eAkte", "E-Rechnung", "Onlinezugangsgesetz"}},
		{"eAkte,, eakte ,", "", []string{"eAkte"}},
		{"", "Langzeitarchivierung", []string{"Langzeitarchivierung"}},
		{"", "Ein Bericht darüber, wie das Amt die Akten seit 2015 digitalisiert", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		if got := topicsFromMetadata(tt.keywords, tt.subject); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("topicsFromMetadata(%q, %q) = %q, want %q", tt.keywords, tt.subject, got, tt.want)
		}
	}
}

// TestRunMetadataWithoutManifest indexes a folder without a manifest: the
// PDF's title, author, keywords and creation year describe the talk.
// Where a manifest names them, the manifest wins.
func TestRunMetadataWithoutManifest(t *testing.T) {
	fsys := fstest.MapFS{
		"lose/Bericht_Verkehr.pdf": {Data: testpdf.Fixture(t, "article")},
		"fachtag/manifest.json": {Data: []byte(`{"event": {"id": "fachtag", "name": "Fachtag"},
		  "talks": [{"id": "bericht", "title": "Bericht aus dem Amt", "speakers": [{"name": "Eva Schulz"}], "topics": ["Verkehr"],
		    "files": {"slides": "bericht.pdf"}}]}`)},
		"fachtag/bericht.pdf": {Data: testpdf.Fixture(t, "article")},
	}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t)
	rep, err := New(Config{Extract: extract.Config{DisableOCR: true}}, ix, nil).Run(context.Background(), cat, fsys)
	if err != nil || len(rep.Failed) != 0 {
		t.Fatalf("run: %v, %+v", err, rep)
	}
	ctx := context.Background()
	loose, err := ix.Talk(ctx, "Bericht_Verkehr")
	if err != nil {
		t.Fatal(err)
	}
	wantLoose := search.Talk{
		Title:    "Digitalisierung der Straßenverkehrsbehörde",
		Speakers: []search.Speaker{{Name: "Jörg Müller"}, {Name: "Anja Weiß"}},
		Topics:   []string{"eAkte", "E-Rechnung", "Onlinezugangsgesetz"},
	}
	if loose.Title != wantLoose.Title || !reflect.DeepEqual(loose.Speakers, wantLoose.Speakers) ||
		!reflect.DeepEqual(loose.Topics, wantLoose.Topics) || loose.Event.Year != 2024 {
		t.Errorf("talk without manifest = %+v", loose)
	}
	listed, err := ix.Talk(ctx, "bericht")
	if err != nil {
		t.Fatal(err)
	}
	if listed.Title != "Bericht aus dem Amt" || len(listed.Speakers) != 1 || listed.Speakers[0].Name != "Eva Schulz" ||
		!reflect.DeepEqual(listed.Topics, []string{"Verkehr"}) || listed.Event.Year != 2024 {
		t.Errorf("talk with manifest = %+v (only the missing year may come from the PDF)", listed)
	}
	res, err := ix.Search(ctx, search.Query{Filters: map[string][]string{search.FieldSpeaker: {"Anja Weiß"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Talks[0].ID != "Bericht_Verkehr" {
		t.Errorf("speaker from PDF author not searchable: %+v", res.Talks)
	}
}

// TestBuildTitleFromFile checks which talks the index is told are titled
// only by their file name (search.Doc.TitleFromFile, whose text's opening
// words then stand in for a title): not those with a manifest title, nor
// those whose PDF names a usable title.
func TestBuildTitleFromFile(t *testing.T) {
	fsys := fstest.MapFS{
		"lose/titled.pdf":   {Data: testpdf.Fixture(t, "article")},
		"lose/untitled.pdf": {Data: testpdf.Fixture(t, "groff")},
		"lose/man1-du.pdf":  {Data: mustRead(t, "testdata/titled/man1-du.pdf")},
		"fachtag/manifest.json": {Data: []byte(`{"event": {"id": "fachtag", "name": "Fachtag"},
		  "talks": [{"id": "listed", "title": "Bericht aus dem Amt", "files": {"slides": "listed.pdf"}}]}`)},
		"fachtag/listed.pdf": {Data: testpdf.Fixture(t, "groff")},
	}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	in := New(Config{Extract: extract.Config{DisableOCR: true}}, openIndex(t), nil)
	// man1-du.pdf is titled "DU": the title names the file, so the talk
	// counts as titled by its file name, and shows "DU".
	want := map[string]bool{"titled": false, "untitled": true, "listed": false, "man1-du": true}
	for i, talk := range cat.Talks {
		doc, failed, _ := in.build(context.Background(), cat, fsys, talk, i)
		if len(failed) > 0 {
			t.Fatalf("%s: %+v", talk.ID, failed)
		}
		w, ok := want[talk.ID]
		if !ok {
			t.Fatalf("unexpected talk %s", talk.ID)
		}
		if doc.TitleFromFile != w {
			t.Errorf("%s (title %q): TitleFromFile = %v, want %v", talk.ID, doc.Talk.Title, doc.TitleFromFile, w)
		}
		if talk.ID == "man1-du" && doc.Talk.Title != "DU" {
			t.Errorf("man1-du: title %q, want the PDF's title DU", doc.Talk.Title)
		}
		delete(want, talk.ID)
	}
	if len(want) > 0 {
		t.Errorf("talks not built: %v", want)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNamesFile(t *testing.T) {
	for _, tc := range []struct {
		title, file string
		want        bool
	}{
		{"DU", "man1-du", true},                           // a name in capitals
		{"SYSTEMD-ANALYZE", "man1-systemd-analyze", true}, // with a hyphen
		{"bericht_2018", "bericht_2018", true},            // the file name again
		{"Bericht 2018", "bericht-2018", true},            // its words again
		{"OpenPGP", "shared-openpgp", false},              // a heading the file name shares
		{"Thesaurus", "swriter-using-thesaurus", false},
		{"HEXDUMP", "man1-hd", true},                    // one word in capitals: a name
		{"DU Ausgabe", "man1-df", false},                // not the file's words
		{"Inhalte einfügen", "shared-pasting", false},   // a real title
		{"E-AKTE IN DER PRAXIS", "eakte-praxis", false}, // capitals, but words the file lacks
		{"Übersicht", "uebersicht", false},              // transliterated: other letters
	} {
		if got := namesFile(tc.title, tc.file); got != tc.want {
			t.Errorf("namesFile(%q, %q) = %v, want %v", tc.title, tc.file, got, tc.want)
		}
	}
}

func TestUsableTitle(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Digitale Verwaltung in Sachsen", "Digitale Verwaltung in Sachsen"},
		{"Microsoft PowerPoint - Haushalt", "Haushalt"},
		{"Microsoft Word - Bericht.docx", ""},
		{"du.html", ""}, // chromium's title for an untitled page
		{"Präsentation1.pptx", ""},
		{"bericht.PDF", ""},
		{"Untitled", ""},
		{"Version 2.0 des Portals", "Version 2.0 des Portals"},
		{"Node.js im Rathaus", "Node.js im Rathaus"},
		{"  ", ""},
	} {
		if got := usableTitle(tc.in); got != tc.want {
			t.Errorf("usableTitle(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
