package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"

	"github.com/talksearch/talksearch/search"
)

// openAPIDoc is the parsed OpenAPI document.
type openAPIDoc map[string]any

func loadOpenAPI(tb testing.TB) openAPIDoc {
	tb.Helper()
	var doc openAPIDoc
	dec := json.NewDecoder(bytes.NewReader(openAPI))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	return doc
}

// resolve follows a local $ref ("#/components/schemas/Talk").
func (d openAPIDoc) resolve(node map[string]any) (map[string]any, error) {
	for range 10 {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node, nil
		}
		var cur any = map[string]any(d)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("bad $ref %s", ref)
			}
			if cur, ok = m[part]; !ok {
				return nil, fmt.Errorf("dangling $ref %s", ref)
			}
		}
		if node, ok = cur.(map[string]any); !ok {
			return nil, fmt.Errorf("$ref %s is not an object", ref)
		}
	}
	return nil, errors.New("$ref loop")
}

// schemaKeywords are the JSON Schema keywords the validator understands;
// the document may use no others, so nothing it says goes unchecked.
var schemaKeywords = map[string]bool{
	"$ref": true, "type": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "enum": true, "nullable": true, "minimum": true, "maximum": true, "maxLength": true,
	"description": true, "default": true,
}

// validate checks value (decoded with UseNumber) against schema and
// returns every violation with its JSON path.
func (d openAPIDoc) validate(schema map[string]any, value any, path string) []string {
	schema, err := d.resolve(schema)
	if err != nil {
		return []string{path + ": " + err.Error()}
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	for k := range schema {
		if !schemaKeywords[k] {
			fail("schema uses %q, which the validator does not check", k)
		}
	}
	if value == nil {
		if schema["nullable"] != true {
			fail("null where the schema does not allow it")
		}
		return errs
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(value) }) {
		fail("%v is not one of %v", value, enum)
	}
	switch typ, _ := schema["type"].(string); typ {
	case "object":
		obj, ok := value.(map[string]any)
		if !ok {
			fail("want an object, got %T", value)
			return errs
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asSlice(schema["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				fail("lacks required %q", r)
			}
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range obj {
				if !yield(k) {
					return
				}
			}
		})
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, d.validate(ps, obj[k], path+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("has %q, which the schema does not document", k)
				}
			case map[string]any:
				errs = append(errs, d.validate(ap, obj[k], path+"."+k)...)
			}
		}
	case "array":
		arr, ok := value.([]any)
		if !ok {
			fail("want an array, got %T", value)
			return errs
		}
		items, _ := schema["items"].(map[string]any)
		for i, it := range arr {
			errs = append(errs, d.validate(items, it, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case "string":
		s, ok := value.(string)
		if !ok {
			fail("want a string, got %T", value)
			return errs
		}
		if n, ok := number(schema["maxLength"]); ok && float64(len([]rune(s))) > n {
			fail("longer than %v characters", n)
		}
	case "integer", "number":
		n, ok := value.(json.Number)
		if !ok {
			fail("want a %s, got %T", typ, value)
			return errs
		}
		f, err := n.Float64()
		if err != nil || typ == "integer" && (strings.ContainsAny(n.String(), ".eE") || f != math.Trunc(f)) {
			fail("want an %s, got %s", typ, n)
		}
		if lo, ok := number(schema["minimum"]); ok && f < lo {
			fail("%v is below the minimum %v", f, lo)
		}
		if hi, ok := number(schema["maximum"]); ok && f > hi {
			fail("%v is above the maximum %v", f, hi)
		}
	case "boolean":
		if _, ok := value.(bool); !ok {
			fail("want a boolean, got %T", value)
		}
	case "":
	default:
		fail("unknown type %q", typ)
	}
	return errs
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// operation finds the documented GET of a request path, and the template
// it matched.
func (d openAPIDoc) operation(path string) (map[string]any, string) {
	paths, _ := d["paths"].(map[string]any)
	for tmpl, item := range paths {
		re := "^" + regexp.MustCompile(`\\\{[^}]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$"
		if regexp.MustCompile(re).MatchString(path) {
			op, _ := item.(map[string]any)["get"].(map[string]any)
			return op, tmpl
		}
	}
	return nil, ""
}

// checkResponse validates one recorded response against the document: the
// status must be documented for the operation (or, for requests no
// operation has, be the generic 404/405), with its content type and schema.
func (d openAPIDoc) checkResponse(method, path string, status int, header http.Header, body []byte) (string, []string) {
	var resp map[string]any
	op, tmpl := d.operation(path)
	key := fmt.Sprintf("%s %d", tmpl, status)
	switch {
	case op != nil && (method == http.MethodGet || method == http.MethodHead):
		r, ok := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
		if !ok {
			return key, []string{fmt.Sprintf("%s: status %d is not documented", tmpl, status)}
		}
		resp = r
	case status == http.StatusMethodNotAllowed:
		resp = map[string]any{"$ref": "#/components/responses/MethodNotAllowed"}
		key = "* 405"
	case status == http.StatusNotFound:
		resp = map[string]any{"$ref": "#/components/responses/NotFound"}
		key = "* 404"
	default:
		return key, []string{fmt.Sprintf("%s %s: not documented", method, path)}
	}
	resp, err := d.resolve(resp)
	if err != nil {
		return key, []string{err.Error()}
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 {
			return key, []string{fmt.Sprintf("%s: documented without content, got %d bytes", key, len(body))}
		}
		return key, nil
	}
	ctype, _, _ := strings.Cut(header.Get("Content-Type"), ";")
	media, ok := content[ctype].(map[string]any)
	if !ok {
		return key, []string{fmt.Sprintf("%s: content type %q is not documented", key, ctype)}
	}
	if !strings.HasSuffix(ctype, "json") {
		return key, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return key, []string{fmt.Sprintf("%s: body is not JSON: %v", key, err)}
	}
	schema, _ := media["schema"].(map[string]any)
	return key, d.validate(schema, v, "$")
}

var errBroken = errors.New("scorch: segment /var/lib/talksearch/index/000001.zap broken")

// TestOpenAPIResponses sends requests to every endpoint, successes and
// errors, and validates each response against the OpenAPI document.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadOpenAPI(t)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.0") {
		t.Fatalf("openapi = %q", v)
	}
	ix, _ := newTestIndex(t)
	apps := map[string]*echo.Echo{
		"index":    New(Config{Stats: ix}, ix),
		"limited":  New(Config{RateLimit: 0.001, RateBurst: 1}, ix),
		"notready": New(Config{Ready: func() bool { return false }}, ix),
		"broken":   New(Config{}, &fakeSearcher{err: errBroken, res: &search.Result{}}),
	}
	etag := serve(t, apps["index"], request{target: "/api/v1/talks/eakte-plauen"}).Header().Get("ETag")
	requests := []struct {
		app string
		req request
	}{
		{"index", request{target: "/api/v1/search?q=Rechnungen"}},
		{"index", request{target: "/api/v1/search?q=Posteingang"}},
		{"index", request{target: "/api/v1/search"}},
		{"index", request{target: "/api/v1/search?q=Raumfahrt"}},
		{"index", request{target: "/api/v1/search?q=Werkstattbericht&page=2&size=5"}},
		{"index", request{target: "/api/v1/search?sort=neu"}},
		{"index", request{target: "/api/v1/search?page=9"}},
		{"index", request{target: "/api/v1/talks?state=Sachsen&topic=eAkte"}},
		{"index", request{target: "/api/v1/talks?page=3&size=10"}},
		{"index", request{target: "/api/v1/talks?q=x"}},
		{"index", request{target: "/api/v1/talks/workshop-e-rechnung"}},
		{"index", request{target: "/api/v1/talks/eakte-plauen", header: http.Header{"If-None-Match": {etag}}}},
		{"index", request{target: "/api/v1/talks/nicht-da"}},
		{"index", request{target: "/api/v1/talks/keynote-digitalisierung/slides"}},
		{"index", request{target: "/api/v1/talks/workshop-e-rechnung/slides"}},
		{"index", request{target: "/api/v1/talks/nicht-da/slides"}},
		{"index", request{target: "/api/v1/suggest?q=Digi"}},
		{"index", request{target: "/api/v1/suggest?q=werk"}},
		{"index", request{target: "/api/v1/suggest?q=Sch%C3%BC"}},
		{"index", request{target: "/api/v1/suggest?q=x&n=0"}},
		{"index", request{target: "/api/v1/version"}},
		{"index", request{target: "/api/v1/openapi.json"}},
		{"index", request{target: "/healthz"}},
		{"index", request{target: "/readyz"}},
		{"index", request{target: "/metrics"}},
		{"index", request{target: "/api/v1/gibts-nicht"}},
		{"index", request{method: http.MethodPost, target: "/api/v1/search"}},
		{"index", request{target: "/api/v1/search", body: "q=eAkte", header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}},
		{"limited", request{target: "/api/v1/version"}},
		{"limited", request{target: "/api/v1/version"}}, // 429
		{"notready", request{target: "/api/v1/search?q=eAkte"}},
		{"notready", request{target: "/readyz"}},
		{"broken", request{target: "/api/v1/search?q=eAkte"}},
	}
	seen := map[string]bool{}
	for _, r := range requests {
		rec := serve(t, apps[r.app], r.req)
		method := r.req.method
		if method == "" {
			method = http.MethodGet
		}
		path, _, _ := strings.Cut(r.req.target, "?")
		key, errs := doc.checkResponse(method, path, rec.Code, rec.Header(), rec.Body.Bytes())
		seen[key] = true
		for _, e := range errs {
			t.Errorf("%s %s → %d: %s", method, r.req.target, rec.Code, e)
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
	doc := loadOpenAPI(t)
	e := New(Config{Files: fstest.MapFS{}}, &fakeSearcher{res: &search.Result{}})
	documented := map[string]bool{}
	for p := range doc["paths"].(map[string]any) {
		documented[p] = true
	}
	served := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet {
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
	for p, item := range doc["paths"].(map[string]any) {
		op := item.(map[string]any)["get"].(map[string]any)
		if op["operationId"] == nil || op["description"] == nil {
			t.Errorf("%s: no operationId or description", p)
		}
		resps := op["responses"].(map[string]any)
		if strings.HasPrefix(p, "/api/") {
			for _, code := range []string{"200", "304", "405", "415", "429"} {
				if resps[code] == nil {
					t.Errorf("%s: response %s not documented", p, code)
				}
			}
		}
	}
}

// TestOpenAPIValidator makes sure the validator catches what it must.
func TestOpenAPIValidator(t *testing.T) {
	doc := loadOpenAPI(t)
	talk := map[string]any{"$ref": "#/components/schemas/Talk"}
	good := `{"id":"a","title":"T","kind":"Vortrag","event":{"id":"e","name":"E","year":2018},"speakers":[],"states":[],"topics":[],"pages":1,"url":"/u","slides_url":"/u/slides"}`
	tests := []struct {
		name, body, want string
	}{
		{"valid", good, ""},
		{"missing required", strings.Replace(good, `"title":"T",`, "", 1), `lacks required "title"`},
		{"undocumented member", strings.Replace(good, `"id":"a"`, `"id":"a","secret":1`, 1), `has "secret"`},
		{"wrong type", strings.Replace(good, `"pages":1`, `"pages":"1"`, 1), "want a integer"},
		{"not an integer", strings.Replace(good, `"pages":1`, `"pages":1.5`, 1), "want an integer"},
		{"nested", strings.Replace(good, `"year":2018`, `"year":"2018"`, 1), "$.event.year"},
		{"array items", strings.Replace(good, `"states":[]`, `"states":[1]`, 1), "$.states[0]"},
		{"null", strings.Replace(good, `"title":"T"`, `"title":null`, 1), "null"},
	}
	for _, tt := range tests {
		var v any
		dec := json.NewDecoder(strings.NewReader(tt.body))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		errs := strings.Join(doc.validate(talk, v, "$"), "\n")
		if (tt.want == "") != (errs == "") || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: errors %q, want %q", tt.name, errs, tt.want)
		}
	}
	enum := map[string]any{"$ref": "#/components/schemas/Suggestion"}
	if errs := doc.validate(enum, map[string]any{"text": "x", "kind": "film"}, "$"); len(errs) == 0 {
		t.Error("enum not checked")
	}
}
