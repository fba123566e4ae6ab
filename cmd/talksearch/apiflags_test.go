package main

import (
	"io"
	"slices"
	"testing"
	"time"
)

// TestAPIFlags checks the serve flags of the HTTP API: defaults, the
// environment, flags winning over it, and refused values.
func TestAPIFlags(t *testing.T) {
	parse := func(args ...string) (Config, error) {
		m := NewMain()
		m.Stderr = io.Discard
		err := m.ParseFlags(args)
		return m.Config, err
	}
	c, err := parse("serve")
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimit != 20 || c.RateBurst != 40 || c.RateLimitLocal || c.TrustProxy || c.RequestTimeout != 10*time.Second || c.CORSOrigins != "" {
		t.Errorf("defaults = %+v", c)
	}

	t.Setenv("TALKSEARCH_RATE_LIMIT", "5")
	t.Setenv("TALKSEARCH_RATE_BURST", "7")
	t.Setenv("TALKSEARCH_CORS_ORIGINS", "https://portal.example.de, https://land.example.de,")
	t.Setenv("TALKSEARCH_TRUST_PROXY", "true")
	t.Setenv("TALKSEARCH_REQUEST_TIMEOUT", "3s")
	c, err = parse("serve", "--rate-burst", "9", "--rate-limit-local")
	if err != nil {
		t.Fatal(err)
	}
	if c.RateLimit != 5 || c.RateBurst != 9 || !c.RateLimitLocal || !c.TrustProxy || c.RequestTimeout != 3*time.Second {
		t.Errorf("env and flags = %+v", c)
	}
	if got := splitList(c.CORSOrigins); !slices.Equal(got, []string{"https://portal.example.de", "https://land.example.de"}) {
		t.Errorf("origins = %q", got)
	}

	for _, bad := range [][]string{
		{"serve", "--rate-limit", "-1"},
		{"serve", "--rate-burst", "-2"},
		{"serve", "--request-timeout", "0s"},
		{"serve", "--request-timeout", "zehn"},
	} {
		if _, err := parse(bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	t.Setenv("TALKSEARCH_RATE_LIMIT", "viel")
	if _, err := parse("serve"); err == nil {
		t.Error("TALKSEARCH_RATE_LIMIT=viel: no error")
	}
	if v := buildVersion(); v == "" {
		t.Error("empty version")
	}
}
