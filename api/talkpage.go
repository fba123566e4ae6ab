package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// relatedSize is how many other talks the talk page lists per topic and
// per speaker.
const relatedSize = 5

// talkPage is the view of /talks/{id}.
type talkPage struct {
	search.Talk
	EventLabel    string
	EventURL      string
	FileURL       string
	TranscriptURL string
	Speakers      []speakerView
	States        []facetValueView
	Topics        []facetValueView
	Slides        []slideText
	Segments      []segmentView
	Timed         bool // the transcript has timestamps

	ByTopic      []relatedTalk
	ByTopicURL   string
	BySpeaker    []relatedTalk
	BySpeakerURL string
	SpeakerNames string
}

type speakerView struct {
	search.Speaker
	URL string
}

type slideText struct {
	Page    int
	Parts   []textPart
	URL     string // the PDF at this page
	Preview string // "" shows a placeholder
	OCR     bool   // the text was recognised from an image
}

// textPart is a block of a slide's text: its title, a paragraph, a list
// of bullets, or the footer line.
type textPart struct {
	Kind  string // "title", "p", "ul" or "foot"
	Text  string
	Items []bullet
}

type bullet struct {
	Text string
	Sub  bool // a second-level bullet (–)
}

type segmentView struct {
	N    int
	Time string // "12:34", or ""
	URL  string // the recording at that time, or ""
	Text string
}

type relatedTalk struct {
	Title, URL, Meta string
}

// pageTalk renders a talk: its metadata, every slide with its preview, the
// transcript, and more talks on its topics and by its speakers (one query
// each).
func (a *app) pageTalk(c echo.Context) error {
	ctx := c.Request().Context()
	// The decoded path, not the route parameter, which echo leaves
	// escaped when the id needs unusual escaping.
	id := strings.TrimPrefix(c.Request().URL.Path, "/talks/")
	t, err := a.s.Talk(ctx, id)
	if err != nil {
		return err
	}
	slides, segments, err := a.s.Slides(ctx, t.ID)
	if err != nil {
		return err
	}
	view, names := a.talkPageView(t)
	a.addText(&view, t, slides, segments)
	if err := a.addRelated(ctx, &view, t, names); err != nil {
		return err
	}
	return a.pages.render(c, http.StatusOK, "talk.html", view)
}

// talkPageView is the talk page's metadata: event, files, speakers, states and
// topics with their search links. It also returns the speakers' names.
func (a *app) talkPageView(t *search.Talk) (talkPage, []string) {
	view := talkPage{
		Talk:          *t,
		EventLabel:    eventLabel(t.Event),
		EventURL:      searchURL(url.Values{"event": {t.Event.ID}}),
		FileURL:       a.fileURL(t.File),
		TranscriptURL: a.fileURL(t.Transcript),
	}
	var names []string
	for _, s := range t.Speakers {
		view.Speakers = append(view.Speakers, speakerView{s, searchURL(url.Values{"speaker": {s.Label()}})})
		names = append(names, s.Label())
	}
	view.SpeakerNames = joinGerman(names)
	for _, s := range t.States {
		view.States = append(view.States, facetValueView{Value: s, Label: s, URL: searchURL(url.Values{"state": {s}})})
	}
	for _, s := range t.Topics {
		view.Topics = append(view.Topics, facetValueView{Value: s, Label: s, URL: searchURL(url.Values{"topic": {s}})})
	}
	return view, names
}

// addText adds every slide with its preview and every transcript segment,
// linked to the recording where it has a time.
func (a *app) addText(view *talkPage, t *search.Talk, slides []search.Slide, segments []search.Segment) {
	for _, s := range slides {
		view.Slides = append(view.Slides, slideText{
			Page: s.Page, Parts: slideParts(s.Text, s.Page),
			URL: a.pageURL(t.File, s.Page), Preview: a.previewURL(t.ID, s.Page),
			OCR: s.Extractor == "ocr",
		})
	}
	for _, s := range segments {
		sv := segmentView{N: s.N, Time: clock(s.Start), Text: strings.TrimSpace(s.Text)}
		if sv.Time != "" {
			view.Timed = true
			if t.Recording != "" {
				sv.URL = recordingAt(t.Recording, s.Start)
			}
		}
		view.Segments = append(view.Segments, sv)
	}
}

// addRelated adds more talks on the talk's topics and by its speakers.
func (a *app) addRelated(ctx context.Context, view *talkPage, t *search.Talk, names []string) error {
	var err error
	if len(t.Topics) > 0 {
		view.ByTopic, err = a.related(ctx, t.ID, search.Query{Filters: map[string][]string{search.FieldTopic: t.Topics}})
		if err != nil {
			return err
		}
		view.ByTopicURL = searchURL(url.Values{"topic": t.Topics})
	}
	if len(names) > 0 {
		view.BySpeaker, err = a.related(ctx, t.ID, search.Query{Filters: map[string][]string{search.FieldSpeaker: names}})
		if err != nil {
			return err
		}
		view.BySpeakerURL = searchURL(url.Values{"speaker": names})
	}
	return nil
}

// related runs q and returns up to relatedSize talks other than self.
func (a *app) related(ctx context.Context, self string, q search.Query) ([]relatedTalk, error) {
	q.Size = relatedSize + 1
	res, err := a.s.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []relatedTalk
	for _, h := range res.Talks {
		if h.ID == self || len(out) == relatedSize {
			continue
		}
		var who []string
		for _, s := range h.Speakers {
			who = append(who, s.Label())
		}
		meta := h.Kind
		if len(who) > 0 {
			meta += " · " + strings.Join(who, ", ")
		}
		out = append(out, relatedTalk{Title: h.Title, URL: talkPageURL(h.ID), Meta: meta})
	}
	return out, nil
}

// joinGerman joins names as "A", "A und B" or "A, B und C".
func joinGerman(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " und " + s[len(s)-1]
}

// slideParts arranges the extracted text of a slide for reading: blocks
// are separated by blank lines; lines that start with a bullet become list
// items, and other lines continue the paragraph or item before them in
// their block (the PDF breaks lines where the slide wrapped them). A first
// block of one line is the slide's title, a last one ending in the page
// number its footer.
func slideParts(text string, page int) []textPart {
	var blocks [][]string
	var cur []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			cur = append(cur, line)
			continue
		}
		if cur != nil {
			blocks = append(blocks, cur)
			cur = nil
		}
	}
	if cur != nil {
		blocks = append(blocks, cur)
	}
	var out []textPart
	for i, b := range blocks {
		switch {
		case i == 0 && len(b) == 1 && len(blocks) > 1 && !isBullet(b[0]):
			out = append(out, textPart{Kind: "title", Text: b[0]})
		case i == len(blocks)-1 && i > 0 && len(b) == 1 && isFooter(b[0], page):
			out = append(out, textPart{Kind: "foot", Text: b[0]})
		default:
			out = append(out, blockParts(b)...)
		}
	}
	return out
}

// blockParts splits one block of lines into paragraphs and bullet lists.
func blockParts(lines []string) []textPart {
	var parts []textPart
	for _, line := range lines {
		text, sub, isBullet := cutBullet(line)
		var last *textPart
		if n := len(parts); n > 0 {
			last = &parts[n-1]
		}
		switch {
		case isBullet && last != nil && last.Kind == "ul":
			last.Items = append(last.Items, bullet{text, sub})
		case isBullet:
			parts = append(parts, textPart{Kind: "ul", Items: []bullet{{text, sub}}})
		case last != nil && last.Kind == "ul":
			it := &last.Items[len(last.Items)-1]
			it.Text += " " + line
		case last != nil:
			last.Text += " " + line
		default:
			parts = append(parts, textPart{Kind: "p", Text: line})
		}
	}
	return parts
}

// cutBullet removes a leading bullet sign. Dashes mark second-level
// bullets.
func cutBullet(line string) (text string, sub, ok bool) {
	for _, b := range []struct {
		sign string
		sub  bool
	}{{"•", false}, {"▪", false}, {"■", false}, {"●", false}, {"* ", false}, {"–", true}, {"- ", true}, {"◦", true}, {"○", true}} {
		if rest, found := strings.CutPrefix(line, b.sign); found {
			return strings.TrimSpace(rest), b.sub, true
		}
	}
	return line, false, false
}

func isBullet(line string) bool {
	_, _, ok := cutBullet(line)
	return ok
}

// isFooter reports whether a line looks like a slide footer: it ends
// with the page number.
func isFooter(line string, page int) bool {
	n := itoa(page)
	return line == n || strings.HasSuffix(line, " "+n)
}
