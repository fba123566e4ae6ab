package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startReplica runs serve --replica on data in this process and returns
// its Main and base URL once it listens (it is ready only once an index
// is installed).
func startReplica(t *testing.T, data string) (*Main, string) {
	t.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	m.Getenv = func(string) string { return "" }
	m.pollEvery = 50 * time.Millisecond
	if err := m.ParseFlags([]string{"serve", "--replica", "--data", data, "--addr", "127.0.0.1:0", "--rate-limit", "0"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("replica Run: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("replica Close: %v", err)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); m.Addr() == ""; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the replica did not listen")
		}
	}
	return m, "http://" + m.Addr()
}

// waitFor polls cond for up to 15 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15s", what)
		}
	}
}

// TestReplicaRollout is the scale-out path in one process: a writer
// indexes a folder with one unreadable deck, publish installs the index
// into two replica folders, one replica waiting for it and one started
// after; both answer, serve exactly the files the writer published, and
// never index on their own. A second rollout (a new deck) reaches both
// while clients query without pause: no request fails, the new talk
// stays found once found, and the old generation is removed.
func TestReplicaRollout(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera", "workshop-e-rechnung")
	if err := os.WriteFile(filepath.Join(decks, "kaputt.pdf"), []byte("%PDF-1.4 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	ev := filepath.Base(decks) // the event of a folder of decks
	writer, r1, r2 := t.TempDir(), t.TempDir(), t.TempDir()
	if _, err := runMain(t, "index", "--data", writer, "--corpus", decks, "--isolate=false"); err != nil {
		t.Fatal(err)
	}
	early, base1 := startReplica(t, r1)
	if code, body, _ := get(t, base1+"/readyz"); code != 503 || !strings.Contains(body, "talksearch publish") {
		t.Errorf("replica without an index: /readyz %d %s", code, body)
	}
	out, err := runMain(t, "publish", "--data", writer, "--wait", "2s", r1, r2)
	if err == nil || !strings.Contains(out, "the replica of "+r1+" serves index-1") || !strings.Contains(err.Error(), r2) {
		t.Fatalf("publish with one replica stopped: %v\n%s", err, out)
	}
	waitFor(t, "the waiting replica is ready", early.ready.Load)
	_, base2 := startReplica(t, r2)
	waitFor(t, "the later replica is ready", func() bool { code, _, _ := get(t, base2+"/readyz"); return code == 200 })
	for _, base := range []string{base1, base2} {
		if n := talkTotal(t, base, "Dachstandort"); n != 1 {
			t.Errorf("%s: Dachstandort finds %d talks, want 1", base, n)
		}
		for file, want := range map[string]int{ev + "/freifunk-gera.pdf": 200, ev + "/kaputt.pdf": 404, ev + "/nope.pdf": 404} {
			if code, _, _ := get(t, base+"/files/"+file); code != want {
				t.Errorf("%s/files/%s: %d, want %d (as the writer published)", base, file, code, want)
			}
		}
	}

	addDeck(t, decks, "eakte-plauen")
	if _, err := runMain(t, "index", "--data", writer, "--isolate=false"); err != nil {
		t.Fatal(err)
	}
	if n := talkTotal(t, base1, "Plauen"); n != 0 {
		t.Errorf("the replica found the new deck before publish: %d", n)
	}
	stop := make(chan struct{})
	failed1, flapped1, wait1 := hammer(t, base1, "Plauen", stop)
	failed2, flapped2, wait2 := hammer(t, base2, "Plauen", stop)
	out, err = runMain(t, "publish", "--data", writer, r1, r2)
	if err != nil || !strings.Contains(out, "serves index-2") {
		t.Fatalf("second publish: %v\n%s", err, out)
	}
	for _, base := range []string{base1, base2} {
		waitFor(t, base+" finds the new deck", func() bool { return talkTotal(t, base, "Plauen") == 1 })
		if code, _, _ := get(t, base+"/files/"+ev+"/eakte-plauen.pdf"); code != 200 {
			t.Errorf("%s: the new deck's file: %d", base, code)
		}
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wait1()
	wait2()
	if n := failed1.Load() + failed2.Load(); n != 0 {
		t.Errorf("%d requests failed during the rollout", n)
	}
	if n := flapped1.Load() + flapped2.Load(); n != 0 {
		t.Errorf("%d answers came from the old index after the new one", n)
	}
	for _, r := range []string{r1, r2} {
		waitFor(t, "the old generation of "+r+" is removed", func() bool {
			_, err := os.Stat(filepath.Join(r, "index-1"))
			return os.IsNotExist(err)
		})
	}
}

// TestReplicaFlags: a replica takes no writes of its own.
func TestReplicaFlags(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--replica", "--watch"},
		{"serve", "--replica", "--admin-token-file", "/tmp/token"},
		{"publish", "--data", "x"},
	} {
		m := NewMain()
		m.Stderr = io.Discard
		if err := m.ParseFlags(args); err == nil {
			t.Errorf("%q was accepted", args)
		}
	}
	m := NewMain()
	if err := m.ParseFlags([]string{"serve", "--replica", "--data", "r"}); err != nil || !m.Config.Replica {
		t.Errorf("serve --replica: %v %+v", err, m.Config)
	}
	dir := t.TempDir()
	if _, err := runMain(t, "publish", "--data", dir, dir); err == nil || !strings.Contains(err.Error(), "not a replica") {
		t.Errorf("publish to its own data folder: %v", err)
	}
}

// TestPublishWhileWriterServes publishes the index a writer serve holds
// (the snapshot is written by serve, through its control socket), with
// the data folder given relative to the working directory.
func TestPublishWhileWriterServes(t *testing.T) {
	decks := deckFolder(t, "freifunk-gera")
	writer, r1 := t.TempDir(), t.TempDir()
	startServeMain(t, nil, "--data", writer, "--corpus", decks)
	t.Chdir(filepath.Dir(writer))
	out, err := runMain(t, "publish", "--data", filepath.Base(writer), "--wait", "0", r1)
	if err != nil || !strings.Contains(out, "installed index-1 in "+r1) {
		t.Fatalf("publish while the writer serves: %v\n%s", err, out)
	}
	_, base := startReplica(t, r1)
	waitFor(t, "the replica answers", func() bool { code, _, _ := get(t, base+"/readyz"); return code == 200 })
	if n := talkTotal(t, base, "Dachstandort"); n != 1 {
		t.Errorf("the replica finds Dachstandort in %d talks, want 1", n)
	}
}

// TestWaitSwitched checks when publish says a replica serves the new
// generation: only once a process holds it open and the generation live
// before is gone (the replica deletes it after swapping the new one in),
// not as soon as the new one is held.
func TestWaitSwitched(t *testing.T) {
	for _, tt := range []struct {
		name             string
		holdNew, keepOld bool
		prev             string
		wantSwitched     bool
	}{
		{"held, old gone", true, false, "index-1", true},
		{"held, old still there", true, true, "index-1", false},
		{"not held", false, false, "index-1", false},
		{"first install, nothing before", true, false, "index", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			root := filepath.Join(dir, "index-2", "store", "root.bolt")
			if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(root, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.keepOld {
				if err := os.MkdirAll(filepath.Join(dir, tt.prev, "store"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if tt.holdNew { // as a replica's read-only open does
				f, err := os.Open(root)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
					t.Fatal(err)
				}
			}
			err := waitSwitched(context.Background(), dir, tt.prev, "index-2", 120*time.Millisecond)
			if got := err == nil; got != tt.wantSwitched {
				t.Errorf("switched = %v (%v), want %v", got, err, tt.wantSwitched)
			}
		})
	}
}
