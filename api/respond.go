package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Header names echo has no constants for.
const (
	headerETag        = "ETag"
	headerIfNoneMatch = "If-None-Match"
)

// Cache lifetimes of API responses. The index changes only when talks are
// re-indexed, so a minute is safe; clients revalidate with If-None-Match.
const (
	cacheDefault = "public, max-age=60"
	cacheLong    = "public, max-age=3600"
	cacheNever   = "no-store"
)

// writeJSON writes v as UTF-8 JSON without escaping <, > and &, so
// snippets stay readable; they are HTML-escaped already. A successful GET
// gets an ETag and a Cache-Control (cacheDefault unless the handler set
// one), and a 304 when the client's If-None-Match matches.
func writeJSON(c echo.Context, status int, v any) error {
	var buf bytes.Buffer
	if err := jsonEncode(&buf, v); err != nil {
		return fmt.Errorf("api: encode response: %w", err)
	}
	return writeBody(c, status, echo.MIMEApplicationJSON, buf.Bytes())
}

// writeBody writes a body of the given type with writeJSON's caching.
func writeBody(c echo.Context, status int, contentType string, body []byte) error {
	h := c.Response().Header()
	m := c.Request().Method
	if status == http.StatusOK && (m == http.MethodGet || m == http.MethodHead) {
		if h.Get(echo.HeaderCacheControl) == "" {
			h.Set(echo.HeaderCacheControl, cacheDefault)
		}
		if h.Get(echo.HeaderCacheControl) != cacheNever {
			tag := etagOf(body)
			h.Set(headerETag, tag)
			if etagMatches(c.Request().Header.Get(headerIfNoneMatch), tag) {
				return c.NoContent(http.StatusNotModified)
			}
		}
	}
	h.Set(echo.HeaderContentType, contentType)
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(body)
	return err
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// tookMember is the one member of a response that changes from call to
// call without the content changing; etagOf leaves it out.
var tookMember = []byte(`,"took_ms":`)

// etagOf is a weak entity tag of a JSON body: weak, because gzip may
// change the bytes on the wire but not the meaning. The "took_ms" member
// is skipped; an unescaped `,"` can only occur between members, never
// inside a JSON string, so the first match is the real member.
func etagOf(body []byte) string {
	h := sha256.New()
	if i := bytes.Index(body, tookMember); i >= 0 {
		j := i + len(tookMember)
		for j < len(body) && body[j] >= '0' && body[j] <= '9' {
			j++
		}
		h.Write(body[:i])
		h.Write(body[j:])
	} else {
		h.Write(body)
	}
	return `W/"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110, 13.1.2).
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
