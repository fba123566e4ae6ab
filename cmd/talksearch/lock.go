package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/talksearch/talksearch/search"
)

// The holder of the index writes its process id and command to
// holderFile in the data folder, so that a process that cannot get the
// index lock can say who has it. bolt's file lock is the lock; this file
// only names its holder.
const holderFile = "index.pid"

// errIndexLocked is the error of a command that found the index in use.
type errIndexLocked struct {
	dir    string
	pid    int    // 0 when unknown
	holder string // e.g. "talksearch serve"
}

func (e *errIndexLocked) Error() string {
	who := "another process"
	if e.pid > 0 {
		who = fmt.Sprintf("PID %d (%s)", e.pid, e.holder)
	}
	advice := "stop it, or wait for it to finish, and try again"
	switch {
	case e.byServe():
		advice = "talksearch index can build a new index beside it while serve runs (serve switches to it); other commands need serve stopped (SIGTERM)"
	case strings.HasSuffix(e.holder, " index"):
		advice = "wait for that index run to finish, or stop it (SIGTERM keeps what it indexed), and try again"
	}
	return fmt.Sprintf("the index in %s is in use by %s; %s", e.dir, who, advice)
}

func (e *errIndexLocked) Unwrap() error { return search.ErrLocked }

// byServe reports whether a serve process holds the index.
func (e *errIndexLocked) byServe() bool { return strings.HasSuffix(e.holder, " serve") }

// lockedError reads who holds the index in dir.
func (m *Main) lockedError(dir string) error {
	e := &errIndexLocked{dir: dir}
	data, err := os.ReadFile(filepath.Join(m.Config.Data, holderFile))
	if err != nil {
		return e
	}
	pid, holder, _ := strings.Cut(strings.TrimSpace(string(data)), " ")
	if n, err := strconv.Atoi(pid); err == nil && n > 0 {
		e.pid, e.holder = n, holder
	}
	return e
}

// writeHolder names this process as the holder of the index.
func (m *Main) writeHolder() {
	line := fmt.Sprintf("%d talksearch %s\n", os.Getpid(), m.Config.Command)
	if err := os.WriteFile(filepath.Join(m.Config.Data, holderFile), []byte(line), 0o644); err != nil {
		m.log.Warn("cannot write the index holder file", "err", err)
	}
}

// removeHolder removes the holder file if it still names this process.
func (m *Main) removeHolder() {
	name := filepath.Join(m.Config.Data, holderFile)
	data, err := os.ReadFile(name)
	if err == nil && strings.HasPrefix(string(data), strconv.Itoa(os.Getpid())+" ") {
		os.Remove(name)
	}
}

// waitIndex opens the index for serve, waiting while another process
// holds it; status says why serve is not ready meanwhile. It returns
// ctx's error when ctx ends first.
func (m *Main) waitIndex(ctx context.Context) error {
	logged := false
	for {
		err := m.openIndex()
		var le *errIndexLocked
		if !errors.As(err, &le) {
			return err
		}
		m.status.Store("waiting for the index: " + le.Error())
		if !logged {
			m.log.Warn("waiting for the index", "dir", le.dir, "holder_pid", le.pid, "holder", le.holder, "detail", le.Error())
			logged = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
