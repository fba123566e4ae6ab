package indexer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/talksearch/talksearch/internal/extract"
)

// DefaultMaxFileMB is the size limit of one corpus file when
// Config.MaxFileMB is 0.
const DefaultMaxFileMB = 200

// refusedError is a corpus file that is not read at all, and why.
type refusedError struct {
	name   string
	reason string
}

func (e *refusedError) Error() string { return fmt.Sprintf("indexer: %s: %s", e.name, e.reason) }

// source checks, without opening it, that name in fsys is a regular file
// within the size limit, and returns it as an extract.Source. fsys is the
// corpus root (os.Root.FS for a folder), which refuses a name or symbolic
// link that leads outside it; a named pipe, a device or a socket is
// refused here, before an open could block on it.
func (in *Indexer) source(fsys fs.FS, name string) (extract.Source, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		if lst, lerr := fs.Lstat(fsys, name); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return extract.Source{}, &refusedError{name, "a symbolic link that leads outside the corpus folder or nowhere; it is not read"}
		}
		if errors.Is(err, fs.ErrNotExist) {
			return extract.Source{}, fmt.Errorf("indexer: %w", err)
		}
		return extract.Source{}, &refusedError{name, "a path that leads outside the corpus folder, or cannot be read in it; it is not read (" + err.Error() + ")"}
	}
	if !st.Mode().IsRegular() {
		return extract.Source{}, &refusedError{name, fmt.Sprintf("not a regular file (%s); it is not read", fileKind(st.Mode()))}
	}
	if max := in.maxFileBytes(); st.Size() > max {
		return extract.Source{}, &refusedError{name, fmt.Sprintf("the file is %.1f MB, over the size limit of %d MB (--max-file-mb); it is not read",
			float64(st.Size())/(1<<20), max>>20)}
	}
	size := st.Size()
	open := func() (io.ReadCloser, error) {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() != size {
			f.Close()
			return nil, fmt.Errorf("%s changed while it was read", name)
		}
		return f, nil
	}
	return extract.Source{Open: open, Size: size}, nil
}

func (in *Indexer) maxFileBytes() int64 {
	if in.cfg.MaxFileMB <= 0 {
		return DefaultMaxFileMB << 20
	}
	return int64(in.cfg.MaxFileMB) << 20
}

// fileKind names the type of a file that is not regular.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return m.Type().String()
	}
}

// reason is the report's sentence for an error reading a file.
func reason(err error) string {
	var re *refusedError
	if errors.As(err, &re) {
		return re.reason
	}
	return extract.Reason(err)
}
