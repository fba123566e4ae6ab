package api

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/talksearch/talksearch/search"
)

// paramError is a request parameter that cannot be read at all (a page
// number that is no number). Its message is German, for the person who
// sent the request. What a well-formed value may be is search's to say:
// see search.QueryError and queryDetail.
type paramError struct {
	Param  string
	Detail string
}

func (e *paramError) Error() string { return "invalid parameter " + e.Param + ": " + e.Detail }

// parseQuery reads a search.Query from the query string and normalises
// it. The filter parameters are named as search's facet fields and may be
// repeated (state=Sachsen&state=Thüringen).
func parseQuery(v url.Values) (search.Query, error) {
	q := search.Query{Text: v.Get("q"), Sort: v.Get("sort")}
	var err error
	if q.Page, err = intParam(v, "page"); err != nil {
		return q, err
	}
	if q.Size, err = intParam(v, "size"); err != nil {
		return q, err
	}
	for _, field := range search.FacetFields {
		if vals := v[field]; len(vals) > 0 {
			if q.Filters == nil {
				q.Filters = map[string][]string{}
			}
			q.Filters[field] = vals
		}
	}
	return q, q.Normalize()
}

func intParam(v url.Values, name string) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, &paramError{name, "Der Parameter „" + name + "“ muss eine positive ganze Zahl sein, nicht „" + clip(s) + "“."}
	}
	return n, nil
}

// clip shortens a value a client sent before it is quoted in a detail.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}

func itoa(n int) string { return strconv.Itoa(n) }
