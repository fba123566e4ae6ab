// Package testenv lets tests that need an outside tool (chromium,
// tesseract, pdftoppm, pdftotext) skip where the tool is missing, and fail
// instead where the environment demands every tool: .ci/run sets
// TALKSEARCH_REQUIRE_TOOLS=1, so in CI a failed install is a red run, not
// a silently skipped test.
//
// It is imported by tests only and imports nothing of talksearch.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// RequireEnv is the environment variable that turns skips into failures.
const RequireEnv = "TALKSEARCH_REQUIRE_TOOLS"

// Required reports whether missing tools must fail tests rather than skip
// them.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// SkipOrFail skips tb with the reason, or fails it when Required.
func SkipOrFail(tb testing.TB, reason string) {
	tb.Helper()
	if Required() {
		tb.Fatalf("%s (%s=1 demands it)", reason, RequireEnv)
	}
	tb.Skip(reason)
}

// LookPath returns the path of the first of names found on PATH. When none
// is found it skips or fails tb with hint, which says how to install it.
func LookPath(tb testing.TB, hint string, names ...string) string {
	tb.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	SkipOrFail(tb, hint)
	return ""
}
