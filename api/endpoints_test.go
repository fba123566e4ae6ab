package api

import (
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
)

// TestEndpoints drives every endpoint and its error paths through a real
// index: status, content type and a few strings of the body.
func TestEndpoints(t *testing.T) {
	e, _ := newTestApp(t, Config{Version: "v1.2.3"})
	long := strings.Repeat("Verwaltung ", 46) // 505 characters
	tests := []struct {
		name     string
		req      request
		status   int
		ctype    string
		contains []string
		lacks    []string
	}{
		{"search", request{target: "/api/v1/search?q=Rechnungen"}, 200, "application/json", []string{
			`"query":"Rechnungen"`, `"id":"workshop-e-rechnung"`, `<mark>Rechnungen</mark>`,
			`"url":"/files/itf2018/slides/workshop-e-rechnung.pdf#page=2"`, `"slides_url":"/api/v1/talks/workshop-e-rechnung/slides"`,
		}, nil},
		{"search umlaut folding", request{target: "/api/v1/search?q=Strassenverkehrsbehoerde"}, 200, "application/json",
			[]string{`"id":"eakte-plauen"`, `"id":"maerker-potsdam"`, `"total":2`}, nil},
		{"search escapes slide text", request{target: "/api/v1/search?q=Rechnungspr%C3%BCfung"}, 200, "application/json",
			[]string{`&lt;script&gt;`}, []string{`<script>`}},
		{"search transcript passage", request{target: "/api/v1/search?q=Posteingang"}, 200, "application/json",
			[]string{`"transcript_passages":[{"segment":2,"start":42.5,`}, nil},
		{"browse: empty query has facets", request{target: "/api/v1/search"}, 200, "application/json",
			[]string{`"total":25`, `"state":[{"value":"Thüringen","count":8},{"value":"Sachsen","count":7}`, `"topic":[`, `"next":"/api/v1/search?page=2"`}, nil},
		{"search filters", request{target: "/api/v1/search?state=Th%C3%BCringen&kind=Workshop"}, 200, "application/json",
			[]string{`"total":1`, `"id":"workshop-e-rechnung"`}, nil},
		{"search by organisation and year", request{target: "/api/v1/search?organisation=Stadt+Jena&year=2021"}, 200, "application/json",
			[]string{`"total":1`, `"id":"open-data-jena"`}, nil},
		{"search nothing found", request{target: "/api/v1/search?q=Raumfahrt"}, 200, "application/json",
			[]string{`"total":0`, `"data":[]`, `"total_pages":0`}, []string{`"next"`}},
		{"search sort title", request{target: "/api/v1/search?sort=title&size=1"}, 200, "application/json",
			[]string{`"id":"digitales-klassenzimmer"`}, nil},
		{"search unknown sort", request{target: "/api/v1/search?q=eAkte&sort=beliebt"}, 400, "application/problem+json",
			[]string{`"param":"sort"`, `„beliebt“ gibt es nicht`, `"type":"/api/v1/problems/invalid-parameter"`}, nil},
		{"search q too long", request{target: "/api/v1/search?q=" + url.QueryEscape(long)}, 400, "application/problem+json",
			[]string{`"param":"q"`, "höchstens 500 Zeichen"}, nil},
		{"search page out of range", request{target: "/api/v1/search?q=Werkstattbericht&page=4&size=5"}, 400, "application/problem+json",
			[]string{`"param":"page"`, "Die Seite 4 gibt es nicht: Es gibt nur 3 Seiten."}, nil},
		{"search page beyond no hits", request{target: "/api/v1/search?q=Raumfahrt&page=2"}, 400, "application/problem+json",
			[]string{`"param":"page"`, "keine Treffer"}, nil},
		{"search page not a number", request{target: "/api/v1/search?page=zwei"}, 400, "application/problem+json",
			[]string{`"param":"page"`, "ganze Zahl"}, nil},
		{"search page above limit", request{target: "/api/v1/search?page=1001"}, 400, "application/problem+json",
			[]string{`"param":"page"`, "zwischen 1 und 1000"}, nil},
		{"search size above cap", request{target: "/api/v1/search?size=101"}, 400, "application/problem+json",
			[]string{`"param":"size"`, "zwischen 1 und 100"}, nil},
		{"search bad year", request{target: "/api/v1/search?year=letztes"}, 400, "application/problem+json",
			[]string{`"param":"year"`, "keine Jahreszahl"}, nil},
		{"search filter value too long", request{target: "/api/v1/search?topic=" + strings.Repeat("x", 201)}, 400, "application/problem+json",
			[]string{`"param":"topic"`, "Thema"}, nil},

		{"talks list", request{target: "/api/v1/talks?size=3"}, 200, "application/json",
			[]string{`"total":25`, `"pagination":{"page":1,"size":3,"total_pages":9}`, `"next":"/api/v1/talks?page=2&size=3"`, `"facets":{`}, []string{`"score"`, `"query"`}},
		{"talks list filtered", request{target: "/api/v1/talks?state=Berlin"}, 200, "application/json",
			[]string{`"total":1`, `"id":"servicekonto-berlin"`}, nil},
		{"talks list refuses q", request{target: "/api/v1/talks?q=eAkte"}, 400, "application/problem+json",
			[]string{`"param":"q"`, "/api/v1/search"}, nil},
		{"talks list page out of range", request{target: "/api/v1/talks?page=3&size=100"}, 400, "application/problem+json",
			[]string{"nur eine Seite"}, nil},

		{"talk", request{target: "/api/v1/talks/eakte-plauen"}, 200, "application/json",
			[]string{`"name":"Thomas Schüppel"`, `"event":{"id":"itf2018","name":"4. Mitteldeutscher IT-Fachtag","year":2018,"place":"Leipzig"}`, `"pages":3`}, nil},
		{"talk unknown", request{target: "/api/v1/talks/gibt-es-nicht"}, 404, "application/problem+json",
			[]string{"Diesen Vortrag gibt es nicht", `"type":"/api/v1/problems/not-found"`}, nil},
		{"talk id too long", request{target: "/api/v1/talks/" + strings.Repeat("a", 300)}, 404, "application/problem+json", nil, nil},

		{"slides", request{target: "/api/v1/talks/workshop-e-rechnung/slides"}, 200, "application/json", []string{
			`{"page":1,"text":"E-Rechnung nach EU-Richtlinie 2014/55","url":"/files/itf2018/slides/workshop-e-rechnung.pdf#page=1"}`,
			`"text":"Rechnungsprüfung <script>alert(1)</script> digital"`, // plain text, JSON-encoded
			`"segments":[{"segment":1,"text":"Wer von Ihnen bekommt schon Rechnungen als XRechnung?"`,
			`"links":{"self":"/api/v1/talks/workshop-e-rechnung/slides","talk":"/api/v1/talks/workshop-e-rechnung"}`,
		}, nil},
		{"slides with timestamps", request{target: "/api/v1/talks/keynote-digitalisierung/slides"}, 200, "application/json",
			[]string{`{"segment":2,"start":42.5,"text":"Die Digitalisierung der Verwaltung beginnt beim Posteingang."`}, nil},
		{"slides unknown talk", request{target: "/api/v1/talks/gibt-es-nicht/slides"}, 404, "application/problem+json",
			[]string{"Diesen Vortrag gibt es nicht"}, nil},

		{"suggest", request{target: "/api/v1/suggest?q=Digi"}, 200, "application/json",
			[]string{`"query":"Digi"`, `{"text":"Digitalisierung","kind":"term","count":`}, nil},
		{"suggest title and speaker", request{target: "/api/v1/suggest?q=werkstatt"}, 200, "application/json",
			[]string{`"kind":"title","talk_id":"werkstattbericht-`}, nil},
		{"suggest speaker", request{target: "/api/v1/suggest?q=Sch%C3%BCp"}, 200, "application/json",
			[]string{`{"text":"Thomas Schüppel","kind":"speaker"}`}, nil},
		{"suggest keeps the words before", request{target: "/api/v1/suggest?q=eAkte+Plau&n=1"}, 200, "application/json",
			[]string{`{"text":"eAkte Plauen","kind":"term","count":1}`}, nil},
		{"suggest short input", request{target: "/api/v1/suggest?q=D"}, 200, "application/json",
			[]string{`"suggestions":[]`}, nil},
		{"suggest bad n", request{target: "/api/v1/suggest?q=Digi&n=99"}, 400, "application/problem+json",
			[]string{`"param":"n"`, "zwischen 1 und 20"}, nil},
		{"suggest q too long", request{target: "/api/v1/suggest?q=" + url.QueryEscape(long)}, 400, "application/problem+json",
			[]string{`"param":"q"`}, nil},

		{"version", request{target: "/api/v1/version"}, 200, "application/json",
			[]string{`"version":"v1.2.3"`, `"go":"` + runtime.Version() + `"`, `"api":"v1"`}, nil},
		{"openapi", request{target: "/api/v1/openapi.json"}, 200, "application/json",
			[]string{`"openapi": "3.0.3"`, `"/api/v1/talks/{id}/slides"`}, nil},
		{"healthz", request{target: "/healthz"}, 200, "application/json", []string{`"status":"ok"`}, nil},
		{"readyz", request{target: "/readyz"}, 200, "application/json", []string{`"status":"ready"`}, nil},
		{"metrics", request{target: "/metrics"}, 200, "text/plain", []string{"talksearch_index_talks 25"}, nil},
		{"unknown API path", request{target: "/api/v1/nirgends"}, 404, "application/problem+json", []string{"Diese Adresse gibt es nicht"}, nil},
		{"HEAD", request{method: http.MethodHead, target: "/api/v1/talks/eakte-plauen"}, 200, "application/json", nil, nil},

		{"POST is 405", request{method: http.MethodPost, target: "/api/v1/search", body: "q=eAkte", header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}},
			405, "application/problem+json", []string{`"type":"/api/v1/problems/method-not-allowed"`, "nur gelesen werden"}, nil},
		{"DELETE is 405", request{method: http.MethodDelete, target: "/api/v1/talks/eakte-plauen"}, 405, "application/problem+json", nil, nil},
		{"GET with a JSON body is 415", request{target: "/api/v1/search", body: `{"q":"eAkte"}`, header: http.Header{"Content-Type": {"application/json"}}},
			415, "application/problem+json", []string{`"type":"/api/v1/problems/unsupported-media-type"`, "„application/json“", "in die Adresse"}, nil},
		{"GET with an XML body is 415", request{target: "/api/v1/talks", body: `<q/>`, header: http.Header{"Content-Type": {"application/xml"}}},
			415, "application/problem+json", []string{"„application/xml“"}, nil},
		{"GET with a Content-Type but no body is fine", request{target: "/api/v1/version", header: http.Header{"Content-Type": {"application/json"}}},
			200, "application/json", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, e, tt.req)
			body := rec.Body.String()
			if rec.Code != tt.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tt.ctype) {
				t.Fatalf("status %d, type %q; want %d, %q\n%s", rec.Code, rec.Header().Get("Content-Type"), tt.status, tt.ctype, body)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %s\n%s", want, body)
				}
			}
			for _, bad := range tt.lacks {
				if strings.Contains(body, bad) {
					t.Errorf("body has %s\n%s", bad, body)
				}
			}
			if rec.Code >= 400 {
				p := decode[problem](t, rec)
				if p.Status != rec.Code || p.Type == "" || p.Title == "" || p.Detail == "" || p.RequestID != rec.Header().Get("X-Request-Id") {
					t.Errorf("problem = %+v", p)
				}
				for _, leak := range []string{"/tmp", "search:", "goroutine", ".go:"} {
					if strings.Contains(p.Detail, leak) {
						t.Errorf("problem leaks %q: %s", leak, p.Detail)
					}
				}
			}
		})
	}
}

// TestMethodNotAllowedAllow checks that a 405 says which methods work.
func TestMethodNotAllowedAllow(t *testing.T) {
	e, _ := newTestApp(t, Config{})
	for _, target := range []string{"/api/v1/search", "/api/v1/talks/eakte-plauen", "/api/v1/talks/eakte-plauen/slides", "/api/v1/suggest", "/api/v1/openapi.json"} {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			rec := serve(t, e, request{method: method, target: target})
			allow := rec.Header().Get("Allow")
			if rec.Code != 405 || !strings.Contains(allow, "GET") || !strings.Contains(allow, "HEAD") || strings.Contains(allow, "POST") {
				t.Errorf("%s %s: %d, Allow %q", method, target, rec.Code, allow)
			}
		}
	}
}

// TestNotReady: the index endpoints answer 503 until the index is built;
// version and the OpenAPI document do not need it.
func TestNotReady(t *testing.T) {
	ix, _ := newTestIndex(t)
	ready := false
	e := New(Config{Ready: func() bool { return ready }}, ix)
	for _, target := range []string{"/readyz", "/api/v1/search?q=eAkte", "/api/v1/talks", "/api/v1/talks/eakte-plauen", "/api/v1/talks/eakte-plauen/slides", "/api/v1/suggest?q=Digi"} {
		rec := serve(t, e, request{target: target})
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "/api/v1/problems/not-ready") {
			t.Errorf("%s before ready: %d %s", target, rec.Code, rec.Body)
		}
	}
	for _, target := range []string{"/healthz", "/api/v1/version", "/api/v1/openapi.json"} {
		if rec := serve(t, e, request{target: target}); rec.Code != 200 {
			t.Errorf("%s before ready: %d", target, rec.Code)
		}
	}
	ready = true
	if rec := serve(t, e, request{target: "/api/v1/talks"}); rec.Code != 200 {
		t.Errorf("talks when ready: %d", rec.Code)
	}
}

// TestAbsoluteLinks: with a BaseURL every link in a response is absolute.
func TestAbsoluteLinks(t *testing.T) {
	e, _ := newTestApp(t, Config{BaseURL: "https://talks.example.org"})
	rec := serve(t, e, request{target: "/api/v1/search?q=Rechnungen&size=1"})
	l := decode[listJSON](t, rec)
	for _, u := range []string{l.Links.Self, l.Links.First, l.Links.Last, l.Data[0].Slides[0].URL} {
		if !strings.HasPrefix(u, "https://talks.example.org/") {
			t.Errorf("link %q is not absolute", u)
		}
	}
}
