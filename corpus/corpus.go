// Package corpus owns the talk catalogue: events, talks, speakers, states,
// topics and the files that belong to each talk, and the bundled sample
// corpus. It loads and validates catalogues from any fs.FS.
//
// It must not import bleve, echo, the PDF library or any other talksearch
// package: it describes what exists, not how it is read or searched.
package corpus

// Kinds of talk a manifest may name. The zero value of Talk.Kind is filled
// with KindTalk when a manifest leaves it empty.
const (
	KindOpening    = "Eröffnung"
	KindKeynote    = "Keynote"
	KindTalk       = "Vortrag"
	KindWorkshop   = "Workshop"
	KindDiscussion = "Diskussion"
)

// Kinds lists every valid talk kind in display order.
var Kinds = []string{KindOpening, KindKeynote, KindTalk, KindWorkshop, KindDiscussion}

// Nationwide is the state value for a talk that concerns all of Germany
// rather than one Bundesland.
const Nationwide = "bundesweit"

// States lists the valid state values: the 16 Länder and Nationwide.
var States = []string{
	"Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen",
	"Hamburg", "Hessen", "Mecklenburg-Vorpommern", "Niedersachsen",
	"Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland", "Sachsen",
	"Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen", Nationwide,
}

// Catalogue is a loaded, validated set of events and their talks.
type Catalogue struct {
	Events []Event
	Talks  []Talk
	// Problems are what loading left out, each with its file and field
	// (the same list as the *ValidationError Load returns), so that an
	// index report can name them.
	Problems []Problem
}

// Event is one conference, for example one year of the IT-Fachtag.
type Event struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ShortName string `json:"short_name,omitempty"`
	Year      int    `json:"year,omitempty"`
	Place     string `json:"place,omitempty"`
	Organiser string `json:"organiser,omitempty"`
	// Dir is the event's folder inside the catalogue's file system ("." for
	// a catalogue that is a single event). Talk file paths are relative to it.
	Dir string `json:"-"`
}

// Talk is one contribution to an event: a talk, keynote, workshop or panel.
type Talk struct {
	ID       string    `json:"id"`
	EventID  string    `json:"-"`
	Title    string    `json:"title"`
	Kind     string    `json:"kind"`
	Speakers []Speaker `json:"speakers"`
	States   []string  `json:"states"`
	Topics   []string  `json:"topics"`
	Files    Files     `json:"files"`
	// TitleFromFile is true when no manifest named the title and it was
	// derived from the file name; a better title (PDF metadata) may replace it.
	TitleFromFile bool `json:"-"`
}

// Speaker is a person or, where no person is named, an organisation.
type Speaker struct {
	Name         string `json:"name,omitempty"`
	Role         string `json:"role,omitempty"`
	Organisation string `json:"organisation,omitempty"`
}

// Label is the speaker's name, or the organisation where no name is given.
func (s Speaker) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Organisation
}

// Files are the paths of a talk's files, relative to its event folder, and
// its optional recording URL.
type Files struct {
	Slides     string `json:"slides,omitempty"`
	Transcript string `json:"transcript,omitempty"`
	Recording  string `json:"recording,omitempty"`
}

// Event returns the event with the given id, or false.
func (c *Catalogue) Event(id string) (Event, bool) {
	for _, e := range c.Events {
		if e.ID == id {
			return e, true
		}
	}
	return Event{}, false
}
