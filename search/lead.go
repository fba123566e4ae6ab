package search

import (
	"fmt"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

// leadWords is the length of a talk's lead (leadText), in words.
const leadWords = 40

// leadText is the first n words of a talk's passages (passageTexts). A
// document's opening words say what it is about: a man page's name line
// ("dirname - letzte Komponente des Dateinamens entfernen"), a deck's
// title slide. Where the title is only the file's name (Doc.TitleFromFile),
// the lead field gives that statement a weight of its own, which a long
// body would dilute. Where the talk has a real title, the lead would only
// repeat it (measured: the LibreOffice help pages, whose PDF titles are
// their headings, and the sample talks fell), so it stays empty.
//
// The file name itself is no statement either, only an identifier: such a
// talk's title fields stay empty and its lead begins with its title (the
// file name, or a PDF title that only names the file, as "DU"), so that
// *man1-find* weighs as a lead word, not as a title, where a query says
// *finden* (talkDocument).
func leadText(passages []string, n int) string {
	var words []string
	for _, s := range passages {
		for w := range strings.FieldsSeq(s) {
			if len(words) == n {
				return strings.Join(words, " ")
			}
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// titleAndLead returns the text of a talk's title fields and of its lead:
// the title and no lead, or, for a talk titled by its file name
// (Doc.TitleFromFile), no title and a lead of the title and the first
// leadWords words.
func titleAndLead(title string, fromFile bool, passages []string) (string, string) {
	if !fromFile {
		return title, ""
	}
	return "", title + "\n" + leadText(passages, leadWords)
}

// hasLeads reports whether any talk of the snapshot r has a lead
// (leadText): whether its lead field has a term. The talk table asks once
// per snapshot.
func hasLeads(r index.IndexReader) (bool, error) {
	d, err := r.FieldDict(fieldLead)
	if err != nil {
		return false, fmt.Errorf("search: lead field: %w", err)
	}
	defer d.Close()
	e, err := d.Next()
	if err != nil {
		return false, fmt.Errorf("search: lead field: %w", err)
	}
	return e != nil, nil
}
