package search

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrBadQuery marks a Query that cannot be run. Every *QueryError wraps
// it; errors.As with a *QueryError says which field is wrong and how.
var ErrBadQuery = errors.New("bad query")

// Limits of a Query.
const (
	MaxQueryLength = 500 // characters of Text
	MaxPageSize    = 100
	DefaultSize    = 10
	MaxPage        = 1000
	MaxFilters     = 50  // values per filter field
	MaxFilterValue = 200 // characters of one filter value
	MaxSlides      = 20
	DefaultSlides  = 3
	MinYear        = 1900 // the year filter's range
	MaxYear        = 2200
)

// Sort orders a Query may ask for.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
	SortTitle     = "title"
)

// Query is a search: free text plus filters. Values within one filter field
// combine with OR, fields combine with AND.
type Query struct {
	Text string
	// Filters maps facet fields (FacetFields) to the values to keep.
	Filters map[string][]string
	Sort    string // "" means relevance, or date order when Text is empty
	Page    int    // 1-based; 0 means 1
	Size    int    // talks per page; 0 means DefaultSize
	// Slides is how many best slides (and transcript passages) to return
	// per talk; 0 means DefaultSlides.
	Slides int
}

// Problem says what is wrong with one field of a Query.
type Problem int

// Problems a QueryError reports.
const (
	TooLong       Problem = iota + 1 // Text has more than Limit characters (Got)
	InvalidText                      // Text is not valid UTF-8
	OutOfRange                       // Page, Size or Slides is outside its range, up to Limit
	UnknownSort                      // Sort is none of the Sort constants
	UnknownFilter                    // a filter field is not a facet field
	TooManyValues                    // a filter has more than Limit values
	ValueTooLong                     // a filter value has more than Limit characters
	NotAYear                         // a year filter value is no year
	PastLastPage                     // Page (Got) is after the last page (Limit pages)
)

// QueryError describes what is wrong with a Query. It wraps ErrBadQuery.
type QueryError struct {
	Field   string // "q", "page", "size", "slides", "sort", or a facet field
	Problem Problem
	Value   string // the value at fault where there is one (Sort, a filter value)
	Limit   int    // the limit broken, in the unit of Problem
	Got     int    // what was found: characters for TooLong, the page for PastLastPage
}

func (e *QueryError) Error() string {
	var msg string
	switch e.Problem {
	case TooLong:
		msg = fmt.Sprintf("is %d characters long; at most %d are allowed", e.Got, e.Limit)
	case InvalidText:
		msg = "is not valid UTF-8"
	case OutOfRange:
		msg = fmt.Sprintf("must be at most %d", e.Limit)
	case UnknownSort:
		msg = fmt.Sprintf("unknown order %q; use relevance, date or title", e.Value)
	case UnknownFilter:
		msg = "is not a filter field"
	case TooManyValues:
		msg = fmt.Sprintf("at most %d values are allowed", e.Limit)
	case ValueTooLong:
		msg = fmt.Sprintf("a value is longer than %d characters", e.Limit)
	case NotAYear:
		msg = fmt.Sprintf("%q is not a year", e.Value)
	case PastLastPage:
		msg = fmt.Sprintf("there are only %d pages", e.Limit)
	default:
		msg = "invalid"
	}
	return "bad query: " + e.Field + ": " + msg
}

// Unwrap makes errors.Is(err, ErrBadQuery) true.
func (e *QueryError) Unwrap() error { return ErrBadQuery }

// CheckText returns a *QueryError when text, trimmed, cannot be a query:
// longer than MaxQueryLength characters or not UTF-8.
func CheckText(text string) error {
	text = strings.TrimSpace(text)
	if n := utf8.RuneCountInString(text); n > MaxQueryLength {
		return &QueryError{Field: "q", Problem: TooLong, Limit: MaxQueryLength, Got: n}
	}
	if !utf8.ValidString(text) {
		return &QueryError{Field: "q", Problem: InvalidText}
	}
	return nil
}

// Normalize makes q ready to run, or returns a *QueryError saying what is
// wrong. It trims the text, the sort and every filter value, drops empty
// filter values and fields, fills the defaults of Page, Size and Slides
// and checks every limit. It is idempotent; Search calls it too.
func (q *Query) Normalize() error {
	q.Text = strings.TrimSpace(q.Text)
	if err := CheckText(q.Text); err != nil {
		return err
	}
	q.Sort = strings.TrimSpace(q.Sort)
	switch q.Sort {
	case "", SortRelevance, SortDate, SortTitle:
	default:
		return &QueryError{Field: "sort", Problem: UnknownSort, Value: q.Sort}
	}
	q.Page = orDefault(q.Page, 1)
	q.Size = orDefault(q.Size, DefaultSize)
	q.Slides = orDefault(q.Slides, DefaultSlides)
	for _, r := range []struct {
		field     string
		n, lo, hi int
	}{{"page", q.Page, 1, MaxPage}, {"size", q.Size, 1, MaxPageSize}, {"slides", q.Slides, 0, MaxSlides}} {
		if r.n < r.lo || r.n > r.hi {
			return &QueryError{Field: r.field, Problem: OutOfRange, Limit: r.hi}
		}
	}
	return q.normalizeFilters()
}

// orDefault is def when n is 0, else n.
func orDefault(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// normalizeFilters trims the filter values, drops empty ones and checks
// fields, counts, lengths and years. It leaves Filters nil when no value
// is left.
func (q *Query) normalizeFilters() error {
	var out map[string][]string
	for field, vals := range q.Filters {
		if !slices.Contains(FacetFields, field) {
			return &QueryError{Field: field, Problem: UnknownFilter}
		}
		var keep []string
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				keep = append(keep, v)
			}
		}
		if len(keep) == 0 {
			continue
		}
		if err := checkFilter(field, keep); err != nil {
			return err
		}
		if out == nil {
			out = make(map[string][]string, len(q.Filters))
		}
		out[field] = keep
	}
	q.Filters = out
	return nil
}

// checkFilter checks the trimmed values of one filter field.
func checkFilter(field string, vals []string) error {
	if len(vals) > MaxFilters {
		return &QueryError{Field: field, Problem: TooManyValues, Limit: MaxFilters}
	}
	for _, v := range vals {
		if !utf8.ValidString(v) {
			return &QueryError{Field: field, Problem: InvalidText}
		}
		if utf8.RuneCountInString(v) > MaxFilterValue {
			return &QueryError{Field: field, Problem: ValueTooLong, Limit: MaxFilterValue}
		}
		if field != FieldYear {
			continue
		}
		if y, err := strconv.Atoi(v); err != nil || y < MinYear || y > MaxYear {
			return &QueryError{Field: field, Problem: NotAYear, Value: v}
		}
	}
	return nil
}

// CheckPage returns a *QueryError when q, normalised, asks for a page
// after the last page of total talks. The first page always exists, if
// empty.
func (q Query) CheckPage(total int) error {
	size := orDefault(q.Size, DefaultSize)
	pages := (total + size - 1) / size
	if q.Page <= 1 || q.Page <= pages {
		return nil
	}
	return &QueryError{Field: "page", Problem: PastLastPage, Limit: pages, Got: q.Page}
}
