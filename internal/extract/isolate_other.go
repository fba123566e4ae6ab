//go:build !linux

package extract

import (
	"os/exec"
	"runtime/debug"
)

// limitMemory sets only the garbage collector's soft limit: the hard
// bounds of an extraction child are implemented for Linux.
func limitMemory(mb int) {
	if mb > 0 {
		debug.SetMemoryLimit(int64(mb) << 20 / 10 * 9)
	}
}

func setChildAttrs(cmd *exec.Cmd) {}

func killGroup(cmd *exec.Cmd) { cmd.Process.Kill() }

func procStatusKB(pid int, field string) int64 { return 0 }

func setToolAttrs(cmd *exec.Cmd) {}

func watchMemory(pid int, limit int64, over func()) (stop func()) { return func() {} }
