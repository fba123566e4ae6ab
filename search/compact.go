package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compact merges the index's segments into one. Every query term costs a
// dictionary look-up and a postings set-up per segment, and bleve's own
// merge policy leaves a freshly built archive of 100,000 slides in about
// a dozen segments: merged, the same searches take about half the time
// (BenchmarkSearchFacets). Searches go on while it runs; call it after a
// run that wrote or removed talks.
func (ix *Index) Compact(ctx context.Context) error {
	adv, err := ix.b.Advanced()
	if err != nil {
		return fmt.Errorf("search: compact: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil // another backend: nothing to merge
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("search: compact: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("search: compact: %w", err)
	}
	return nil
}
