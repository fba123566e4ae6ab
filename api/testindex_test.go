package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// The test archive: 25 talks of three events. Twelve are "Werkstattbericht
// <Stadt>" talks whose titles have the same length and whose text does not
// contain the word, so the query "Werkstattbericht" scores them all the
// same and paging has to break the ties.
var (
	itf2018 = search.Event{ID: "itf2018", Name: "4. Mitteldeutscher IT-Fachtag", Year: 2018, Place: "Leipzig"}
	itf2019 = search.Event{ID: "itf2019", Name: "5. Mitteldeutscher IT-Fachtag", Year: 2019, Place: "Magdeburg"}
	itf2021 = search.Event{ID: "itf2021", Name: "6. Mitteldeutscher IT-Fachtag", Year: 2021, Place: "Erfurt"}
)

// werkstattCities are the towns of the Werkstattbericht talks with their
// state and topic.
var werkstattCities = []struct{ city, state, topic string }{
	{"Leipzig", "Sachsen", "eAkte"}, {"Dresden", "Sachsen", "OZG"}, {"Chemnitz", "Sachsen", "E-Rechnung"},
	{"Zwickau", "Sachsen", "IT-Sicherheit"}, {"Erfurt", "Thüringen", "eAkte"}, {"Jena", "Thüringen", "Open Data"},
	{"Weimar", "Thüringen", "OZG"}, {"Gera", "Thüringen", "Breitband"}, {"Magdeburg", "Sachsen-Anhalt", "E-Rechnung"},
	{"Halle", "Sachsen-Anhalt", "OZG"}, {"Dessau", "Sachsen-Anhalt", "eAkte"}, {"Potsdam", "Brandenburg", "Open Data"},
}

// testDocs returns the 25 talks of the test archive.
func testDocs() []search.Doc {
	slides := func(texts ...string) []search.Slide {
		out := make([]search.Slide, len(texts))
		for i, t := range texts {
			out[i] = search.Slide{Page: i + 1, Text: t}
		}
		return out
	}
	talk := func(ev search.Event, order int, id, title, kind string, speakers []search.Speaker, states, topics []string) search.Talk {
		return search.Talk{ID: id, Title: title, Kind: kind, Event: ev, Speakers: speakers, States: states, Topics: topics,
			File: ev.ID + "/slides/" + id + ".pdf", Order: order}
	}
	person := func(name, role, org string) []search.Speaker {
		return []search.Speaker{{Name: name, Role: role, Organisation: org}}
	}
	docs := []search.Doc{
		{Talk: talk(itf2018, 1, "eroeffnung", "Eröffnung des Fachtags", "Eröffnung", person("Dr. Anke Wolf", "Vorsitzende", "KommunalForum Mitteldeutschland"), []string{"bundesweit"}, []string{"Digitalisierung"}),
			Slides: slides("Willkommen in Leipzig", "Digitalisierung gemeinsam gestalten: Kommunen, Länder, Bund")},
		{Talk: talk(itf2018, 2, "keynote-digitalisierung", "Keynote: Digitalisierung in Kommunen", "Keynote", person("Prof. Dr. Jörg Becker", "Professor", "Universität Leipzig"), []string{"bundesweit"}, []string{"Digitalisierung", "OZG"}),
			Slides:   slides("Digitalisierung ist Chefsache", "Digitale Verwaltung braucht digitale Prozesse", "Das Onlinezugangsgesetz verpflichtet Bund, Länder und Kommunen"),
			Segments: []search.Segment{{N: 1, Start: 0, Text: "Guten Morgen, meine Damen und Herren."}, {N: 2, Start: 42.5, Text: "Die Digitalisierung der Verwaltung beginnt beim Posteingang."}}},
		{Talk: talk(itf2018, 3, "eakte-plauen", "Einführung der eAkte in Plauen", "Vortrag", person("Thomas Schüppel", "Sachgebietsleiter IT", "Stadt Plauen"), []string{"Sachsen"}, []string{"eAkte"}),
			Slides: slides("Einführung der eAkte in Plauen", "Scannen im Posteingang, Straßenverkehrsbehörde als Pilot", "Schulung aller Beschäftigten")},
		{Talk: talk(itf2018, 4, "earchiv-dresden", "Das eArchiv der Landeshauptstadt Dresden", "Vortrag", person("Prof. Dr. Michael Breidung", "Leiter Eigenbetrieb IT-Dienstleistungen", "Landeshauptstadt Dresden"), []string{"Sachsen"}, []string{"eArchiv", "Langzeitarchivierung"}),
			Slides: slides("Langzeitarchivierung elektronischer Akten", "Magnetbandbibliothek trennbar vom Netz, räumlich getrennte Kopie")},
		{Talk: talk(itf2018, 5, "workshop-e-rechnung", "Workshop E-Rechnung", "Workshop", []search.Speaker{{Organisation: "Ilmkreis"}}, []string{"Thüringen"}, []string{"E-Rechnung"}),
			Slides:   slides("E-Rechnung nach EU-Richtlinie 2014/55", "Eingang der Rechnungen im XRechnung-Format", "Rechnungsprüfung <script>alert(1)</script> digital", "Buchung und Zahlung"),
			Segments: []search.Segment{{N: 1, Start: -1, Text: "Wer von Ihnen bekommt schon Rechnungen als XRechnung?"}}},
		{Talk: talk(itf2019, 1, "ozg-sachsen", "OZG-Umsetzung in Sachsen", "Vortrag", person("Kerstin Lange", "Referatsleiterin", "Sächsische Staatskanzlei"), []string{"Sachsen"}, []string{"OZG"}),
			Slides: slides("575 Leistungen bis 2022", "Amt24 als Landesportal", "Digitalisierungslabore mit Kommunen")},
		{Talk: talk(itf2019, 2, "servicekonto-berlin", "Das Servicekonto Berlin", "Vortrag", person("Markus Hahn", "Projektleiter", "Senatsverwaltung für Inneres"), []string{"Berlin"}, []string{"Servicekonto", "OZG"}),
			Slides: slides("Ein Konto für alle Verwaltungsleistungen", "Anbindung an den Portalverbund")},
		{Talk: talk(itf2019, 3, "freifunk-gera", "Freifunk in Gera", "Vortrag", person("Sebastian Vogel", "Ehrenamtlicher", "Freifunk Gera"), []string{"Thüringen"}, []string{"Breitband"}),
			Slides: slides("Freies WLAN für die Innenstadt", "Dachstandort auf dem Rathaus")},
		{Talk: talk(itf2019, 4, "digitales-klassenzimmer", "Das digitale Klassenzimmer", "Vortrag", person("Claudia Neumann", "Schulleiterin", "Gymnasium Halberstadt"), []string{"Sachsen-Anhalt"}, []string{"Digitale Schule"}),
			Slides: slides("Tablets im Unterricht", "Digitalpakt Schule: Mittel beantragen", "Fortbildung der Lehrkräfte")},
		{Talk: talk(itf2019, 5, "diskussion-schulen", "Podiumsdiskussion: Schulen im digitalen Wandel", "Diskussion",
			[]search.Speaker{{Name: "Claudia Neumann", Organisation: "Gymnasium Halberstadt"}, {Name: "Uwe Krause", Organisation: "Landkreis Greiz"}},
			[]string{"Sachsen-Anhalt", "Thüringen"}, []string{"Digitale Schule"}),
			Slides: slides("Podium: Schulträger, Schulen, Land")},
		{Talk: talk(itf2021, 1, "maerker-potsdam", "Maerker plus in Potsdam", "Vortrag", person("Jana Schulz", "Bürgerservice", "Landeshauptstadt Potsdam"), []string{"Brandenburg"}, []string{"Bürgerbeteiligung"}),
			Slides: slides("Bürger melden Schlaglöcher online", "Bearbeitung in der Straßenverkehrsbehörde")},
		{Talk: talk(itf2021, 2, "it-sicherheit", "IT-Sicherheit in der Kommunalverwaltung", "Workshop", person("Daniel Richter", "Informationssicherheitsbeauftragter", "Landkreis Harz"), []string{"Sachsen-Anhalt"}, []string{"IT-Sicherheit"}),
			Slides: slides("Grundschutz nach BSI", "Notfallübung: Verschlüsselungstrojaner", "Digitalisierung braucht Sicherheit")},
		{Talk: talk(itf2021, 3, "open-data-jena", "Offene Daten in Jena", "Vortrag", person("Lena Hoffmann", "Open-Data-Beauftragte", "Stadt Jena"), []string{"Thüringen"}, []string{"Open Data"}),
			Slides: slides("Datenportal der Stadt", "Haushaltsdaten maschinenlesbar")},
	}
	for i, w := range werkstattCities {
		ev := []search.Event{itf2018, itf2019, itf2021}[i%3]
		id := "werkstattbericht-" + strings.ToLower(w.city)
		t := talk(ev, 10+i, id, "Werkstattbericht "+w.city, "Vortrag", []search.Speaker{{Organisation: "Amt für Digitales " + w.city}}, []string{w.state}, []string{w.topic})
		docs = append(docs, search.Doc{Talk: t, Slides: slides(w.topic+" in "+w.city, "Erfahrungen aus der Praxis", "Nächste Schritte")})
	}
	return docs
}

// newTestIndex indexes the test archive into a fresh index.
func newTestIndex(tb testing.TB) (*search.Index, []search.Doc) {
	tb.Helper()
	ix, err := search.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	docs := testDocs()
	if err := ix.Index(context.Background(), docs...); err != nil {
		tb.Fatal(err)
	}
	return ix, docs
}

// newTestApp is the app over a fresh test index.
func newTestApp(tb testing.TB, cfg Config) (*echo.Echo, []search.Doc) {
	tb.Helper()
	ix, docs := newTestIndex(tb)
	if cfg.Stats == nil {
		cfg.Stats = ix
	}
	return New(cfg, ix), docs
}

// request describes one request of a table test.
type request struct {
	method string
	target string
	header http.Header
	body   string
	remote string // RemoteAddr; "" is httptest's 192.0.2.1
}

func serve(tb testing.TB, h http.Handler, r request) *httptest.ResponseRecorder {
	tb.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	var req *http.Request
	if r.body != "" {
		req = httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
	} else {
		req = httptest.NewRequest(r.method, r.target, nil)
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decode unmarshals a JSON response body, failing the test if it is not.
func decode[T any](tb testing.TB, rec *httptest.ResponseRecorder) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		tb.Fatalf("response is not the expected JSON: %v\n%s", err, rec.Body)
	}
	return v
}

// listJSON is the part of search and list responses the tests read.
type listJSON struct {
	Total int `json:"total"`
	Data  []struct {
		ID     string  `json:"id"`
		Title  string  `json:"title"`
		Score  float64 `json:"score"`
		Slides []struct {
			Page    int    `json:"page"`
			Snippet string `json:"snippet"`
			URL     string `json:"url"`
		} `json:"slides"`
	} `json:"data"`
	Facets     map[string][]facetValue `json:"facets"`
	Pagination pagination              `json:"pagination"`
	Links      links                   `json:"links"`
}

func (l listJSON) ids() []string {
	out := make([]string, len(l.Data))
	for i, d := range l.Data {
		out[i] = d.ID
	}
	return out
}

// wantFacets counts, from the documents themselves, what the facets of a
// search without text and with the given filters must say: values within
// a field OR, fields AND, each field counted without its own filter.
func wantFacets(docs []search.Doc, filters map[string][]string) (total int, facets map[string]map[string]int) {
	values := func(t search.Talk, field string) []string {
		switch field {
		case search.FieldSpeaker:
			var out []string
			for _, s := range t.Speakers {
				out = append(out, s.Label())
			}
			return out
		case search.FieldOrganisation:
			var out []string
			for _, s := range t.Speakers {
				if s.Organisation != "" {
					out = append(out, s.Organisation)
				}
			}
			return out
		case search.FieldState:
			return t.States
		case search.FieldTopic:
			return t.Topics
		case search.FieldKind:
			return []string{t.Kind}
		case search.FieldEvent:
			return []string{t.Event.ID}
		case search.FieldYear:
			return []string{fmt.Sprint(t.Event.Year)}
		}
		return nil
	}
	matches := func(t search.Talk, skip string) bool {
		for field, want := range filters {
			if field == skip || len(want) == 0 {
				continue
			}
			if !slices.ContainsFunc(values(t, field), func(v string) bool { return slices.Contains(want, v) }) {
				return false
			}
		}
		return true
	}
	facets = map[string]map[string]int{}
	for _, f := range search.FacetFields {
		facets[f] = map[string]int{}
		for _, d := range docs {
			if matches(d.Talk, f) {
				seen := map[string]bool{}
				for _, v := range values(d.Talk, f) {
					if !seen[v] {
						seen[v] = true
						facets[f][v]++
					}
				}
			}
		}
	}
	for _, d := range docs {
		if matches(d.Talk, "") {
			total++
		}
	}
	return total, facets
}
