package api

import (
	"log/slog"
	"sync"
	"time"
)

// refusalLogEvery is how often at most one client's rate-limit refusals
// are logged. One client over its limit can be refused hundreds of
// thousands of times a minute; a line per refusal would bury everything
// else in the log.
const refusalLogEvery = time.Minute

// refusalLog logs rate-limit refusals once per client per minute, with
// their count: a client's first refusal at once, then, no sooner than a
// minute after the last line, how many refusals followed it.
type refusalLog struct {
	log *slog.Logger
	now func() time.Time

	mu        sync.Mutex
	clients   map[string]*refusals // by rate-limit key
	lastSweep time.Time
}

// refusals is one client's refusals since its last log line.
type refusals struct {
	client string    // as logged: anonymised
	logged time.Time // when its last line was written
	count  int       // refusals since then
}

func newRefusalLog(log *slog.Logger, now func() time.Time) *refusalLog {
	return &refusalLog{log: log, now: now, clients: map[string]*refusals{}}
}

// note counts one refusal of the client with rate-limit key key (client
// is the anonymised address to log) and logs when a line is due.
func (l *refusalLog) note(key, client string) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.clients[key]
	if r == nil {
		l.clients[key] = &refusals{client: client, logged: now}
		l.emit(client, 1, 0)
	} else {
		r.count++
	}
	// The sweep logs this client's line too when it is due.
	l.sweep(now)
	if r != nil && r.count > 0 && now.Sub(r.logged) >= refusalLogEvery {
		l.emit(r.client, r.count, now.Sub(r.logged))
		r.count, r.logged = 0, now
	}
}

// sweep, at most once a minute, logs the refusals still untold of clients
// whose last line is a minute old, and forgets clients with none, so the
// map holds only clients refused in the last minute or two.
func (l *refusalLog) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < refusalLogEvery {
		return
	}
	l.lastSweep = now
	for key, r := range l.clients {
		since := now.Sub(r.logged)
		switch {
		case since < refusalLogEvery:
		case r.count > 0:
			l.emit(r.client, r.count, since)
			r.count, r.logged = 0, now
		default:
			delete(l.clients, key)
		}
	}
}

func (l *refusalLog) emit(client string, count int, since time.Duration) {
	l.log.Info("rate limited", "client", client, "refusals", count, "period_s", int(since.Round(time.Second).Seconds()))
}
