package extract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/internal/testpdf"
)

// TestMain makes the test binary an extraction child when an isolated
// extraction starts it, with a hook that misbehaves on request.
func TestMain(m *testing.M) {
	if ChildRequested() {
		os.Exit(serveChild(os.Stdin, os.Stdout, misbehave))
	}
	os.Exit(m.Run())
}

// Inputs that make a test child misbehave. Only the test binary has the
// hook, so these are ordinary garbage to talksearch itself.
var (
	hangPDF  = []byte("%PDF-1.7\n%test: hang\n")
	allocPDF = []byte("%PDF-1.7\n%test: alloc\n")
	crashPDF = []byte("%PDF-1.7\n%test: crash\n")
)

func misbehave(req childRequest, data []byte) {
	switch {
	case bytes.Equal(data, hangPDF):
		time.Sleep(time.Hour)
	case bytes.Equal(data, allocPDF):
		// A runaway allocation that touches its memory, as the library's
		// unbounded tables would.
		var keep [][]byte
		for len(keep) >= 0 {
			b := make([]byte, 16<<20)
			for i := range b {
				b[i] = byte(i)
			}
			keep = append(keep, b)
		}
	case bytes.Equal(data, crashPDF):
		var pages []int
		_ = pages[len(data)] // a panic nobody recovers
	}
}

func isolated() Config {
	return Config{Isolate: true, DisableOCR: true, DisableFallback: true}
}

func TestIsolatedExtractionMatchesInProcess(t *testing.T) {
	ext := New(isolated())
	for _, name := range testpdf.FixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			data := testpdf.Fixture(t, name)
			want, err := extractBytes(data)
			if err != nil {
				t.Skip("the walker does not read it:", err)
			}
			got, err := ext.Extract(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Pages, want.Pages) || !got.Meta.Created.Equal(want.Meta.Created) {
				t.Errorf("isolated extraction differs:\n%+v\nwant\n%+v", got.Pages, want.Pages)
			}
			got.Meta.Created, want.Meta.Created = time.Time{}, time.Time{}
			if got.Meta != want.Meta {
				t.Errorf("metadata %+v, want %+v", got.Meta, want.Meta)
			}
		})
	}
}

func TestIsolatedExtractionFailures(t *testing.T) {
	cfg := isolated()
	cfg.FileTimeout = 2 * time.Second
	cfg.MemoryLimitMB = 256
	ext := New(cfg)
	tests := []struct {
		name   string
		data   []byte
		want   error
		reason string
	}{
		{"hang", hangPDF, ErrTimedOut, "extraction took longer than 2s and was stopped"},
		{"runaway allocation", allocPDF, ErrOutOfMemory, "extraction needed more than 256 MB and was stopped"},
		{"crash", crashPDF, ErrCrashed, "extraction crashed: panic: runtime error: index out of range"},
		{"encrypted", testpdf.Fixture(t, "encrypted-aes256"), pdftext.ErrEncrypted, "the PDF is encrypted and cannot be read"},
		{"truncated", testpdf.Fixture(t, "article")[:20000], pdftext.ErrUnreadable, "the PDF is damaged or not a PDF: "},
		{"garbage", []byte("<html>Fehler 404</html>"), pdftext.ErrUnreadable, "the PDF is damaged or not a PDF: not a pdf file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			began := time.Now()
			doc, err := ext.Extract(context.Background(), tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			t.Logf("%v (%v)", err, time.Since(began).Round(time.Millisecond))
			if doc != nil {
				t.Errorf("got a document with the error")
			}
			if r := Reason(err); !strings.HasPrefix(r, tt.reason) {
				t.Errorf("reason %q, want it to start with %q", r, tt.reason)
			}
			if took := time.Since(began); took > 30*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
}

// TestIsolatedChildren checks the life of the children: one serves file
// after file, a failure replaces it, Close ends the idle ones.
func TestIsolatedChildren(t *testing.T) {
	cfg := isolated()
	cfg.FileTimeout = 2 * time.Second
	ext := New(cfg)
	good := testpdf.Fixture(t, "impress")
	idlePid := func() int {
		t.Helper()
		ext.pool.mu.Lock()
		defer ext.pool.mu.Unlock()
		if len(ext.pool.idle) != 1 {
			t.Fatalf("%d idle children, want 1", len(ext.pool.idle))
		}
		return ext.pool.idle[0].cmd.Process.Pid
	}
	ctx := context.Background()
	var pids []int
	for _, data := range [][]byte{good, good, crashPDF, good, hangPDF, good, []byte("kein PDF"), good} {
		_, err := ext.Extract(ctx, data)
		if (err == nil) != bytes.Equal(data, good) {
			t.Fatalf("err = %v", err)
		}
		if bytes.Equal(data, good) {
			pids = append(pids, idlePid())
		}
	}
	// Children 1 and 2 served two files each, then crash and hang
	// replaced them; an unreadable file is an ordinary answer.
	if pids[0] != pids[1] || pids[1] == pids[2] || pids[2] == pids[3] || pids[3] != pids[4] {
		t.Errorf("child pids %v", pids)
	}
	c := ext.pool.idle[0]
	ext.Close()
	if len(ext.pool.idle) != 0 || c.cmd.ProcessState == nil || !c.cmd.ProcessState.Success() {
		t.Errorf("Close left children: idle %d, state %v", len(ext.pool.idle), c.cmd.ProcessState)
	}
	if _, err := ext.Extract(ctx, good); err != nil {
		t.Errorf("after Close: %v", err)
	}
	ext.Close()
}

// TestIsolatedSurvivesBadFiles extracts, on two goroutines sharing one
// Extractor (as the indexer's workers do), a deck that hangs, one that
// allocates without end, one that crashes the PDF reader and an encrypted
// one next to a good deck: each bad file fails with its reason, and the
// good one is read.
func TestIsolatedSurvivesBadFiles(t *testing.T) {
	files := map[string][]byte{
		"gut.pdf":            testpdf.SampleDeck(t, "workshop-e-rechnung"),
		"haengt.pdf":         hangPDF,
		"speicher.pdf":       allocPDF,
		"absturz.pdf":        crashPDF,
		"verschluesselt.pdf": testpdf.Fixture(t, "encrypted-rc4"),
	}
	cfg := isolated()
	cfg.FileTimeout = 3 * time.Second
	cfg.MemoryLimitMB = 256
	ext := New(cfg)
	defer ext.Close()
	var (
		mu      sync.Mutex
		reasons = map[string]string{}
		pages   int
	)
	g := new(errgroup.Group)
	g.SetLimit(2)
	for name, data := range files {
		g.Go(func() error {
			doc, err := ext.Extract(context.Background(), data)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				reasons[name] = Reason(err)
				return nil
			}
			pages += len(doc.Pages)
			return nil
		})
	}
	g.Wait()
	want := map[string]string{
		"haengt.pdf":         "extraction took longer than 3s and was stopped",
		"speicher.pdf":       "extraction needed more than 256 MB and was stopped",
		"absturz.pdf":        "extraction crashed: panic: runtime error: index out of range",
		"verschluesselt.pdf": "the PDF is encrypted and cannot be read",
	}
	for file, r := range want {
		if !strings.HasPrefix(reasons[file], r) {
			t.Errorf("%s: reason %q, want %q", file, reasons[file], r)
		}
	}
	if len(reasons) != len(want) || pages < 8 {
		t.Errorf("reasons %q, %d pages read", reasons, pages)
	}
}

// BenchmarkIsolation measures what isolation costs: the sample decks
// extracted in-process, in kept child processes (as the indexer does),
// and with a new child for every file.
func BenchmarkIsolation(b *testing.B) {
	decks := testpdf.SampleDecks(b)
	for _, mode := range []struct {
		name           string
		isolate, fresh bool
	}{{"in-process", false, false}, {"children", true, false}, {"new-child-per-file", true, true}} {
		b.Run(mode.name, func(b *testing.B) {
			ext := New(Config{Isolate: mode.isolate, DisableOCR: true, DisableFallback: true})
			defer ext.Close()
			pages := 0
			for b.Loop() {
				for _, d := range decks {
					doc, err := ext.Extract(context.Background(), d)
					if err != nil {
						b.Fatal(err)
					}
					pages += len(doc.Pages)
					if mode.fresh {
						ext.Close()
					}
				}
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(decks)), "ms/file")
		})
	}
}
