package search

import (
	"context"
	"encoding/json"
	"fmt"
)

// keyPublishedFiles holds the corpus files published with the index (see
// SetPublishedFiles). It is kept in the index's internal storage, so a
// snapshot carries it and a replica reads the very list its writer wrote.
var keyPublishedFiles = []byte("published_files")

// SetPublishedFiles records the corpus files that may be served beside
// the index, each public name mapped to its name in the corpus folder:
// the files the index run that wrote the index could read. It writes
// only when the list changed.
func (ix *Index) SetPublishedFiles(ctx context.Context, files map[string]string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ix.opt.ReadOnly {
		return ErrReadOnly
	}
	if files == nil {
		files = map[string]string{}
	}
	b, err := json.Marshal(files) // sorted keys: equal lists, equal bytes
	if err != nil {
		return fmt.Errorf("search: record published files: %w", err)
	}
	if old, err := ix.b.GetInternal(keyPublishedFiles); err == nil && string(old) == string(b) {
		return nil
	}
	if err := ix.b.SetInternal(keyPublishedFiles, b); err != nil {
		return fmt.Errorf("search: record published files: %w", err)
	}
	return nil
}

// PublishedFiles returns the files SetPublishedFiles recorded; ok is
// false for an index that has no record (written before the record
// existed).
func (ix *Index) PublishedFiles(ctx context.Context) (files map[string]string, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	b, err := ix.b.GetInternal(keyPublishedFiles)
	if err != nil {
		return nil, false, fmt.Errorf("search: read published files: %w", err)
	}
	if len(b) == 0 {
		return nil, false, nil
	}
	if err := json.Unmarshal(b, &files); err != nil {
		return nil, false, fmt.Errorf("search: read published files: %w", err)
	}
	return files, true, nil
}
