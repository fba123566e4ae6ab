package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/talksearch/talksearch/search"
)

// decodeProblem checks that rec is a problem+json of the given status and
// returns it.
func decodeProblem(t *testing.T, code int, contentType string, body []byte, wantStatus int) problem {
	t.Helper()
	if code != wantStatus || !strings.HasPrefix(contentType, "application/problem+json") {
		t.Fatalf("status %d, type %q, want %d problem+json: %s", code, contentType, wantStatus, body)
	}
	var p problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem: %v: %s", err, body)
	}
	if p.Status != wantStatus || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Errorf("problem = %+v", p)
	}
	return p
}

// TestInvalidUTF8EveryParameter: q was refused when not UTF-8; every other
// parameter, suggest's q and the filters among them, gets the same 400.
func TestInvalidUTF8EveryParameter(t *testing.T) {
	e := New(Config{}, &fakeSearcher{res: sampleResult()})
	targets := []struct{ target, param string }{
		{"/api/v1/search?q=a%FFb", "q"},
		{"/api/v1/suggest?q=Digi%FF", "q"},
		{"/api/v1/suggest?q=Digi&n=%C3", "n"},
		{"/api/v1/search?q=eAkte&sort=%FE", "sort"},
		{"/api/v1/search?q=eAkte&page=%FF", "page"},
		{"/api/v1/talks?q=eAkte&page=1&state=Th%FCringen", search.FieldState},
	}
	for _, f := range search.FacetFields {
		targets = append(targets, struct{ target, param string }{"/api/v1/search?q=eAkte&" + f + "=x%FFy", f})
		targets = append(targets, struct{ target, param string }{"/api/v1/search?" + f + "=ok&" + f + "=%C0%80", f})
	}
	for _, tt := range targets {
		t.Run(tt.target, func(t *testing.T) {
			rec := do(t, e, tt.target)
			p := decodeProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), http.StatusBadRequest)
			if p.Type != problemBadParam || p.Param != tt.param || !strings.Contains(p.Detail, "ungültige Zeichen") {
				t.Errorf("problem = %+v, want %s for %s", p, problemBadParam, tt.param)
			}
		})
	}
	// A parameter name that is not UTF-8 is refused too, named readably.
	rec := do(t, e, "/api/v1/search?q=eAkte&st%FFate=x")
	p := decodeProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), http.StatusBadRequest)
	if !utf8Valid(p.Param) {
		t.Errorf("param %q", p.Param)
	}
	// Valid UTF-8 still passes.
	if rec := do(t, e, "/api/v1/suggest?q=Stra%C3%9Fe"); rec.Code != http.StatusOK {
		t.Errorf("valid suggest: %d %s", rec.Code, rec.Body)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "?") == s }

// TestProblemJSONEverywhere: every error a program can meet is
// problem+json, the refusals of net/http's file server included.
func TestProblemJSONEverywhere(t *testing.T) {
	pdf := strings.Repeat("%PDF-1.4 ", 100)
	files := fstest.MapFS{"ev/a.pdf": {Data: []byte(pdf)}}
	previews := fstest.MapFS{"t1/1.png": {Data: []byte("\x89PNG")}}
	e := New(Config{Files: files, Previews: previews}, &fakeSearcher{res: sampleResult()})
	tests := []struct {
		name   string
		r      request
		status int
	}{
		{"range outside the file", request{target: "/files/ev/a.pdf", header: http.Header{"Range": {"bytes=5000-6000"}}}, http.StatusRequestedRangeNotSatisfiable},
		{"failed If-Match", request{target: "/files/ev/a.pdf", header: http.Header{"If-Match": {`"other"`}}}, http.StatusPreconditionFailed},
		{"preview range outside", request{target: "/previews/t1/1.png", header: http.Header{"Range": {"bytes=99-"}}}, http.StatusRequestedRangeNotSatisfiable},
		{"missing file", request{target: "/files/ev/b.pdf"}, http.StatusNotFound},
		{"missing static file", request{target: "/static/nope.css"}, http.StatusNotFound},
		{"missing preview", request{target: "/previews/t1/2.png"}, http.StatusNotFound},
		{"POST to the API", request{method: http.MethodPost, target: "/api/v1/search?q=x"}, http.StatusMethodNotAllowed},
		{"POST to static", request{method: http.MethodPost, target: "/static/app.css"}, http.StatusMethodNotAllowed},
		{"DELETE a file", request{method: http.MethodDelete, target: "/files/ev/a.pdf"}, http.StatusMethodNotAllowed},
		{"POST to healthz", request{method: http.MethodPost, target: "/healthz"}, http.StatusMethodNotAllowed},
		{"unknown path, JSON client", request{target: "/nope", header: http.Header{"Accept": {"application/problem+json"}}}, http.StatusNotFound},
		{"POST to the page, JSON client", request{method: http.MethodPost, target: "/", header: http.Header{"Accept": {"application/json"}}}, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, e, tt.r)
			decodeProblem(t, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes(), tt.status)
			if tt.status == http.StatusRequestedRangeNotSatisfiable && !strings.HasPrefix(rec.Header().Get("Content-Range"), "bytes */") {
				t.Errorf("Content-Range = %q", rec.Header().Get("Content-Range"))
			}
		})
	}
	// A range inside the file still works.
	rec := serve(t, e, request{target: "/files/ev/a.pdf", header: http.Header{"Range": {"bytes=0-3"}}})
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "%PDF" {
		t.Errorf("range: %d %q", rec.Code, rec.Body)
	}

}
