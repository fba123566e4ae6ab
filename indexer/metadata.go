package indexer

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/talksearch/talksearch/search"
)

// PDF metadata fills in what a folder without a manifest cannot say: the
// title (see usableTitle), the speakers from the author, the topics from
// the keywords (or a short subject), and the year from the creation date
// when the event has none.

// parsePDFDate parses a PDF date string, "D:YYYYMMDDHHmmSSOHH'mm'", where
// everything after the year is optional. A malformed date gives the zero
// time.
func parsePDFDate(raw string) time.Time {
	s := strings.TrimSpace(decodeTextString(raw))
	s = strings.TrimPrefix(s, "D:")
	digits := 0
	for digits < len(s) && digits < 14 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits < 4 || digits%2 != 0 {
		return time.Time{}
	}
	field := func(from, to, def int) int {
		if to > digits {
			return def
		}
		n, _ := strconv.Atoi(s[from:to])
		return n
	}
	year, month, day := field(0, 4, 0), field(4, 6, 1), field(6, 8, 1)
	hour, minute, sec := field(8, 10, 0), field(10, 12, 0), field(12, 14, 0)
	if year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}
	}
	loc := time.UTC
	if tz := s[digits:]; len(tz) >= 3 && (tz[0] == '+' || tz[0] == '-') {
		h, err1 := strconv.Atoi(tz[1:3])
		m := 0
		var err2 error
		if rest := strings.Trim(tz[3:], "'"); len(rest) >= 2 {
			m, err2 = strconv.Atoi(rest[:2])
		}
		if err1 == nil && err2 == nil && h <= 14 && m < 60 {
			off := h*3600 + m*60
			if tz[0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc)
}

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
// was created.
func applyMetadata(t *search.Talk, m Metadata, fromFile bool) {
	if fromFile {
		if title := usableTitle(m.Title); title != "" {
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
