package api

import (
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"
)

// fakeClock is a time source the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// refusalLines are the "rate limited" lines logged, as client → counts.
func refusalLines(t *testing.T, logs *logBuffer) map[string][]int {
	t.Helper()
	out := map[string][]int{}
	for _, l := range logs.lines(t) {
		if l["msg"] == "rate limited" {
			c := l["client"].(string)
			out[c] = append(out[c], int(l["refusals"].(float64)))
		}
	}
	return out
}

// TestRefusalLogOncePerClientPerMinute: a flood of refusals is one line
// per client a minute, each with the number of refusals it stands for.
func TestRefusalLogOncePerClientPerMinute(t *testing.T) {
	var logs logBuffer
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	l := newRefusalLog(slog.New(slog.NewJSONHandler(&logs, nil)), clock.now)

	// Minute one: 10,000 refusals of A, 5 of B, within 59 s.
	for i := range 10000 {
		l.note("203.0.113.7", "203.0.113.0")
		if i%5 == 0 && i < 25 {
			l.note("198.51.100.9", "198.51.100.0")
		}
		clock.advance(5 * time.Millisecond)
	}
	got := refusalLines(t, &logs)
	if len(got["203.0.113.0"]) != 1 || got["203.0.113.0"][0] != 1 || len(got["198.51.100.0"]) != 1 {
		t.Fatalf("after the first minute: %v, want one line per client, at the first refusal", got)
	}

	// A minute after its first line, A's next refusal logs the rest: the
	// 9,999 that followed plus this one. B, refused no more, is told by
	// the sweep: its 4 untold refusals.
	clock.t = time.Date(2026, 3, 1, 12, 1, 0, 0, time.UTC)
	l.note("203.0.113.7", "203.0.113.0")
	got = refusalLines(t, &logs)
	if want := []int{1, 10000}; !slices.Equal(got["203.0.113.0"], want) {
		t.Errorf("A: %v, want %v", got["203.0.113.0"], want)
	}
	if want := []int{1, 4}; !slices.Equal(got["198.51.100.0"], want) {
		t.Errorf("B: %v, want %v", got["198.51.100.0"], want)
	}

	// Half a minute later: nothing new is logged.
	clock.advance(30 * time.Second)
	for range 100 {
		l.note("203.0.113.7", "203.0.113.0")
	}
	if n := len(refusalLines(t, &logs)["203.0.113.0"]); n != 2 {
		t.Errorf("A logged %d lines within a minute of the last", n)
	}

	// Clients refused no more are forgotten, so the map stays small.
	clock.advance(5 * time.Minute)
	l.note("192.0.2.1", "192.0.2.0")
	clock.advance(2 * time.Minute)
	l.note("192.0.2.1", "192.0.2.0")
	if n := len(l.clients); n != 1 {
		t.Errorf("%d clients remembered, want 1", n)
	}
}

// TestRateLimitFloodLogsOneLine: through the app, 200 refused requests of
// one client leave one INFO line, and no access line for a 429 at INFO.
func TestRateLimitFloodLogsOneLine(t *testing.T) {
	var logs logBuffer
	e := New(Config{RateLimit: 1, RateBurst: 1, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, &fakeSearcher{res: sampleResult()})
	refused := 0
	for range 201 {
		rec := serve(t, e, request{target: "/api/v1/search?q=eAkte", remote: "203.0.113.7:4711"})
		if rec.Code == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused < 199 {
		t.Fatalf("only %d requests refused", refused)
	}
	lines := 0
	for _, l := range logs.lines(t) {
		if l["msg"] == "request" && l["status"] == float64(http.StatusTooManyRequests) {
			t.Errorf("access line for a refusal at %v", l["level"])
		}
		if l["msg"] == "rate limited" {
			lines++
			if l["client"] != "203.0.113.0" || l["level"] != "INFO" {
				t.Errorf("refusal line %v", l)
			}
		}
	}
	if lines != 1 {
		t.Errorf("%d refusal lines, want 1", lines)
	}
}
