package main

import (
	"os"
	"testing"

	"github.com/talksearch/talksearch/internal/extract"
)

// TestMain serves extraction requests when the indexer, which isolates
// every PDF in a child process of this executable, starts the test binary
// as its child; main does the same.
func TestMain(m *testing.M) {
	if extract.ChildRequested() {
		os.Exit(extract.ServeChild(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}
