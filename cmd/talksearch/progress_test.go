package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/indexer"
)

// TestProgressLog: without a terminal, progress is a log line every
// interval with talks, pages, pages/s and the time left.
func TestProgressLog(t *testing.T) {
	var logs bytes.Buffer
	p := startProgress(&logs, slog.New(slog.NewTextHandler(&logs, nil)), false, 20*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	if logs.Len() != 0 {
		t.Errorf("logged before there was anything to index:\n%s", logs.String())
	}
	p.update(indexer.Progress{Talks: 4, Done: 1, Pages: 12})
	time.Sleep(100 * time.Millisecond)
	p.finish()
	out := logs.String()
	for _, want := range []string{"msg=indexing", "talks=1/4", "pages=12", "pages_per_s=", "eta="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\r") || strings.Contains(out, "█") {
		t.Errorf("a bar in the log:\n%s", out)
	}
	n := strings.Count(out, "\n")
	time.Sleep(60 * time.Millisecond)
	if strings.Count(logs.String(), "\n") != n {
		t.Error("logging went on after finish")
	}
}

// TestProgressBar: on a terminal, progress is a bar with the count,
// pages/s and the time left, cleared at the end.
func TestProgressBar(t *testing.T) {
	var term bytes.Buffer
	p := startProgress(&term, slog.New(slog.DiscardHandler), true, time.Hour)
	p.update(indexer.Progress{Talks: 4})
	time.Sleep(10 * time.Millisecond)
	p.update(indexer.Progress{Talks: 4, Done: 2, Pages: 30})
	out := term.String()
	for _, want := range []string{"2/4", "30 pages", "pages/s", "%"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar lacks %q: %q", want, out)
		}
	}
	p.finish()
}
