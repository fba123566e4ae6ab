package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(1 << 40)
	defer func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}()
	tests := []struct {
		name        string
		env         map[string]string
		wantPercent int
		wantLimit   int64
	}{
		{"defaults for serving", nil, serveGCPercent, serveMemoryLimit},
		{"GOGC set by the operator", map[string]string{"GOGC": "150"}, 100, serveMemoryLimit},
		{"GOMEMLIMIT set by the operator", map[string]string{"GOMEMLIMIT": "2GiB"}, serveGCPercent, 1 << 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// What Go took from the operator's variables at start.
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(1 << 40)
			p, l := tuneGC(func(k string) string { return tc.env[k] })
			if p != tc.wantPercent || l != tc.wantLimit {
				t.Errorf("GC %d %%, limit %d; want %d %%, %d", p, l, tc.wantPercent, tc.wantLimit)
			}
		})
	}
}
