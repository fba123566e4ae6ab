package api

import (
	"context"
	"time"

	"github.com/talksearch/talksearch/search"
)

// Defaults of the limit on expensive queries (search.Query.Expensive).
const (
	DefaultExpensiveQueries = 2
	DefaultExpensiveWait    = time.Second
)

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
		n = DefaultExpensiveQueries
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
