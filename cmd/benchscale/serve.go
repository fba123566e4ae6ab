package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is a running `talksearch serve` and what its JSON log said.
type server struct {
	cmd     *exec.Cmd
	began   time.Time
	addr    chan string
	ready   chan time.Duration // since began
	preview chan time.Duration
	exited  chan error
	mem     *sampler

	stopOnce sync.Once
	stopErr  error

	mu       sync.Mutex
	statuses map[int]int // of the logged API requests
}

// startServe starts talksearch serve on a free loopback port over the
// archive and the data folder. Its log goes to data/serve-N.log as well.
func startServe(c config, corpusDir, data string, n int) (*server, error) {
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(data, fmt.Sprintf("serve-%d.log", n)))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(c.talksearch, "serve", "--addr", "127.0.0.1:0", "--corpus", corpusDir, "--data", data,
		"--workers", strconv.Itoa(c.workers), "--log-format", "json")
	// No environment setting of the deployment leaks in.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	s := &server{cmd: cmd, addr: make(chan string, 1), ready: make(chan time.Duration, 1),
		preview: make(chan time.Duration, 1), exited: make(chan error, 1), statuses: map[int]int{}}
	s.began = time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	s.mem = newSampler(cmd.Process.Pid)
	go func() {
		s.readLog(io.TeeReader(stderr, logFile))
		s.exited <- cmd.Wait()
		logFile.Close()
	}()
	return s, nil
}

// readLog watches the log for the events the benchmark times.
func (s *server) readLog(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Msg    string `json:"msg"`
			Addr   string `json:"addr"`
			Status int    `json:"status"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		switch line.Msg {
		case "request":
			s.mu.Lock()
			s.statuses[line.Status]++
			s.mu.Unlock()
		case "serving":
			s.addr <- line.Addr
		case "ready":
			s.ready <- time.Since(s.began)
		case "previews updated":
			s.preview <- time.Since(s.began)
		}
	}
	io.Copy(io.Discard, r)
}

// wait returns the next value of ch, or an error when the server exits
// first or the time is up.
func wait[T any](s *server, ch chan T, what string, limit time.Duration) (T, error) {
	var zero T
	select {
	case v := <-ch:
		return v, nil
	case err := <-s.exited:
		s.exited <- err
		return zero, fmt.Errorf("talksearch serve exited before %s: %v (see its log in the data folder)", what, err)
	case <-time.After(limit):
		return zero, fmt.Errorf("talksearch serve: no %s within %s", what, limit)
	}
}

// refused returns the counts of the statuses other than 200 the server
// logged since the last call, and starts anew. 499 (the client went
// away: wrk cuts its requests in flight when it stops) is not counted.
func (s *server) refused() map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int]int{}
	for code, n := range s.statuses {
		if code != 200 && code != 499 {
			out[code] = n
		}
	}
	s.statuses = map[int]int{}
	return out
}

// stop ends the server with SIGTERM and waits for it; later calls
// return the first one's error.
func (s *server) stop() error {
	s.stopOnce.Do(func() {
		s.mem.stop()
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-s.exited:
			s.stopErr = err
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			s.stopErr = fmt.Errorf("talksearch serve did not stop within 30s of SIGTERM")
		}
	})
	return s.stopErr
}

// sampler records, ten times a second, the resident memory of a process
// and of its process tree (the process and all its descendants).
type sampler struct {
	pid  int
	mu   sync.Mutex
	tree int64 // peak of the tree's summed RSS since the last reset, bytes
	done chan struct{}
	once sync.Once
}

func newSampler(pid int) *sampler {
	s := &sampler{pid: pid, done: make(chan struct{})}
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-t.C:
				sum := treeRSS(pid)
				s.mu.Lock()
				s.tree = max(s.tree, sum)
				s.mu.Unlock()
			}
		}
	}()
	return s
}

func (s *sampler) stop() { s.once.Do(func() { close(s.done) }) }

// peak returns the tree's peak since the last call and starts anew.
func (s *sampler) peak() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.tree
	s.tree = 0
	return p
}

// hwm is the process's own peak resident memory (VmHWM) in bytes.
func (s *sampler) hwm() int64 { return statusKB(s.pid, "VmHWM:") * 1024 }

// tree lists pid and its descendants.
func tree(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := statFields(p); len(f) > 2 {
			pp, _ := strconv.Atoi(f[1])
			children[pp] = append(children[pp], p)
		}
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// statFields are the fields of /proc/pid/stat after the command name
// (which may hold spaces): [0] is the state, field n of proc(5) is [n-3].
func statFields(pid int) []string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	return strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
}

// treeRSS sums VmRSS over pid and its descendants.
func treeRSS(pid int) int64 {
	var sum int64
	for _, p := range tree(pid) {
		sum += statusKB(p, "VmRSS:") * 1024
	}
	return sum
}

// clockTick is USER_HZ, the unit of the times in /proc/pid/stat on Linux.
const clockTick = 10 * time.Millisecond

// treeCPU is the processor time (user and system) that pid and its
// descendants used, the children that already ended and were waited for
// included.
func treeCPU(pid int) time.Duration {
	var ticks int64
	for _, p := range tree(pid) {
		f := statFields(p)
		if len(f) < 15 {
			continue
		}
		for _, i := range []int{11, 12, 13, 14} { // utime, stime, cutime, cstime
			n, _ := strconv.ParseInt(f[i], 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * clockTick
}

// statusKB reads a kB field of /proc/pid/status; 0 when it is gone.
func statusKB(pid int, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}
