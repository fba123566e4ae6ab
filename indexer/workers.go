package indexer

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// forEach calls fn(i) for i from 0 to n-1 on at most workers goroutines
// and returns when every call has returned. Once ctx ends it starts no
// more calls; fn itself should stop early when it can.
func forEach(ctx context.Context, workers, n int, fn func(i int)) {
	var g errgroup.Group
	g.SetLimit(max(workers, 1))
	for i := 0; i < n && ctx.Err() == nil; i++ {
		g.Go(func() error {
			fn(i)
			return nil
		})
	}
	g.Wait()
}
