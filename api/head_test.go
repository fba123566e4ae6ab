package api

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// rawExchange sends one request over a fresh connection and returns the
// parsed response and every byte that followed its header block.
func rawExchange(t *testing.T, addr, method, target string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n", method, target, addr)
	br := bufio.NewReader(conn)
	tp, err := http.ReadResponse(br, &http.Request{Method: http.MethodGet}) // read the header block only
	if err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(br) // with GET's framing ignored: everything on the wire after the headers
	if err != nil {
		t.Fatal(err)
	}
	tp.Body.Close()
	return tp, rest
}

// TestHEADWhereGETWorks: every route that answers GET answers HEAD with
// the same status and headers and not one byte of body.
func TestHEADWhereGETWorks(t *testing.T) {
	cfg := Config{
		Files:    fstest.MapFS{"itf2018/slides/eroeffnung.pdf": {Data: []byte(strings.Repeat("%PDF-1.4\n", 50))}},
		Previews: fstest.MapFS{"eroeffnung/1.png": {Data: []byte("\x89PNG\r\n\x1a\n")}},
	}
	e, _ := newTestApp(t, cfg)
	srv := httptest.NewServer(e)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	for _, target := range []string{
		"/", "/?q=eAkte", "/talks/eroeffnung", "/talks/nope",
		"/healthz", "/readyz", "/metrics",
		"/static/style.css", "/static/app.js",
		"/previews/eroeffnung/1.png", "/files/itf2018/slides/eroeffnung.pdf",
		"/api/v1/search?q=eAkte", "/api/v1/suggest?q=Digi", "/api/v1/talks", "/api/v1/talks/eroeffnung",
		"/api/v1/talks/eroeffnung/slides", "/api/v1/version", "/api/v1/openapi.json",
	} {
		t.Run(target, func(t *testing.T) {
			get, getBody := rawExchange(t, addr, http.MethodGet, target)
			head, headBody := rawExchange(t, addr, http.MethodHead, target)
			if get.StatusCode == http.StatusMethodNotAllowed || head.StatusCode != get.StatusCode {
				t.Fatalf("HEAD %d, GET %d", head.StatusCode, get.StatusCode)
			}
			if len(headBody) != 0 {
				t.Errorf("HEAD sent a body of %d bytes: %.80q", len(headBody), headBody)
			}
			if len(getBody) == 0 {
				t.Errorf("GET sent no body")
			}
			for _, h := range []string{"Content-Type", "Content-Length", "Cache-Control", "ETag", "Last-Modified", "Accept-Ranges",
				"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
				if g, hd := get.Header.Get(h), head.Header.Get(h); g != hd {
					t.Errorf("%s: GET %q, HEAD %q", h, g, hd)
				}
			}
		})
	}
}
