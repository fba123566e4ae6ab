package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/testenv"
)

// The browser tests drive Debian's chromium, headless, through the search
// page of a real server with the bundled sample corpus. They skip only
// when chromium is not installed, and fail instead under
// TALKSEARCH_REQUIRE_TOOLS=1, which .ci/run sets after installing it.

// startServer runs `talksearch serve` on a free port with an empty data
// folder and returns its base URL once the index is ready.
func startServer(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	return runServe(t, 3*time.Minute, previewsRendered(t, data), "--data", data)
}

// previewsRendered returns a function that reports whether the slide
// previews of every sample talk with slides are on disk in the data
// folder, as the server serves them: previews/<talk-id>/<page>.png. The
// indexer swaps each deck's folder in whole, so page 1 means the deck is
// done. Without pdftoppm there are none to wait for.
func previewsRendered(t *testing.T, data string) func() bool {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return func() bool { return true }
	}
	cat, err := corpus.Load(corpus.Sample())
	if err != nil {
		t.Fatal(err)
	}
	return func() bool {
		for _, tk := range cat.Talks {
			if tk.Files.Slides == "" {
				continue
			}
			if _, err := os.Stat(filepath.Join(data, "previews", tk.ID, "1.png")); err != nil {
				return false
			}
		}
		return true
	}
}

// previewsExpected reports whether pdftoppm is installed, so the talk page
// must show slide previews. Where it is missing the check is skipped with
// a log line, or fails when TALKSEARCH_REQUIRE_TOOLS=1.
func previewsExpected(t *testing.T) bool {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		return true
	}
	if testenv.Required() {
		t.Errorf("pdftoppm is not installed (apt-get install poppler-utils); %s=1 demands it", testenv.RequireEnv)
	} else {
		t.Log("pdftoppm is not installed (apt-get install poppler-utils): slide previews not checked")
	}
	return false
}

// newBrowser starts headless chromium and returns its context. It skips
// the test when chromium is not installed. chromedp makes and removes the
// browser's profile folder itself.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	bin := testenv.LookPath(t, "chromium is not installed (apt-get install chromium); .ci/run installs it", "chromium", "chromium-browser")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// artifactsDir is where the tests save screenshots: $TALKSEARCH_ARTIFACTS,
// or artifacts/ at the top of the repository (ignored by git).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TALKSEARCH_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// actionTimeout bounds one browser action, so a hang fails its subtest
// instead of the whole run.
const actionTimeout = 30 * time.Second

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs an action that loads a new page (a click on a link, a
// submit) and waits for it.
func navigate(t *testing.T, ctx context.Context, what string, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp != nil && resp.Status != 200 {
		t.Fatalf("%s: status %d", what, resp.Status)
	}
}

// history goes back (-1) or forward (1) like the browser's buttons and
// waits for the page at want. (chromedp.NavigateBack waits for a load
// event, which a page from the back-forward cache does not fire.)
func history(t *testing.T, ctx context.Context, step int, want string) {
	t.Helper()
	do(t, ctx, "history", chromedp.Evaluate[chromedp.Void]("history.go("+strconv.Itoa(step)+")"))
	// Poll from here: the page's JavaScript context goes away while the
	// browser navigates.
	cond := `location.href === ` + strconv.Quote(want) + ` && document.readyState === "complete" && !!document.getElementById("count")`
	for deadline := time.Now().Add(15 * time.Second); ; {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			t.Fatalf("history.go(%d): at %s, want %s", step, loc, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func total(t *testing.T, ctx context.Context) int {
	t.Helper()
	return run(t, ctx, "result count", chromedp.Evaluate[int](`+document.getElementById("count").dataset.total`))
}

// screenshot saves the whole page, or only what the viewport shows, as
// PNG in the artifacts folder, with every lazy image loaded.
func screenshot(t *testing.T, ctx context.Context, name string, full bool) {
	t.Helper()
	run(t, ctx, "load images", chromedp.Poll[bool](
		`(() => { const imgs = [...document.images]; imgs.forEach(i => i.loading = "eager"); return imgs.every(i => i.complete); })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png := run(t, ctx, "screenshot", shot)
	path := filepath.Join(artifactsDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// TestBrowser starts one server and one browser; each subtest uses a tab
// of its own.
func TestBrowser(t *testing.T) {
	browser := newBrowser(t)
	base := startServer(t)
	for _, tt := range []struct {
		name string
		test func(t *testing.T, ctx context.Context, base string)
	}{
		{"search", browserSearch},
		{"talk page", browserTalkPage},
		{"phone layout", browserPhoneLayout},
		{"shared URL", browserSharedURL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(browser)
			defer cancel()
			// Open the tab with this context: the tab lives as long as
			// the context of its first action.
			if err := chromedp.Do(ctx); err != nil {
				t.Fatalf("open tab: %v", err)
			}
			tt.test(t, ctx, base)
		})
	}
}

func browserSearch(t *testing.T, ctx context.Context, base string) {
	// The start page offers the events and the facets to browse.
	do(t, ctx, "open start page", chromedp.Navigate(base+"/"))
	if h1 := run(t, ctx, "h1", chromedp.Text(chromedp.CSS("h1"))); h1 != "Vorträge und Folien durchsuchen" {
		t.Errorf("start page h1 = %q", h1)
	}
	if ev := run(t, ctx, "events", chromedp.Text(chromedp.CSS(".event-name"))); ev != "4. Mitteldeutscher IT-Fachtag" {
		t.Errorf("event = %q", ev)
	}

	// Typing shows suggestions, a combobox the keyboard can drive.
	do(t, ctx, "type query", chromedp.SendKeys(chromedp.CSS("#q"), "Rechn"))
	do(t, ctx, "suggestions", chromedp.WaitVisible(chromedp.CSS("#q-vorschlaege li[role=option]")))
	if exp := run(t, ctx, "aria-expanded", chromedp.AttributeValue(chromedp.CSS("#q"), "aria-expanded")); exp.Value != "true" {
		t.Errorf("aria-expanded = %q with suggestions open", exp.Value)
	}
	do(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	active := run(t, ctx, "active option", chromedp.AttributeValue(chromedp.CSS("#q"), "aria-activedescendant"))
	if active.Value != "q-vorschlaege-0" {
		t.Errorf("aria-activedescendant = %q after ArrowDown", active.Value)
	}
	do(t, ctx, "escape", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.CSS("#q-vorschlaege")))

	// Submitting shows the talks.
	do(t, ctx, "select all", chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	do(t, ctx, "type query", chromedp.SendKeys(chromedp.CSS("#q"), "eAkte"))
	navigate(t, ctx, "search", chromedp.Click(chromedp.CSS(".searchrow button")))
	all := total(t, ctx)
	loc := run(t, ctx, "location", chromedp.Location())
	if all < 2 || !strings.HasSuffix(loc, "/?q=eAkte") {
		t.Fatalf("eAkte: %d talks at %s", all, loc)
	}
	screenshot(t, ctx, "search.png", true)

	// Ticking a state applies the filter at once and changes the count.
	thueringen := chromedp.CSS(`input[name=state][value="Thüringen"]`)
	navigate(t, ctx, "tick Thüringen", chromedp.Click(thueringen))
	filtered := total(t, ctx)
	loc = run(t, ctx, "location", chromedp.Location())
	if filtered == 0 || filtered >= all || !strings.Contains(loc, "state=Th%C3%BCringen") || !strings.Contains(loc, "q=eAkte") {
		t.Errorf("after ticking Thüringen: %d talks (was %d) at %s", filtered, all, loc)
	}
	if !run(t, ctx, "checked", chromedp.Evaluate[bool](`document.querySelector('input[name=state][value="Thüringen"]').checked`)) {
		t.Error("Thüringen is not checked after filtering")
	}
	if chip := run(t, ctx, "active filter", chromedp.Text(chromedp.CSS(".chip-active"))); !strings.Contains(chip, "Thüringen") {
		t.Errorf("active filter = %q", chip)
	}

	// Back and forward restore the result and its checkboxes, also when
	// the page comes from the back-forward cache.
	unfilteredURL, filteredURL := base+"/?q=eAkte", loc
	history(t, ctx, -1, unfilteredURL)
	if n := total(t, ctx); n != all || run(t, ctx, "checked", chromedp.Evaluate[bool](`document.querySelector('input[name=state][value="Thüringen"]').checked`)) {
		t.Errorf("back: %d talks, Thüringen still checked", n)
	}
	history(t, ctx, 1, filteredURL)
	if n := total(t, ctx); n != filtered {
		t.Errorf("forward: %d talks, want %d", n, filtered)
	}

	// A slide link opens the PDF at the slide's page. (A fresh load: a
	// page from the back-forward cache leaves chromedp's DOM view stale.)
	do(t, ctx, "reload", chromedp.Navigate(filteredURL))
	href := run(t, ctx, "slide link", chromedp.AttributeValue(chromedp.CSS(".hit-link"), "href"))
	label := run(t, ctx, "slide label", chromedp.Text(chromedp.CSS(".hit-link")))
	m := regexp.MustCompile(`#page=(\d+)$`).FindStringSubmatch(href.Value)
	if m == nil || !strings.HasPrefix(label, "Folie "+m[1]) {
		t.Fatalf("slide link %q labelled %q", href.Value, label)
	}
	pdfURL, _, _ := strings.Cut(href.Value, "#")
	code, body, hdr := get(t, base+pdfURL)
	if code != 200 || hdr.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("GET %s: %d %s", pdfURL, code, hdr.Get("Content-Type"))
	}
	clickCtx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(clickCtx, chromedp.Click(chromedp.CSS(".hit-link")))
	if err != nil {
		t.Fatalf("follow slide link: %v", err)
	}
	if resp == nil || resp.Status != 200 || resp.MimeType != "application/pdf" {
		t.Errorf("slide link response: %+v", resp)
	}
	loc = run(t, ctx, "location", chromedp.Location())
	if !strings.HasSuffix(loc, "#page="+m[1]) {
		t.Errorf("slide link landed on %s, want page %s", loc, m[1])
	}
}

func browserTalkPage(t *testing.T, ctx context.Context, base string) {

	do(t, ctx, "search", chromedp.Navigate(base+"/?q=eAkte"))
	title := run(t, ctx, "first title", chromedp.Text(chromedp.CSS(".talk h2 a")))
	navigate(t, ctx, "open talk", chromedp.Click(chromedp.CSS(".talk h2 a")))
	loc := run(t, ctx, "location", chromedp.Location())
	if h1 := run(t, ctx, "h1", chromedp.Text(chromedp.CSS("h1"))); h1 != title || !strings.Contains(loc, "/talks/") {
		t.Fatalf("talk page %s: h1 %q, want %q", loc, h1, title)
	}
	slides := run(t, ctx, "slides", chromedp.Evaluate[int](`document.querySelectorAll(".slide").length`))
	if slides < 5 {
		t.Errorf("talk page shows %d slides", slides)
	}
	// The previews were rendered once the server was ready and load.
	if previewsExpected(t) {
		loaded := run(t, ctx, "previews", chromedp.Poll[bool](
			`[...document.querySelectorAll(".slide img")].length > 0 && [...document.querySelectorAll(".slide img")].slice(0, 3).every(i => i.complete && i.naturalWidth > 0)`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if !loaded {
			t.Error("slide previews did not load")
		}
	}
	href := run(t, ctx, "slide 3 link", chromedp.AttributeValue(chromedp.CSS("#folie-3 h3 a"), "href"))
	if !strings.HasSuffix(href.Value, "#page=3") {
		t.Errorf("slide 3 links to %q", href.Value)
	}
	if n := run(t, ctx, "related", chromedp.Evaluate[int](`document.querySelectorAll("#weitere .relatedlist a").length`)); n == 0 {
		t.Error("no related talks")
	}

	// Keyboard only: the first Tab reaches the skip link.
	do(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	if f := run(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.textContent`)); f != "Zum Inhalt springen" {
		t.Errorf("first Tab focuses %q", f)
	}

	// A topic leads to all talks on it.
	topic := run(t, ctx, "topic", chromedp.Text(chromedp.CSS(".facts .chip")))
	navigate(t, ctx, "topic chip", chromedp.Click(chromedp.CSS(".facts .chip")))
	if checked := run(t, ctx, "topic checked", chromedp.Evaluate[string](`[...document.querySelectorAll("input:checked")].map(i => i.value).join()`)); checked == "" || total(t, ctx) == 0 {
		t.Errorf("topic %q: checked %q, %d talks", topic, checked, total(t, ctx))
	}
}

func browserPhoneLayout(t *testing.T, ctx context.Context, base string) {
	do(t, ctx, "phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	for _, page := range []string{"/", "/?q=eAkte", "/?q=Rechnungen&state=Sachsen&state=Th%C3%BCringen", "/talks/workshop-e-rechnung", "/?q=Raumfahrt", "/?q=Strassenschaeden+melden", "/?q=Digitalisierung+Schule", "/talks/gibt-es-nicht"} {
		do(t, ctx, "open "+page, chromedp.Navigate(base+page))
		width := run(t, ctx, "scroll width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if width > 360 {
			wide := run(t, ctx, "wide elements", chromedp.Evaluate[[]string](
				`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 361).slice(0, 5).map(e => e.tagName + "." + e.className)`))
			t.Errorf("%s is %d px wide at 360 px: %v", page, width, wide)
		}
	}
	// On a phone the filters fold away above the results.
	do(t, ctx, "results", chromedp.Navigate(base+"/?q=eAkte"))
	if open := run(t, ctx, "filters", chromedp.Evaluate[bool](`document.getElementById("filter").open`)); open {
		t.Error("filters are open on a phone")
	}
	do(t, ctx, "open filters", chromedp.Click(chromedp.CSS("#filter summary")), chromedp.WaitVisible(chromedp.CSS(`input[name=state]`)))
	screenshot(t, ctx, "search-360.png", false)
}

// browserSharedURL: the URL of a result is all it takes to share it.
func browserSharedURL(t *testing.T, ctx context.Context, base string) {
	shared := base + "/?" + url.Values{"q": {"Schule"}, "state": {"Sachsen"}, "sort": {"title"}}.Encode()
	do(t, ctx, "open shared", chromedp.Navigate(shared))
	if q := run(t, ctx, "query", chromedp.Value(chromedp.CSS("#q"))); q != "Schule" {
		t.Errorf("query box = %q", q)
	}
	if s := run(t, ctx, "sort", chromedp.Value(chromedp.CSS("#sort"))); s != "title" {
		t.Errorf("sort = %q", s)
	}
	titles := run(t, ctx, "titles", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".talk h2")].map(h => h.textContent.trim())`))
	if len(titles) == 0 {
		t.Fatal("shared URL shows no talks")
	}
	for i := 1; i < len(titles); i++ {
		if strings.ToLower(titles[i-1]) > strings.ToLower(titles[i]) {
			t.Errorf("not sorted by title: %q", titles)
		}
	}
	// Changing the sort applies at once and keeps query and filter.
	navigate(t, ctx, "sort by date", chromedp.Evaluate[chromedp.Void](
		`(s => { s.value = "date"; s.dispatchEvent(new Event("change", {bubbles: true})); })(document.getElementById("sort"))`))
	loc := run(t, ctx, "location", chromedp.Location())
	if u, err := url.Parse(loc); err != nil || u.Query().Get("sort") != "date" || u.Query().Get("q") != "Schule" || u.Query().Get("state") != "Sachsen" {
		t.Errorf("after sorting: %s", loc)
	}
}
