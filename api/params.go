package api

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

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

// filterLabels are the German names of the filter parameters, for error
// details.
var filterLabels = map[string]string{
	"speaker": "Vortragende", "organisation": "Organisation", "state": "Bundesland",
	"topic": "Thema", "kind": "Format", "event": "Veranstaltung", "year": "Jahr",
}

// maxFilterValue bounds the length of one filter value; no speaker, topic
// or organisation name comes close.
const maxFilterValue = 200

// parseQuery reads a search.Query from the query string. Filters may be
// repeated (state=Sachsen&state=Thüringen).
func parseQuery(v url.Values) (search.Query, error) {
	q := search.Query{Text: v.Get("q"), Sort: strings.TrimSpace(v.Get("sort"))}
	if err := checkText("q", q.Text); err != nil {
		return q, err
	}
	switch q.Sort {
	case "", search.SortRelevance, search.SortDate, search.SortTitle:
	default:
		return q, &paramError{"sort", "Die Sortierung „" + clip(q.Sort) + "“ gibt es nicht; erlaubt sind relevance, date und title."}
	}
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
		if len(vals) > search.MaxFilters {
			return q, &paramError{fp.param, fmt.Sprintf("Für „%s“ sind höchstens %d Werte erlaubt.", filterLabels[fp.param], search.MaxFilters)}
		}
		for _, s := range vals {
			if utf8.RuneCountInString(s) > maxFilterValue {
				return q, &paramError{fp.param, fmt.Sprintf("Ein Wert für „%s“ ist zu lang: höchstens %d Zeichen sind erlaubt.", filterLabels[fp.param], maxFilterValue)}
			}
		}
		if fp.param == "year" {
			for _, y := range vals {
				if n, err := strconv.Atoi(y); err != nil || n < 1900 || n > 2200 {
					return q, &paramError{"year", "„" + clip(y) + "“ ist keine Jahreszahl."}
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
		return 0, &paramError{name, "Der Parameter „" + name + "“ muss eine positive ganze Zahl sein, nicht „" + clip(s) + "“."}
	}
	return n, nil
}

// checkText refuses text longer than search.MaxQueryLength characters.
func checkText(param, text string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(text)); n > search.MaxQueryLength {
		return &paramError{param, fmt.Sprintf("Die Suchanfrage ist zu lang: höchstens %d Zeichen sind erlaubt, diese hat %d.", search.MaxQueryLength, n)}
	}
	return nil
}

// checkPage refuses a page after the last one. The first page always
// exists, if empty.
func checkPage(page, size, total int) error {
	pages := (total + size - 1) / size
	if page <= 1 || page <= pages {
		return nil
	}
	switch pages {
	case 0:
		return &paramError{"page", fmt.Sprintf("Die Seite %d gibt es nicht: Es gibt keine Treffer.", page)}
	case 1:
		return &paramError{"page", fmt.Sprintf("Die Seite %d gibt es nicht: Es gibt nur eine Seite.", page)}
	}
	return &paramError{"page", fmt.Sprintf("Die Seite %d gibt es nicht: Es gibt nur %d Seiten.", page, pages)}
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
