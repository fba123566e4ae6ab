package api

import (
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// maxTalkID bounds the talk ids looked up; longer ones cannot exist.
const maxTalkID = 200

// talkID is the :id of the route, or ErrNotFound for an id no talk can
// have.
func talkID(c echo.Context) (string, error) {
	id := c.Param("id")
	if id == "" || len(id) > maxTalkID || !utf8.ValidString(id) {
		return "", search.ErrNotFound
	}
	return id, nil
}

// apiTalk answers GET /api/v1/talks/:id with the talk's metadata.
func (a *app) apiTalk(c echo.Context) error {
	id, err := talkID(c)
	if err != nil {
		return err
	}
	t, err := a.s.Talk(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, a.talkJSON(*t))
}

// slidesResponse is the JSON of GET /api/v1/talks/:id/slides.
type slidesResponse struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	File     string            `json:"file,omitempty"`
	Data     []slideTextJSON   `json:"data"`
	Segments []segmentTextJSON `json:"segments"`
	Links    slidesLinks       `json:"links"`
}

// slideTextJSON is the plain text (not HTML) of one slide.
type slideTextJSON struct {
	Page      int    `json:"page"`
	Text      string `json:"text"`
	Extractor string `json:"extractor,omitempty"` // ledongthuc, pdftotext or ocr
	URL       string `json:"url,omitempty"`
}

// segmentTextJSON is the plain text of one transcript passage. Start is in
// seconds and absent when the transcript has no timestamps.
type segmentTextJSON struct {
	Segment int      `json:"segment"`
	Start   *float64 `json:"start,omitempty"`
	Text    string   `json:"text"`
	URL     string   `json:"url,omitempty"`
}

type slidesLinks struct {
	Self string `json:"self"`
	Talk string `json:"talk"`
}

// apiSlides answers GET /api/v1/talks/:id/slides with the text of every
// slide and transcript passage of the talk.
func (a *app) apiSlides(c echo.Context) error {
	id, err := talkID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := a.s.Talk(ctx, id)
	if err != nil {
		return err
	}
	slides, segments, err := a.s.Slides(ctx, t.ID)
	if err != nil {
		return err
	}
	out := slidesResponse{
		ID: t.ID, Title: t.Title, File: a.fileURL(t.File),
		Data:     make([]slideTextJSON, 0, len(slides)),
		Segments: make([]segmentTextJSON, 0, len(segments)),
		Links:    slidesLinks{Self: a.talkURL(t.ID) + "/slides", Talk: a.talkURL(t.ID)},
	}
	for _, s := range slides {
		out.Data = append(out.Data, slideTextJSON{Page: s.Page, Text: s.Text, Extractor: s.Extractor, URL: a.pageURL(t.File, s.Page)})
	}
	for _, s := range segments {
		seg := segmentTextJSON{Segment: s.N, Text: s.Text, URL: a.fileURL(t.Transcript)}
		if s.Start >= 0 {
			start := s.Start
			seg.Start = &start
			if t.Recording != "" {
				seg.URL = recordingAt(t.Recording, s.Start)
			}
		}
		out.Segments = append(out.Segments, seg)
	}
	return writeJSON(c, http.StatusOK, out)
}
