package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/talksearch/talksearch/search"
)

func TestRateLimit(t *testing.T) {
	ix, _ := newTestIndex(t)
	tests := []struct {
		name    string
		cfg     Config
		remote  string
		xff     string
		limited bool // the third quick request gets 429
	}{
		{"remote client", Config{RateLimit: 1, RateBurst: 2}, "203.0.113.7:4711", "", true},
		{"remote IPv6 client", Config{RateLimit: 1, RateBurst: 2}, "[2001:db8::1]:4711", "", true},
		{"loopback is exempt", Config{RateLimit: 1, RateBurst: 2}, "127.0.0.1:4711", "", false},
		{"IPv6 loopback is exempt", Config{RateLimit: 1, RateBurst: 2}, "[::1]:4711", "", false},
		{"loopback limited when asked", Config{RateLimit: 1, RateBurst: 2, RateLimitLoopback: true}, "127.0.0.1:4711", "", true},
		{"off by default", Config{}, "203.0.113.7:4711", "", false},
		{"X-Forwarded-For cannot dodge the limit", Config{RateLimit: 1, RateBurst: 2}, "203.0.113.7:4711", "127.0.0.1", true},
		{"behind a trusted proxy the client counts", Config{RateLimit: 1, RateBurst: 2, TrustProxy: true}, "127.0.0.1:4711", "198.51.100.3", true},
		{"behind a trusted proxy a local client is exempt", Config{RateLimit: 1, RateBurst: 2, TrustProxy: true}, "127.0.0.1:4711", "127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(tt.cfg, ix)
			var rec *httptest.ResponseRecorder
			for i := range 3 {
				r := request{target: "/api/v1/search?q=eAkte", remote: tt.remote}
				if tt.xff != "" {
					r.header = http.Header{"X-Forwarded-For": {tt.xff}}
				}
				rec = serve(t, e, r)
				if i < 2 && rec.Code != 200 {
					t.Fatalf("request %d: %d", i+1, rec.Code)
				}
			}
			if !tt.limited {
				if rec.Code != 200 {
					t.Errorf("third request: %d", rec.Code)
				}
				return
			}
			if rec.Code != 429 || rec.Header().Get("Retry-After") != "1" || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("third request: %d, Retry-After %q, %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
			}
			p := decode[problem](t, rec)
			if p.Type != problemRateLimited || !strings.Contains(p.Detail, "zu viele Anfragen") || !strings.Contains(p.Detail, "einer Sekunde") {
				t.Errorf("problem = %+v", p)
			}
			// Health checks are never limited.
			if rec := serve(t, e, request{target: "/healthz", remote: tt.remote}); rec.Code != 200 {
				t.Errorf("healthz when limited: %d", rec.Code)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	ix, _ := newTestIndex(t)
	const portal = "https://www.portal.example.de"
	tests := []struct {
		name    string
		origins []string
		origin  string
		method  string
		allowed bool
	}{
		{"none by default", nil, portal, http.MethodGet, false},
		{"none by default, preflight", nil, portal, http.MethodOptions, false},
		{"configured origin", []string{portal}, portal, http.MethodGet, true},
		{"configured origin, preflight", []string{portal}, portal, http.MethodOptions, true},
		{"other origin", []string{portal}, "https://evil.example.com", http.MethodGet, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(Config{AllowOrigins: tt.origins}, ix)
			h := http.Header{"Origin": {tt.origin}}
			if tt.method == http.MethodOptions {
				h.Set("Access-Control-Request-Method", "GET")
			}
			rec := serve(t, e, request{method: tt.method, target: "/api/v1/search?q=eAkte", header: h})
			got := rec.Header().Get("Access-Control-Allow-Origin")
			if tt.allowed != (got == tt.origin) || !tt.allowed && got != "" {
				t.Errorf("Access-Control-Allow-Origin = %q (status %d)", got, rec.Code)
			}
			if tt.allowed && tt.method == http.MethodGet && !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Etag") &&
				!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "ETag") {
				t.Errorf("ETag not exposed: %q", rec.Header().Get("Access-Control-Expose-Headers"))
			}
			if tt.allowed && tt.method == http.MethodOptions && (rec.Code != 204 || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET")) {
				t.Errorf("preflight: %d, methods %q", rec.Code, rec.Header().Get("Access-Control-Allow-Methods"))
			}
		})
	}
}

func TestETag(t *testing.T) {
	e, _ := newTestApp(t, Config{})
	for _, target := range []string{
		"/api/v1/search?q=eAkte", "/api/v1/talks?state=Sachsen", "/api/v1/talks/eakte-plauen",
		"/api/v1/talks/eakte-plauen/slides", "/api/v1/suggest?q=Digi", "/api/v1/version", "/api/v1/openapi.json",
	} {
		first := serve(t, e, request{target: target})
		tag := first.Header().Get("ETag")
		if first.Code != 200 || !regexp.MustCompile(`^W/"[\w-]{22}"$`).MatchString(tag) || !strings.HasPrefix(first.Header().Get("Cache-Control"), "public, max-age=") {
			t.Errorf("%s: %d, ETag %q, Cache-Control %q", target, first.Code, tag, first.Header().Get("Cache-Control"))
			continue
		}
		for _, inm := range []string{tag, strings.TrimPrefix(tag, "W/"), `"x", ` + tag, "*"} {
			again := serve(t, e, request{target: target, header: http.Header{"If-None-Match": {inm}}})
			if again.Code != 304 || again.Body.Len() != 0 || again.Header().Get("ETag") != tag || again.Header().Get("Cache-Control") == "" {
				t.Errorf("%s If-None-Match %s: %d, %d bytes, ETag %q", target, inm, again.Code, again.Body.Len(), again.Header().Get("ETag"))
			}
		}
		if other := serve(t, e, request{target: target, header: http.Header{"If-None-Match": {`W/"anders"`}}}); other.Code != 200 {
			t.Errorf("%s with a stale ETag: %d", target, other.Code)
		}
	}
	// Different content, different tag; errors and health are not cached.
	a := serve(t, e, request{target: "/api/v1/talks/eakte-plauen"}).Header().Get("ETag")
	b := serve(t, e, request{target: "/api/v1/talks/freifunk-gera"}).Header().Get("ETag")
	if a == b {
		t.Error("two talks, one ETag")
	}
	for _, target := range []string{"/api/v1/talks/nicht-da", "/healthz", "/readyz"} {
		rec := serve(t, e, request{target: target})
		if rec.Header().Get("ETag") != "" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: ETag %q, Cache-Control %q", target, rec.Header().Get("ETag"), rec.Header().Get("Cache-Control"))
		}
	}
}

func TestETagIgnoresTook(t *testing.T) {
	a := etagOf([]byte(`{"query":"a","total":1,"took_ms":0,"data":[]}`))
	b := etagOf([]byte(`{"query":"a","total":1,"took_ms":1234,"data":[]}`))
	c := etagOf([]byte(`{"query":"a","total":2,"took_ms":0,"data":[]}`))
	d := etagOf([]byte(`{"query":"\",\"took_ms\":5","total":1,"took_ms":0,"data":[]}`))
	e := etagOf([]byte(`{"query":"\",\"took_ms\":6","total":1,"took_ms":0,"data":[]}`))
	if a != b || a == c || d == e {
		t.Errorf("etags: %s %s %s %s %s", a, b, c, d, e)
	}
}

func TestGzip(t *testing.T) {
	files := fstest.MapFS{"itf2018/slides/a.pdf": {Data: bytes.Repeat([]byte("%PDF-1.7 "), 1000)}}
	ix, _ := newTestIndex(t)
	e := New(Config{Files: files}, ix)
	gz := http.Header{"Accept-Encoding": {"gzip, deflate, br"}}
	tests := []struct {
		target  string
		gzipped bool
	}{
		{"/api/v1/search", true},               // large
		{"/api/v1/openapi.json", true},         // large
		{"/api/v1/version", false},             // below the minimum size
		{"/healthz", false},                    // below the minimum size
		{"/files/itf2018/slides/a.pdf", false}, // PDFs are compressed already
	}
	for _, tt := range tests {
		rec := serve(t, e, request{target: tt.target, header: gz})
		if rec.Code != 200 {
			t.Fatalf("%s: %d", tt.target, rec.Code)
		}
		got := rec.Header().Get("Content-Encoding") == "gzip"
		if got != tt.gzipped {
			t.Errorf("%s: gzipped %v, want %v", tt.target, got, tt.gzipped)
		}
		if got {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(zr)
			if err != nil || !json.Valid(body) {
				t.Errorf("%s: gzipped body is not JSON: %v", tt.target, err)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Vary %q", tt.target, rec.Header().Get("Vary"))
			}
		}
	}
	// Without Accept-Encoding, plain.
	if rec := serve(t, e, request{target: "/api/v1/search"}); rec.Header().Get("Content-Encoding") != "" || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("plain request got %q", rec.Header().Get("Content-Encoding"))
	}
}

// logBuffer collects JSON log lines safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) lines(t *testing.T) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

func TestRequestIDAndAccessLog(t *testing.T) {
	var logs logBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fs := &fakeSearcher{res: sampleResult()}
	e := New(Config{Logger: log}, fs)

	tests := []struct {
		name   string
		sent   string
		target string
		keep   bool
	}{
		{"generated", "", "/api/v1/search?q=Rechnungen", false},
		{"client's id kept", "portal-4711.abc:1", "/api/v1/talks/workshop-e-rechnung", true},
		{"bad id replaced", "x\" injected=1", "/api/v1/search?q=x", false},
		{"too long replaced", strings.Repeat("a", 200), "/api/v1/search?q=x", false},
		{"on errors too", "fehler-1", "/api/v1/talks/nicht-da", true},
		{"on 404", "", "/nirgends", false},
	}
	ids := map[string]bool{}
	for _, tt := range tests {
		h := http.Header{}
		if tt.sent != "" {
			h.Set("X-Request-Id", tt.sent)
		}
		rec := serve(t, e, request{target: tt.target, header: h})
		id := rec.Header().Get("X-Request-Id")
		switch {
		case tt.keep && id != tt.sent:
			t.Errorf("%s: id %q, want %q", tt.name, id, tt.sent)
		case !tt.keep && !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id):
			t.Errorf("%s: id %q", tt.name, id)
		}
		if ids[id] {
			t.Errorf("%s: id %q used twice", tt.name, id)
		}
		ids[id] = true
	}

	// A failing search logs its cause at error level with the request id.
	fs.err = errors.New("scorch: disk on fire")
	rec := serve(t, e, request{target: "/api/v1/search?q=x", header: http.Header{"X-Request-Id": {"boom-1"}}})
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "fire") || !strings.Contains(rec.Body.String(), `"request_id":"boom-1"`) {
		t.Errorf("500: %s", rec.Body)
	}

	lines := logs.lines(t)
	access := map[string]map[string]any{}
	for _, l := range lines {
		id, _ := l["request_id"].(string)
		if id == "" {
			t.Errorf("log line without request_id: %v", l)
		}
		if l["msg"] == "request" {
			access[id] = l
		}
	}
	if len(access) != len(tests)+1 {
		t.Errorf("%d access log lines for %d requests", len(access), len(tests)+1)
	}
	l := access["portal-4711.abc:1"]
	if l["route"] != "/api/v1/talks/:id" || l["uri"] != "/api/v1/talks/workshop-e-rechnung" || l["status"] != 200.0 ||
		l["method"] != "GET" || l["client"] != "192.0.2.0" || l["duration_ms"] == nil || l["bytes"] == nil {
		t.Errorf("access log = %v", l)
	}
	if l := access["fehler-1"]; l["status"] != 404.0 {
		t.Errorf("404 logged as %v", l)
	}
	var failed bool
	for _, l := range lines {
		if l["msg"] == "request failed" && l["level"] == "ERROR" && l["request_id"] == "boom-1" && strings.Contains(l["err"].(string), "fire") {
			failed = true
		}
	}
	if !failed || access["boom-1"]["status"] != 500.0 {
		t.Errorf("the 500 was not logged with its cause and id:\n%v", lines)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e, _ := newTestApp(t, Config{})
	for _, target := range []string{"/", "/api/v1/search?q=eAkte", "/api/v1/talks/nicht-da", "/healthz", "/nirgends"} {
		rec := serve(t, e, request{target: target})
		h := rec.Header()
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: nosniff %q, referrer %q, frame %q", target, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"), h.Get("X-Frame-Options"))
		}
		csp := h.Get("Content-Security-Policy")
		switch ct := h.Get("Content-Type"); {
		case strings.HasPrefix(ct, "text/html"):
			if csp != cspHTML || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: HTML CSP %q", target, csp)
			}
		default:
			if csp != cspJSON {
				t.Errorf("%s (%s): CSP %q", target, ct, csp)
			}
		}
	}
}

// slowSearcher blocks until its context ends.
type slowSearcher struct{ fakeSearcher }

func (s *slowSearcher) Search(ctx context.Context, _ search.Query) (*search.Result, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestTimeout(t *testing.T) {
	var logs logBuffer
	e := New(Config{Timeout: 20 * time.Millisecond, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, &slowSearcher{fakeSearcher{res: sampleResult()}})
	began := time.Now()
	rec := serve(t, e, request{target: "/api/v1/search?q=eAkte"})
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
	p := decode[problem](t, rec)
	if rec.Code != 503 || p.Type != problemTimeout || !strings.Contains(p.Detail, "zu lange gedauert") || rec.Header().Get("Retry-After") == "" {
		t.Errorf("timeout: %d %+v", rec.Code, p)
	}
	if !strings.Contains(logs.buf.String(), `"level":"WARN","msg":"request timed out"`) {
		t.Errorf("timeout not logged as a warning: %s", logs.buf.String())
	}
}

// panickySearcher panics on every search.
type panickySearcher struct{ fakeSearcher }

func (*panickySearcher) Search(context.Context, search.Query) (*search.Result, error) {
	panic("index exploded at /var/lib/talksearch/index")
}

func TestPanic(t *testing.T) {
	var logs logBuffer
	e := New(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, &panickySearcher{fakeSearcher{res: sampleResult()}})
	rec := serve(t, e, request{target: "/api/v1/search?q=x"})
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "/var/lib") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Errorf("panic: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.buf.String(), `"msg":"panic"`) || !strings.Contains(logs.buf.String(), `"status":500`) {
		t.Errorf("panic not logged: %s", logs.buf.String())
	}
}

func TestMetrics(t *testing.T) {
	e, _ := newTestApp(t, Config{Version: "v9.9.9"})
	for _, target := range []string{"/api/v1/search?q=eAkte", "/api/v1/search?q=OZG", "/api/v1/talks/eakte-plauen", "/api/v1/talks/freifunk-gera", "/api/v1/talks/nicht-da", "/gibts/nicht"} {
		serve(t, e, request{target: target})
	}
	serve(t, e, request{method: http.MethodPost, target: "/api/v1/search"})
	rec := serve(t, e, request{target: "/metrics"})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`talksearch_http_requests_total{route="/api/v1/search",status="200"} 2`,
		`talksearch_http_requests_total{route="/api/v1/talks/:id",status="200"} 2`,
		`talksearch_http_requests_total{route="/api/v1/talks/:id",status="404"} 1`,
		`talksearch_http_requests_total{route="/api/v1/search",status="405"} 1`,
		`talksearch_http_request_duration_seconds_bucket{route="/api/v1/search",status="200",le="+Inf"} 2`,
		`talksearch_http_request_duration_seconds_count{route="/api/v1/talks/:id",status="404"} 1`,
		"talksearch_index_talks 25",
		"talksearch_index_documents ",
		"talksearch_index_last_indexed_timestamp_seconds ",
		"talksearch_index_size_bytes ",
		`talksearch_build_info{goversion="go`,
		`version="v9.9.9"} 1`,
		"talksearch_ready 1",
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Labels are route patterns, never raw paths: cardinality stays bounded.
	for _, bad := range []string{"eakte-plauen", "nicht-da", "gibts", "q=eAkte"} {
		if strings.Contains(body, bad) {
			t.Errorf("metrics contain the raw path part %q", bad)
		}
	}
	if !regexp.MustCompile(`talksearch_index_documents [1-9]`).MatchString(body) {
		t.Error("no documents counted")
	}
}

// TestRateLimitIPv6Network: the addresses of one IPv6 /64 share a limit.
func TestRateLimitIPv6Network(t *testing.T) {
	e := New(Config{RateLimit: 1, RateBurst: 2}, &fakeSearcher{res: sampleResult()})
	for i, remote := range []string{"[2001:db8::1]:1", "[2001:db8::2]:1", "[2001:db8::3]:1", "[2001:db8:0:1::1]:1"} {
		rec := serve(t, e, request{target: "/api/v1/version", remote: remote})
		if want := []int{200, 200, 429, 200}[i]; rec.Code != want {
			t.Errorf("%s: %d, want %d", remote, rec.Code, want)
		}
	}
}

func TestFileErrors(t *testing.T) {
	files := fstest.MapFS{"itf2018/slides/a b.pdf": {Data: []byte("%PDF-1.7 0123456789")}}
	e := New(Config{Files: files}, &fakeSearcher{res: sampleResult()})
	tests := []struct {
		req    request
		status int
		ctype  string
	}{
		{request{target: "/files/itf2018/slides/a%20b.pdf"}, 200, "application/pdf"},
		{request{method: http.MethodHead, target: "/files/itf2018/slides/a%20b.pdf"}, 200, "application/pdf"},
		{request{target: "/files/itf2018/slides/a%20b.pdf", header: http.Header{"Range": {"bytes=0-7"}}}, 206, "application/pdf"},
		{request{target: "/files/itf2018/slides/"}, 404, "application/problem+json"},
		{request{target: "/files/itf2018"}, 404, "application/problem+json"},
		{request{target: "/files/"}, 404, "application/problem+json"},
		{request{target: "/files/itf2018/slides/fehlt.pdf"}, 404, "application/problem+json"},
		{request{target: "/files/%2e%2e/%2e%2e/etc/passwd"}, 404, "application/problem+json"},
		{request{method: http.MethodPost, target: "/files/itf2018/slides/a%20b.pdf"}, 405, "application/problem+json"},
	}
	for _, tt := range tests {
		rec := serve(t, e, tt.req)
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != tt.ctype {
			t.Errorf("%s %s: %d %q %s", tt.req.method, tt.req.target, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		if rec.Code == 206 && rec.Body.String() != "%PDF-1.7" {
			t.Errorf("range: %q", rec.Body)
		}
		if rec.Code >= 400 && strings.Contains(rec.Body.String(), "<a href") {
			t.Errorf("%s: listing %s", tt.req.target, rec.Body)
		}
	}
}
