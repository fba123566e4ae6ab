package api

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/search"
)

func TestTalkPage(t *testing.T) {
	arch := newArchive()
	e := New(Config{Previews: previewFS()}, arch)
	rec := do(t, e, "/talks/eakte-plauen")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	for _, want := range []string{
		`<html lang="de">`, `<h1 id="talk-h">Einführung der eAkte in Plauen</h1>`,
		`<a href="/?speaker=Thomas&#43;Sch%C3%BCppel">Thomas Schüppel</a>, Projektleiter<span class="org">Stadt Plauen</span>`,
		`<a class="chip" href="/?state=Sachsen">Sachsen</a>`, `<a class="chip" href="/?topic=eAkte">eAkte</a>`,
		`4. Mitteldeutscher IT-Fachtag 2018</a>, Leipzig`,
		// Links to the PDF, the recording and the transcript file.
		`href="/files/itf2018/slides/eakte-plauen.pdf">Folien als PDF öffnen (3 Seiten)`,
		`href="https://video.example.org/eakte.mp4" rel="noopener">Aufzeichnung ansehen`,
		`href="/files/itf2018/transcripts/eakte-plauen.vtt">Mitschrift als Textdatei`,
		// Every slide, with its preview or a placeholder, linking to its page.
		`<li id="folie-1" class="slide">`, `<img src="/previews/eakte-plauen/1.png?v=`,
		`<a href="/files/itf2018/slides/eakte-plauen.pdf#page=2">Folie 2`,
		`<p class="slidetitle">Worum es geht</p>`, `<li>Erfahrungsbericht aus Plauen</li>`,
		`<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>`, `<p class="slidefoot">4. IT-Fachtag 2</p>`,
		`<li id="folie-3" class="slide">`, "keine Vorschau", "keinen lesbaren Text",
		// The transcript with timestamps linking into the recording.
		`<li id="abschnitt-2"><span class="ts"><a href="https://video.example.org/eakte.mp4#t=754" rel="noopener"><span class="sr">Aufzeichnung ab </span>12:34</a></span><p>Die eAkte im Alltag.</p></li>`,
		"1:02:05", "Mitschrift (3 Abschnitte)",
		// More talks, not this one.
		"Weitere Vorträge", `Zum Thema „eAkte“, „Organisation“`,
		`<a href="/talks/erfurter-modell">Das Erfurter Modell: eAkte und Umlaufmappe</a><span class="meta">Vortrag · Tarek Unger</span>`,
		`href="/?topic=eAkte&amp;topic=Organisation">Alle Vorträge zu diesen Themen`,
		"Von Thomas Schüppel", `<a href="/talks/schule-plauen">Schule digital</a>`, `href="/?speaker=Thomas&#43;Sch%C3%BCppel">Alle Vorträge dieser Person`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("talk page lacks %s", want)
		}
	}
	if strings.Contains(body, `<script>alert`) || strings.Contains(body, `<a href="/talks/eakte-plauen">`) {
		t.Error("talk page escapes badly or lists itself")
	}
	// One query per list, not one per talk.
	if len(arch.queries) != 2 || !slices.Equal(arch.queries[0].Filters[search.FieldTopic], []string{"eAkte", "Organisation"}) ||
		!slices.Equal(arch.queries[1].Filters[search.FieldSpeaker], []string{"Thomas Schüppel"}) {
		t.Errorf("queries = %+v", arch.queries)
	}

	// A talk without slides, transcript or recording says so.
	body = do(t, e, "/talks/schule-plauen").Body.String()
	for _, want := range []string{"Zu diesem Vortrag liegen keine Folien vor.", "Zu diesem Vortrag gibt es keine Mitschrift.", "Von Thomas Schüppel"} {
		if !strings.Contains(body, want) {
			t.Errorf("talk without files lacks %q", want)
		}
	}
	if strings.Contains(body, "Aufzeichnung ansehen") || strings.Contains(body, "Folien als PDF") {
		t.Error("talk without files links to files")
	}

	rec = do(t, e, "/talks/gibt-es-nicht")
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "Diesen Vortrag gibt es nicht") || !strings.Contains(rec.Body.String(), `lang="de"`) {
		t.Errorf("unknown talk: %d %s", rec.Code, rec.Body)
	}
}

func TestSlideParts(t *testing.T) {
	tests := []struct {
		name string
		text string
		page int
		want []textPart
	}{
		{"empty", "", 1, nil},
		{"one line", "Nur ein Bild", 4, []textPart{{Kind: "p", Text: "Nur ein Bild"}}},
		{
			"title, wrapped paragraph, bullets, footer",
			"Mehr als Technik\n\nZur eAkte gehören Software und\nSchnittstellen.\n• Technik ist notwendig,\naber nicht hinreichend\n– Organisation\n\n4. IT-Fachtag · Leipzig 2018 4", 4,
			[]textPart{
				{Kind: "title", Text: "Mehr als Technik"},
				{Kind: "p", Text: "Zur eAkte gehören Software und Schnittstellen."},
				{Kind: "ul", Items: []bullet{{"Technik ist notwendig, aber nicht hinreichend", false}, {"Organisation", true}}},
				{Kind: "foot", Text: "4. IT-Fachtag · Leipzig 2018 4"},
			},
		},
		{
			"no footer when the number differs",
			"Titel\n\nText\n\nSeite 7", 3,
			[]textPart{{Kind: "title", Text: "Titel"}, {Kind: "p", Text: "Text"}, {Kind: "p", Text: "Seite 7"}},
		},
		{
			"blocks do not run together",
			"• eins\n\nzwei\r\ndrei", 1,
			[]textPart{{Kind: "ul", Items: []bullet{{"eins", false}}}, {Kind: "p", Text: "zwei drei"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slideParts(tt.text, tt.page); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("slideParts =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestJoinGerman(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"A"}, "A"}, {[]string{"A", "B"}, "A und B"}, {[]string{"A", "B", "C"}, "A, B und C"}} {
		if got := joinGerman(tt.in); got != tt.want {
			t.Errorf("joinGerman(%q) = %q", tt.in, got)
		}
	}
}
