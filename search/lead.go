package search

import "strings"

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
// talk's title fields stay empty and its lead begins with the file name,
// so that *man1-find* weighs as a lead word, not as a title, where a
// query says *finden* (talkDocument).
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

// hasLeads reports whether any talk of the index has a lead (leadText):
// whether its lead field has a term.
func (ix *Index) hasLeads() bool {
	d, err := ix.b.FieldDict(fieldLead)
	if err != nil {
		return false
	}
	defer d.Close()
	e, err := d.Next()
	return err == nil && e != nil
}
