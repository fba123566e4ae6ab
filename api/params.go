package api

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/talksearch/talksearch/search"
)

// paramError is a request parameter that cannot be used. Its message is
// German, for the person who sent the request.
type paramError struct {
	Param  string
	Detail string
}

func (e *paramError) Error() string { return "invalid parameter " + e.Param + ": " + e.Detail }

// filterParams maps the query-string names of the filters to search fields.
var filterParams = []struct{ param, field string }{
	{"speaker", search.FieldSpeaker},
	{"organisation", search.FieldOrganisation},
	{"state", search.FieldState},
	{"topic", search.FieldTopic},
	{"kind", search.FieldKind},
	{"event", search.FieldEvent},
	{"year", search.FieldYear},
}

// parseQuery reads a search.Query from the query string. Filters may be
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
	for _, fp := range filterParams {
		var vals []string
		for _, s := range v[fp.param] {
			if s = strings.TrimSpace(s); s != "" {
				vals = append(vals, s)
			}
		}
		if fp.param == "year" {
			for _, y := range vals {
				if n, err := strconv.Atoi(y); err != nil || n < 1900 || n > 2200 {
					return q, &paramError{"year", "„" + y + "“ ist keine Jahreszahl."}
				}
			}
		}
		switch fp.field {
		case search.FieldSpeaker:
			q.Speakers = vals
		case search.FieldOrganisation:
			q.Organisations = vals
		case search.FieldState:
			q.States = vals
		case search.FieldTopic:
			q.Topics = vals
		case search.FieldKind:
			q.Kinds = vals
		case search.FieldEvent:
			q.Events = vals
		case search.FieldYear:
			q.Years = vals
		}
	}
	return q, nil
}

func intParam(v url.Values, name string) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, &paramError{name, "Der Parameter „" + name + "“ muss eine positive ganze Zahl sein, nicht „" + s + "“."}
	}
	return n, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
