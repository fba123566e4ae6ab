package api

import (
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
	DidYouMean string                  `json:"did_you_mean,omitempty"`
	Degraded   bool                    `json:"degraded"`      // expansions left out for the query's cost
	Match      string                  `json:"match"`         // "all" or "partial"
	Ignored    []string                `json:"ignored_words"` // lacked by all of the first partial matches
	Data       []talkJSON              `json:"data"`
	Facets     map[string][]facetValue `json:"facets"`
	Pagination pagination              `json:"pagination"`
	Links      links                   `json:"links"`
}

// talkJSON is a talk in API responses; score, slides and passages only
// in search results.
type talkJSON struct {
	ID         string        `json:"id"`
	Title      string        `json:"title"`
	Kind       string        `json:"kind"`
	Event      eventJSON     `json:"event"`
	Speakers   []speakerJSON `json:"speakers"`
	States     []string      `json:"states"`
	Topics     []string      `json:"topics"`
	Score      float64       `json:"score,omitempty"`
	File       string        `json:"file,omitempty"`
	Transcript string        `json:"transcript,omitempty"`
	Recording  string        `json:"recording,omitempty"`
	Pages      int           `json:"pages"`
	Slides     []slideJSON   `json:"slides,omitempty"`
	Passages   []passageJSON `json:"transcript_passages,omitempty"`
	URL        string        `json:"url"`        // this talk in the API
	SlidesURL  string        `json:"slides_url"` // its slides' text in the API
}

// eventJSON is the event of a talk in API responses.
type eventJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Year  int    `json:"year,omitempty"`
	Place string `json:"place,omitempty"`
}

// speakerJSON is a speaker of a talk in API responses.
type speakerJSON struct {
	Name         string `json:"name,omitempty"`
	Role         string `json:"role,omitempty"`
	Organisation string `json:"organisation,omitempty"`
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
	Label string `json:"label,omitempty"`
}

type pagination struct {
	Page       int `json:"page"`
	Size       int `json:"size"`
	TotalPages int `json:"total_pages"`
}

// links are the URLs of the same list at other pages (OParl's list
// links). next is absent on the last page, prev on the first.
type links struct {
	Self  string `json:"self"`
	First string `json:"first"`
	Prev  string `json:"prev,omitempty"`
	Next  string `json:"next,omitempty"`
	Last  string `json:"last"`
}

// apiSearch answers GET /api/v1/search: talks that match the text and the
// filters, with their best slides and the facet counts.
func (a *app) apiSearch(c echo.Context) error {
	began := time.Now()
	params := c.QueryParams()
	q, res, err := a.search(c, params)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, a.searchResponse(q, res, params, began))
}

// searchResponse maps a result of the normalised query q, asked with the
// URL parameters params, to the wire.
func (a *app) searchResponse(q search.Query, res *search.Result, params url.Values, began time.Time) searchResponse {
	out := searchResponse{
		Query:      q.Text,
		Total:      res.Total,
		DidYouMean: res.DidYouMean,
		Degraded:   res.Degraded,
		Match:      matchJSON(res.Match),
		Ignored:    nonNil(res.Ignored),
		Data:       make([]talkJSON, 0, len(res.Talks)),
		Facets:     facetsJSON(res.Facets),
		Pagination: paginationOf(q.Page, q.Size, res.Total),
		Links:      a.listLinks("/api/v1/search", params, q.Page, q.Size, res.Total),
	}
	for _, h := range res.Talks {
		out.Data = append(out.Data, a.talkHitJSON(h))
	}
	out.TookMS = time.Since(began).Milliseconds()
	return out
}

// WriteSearchJSON writes res, the result of q, as exactly the JSON body
// GET /api/v1/search answers for the same query: the wire names and
// shape, links to the API under baseURL ("" for root-relative ones).
// took_ms counts from began. It is for `talksearch search --json`, so the
// command line and the API never disagree.
func WriteSearchJSON(w io.Writer, baseURL string, q search.Query, res *search.Result, began time.Time) error {
	if err := q.Normalize(); err != nil {
		return err
	}
	a := &app{cfg: Config{BaseURL: baseURL}}
	return jsonEncode(w, a.searchResponse(q, res, queryParams(q), began))
}

// queryParams are the URL parameters of the API that ask for q.
func queryParams(q search.Query) url.Values {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	for _, f := range search.FacetFields {
		for _, val := range q.Filters[f] {
			v.Add(f, val)
		}
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	if q.Size != search.DefaultSize {
		v.Set("size", itoa(q.Size))
	}
	return v
}

// talkHitJSON renders a matching talk with its best slides and passages.
func (a *app) talkHitJSON(h search.TalkHit) talkJSON {
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
	return t
}

// matchJSON is the wire value of a search.Result's Match: "partial" when
// talks matching only some of the words follow, "all" otherwise.
func matchJSON(m string) string {
	if m == search.MatchPartial {
		return "partial"
	}
	return "all"
}

// facetsJSON has one member per facet field, present even when empty.
func facetsJSON(facets []search.Facet) map[string][]facetValue {
	out := make(map[string][]facetValue, len(search.FacetFields))
	for _, f := range search.FacetFields {
		out[f] = []facetValue{}
	}
	for _, f := range facets {
		vals := make([]facetValue, len(f.Values))
		for i, v := range f.Values {
			vals[i] = facetValue{Value: v.Value, Count: v.Count}
			if v.Event != nil {
				vals[i].Label = eventLabel(*v.Event)
			}
		}
		out[f.Field] = vals
	}
	return out
}

// search runs the query the parameters describe and checks that the page
// asked for exists. The query it returns is normalised: Page and Size are
// set.
func (a *app) search(c echo.Context, params url.Values) (search.Query, *search.Result, error) {
	q, err := parseQuery(params)
	if err != nil {
		return q, nil, err
	}
	res, err := a.runSearch(c.Request().Context(), q)
	if err != nil {
		return q, nil, err
	}
	if err := q.CheckPage(res.Total); err != nil {
		return q, nil, err
	}
	return q, res, nil
}

func paginationOf(page, size, total int) pagination {
	return pagination{Page: page, Size: size, TotalPages: (total + size - 1) / size}
}

// listLinks are the links of page page of a list at path.
func (a *app) listLinks(path string, params url.Values, page, size, total int) links {
	last := max((total+size-1)/size, 1)
	l := links{
		Self:  a.listURL(path, params, page),
		First: a.listURL(path, params, 1),
		Last:  a.listURL(path, params, last),
	}
	if page < last {
		l.Next = a.listURL(path, params, page+1)
	}
	if page > 1 {
		l.Prev = a.listURL(path, params, min(page-1, last))
	}
	return l
}

// talkJSON renders a talk's metadata with absolute or root-relative URLs.
func (a *app) talkJSON(t search.Talk) talkJSON {
	return talkJSON{
		ID: t.ID, Title: t.Title, Kind: t.Kind,
		Event:    eventJSON{ID: t.Event.ID, Name: t.Event.Name, Year: t.Event.Year, Place: t.Event.Place},
		Speakers: speakersJSON(t.Speakers), States: nonNil(t.States), Topics: nonNil(t.Topics),
		File: a.fileURL(t.File), Transcript: a.fileURL(t.Transcript), Recording: t.Recording,
		Pages: t.Pages, URL: a.talkURL(t.ID), SlidesURL: a.talkURL(t.ID) + "/slides",
	}
}

// talkURL is the API URL of a talk.
func (a *app) talkURL(id string) string {
	return a.cfg.BaseURL + "/api/v1/talks/" + url.PathEscape(id)
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

// listURL is the API URL of the same list at another page.
func (a *app) listURL(path string, params url.Values, page int) string {
	v := url.Values{}
	for k, vs := range params {
		v[k] = vs
	}
	v.Set("page", itoa(page))
	return a.cfg.BaseURL + path + "?" + v.Encode()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// speakersJSON maps speakers to the wire, an empty list for none.
func speakersJSON(speakers []search.Speaker) []speakerJSON {
	out := make([]speakerJSON, len(speakers))
	for i, s := range speakers {
		out[i] = speakerJSON{Name: s.Name, Role: s.Role, Organisation: s.Organisation}
	}
	return out
}
