package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// Suggestions per kind: the default and the most a client may ask for.
const (
	defaultSuggestions = 8
	maxSuggestions     = 20
)

// suggestResponse is the JSON of GET /api/v1/suggest.
type suggestResponse struct {
	Query       string           `json:"query"`
	Suggestions []suggestionJSON `json:"suggestions"`
}

// suggestionJSON is one completion: a word of the archive (kind "term",
// with the number of talks containing it), a talk title ("title", with
// its talk_id) or a speaker ("speaker").
type suggestionJSON struct {
	Text   string `json:"text"`
	Kind   string `json:"kind"`
	TalkID string `json:"talk_id,omitempty"`
	Count  int    `json:"count,omitempty"`
}

// apiSuggest answers GET /api/v1/suggest?q=Digi, called on every
// keystroke: completions of the last word typed, titles and speakers.
func (a *app) apiSuggest(c echo.Context) error {
	params := c.QueryParams()
	input := params.Get("q")
	if err := search.CheckText(input); err != nil {
		return err
	}
	n := defaultSuggestions
	if s := strings.TrimSpace(params.Get("n")); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > maxSuggestions {
			return &paramError{"n", "Der Parameter „n“ muss eine ganze Zahl zwischen 1 und " + itoa(maxSuggestions) + " sein, nicht „" + clip(s) + "“."}
		}
		n = v
	}
	sugg, err := a.s.Suggest(c.Request().Context(), input, n)
	if err != nil {
		return err
	}
	out := suggestResponse{Query: input, Suggestions: make([]suggestionJSON, 0, len(sugg))}
	for _, s := range sugg {
		out.Suggestions = append(out.Suggestions, suggestionJSON{Text: s.Text, Kind: s.Kind, TalkID: s.TalkID, Count: s.Count})
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return writeJSON(c, http.StatusOK, out)
}
