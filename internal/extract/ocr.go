package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/talksearch/talksearch/internal/pdftext"
)

// The external programs: poppler's pdftotext as the fallback for files the
// walker cannot read, and poppler's pdftoppm with tesseract for pages
// without a text layer. Each reads the PDF on standard input, so files from
// any fs.FS (the embedded sample) work without temporary files, and each
// runs under a deadline. In an extraction child they also inherit its
// memory limit.

// pdftotextPages returns the text of each page as pdftotext reads it, in
// its reading-order mode: -layout would keep the physical layout and
// interleave the lines of side-by-side columns, which the walker avoids.
func pdftotextPages(ctx context.Context, bin string, data []byte, timeout time.Duration) ([]string, error) {
	out, err := runTool(ctx, timeout, "pdftotext", data, nil, bin, "-enc", "UTF-8", "-", "-")
	if err != nil {
		return nil, err
	}
	// One form feed ends every page.
	raw := strings.Split(string(out), "\f")
	if len(raw) > 0 && strings.TrimSpace(raw[len(raw)-1]) == "" {
		raw = raw[:len(raw)-1]
	}
	pages := make([]string, len(raw))
	for i, p := range raw {
		pages[i] = pdftext.CleanText(p)
	}
	return pages, nil
}

// ocrDPI is the resolution pages are rendered at for tesseract, which
// reads text best at about 300 dpi.
const ocrDPI = 300

// ocrPage renders one page with pdftoppm and reads it with tesseract.
func ocrPage(ctx context.Context, t tools, data []byte, page int, timeout time.Duration) (string, error) {
	text, err := ocrPageTools(ctx, t, data, page, timeout)
	var le *limitError
	if errors.As(err, &le) && le.kind == ErrTimedOut {
		err = &limitError{kind: ErrTimedOut, what: "OCR of page " + strconv.Itoa(page), limit: roundDuration(timeout)}
	}
	return text, err
}

func ocrPageTools(ctx context.Context, t tools, data []byte, page int, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	n := strconv.Itoa(page)
	png, err := runTool(ctx, 0, "pdftoppm", data, nil, t.Pdftoppm,
		"-r", strconv.Itoa(ocrDPI), "-gray", "-png", "-f", n, "-l", n, "-")
	if err != nil {
		return "", err
	}
	if len(png) == 0 {
		return "", fmt.Errorf("extract: pdftoppm rendered no page %d", page)
	}
	// One thread per tesseract: the workers already use every core.
	text, err := runTool(ctx, 0, "tesseract", png, []string{"OMP_THREAD_LIMIT=1"}, t.Tesseract, "-", "-", "-l", t.Language)
	if err != nil {
		return "", err
	}
	return pdftext.CleanText(string(text)), nil
}

// runTool runs an external program with stdin as its standard input and
// returns its standard output. With timeout > 0 the program gets that
// long; a program that overruns it or ctx's deadline is killed.
func runTool(ctx context.Context, timeout time.Duration, name string, stdin []byte, env []string, bin string, args ...string) ([]byte, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	began := time.Now()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout bytes.Buffer
	stderr := &headBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	cmd.WaitDelay = 2 * time.Second
	setToolAttrs(cmd)
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		dl, _ := ctx.Deadline()
		return nil, &limitError{kind: ErrTimedOut, what: name, limit: roundDuration(dl.Sub(began))}
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("extract: %s: %w", name, ctx.Err())
	}
	return nil, fmt.Errorf("extract: %s: %w: %s", name, err, firstLine(stderr.String()))
}

// roundDuration prints d the way a person states a limit: "60s", "1.5s",
// "300ms" (not Go's "1m0s").
func roundDuration(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		d = d.Round(time.Second)
	case d >= time.Second:
		d = d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Millisecond).String()
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

// firstLine returns the first non-empty line of s, shortened.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 200 {
				l = l[:200] + "…"
			}
			return l
		}
	}
	return ""
}

// headBuffer keeps the first max bytes written to it and drops the rest.
type headBuffer struct {
	buf bytes.Buffer
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - h.buf.Len(); room > 0 {
		h.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (h *headBuffer) String() string { return h.buf.String() }
