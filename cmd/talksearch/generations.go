package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// An index lives in a generation folder of the data folder: index (the
// first, and every index written before generations existed) or index-N.
// currentFile names the live one; it is replaced by rename, so a reader
// always finds a whole name, and a missing file means "index". A full
// rebuild writes generation N+1 beside the live one and then renames the
// new name into currentFile: that rename is the swap.
const (
	currentFile = "CURRENT"
	firstGen    = "index"
)

var genRe = regexp.MustCompile(`^index(?:-([0-9]+))?$`)

// liveGeneration returns the name of the live generation of data.
func liveGeneration(data string) (string, error) {
	b, err := os.ReadFile(filepath.Join(data, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return firstGen, nil
	}
	if err != nil {
		return "", fmt.Errorf("read the live index name: %w", err)
	}
	name := strings.TrimSpace(string(b))
	if !genRe.MatchString(name) {
		return "", fmt.Errorf("%s names %q, which is not an index folder (index or index-N); write the name of the folder to use into it",
			filepath.Join(data, currentFile), name)
	}
	return name, nil
}

// genNumber is N of index-N, 0 of index and -1 of anything else.
func genNumber(name string) int {
	m := genRe.FindStringSubmatch(name)
	switch {
	case m == nil:
		return -1
	case m[1] == "":
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return -1
	}
	return n
}

// generations lists the generation folders of data.
func generations(data string) []string {
	entries, _ := os.ReadDir(data)
	var out []string
	for _, e := range entries {
		if e.IsDir() && genNumber(e.Name()) >= 0 {
			out = append(out, e.Name())
		}
	}
	return out
}

// nextGeneration names a new generation, above every one in data.
func nextGeneration(data, live string) string {
	n := genNumber(live)
	for _, g := range generations(data) {
		n = max(n, genNumber(g))
	}
	return "index-" + strconv.Itoa(n+1)
}

// setLiveGeneration makes name the live generation: the name is written
// to a temporary file, flushed, and renamed over currentFile. A process
// killed at any step leaves either the old name or the new one.
func (m *Main) setLiveGeneration(name string) error {
	data := m.Config.Data
	root, err := os.OpenRoot(data)
	if err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	defer root.Close()
	tmp := currentFile + ".tmp-" + strconv.Itoa(os.Getpid())
	if err := atomicReplace(root, currentFile, tmp, []byte(name+"\n"), func() { m.step("swap-written") }); err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	m.step("swap-renamed")
	if err := syncFolder(data); err != nil {
		m.log.Warn("the swap may not survive a power cut", "err", err)
	}
	return nil
}

// syncFolder flushes a folder's entries to disk.
func syncFolder(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// removeOldGenerations removes the generations of data other than the
// live one that no process holds open: the older ones at once, newer
// ones (a build that did not finish) when they are over a minute old, as
// a build in progress may not hold its folder for a moment. It also
// removes the temporary folders and files that killed processes left.
func (m *Main) removeOldGenerations() {
	data := m.Config.Data
	live, err := liveGeneration(data)
	if err != nil {
		return
	}
	for _, g := range generations(data) {
		if g == live {
			continue
		}
		dir := filepath.Join(data, g)
		if genNumber(g) > genNumber(live) && !olderThan(dir, time.Minute) {
			continue
		}
		if removeUnheld(dir) {
			m.log.Info("removed an index generation no longer in use", "dir", dir)
			m.step("gc")
		}
	}
	stale, _ := filepath.Glob(filepath.Join(data, "index*.tmp-*"))
	tmpCurrent, _ := filepath.Glob(filepath.Join(data, currentFile+".tmp-*"))
	for _, name := range append(stale, tmpCurrent...) {
		if olderThan(name, time.Minute) {
			m.log.Info("removing what a stopped process left half written", "path", name)
			os.RemoveAll(name)
		}
	}
	m.removeStalePublish()
}

// publishTempPrefix starts the name of the folder in which publish keeps
// its snapshot: .publish-PID-random.
const publishTempPrefix = ".publish-"

// removeStalePublish removes the snapshot folders of publish runs that
// were killed: those whose process no longer runs.
func (m *Main) removeStalePublish() {
	dirs, _ := filepath.Glob(filepath.Join(m.Config.Data, publishTempPrefix+"*"))
	for _, dir := range dirs {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(dir), publishTempPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err == nil && pid > 0 && processRuns(pid) {
			continue
		}
		m.log.Info("removing the snapshot of a publish that was stopped", "path", dir)
		os.RemoveAll(dir)
	}
}

// processRuns reports whether a process with this id exists.
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func olderThan(name string, d time.Duration) bool {
	fi, err := os.Stat(name)
	return err == nil && time.Since(fi.ModTime()) > d
}

// removeUnheld removes the index folder dir unless a process holds it
// open. bolt takes an exclusive flock on store/root.bolt for as long as
// an index is open; taking it here proves nobody has it, and holding it
// while removing keeps anybody from opening it meanwhile.
func removeUnheld(dir string) bool {
	unlock, inUse := lockIndexFolder(dir)
	defer unlock()
	if inUse {
		return false
	}
	return os.RemoveAll(dir) == nil
}

// lockIndexFolder takes bolt's exclusive lock on the index in dir without
// waiting. inUse reports that another open file holds it; otherwise the
// lock is held (when the index file exists) until unlock is called.
func lockIndexFolder(dir string) (unlock func(), inUse bool) {
	f, err := os.Open(filepath.Join(dir, "store", "root.bolt"))
	if err != nil {
		return func() {}, false
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		f.Close()
		return func() {}, true
	}
	return func() { f.Close() }, false // closing releases the lock
}

// step marks a point of an index swap for the crash tests, which kill
// the process there (see TestMain); it does nothing otherwise.
func (m *Main) step(name string) {
	if m.hook != nil {
		m.hook(name)
	}
}
