package api

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// pages renders the HTML templates. Templates are parsed once at start,
// so a broken template fails at boot; in dev mode they are re-read on
// every request.
type pages struct {
	assets fs.FS
	dev    bool
	tmpl   map[string]*template.Template
}

var pageNames = []string{"search.html", "error.html"}

func newPages(assets fs.FS, dev bool) *pages {
	p := &pages{assets: assets, dev: dev}
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
	out := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(p.assets, "templates/layout.html", "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("api: parse template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 rather than half a page.
func (p *pages) render(c echo.Context, status int, name string, data any) error {
	tmpls := p.tmpl
	if p.dev {
		t, err := p.parse()
		if err != nil {
			return err
		}
		tmpls = t
	}
	var buf bytes.Buffer
	if err := tmpls[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("api: render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

type errorPage struct {
	Title  string
	Detail string
	Status int
}

// facetLabels are the German headings of the facets.
var facetLabels = map[string]string{
	search.FieldSpeaker:      "Vortragende",
	search.FieldOrganisation: "Organisation",
	search.FieldState:        "Bundesland",
	search.FieldTopic:        "Thema",
	search.FieldKind:         "Format",
	search.FieldEvent:        "Veranstaltung",
	search.FieldYear:         "Jahr",
}

// searchPage is the view of the search page.
type searchPage struct {
	Query   string
	Sort    string
	Total   int
	Browse  bool // no query text: the archive is being browsed
	Talks   []talkView
	Facets  []facetView
	Active  []activeFilter
	Page    int
	Pages   int
	PrevURL string
	NextURL string
}

type talkView struct {
	search.TalkHit
	FileURL   string
	SlideURLs map[int]string
}

type facetView struct {
	Param  string
	Label  string
	Values []facetValueView
}

type facetValueView struct {
	Value   string
	Count   int
	Checked bool
}

type activeFilter struct {
	Label, Value, RemoveURL string
}

// pageSearch renders the search page: the archive when there is no query,
// the results grouped by talk otherwise.
func (a *app) pageSearch(c echo.Context) error {
	params := c.QueryParams()
	q, err := parseQuery(params)
	if err != nil {
		return err
	}
	res, err := a.s.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	size := q.Size
	if size == 0 {
		size = search.DefaultSize
	}
	page := max(q.Page, 1)
	view := searchPage{
		Query: q.Text, Sort: q.Sort, Total: res.Total, Browse: q.Text == "",
		Page: page, Pages: (res.Total + size - 1) / size,
	}
	for _, h := range res.Talks {
		tv := talkView{TalkHit: h, FileURL: a.fileURL(h.File), SlideURLs: map[int]string{}}
		for _, s := range h.Slides {
			tv.SlideURLs[s.Page] = a.pageURL(h.File, s.Page)
		}
		view.Talks = append(view.Talks, tv)
	}
	for _, f := range res.Facets {
		param := paramOf(f.Field)
		fv := facetView{Param: param, Label: facetLabels[f.Field]}
		active := map[string]bool{}
		for _, v := range params[param] {
			active[v] = true
			view.Active = append(view.Active, activeFilter{Label: fv.Label, Value: v, RemoveURL: pageURLWithout(params, param, v)})
		}
		for _, v := range f.Values {
			fv.Values = append(fv.Values, facetValueView{Value: v.Value, Count: v.Count, Checked: active[v.Value]})
		}
		view.Facets = append(view.Facets, fv)
	}
	if page > 1 {
		view.PrevURL = pageURLAt(params, page-1)
	}
	if page < view.Pages {
		view.NextURL = pageURLAt(params, page+1)
	}
	return a.pages.render(c, http.StatusOK, "search.html", view)
}

func paramOf(field string) string {
	for _, fp := range filterParams {
		if fp.field == field {
			return fp.param
		}
	}
	return field
}

func pageURLAt(params url.Values, page int) string {
	v := cloneValues(params)
	v.Set("page", itoa(page))
	return "/?" + v.Encode()
}

func pageURLWithout(params url.Values, param, value string) string {
	v := cloneValues(params)
	v.Del("page")
	var keep []string
	for _, x := range params[param] {
		if x != value {
			keep = append(keep, x)
		}
	}
	v[param] = keep
	return "/?" + v.Encode()
}

func cloneValues(params url.Values) url.Values {
	v := url.Values{}
	for k, vs := range params {
		v[k] = append([]string(nil), vs...)
	}
	return v
}
