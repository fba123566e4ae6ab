package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// result is everything measured at one size.
type result struct {
	Pages, Talks int
	// Seconds of each way of reading the archive.
	Extract, Pdftotext, Searchable, Total time.Duration
	// Processor time (user and system, children included) of the same,
	// which the other work on a shared machine disturbs less.
	ExtractCPU, PdftotextCPU, SearchableCPU, TotalCPU time.Duration
	// Load is /proc/loadavg when the size began.
	Load string
	// Peak resident memory in bytes: the serve process alone (VmHWM) and
	// its process tree (sampled), while indexing, while rendering the
	// previews, while serving the wrk runs.
	IndexRSS, IndexTreeRSS, PreviewTreeRSS, ServeRSS int64
	IndexBytes, PreviewBytes                         int64
	InProcess                                        latencies
	HTTP                                             map[int]latencies // by clients
	Note                                             string
}

// measure runs every measurement of one size.
func measure(c config, mix []mixQuery, pages int) (result, error) {
	dir, st, err := archive(c, pages)
	if err != nil {
		return result{}, err
	}
	r := result{Pages: st.Pages, Talks: st.Talks, HTTP: map[int]latencies{}, Load: loadavg()}
	files, err := pdfs(dir)
	if err != nil {
		return r, err
	}
	var n int
	logf("extraction alone: %d files, %d workers", len(files), c.workers)
	cpu := cpuTimes()
	if r.Extract, n, err = pool(files, c.workers, extractAlone); err != nil || n != r.Pages {
		return r, fmt.Errorf("extraction alone: %d pages of %d: %v", n, r.Pages, err)
	}
	r.ExtractCPU = cpuTimes().self - cpu.self
	logf("pdftotext: %d workers", c.workers)
	cpu = cpuTimes()
	if r.Pdftotext, n, err = pool(files, c.workers, pdftotext); err != nil || n != r.Pages {
		return r, fmt.Errorf("pdftotext: %d pages of %d: %v", n, r.Pages, err)
	}
	r.PdftotextCPU = cpuTimes().children - cpu.children
	data := filepath.Join(c.dir, fmt.Sprintf("data-%d", pages))
	if err := os.RemoveAll(data); err != nil {
		return r, err
	}
	if err := indexRun(c, dir, data, &r); err != nil {
		return r, err
	}
	index := liveIndex(data)
	r.IndexBytes, r.PreviewBytes = du(index), du(filepath.Join(data, "previews"))
	logf("in-process latency: %d rounds of %d queries", c.rounds, len(mix))
	profile := ""
	if c.cpuprofile != "" {
		profile = fmt.Sprintf("%s-%d.pprof", c.cpuprofile, pages)
	}
	if r.InProcess, err = inProcess(index, mix, c.rounds, profile); err != nil {
		return r, err
	}
	return r, serveRun(c, mix, dir, data, &r)
}

// liveIndex is the index folder of a data folder: the one its CURRENT
// file names, or "index".
func liveIndex(data string) string {
	if name, err := os.ReadFile(filepath.Join(data, "CURRENT")); err == nil && strings.TrimSpace(string(name)) != "" {
		return filepath.Join(data, strings.TrimSpace(string(name)))
	}
	return filepath.Join(data, "index")
}

// indexRun times serve on an empty data folder until it is searchable
// and until the previews are rendered.
func indexRun(c config, corpusDir, data string, r *result) error {
	logf("talksearch serve: indexing")
	s, err := startServe(c, corpusDir, data, 1)
	if err != nil {
		return err
	}
	defer s.stop()
	limit := 4 * time.Hour
	if r.Searchable, err = wait(s, s.ready, "ready", limit); err != nil {
		return err
	}
	r.SearchableCPU = treeCPU(s.cmd.Process.Pid)
	r.IndexRSS, r.IndexTreeRSS = s.mem.hwm(), s.mem.peak()
	logf("searchable after %s; rendering previews", r.Searchable.Round(time.Millisecond))
	if r.Total, err = wait(s, s.preview, "previews updated", limit); err != nil {
		return err
	}
	r.TotalCPU = treeCPU(s.cmd.Process.Pid)
	r.PreviewTreeRSS = s.mem.peak()
	logf("previews done after %s", r.Total.Round(time.Millisecond))
	return s.stop()
}

// serveRun starts serve on the built index and loads it with wrk.
func serveRun(c config, mix []mixQuery, corpusDir, data string, r *result) error {
	logf("talksearch serve: serving")
	s, err := startServe(c, corpusDir, data, 2)
	if err != nil {
		return err
	}
	defer s.stop()
	addr, err := wait(s, s.addr, "serving", time.Minute)
	if err == nil {
		_, err = wait(s, s.ready, "ready", time.Hour)
	}
	if err != nil {
		return err
	}
	base := "http://" + addr
	if err := warmUp(base, mix); err != nil {
		return err
	}
	s.refused()
	if _, err := exec.LookPath("wrk"); err != nil {
		r.Note = "wrk not installed (apt-get install wrk): no HTTP figures"
		return s.stop()
	}
	for _, clients := range c.clients {
		logf("wrk: %d clients for %s", clients, c.duration)
		l, err := runWrk(base, mix, clients, c.duration, data)
		if err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond) // the last log lines
		l.Refused = s.refused()
		r.HTTP[clients] = l
	}
	r.ServeRSS = s.mem.hwm()
	return s.stop()
}

// cpuTimes are the processor times of this process and of its children
// that ended and were waited for.
func cpuTimes() (t struct{ self, children time.Duration }) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		t.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru) == nil {
		t.children = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return t
}

// loadavg is the first three fields of /proc/loadavg.
func loadavg() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// du is the size of the files below dir in bytes.
func du(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
