package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/indexer"
)

// hostileCorpus builds a corpus folder beside a deck that tries to read
// or publish what lies outside it (issue 13, findings 2, 5 and 6): symbolic
// links to /etc/passwd, to a folder outside and to /dev/zero, a named pipe
// named x.pdf, a file that is not a PDF, one over the size limit, and a
// symbolic link that stays inside (allowed).
func hostileCorpus(t *testing.T) string {
	t.Helper()
	deck := func(name string) []byte {
		data, err := readSample(name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	dir := filepath.Join(t.TempDir(), "corpus")
	outside := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "manifest.json"), []byte(`{"event": {"id": "itf", "name": "IT-Fachtag", "year": 2018}, "talks": [
	  {"id": "gut", "title": "Gut", "files": {"slides": "gut.pdf", "transcript": "talk.txt"}},
	  {"id": "passwd", "title": "Passwd", "files": {"slides": "passwd.pdf"}},
	  {"id": "linkdir", "title": "Linkdir", "files": {"slides": "linkdir/secret.pdf"}},
	  {"id": "fifo", "title": "Fifo", "files": {"slides": "x.pdf"}},
	  {"id": "zero", "title": "Zero", "files": {"slides": "zero.pdf"}},
	  {"id": "kaputt", "title": "Kaputt", "files": {"slides": "kaputt.pdf"}},
	  {"id": "gross", "title": "Gross", "files": {"slides": "gross.pdf"}},
	  {"id": "innen", "title": "Innen", "files": {"slides": "innen.pdf"}}
	]}`))
	write(filepath.Join(dir, "gut.pdf"), deck("itf2018/slides/workshop-e-rechnung.pdf"))
	write(filepath.Join(dir, "decks", "echt.pdf"), deck("itf2018/slides/eakte-plauen.pdf"))
	write(filepath.Join(dir, "kaputt.pdf"), []byte("nologin: not a PDF at all\n"))
	write(filepath.Join(outside, "secret.pdf"), deck("itf2018/slides/freifunk-gera.pdf"))
	link("/etc/passwd", "talk.txt")
	link("/etc/passwd", "passwd.pdf")
	link(outside, "linkdir")
	link("/dev/zero", "zero.pdf")
	link("decks/echt.pdf", "innen.pdf")
	if err := syscall.Mkfifo(filepath.Join(dir, "x.pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(dir, "gross.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(2<<20 + 1); err != nil { // over --max-file-mb 2
		t.Fatal(err)
	}
	big.Close()
	return dir
}

func readSample(name string) ([]byte, error) {
	f, err := corpus.Sample().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// TestIndexRefusesOutsideAndNonRegularFiles: the report names every file
// that was not read, with its reason, and the run does not hang on the
// named pipe.
func TestIndexRefusesOutsideAndNonRegularFiles(t *testing.T) {
	dir := hostileCorpus(t)
	done := make(chan struct{})
	var (
		out string
		err error
	)
	go func() {
		defer close(done)
		out, err = runMain(t, "index", "--corpus", dir, "--data", t.TempDir(), "--max-file-mb", "2", "--json")
	}()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		t.Fatal("index hangs")
	}
	if err != nil {
		t.Fatalf("index: %v\n%s", err, out)
	}
	var rep indexer.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	reasons := map[string]string{}
	for _, f := range rep.Failed {
		reasons[f.File] = f.Reason
	}
	for file, want := range map[string]string{
		"talk.txt":           "symbolic link that leads outside",
		"passwd.pdf":         "symbolic link that leads outside",
		"linkdir/secret.pdf": "outside the corpus folder",
		"zero.pdf":           "symbolic link that leads outside",
		"x.pdf":              "not a regular file (a named pipe)",
		"kaputt.pdf":         "not a PDF",
		"gross.pdf":          "over the size limit of 2 MB",
	} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("%s: reason %q, want it to say %q", file, reasons[file], want)
		}
	}
	for _, ok := range []string{"gut.pdf", "innen.pdf"} {
		if r, failed := reasons[ok]; failed {
			t.Errorf("%s failed: %s", ok, r)
		}
	}
}

// TestServePublishesOnlyReadCorpusFiles drives GET /files/ and the search
// through the real server over the hostile corpus.
func TestServePublishesOnlyReadCorpusFiles(t *testing.T) {
	dir := hostileCorpus(t)
	base := runServe(t, 90*time.Second, nil, "--data", t.TempDir(), "--corpus", dir, "--max-file-mb", "2")
	for _, tt := range []struct {
		file string
		want int
	}{
		{"gut.pdf", 200},
		{"innen.pdf", 200}, // a link that stays inside the corpus
		{"talk.txt", 404},
		{"passwd.pdf", 404},
		{"linkdir/secret.pdf", 404},
		{"x.pdf", 404},
		{"zero.pdf", 404},
		{"kaputt.pdf", 404}, // failed as "not a PDF"
		{"gross.pdf", 404},
		{"manifest.json", 404},
		{"../../../etc/passwd", 404},
	} {
		code, body, _ := get(t, base+"/files/itf/"+tt.file)
		if code != tt.want {
			t.Errorf("GET /files/itf/%s: %d, want %d", tt.file, code, tt.want)
		}
		if strings.Contains(body, "nologin") || strings.Contains(body, "root:") {
			t.Errorf("GET /files/itf/%s leaks /etc/passwd", tt.file)
		}
	}
	for _, q := range []string{"nologin", "root", "Freifunk"} {
		code, body, _ := get(t, base+"/api/v1/search?q="+q)
		if code != 200 || !strings.Contains(body, `"total":0`) {
			t.Errorf("q=%s: %d %s, want no talk", q, code, body)
		}
	}
	if code, body, _ := get(t, base+"/api/v1/search?q=Plauen"); code != 200 || strings.Contains(body, `"total":0`) {
		t.Errorf("q=Plauen (the deck behind the inside link): %d %s", code, body)
	}
}
