package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talksearch/talksearch/search"
)

// hostileQuery is finding 1 of issue 13: 125 two-letter prefixes.
var hostileQuery = strings.TrimSpace(strings.Repeat("be* ve* ge* de* ei* ", 25))

func TestHostileQueryDegradesThroughIndex(t *testing.T) {
	c := loadOpenAPI(t)
	ix, _ := newTestIndex(t)
	e := New(Config{}, ix)
	r := request{target: "/api/v1/search?q=" + url.QueryEscape(hostileQuery)}
	rec := serve(t, e, r)
	if rec.Code != http.StatusOK {
		t.Fatalf("hostile query: %d %s", rec.Code, rec.Body)
	}
	if got := decode[map[string]any](t, rec)["degraded"]; got != true {
		t.Errorf("degraded = %v, want true", got)
	}
	if _, _, respErr := c.check(httpRequest(r), rec.Code, rec.Header(), rec.Body.Bytes()); respErr != nil {
		t.Errorf("response does not match openapi.json: %v", respErr)
	}
	plain := decode[map[string]any](t, serve(t, e, request{target: "/api/v1/search?q=Rechnungen"}))
	if plain["degraded"] != false {
		t.Errorf("plain query: degraded = %v, want false", plain["degraded"])
	}
}

func TestSearchPageDegradedNote(t *testing.T) {
	res := sampleResult()
	res.Degraded = true
	e := New(Config{}, &fakeSearcher{res: res})
	rec := serve(t, e, request{target: "/?q=be*"})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Die Anfrage war zu aufwendig; einige Erweiterungen wurden weggelassen.") {
		t.Errorf("page of a degraded query: %d, no note\n%s", rec.Code, rec.Body)
	}
	res.Degraded = false
	if rec := serve(t, e, request{target: "/?q=be*"}); strings.Contains(rec.Body.String(), "zu aufwendig") {
		t.Error("note shown for a query that was not degraded")
	}
}

// gateSearcher blocks every search until release is closed, and counts
// those running.
type gateSearcher struct {
	fakeSearcher
	release chan struct{}
	started chan string
}

func (g *gateSearcher) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	g.started <- q.Text
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return sampleResult(), nil
}

func TestExpensiveQueriesLimited(t *testing.T) {
	c := loadOpenAPI(t)
	g := &gateSearcher{release: make(chan struct{}), started: make(chan string, 10)}
	e := New(Config{ExpensiveQueries: 2, ExpensiveWait: 20 * time.Millisecond}, g)

	// Two expensive queries take both slots.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, q := range []string{"be*", "ve* ge*"} {
		wg.Go(func() {
			codes[i] = serve(t, e, request{target: "/api/v1/search?q=" + url.QueryEscape(q)}).Code
		})
	}
	<-g.started
	<-g.started

	// A third waits briefly, then is refused with 429 and Retry-After.
	r := request{target: "/api/v1/search?q=" + url.QueryEscape("de*")}
	rec := serve(t, e, r)
	p := decode[problem](t, rec)
	if rec.Code != http.StatusTooManyRequests || p.Type != problemRateLimited || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(p.Detail, "aufwendige") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("third expensive query: %d %v %+v", rec.Code, rec.Header(), p)
	}
	if _, _, respErr := c.check(httpRequest(r), rec.Code, rec.Header(), rec.Body.Bytes()); respErr != nil {
		t.Errorf("429 does not match openapi.json: %v", respErr)
	}
	// So is the page.
	if rec := serve(t, e, request{target: "/?q=de*"}); rec.Code != http.StatusTooManyRequests {
		t.Errorf("page of a third expensive query: %d", rec.Code)
	}

	// A plain query does not wait for the expensive ones.
	done := make(chan int)
	go func() { done <- serve(t, e, request{target: "/api/v1/search?q=Rechnungen"}).Code }()
	if q := <-g.started; q != "Rechnungen" {
		t.Errorf("started %q", q)
	}
	close(g.release)
	if code := <-done; code != http.StatusOK {
		t.Errorf("plain query beside expensive ones: %d", code)
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Errorf("expensive query %d: %d", i, code)
		}
	}
	// The slots are free again.
	if rec := serve(t, e, request{target: "/api/v1/search?q=de*"}); rec.Code != http.StatusOK {
		t.Errorf("expensive query after the others: %d", rec.Code)
	}
}

func TestExpensiveQueriesUnlimited(t *testing.T) {
	g := &gateSearcher{release: make(chan struct{}), started: make(chan string, 10)}
	close(g.release)
	e := New(Config{ExpensiveQueries: -1}, g)
	if rec := serve(t, e, request{target: "/api/v1/search?q=de*"}); rec.Code != http.StatusOK {
		t.Errorf("no limit: %d", rec.Code)
	}
}

func TestHostileQueryDeadline(t *testing.T) {
	ix, _ := newTestIndex(t)
	e := New(Config{Timeout: time.Nanosecond}, ix)
	rec := serve(t, e, request{target: "/api/v1/search?q=" + url.QueryEscape(hostileQuery)})
	p := decode[problem](t, rec)
	if rec.Code != http.StatusServiceUnavailable || p.Type != problemTimeout {
		t.Errorf("hostile query past its deadline: %d %+v", rec.Code, p)
	}
}
