package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// talksResponse is the JSON of GET /api/v1/talks, an OParl-style list.
type talksResponse struct {
	Total      int                     `json:"total"`
	Data       []talkJSON              `json:"data"`
	Facets     map[string][]facetValue `json:"facets"`
	Pagination pagination              `json:"pagination"`
	Links      links                   `json:"links"`
}

// apiTalks answers GET /api/v1/talks: the archive, filtered and paged like
// a search without text, newest event first unless sort says otherwise.
func (a *app) apiTalks(c echo.Context) error {
	params := c.QueryParams()
	if strings.TrimSpace(params.Get("q")) != "" {
		return &paramError{"q", "Die Liste der Vorträge nimmt keinen Suchtext an; für die Volltextsuche bitte /api/v1/search?q=… verwenden."}
	}
	q, res, err := a.search(c, params)
	if err != nil {
		return err
	}
	out := talksResponse{
		Total:      res.Total,
		Data:       make([]talkJSON, 0, len(res.Talks)),
		Facets:     facetsJSON(res.Facets),
		Pagination: paginationOf(q.Page, q.Size, res.Total),
		Links:      a.listLinks("/api/v1/talks", params, q.Page, q.Size, res.Total),
	}
	for _, h := range res.Talks {
		out.Data = append(out.Data, a.talkJSON(h.Talk))
	}
	return writeJSON(c, http.StatusOK, out)
}
