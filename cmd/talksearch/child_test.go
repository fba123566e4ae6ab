package main

import (
	"os"
	"syscall"
	"testing"

	"github.com/talksearch/talksearch/internal/extract"
)

// envRunMain makes the test binary run main with its arguments, so that
// process tests can signal and kill a real talksearch process.
const envRunMain = "TALKSEARCH_TEST_RUN_MAIN"

// envKillAt names a step of an index swap (see Main.step) at which the
// process started by startMain kills itself with SIGKILL.
const envKillAt = "TALKSEARCH_TEST_KILL_AT"

// TestMain serves extraction requests when the indexer, which isolates
// every PDF in a child process of this executable, starts the test binary
// as its child; main does the same.
func TestMain(m *testing.M) {
	if extract.ChildRequested() {
		os.Exit(extract.ServeChild(os.Stdin, os.Stdout))
	}
	if os.Getenv(envRunMain) == "1" {
		// A process test runs the command itself (see startMain),
		// killed at a step of an index swap when envKillAt names one.
		m := NewMain()
		if step := os.Getenv(envKillAt); step != "" {
			m.hook = func(s string) {
				if s == step {
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
				}
			}
		}
		os.Exit(runProcess(m, os.Args[1:]))
	}
	os.Exit(m.Run())
}
