package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDidYouMean checks the corrected spelling in the search response and
// that the response still matches the OpenAPI document.
func TestDidYouMean(t *testing.T) {
	e, _ := newTestApp(t, Config{})
	doc := loadOpenAPI(t)
	tests := []struct{ target, want string }{
		{"/api/v1/search?q=Servicekondo", "Servicekonto"},
		{"/api/v1/search?q=Servicekonto", ""},
	}
	for _, tt := range tests {
		rec := serve(t, e, request{target: tt.target})
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", tt.target, rec.Code, rec.Body)
		}
		got := decode[struct {
			DidYouMean string `json:"did_you_mean"`
		}](t, rec)
		if got.DidYouMean != tt.want {
			t.Errorf("%s: did_you_mean = %q, want %q", tt.target, got.DidYouMean, tt.want)
		}
		if tt.want == "" && strings.Contains(rec.Body.String(), "did_you_mean") {
			t.Errorf("%s: empty did_you_mean should be left out", tt.target)
		}
		req := httptest.NewRequest(http.MethodGet, tt.target, nil)
		if _, reqErr, respErr := doc.check(req, rec.Code, rec.Header(), rec.Body.Bytes()); reqErr != nil || respErr != nil {
			t.Errorf("%s: does not match the OpenAPI document: request: %v; response: %v", tt.target, reqErr, respErr)
		}
	}
}
