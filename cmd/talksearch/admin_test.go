package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/internal/testpdf"
)

const adminToken = "test-admin-token-0123456789abcdef"

// adminCorpus is a corpus folder with one event (itf, with a manifest)
// holding one talk, and a token file; it returns both paths.
func adminCorpus(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "itf", "slides"), 0o755)
	os.WriteFile(filepath.Join(dir, "itf", "slides", "freifunk-gera.pdf"), testpdf.SampleDeck(t, "freifunk-gera"), 0o644)
	os.WriteFile(filepath.Join(dir, "itf", "manifest.json"), []byte(`{"event": {"id": "itf", "name": "IT-Fachtag", "year": 2018},
	  "talks": [{"id": "freifunk-gera", "title": "Freifunk in Gera", "states": ["Thüringen"], "files": {"slides": "slides/freifunk-gera.pdf"}}]}`), 0o644)
	token := filepath.Join(t.TempDir(), "token")
	os.WriteFile(token, []byte(adminToken+"\n"), 0o600)
	return dir, token
}

// snapshot lists every file of dir with its content, to prove that a
// refused request changed nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			lines = append(lines, rel+"/")
			return nil
		}
		data, _ := os.ReadFile(p)
		lines = append(lines, rel+" "+string(data))
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// adminUpload posts a multipart upload with the given fields and PDF.
func adminUpload(t *testing.T, base, token string, fields [][2]string, pdf []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range fields {
		w.WriteField(kv[0], kv[1])
	}
	fw, _ := w.CreateFormFile("pdf", "../../../etc/passwd.pdf")
	fw.Write(pdf)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/admin/talks", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func adminDo(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return send(t, req)
}

// TestAdminUploadDelete runs serve on a corpus folder with the admin
// API: an upload lands in the folder and the manifest and is found at
// once, a re-index reproduces it, hostile uploads change nothing, and a
// delete takes the talk out of folder, manifest and index.
func TestAdminUploadDelete(t *testing.T) {
	dir, token := adminCorpus(t)
	base := runServe(t, 60*time.Second, nil, "--corpus", dir, "--data", t.TempDir(), "--isolate=false",
		"--admin-token-file", token, "--admin-max-upload-mb", "1")
	deck := testpdf.SampleDeck(t, "eakte-plauen")
	meta := [][2]string{{"event", "itf"}, {"id", "neue-eakte"}, {"title", "Einführung der eAkte"}, {"kind", "Workshop"},
		{"states", "Sachsen"}, {"topics", "eAkte"}, {"speakers", `[{"name":"Thomas Schüppel","organisation":"Stadt Plauen"}]`}}

	before := snapshot(t, dir)
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 1<<20)...)
	for _, bad := range []struct {
		name   string
		token  string
		fields [][2]string
		pdf    []byte
		status int
	}{
		{"no token", "", meta, deck, 401},
		{"wrong token", "falsch-falsch-falsch-falsch", meta, deck, 401},
		{"not a PDF", adminToken, meta, []byte("<html>kein PDF</html>"), 415},
		{"too big", adminToken, meta, big, 413},
		{"unreadable", adminToken, meta, []byte("%PDF-1.4\nnur Unsinn, kein Dokument\n"), 422},
		{"../ event", adminToken, withField(meta, "event", "../etc"), deck, 400},
		{"../ id", adminToken, withField(meta, "id", "../../x"), deck, 400},
		{"unknown state", adminToken, withField(meta, "states", "Bayer"), deck, 400},
		{"id taken", adminToken, withField(meta, "id", "freifunk-gera"), deck, 409},
	} {
		code, body := adminUpload(t, base, bad.token, bad.fields, bad.pdf)
		if code != bad.status || !strings.Contains(body, `"detail"`) {
			t.Errorf("%s: %d %s, want %d", bad.name, code, body, bad.status)
		}
		if now := snapshot(t, dir); now != before {
			t.Fatalf("%s changed the corpus:\n%s", bad.name, now)
		}
	}

	// A manifest that cannot be written: nothing of the upload stays.
	blocker := filepath.Join(dir, "itf", ".manifest.json.tmp")
	os.Mkdir(blocker, 0o755)
	before = snapshot(t, dir)
	if code, body := adminUpload(t, base, adminToken, meta, deck); code != 500 || !strings.Contains(body, "nichts geändert") {
		t.Errorf("manifest blocked: %d %s", code, body)
	}
	if now := snapshot(t, dir); now != before {
		t.Fatalf("failed upload left something behind:\n%s", now)
	}
	os.Remove(blocker)

	code, body := adminUpload(t, base, adminToken, meta, deck)
	if code != 201 || !strings.Contains(body, `"id":"neue-eakte"`) || !strings.Contains(body, "Thomas Schüppel") {
		t.Fatalf("upload: %d %s", code, body)
	}
	onDisk, _ := os.ReadFile(filepath.Join(dir, "itf", "slides", "neue-eakte.pdf"))
	manifest, _ := os.ReadFile(filepath.Join(dir, "itf", "manifest.json"))
	if !bytes.Equal(onDisk, deck) || !strings.Contains(string(manifest), `"slides": "slides/neue-eakte.pdf"`) ||
		!strings.Contains(string(manifest), "Einführung der eAkte") || !strings.Contains(string(manifest), "freifunk-gera") {
		t.Fatalf("corpus after upload: %d bytes, manifest\n%s", len(onDisk), manifest)
	}
	if code, body, _ := get(t, base+"/api/v1/search?q=Plauen"); code != 200 || !strings.Contains(body, `"id":"neue-eakte"`) {
		t.Fatalf("not found after upload: %d %s", code, body)
	}
	if code, _, _ := get(t, base+"/files/itf/slides/neue-eakte.pdf"); code != 200 {
		t.Errorf("uploaded file not served: %d", code)
	}
	_, talkBefore, _ := get(t, base+"/api/v1/talks/neue-eakte")

	// A re-index from the corpus reproduces the talk.
	code, body = adminDo(t, http.MethodPost, base+"/api/v1/admin/reindex")
	var job api.Job
	if json.Unmarshal([]byte(body), &job); code != 202 || job.ID == "" {
		t.Fatalf("reindex: %d %s", code, body)
	}
	deadline := time.Now().Add(60 * time.Second)
	for job.State == api.JobRunning && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		_, body = adminDo(t, http.MethodGet, base+"/api/v1/admin/jobs/"+job.ID)
		json.Unmarshal([]byte(body), &job)
	}
	if job.State != api.JobDone || job.Progress.Talks != 2 || job.Progress.Done != 2 || job.Progress.Pages == 0 {
		t.Fatalf("job: %s", body)
	}
	if _, talkAfter, _ := get(t, base+"/api/v1/talks/neue-eakte"); talkAfter != talkBefore {
		t.Errorf("re-index changed the talk:\n%s\n%s", talkBefore, talkAfter)
	}

	if code, body := adminDo(t, http.MethodDelete, base+"/api/v1/admin/talks/neue-eakte"); code != 204 {
		t.Fatalf("delete: %d %s", code, body)
	}
	if code, _ := adminDo(t, http.MethodDelete, base+"/api/v1/admin/talks/neue-eakte"); code != 404 {
		t.Errorf("second delete: %d", code)
	}
	manifest, _ = os.ReadFile(filepath.Join(dir, "itf", "manifest.json"))
	if _, err := os.Stat(filepath.Join(dir, "itf", "slides", "neue-eakte.pdf")); !errors.Is(err, fs.ErrNotExist) || strings.Contains(string(manifest), "neue-eakte") {
		t.Errorf("after delete: file %v, manifest\n%s", err, manifest)
	}
	if _, body, _ := get(t, base+"/api/v1/search?q=Plauen"); strings.Contains(body, "neue-eakte") {
		t.Errorf("found after delete: %s", body)
	}
	if code, _, _ := get(t, base+"/files/itf/slides/neue-eakte.pdf"); code != 404 {
		t.Errorf("deleted file served: %d", code)
	}
}

func withField(fields [][2]string, name, value string) [][2]string {
	out := [][2]string{{name, value}}
	for _, kv := range fields {
		if kv[0] != name {
			out = append(out, kv)
		}
	}
	return out
}

// TestAdminSampleReadOnly: on the bundled sample, uploads and deletes
// are refused with 409; there is no folder to write to.
func TestAdminSampleReadOnly(t *testing.T) {
	m := NewMain()
	s := adminService{m}
	_, err := s.AddTalk(context.Background(), &api.Upload{Event: "itf2018", Title: "T"})
	var ae *api.AdminError
	if !errors.As(err, &ae) || ae.Reason != api.AdminReadOnly {
		t.Errorf("add: %v", err)
	}
	if err := s.DeleteTalk(context.Background(), "eakte-plauen"); !errors.As(err, &ae) || ae.Reason != api.AdminReadOnly {
		t.Errorf("delete: %v", err)
	}
}

// TestAdminOff: without a token file the admin paths do not exist.
func TestAdminOff(t *testing.T) {
	dir, _ := adminCorpus(t)
	base := runServe(t, 60*time.Second, nil, "--corpus", dir, "--data", t.TempDir(), "--isolate=false")
	if code, _ := adminDo(t, http.MethodPost, base+"/api/v1/admin/reindex"); code != 404 {
		t.Errorf("admin off: %d", code)
	}
}

func TestReadToken(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		content string
		ok      bool
	}{
		{adminToken + "\n", true},
		{"kurz\n", false},
		{"zwei woerter-0123456789abcdef", false},
		{"", false},
	} {
		f := filepath.Join(dir, "t")
		os.WriteFile(f, []byte(tt.content), 0o600)
		tok, err := readToken(f)
		if (err == nil) != tt.ok || tt.ok && tok != adminToken {
			t.Errorf("%q: %q %v", tt.content, tok, err)
		}
		if err != nil && strings.Contains(err.Error(), strings.TrimSpace(tt.content)) && tt.content != "" {
			t.Errorf("error quotes the token: %v", err)
		}
	}
	if _, err := readToken(filepath.Join(dir, "fehlt")); err == nil {
		t.Error("missing file accepted")
	}
}

// TestShutdownFinishesReindexJob: a SIGTERM (the end of serve's context)
// while an admin reindex runs lets the job finish within the shutdown
// deadline; the new index is live and whole afterwards.
func TestShutdownFinishesReindexJob(t *testing.T) {
	dir, token := adminCorpus(t)
	talks := []string{`{"id": "freifunk-gera", "title": "Freifunk in Gera", "files": {"slides": "slides/freifunk-gera.pdf"}}`}
	for _, name := range []string{"eakte-plauen", "ozg-sachsen", "earchiv-dresden"} {
		os.WriteFile(filepath.Join(dir, "itf", "slides", name+".pdf"), testpdf.SampleDeck(t, name), 0o644)
		talks = append(talks, `{"id": "`+name+`", "title": "`+name+`", "files": {"slides": "slides/`+name+`.pdf"}}`)
	}
	os.WriteFile(filepath.Join(dir, "itf", "manifest.json"), []byte(`{"event": {"id": "itf", "name": "IT-Fachtag", "year": 2018}, "talks": [`+
		strings.Join(talks, ",")+`]}`), 0o644)
	data := t.TempDir()
	m := NewMain()
	var logs syncBuffer
	m.Stdout, m.Stderr = io.Discard, &logs
	if err := m.ParseFlags([]string{"serve", "--addr", "127.0.0.1:0", "--corpus", dir, "--data", data, "--admin-token-file", token}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	deadline := time.Now().Add(60 * time.Second)
	for m.Addr() == "" || !m.ready.Load() {
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("serve did not become ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := adminDo(t, http.MethodPost, "http://"+m.Addr()+"/api/v1/admin/reindex"); code != http.StatusAccepted {
		cancel()
		t.Fatalf("reindex: %d %s", code, body)
	}
	cancel() // as SIGTERM does
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	m.Close()
	log := logs.String()
	jobDone, stopped := strings.Index(log, "admin: reindex done"), strings.LastIndex(log, "msg=stopped")
	if jobDone < 0 || stopped < jobDone {
		t.Fatalf("the reindex job did not finish before serve stopped:\n%s", log)
	}
	if live, _ := liveGeneration(data); live == "index" || live == "" {
		t.Errorf("live generation %q: the reindex did not swap in a new index", live)
	}
	if ids := talksIn(t, data); len(ids) != 4 {
		t.Errorf("after the reindex: talks %v, want 4", ids)
	}
}
