package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/talksearch/talksearch/search"
)

// syncBuffer is a bytes.Buffer a process may write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// proc is a talksearch process started by a test.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan error
}

// startMain starts this test binary as `talksearch args...` (TestMain
// runs main when envRunMain is set).
func startMain(t *testing.T, args ...string) *proc {
	t.Helper()
	return startMainEnv(t, nil, args...)
}

// wait waits at most d for the process to end and returns its exit code.
func (p *proc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(d):
		t.Fatalf("%v did not end within %s; stderr:\n%s", p.cmd.Args[1:], d, p.stderr)
		return -1
	}
}

var servingRe = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startServe starts serve on a free port and returns it with its base URL.
func startServe(t *testing.T, data string) (*proc, string) {
	t.Helper()
	p := startMain(t, "serve", "--data", data, "--addr", "127.0.0.1:0", "--isolate=false")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingRe.FindStringSubmatch(p.stderr.String()); m != nil {
			return p, "http://" + m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("serve did not listen within 10s; stderr:\n%s", p.stderr)
	return nil, ""
}

// waitStatus polls url until it answers want.
func waitStatus(t *testing.T, url string, want int, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	last := ""
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			resp.Body.Close()
			last = fmt.Sprintf("%d %s", resp.StatusCode, b.String())
			if resp.StatusCode == want {
				return b.String()
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not answer %d within %s; last: %s", url, want, within, last)
	return ""
}

// TestProcessKillDuringIndex kills `index` with SIGKILL at random
// moments of its first 100 ms, 50 times, each on a fresh data folder:
// the index left behind must always open, and search must answer.
func TestProcessKillDuringIndex(t *testing.T) {
	parent := t.TempDir()
	var last string
	for i := range 50 {
		data := filepath.Join(parent, fmt.Sprint(i))
		p := startMain(t, "index", "--data", data, "--isolate=false")
		time.Sleep(time.Duration(rand.IntN(100)) * time.Millisecond)
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.wait(t, 10*time.Second)
		dir := filepath.Join(data, "index")
		if _, err := os.Stat(dir); err != nil {
			continue // killed before it created anything
		}
		ix, err := search.Open(dir)
		if err != nil {
			t.Fatalf("kill %d: the index left behind does not open: %v", i, err)
		}
		ix.Close()
		last = data
	}
	if last == "" {
		t.Fatal("no kill left an index behind")
	}
	p := startMain(t, "search", "--data", last, "--isolate=false", "Rechnungen")
	if code := p.wait(t, 60*time.Second); code != 0 || !strings.Contains(p.stdout.String(), "talks for") {
		t.Fatalf("search after the kills: exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
}

// TestProcessIndexInUse runs export while serve holds the index: it must
// say within 2 s who holds it and exit non-zero. search, which asks
// serve, and index, which builds beside serve, succeed. serve then stops
// on SIGTERM, logs it and exits 0.
func TestProcessIndexInUse(t *testing.T) {
	data := t.TempDir()
	serve, base := startServe(t, data)
	waitStatus(t, base+"/readyz", http.StatusOK, 60*time.Second)
	want := fmt.Sprintf("in use by PID %d (talksearch serve)", serve.cmd.Process.Pid)
	began := time.Now()
	p := startMain(t, "export", "--data", data)
	code := p.wait(t, 5*time.Second)
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("export took %s to give up", took)
	}
	if code == 0 || !strings.Contains(p.stderr.String(), want) {
		t.Errorf("export: exit %d, stderr %q; want non-zero and %q", code, p.stderr, want)
	}
	p = startMain(t, "search", "--data", data, "Rechnungen")
	if code := p.wait(t, 10*time.Second); code != 0 || !strings.Contains(p.stdout.String(), "talks for") {
		t.Errorf("search beside serve: exit %d\n%s\n%s", code, p.stdout, p.stderr)
	}
	p = startMain(t, "index", "--data", data, "--isolate=false")
	if code := p.wait(t, 60*time.Second); code != 0 || !strings.Contains(p.stdout.String(), "19 talks: 19 indexed") {
		t.Errorf("index beside serve: exit %d\n%s\n%s", code, p.stdout, p.stderr)
	}
	serve.cmd.Process.Signal(syscall.SIGTERM)
	if code := serve.wait(t, 10*time.Second); code != 0 {
		t.Errorf("serve exited %d after SIGTERM", code)
	}
	for _, line := range []string{`msg="shutting down"`, "msg=stopped"} {
		if !strings.Contains(serve.stderr.String(), line) {
			t.Errorf("serve's log lacks %s:\n%s", line, serve.stderr)
		}
	}
}

// TestProcessServeWaitsForIndex starts serve while another process holds
// the index: it listens at once, /healthz says 200, /readyz 503 with the
// reason, and it becomes ready once the index is released. SIGINT during
// the wait ends it cleanly.
func TestProcessServeWaitsForIndex(t *testing.T) {
	data := t.TempDir()
	ix, err := search.Open(filepath.Join(data, "index"))
	if err != nil {
		t.Fatal(err)
	}
	holder := fmt.Sprintf("%d talksearch index\n", os.Getpid())
	if err := os.WriteFile(filepath.Join(data, holderFile), []byte(holder), 0o644); err != nil {
		t.Fatal(err)
	}
	serve, base := startServe(t, data)
	waitStatus(t, base+"/healthz", http.StatusOK, 2*time.Second)
	body := waitStatus(t, base+"/readyz", http.StatusServiceUnavailable, 2*time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(body, "waiting for the index") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		body = waitStatus(t, base+"/readyz", http.StatusServiceUnavailable, 2*time.Second)
	}
	if !strings.Contains(body, fmt.Sprintf("PID %d", os.Getpid())) {
		t.Errorf("/readyz does not name the holder: %s", body)
	}
	ix.Close()
	waitStatus(t, base+"/readyz", http.StatusOK, 60*time.Second)
	serve.cmd.Process.Signal(syscall.SIGTERM)
	if code := serve.wait(t, 5*time.Second); code != 0 {
		t.Errorf("serve exited %d after SIGTERM", code)
	}

	// A signal while it waits ends it at once.
	ix, err = search.Open(filepath.Join(data, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	serve, base = startServe(t, data)
	waitStatus(t, base+"/healthz", http.StatusOK, 2*time.Second)
	serve.cmd.Process.Signal(os.Interrupt)
	if code := serve.wait(t, 3*time.Second); code != 0 {
		t.Errorf("serve exited %d after SIGINT while waiting", code)
	}
}

// TestProcessIndexSIGTERM stops a first index run with SIGTERM: it must
// print the partial report and exit 0, never report a file as failed for
// the stop, and leave an index that opens.
func TestProcessIndexSIGTERM(t *testing.T) {
	data := t.TempDir()
	p := startMain(t, "index", "--data", data)
	// Wait until the index exists and extraction is under way.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(data, holderFile)); err == nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(150 * time.Millisecond)
	p.cmd.Process.Signal(syscall.SIGTERM)
	code := p.wait(t, 10*time.Second)
	out, log := p.stdout.String(), p.stderr.String()
	if code != 0 {
		t.Fatalf("index exited %d after SIGTERM\nstdout:\n%s\nstderr:\n%s", code, out, log)
	}
	if !strings.Contains(out, "talks:") {
		t.Errorf("no report after SIGTERM:\n%s", out)
	}
	if !strings.Contains(out, "INTERRUPTED") {
		t.Logf("the run ended before the signal; report:\n%s", out)
	}
	for _, bad := range []string{"context canceled", "FAILED", "file skipped"} {
		if strings.Contains(out+log, bad) {
			t.Errorf("the stop was reported as a fault (%q):\nstdout:\n%s\nstderr:\n%s", bad, out, log)
		}
	}
	ix, err := search.Open(filepath.Join(data, "index"))
	if err != nil {
		t.Fatalf("index after SIGTERM does not open: %v", err)
	}
	ix.Close()
}

// TestHalfCreatedIndexRebuilds gives search what an early kill used to
// leave (index_meta.json and a short store/root.bolt): it must rebuild
// from the corpus and answer, not fail until someone deletes the folder.
func TestHalfCreatedIndexRebuilds(t *testing.T) {
	data := t.TempDir()
	dir := filepath.Join(data, "index")
	if err := os.MkdirAll(filepath.Join(dir, "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "store", "root.bolt"), make([]byte, 16<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runMain(t, "search", "--data", data, "--isolate=false", "Rechnungen")
	if err != nil || !strings.Contains(out, "talks for") {
		t.Fatalf("search on a half-created index: %v\n%s", err, out)
	}
}
