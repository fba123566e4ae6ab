package pdftext

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talksearch/talksearch/internal/pdftext/compare"
	"github.com/talksearch/talksearch/internal/testenv"
	"github.com/talksearch/talksearch/internal/testpdf"
)

// update rewrites the golden files. Comparisons over other PDFs than the
// fixtures: go run ./cmd/pdfcompare.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/pdf")

const fixtureDir = "testdata/pdf"

// fixture is one PDF in testdata/pdf. Sources and producers are in make.sh.
type fixture struct {
	name    string // file name without .pdf
	ref     string // hand-written reference text (testdata/pdf/<ref>.ref.txt), "" for none
	wantErr error  // for files that must not open
	noText  bool   // image-only: every page empty
}

var fixtures = []fixture{
	{name: "groff", ref: "groff"},                             // groff -Tpdf (gropdf): two columns, tbl table
	{name: "groff-gs", ref: "groff-gs"},                       // groff -Tps | ps2pdf (Ghostscript)
	{name: "handwritten", ref: "handwritten"},                 // hand-written PostScript | ps2pdf: words placed one by one, rotated text, Form XObjects, table
	{name: "figure", ref: "figure"},                           // EPS | ps2pdf -dEPSCrop, included by beamer.tex
	{name: "article", ref: "article"},                         // pdfLaTeX article, T1/lmodern, table, twocolumn page
	{name: "ot1", ref: "ot1"},                                 // pdfLaTeX OT1 without ToUnicode: accents as separate glyphs
	{name: "beamer", ref: "beamer"},                           // pdfLaTeX beamer: columns, table, included PDF (Form XObject), footline
	{name: "lualatex", ref: "lualatex"},                       // LuaLaTeX fontspec: Type0 Identity-H fonts
	{name: "impress", ref: "impress"},                         // LibreOffice Impress: bullets, table, master footer
	{name: "writer", ref: "writer"},                           // LibreOffice Writer: table, two-column section, footer
	{name: "encrypted-owner", ref: "encrypted-owner"},         // RC4-128, empty user password: readable
	{name: "encrypted-owner-aes", ref: "encrypted-owner-aes"}, // AES-128, empty user password: readable
	{name: "encrypted-rc4", wantErr: ErrEncrypted},            // RC4-128 with user password
	{name: "encrypted-aes256", wantErr: ErrEncrypted},         // AES-256 (unsupported by the library)
	{name: "scan", noText: true},                              // image only
	{name: "scanned"},                                         // page 1 a bitmap of a slide (OCR test), page 2 text
	{name: "fallback", wantErr: ErrUnreadable},                // ASCIIHex content streams: only pdftotext reads it
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name+".pdf"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func extractBytes(data []byte) (*Document, error) {
	return Extract(bytes.NewReader(data), int64(len(data)))
}

// goldenText renders a document the way the golden files store it.
func goldenText(doc *Document) string {
	var b strings.Builder
	m := doc.Meta
	fmt.Fprintf(&b, "title: %s\nauthor: %s\nsubject: %s\nkeywords: %s\n", m.Title, m.Author, m.Subject, m.Keywords)
	for _, p := range doc.Pages {
		fmt.Fprintf(&b, "\n--- page %d (%s) ---\n%s\n", p.Number, p.Extractor, p.Text)
	}
	return b.String()
}

func TestFixturesListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".pdf")
		if !slices.ContainsFunc(fixtures, func(fx fixture) bool { return fx.name == name }) {
			t.Errorf("%s is not in the fixtures table", f)
		}
	}
}

func TestExtractPDFGolden(t *testing.T) {
	for _, fx := range fixtures {
		if fx.wantErr != nil {
			continue
		}
		t.Run(fx.name, func(t *testing.T) {
			doc, err := extractBytes(readFixture(t, fx.name))
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Failed) > 0 {
				t.Errorf("failed pages: %v", doc.Failed)
			}
			got := goldenText(doc)
			golden := filepath.Join(fixtureDir, fx.name+".golden.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/pdftext -update)", err)
			}
			if got != string(want) {
				t.Errorf("extraction differs from %s (run go test ./internal/pdftext -update and review the diff):\n%s", golden, firstDiff(string(want), got))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return ""
}

// words splits text into NFKC-lowercased words of letters and digits.
func words(s string) []string { return compare.Words(s) }

func counts(ws []string) map[string]int { return compare.Counts(ws) }

// overlap counts the words of a found in b, as multisets.
func overlap(a, b map[string]int) int { return compare.Overlap(a, b) }

func TestExtractPDFWords(t *testing.T) {
	for _, fx := range fixtures {
		if fx.ref == "" {
			continue
		}
		t.Run(fx.name, func(t *testing.T) {
			ref, err := os.ReadFile(filepath.Join(fixtureDir, fx.ref+".ref.txt"))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := extractBytes(readFixture(t, fx.name))
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			for _, p := range doc.Pages {
				text.WriteString(p.Text + "\n")
			}
			want, got := words(CleanText(string(ref))), words(text.String())
			common := overlap(counts(want), counts(got))
			recall := float64(common) / float64(len(want))
			precision := float64(common) / float64(max(len(got), 1))
			t.Logf("recall %.4f precision %.4f (%d reference words, %d extracted)", recall, precision, len(want), len(got))
			if recall < 0.98 || precision < 0.98 {
				t.Errorf("recall %.4f, precision %.4f: want both >= 0.98; missing %v; extra %v",
					recall, precision, missingWords(want, got), missingWords(got, want))
			}
		})
	}
}

// missingWords lists the words of a not matched in b, in the order of a.
func missingWords(a, b []string) []string {
	have := counts(b)
	var out []string
	for _, w := range a {
		if have[w] > 0 {
			have[w]--
			continue
		}
		out = append(out, w)
	}
	return out
}

func TestExtractPDFMetadata(t *testing.T) {
	doc, err := extractBytes(readFixture(t, "article"))
	if err != nil {
		t.Fatal(err)
	}
	want := Metadata{
		Title:    "Digitalisierung der Straßenverkehrsbehörde",
		Author:   "Jörg Müller; Anja Weiß",
		Subject:  "Erfahrungsbericht für den Fachtag",
		Keywords: "eAkte, E-Rechnung, Onlinezugangsgesetz",
		Created:  time.Date(2024, 5, 14, 0, 0, 0, 0, time.UTC), // SOURCE_DATE_EPOCH in make.sh
	}
	if doc.Meta != want {
		t.Errorf("metadata = %+v, want %+v", doc.Meta, want)
	}
}

func TestDecodeTextString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Stra\xdfe", "Straße"},                     // PDFDocEncoding = Latin-1 here
		{"\x93nden \x84 \xa0", "ﬁnden — €"},         // PDFDocEncoding specials
		{"\xfe\xff\x00B\x00\xfc\x00r\x00o", "Büro"}, // UTF-16BE with BOM
		{"\xfe\xff\xd8\x3d\xde\x00", "\U0001F600"},  // surrogate pair
		{"\xef\xbb\xbfB\xc3\xbcro", "Büro"},         // UTF-8 with BOM (PDF 2.0)
		{"\xff\xfeB\x00\xfc\x00", "Bü"},             // UTF-16LE from broken producers
		{"\xfe\xff\x00A\x00", "A"},                  // odd length
	}
	for _, tt := range tests {
		if got := decodeTextString(tt.in); got != tt.want {
			t.Errorf("decodeTextString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFontRef(t *testing.T) {
	tests := []struct{ printed, name, want string }{
		{"<</F1 12 0 R /F2 13 0 R>>", "F1", "12 0"},
		{"<</F1 12 0 R /F2 13 0 R>>", "F2", "13 0"},
		{"<</F1 12 0 R /F10 13 0 R>>", "F10", "13 0"},
		{"<</F1 12 0 R>>", "F3", ""},
		{"<</F1 <</BaseFont /Helvetica /FontDescriptor 5 0 R>>>>", "FontDescriptor", ""},
		{"<</F1 /Helvetica>>", "F1", ""},
	}
	for _, tt := range tests {
		if got := fontRef(tt.printed, tt.name); got != tt.want {
			t.Errorf("fontRef(%q, %q) = %q, want %q", tt.printed, tt.name, got, tt.want)
		}
	}
}

func TestExtractPDFImageOnly(t *testing.T) {
	doc, err := extractBytes(readFixture(t, "scan"))
	if err != nil {
		t.Fatal(err)
	}
	pages := doc.Pages
	if len(pages) != 2 {
		t.Fatalf("got %d pages, want 2", len(pages))
	}
	for _, p := range pages {
		if p.Text != "" || p.Extractor != "ledongthuc" {
			t.Errorf("page %d = %+v, want empty text from ledongthuc", p.Number, p)
		}
	}
}

// brokenFiles returns malformed inputs made from the fixtures, each with
// the error it must produce.
func brokenFiles(tb testing.TB) map[string]struct {
	data []byte
	want error
} {
	tb.Helper()
	article := readFixture(tb, "article")
	lualatex := readFixture(tb, "lualatex")
	garbage := make([]byte, 4096)
	x := uint32(2463534242)
	for i := range garbage {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		garbage[i] = byte(x)
	}
	pdfGarbage := append([]byte("%PDF-1.7\n"), garbage...)
	pdfGarbage = append(pdfGarbage, "\nstartxref\n12\n%%EOF\n"...)
	// A /Prev chain pointing back at its own cross-reference section: the
	// library loops on it forever unless its reading is bounded.
	groff := readFixture(tb, "groff")
	xref := bytes.LastIndex(groff, []byte("\nxref\n")) + 1
	prevCycle := bytes.Replace(groff, []byte("/Size 18\n>>"), fmt.Appendf(nil, "/Size 18/Prev %d>>", xref), 1)
	// Numbers the library would allocate by: a fatal out-of-memory, not a
	// panic, if they reach it.
	bigStart := bytes.Replace(groff, []byte("xref\n0 18\n"), []byte("xref\n3000000000 18\n"), 1)
	bigSize := bytes.Replace(groff, []byte("/Size 18\n"), []byte("/Size 4000000000\n"), 1)
	return map[string]struct {
		data []byte
		want error
	}{
		"zero bytes":                          {nil, ErrUnreadable},
		"garbage":                             {garbage, ErrUnreadable},
		"garbage with pdf header and trailer": {pdfGarbage, ErrUnreadable},
		"html renamed pdf":                    {[]byte("<!DOCTYPE html>\n<html><head><title>Fehler 404</title></head><body>Nicht gefunden</body></html>\n"), ErrUnreadable},
		"header only":                         {[]byte("%PDF-1.4\n"), ErrUnreadable},
		"truncated half":                      {article[:len(article)/2], ErrUnreadable},
		"truncated 1000":                      {lualatex[:1000], ErrUnreadable},
		"truncated tail":                      {lualatex[:len(lualatex)-40], ErrUnreadable},
		"xref prev cycle":                     {prevCycle, ErrUnreadable},
		"huge xref subsection":                {bigStart, ErrUnreadable},
		"huge xref size":                      {bigSize, ErrUnreadable},
		"encrypted rc4":                       {readFixture(tb, "encrypted-rc4"), ErrEncrypted},
		"encrypted aes256":                    {readFixture(tb, "encrypted-aes256"), ErrEncrypted},
	}
}

func TestExtractPDFBroken(t *testing.T) {
	for name, tt := range brokenFiles(t) {
		t.Run(name, func(t *testing.T) {
			doc, err := extractBytes(tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if doc != nil {
				t.Errorf("got %d pages with the error", len(doc.Pages))
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "pdftext: ") {
				t.Errorf("error %q does not start with \"pdftext: \"", msg)
			}
		})
	}
}

// TestExtractPDFDamagedPage gives one stream at a time an unsupported
// filter (the library panics on it). A damaged page comes out empty and is
// listed in Failed while the other pages are read; if all pages fail, the
// error is ErrUnreadable.
func TestExtractPDFDamagedPage(t *testing.T) {
	data := readFixture(t, "groff")
	partial := false
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("/FlateDecode"))
		if i < 0 {
			break
		}
		off += i
		damaged := slices.Clone(data)
		copy(damaged[off:], "/LZWDecode  ")
		off++
		doc, err := extractBytes(damaged)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("offset %d: err = %v, want ErrUnreadable", off, err)
			}
			continue
		}
		if len(doc.Failed) > 0 {
			partial = true
			for _, n := range doc.Failed {
				if doc.Pages[n-1].Text != "" {
					t.Errorf("offset %d: failed page %d has text", off, n)
				}
			}
			if len(doc.Failed) == len(doc.Pages) {
				t.Errorf("offset %d: all pages failed without an error", off)
			}
		}
	}
	if !partial {
		t.Error("no damaged stream made a single page fail")
	}
}

func FuzzExtractPDF(f *testing.F) {
	for _, fx := range fixtures {
		f.Add(readFixture(f, fx.name))
	}
	for _, b := range brokenFiles(f) {
		f.Add(b.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := extractBytes(data)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) && !errors.Is(err, ErrEncrypted) {
				t.Errorf("error %v is neither ErrUnreadable nor ErrEncrypted", err)
			}
			return
		}
		for i, p := range doc.Pages {
			if p.Number != i+1 {
				t.Errorf("page %d has number %d", i+1, p.Number)
			}
		}
	})
}

// BenchmarkExtractPDF measures extraction alone, in pages per second on
// one goroutine: over the fixtures, and over the 19 decks of the bundled
// sample corpus (LibreOffice Impress).
func BenchmarkExtractPDF(b *testing.B) {
	var fixtureData [][]byte
	for _, fx := range fixtures {
		if fx.wantErr == nil {
			fixtureData = append(fixtureData, readFixture(b, fx.name))
		}
	}
	for _, set := range []struct {
		name string
		data [][]byte
	}{{"fixtures", fixtureData}, {"sample", testpdf.SampleDecks(b)}} {
		b.Run(set.name, func(b *testing.B) {
			pages := 0
			for b.Loop() {
				for _, data := range set.data {
					doc, err := extractBytes(data)
					if err != nil {
						b.Fatal(err)
					}
					pages += len(doc.Pages)
				}
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// TestCompareWithPdftotext measures the extraction of the fixtures against
// poppler's pdftotext: word recall (words of pdftotext found in ours, as
// multisets) and glued words (a word of ours that is two words of
// pdftotext). The same measure over any PDFs, with the figures of issue 3:
// go run ./cmd/pdfcompare.
func TestCompareWithPdftotext(t *testing.T) {
	pdftotext := testenv.LookPath(t, "pdftotext (poppler-utils) is not installed", "pdftotext")
	var sumRecall float64
	var n int
	for _, fx := range fixtures {
		if fx.wantErr != nil || fx.noText {
			continue
		}
		path := filepath.Join(fixtureDir, fx.name+".pdf")
		ref, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", path, err)
		}
		start := time.Now()
		doc, err := extractBytes(readFixture(t, fx.name))
		elapsed := time.Since(start)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		var text strings.Builder
		for _, p := range doc.Pages {
			text.WriteString(p.Text + "\n")
		}
		r := compare.Texts(text.String(), CleanText(string(ref)))
		sumRecall += r.Recall()
		n++
		t.Logf("%-40s pages %3d  recall %.4f  glued %.4f %v  umlauts %.4f  %v", path, len(doc.Pages), r.Recall(), r.GluedRate(), firstN(r.Glued, 5), r.UmlautRecall(), elapsed.Round(time.Millisecond))
		if r.Recall() < 0.97 {
			t.Errorf("%s: recall %.4f against pdftotext, want >= 0.97; missing %v", path, r.Recall(), firstN(missingWords(words(CleanText(string(ref))), words(text.String())), 20))
		}
		if len(r.Glued) > 0 {
			t.Errorf("%s: glued words %v", path, r.Glued)
		}
		if r.UmlautRecall() < 0.97 {
			t.Errorf("%s: umlaut word recall %.4f, want >= 0.97", path, r.UmlautRecall())
		}
	}
	if n > 0 {
		t.Logf("mean recall over %d files: %.4f", n, sumRecall/float64(n))
	}
}

func firstN(s []string, n int) []string { return s[:min(n, len(s))] }
