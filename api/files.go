package api

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
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
	f, err := a.cfg.Files.Open(name)
	if err != nil {
		return echo.ErrNotFound
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return echo.ErrNotFound
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		rs = bytes.NewReader(data)
	}
	http.ServeContent(c.Response(), c.Request(), st.Name(), st.ModTime(), rs)
	return nil
}
