package api

import (
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// serveContent is http.ServeContent with its refusals (416 for a range
// outside the file, 412 for a failed If-Match or If-Unmodified-Since)
// turned into errors, so that the error handler answers them as
// problem+json like every other error instead of net/http's plain text.
// The headers ServeContent set for the refusal (Content-Range: bytes */n)
// stay.
func serveContent(c echo.Context, name string, modtime time.Time, content io.ReadSeeker) error {
	w := &refusalWriter{ResponseWriter: c.Response()}
	http.ServeContent(w, c.Request(), name, modtime, content)
	if w.refused != 0 {
		return echo.NewHTTPError(w.refused)
	}
	return nil
}

// refusalWriter holds back a client error status and the plain-text body
// that follows it; everything else passes through.
type refusalWriter struct {
	http.ResponseWriter
	refused int
}

func (w *refusalWriter) WriteHeader(code int) {
	if code >= 400 && code < 500 {
		w.refused = code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *refusalWriter) Write(p []byte) (int, error) {
	if w.refused != 0 {
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *refusalWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
