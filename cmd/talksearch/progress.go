package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/talksearch/talksearch/indexer"
)

// progressEvery is how often `index` logs its progress when stderr is
// not a terminal.
const progressEvery = 5 * time.Second

// progress shows how far `index` has come on stderr: a bar with pages/s
// and the time left on a terminal, else a plain log line every few
// seconds. The report on stdout is not touched.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	log      *slog.Logger
	terminal bool
	began    time.Time
	last     indexer.Progress
	bar      *progressbar.ProgressBar // on a terminal, once the total is known
	stop     chan struct{}
	stopped  chan struct{}
}

// newProgress shows the progress of an index run on m.Stderr.
func (m *Main) newProgress() *progress {
	terminal := false
	if f, ok := m.Stderr.(*os.File); ok {
		terminal = term.IsTerminal(int(f.Fd()))
	}
	return startProgress(m.Stderr, m.log, terminal, progressEvery)
}

// startProgress starts showing progress on w (terminal) or in log every
// interval; finish ends it.
func startProgress(w io.Writer, log *slog.Logger, terminal bool, every time.Duration) *progress {
	p := &progress{w: w, log: log, terminal: terminal, began: time.Now(), stop: make(chan struct{}), stopped: make(chan struct{})}
	if terminal {
		close(p.stopped)
		return p
	}
	go func() {
		defer close(p.stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				p.logLine()
			}
		}
	}()
	return p
}

// option hands the indexer the progress callback.
func (p *progress) option(c *indexer.Config) { c.Progress = p.update }

// update takes the indexer's progress.
func (p *progress) update(u indexer.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = u
	if !p.terminal || u.Talks == 0 {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(u.Talks,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("indexing"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionClearOnFinish())
	}
	p.bar.Describe(fmt.Sprintf("talks, %d pages, %.0f pages/s", u.Pages, p.rate(u)))
	_ = p.bar.Set(u.Done)
}

// rate is the pages read per second so far.
func (p *progress) rate(u indexer.Progress) float64 {
	s := time.Since(p.began).Seconds()
	if s <= 0 {
		return 0
	}
	return float64(u.Pages) / s
}

// logLine logs where the run stands, once there is something to index.
func (p *progress) logLine() {
	p.mu.Lock()
	u := p.last
	p.mu.Unlock()
	if u.Talks == 0 {
		return
	}
	eta := "unknown"
	if u.Done > 0 {
		el := time.Since(p.began)
		eta = (el / time.Duration(u.Done) * time.Duration(u.Talks-u.Done)).Round(time.Second).String()
	}
	p.log.Info("indexing", "talks", fmt.Sprintf("%d/%d", u.Done, u.Talks), "pages", u.Pages,
		"pages_per_s", fmt.Sprintf("%.1f", p.rate(u)), "failed", u.Failed, "eta", eta)
}

// finish ends the log lines, or clears the bar.
func (p *progress) finish() {
	close(p.stop)
	<-p.stopped
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
