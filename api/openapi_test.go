package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// registerProblemJSON teaches openapi3filter to decode problem+json
// bodies as JSON; without it error responses would not be checked. The
// decoder table is global, so it is registered once.
var registerProblemJSON = sync.OnceFunc(func() {
	openapi3filter.RegisterBodyDecoder("application/problem+json", openapi3filter.JSONBodyDecoder)
})

// contract checks recorded requests and responses against openapi.json
// with kin-openapi.
type contract struct {
	doc    *openapi3.T
	router routers.Router
	opts   *openapi3filter.Options
}

// loadOpenAPI loads openapi.json and validates the document itself.
func loadOpenAPI(tb testing.TB) *contract {
	tb.Helper()
	registerProblemJSON()
	doc, err := openapi3.NewLoader().LoadFromData(openAPI)
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		tb.Fatalf("openapi = %q", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatalf("openapi.json: router: %v", err)
	}
	return &contract{doc: doc, router: router, opts: &openapi3filter.Options{
		IncludeResponseStatus:             true,
		MultiError:                        true,
		RejectWhenRequestBodyNotSpecified: true,
		// The admin operations need a bearer token; whether it is the
		// right one is the app's to say (401).
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
				return errors.New("no bearer token")
			}
			return nil
		},
	}}
}

// route finds the documented operation of a request. A request that no
// operation has (an unknown path, another method) is checked against the
// generic NotFound or MethodNotAllowed response, as key "* 404" or "* 405".
func (c *contract) route(req *http.Request, status int) (*routers.Route, map[string]string, string) {
	route, params, err := c.router.FindRoute(req)
	if err == nil {
		return route, params, route.Path
	}
	generic := map[int]string{http.StatusNotFound: "NotFound", http.StatusMethodNotAllowed: "MethodNotAllowed"}
	resp := &openapi3.ResponseRef{Ref: "#/components/responses/" + generic[status]}
	if r := c.doc.Components.Responses[generic[status]]; r != nil {
		resp.Value = r.Value
	}
	op := openapi3.NewOperation()
	op.Responses = openapi3.NewResponses(openapi3.WithStatus(status, resp))
	return &routers.Route{Spec: c.doc, Path: req.URL.Path, Method: req.Method, Operation: op}, nil, "*"
}

// check validates one exchange with openapi3filter: the request against
// the operation's parameters, and the response's status, headers, content
// type and body against its documented responses. It returns the
// "template status" key of what it checked.
func (c *contract) check(req *http.Request, status int, header http.Header, body []byte) (key string, reqErr, respErr error) {
	ctx := context.Background()
	route, params, tmpl := c.route(req, status)
	key = fmt.Sprintf("%s %d", tmpl, status)
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: c.opts}
	if tmpl != "*" {
		reqErr = openapi3filter.ValidateRequest(ctx, in)
	}
	respErr = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                c.opts,
	})
	// openapi3filter does not object to a body where none is documented.
	if r := route.Operation.Responses.Status(status); respErr == nil && r != nil && r.Value != nil && len(r.Value.Content) == 0 && len(body) > 0 {
		respErr = fmt.Errorf("documented without content, got %d bytes", len(body))
	}
	return key, reqErr, respErr
}

// httpRequest builds the *http.Request of a table entry; serve builds its
// own, since the app reads the body.
func httpRequest(r request) *http.Request {
	if r.method == "" {
		r.method = http.MethodGet
	}
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.target, body)
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	return req
}

var errBroken = errors.New("scorch: segment /var/lib/talksearch/index/000001.zap broken")

// TestOpenAPIResponses sends requests to every endpoint, successes and
// errors, and validates each request and response against the OpenAPI
// document with openapi3filter. A request the app rejects for a reason
// the document states (a parameter's bounds, a body) must fail request
// validation too, so the two cannot drift apart.
func TestOpenAPIResponses(t *testing.T) {
	c := loadOpenAPI(t)
	ix, _ := newTestIndex(t)
	apps := map[string]*echo.Echo{
		"index":    New(Config{Stats: ix}, ix),
		"limited":  New(Config{RateLimit: 0.001, RateBurst: 1}, ix),
		"notready": New(Config{Ready: func() bool { return false }}, ix),
		"broken":   New(Config{}, &fakeSearcher{err: errBroken, res: &search.Result{}}),
	}
	etag := serve(t, apps["index"], request{target: "/api/v1/talks/eakte-plauen"}).Header().Get("ETag")
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	requests := []struct {
		app        string
		req        request
		badRequest bool // the document itself rules the request out
	}{
		{"index", request{target: "/api/v1/search?q=Rechnungen"}, false},
		{"index", request{target: "/api/v1/search?q=Posteingang"}, false},
		{"index", request{target: "/api/v1/search"}, false},
		{"index", request{target: "/api/v1/search?q=Raumfahrt"}, false},
		{"index", request{target: "/api/v1/search?q=" + url.QueryEscape(hostileQuery)}, false}, // degraded
		{"index", request{target: "/api/v1/search?q=Werkstattbericht&page=2&size=5"}, false},
		{"index", request{target: "/api/v1/search?sort=neu"}, true},
		{"index", request{target: "/api/v1/search?page=9"}, false},
		{"index", request{target: "/api/v1/talks?state=Sachsen&topic=eAkte"}, false},
		{"index", request{target: "/api/v1/talks?page=3&size=10"}, false},
		{"index", request{target: "/api/v1/talks?q=x"}, false},
		{"index", request{target: "/api/v1/talks/workshop-e-rechnung"}, false},
		{"index", request{target: "/api/v1/talks/eakte-plauen", header: http.Header{"If-None-Match": {etag}}}, false},
		{"index", request{target: "/api/v1/talks/nicht-da"}, false},
		{"index", request{target: "/api/v1/talks/keynote-digitalisierung/slides"}, false},
		{"index", request{target: "/api/v1/talks/workshop-e-rechnung/slides"}, false},
		{"index", request{target: "/api/v1/talks/nicht-da/slides"}, false},
		{"index", request{target: "/api/v1/suggest?q=Digi"}, false},
		{"index", request{target: "/api/v1/suggest?q=werk"}, false},
		{"index", request{target: "/api/v1/suggest?q=Sch%C3%BC"}, false},
		{"index", request{target: "/api/v1/suggest?q=x&n=0"}, true},
		{"index", request{target: "/api/v1/version"}, false},
		{"index", request{target: "/api/v1/openapi.json"}, false},
		{"index", request{target: "/healthz"}, false},
		{"index", request{target: "/readyz"}, false},
		{"index", request{target: "/metrics"}, false},
		{"index", request{target: "/api/v1/gibts-nicht"}, false},
		{"index", request{method: http.MethodPost, target: "/api/v1/search"}, false},
		{"index", request{target: "/api/v1/search", body: "q=eAkte", header: form}, true},
		{"limited", request{target: "/api/v1/version"}, false},
		{"limited", request{target: "/api/v1/version"}, false}, // 429
		{"notready", request{target: "/api/v1/search?q=eAkte"}, false},
		{"notready", request{target: "/readyz"}, false},
		{"broken", request{target: "/api/v1/search?q=eAkte"}, false},
	}
	seen := map[string]bool{}
	for _, r := range requests {
		rec := serve(t, apps[r.app], r.req)
		req := httpRequest(r.req)
		key, reqErr, respErr := c.check(req, rec.Code, rec.Header(), rec.Body.Bytes())
		seen[key] = true
		name := fmt.Sprintf("%s %s → %d", req.Method, r.req.target, rec.Code)
		if respErr != nil {
			t.Errorf("%s: response does not match openapi.json: %v\n%s", name, respErr, rec.Body)
		}
		switch {
		case r.badRequest && reqErr == nil:
			t.Errorf("%s: openapi.json allows the request the test calls bad", name)
		case !r.badRequest && reqErr != nil:
			t.Errorf("%s: request does not match openapi.json: %v", name, reqErr)
		}
		if rec.Header().Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", r.req.target)
		}
	}
	var keys []string
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, want := range []string{
		"/api/v1/search 200", "/api/v1/search 400", "/api/v1/search 415", "/api/v1/search 503", "/api/v1/search 500",
		"/api/v1/talks 200", "/api/v1/talks 400", "/api/v1/talks/{id} 200", "/api/v1/talks/{id} 304", "/api/v1/talks/{id} 404",
		"/api/v1/talks/{id}/slides 200", "/api/v1/talks/{id}/slides 404", "/api/v1/suggest 200", "/api/v1/suggest 400",
		"/api/v1/version 200", "/api/v1/version 429", "/api/v1/openapi.json 200", "/healthz 200", "/readyz 200", "/readyz 503",
		"/metrics 200", "* 404", "* 405",
	} {
		if !seen[want] {
			t.Errorf("no response validated for %s (validated: %v)", want, keys)
		}
	}
}

// TestOpenAPIRoutes: the document describes exactly the API routes the app
// serves, so no endpoint is undocumented and nothing else (such as
// bleve's HTTP handlers) is mounted.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t).doc
	e := New(Config{Files: fstest.MapFS{}, Admin: &fakeAdmin{}, AdminToken: testToken}, &fakeSearcher{res: &search.Result{}})
	documented := map[string]bool{}
	for p := range doc.Paths.Map() {
		documented[p] = true
	}
	served := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet && !strings.HasPrefix(r.Path, "/api/v1/admin/") {
			continue
		}
		p := regexp.MustCompile(`:(\w+)`).ReplaceAllString(r.Path, "{$1}")
		if strings.HasPrefix(p, "/api/") || quietRoutes[p] {
			served[p] = true
			continue
		}
		// Everything else is the web page, its assets and the talks' files.
		if !slices.Contains([]string{"/", "/talks/{id}", "/static", "/static*", "/static/*", "/files/*", "/previews/*"}, p) {
			t.Errorf("unexpected route %s %s", r.Method, r.Path)
		}
	}
	for p := range served {
		if !documented[p] {
			t.Errorf("route %s is not in openapi.json", p)
		}
	}
	for p := range documented {
		if !served[p] {
			t.Errorf("openapi.json documents %s, which is not served", p)
		}
	}
	// Every operation documents the errors every API request can meet.
	for p, item := range doc.Paths.Map() {
		if strings.HasPrefix(p, "/api/v1/admin/") {
			for method, op := range item.Operations() {
				if op.OperationID == "" || op.Description == "" || op.Security == nil || len(*op.Security) == 0 {
					t.Errorf("%s %s: no operationId, description or security", method, p)
				}
				for _, code := range []int{401, 404, 405, 429} {
					if op.Responses.Status(code) == nil {
						t.Errorf("%s %s: response %d not documented", method, p, code)
					}
				}
			}
			continue
		}
		op := item.Get
		if op == nil {
			t.Errorf("%s: no GET operation", p)
			continue
		}
		if op.OperationID == "" || op.Description == "" {
			t.Errorf("%s: no operationId or description", p)
		}
		if strings.HasPrefix(p, "/api/") {
			for _, code := range []int{200, 304, 405, 415, 429} {
				if op.Responses.Status(code) == nil {
					t.Errorf("%s: response %d not documented", p, code)
				}
			}
		}
	}
}

// TestOpenAPIValidatorFails proves the check can fail: bodies, content
// types and statuses that deviate from the document are rejected.
func TestOpenAPIValidatorFails(t *testing.T) {
	c := loadOpenAPI(t)
	talk := `{"id":"a","title":"T","kind":"Vortrag","event":{"id":"e","name":"E","year":2018},"speakers":[],"states":[],"topics":[],"pages":1,"url":"/u","slides_url":"/u/slides"}`
	problem := `{"type":"/api/v1/problems/not-found","title":"Nicht gefunden","status":404,"detail":"Den Vortrag gibt es nicht."}`
	suggest := `{"query":"x","suggestions":[{"text":"x","kind":"term","count":1}]}`
	tests := []struct {
		name, target string
		status       int
		ctype, body  string
		want         string // in the error; "" means valid
	}{
		{"valid talk", "/api/v1/talks/a", 200, "application/json", talk, ""},
		{"valid problem", "/api/v1/talks/a", 404, "application/problem+json", problem, ""},
		{"valid suggestions", "/api/v1/suggest?q=x", 200, "application/json", suggest, ""},
		{"missing required", "/api/v1/talks/a", 200, "application/json", strings.Replace(talk, `"title":"T",`, "", 1), `property "title" is missing`},
		{"undocumented member", "/api/v1/talks/a", 200, "application/json", strings.Replace(talk, `"id":"a"`, `"id":"a","secret":1`, 1), `"secret"`},
		{"wrong type", "/api/v1/talks/a", 200, "application/json", strings.Replace(talk, `"pages":1`, `"pages":"1"`, 1), `"/pages": value must be an integer`},
		{"not an integer", "/api/v1/talks/a", 200, "application/json", strings.Replace(talk, `"pages":1`, `"pages":1.5`, 1), `"/pages": value must be an integer`},
		{"nested", "/api/v1/talks/a", 200, "application/json", strings.Replace(talk, `"year":2018`, `"year":"2018"`, 1), `"/event/year"`},
		{"array items", "/api/v1/talks/a", 200, "application/json", strings.Replace(talk, `"states":[]`, `"states":[1]`, 1), `"/states/0"`},
		{"null", "/api/v1/talks/a", 200, "application/json", strings.Replace(talk, `"title":"T"`, `"title":null`, 1), "null"},
		{"not JSON", "/api/v1/talks/a", 200, "application/json", `{"id":`, "decod"},
		{"enum", "/api/v1/suggest?q=x", 200, "application/json", strings.Replace(suggest, `"term"`, `"film"`, 1), "film"},
		{"problem member", "/api/v1/talks/a", 404, "application/problem+json", strings.Replace(problem, `"status":404`, `"status":404,"stack":"x"`, 1), `"stack"`},
		{"problem type", "/api/v1/talks/a", 404, "application/problem+json", strings.Replace(problem, "not-found", "gone", 1), "gone"},
		{"content type", "/api/v1/talks/a", 200, "text/html", talk, "Content-Type"},
		{"problem as JSON", "/api/v1/talks/a", 404, "application/json", problem, "Content-Type"},
		{"undocumented status", "/api/v1/talks/a", http.StatusTeapot, "application/json", talk, "status is not supported"},
		{"body where none is documented", "/api/v1/talks/a", 304, "application/json", talk, "without content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{"Content-Type": {tt.ctype}, "X-Request-Id": {"r"}}
			_, _, err := c.check(httptest.NewRequest(http.MethodGet, tt.target, nil), tt.status, header, []byte(tt.body))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("valid response rejected: %v", err)
			case tt.want != "" && err == nil:
				t.Errorf("deviating response accepted")
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}
