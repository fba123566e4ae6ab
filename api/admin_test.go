package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

const testToken = "s3cret-token-for-tests-0123456789"

// fakeAdmin records what the handlers hand it and answers with err, or
// with the talk id and job it was given.
type fakeAdmin struct {
	mu      sync.Mutex
	err     error
	id      string
	job     Job
	uploads []Upload
	pdf     []byte // the content of the last upload's PDF
	deleted []string
	calls   int
}

func (f *fakeAdmin) AddTalk(_ context.Context, up *Upload) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.uploads = append(f.uploads, *up)
	f.pdf, _ = io.ReadAll(up.PDF.Content)
	return f.id, f.err
}

func (f *fakeAdmin) DeleteTalk(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.deleted = append(f.deleted, id)
	return f.err
}

func (f *fakeAdmin) Reindex(context.Context) (Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.job, f.err
}

func (f *fakeAdmin) Job(id string) (Job, bool) {
	return f.job, id == f.job.ID
}

// form is a multipart upload: fields (repeatable) and files.
type form struct {
	fields [][2]string
	files  map[string][]byte // field → content; the file name is x.<field>
}

func (f form) encode(tb testing.TB) (string, []byte) {
	tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range f.fields {
		w.WriteField(kv[0], kv[1])
	}
	for _, name := range []string{"pdf", "transcript"} {
		if data, ok := f.files[name]; ok {
			fw, err := w.CreateFormFile(name, "../../etc/"+name+".pdf")
			if err != nil {
				tb.Fatal(err)
			}
			fw.Write(data)
		}
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

var validForm = form{
	fields: [][2]string{{"event", "itf2018"}, {"title", "Einführung der eAkte"}, {"states", "Sachsen"}, {"states", "Thüringen"},
		{"topics", "eAkte"}, {"speakers", `[{"name":"Jörg Weiß","organisation":"Stadt Plauen"}]`}, {"kind", "Workshop"}},
	files: map[string][]byte{"pdf": []byte("%PDF-1.4\n% fake\n%%EOF\n")},
}

func (f form) with(field, value string) form {
	g := form{files: f.files}
	for _, kv := range f.fields {
		if kv[0] != field {
			g.fields = append(g.fields, kv)
		}
	}
	if value != "" {
		g.fields = append(g.fields, [2]string{field, value})
	}
	return g
}

func (f form) withFile(name string, data []byte) form {
	g := form{fields: f.fields, files: map[string][]byte{}}
	for k, v := range f.files {
		g.files[k] = v
	}
	if data == nil {
		delete(g.files, name)
	} else {
		g.files[name] = data
	}
	return g
}

// exchange is one admin request and its recorded answer.
type exchange struct {
	name       string
	method     string
	target     string
	header     http.Header
	body       []byte
	rec        *httptest.ResponseRecorder
	badRequest bool // openapi.json rules the request out (no token)
}

func (x *exchange) request() *http.Request {
	req := httptest.NewRequest(x.method, x.target, bytes.NewReader(x.body))
	for k, v := range x.header {
		req.Header[k] = v
	}
	return req
}

func doAdmin(e http.Handler, x exchange) exchange {
	x.rec = httptest.NewRecorder()
	e.ServeHTTP(x.rec, x.request())
	return x
}

// ruledOut marks a request that openapi.json rules out.
func ruledOut(x exchange) exchange {
	x.badRequest = true
	return x
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

func upload(name string, f form, tb testing.TB) exchange {
	ct, body := f.encode(tb)
	h := bearer(testToken)
	h.Set("Content-Type", ct)
	return exchange{name: name, method: http.MethodPost, target: "/api/v1/admin/talks", header: h, body: body}
}

// TestAdminAPI drives every admin endpoint through a real index and a
// fake corpus writer: each status the API can answer, its German detail,
// and each request and response checked against openapi.json.
func TestAdminAPI(t *testing.T) {
	c := loadOpenAPI(t)
	ix, _ := newTestIndex(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	fake := &fakeAdmin{id: "eakte-plauen"}
	started := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	newApp := func(f *fakeAdmin, max int64) *echo.Echo {
		return New(Config{Admin: f, AdminToken: testToken, AdminMaxUpload: max, Logger: logger}, ix)
	}
	refuse := func(reason AdminReason, field, value string) *fakeAdmin {
		return &fakeAdmin{err: &AdminError{Reason: reason, Field: field, Value: value}}
	}
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 4096)...)
	tests := []struct {
		app    *echo.Echo
		x      exchange
		status int
		detail string // in the body
	}{
		{newApp(fake, 0), upload("valid", validForm, t), 201, `"id":"eakte-plauen"`},
		{newApp(fake, 0), upload("not a PDF", validForm.withFile("pdf", []byte("<html>kein PDF</html>")), t), 415, "keine PDF-Datei"},
		{newApp(fake, 0), ruledOut(upload("no PDF", validForm.withFile("pdf", nil), t)), 400, "PDF-Datei (pdf) fehlt"},
		{newApp(fake, 1024), upload("too big", validForm.withFile("pdf", big), t), 413, "größer als erlaubt"},
		{newApp(fake, 0), ruledOut(upload("no title", validForm.with("title", ""), t)), 400, "Titel (title) fehlt"},
		{newApp(fake, 0), upload("bad speakers", validForm.with("speakers", "Jörg"), t), 400, "JSON-Liste"},
		{newApp(refuse(AdminBadField, "states", "Bayer"), 0), upload("bad state", validForm, t), 400, "„Bayer“ für Bundesland (states) ist nicht zulässig"},
		{newApp(refuse(AdminBadField, "event", "../etc"), 0), upload("traversal", validForm, t), 400, "„../etc“ für Veranstaltung"},
		{newApp(refuse(AdminTalkExists, "id", "eakte-plauen"), 0), upload("exists", validForm, t), 409, "gibt es schon"},
		{newApp(refuse(AdminReadOnly, "", ""), 0), upload("sample", validForm, t), 409, "Beispielsammlung"},
		{newApp(refuse(AdminUnreadablePDF, "pdf", ""), 0), upload("unreadable", validForm, t), 422, "lässt sich nicht lesen"},
		{newApp(refuse(AdminNotTranscript, "transcript", ""), 0), upload("transcript", validForm, t), 415, "UTF-8"},
		{newApp(&fakeAdmin{err: &AdminError{Reason: AdminWriteFailed, Err: errors.New("rename: read-only file system")}}, 0),
			upload("manifest not written", validForm, t), 500, "es wurde nichts geändert"},
		{newApp(fake, 0), exchange{name: "not multipart", method: http.MethodPost, target: "/api/v1/admin/talks",
			header: http.Header{"Authorization": {"Bearer " + testToken}, "Content-Type": {"application/json"}}, body: []byte(`{}`), badRequest: true}, 415, "multipart/form-data"},
		{newApp(fake, 0), exchange{name: "delete", method: http.MethodDelete, target: "/api/v1/admin/talks/eakte-plauen", header: bearer(testToken)}, 204, ""},
		{newApp(refuse(AdminTalkNotFound, "", ""), 0), exchange{name: "delete unknown", method: http.MethodDelete, target: "/api/v1/admin/talks/gibts-nicht", header: bearer(testToken)}, 404, "Diesen Vortrag gibt es nicht"},
		{newApp(&fakeAdmin{job: Job{ID: "j1", Kind: "reindex", State: JobRunning, Started: started}}, 0),
			exchange{name: "reindex", method: http.MethodPost, target: "/api/v1/admin/reindex", header: bearer(testToken)}, 202, "läuft"},
		{newApp(refuse(AdminJobRunning, "", "j1"), 0), exchange{name: "reindex twice", method: http.MethodPost, target: "/api/v1/admin/reindex", header: bearer(testToken)}, 409, "/api/v1/admin/jobs/j1"},
		{newApp(&fakeAdmin{job: Job{ID: "j1", Kind: "reindex", State: JobDone, Started: started, Finished: &started,
			Progress: JobProgress{Talks: 19, Done: 19, Pages: 180}, Failed: []JobFailure{{Talk: "x", File: "x.pdf", Reason: "the PDF is damaged"}}}}, 0),
			exchange{name: "job", method: http.MethodGet, target: "/api/v1/admin/jobs/j1", header: bearer(testToken)}, 200, "abgeschlossen"},
		{newApp(fake, 0), exchange{name: "unknown job", method: http.MethodGet, target: "/api/v1/admin/jobs/j9", header: bearer(testToken)}, 404, "Auftrag"},
		{New(Config{Ready: func() bool { return false }, Admin: fake, AdminToken: testToken}, ix),
			exchange{name: "not ready", method: http.MethodPost, target: "/api/v1/admin/reindex", header: bearer(testToken)}, 503, "aufgebaut"},
		{newApp(fake, 0), exchange{name: "GET on upload", method: http.MethodGet, target: "/api/v1/admin/talks", header: bearer(testToken)}, 405, "Verwaltungsadresse erlaubt diese Methode nicht"},
		{New(Config{}, ix), exchange{name: "admin off", method: http.MethodPost, target: "/api/v1/admin/reindex", header: bearer(testToken)}, 404, "Adresse gibt es nicht"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		x := doAdmin(tt.app, tt.x)
		if x.rec.Code != tt.status || !strings.Contains(x.rec.Body.String(), tt.detail) {
			t.Errorf("%s: %d %s, want %d with %q", x.name, x.rec.Code, x.rec.Body, tt.status, tt.detail)
		}
		key, reqErr, respErr := c.check(x.request(), x.rec.Code, x.rec.Header(), x.rec.Body.Bytes())
		seen[key] = true
		if respErr != nil {
			t.Errorf("%s: response does not match openapi.json: %v\n%s", x.name, respErr, x.rec.Body)
		}
		if (reqErr != nil) != x.badRequest {
			t.Errorf("%s: request does not match openapi.json: %v", x.name, reqErr)
		}
	}
	for _, want := range []string{"/api/v1/admin/talks 201", "/api/v1/admin/talks 400", "/api/v1/admin/talks 409", "/api/v1/admin/talks 413",
		"/api/v1/admin/talks 415", "/api/v1/admin/talks 422", "/api/v1/admin/talks 500", "/api/v1/admin/talks/{id} 204",
		"/api/v1/admin/talks/{id} 404", "/api/v1/admin/reindex 202", "/api/v1/admin/reindex 409", "/api/v1/admin/reindex 503",
		"/api/v1/admin/jobs/{id} 200", "/api/v1/admin/jobs/{id} 404", "/api/v1/admin/reindex 404"} {
		if !seen[want] {
			t.Errorf("no response validated for %s", want)
		}
	}

	// What the valid upload handed over: the fields as sent, the PDF's
	// bytes, and the client's file name only as a name.
	up := fake.uploads[0]
	if up.Event != "itf2018" || up.Title != "Einführung der eAkte" || !slices.Equal(up.States, []string{"Sachsen", "Thüringen"}) ||
		len(up.Speakers) != 1 || up.Speakers[0].Name != "Jörg Weiß" || up.Kind != "Workshop" || up.Transcript.Content != nil {
		t.Errorf("upload = %+v", up)
	}
	if !bytes.Equal(fake.pdf, validForm.files["pdf"]) {
		t.Errorf("PDF content = %q", fake.pdf)
	}
	if fake.calls != 2 { // the valid upload and the delete; every refusal before it reached the writer
		t.Errorf("fake admin called %d times, want 2", fake.calls)
	}
}

// TestAdminAuth: a missing or wrong token is a 401 that changes nothing
// and logs one line, without the token.
func TestAdminAuth(t *testing.T) {
	c := loadOpenAPI(t)
	ix, _ := newTestIndex(t)
	for _, h := range []struct {
		name   string
		header http.Header
	}{
		{"none", nil},
		{"wrong", bearer("s3cret-token-for-tests-0123456780")},
		{"prefix", bearer(testToken[:10])},
		{"longer", bearer(testToken + "x")},
		{"basic", http.Header{"Authorization": {"Basic " + testToken}}},
		{"bare", http.Header{"Authorization": {testToken}}},
	} {
		for _, x := range []exchange{
			{method: http.MethodPost, target: "/api/v1/admin/reindex"},
			{method: http.MethodDelete, target: "/api/v1/admin/talks/eakte-plauen"},
			{method: http.MethodGet, target: "/api/v1/admin/jobs/j1"},
			upload("", validForm, t),
		} {
			var logs bytes.Buffer
			fake := &fakeAdmin{id: "eakte-plauen", job: Job{ID: "j1"}}
			app := New(Config{Admin: fake, AdminToken: testToken, Logger: slog.New(slog.NewTextHandler(&logs, nil))}, ix)
			x.name = fmt.Sprintf("%s %s (%s)", x.method, x.target, h.name)
			if x.header == nil {
				x.header = http.Header{}
			}
			x.header.Del("Authorization")
			for k, v := range h.header {
				x.header[k] = v
			}
			x = doAdmin(app, x)
			if x.rec.Code != 401 || x.rec.Header().Get("WWW-Authenticate") == "" || !strings.Contains(x.rec.Body.String(), "Zugangsschlüssel") {
				t.Errorf("%s: %d %s", x.name, x.rec.Code, x.rec.Body)
			}
			if fake.calls != 0 {
				t.Errorf("%s: reached the corpus writer", x.name)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "status=401") || strings.Contains(logs.String(), testToken[:10]) {
				t.Errorf("%s: log =\n%s", x.name, logs.String())
			}
			_, _, respErr := c.check(x.request(), x.rec.Code, x.rec.Header(), x.rec.Body.Bytes())
			if respErr != nil {
				t.Errorf("%s: response does not match openapi.json: %v", x.name, respErr)
			}
		}
	}
	// The right token passes.
	x := doAdmin(New(Config{Admin: &fakeAdmin{job: Job{ID: "j1", State: JobRunning}}, AdminToken: testToken}, ix),
		exchange{method: http.MethodGet, target: "/api/v1/admin/jobs/j1", header: bearer(testToken)})
	if x.rec.Code != 200 {
		t.Errorf("right token: %d %s", x.rec.Code, x.rec.Body)
	}
}
