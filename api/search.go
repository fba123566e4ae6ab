package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// searchResponse is the JSON of GET /api/v1/search.
type searchResponse struct {
	Query      string                  `json:"query"`
	Total      int                     `json:"total"`
	TookMS     int64                   `json:"took_ms"`
	Data       []talkJSON              `json:"data"`
	Facets     map[string][]facetValue `json:"facets"`
	Pagination pagination              `json:"pagination"`
	Links      links                   `json:"links"`
}

type talkJSON struct {
	ID         string           `json:"id"`
	Title      string           `json:"title"`
	Kind       string           `json:"kind"`
	Event      search.Event     `json:"event"`
	Speakers   []search.Speaker `json:"speakers"`
	States     []string         `json:"states"`
	Topics     []string         `json:"topics"`
	Score      float64          `json:"score,omitempty"`
	File       string           `json:"file,omitempty"`
	Transcript string           `json:"transcript,omitempty"`
	Recording  string           `json:"recording,omitempty"`
	Pages      int              `json:"pages"`
	Slides     []slideJSON      `json:"slides,omitempty"`
	Passages   []passageJSON    `json:"transcript_passages,omitempty"`
	URL        string           `json:"url"`
}

type slideJSON struct {
	Page    int    `json:"page"`
	Snippet string `json:"snippet"`
	URL     string `json:"url"`
}

// passageJSON is a matching transcript passage. Start is in seconds and
// absent when the transcript has no timestamps.
type passageJSON struct {
	Segment int      `json:"segment"`
	Start   *float64 `json:"start,omitempty"`
	Snippet string   `json:"snippet"`
	URL     string   `json:"url,omitempty"`
}

type facetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type pagination struct {
	Page       int `json:"page"`
	Size       int `json:"size"`
	TotalPages int `json:"total_pages"`
}

type links struct {
	Self string `json:"self"`
	Next string `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
}

func (a *app) apiSearch(c echo.Context) error {
	began := time.Now()
	q, err := parseQuery(c.QueryParams())
	if err != nil {
		return err
	}
	res, err := a.s.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	page, size := max(q.Page, 1), q.Size
	if size == 0 {
		size = search.DefaultSize
	}
	out := searchResponse{
		Query:      q.Text,
		Total:      res.Total,
		Data:       make([]talkJSON, 0, len(res.Talks)),
		Facets:     make(map[string][]facetValue, len(res.Facets)),
		Pagination: pagination{Page: page, Size: size, TotalPages: (res.Total + size - 1) / size},
	}
	for _, h := range res.Talks {
		t := a.talkJSON(h.Talk)
		t.Score = h.Score
		for _, s := range h.Slides {
			t.Slides = append(t.Slides, slideJSON{Page: s.Page, Snippet: string(s.Snippet), URL: a.pageURL(h.File, s.Page)})
		}
		for _, s := range h.Segments {
			p := passageJSON{Segment: s.N, Snippet: string(s.Snippet), URL: a.fileURL(h.Transcript)}
			if s.Start >= 0 {
				start := s.Start
				p.Start = &start
				if h.Recording != "" {
					p.URL = recordingAt(h.Recording, s.Start)
				}
			}
			t.Passages = append(t.Passages, p)
		}
		out.Data = append(out.Data, t)
	}
	for _, f := range res.Facets {
		vals := make([]facetValue, len(f.Values))
		for i, v := range f.Values {
			vals[i] = facetValue{v.Value, v.Count}
		}
		out.Facets[f.Field] = vals
	}
	params := c.QueryParams()
	out.Links.Self = a.searchURL(params, page)
	if page*size < res.Total {
		out.Links.Next = a.searchURL(params, page+1)
	}
	if page > 1 {
		out.Links.Prev = a.searchURL(params, page-1)
	}
	out.TookMS = time.Since(began).Milliseconds()
	return writeJSON(c, http.StatusOK, out)
}

// talkJSON renders a talk's metadata with absolute or root-relative URLs.
func (a *app) talkJSON(t search.Talk) talkJSON {
	return talkJSON{
		ID: t.ID, Title: t.Title, Kind: t.Kind, Event: t.Event,
		Speakers: nonNilSpeakers(t.Speakers), States: nonNil(t.States), Topics: nonNil(t.Topics),
		File: a.fileURL(t.File), Transcript: a.fileURL(t.Transcript), Recording: t.Recording,
		Pages: t.Pages, URL: a.cfg.BaseURL + "/api/v1/talks/" + url.PathEscape(t.ID),
	}
}

// fileURL is the public URL of a file served under /files/.
func (a *app) fileURL(file string) string {
	if file == "" {
		return ""
	}
	parts := strings.Split(file, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return a.cfg.BaseURL + "/files/" + strings.Join(parts, "/")
}

// pageURL opens the PDF at a page (PDF open parameters, RFC 8118).
func (a *app) pageURL(file string, page int) string {
	if file == "" {
		return ""
	}
	return a.fileURL(file) + "#page=" + itoa(page)
}

// recordingAt links a recording at an offset (W3C media fragments).
func recordingAt(rec string, start float64) string {
	return rec + "#t=" + itoa(int(start))
}

// searchURL is the API URL of the same search at another page.
func (a *app) searchURL(params url.Values, page int) string {
	v := url.Values{}
	for k, vs := range params {
		v[k] = vs
	}
	v.Set("page", itoa(page))
	return a.cfg.BaseURL + "/api/v1/search?" + v.Encode()
}

// writeJSON writes v as UTF-8 JSON without escaping <, > and &, so
// snippets stay readable; they are HTML-escaped already.
func writeJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(status)
	return jsonEncode(c.Response(), v)
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilSpeakers(s []search.Speaker) []search.Speaker {
	if s == nil {
		return []search.Speaker{}
	}
	return s
}
