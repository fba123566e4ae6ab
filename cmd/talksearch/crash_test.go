package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talksearch/talksearch/search"
)

// startMainEnv is startMain with extra environment variables.
func startMainEnv(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd.Env = append(append(os.Environ(), envRunMain+"=1"), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// digest describes the live index of data: its documents, every talk
// with its fingerprint, and the answer to a query. It opens the index and
// searches it, so it fails when either does not work.
func digest(t *testing.T, data string) string {
	t.Helper()
	ix := openLive(t, data)
	defer ix.Close()
	ctx := context.Background()
	st, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := ix.TalkIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	var b strings.Builder
	fmt.Fprintf(&b, "%d documents\n", st.Documents)
	for _, id := range ids {
		fp, _ := ix.Fingerprint(id)
		fmt.Fprintf(&b, "%s %s\n", id, fp)
	}
	res, err := ix.Search(ctx, search.Query{Text: "Rechnungen"})
	if err != nil {
		t.Fatalf("search in the index left behind: %v", err)
	}
	for _, h := range res.Talks {
		fmt.Fprintf(&b, "hit %s\n", h.ID)
	}
	return b.String()
}

// crashDecks is the corpus of the crash tests: 6 sample decks.
func crashDecks(t *testing.T) string {
	return deckFolder(t, "freifunk-gera", "workshop-e-rechnung", "eakte-plauen", "ozg-sachsen", "erfurter-modell", "earchiv-dresden")
}

// cleanBuild indexes decks into a new data folder.
func cleanBuild(t *testing.T, decks string) string {
	t.Helper()
	data := t.TempDir()
	if out, err := runMain(t, "index", "--corpus", decks, "--data", data, "--isolate=false"); err != nil {
		t.Fatalf("clean build: %v\n%s", err, out)
	}
	return data
}

// TestProcessKillThenRerun kills a first `index` run with SIGKILL at a
// random moment of its run (about 0.5 s), 6 times: after each kill the index
// opens and answers, and a re-run ends identical to a clean build.
func TestProcessKillThenRerun(t *testing.T) {
	decks := crashDecks(t)
	want := digest(t, cleanBuild(t, decks))
	for i := range 6 {
		data := t.TempDir()
		p := startMain(t, "index", "--corpus", decks, "--data", data, "--isolate=false")
		time.Sleep(time.Duration(rand.IntN(700)) * time.Millisecond)
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.wait(t, 10*time.Second)
		if _, err := os.Stat(filepath.Join(data, "index")); err == nil {
			digest(t, data) // opens and answers
		}
		if out, err := runMain(t, "index", "--corpus", decks, "--data", data, "--isolate=false"); err != nil {
			t.Fatalf("kill %d: re-run: %v\n%s", i, err, out)
		}
		if got := digest(t, data); got != want {
			t.Errorf("kill %d: the re-run differs from a clean build:\n%s\nwant:\n%s", i, got, want)
		}
	}
}

// TestProcessKillDuringSwap kills `index --force` (a full rebuild beside
// the live index and a swap) at each step of the swap and at 3 random
// moments: every time the index left behind opens with all its talks,
// the live generation is the old or the new one as the step says, and a
// re-run ends identical to a clean build.
func TestProcessKillDuringSwap(t *testing.T) {
	decks := crashDecks(t)
	want := digest(t, cleanBuild(t, decks))
	for _, tc := range []struct {
		step, live string
	}{
		{"built", "index"},
		{"swap-written", "index"},
		{"swap-renamed", "index-1"},
		{"gc", "index-1"},
		{"", ""}, {"", ""}, {"", ""},
	} {
		data := cleanBuild(t, decks)
		var env []string
		if tc.step != "" {
			env = []string{envKillAt + "=" + tc.step}
		}
		p := startMainEnv(t, env, "index", "--force", "--data", data, "--isolate=false")
		if tc.step == "" {
			time.Sleep(time.Duration(rand.IntN(700)) * time.Millisecond)
			p.cmd.Process.Signal(syscall.SIGKILL)
		}
		code := p.wait(t, 60*time.Second)
		if tc.step != "" && code != -1 {
			t.Fatalf("step %s: index was not killed there (exit %d)\n%s", tc.step, code, p.stderr)
		}
		if got := digest(t, data); got != want {
			t.Errorf("step %q: after the kill the index differs from the clean build:\n%s", tc.step, got)
		}
		if live, _ := liveGeneration(data); tc.live != "" && live != tc.live {
			t.Errorf("step %s: live generation %s, want %s", tc.step, live, tc.live)
		}
		if out, err := runMain(t, "index", "--data", data, "--isolate=false"); err != nil {
			t.Fatalf("step %q: re-run: %v\n%s", tc.step, err, out)
		}
		if got := digest(t, data); got != want {
			t.Errorf("step %q: the re-run differs from a clean build:\n%s", tc.step, got)
		}
	}
}

// bigDeck is a sample deck padded to size bytes: a comment after its
// end and its last startxref repeated, which PDF readers accept.
func bigDeck(t *testing.T, name string, size int) []byte {
	t.Helper()
	data, err := readSample("itf2018/slides/" + name + ".pdf")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	tail := append([]byte{}, data[i:]...)
	out := append(append([]byte{}, data...), '\n', '%')
	out = append(out, bytes.Repeat([]byte("x"), size-len(data)-len(tail)-3)...)
	return append(append(out, '\n'), tail...)
}

// TestProcessGracefulShutdown sends SIGTERM to serve while it sends a
// 24 MB file to a client that reads slowly: serve stops accepting
// connections at once, sends that response in full, exits 0, removes its
// control socket and leaves the index closed (it opens at once).
func TestProcessGracefulShutdown(t *testing.T) {
	decks := t.TempDir()
	deck := bigDeck(t, "freifunk-gera", 24<<20)
	os.WriteFile(filepath.Join(decks, "gera.pdf"), deck, 0o644)
	data := t.TempDir()
	serve := startMain(t, "serve", "--data", data, "--corpus", decks, "--addr", "127.0.0.1:0", "--isolate=false")
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := servingRe.FindStringSubmatch(serve.stderr.String()); m != nil {
			base = "http://" + m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not listen\n%s", serve.stderr)
		}
	}
	waitStatus(t, base+"/readyz", http.StatusOK, 60*time.Second)
	resp, err := http.Get(base + "/files/" + filepath.Base(decks) + "/gera.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 4096)
	if _, err := io.ReadFull(resp.Body, first); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET the deck: %d %v", resp.StatusCode, err)
	}
	serve.cmd.Process.Signal(syscall.SIGTERM)
	addr := strings.TrimPrefix(base, "http://")
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break // no longer accepting
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("serve still accepts connections 3s after SIGTERM")
		}
	}
	rest, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(append(first, rest...), deck) {
		t.Errorf("the response in flight at SIGTERM: %v, %d of %d bytes", err, len(first)+len(rest), len(deck))
	}
	if code := serve.wait(t, 15*time.Second); code != 0 {
		t.Errorf("serve exited %d after SIGTERM\n%s", code, serve.stderr)
	}
	log := serve.stderr.String()
	if i, j := strings.Index(log, `msg="shutting down"`), strings.Index(log, "/gera.pdf"); i < 0 || j < i {
		t.Errorf("the request did not end after the signal:\n%s", log)
	}
	ix, err := search.Open(filepath.Join(data, "index"), search.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("the index after the shutdown: %v", err)
	}
	ix.Close()
	if _, err := os.Stat(filepath.Join(data, controlSocket)); !os.IsNotExist(err) {
		t.Errorf("the control socket is left behind: %v", err)
	}
}
