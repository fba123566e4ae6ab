package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestServePreview(t *testing.T) {
	e := New(Config{Previews: previewFS()}, newArchive())
	tests := []struct {
		target string
		status int
		body   string
	}{
		{"/previews/eakte-plauen/2.png?v=abc", 200, "\x89PNG zwei"},
		{"/previews/eakte-plauen/1.png", 200, "\x89PNG eins"},
		{"/previews/eakte-plauen/9.png", 404, ""},
		{"/previews/eakte-plauen/0.png", 404, ""},
		{"/previews/eakte-plauen/", 404, ""},
		{"/previews/eakte-plauen", 404, ""},
		{"/previews/../eakte-plauen/1.png", 404, ""},
		{"/previews/eakte-plauen/..%2F..%2Fgo.mod", 404, ""},
		{"/previews/x/eakte-plauen/1.png", 404, ""},
		{"/previews/eakte-plauen/1.txt", 404, ""},
	}
	for _, tt := range tests {
		rec := do(t, e, tt.target)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.target, rec.Code, tt.status)
			continue
		}
		if tt.status != 200 {
			continue
		}
		h := rec.Header()
		if rec.Body.String() != tt.body || h.Get("Content-Type") != "image/png" ||
			h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("ETag") == "" {
			t.Errorf("%s: body %q, headers %v", tt.target, rec.Body, h)
		}
	}

	// A revalidation with the ETag is answered 304.
	first := do(t, e, "/previews/eakte-plauen/1.png")
	req := httptest.NewRequest(http.MethodGet, "/previews/eakte-plauen/1.png", nil)
	req.Header.Set("If-None-Match", first.Header().Get("ETag"))
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", rec.Code)
	}

	// Without a previews folder there is no route, and pages show placeholders.
	e = New(Config{}, newArchive())
	if rec := do(t, e, "/previews/eakte-plauen/1.png"); rec.Code != 404 {
		t.Errorf("no previews: %d", rec.Code)
	}
	if body := do(t, e, "/?q=eAkte").Body.String(); strings.Contains(body, "/previews/") || !strings.Contains(body, "keine Vorschau") {
		t.Error("page without previews does not show placeholders")
	}
}

func TestPreviewURLVersion(t *testing.T) {
	fsys := previewFS()
	a := &app{cfg: Config{Previews: fsys}}
	u1 := a.previewURL("eakte-plauen", 1)
	if !strings.HasPrefix(u1, "/previews/eakte-plauen/1.png?v=") {
		t.Fatalf("previewURL = %q", u1)
	}
	// Rendered anew, the preview gets a new URL.
	fsys["eakte-plauen/1.png"] = &fstest.MapFile{Data: []byte("\x89PNG neu"), ModTime: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	if u2 := a.previewURL("eakte-plauen", 1); u2 == u1 || u2 == "" {
		t.Errorf("new preview keeps URL %q", u2)
	}
	for _, id := range []string{"gibt-es-nicht", "..", "a/b", ""} {
		if u := a.previewURL(id, 1); u != "" {
			t.Errorf("previewURL(%q) = %q", id, u)
		}
	}
	if u := (&app{}).previewURL("eakte-plauen", 1); u != "" {
		t.Errorf("no previews: %q", u)
	}
	// Ids that need escaping stay one path segment.
	fsys["Vortrag über Ämter/3.png"] = &fstest.MapFile{Data: []byte("x")}
	if u := a.previewURL("Vortrag über Ämter", 3); !strings.HasPrefix(u, "/previews/Vortrag%20%C3%BCber%20%C3%84mter/3.png?v=") {
		t.Errorf("escaped id: %q", u)
	}
}
