package api

import (
	"bytes"
	"io"
	"io/fs"
	"strings"

	"github.com/labstack/echo/v4"
)

// serveFile answers GET /files/<event>/<path> from Config.Files: the PDFs
// and transcripts the catalogue references, with ranges (PDF viewers load
// pages on demand) and conditional requests. Anything else, folders
// included, is a 404 problem, never a listing.
func (a *app) serveFile(c echo.Context) error {
	name := strings.TrimPrefix(c.Request().URL.Path, "/files/")
	if !fs.ValidPath(name) || name == "." {
		return echo.ErrNotFound
	}
	rs, st, closeFile, err := openRegular(a.cfg.Files, name)
	if err != nil {
		return err
	}
	defer closeFile()
	return serveContent(c, st.Name(), st.ModTime(), rs)
}

// openRegular opens a regular file of fsys for http.ServeContent. A name
// that does not exist or is a folder is echo.ErrNotFound.
func openRegular(fsys fs.FS, name string) (io.ReadSeeker, fs.FileInfo, func(), error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, nil, echo.ErrNotFound
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, nil, echo.ErrNotFound
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, nil, nil, err
		}
		return bytes.NewReader(data), st, func() {}, nil
	}
	return rs, st, func() { f.Close() }, nil
}
