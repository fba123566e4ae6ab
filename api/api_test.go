package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/talksearch/talksearch/search"
)

// fakeSearcher answers with a fixed result and records the last query.
type fakeSearcher struct {
	res  *search.Result
	err  error
	last search.Query
}

func (f *fakeSearcher) Search(_ context.Context, q search.Query) (*search.Result, error) {
	f.last = q
	if f.err != nil {
		return nil, f.err
	}
	return f.res, nil
}

func (f *fakeSearcher) Talk(_ context.Context, id string) (*search.Talk, error) {
	for _, t := range f.res.Talks {
		if t.ID == id {
			return &t.Talk, nil
		}
	}
	return nil, search.ErrNotFound
}

func (f *fakeSearcher) Slides(ctx context.Context, id string) ([]search.Slide, []search.Segment, error) {
	if _, err := f.Talk(ctx, id); err != nil {
		return nil, nil, err
	}
	return []search.Slide{{Page: 1, Text: "Workshop E-Rechnung"}}, nil, f.err
}

func (f *fakeSearcher) Suggest(_ context.Context, input string, _ int) ([]search.Suggestion, error) {
	if f.err != nil {
		return nil, f.err
	}
	return []search.Suggestion{{Text: input + "talisierung", Kind: search.SuggestTerm, Count: 3}}, nil
}

func sampleResult() *search.Result {
	return &search.Result{
		Total: 12,
		Talks: []search.TalkHit{{
			Talk: search.Talk{ID: "workshop-e-rechnung", Title: "Workshop E-Rechnung", Kind: "Workshop",
				Event:    search.Event{ID: "itf2018", Name: "4. Mitteldeutscher IT-Fachtag", Year: 2018},
				Speakers: []search.Speaker{{Organisation: "Ilmkreis"}}, States: []string{"Thüringen"}, Topics: []string{"E-Rechnung"},
				File: "itf2018/slides/workshop e-rechnung.pdf", Pages: 11},
			Score:  1.7,
			Slides: []search.SlideHit{{Page: 3, Snippet: "Eingang der <mark>Rechnungen</mark> &lt;b&gt;"}},
		}},
		Facets: []search.Facet{{Field: search.FieldState, Values: []search.FacetValue{{Value: "Thüringen", Count: 1}}}},
	}
}

func do(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestAPISearchJSON(t *testing.T) {
	fs := &fakeSearcher{res: sampleResult()}
	e := New(Config{}, fs)
	rec := do(t, e, "/api/v1/search?q=Rechnungen&state=Th%C3%BCringen&state=Sachsen&speaker=Ilmkreis&topic=E-Rechnung&year=2018&page=1&size=1")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if got := strings.Join(fs.last.Filters[search.FieldState], ","); got != "Thüringen,Sachsen" || fs.last.Text != "Rechnungen" ||
		fs.last.Filters[search.FieldSpeaker][0] != "Ilmkreis" || fs.last.Filters[search.FieldTopic][0] != "E-Rechnung" || fs.last.Filters[search.FieldYear][0] != "2018" || fs.last.Size != 1 {
		t.Errorf("query passed on = %+v", fs.last)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"query", "total", "took_ms", "data", "facets", "pagination", "links"} {
		if _, ok := body[k]; !ok {
			t.Errorf("response lacks %q", k)
		}
	}
	raw := rec.Body.String()
	for _, want := range []string{
		`"file":"/files/itf2018/slides/workshop%20e-rechnung.pdf"`,
		`"url":"/files/itf2018/slides/workshop%20e-rechnung.pdf#page=3"`,
		`"snippet":"Eingang der <mark>Rechnungen</mark> &lt;b&gt;"`,
		`"event":{"id":"itf2018","name":"4. Mitteldeutscher IT-Fachtag","year":2018}`,
		`"speakers":[{"organisation":"Ilmkreis"}]`,
		`"state":[{"value":"Thüringen","count":1}]`,
		`"pagination":{"page":1,"size":1,"total_pages":12}`,
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("response lacks %s\n%s", want, raw)
		}
	}
	next := body["links"].(map[string]any)["next"].(string)
	u, _ := url.Parse(next)
	if u.Path != "/api/v1/search" || u.Query().Get("page") != "2" || len(u.Query()["state"]) != 2 {
		t.Errorf("next = %q", next)
	}
}

func TestAPIErrors(t *testing.T) {
	fs := &fakeSearcher{res: sampleResult()}
	tests := []struct {
		target  string
		status  int
		param   string
		contain string
	}{
		{"/api/v1/search?page=abc", 400, "page", "ganze Zahl"},
		{"/api/v1/search?page=0", 400, "page", "positive"},
		{"/api/v1/search?size=-3", 400, "size", ""},
		{"/api/v1/search?year=zweitausend", 400, "year", "Jahreszahl"},
		{"/api/v1/talks/gibt-es-nicht", 404, "", "Diesen Vortrag gibt es nicht"},
		{"/api/v1/nirgends", 404, "", "Diese Adresse gibt es nicht"},
	}
	e := New(Config{}, fs)
	for _, tt := range tests {
		rec := do(t, e, tt.target)
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: status %d, type %q", tt.target, rec.Code, rec.Header().Get("Content-Type"))
			continue
		}
		var p problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		if p.Status != tt.status || p.Param != tt.param || !strings.Contains(p.Detail, tt.contain) || p.Type == "" {
			t.Errorf("%s: problem = %+v", tt.target, p)
		}
	}

	// A search-level validation error and an internal error.
	fs.err = &search.QueryError{Field: "q", Problem: search.TooLong, Limit: search.MaxQueryLength}
	rec := do(t, e, "/api/v1/search?q=x")
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "höchstens 500 Zeichen") {
		t.Errorf("query error: %d %s", rec.Code, rec.Body)
	}
	fs.err = errors.New("scorch: segment /var/lib/secret/index broken")
	rec = do(t, e, "/api/v1/search?q=x")
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || !strings.Contains(rec.Body.String(), "Interner Fehler") {
		t.Errorf("internal error leaked or wrong: %d %s", rec.Code, rec.Body)
	}
	rec = do(t, e, "/?q=x")
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `lang="de"`) || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("html error page: %d %s", rec.Code, rec.Body)
	}
}

func TestReadiness(t *testing.T) {
	ready := false
	e := New(Config{Ready: func() bool { return ready }}, &fakeSearcher{res: sampleResult()})
	if rec := do(t, e, "/healthz"); rec.Code != 200 {
		t.Errorf("healthz = %d", rec.Code)
	}
	if rec := do(t, e, "/readyz"); rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("readyz before ready = %d", rec.Code)
	}
	if rec := do(t, e, "/api/v1/search?q=x"); rec.Code != 503 {
		t.Errorf("search before ready = %d", rec.Code)
	}
	ready = true
	if rec := do(t, e, "/readyz"); rec.Code != 200 {
		t.Errorf("readyz when ready = %d", rec.Code)
	}
}

func TestFiles(t *testing.T) {
	files := fstest.MapFS{"itf2018/slides/a b.pdf": {Data: []byte("%PDF-1.7 test")}}
	e := New(Config{Files: files}, &fakeSearcher{res: sampleResult()})
	rec := do(t, e, "/files/itf2018/slides/a%20b.pdf")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || rec.Body.String() != "%PDF-1.7 test" {
		t.Errorf("file: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	for _, bad := range []string{"/files/../go.mod", "/files/itf2018/../../etc/passwd", "/files/%2e%2e/%2e%2e/etc/passwd", "/files/itf2018/slides/fehlt.pdf"} {
		rec := do(t, e, bad)
		body, _ := io.ReadAll(rec.Body)
		if rec.Code == 200 || strings.Contains(string(body), "root:") {
			t.Errorf("%s: status %d", bad, rec.Code)
		}
	}
}

func TestSearchPage(t *testing.T) {
	e := New(Config{}, &fakeSearcher{res: sampleResult()})
	rec := do(t, e, "/?q=Rechnungen&state=Th%C3%BCringen")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`<html lang="de">`, "12 Vorträge gefunden", "Workshop E-Rechnung",
		`href="/files/itf2018/slides/workshop%20e-rechnung.pdf#page=3"`, "Folie 3",
		"<mark>Rechnungen</mark> &lt;b&gt;", `value="Thüringen" checked`, "Bundesland", "Nächste Seite",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	empty := &fakeSearcher{res: &search.Result{}}
	rec = do(t, New(Config{}, empty), "/?q=Raumfahrt")
	if !strings.Contains(rec.Body.String(), "wurde leider nichts gefunden") {
		t.Errorf("empty state missing: %s", rec.Body)
	}
}

// TestTranscriptPassageLinks: a timed passage links to the recording at
// its moment; an untimed one to the transcript file.
func TestTranscriptPassageLinks(t *testing.T) {
	res := &search.Result{Total: 1, Talks: []search.TalkHit{{
		Talk: search.Talk{ID: "ozg", Title: "OZG", Kind: "Vortrag", Event: search.Event{ID: "itf2018", Name: "Fachtag"},
			Transcript: "itf2018/ozg.vtt", Recording: "https://video.example.org/ozg.mp4"},
		Segments: []search.SegmentHit{{N: 3, Start: 754.5, Snippet: "das <mark>OZG</mark>"}, {N: 4, Start: -1, Snippet: "ohne Zeit"}},
	}}}
	rec := do(t, New(Config{}, &fakeSearcher{res: res}), "/api/v1/search?q=OZG")
	body := rec.Body.String()
	for _, want := range []string{
		`{"segment":3,"start":754.5,"snippet":"das <mark>OZG</mark>","url":"https://video.example.org/ozg.mp4#t=754"}`,
		`{"segment":4,"snippet":"ohne Zeit","url":"/files/itf2018/ozg.vtt"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("response lacks %s\n%s", want, body)
		}
	}
}

// TestWriteSearchJSON: what `talksearch search --json` prints is the body
// GET /api/v1/search answers for the same query, took_ms aside.
func TestWriteSearchJSON(t *testing.T) {
	tookRe := regexp.MustCompile(`"took_ms":\d+`)
	for _, tt := range []struct {
		target string
		q      search.Query
	}{
		{"/api/v1/search?q=Rechnungen&state=Th%C3%BCringen&state=Sachsen&topic=E-Rechnung",
			search.Query{Text: "Rechnungen", Filters: map[string][]string{search.FieldState: {"Thüringen", "Sachsen"}, search.FieldTopic: {"E-Rechnung"}, search.FieldSpeaker: nil}}},
		{"/api/v1/search?q=eAkte&sort=date&size=5", search.Query{Text: " eAkte ", Sort: "date", Size: 5}},
	} {
		for _, base := range []string{"", "https://talks.example.org"} {
			fs := &fakeSearcher{res: sampleResult()}
			rec := do(t, New(Config{BaseURL: base}, fs), tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", tt.target, rec.Code, rec.Body)
			}
			var cli strings.Builder
			if err := WriteSearchJSON(&cli, base, tt.q, sampleResult(), time.Now()); err != nil {
				t.Fatal(err)
			}
			api, got := tookRe.ReplaceAllString(rec.Body.String(), ""), tookRe.ReplaceAllString(cli.String(), "")
			if api != got {
				t.Errorf("%s (base %q):\nAPI %s\nCLI %s", tt.target, base, api, got)
			}
		}
	}
}
