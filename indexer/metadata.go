package indexer

import (
	"strings"
	"unicode"

	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/search"
)

// PDF metadata fills in what a folder without a manifest cannot say: the
// title (see usableTitle), the speakers from the author, the topics from
// the keywords (or a short subject), and the year from the creation date
// when the event has none.

// speakersFromAuthor splits a PDF author field into speakers: "Jörg Müller;
// Anja Weiß", "A und B", "A, B" (but not "Müller, Jörg"). Account names
// that producers fill in by themselves are dropped.
func speakersFromAuthor(author string) []search.Speaker {
	author = strings.TrimSpace(author)
	if author == "" {
		return nil
	}
	parts := splitAny(author, ";", " und ", " and ", " & ", "/")
	var out []search.Speaker
	for _, p := range parts {
		names := []string{p}
		if comma := strings.Split(p, ","); len(comma) > 1 && allHaveSpace(comma) {
			names = comma
		}
		for _, n := range names {
			n = strings.Join(strings.Fields(n), " ")
			if n != "" && !placeholderAuthor(n) {
				out = append(out, search.Speaker{Name: n})
			}
		}
	}
	return out
}

// topicsFromMetadata returns the keywords split on commas and semicolons,
// or, without keywords, the subject when it is short enough to be a topic.
func topicsFromMetadata(keywords, subject string) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range splitAny(keywords, ",", ";") {
		k = strings.Join(strings.Fields(k), " ")
		if k != "" && !seen[strings.ToLower(k)] && len([]rune(k)) <= 60 {
			seen[strings.ToLower(k)] = true
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		subject = strings.Join(strings.Fields(subject), " ")
		if subject != "" && len(strings.Fields(subject)) <= 5 && len([]rune(subject)) <= 60 {
			out = append(out, subject)
		}
	}
	return out
}

// applyMetadata fills the fields of a talk that its catalogue entry leaves
// empty from the PDF metadata: for talks without a manifest the title,
// speakers and topics, and for events without a year the year the PDF
// was created. It reports whether the title came from the metadata and
// says more than the file name, whose title the talk had (fromFile): a
// metadata title that only names the file (namesFile: "DU" for
// man1-du.pdf, as a man page printed from HTML is titled) is shown, but
// the talk still counts as titled by its file name (search.Doc.TitleFromFile).
func applyMetadata(t *search.Talk, m pdftext.Metadata, fromFile bool) (titled bool) {
	if fromFile {
		if title := usableTitle(m.Title); title != "" {
			titled = !namesFile(title, t.Title)
			t.Title = title
		}
		if len(t.Speakers) == 0 {
			if s := speakersFromAuthor(m.Author); len(s) > 0 {
				t.Speakers = s
			}
		}
		if len(t.Topics) == 0 {
			if topics := topicsFromMetadata(m.Keywords, m.Subject); len(topics) > 0 {
				t.Topics = topics
			}
		}
	}
	if t.Event.Year == 0 && !m.Created.IsZero() {
		t.Event.Year = m.Created.Year()
	}
	return titled
}

func splitAny(s string, seps ...string) []string {
	parts := []string{s}
	for _, sep := range seps {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	return parts
}

func allHaveSpace(parts []string) bool {
	for _, p := range parts {
		if !strings.ContainsFunc(strings.TrimSpace(p), unicode.IsSpace) {
			return false
		}
	}
	return true
}

// placeholderAuthor reports author values that name an account or a
// program, not a person.
func placeholderAuthor(name string) bool {
	switch strings.ToLower(name) {
	case "user", "admin", "administrator", "owner", "author", "unknown", "benutzer", "nutzer",
		"microsoft office user", "microsoft office-anwender", "windows user", "windows-benutzer", "standard", "default", "root":
		return true
	}
	return false
}

// namesFile reports whether the metadata title only names the file, as
// the file name whose title the talk had does: one word in capitals (a
// command's name or an acronym: "HEXDUMP" for man1-hd.pdf, as man pages
// print theirs), or words that all stand in the file name, either in
// capitals or the file name's words again ("bericht_2018" for
// bericht_2018.pdf). A heading of one word that the file name also has
// ("OpenPGP" for shared-openpgp.pdf) is a real title.
func namesFile(title, file string) bool {
	capitals := strings.ToUpper(title) == title
	if capitals && !strings.ContainsAny(title, " \t") {
		return true // one word in capitals: a name ("HEXDUMP" for man1-hd.pdf)
	}
	if !wordsWithin(title, file) {
		return false
	}
	return capitals || wordsWithin(file, title)
}

// wordsWithin reports whether every word of s (its runs of letters, in
// lower case) is a word of within.
func wordsWithin(s, within string) bool {
	have := map[string]bool{}
	for _, w := range letterRuns(within) {
		have[w] = true
	}
	for _, w := range letterRuns(s) {
		if !have[w] {
			return false
		}
	}
	return true
}

// letterRuns returns the runs of letters of s, in lower case.
func letterRuns(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}
