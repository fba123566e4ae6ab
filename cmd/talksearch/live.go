package main

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/talksearch/talksearch/search"
)

// liveIndex is the index the handlers search, nil until serve has
// opened it; the handlers that need it wait for /readyz (api's
// requireReady), so they never meet the nil. A swap replaces it while
// requests run: each request holds the generation it started on, and the
// old index is closed only when the last of them has finished.
type liveIndex struct {
	p atomic.Pointer[openGeneration]
}

// openGeneration is one open index and the requests that use it.
type openGeneration struct {
	ix     *search.Index
	name   string       // its folder in the data folder, e.g. index-2
	mu     sync.RWMutex // read-held by each request, write-held to close
	closed bool
}

var errIndexNotOpen = errors.New("index not open yet")

// acquire returns the live generation, held until release.
func (l *liveIndex) acquire() (*openGeneration, error) {
	for {
		g := l.p.Load()
		if g == nil {
			return nil, errIndexNotOpen
		}
		g.mu.RLock()
		if !g.closed {
			return g, nil
		}
		// Swapped and closed between Load and RLock: take the new one.
		g.mu.RUnlock()
	}
}

func (g *openGeneration) release() { g.mu.RUnlock() }

// set makes ix (in folder name) the live index and returns the one it
// replaces, nil if none.
func (l *liveIndex) set(ix *search.Index, name string) *openGeneration {
	var g *openGeneration
	if ix != nil {
		g = &openGeneration{ix: ix, name: name}
	}
	return l.p.Swap(g)
}

// retire waits for the requests on g to finish and closes its index.
func (g *openGeneration) retire() error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil
	}
	g.closed = true
	return g.ix.Close()
}

// with runs fn on the live index, which stays open until fn returns.
func with[T any](l *liveIndex, fn func(*search.Index) (T, error)) (T, error) {
	g, err := l.acquire()
	if err != nil {
		var zero T
		return zero, err
	}
	defer g.release()
	return fn(g.ix)
}

func (l *liveIndex) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return with(l, func(ix *search.Index) (*search.Result, error) { return ix.Search(ctx, q) })
}

func (l *liveIndex) Talk(ctx context.Context, id string) (*search.Talk, error) {
	return with(l, func(ix *search.Index) (*search.Talk, error) { return ix.Talk(ctx, id) })
}

func (l *liveIndex) Slides(ctx context.Context, talkID string) ([]search.Slide, []search.Segment, error) {
	var segs []search.Segment
	slides, err := with(l, func(ix *search.Index) ([]search.Slide, error) {
		s, g, err := ix.Slides(ctx, talkID)
		segs = g
		return s, err
	})
	return slides, segs, err
}

func (l *liveIndex) Suggest(ctx context.Context, input string, n int) ([]search.Suggestion, error) {
	return with(l, func(ix *search.Index) ([]search.Suggestion, error) { return ix.Suggest(ctx, input, n) })
}

func (l *liveIndex) Stats(ctx context.Context) (search.Stats, error) {
	return with(l, func(ix *search.Index) (search.Stats, error) { return ix.Stats(ctx) })
}
