package api

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/search"
)

// TestSearchMatch checks match and ignored_words through a real index and
// that the responses match the OpenAPI document.
func TestSearchMatch(t *testing.T) {
	e, _ := newTestApp(t, Config{})
	doc := loadOpenAPI(t)
	tests := []struct {
		target  string
		match   string
		ignored []string
		first   string // the first talk; "*" for any
	}{
		{"/api/v1/search?q=Plauen", "all", []string{}, "eakte-plauen"},
		{"/api/v1/search?q=Plauen+Raumfahrt", "partial", []string{"Raumfahrt"}, "eakte-plauen"},
		{"/api/v1/search?q=Raumfahrt+Plauen", "partial", []string{"Raumfahrt"}, "eakte-plauen"},
		{"/api/v1/search?q=Raumfahrt+Mondlandung", "all", []string{}, ""},
		{"/api/v1/search", "all", []string{}, "*"},
	}
	for _, tt := range tests {
		rec := serve(t, e, request{target: tt.target})
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", tt.target, rec.Code, rec.Body)
		}
		if !strings.Contains(rec.Body.String(), `"ignored_words":[`) {
			t.Errorf("%s: ignored_words is not an array: %s", tt.target, rec.Body)
		}
		got := decode[struct {
			Match   string   `json:"match"`
			Ignored []string `json:"ignored_words"`
			Data    []struct {
				ID string `json:"id"`
			} `json:"data"`
		}](t, rec)
		if got.Match != tt.match || !slices.Equal(got.Ignored, tt.ignored) {
			t.Errorf("%s: match %q, ignored_words %q; want %q, %q", tt.target, got.Match, got.Ignored, tt.match, tt.ignored)
		}
		if first := ""; len(got.Data) > 0 {
			first = got.Data[0].ID
			if first != tt.first && tt.first != "*" {
				t.Errorf("%s: first talk %s, want %s", tt.target, first, tt.first)
			}
		} else if tt.first != "" {
			t.Errorf("%s: no talks, want %s first", tt.target, tt.first)
		}
		req := httptest.NewRequest(http.MethodGet, tt.target, nil)
		if _, reqErr, respErr := doc.check(req, rec.Code, rec.Header(), rec.Body.Bytes()); reqErr != nil || respErr != nil {
			t.Errorf("%s: does not match the OpenAPI document: request: %v; response: %v", tt.target, reqErr, respErr)
		}
	}
}

// TestSearchPagePartial checks the notes about talks without all words.
func TestSearchPagePartial(t *testing.T) {
	const (
		none = "Keine Vorträge mit allen Wörtern – Ergebnisse für einen Teil davon"
		more = "Die folgenden Vorträge enthalten nicht alle Wörter"
	)
	t.Run("real index, none full", func(t *testing.T) {
		e, _ := newTestApp(t, Config{})
		body := do(t, e, "/?q=Plauen+Raumfahrt").Body.String()
		for _, w := range []string{none, "ohne: Raumfahrt", "1 Vortrag gefunden", "Einführung der eAkte in Plauen"} {
			if !strings.Contains(body, w) {
				t.Errorf("page lacks %q", w)
			}
		}
		if strings.Contains(body, more) || strings.Contains(body, "leider nichts gefunden") {
			t.Errorf("page has a note it should not:\n%s", body)
		}
	})
	talks := newArchive().talks
	tests := []struct {
		name, target  string
		res           search.Result
		want, notWant []string
	}{
		{
			name: "full first", target: "/?q=eAkte+Planung",
			res:     search.Result{Total: 3, Full: 2, Match: search.MatchPartial, Ignored: []string{"Planung"}, Talks: talks},
			want:    []string{more + " – ohne: Planung.", `<h2 id="t2"><a href="/talks/schule-plauen">`, "3 Vorträge gefunden"},
			notWant: []string{none},
		},
		{
			name: "phrase in German quotes", target: "/?q=eAkte+%22Akte+Plan%22+Strassenschaeden",
			res:  search.Result{Total: 3, Full: 1, Match: search.MatchPartial, Ignored: []string{`"Akte Plan"`, "Strassenschaeden"}, Talks: talks},
			want: []string{more + " – ohne: „Akte Plan“, Strassenschaeden."},
		},
		{
			name: "a later page of partial talks", target: "/?q=eAkte+Planung&size=3&page=2",
			res:     search.Result{Total: 6, Full: 2, Match: search.MatchPartial, Ignored: []string{"Planung"}, Talks: talks},
			want:    []string{more, `<h2 id="t0">`},
			notWant: []string{none, "leider nichts gefunden"},
		},
		{
			name: "all words", target: "/?q=eAkte",
			res:     search.Result{Total: 3, Full: 3, Match: search.MatchAll, Talks: talks},
			notWant: []string{none, more, "ohne:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arch := newArchive()
			arch.override = func(search.Query) (*search.Result, error) { r := tt.res; return &r, nil }
			body := do(t, New(Config{}, arch), tt.target).Body.String()
			checkPage(t, body, tt.want, tt.notWant)
		})
	}
}
