package extract

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/internal/testpdf"
)

// blockingReader never returns from Read, as a stalled network mount.
type blockingReader struct{ stop chan struct{} }

func (b blockingReader) Read([]byte) (int, error) { <-b.stop; return 0, io.EOF }
func (b blockingReader) Close() error             { return nil }

// A file that blocks when it is opened or read is stopped at the file
// time limit, with and without isolation (issue 13, finding 5).
func TestSourceThatBlocksTimesOut(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	sources := map[string]Source{
		"open": {Open: func() (io.ReadCloser, error) { <-stop; return nil, io.EOF }, Size: 100},
		"read": {Open: func() (io.ReadCloser, error) { return blockingReader{stop}, nil }, Size: 100},
	}
	for name, src := range sources {
		for _, isolate := range []bool{false, true} {
			ext := New(Config{Isolate: isolate, FileTimeout: 300 * time.Millisecond, DisableOCR: true, DisableFallback: true})
			began := time.Now()
			_, err := ext.ExtractSource(context.Background(), src)
			ext.Close()
			if !errors.Is(err, ErrTimedOut) {
				t.Errorf("%s, isolate %v: err = %v, want ErrTimedOut", name, isolate, err)
			}
			if d := time.Since(began); d > 5*time.Second {
				t.Errorf("%s, isolate %v: took %s", name, isolate, d)
			}
		}
	}
}

// A file is streamed to the child from its Source, and a file shorter
// than it said is an error, not a truncated document.
func TestSourceStreamsToChild(t *testing.T) {
	data := testpdf.SampleDeck(t, "eakte-plauen")
	ext := New(Config{Isolate: true, DisableOCR: true})
	defer ext.Close()
	opened := 0
	src := Source{Open: func() (io.ReadCloser, error) {
		opened++
		return io.NopCloser(strings.NewReader(string(data))), nil
	}, Size: int64(len(data))}
	doc, err := ext.ExtractSource(context.Background(), src)
	if err != nil || len(doc.Pages) == 0 || opened != 1 {
		t.Fatalf("doc %v, err %v, opened %d", doc, err, opened)
	}
	short := Source{Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(string(data[:100]))), nil }, Size: int64(len(data))}
	if _, err := ext.ExtractSource(context.Background(), short); err == nil || !strings.Contains(err.Error(), "ended after 100") {
		t.Errorf("short file: err = %v", err)
	}
}
