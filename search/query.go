package search

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrBadQuery marks a Query that cannot be run; the wrapped message says
// which parameter is wrong.
var ErrBadQuery = errors.New("bad query")

// Limits of a Query.
const (
	MaxQueryLength = 500 // characters of Text
	MaxPageSize    = 100
	DefaultSize    = 10
	MaxPage        = 1000
	MaxFilters     = 50 // values per filter field
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
	Text          string
	Speakers      []string
	Organisations []string
	States        []string
	Topics        []string
	Kinds         []string
	Events        []string
	Years         []string
	Sort          string // "" means relevance, or date order when Text is empty
	Page          int    // 1-based; 0 means 1
	Size          int    // talks per page; 0 means DefaultSize
	// Slides is how many best slides (and transcript passages) to return
	// per talk; 0 means 3.
	Slides int
}

// QueryError describes what is wrong with a Query. It wraps ErrBadQuery.
type QueryError struct {
	Param string // "q", "page", "size", "sort", or a filter field
	Msg   string
}

func (e *QueryError) Error() string { return fmt.Sprintf("bad query: %s: %s", e.Param, e.Msg) }

// Unwrap makes errors.Is(err, ErrBadQuery) true.
func (e *QueryError) Unwrap() error { return ErrBadQuery }

// normalize fills defaults and checks limits.
func (q *Query) normalize() error {
	q.Text = strings.TrimSpace(q.Text)
	if n := utf8.RuneCountInString(q.Text); n > MaxQueryLength {
		return &QueryError{"q", fmt.Sprintf("is %d characters long; at most %d are allowed", n, MaxQueryLength)}
	}
	if !utf8.ValidString(q.Text) {
		return &QueryError{"q", "is not valid UTF-8"}
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 || q.Page > MaxPage {
		return &QueryError{"page", fmt.Sprintf("must be between 1 and %d", MaxPage)}
	}
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	if q.Size < 1 || q.Size > MaxPageSize {
		return &QueryError{"size", fmt.Sprintf("must be between 1 and %d", MaxPageSize)}
	}
	if q.Slides == 0 {
		q.Slides = 3
	}
	if q.Slides < 0 || q.Slides > 20 {
		return &QueryError{"slides", "must be between 0 and 20"}
	}
	switch q.Sort {
	case "", SortRelevance, SortDate, SortTitle:
	default:
		return &QueryError{"sort", fmt.Sprintf("unknown order %q; use relevance, date or title", q.Sort)}
	}
	for field, vals := range q.filters() {
		if len(vals) > MaxFilters {
			return &QueryError{field, fmt.Sprintf("at most %d values are allowed", MaxFilters)}
		}
	}
	return nil
}

// filters maps each facet field to the query's values for it.
func (q *Query) filters() map[string][]string {
	return map[string][]string{
		FieldSpeaker:      q.Speakers,
		FieldOrganisation: q.Organisations,
		FieldState:        q.States,
		FieldTopic:        q.Topics,
		FieldKind:         q.Kinds,
		FieldEvent:        q.Events,
		FieldYear:         q.Years,
	}
}
