package api

import (
	"context"
	"runtime"
	"time"

	"github.com/talksearch/talksearch/search"
)

// DefaultExpensiveWait is how long an expensive query waits for a slot
// before it is refused (search.Query.Expensive).
const DefaultExpensiveWait = time.Second

// DefaultExpensiveQueries is how many expensive queries run at once when
// Config.ExpensiveQueries is 0: half the cores, at least one, so plain
// queries always keep a core to themselves.
func DefaultExpensiveQueries() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// expensiveGate lets at most a few expensive queries run at once; the
// others wait a short while and are then refused with 429 and
// Retry-After. Plain queries never wait for it.
type expensiveGate struct {
	slots chan struct{} // nil: no limit
	wait  time.Duration
}

func newExpensiveGate(n int, wait time.Duration) *expensiveGate {
	switch {
	case n < 0:
		return &expensiveGate{}
	case n == 0:
		n = DefaultExpensiveQueries()
	}
	if wait <= 0 {
		wait = DefaultExpensiveWait
	}
	return &expensiveGate{slots: make(chan struct{}, n), wait: wait}
}

// runSearch runs q, through the gate when it is expensive.
func (a *app) runSearch(ctx context.Context, q search.Query) (*search.Result, error) {
	if a.expensive.slots == nil || !q.Expensive() {
		return a.s.Search(ctx, q)
	}
	t := time.NewTimer(a.expensive.wait)
	defer t.Stop()
	select {
	case a.expensive.slots <- struct{}{}:
	case <-t.C:
		return nil, &rateLimitError{RetryAfter: 1, Expensive: true}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-a.expensive.slots }()
	return a.s.Search(ctx, q)
}
