package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// pages renders the HTML templates. Templates are parsed once at start,
// so a broken template fails at boot.
type pages struct {
	assets fs.FS
	tmpl   map[string]*template.Template
	// versions are short content hashes of the static files, appended to
	// their URLs so that a new release is never served from a stale cache.
	versions map[string]string
}

var pageNames = []string{"search.html", "talk.html", "error.html"}

func newPages(assets fs.FS) *pages {
	p := &pages{assets: assets, versions: map[string]string{}}
	_ = fs.WalkDir(assets, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		p.versions[strings.TrimPrefix(name, "static/")] = hex.EncodeToString(sum[:4])
		return nil
	})
	tmpl, err := p.parse()
	if err != nil {
		// The templates are part of the binary: a parse error is a bug
		// that must fail at start, never on a request.
		panic(err)
	}
	p.tmpl = tmpl
	return p
}

func (p *pages) parse() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"static": p.staticURL,
		"clock":  clock,
		"plural": plural,
	}
	out := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(p.assets, "templates/layout.html", "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("api: parse template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// staticURL is the URL of a file under static/, with its version.
func (p *pages) staticURL(name string) string {
	if v := p.versions[name]; v != "" {
		return "/static/" + name + "?v=" + v
	}
	return "/static/" + name
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 rather than half a page.
func (p *pages) render(c echo.Context, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := p.tmpl[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("api: render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

type errorPage struct {
	Title  string
	Detail string
	Status int
}

// clock formats an offset in seconds as 12:34 or 1:02:03; "" when the
// offset is unknown (negative).
func clock(sec float64) string {
	if sec < 0 || math.IsNaN(sec) {
		return ""
	}
	s := int(sec)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// plural is "1 Vortrag" or "12 Vorträge".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// sidebarFacets is the order of the facets on the page: what municipal
// staff filter by most comes first.
var sidebarFacets = []string{
	search.FieldState, search.FieldTopic, search.FieldKind, search.FieldEvent,
	search.FieldYear, search.FieldSpeaker, search.FieldOrganisation,
}

// facetShown is how many values of a facet show before "Weitere …".
const facetShown = 6

// searchPage is the view of the search page.
type searchPage struct {
	Query    string
	Sort     string
	Start    bool // no query, filter, sort or page: the start page
	Browse   bool // no query text: the archive is being browsed
	Error    string
	Total    int
	Talks    []talkView
	Facets   []facetView
	Active   []activeFilter
	ClearURL string // the same query without filters

	DidYouMean    string
	DidYouMeanURL string
	// Degraded: the query was too expensive, some expansions were
	// left out.
	Degraded bool

	// Partial matches. Talks then has only the talks with all words;
	// MoreTalks follow, with only some of them.
	Partial   bool       // no talk has all words: every talk has only some
	MoreTalks []talkView // talks of this page without all words
	Ignored   string     // the words the last talks lack, for "ohne: …"

	Page  int
	Pages int
	Pager []pageLink
	Prev  string
	Next  string

	// The start page.
	Events []eventCard
	Groups []facetView

	// The empty state.
	Unfiltered    int    // talks the query finds without its filters
	UnfilteredURL string // the query without filters
	Suggestions   []facetValueView
}

type talkView struct {
	search.TalkHit
	N          int    // position on the page, for element ids
	URL        string // the talk page
	FileURL    string
	EventLabel string
	EventURL   string
	Slides     []slideView
	Passages   []passageView
}

type slideView struct {
	Page    int
	Snippet template.HTML
	URL     string // the PDF at this page
	Preview string // "" shows a placeholder
}

type passageView struct {
	N       int
	Time    string // "12:34", or "" without timestamps
	URL     string
	Snippet template.HTML
}

type facetView struct {
	Param  string
	Label  string
	Values []facetValueView // shown at once
	More   []facetValueView // behind "Weitere …"
	Active int
}

type facetValueView struct {
	Param   string
	ID      string // of the checkbox
	Value   string
	Label   string
	Count   int
	Checked bool
	URL     string // a link that filters by this value alone
}

type activeFilter struct {
	Label, Value, RemoveURL string
}

type eventCard struct {
	Name, Place string
	Year, Count int
	URL         string
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // an ellipsis instead of a link
}

// pageSearch renders the search page: the start page when nothing is
// asked, the results grouped by talk otherwise. A request the search
// cannot answer (a bad parameter, a query too long) shows the form with
// a German explanation; only internal errors go to the error page.
func (a *app) pageSearch(c echo.Context) error {
	params := c.QueryParams()
	view := searchPage{Query: strings.TrimSpace(params.Get("q")), Sort: params.Get("sort")}
	q, err := parseQuery(params)
	if err != nil {
		return a.searchProblem(c, view, err)
	}
	ctx := c.Request().Context()
	res, err := a.runSearch(ctx, q)
	if err != nil {
		return a.searchProblem(c, view, err)
	}
	view.Degraded = res.Degraded
	view.Browse = q.Text == ""
	view.Start = view.Browse && view.Sort == "" && params.Get("page") == "" && len(q.Filters) == 0
	view.Total = res.Total
	view.Page = q.Page
	view.Pages = (res.Total + q.Size - 1) / q.Size
	view.ClearURL = searchURL(url.Values{"q": {q.Text}, "sort": {q.Sort}})

	events := eventNames(res)
	for i, h := range res.Talks {
		tv := a.talkView(h)
		tv.N = i
		view.Talks = append(view.Talks, tv)
	}
	splitPartial(&view, q, res)
	facets := addFilters(&view, params, q, res, events)
	if res.DidYouMean != "" && !strings.EqualFold(res.DidYouMean, q.Text) {
		v := cloneValues(params)
		v.Del("page")
		v.Set("q", res.DidYouMean)
		view.DidYouMean, view.DidYouMeanURL = res.DidYouMean, searchURL(v)
	}
	view.Pager, view.Prev, view.Next = pager(params, view.Page, view.Pages)

	switch {
	case view.Start:
		view.Events = eventCards(facets[search.FieldEvent], events)
		for _, field := range []string{search.FieldState, search.FieldKind, search.FieldTopic} {
			if f, ok := facets[field]; ok && len(f.Values) > 0 {
				view.Groups = append(view.Groups, buildFacet(params, f, events))
			}
		}
	case res.Total == 0:
		if err := a.emptyState(c, &view, q); err != nil {
			return err
		}
	}
	return a.pages.render(c, http.StatusOK, "search.html", view)
}

// splitPartial divides the page's talks, when some lack words of the
// query, into those with all words and the others: search ranks the
// res.Full talks with all words first.
func splitPartial(view *searchPage, q search.Query, res *search.Result) {
	if res.Match != search.MatchPartial {
		return
	}
	words := make([]string, len(res.Ignored))
	for i, w := range res.Ignored {
		if p, ok := strings.CutPrefix(w, `"`); ok {
			w = "„" + strings.TrimSuffix(p, `"`) + "“"
		}
		words[i] = w
	}
	view.Ignored = strings.Join(words, ", ")
	if res.Full == 0 {
		view.Partial = true
		return
	}
	k := min(max(res.Full-(q.Page-1)*q.Size, 0), len(view.Talks))
	view.Talks, view.MoreTalks = view.Talks[:k], view.Talks[k:]
}

// addFilters adds the sidebar facets and the active filters with their
// remove links to the page, and returns the result's facets by field.
func addFilters(view *searchPage, params url.Values, q search.Query, res *search.Result, events map[string]search.Event) map[string]search.Facet {
	facets := map[string]search.Facet{}
	for _, f := range res.Facets {
		facets[f.Field] = f
	}
	for _, field := range sidebarFacets {
		f, ok := facets[field]
		if !ok || len(f.Values) == 0 {
			continue
		}
		fv := buildFacet(params, f, events)
		view.Facets = append(view.Facets, fv)
	}
	for _, field := range search.FacetFields {
		for _, v := range q.Filters[field] {
			view.Active = append(view.Active, activeFilter{Label: facetLabels[field], Value: valueLabel(field, v, events), RemoveURL: pageURLWithout(params, field, v)})
		}
	}
	return facets
}

// searchProblem shows a request error on the search page itself, so the
// user can correct the query; internal errors go to the error handler.
func (a *app) searchProblem(c echo.Context, view searchPage, err error) error {
	p := toProblem(err)
	if p.Status >= 500 || p.Status == http.StatusServiceUnavailable {
		return err
	}
	view.Error = p.Detail
	return a.pages.render(c, p.Status, "search.html", view)
}

// emptyState finds a way out of an empty result: the same query without
// its filters, or else the most frequent topics of the archive.
func (a *app) emptyState(c echo.Context, view *searchPage, q search.Query) error {
	ctx := c.Request().Context()
	if view.Active != nil && q.Text != "" {
		// The page size of the link, not 1: a query that has to drop
		// words to fill its first page finds as many as the link shows.
		res, err := a.runSearch(ctx, search.Query{Text: q.Text, Size: search.DefaultSize})
		if err != nil {
			return err
		}
		if res.Total > 0 {
			view.Unfiltered, view.UnfilteredURL = res.Total, searchURL(url.Values{"q": {q.Text}})
			return nil
		}
	}
	res, err := a.s.Search(ctx, search.Query{Size: 1})
	if err != nil {
		return err
	}
	for _, f := range res.Facets {
		if f.Field != search.FieldTopic {
			continue
		}
		for i, v := range f.Values {
			if i == 8 {
				break
			}
			view.Suggestions = append(view.Suggestions, facetValueView{
				Value: v.Value, Label: v.Value, Count: v.Count,
				URL: searchURL(url.Values{"topic": {v.Value}}),
			})
		}
	}
	return nil
}

// talkView prepares a hit for the page: links to the talk page, the PDF
// at each slide, the slide previews and the transcript passages.
func (a *app) talkView(h search.TalkHit) talkView {
	tv := talkView{
		TalkHit:    h,
		URL:        talkPageURL(h.ID),
		FileURL:    a.fileURL(h.File),
		EventLabel: eventLabel(h.Event),
		EventURL:   searchURL(url.Values{"event": {h.Event.ID}}),
	}
	for _, s := range h.Slides {
		tv.Slides = append(tv.Slides, slideView{
			Page: s.Page, Snippet: s.Snippet,
			URL: a.pageURL(h.File, s.Page), Preview: a.previewURL(h.ID, s.Page),
		})
	}
	for _, s := range h.Segments {
		tv.Passages = append(tv.Passages, passageView{
			N: s.N, Time: clock(s.Start), Snippet: s.Snippet,
			URL: tv.URL + "#abschnitt-" + itoa(s.N),
		})
	}
	return tv
}

// buildFacet turns a facet into checkboxes: the first values at once, the
// rest behind "Weitere …", checked values always among the first.
func buildFacet(params url.Values, f search.Facet, events map[string]search.Event) facetView {
	param := f.Field // the filter parameters are named as the fields
	fv := facetView{Param: param, Label: facetLabels[f.Field]}
	active := map[string]bool{}
	for _, v := range params[param] {
		active[strings.TrimSpace(v)] = true
	}
	var checked, rest []facetValueView
	for i, v := range f.Values {
		vv := facetValueView{
			Param: param, ID: "f-" + param + "-" + itoa(i),
			Value: v.Value, Label: valueLabel(f.Field, v.Value, events), Count: v.Count,
			Checked: active[v.Value],
			URL:     searchURL(url.Values{param: {v.Value}}),
		}
		if vv.Checked {
			checked = append(checked, vv)
			fv.Active++
		} else {
			rest = append(rest, vv)
		}
	}
	all := append(checked, rest...)
	shown := max(facetShown, len(checked))
	if len(all) <= shown+2 {
		shown = len(all)
	}
	fv.Values, fv.More = all[:shown], all[shown:]
	return fv
}

// eventNames maps the event ids of the result to their events: the event
// facet carries them.
func eventNames(res *search.Result) map[string]search.Event {
	out := map[string]search.Event{}
	for _, h := range res.Talks {
		out[h.Event.ID] = h.Event
	}
	for _, f := range res.Facets {
		for _, v := range f.Values {
			if v.Event != nil && v.Event.Name != "" {
				out[v.Value] = *v.Event
			}
		}
	}
	return out
}

// valueLabel is how a facet value reads on the page: events by name and
// year, everything else as it is.
func valueLabel(field, value string, events map[string]search.Event) string {
	if field == search.FieldEvent {
		if ev, ok := events[value]; ok && ev.Name != "" {
			return eventLabel(ev)
		}
	}
	return value
}

func eventLabel(ev search.Event) string {
	label := ev.Name
	if label == "" {
		label = ev.ID
	}
	if ev.Year != 0 && !strings.Contains(label, itoa(ev.Year)) {
		label += " " + itoa(ev.Year)
	}
	return label
}

func eventCards(f search.Facet, events map[string]search.Event) []eventCard {
	var out []eventCard
	for _, v := range f.Values {
		ev := events[v.Value]
		name := ev.Name
		if name == "" {
			name = v.Value
		}
		out = append(out, eventCard{
			Name: name, Place: ev.Place, Year: ev.Year, Count: v.Count,
			URL: searchURL(url.Values{"event": {v.Value}}),
		})
	}
	return out
}

// pager returns the page links around the current page (first, last and
// two either side, with gaps), and the previous and next page URLs.
func pager(params url.Values, page, pages int) (links []pageLink, prev, next string) {
	if pages <= 1 {
		return nil, "", ""
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			links = append(links, pageLink{Gap: true})
		}
		links = append(links, pageLink{N: n, URL: pageURLAt(params, n), Current: n == page})
		last = n
	}
	if page > 1 {
		prev = pageURLAt(params, min(page-1, pages))
	}
	if page < pages {
		next = pageURLAt(params, page+1)
	}
	return links, prev, next
}

// searchURL is the search page URL of the given parameters; empty values
// are left out, so shared links stay short.
func searchURL(v url.Values) string {
	clean := url.Values{}
	for k, vs := range v {
		for _, s := range vs {
			if s != "" {
				clean.Add(k, s)
			}
		}
	}
	if len(clean) == 0 {
		return "/"
	}
	return "/?" + clean.Encode()
}

func talkPageURL(id string) string { return "/talks/" + url.PathEscape(id) }

func pageURLAt(params url.Values, page int) string {
	v := cloneValues(params)
	v.Del("page")
	if page > 1 {
		v.Set("page", itoa(page))
	}
	return searchURL(v)
}

func pageURLWithout(params url.Values, param, value string) string {
	v := cloneValues(params)
	v.Del("page")
	var keep []string
	for _, x := range params[param] {
		if strings.TrimSpace(x) != value {
			keep = append(keep, x)
		}
	}
	v[param] = keep
	return searchURL(v)
}

func cloneValues(params url.Values) url.Values {
	v := url.Values{}
	for k, vs := range params {
		v[k] = append([]string(nil), vs...)
	}
	return v
}
