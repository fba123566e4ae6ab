package indexer

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/pdftext"
	"github.com/talksearch/talksearch/internal/testpdf"
)

// manyPagesPDF is a valid PDF whose page tree lists n pages (all the same
// page object with a line of text).
func manyPagesPDF(n int) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	var kids strings.Builder
	for range n {
		kids.WriteString("3 0 R ")
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), n))
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	stream := "BT /F1 12 Tf 20 100 Td (Seite) Tj ET"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// The page cap and the size limit appear in the report with file and
// reason (issue 13, findings 6 and 8); a file over the size limit is
// withheld from publishing, a capped one is not.
func TestRunReportsLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 20,000 pages")
	}
	fsys := fstest.MapFS{
		"manifest.json": {Data: []byte(`{"event": {"id": "itf", "name": "Fachtag"}, "talks": [
		  {"id": "lang", "title": "Lang", "files": {"slides": "lang.pdf"}},
		  {"id": "gross", "title": "Gross", "files": {"slides": "gross.pdf"}},
		  {"id": "gut", "title": "Gut", "files": {"slides": "gut.pdf"}}
		]}`)},
		"lang.pdf":  {Data: manyPagesPDF(pdftext.MaxPages + 5)},
		"gross.pdf": {Data: bytes.Repeat([]byte("x"), 1<<20+1)},
		"gut.pdf":   {Data: testpdf.SampleDeck(t, "eakte-plauen")},
	}
	cat, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := New(Config{MaxFileMB: 1}, openIndex(t), nil).Run(context.Background(), cat, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Limited) != 1 || rep.Limited[0].File != "lang.pdf" || !strings.Contains(rep.Limited[0].Reason, "only the first 20000 pages") {
		t.Errorf("limited = %+v, want lang.pdf at the page cap", rep.Limited)
	}
	if len(rep.Failed) != 1 || rep.Failed[0].File != "gross.pdf" || !strings.Contains(rep.Failed[0].Reason, "over the size limit of 1 MB") {
		t.Errorf("failed = %+v, want gross.pdf over the size limit", rep.Failed)
	}
	if !slices.Equal(rep.Withheld, []string{"itf/gross.pdf"}) {
		t.Errorf("withheld = %q", rep.Withheld)
	}
}
