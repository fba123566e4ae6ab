package main

import (
	"os"
	"testing"

	"github.com/talksearch/talksearch/internal/extract"
)

// envRunMain makes the test binary run main with its arguments, so that
// process tests can signal and kill a real talksearch process.
const envRunMain = "TALKSEARCH_TEST_RUN_MAIN"

// TestMain serves extraction requests when the indexer, which isolates
// every PDF in a child process of this executable, starts the test binary
// as its child; main does the same.
func TestMain(m *testing.M) {
	if extract.ChildRequested() {
		os.Exit(extract.ServeChild(os.Stdin, os.Stdout))
	}
	if os.Getenv(envRunMain) == "1" {
		// A process test runs the command itself (see startMain).
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
