// Package search owns the full-text index: its bleve mapping and German
// analysis, writing talk documents, and answering queries with facets,
// grouping by talk and highlighted snippets.
//
// It owns what a query may be: Query.Normalize validates it once and
// returns a *QueryError (wrapping ErrBadQuery) with a field and a Problem;
// messages are English, and api translates them.
//
// It is the only talksearch package that imports bleve; no bleve type
// leaves it. Of talksearch it imports only internal/german, the folding
// shared with corpus; it must not import corpus, indexer, api or cmd.
package search

import "html/template"

// Talk is the metadata of one talk as the index stores and returns it.
//
// Its json tags are the encoding stored in the index (one JSON document
// per talk), not a wire format: api has its own response types. Changing
// a tag changes what old indexes decode to and needs a new mappingVersion.
// The tags also shape what "talksearch search --json" prints today.
type Talk struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	Event      Event     `json:"event"`
	Speakers   []Speaker `json:"speakers"`
	States     []string  `json:"states"`
	Topics     []string  `json:"topics"`
	File       string    `json:"file,omitempty"`       // slides file, "event/path.pdf"
	Transcript string    `json:"transcript,omitempty"` // transcript file, "event/path.txt"
	Recording  string    `json:"recording,omitempty"`  // recording URL
	Pages      int       `json:"pages"`                // number of slides indexed
	// Order is the talk's position in its event's programme; browsing
	// without a query lists talks in this order.
	Order int `json:"order"`
}

// Event identifies the event a talk belongs to. Its json tags are part of
// the stored encoding of Talk.
type Event struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Year  int    `json:"year,omitempty"`
	Place string `json:"place,omitempty"`
}

// Speaker is a person or, where no person is named, an organisation. Its
// json tags are part of the stored encoding of Talk.
type Speaker struct {
	Name         string `json:"name,omitempty"`
	Role         string `json:"role,omitempty"`
	Organisation string `json:"organisation,omitempty"`
}

// Label is the value the speaker facet shows: the name, or the
// organisation where no name is given.
func (s Speaker) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Organisation
}

// Slide is the text of one page of a talk's slide deck. Text may be empty
// (a scan that could not be read): the page is still listed. Extractor
// names what produced the text ("ledongthuc", "pdftotext", "ocr").
type Slide struct {
	Page      int
	Text      string
	Extractor string
}

// Segment is one passage of a talk's transcript. Start is the offset into
// the recording in seconds, or -1 when the transcript has no timestamps.
type Segment struct {
	N     int
	Start float64
	Text  string
}

// Doc is everything the index holds about one talk: its metadata, the text
// of its slides and its transcript segments. Index writes it as one talk
// document plus one document per slide and per segment.
type Doc struct {
	Talk     Talk
	Slides   []Slide
	Segments []Segment
	// TitleFromFile says that Talk.Title only names the file: the file's
	// name (no manifest and no usable PDF title), or a PDF title that says
	// no more ("DU" for man1-du.pdf). The index then searches that title
	// and the text's opening words as the talk's lead, at half a title's
	// weight, instead of as its title (leadText).
	TitleFromFile bool
	// Fingerprint, when set, is stored with the talk so that the indexer
	// can skip it next time if it is unchanged (see Index.Fingerprint).
	Fingerprint string
}

// Result is the answer to a Query.
type Result struct {
	Total  int       // talks that match, over all pages
	Talks  []TalkHit // the requested page of talks
	Facets []Facet   // one per facet field, in FacetFields order
	// DidYouMean is a corrected query when it finds clearly more than
	// the query, for a "Meinten Sie …?" prompt; "" when there is none.
	DidYouMean string
	// Match is MatchAll when every talk matches the whole query, or
	// MatchPartial when too few did and talks matching only some of its
	// words follow them.
	Match string
	// Full is how many talks match the whole query. With MatchPartial
	// they are the first Full talks of the ranking (sorted by
	// relevance) and Full may be 0; with MatchAll it equals Total.
	Full int
	// Ignored are the words, as typed, that none of the first partial
	// matches (the talks right after the full ones) has, in query order;
	// empty with MatchAll, and when each of the query's words is in one
	// of those talks.
	Ignored []string
	// Degraded reports that the query was too expensive for its budget
	// (budget.go): some of its expansions (prefixes, typo tolerance,
	// compound parts, partial-match tiers) were left out, so it may find
	// less than it would otherwise.
	Degraded bool
}

// TalkHit is a matching talk with its best slides and transcript passages.
type TalkHit struct {
	Talk
	Score    float64
	Slides   []SlideHit
	Segments []SegmentHit
}

// SlideHit is a matching slide. Snippet is HTML-escaped text with the
// matched words wrapped in <mark>.
type SlideHit struct {
	Page      int
	Snippet   template.HTML
	Extractor string
}

// SegmentHit is a matching transcript passage.
type SegmentHit struct {
	N       int
	Start   float64
	Snippet template.HTML
}

// Facet is the value counts of one field, counting talks.
type Facet struct {
	Field  string
	Values []FacetValue
}

// FacetValue is one value of a facet and the number of talks that have it.
type FacetValue struct {
	Value string
	Count int
	// Event describes the value of the event facet (its id is Value).
	Event *Event
}
