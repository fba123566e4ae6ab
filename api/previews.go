package api

import (
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// previewName is the only kind of file served under /previews/:
// <talk-id>/<page>.png.
var previewName = regexp.MustCompile(`^[^/]+/[1-9][0-9]{0,5}\.png$`)

// previewURL is the URL of the PNG preview of a slide, or "" when there is
// none (the page then shows a text placeholder). The URL carries the
// file's version, so the preview can be cached for good and still changes
// when the deck is rendered anew.
func (a *app) previewURL(talkID string, page int) string {
	if a.cfg.Previews == nil {
		return ""
	}
	name := talkID + "/" + itoa(page) + ".png"
	if !fs.ValidPath(name) || !previewName.MatchString(name) {
		return ""
	}
	st, err := fs.Stat(a.cfg.Previews, name)
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return "/previews/" + url.PathEscape(talkID) + "/" + itoa(page) + ".png?v=" + previewVersion(st)
}

func previewVersion(st fs.FileInfo) string {
	return strconv.FormatInt(st.ModTime().UnixNano(), 36) + "-" + strconv.FormatInt(st.Size(), 36)
}

// servePreview answers GET /previews/<talk-id>/<page>.png from
// Config.Previews with long cache headers: the URLs are versioned.
func (a *app) servePreview(c echo.Context) error {
	name := strings.TrimPrefix(c.Request().URL.Path, "/previews/")
	if !fs.ValidPath(name) || !previewName.MatchString(name) {
		return echo.ErrNotFound
	}
	rs, st, closeFile, err := openRegular(a.cfg.Previews, name)
	if err != nil {
		return err
	}
	defer closeFile()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "image/png")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+previewVersion(st)+`"`)
	return serveContent(c, "", st.ModTime(), rs)
}
