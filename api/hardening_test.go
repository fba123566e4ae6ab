package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

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
