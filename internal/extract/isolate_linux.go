package extract

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
)

// limitMemory bounds the memory of an extraction child to mb megabytes
// beyond what the runtime has reserved at start: a hard address space
// limit (RLIMIT_AS, inherited by the tools the child starts) and a soft
// one for the garbage collector. Under the race detector, whose shadow
// memory multiplies the address space, only the parent's watch of the
// resident memory bounds the child.
func limitMemory(mb int) {
	if mb <= 0 {
		return
	}
	limit := int64(mb) << 20
	debug.SetMemoryLimit(limit / 10 * 9)
	if raceEnabled {
		return
	}
	base := procStatusKB(os.Getpid(), "VmSize:") << 10
	rl := uint64(base + limit)
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: rl, Max: rl}); err != nil {
		fmt.Fprintln(os.Stderr, "talksearch extraction child: no memory limit:", err)
	}
}

// setChildAttrs puts an extraction child in its own process group, so
// that killGroup ends the tools it runs with it, and kills it when the
// parent dies.
func setChildAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills a started child and its process group. It must be
// called before the child is reaped (cmd.Wait), while the group id is
// certainly still the child's.
func killGroup(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// setToolAttrs kills an external tool when the process that started it
// dies, so a crashed extraction child leaves no tool running.
func setToolAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// watchMemory polls the resident memory of process pid and calls over once
// when it passes limit bytes. The returned function stops the watch.
func watchMemory(pid int, limit int64, over func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if procStatusKB(pid, "VmRSS:")<<10 > limit {
					over()
					return
				}
			}
		}
	}()
	return func() { close(done) }
}

// procStatusKB reads a kB field of /proc/<pid>/status, 0 when unknown.
func procStatusKB(pid int, field string) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	i := bytes.Index(b, []byte(field))
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+len(field):])
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return n
}
