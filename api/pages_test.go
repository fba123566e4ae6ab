package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/talksearch/talksearch/search"
)

// archive is a small fake archive: it filters its talks the way the index
// does (OR within a filter, AND across filters, text in the title), counts
// facets over the matches and records every query.
type archive struct {
	talks    []search.TalkHit
	slides   map[string][]search.Slide
	segments map[string][]search.Segment
	// override, when set, answers instead (a DidYouMean, an error).
	override func(q search.Query) (*search.Result, error)
	queries  []search.Query
}

var itf18 = search.Event{ID: "itf2018", Name: "4. Mitteldeutscher IT-Fachtag", Year: 2018, Place: "Leipzig"}

func newArchive() *archive {
	return &archive{
		talks: []search.TalkHit{
			{Talk: search.Talk{ID: "eakte-plauen", Title: "Einführung der eAkte in Plauen", Kind: "Vortrag", Event: itf18,
				Speakers: []search.Speaker{{Name: "Thomas Schüppel", Role: "Projektleiter", Organisation: "Stadt Plauen"}},
				States:   []string{"Sachsen"}, Topics: []string{"eAkte", "Organisation"},
				File: "itf2018/slides/eakte-plauen.pdf", Transcript: "itf2018/transcripts/eakte-plauen.vtt",
				Recording: "https://video.example.org/eakte.mp4", Pages: 3},
				Slides:   []search.SlideHit{{Page: 2, Snippet: "Einführung der <mark>eAkte</mark>"}, {Page: 3, Snippet: "Warum <mark>eAkte</mark>?"}},
				Segments: []search.SegmentHit{{N: 2, Start: 754, Snippet: "die <mark>eAkte</mark> im Alltag"}}},
			{Talk: search.Talk{ID: "erfurter-modell", Title: "Das Erfurter Modell: eAkte und Umlaufmappe", Kind: "Vortrag", Event: itf18,
				Speakers: []search.Speaker{{Name: "Tarek Unger", Organisation: "Landeshauptstadt Erfurt"}},
				States:   []string{"Thüringen"}, Topics: []string{"eAkte", "Workflow"}, File: "itf2018/slides/erfurter-modell.pdf", Pages: 12},
				Slides: []search.SlideHit{{Page: 4, Snippet: "Baut auf der <mark>eAkte</mark> auf"}}},
			{Talk: search.Talk{ID: "schule-plauen", Title: "Schule digital", Kind: "Workshop", Event: itf18,
				Speakers: []search.Speaker{{Name: "Thomas Schüppel", Organisation: "Stadt Plauen"}},
				States:   []string{"Sachsen"}, Topics: []string{"Schuldigitalisierung"}}},
		},
		slides: map[string][]search.Slide{"eakte-plauen": {
			{Page: 1, Text: "Einführung der eAkte in Plauen\n\nThomas Schüppel"},
			{Page: 2, Text: "Worum es geht\n\n• Erfahrungsbericht aus\nPlauen\n• <script>alert(1)</script>\n\n4. IT-Fachtag 2"},
			{Page: 3, Text: ""},
		}},
		segments: map[string][]search.Segment{"eakte-plauen": {
			{N: 1, Start: 0, Text: "Guten Morgen."},
			{N: 2, Start: 754, Text: "Die eAkte im Alltag."},
			{N: 3, Start: 3725, Text: "Vielen Dank."},
		}},
	}
}

func anyOf(want, have []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if slices.Contains(have, w) {
			return true
		}
	}
	return false
}

func (a *archive) Search(_ context.Context, q search.Query) (*search.Result, error) {
	a.queries = append(a.queries, q)
	if a.override != nil {
		return a.override(q)
	}
	res := &search.Result{}
	counts := map[string]map[string]int{}
	var order []string
	count := func(field string, vals ...string) {
		if counts[field] == nil {
			counts[field] = map[string]int{}
			order = append(order, field)
		}
		for _, v := range vals {
			counts[field][v]++
		}
	}
	for _, h := range a.talks {
		var speakers []string
		for _, s := range h.Speakers {
			speakers = append(speakers, s.Label())
		}
		if !strings.Contains(strings.ToLower(h.Title), strings.ToLower(q.Text)) ||
			!anyOf(q.Filters[search.FieldState], h.States) || !anyOf(q.Filters[search.FieldTopic], h.Topics) || !anyOf(q.Filters[search.FieldSpeaker], speakers) ||
			!anyOf(q.Filters[search.FieldEvent], []string{h.Event.ID}) || !anyOf(q.Filters[search.FieldKind], []string{h.Kind}) {
			continue
		}
		res.Total++
		if q.Text == "" {
			h.Slides, h.Segments = nil, nil
		}
		res.Talks = append(res.Talks, h)
		count(search.FieldState, h.States...)
		count(search.FieldTopic, h.Topics...)
		count(search.FieldKind, h.Kind)
		count(search.FieldEvent, h.Event.ID)
		count(search.FieldSpeaker, speakers...)
	}
	for _, f := range order {
		facet := search.Facet{Field: f}
		for v, n := range counts[f] {
			facet.Values = append(facet.Values, search.FacetValue{Value: v, Count: n})
		}
		slices.SortFunc(facet.Values, func(x, y search.FacetValue) int {
			if x.Count != y.Count {
				return y.Count - x.Count
			}
			return strings.Compare(x.Value, y.Value)
		})
		res.Facets = append(res.Facets, facet)
	}
	return res, nil
}

func (a *archive) Talk(_ context.Context, id string) (*search.Talk, error) {
	for _, h := range a.talks {
		if h.ID == id {
			t := h.Talk
			return &t, nil
		}
	}
	return nil, search.ErrNotFound
}

func (a *archive) Slides(ctx context.Context, id string) ([]search.Slide, []search.Segment, error) {
	if _, err := a.Talk(ctx, id); err != nil {
		return nil, nil, err
	}
	return a.slides[id], a.segments[id], nil
}

func (a *archive) Suggest(context.Context, string, int) ([]search.Suggestion, error) {
	return []search.Suggestion{}, nil
}

// previewFS has previews of two slides of eakte-plauen.
func previewFS() fstest.MapFS {
	mod := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	return fstest.MapFS{
		"eakte-plauen/1.png": {Data: []byte("\x89PNG eins"), ModTime: mod},
		"eakte-plauen/2.png": {Data: []byte("\x89PNG zwei"), ModTime: mod},
	}
}

func TestSearchPageViews(t *testing.T) {
	tooLong := func(q search.Query) (*search.Result, error) {
		return nil, &search.QueryError{Field: "q", Problem: search.TooLong, Limit: search.MaxQueryLength}
	}
	broken := func(q search.Query) (*search.Result, error) {
		return nil, errors.New("scorch: /var/lib/geheim/index kaputt")
	}
	tests := []struct {
		name     string
		target   string
		override func(q search.Query) (*search.Result, error)
		status   int
		want     []string
		notWant  []string
	}{
		{
			name: "start page", target: "/", status: 200,
			want: []string{
				`<html lang="de">`, "Vorträge und Folien durchsuchen", "3 Vorträge mit allen Folien",
				"Veranstaltungen", "4. Mitteldeutscher IT-Fachtag", "2018 · Leipzig", `href="/?event=itf2018"`,
				"Stöbern", `href="/?state=Th%C3%BCringen"`, `href="/?topic=eAkte"`, `href="/?kind=Workshop"`,
				"Alle 3 Vorträge anzeigen", `role="search"`, `<label for="q"`,
			},
			notWant: []string{"Filter anwenden", "gefunden"},
		},
		{
			name: "results", target: "/?q=eAkte", status: 200,
			want: []string{
				"2 Vorträge gefunden", `<a href="/talks/eakte-plauen">Einführung der eAkte in Plauen</a>`,
				"<strong>Thomas Schüppel</strong>, Stadt Plauen", "Sachsen", "4. Mitteldeutscher IT-Fachtag 2018",
				`href="/files/itf2018/slides/eakte-plauen.pdf#page=2"`, "Folie 2", "Einführung der <mark>eAkte</mark>",
				`<img src="/previews/eakte-plauen/2.png?v=`, "keine Vorschau", // slide 3 has no preview
				`href="/talks/eakte-plauen#abschnitt-2">Mitschrift bei 12:34</a>`,
				`name="state" value="Sachsen"`, "<legend>Bundesland</legend>", "<legend>Thema</legend>",
				"<legend>Veranstaltung</legend>", "4. Mitteldeutscher IT-Fachtag 2018",
				`<option value="" selected>Relevanz</option>`, "PDF öffnen (3 Folien)",
			},
			notWant: []string{"Meinten Sie", "Aktive Filter", `aria-label="Seiten"`},
		},
		{
			name: "filtered", target: "/?q=eAkte&state=Sachsen&sort=title", status: 200,
			want: []string{
				"1 Vortrag gefunden", `value="Sachsen" checked`, "Aktive Filter",
				`<a href="/?q=eAkte&amp;sort=title" class="chip chip-active"><span class="chip-label">Bundesland:</span> Sachsen`,
				`<option value="title" selected>`,
			},
			notWant: []string{"Alle Filter entfernen", "Das Erfurter Modell"},
		},
		{
			name: "two filters", target: "/?state=Sachsen&topic=eAkte&page=1", status: 200,
			want:    []string{"1 Vortrag", "Alle Filter entfernen", `href="/?topic=eAkte"`, `href="/?state=Sachsen"`, `<option value="" selected>Programm</option>`},
			notWant: []string{"Vorträge und Folien durchsuchen"},
		},
		{
			name: "did you mean", target: "/?q=eakt&state=Sachsen", status: 200,
			override: func(q search.Query) (*search.Result, error) {
				return &search.Result{DidYouMean: "eAkte"}, nil
			},
			want: []string{`Meinten Sie <a href="/?q=eAkte&amp;state=Sachsen">eAkte</a>?`, "wurde leider nichts gefunden"},
		},
		{
			name: "empty with filters", target: "/?q=eAkte&state=Berlin", status: 200,
			want: []string{"Keine Vorträge gefunden", "Zu „eAkte“ mit den gewählten Filtern wurde leider nichts gefunden",
				`<a class="button" href="/?q=eAkte">2 Vorträge ohne Filter anzeigen</a>`, "Entfernen Sie einzelne Filter"},
		},
		{
			name: "empty", target: "/?q=Raumfahrt", status: 200,
			want: []string{"Zu „Raumfahrt“ wurde leider nichts gefunden", "Prüfen Sie die Schreibweise",
				"Oder stöbern Sie in einem Thema", `href="/?topic=eAkte">eAkte <span class="count">`},
			notWant: []string{"ohne Filter anzeigen"},
		},
		{
			name: "bad parameter", target: "/?q=eAkte&page=abc", status: 400,
			want: []string{`role="alert"`, "Die Suche konnte so nicht ausgeführt werden", "positive ganze Zahl",
				`value="eAkte"`, `<a href="/">beginnen Sie eine neue Suche</a>`},
		},
		{
			name: "query too long", target: "/?q=" + strings.Repeat("x", 20), override: tooLong, status: 400,
			want: []string{"höchstens 500 Zeichen"},
		},
		{
			name: "internal error", target: "/?q=eAkte", override: broken, status: 500,
			want:    []string{`lang="de"`, "Interner Fehler", "Fehler 500"},
			notWant: []string{"geheim", "scorch"},
		},
		{
			name: "escaping", target: "/?q=%3Cscript%3Ealert(1)%3C/script%3E", status: 200,
			want:    []string{"&lt;script&gt;alert(1)&lt;/script&gt;"},
			notWant: []string{"<script>alert"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arch := newArchive()
			arch.override = tt.override
			e := New(Config{Previews: previewFS()}, arch)
			rec := do(t, e, tt.target)
			body := rec.Body.String()
			if rec.Code != tt.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, type %q, want %d:\n%s", rec.Code, rec.Header().Get("Content-Type"), tt.status, body)
			}
			checkPage(t, body, tt.want, tt.notWant)
		})
	}
}

func TestSearchPagePaging(t *testing.T) {
	arch := newArchive()
	arch.override = func(q search.Query) (*search.Result, error) {
		return &search.Result{Total: 95, Talks: []search.TalkHit{{Talk: search.Talk{ID: "x", Title: "X"}}}}, nil
	}
	rec := do(t, New(Config{}, arch), "/?q=Digitalisierung&page=5&state=Sachsen")
	body := rec.Body.String()
	for _, w := range []string{
		`<a rel="prev" href="/?page=4&amp;q=Digitalisierung&amp;state=Sachsen"`,
		`<a rel="next" href="/?page=6&amp;q=Digitalisierung&amp;state=Sachsen"`,
		`<a href="/?q=Digitalisierung&amp;state=Sachsen"><span class="sr">Seite </span>1</a>`, // page 1 without page=
		`aria-current="page"><span class="sr">Seite </span>5</a>`,
		`<span class="sr">Seite </span>10</a>`, `<li class="gap" aria-hidden="true">…</li>`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("pager lacks %s", w)
		}
	}
	if got := arch.queries[0]; got.Page != 5 || got.Text != "Digitalisierung" || got.Filters[search.FieldState][0] != "Sachsen" {
		t.Errorf("query = %+v", got)
	}
}

func TestPager(t *testing.T) {
	tests := []struct {
		page, pages int
		want        string // page numbers, 0 for a gap
	}{
		{1, 1, ""},
		{1, 2, "1 2"},
		{1, 10, "1 2 3 0 10"},
		{5, 10, "1 0 3 4 5 6 7 0 10"},
		{4, 7, "1 2 3 4 5 6 7"},
		{10, 10, "1 0 8 9 10"},
	}
	for _, tt := range tests {
		links, prev, next := pager(url.Values{"q": {"x"}}, tt.page, tt.pages)
		var got []string
		for _, l := range links {
			got = append(got, itoa(l.N))
			if l.Current != (l.N == tt.page) {
				t.Errorf("%d/%d: page %d current = %v", tt.page, tt.pages, l.N, l.Current)
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%d/%d: pages %v, want %s", tt.page, tt.pages, got, tt.want)
		}
		if (prev != "") != (tt.page > 1 && tt.pages > 1) || (next != "") != (tt.page < tt.pages) {
			t.Errorf("%d/%d: prev %q next %q", tt.page, tt.pages, prev, next)
		}
	}
}

func TestClock(t *testing.T) {
	for sec, want := range map[float64]string{-1: "", 0: "0:00", 59.9: "0:59", 754: "12:34", 3725: "1:02:05"} {
		if got := clock(sec); got != want {
			t.Errorf("clock(%v) = %q, want %q", sec, got, want)
		}
	}
}

func TestStaticAssetsVersioned(t *testing.T) {
	e := New(Config{}, newArchive())
	body := do(t, e, "/").Body.String()
	for _, asset := range []string{"style.css", "app.js"} {
		i := strings.Index(body, "/static/"+asset+"?v=")
		if i < 0 {
			t.Fatalf("page does not link %s with a version", asset)
		}
		u := body[i : i+strings.IndexByte(body[i:], '"')]
		if rec := do(t, e, u); rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s: %d", u, rec.Code)
		}
	}
	// No inline scripts or styles: the CSP forbids them.
	for _, bad := range []string{"<script>", "style=", "onclick=", "onchange="} {
		if strings.Contains(body, bad) {
			t.Errorf("page has %s", bad)
		}
	}
}

// checkPage reports each of want that the page body lacks and each of
// notWant that it has, and logs the body when anything failed.
func checkPage(t *testing.T, body string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for _, w := range notWant {
		if strings.Contains(body, w) {
			t.Errorf("page has %q", w)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}
