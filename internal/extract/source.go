package extract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"
)

// Source is a file to extract, opened once for each pass over it (the
// text, then the OCR of each page without text). With Config.Isolate the
// file is streamed to the child and never held whole by the caller's
// process.
type Source struct {
	// Open opens the file. It runs within the time limit of the pass.
	Open func() (io.ReadCloser, error)
	// Size is the size of the file in bytes; exactly this many are read.
	Size int64
}

// BytesSource is a Source over data held in memory.
func BytesSource(data []byte) Source {
	return Source{
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		Size: int64(len(data)),
	}
}

// copyTo opens src and copies exactly src.Size bytes of it to w.
func (src Source) copyTo(w io.Writer) error {
	r, err := src.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	n, err := io.Copy(w, io.LimitReader(r, src.Size))
	if err == nil && n < src.Size {
		err = fmt.Errorf("the file ended after %d of %d bytes", n, src.Size)
	}
	return err
}

// ReadAll opens and reads src within timeout. A file that blocks (a
// stalled mount) is given up on with ErrTimedOut; its reader may stay
// behind until the read returns.
func (src Source) ReadAll(ctx context.Context, timeout time.Duration) ([]byte, error) {
	type read struct {
		data []byte
		err  error
	}
	done := make(chan read, 1)
	go func() {
		var buf bytes.Buffer
		buf.Grow(int(min(src.Size, 1<<30)))
		err := src.copyTo(&buf)
		done <- read{buf.Bytes(), err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("extract: read: %w", r.err)
		}
		return r.data, nil
	case <-timer.C:
		return nil, &limitError{kind: ErrTimedOut, what: "reading the file", limit: roundDuration(timeout)}
	case <-ctx.Done():
		return nil, fmt.Errorf("extract: %w", ctx.Err())
	}
}
