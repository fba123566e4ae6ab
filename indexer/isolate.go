package indexer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Isolation: with ExtractConfig.Isolate, every file is extracted by a child
// process, which is this same executable started with ChildEnv set. The
// parent writes a one-line JSON request and the PDF bytes to the child's
// standard input and reads one JSON answer from its standard output. The
// child bounds its own memory before it reads the PDF (a hard address
// space limit, which the external tools it starts inherit, and a soft limit
// for the garbage collector); the parent kills the child's process group at
// the time limit, or when the child's resident memory passes the limit
// (the one bound that also holds under the race detector, where the
// address space limit cannot be used). Whatever happens to the child, the
// parent gets an error that says so.
//
// One child per file costs a process start, about 10 ms (see
// BenchmarkIsolation), small next to extracting a deck.

// ChildEnv is the environment variable that makes a talksearch executable
// an extraction child (see ServeExtractChild).
const ChildEnv = "TALKSEARCH_EXTRACT_CHILD"

// ExtractChildRequested reports whether this process was started as an
// extraction child. main (and TestMain of packages whose tests index with
// isolation) call ServeExtractChild first thing when it does.
func ExtractChildRequested() bool { return os.Getenv(ChildEnv) == "1" }

// ServeExtractChild serves one extraction request from in, writes the
// answer to out and returns the process exit code.
func ServeExtractChild(in io.Reader, out io.Writer) int {
	return serveChild(in, out, nil)
}

// Child operations.
const (
	opExtract = "extract" // walker, pdftotext where it fails
	opOCR     = "ocr"     // one page through pdftoppm and tesseract
)

type childRequest struct {
	Op       string        `json:"op"`
	Page     int           `json:"page,omitempty"`
	Tools    tools         `json:"tools"`
	Timeout  time.Duration `json:"timeout"`
	MemoryMB int           `json:"memory_mb"`
}

type childAnswer struct {
	Doc  *Document `json:"doc,omitempty"`
	Err  string    `json:"err,omitempty"`
	Kind string    `json:"kind,omitempty"` // what Err wraps: see errorKinds
}

// errorKinds carry the sentinel errors across the process boundary.
var errorKinds = map[string]error{
	"encrypted":  ErrEncrypted,
	"unreadable": ErrUnreadable,
	"timeout":    ErrTimedOut,
	"memory":     ErrOutOfMemory,
}

// childHook, in tests only, lets a request make the child misbehave.
type childHook func(req childRequest, data []byte)

func serveChild(in io.Reader, out io.Writer, hook childHook) int {
	br := bufio.NewReader(in)
	line, err := br.ReadBytes('\n')
	var req childRequest
	if err == nil {
		err = json.Unmarshal(line, &req)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "talksearch extraction child: bad request:", err)
		return 2
	}
	limitMemory(req.MemoryMB)
	data, err := io.ReadAll(br)
	if err != nil {
		fmt.Fprintln(os.Stderr, "talksearch extraction child: read:", err)
		return 2
	}
	if hook != nil {
		hook(req, data)
	}
	ctx := context.Background()
	var (
		ans childAnswer
		doc *Document
	)
	switch req.Op {
	case opExtract:
		doc, err = extractText(ctx, req.Tools, data, req.Timeout)
	case opOCR:
		var text string
		text, err = ocrPage(ctx, req.Tools, data, req.Page, req.Timeout)
		doc = &Document{Pages: []Page{{Number: req.Page, Text: text, Extractor: ExtractorOCR}}}
	default:
		err = fmt.Errorf("unknown operation %q", req.Op)
	}
	if err != nil {
		ans.Err = err.Error()
		var le *limitError
		if errors.As(err, &le) {
			// Keep the person-readable form: the parent cannot rebuild it.
			ans.Err = le.reason()
		}
		for kind, target := range errorKinds {
			if errors.Is(err, target) {
				ans.Kind = kind
			}
		}
	} else {
		ans.Doc = doc
	}
	if err := json.NewEncoder(out).Encode(ans); err != nil {
		fmt.Fprintln(os.Stderr, "talksearch extraction child: write:", err)
		return 2
	}
	return 0
}

// childError is an error the child reported, with its sentinel.
type childError struct {
	kind error
	msg  string
}

func (e *childError) Error() string { return e.msg }
func (e *childError) Unwrap() error { return e.kind }

// runChild runs one request in a child process and returns its document.
func (e *Extractor) runChild(ctx context.Context, req childRequest, data []byte) (*Document, error) {
	req.Timeout, req.MemoryMB = e.cfg.FileTimeout, e.cfg.MemoryLimitMB
	what := "extraction"
	if req.Op == opOCR {
		what = "OCR of page " + strconv.Itoa(req.Page)
	}
	header, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("indexer: %w", err)
	}
	runCtx, cancel := context.WithTimeout(ctx, e.cfg.FileTimeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, e.exe)
	cmd.Env = append(os.Environ(), ChildEnv+"=1")
	if raceEnabled {
		// The race runtime waits a second at exit by default.
		cmd.Env = append(cmd.Env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	cmd.Stdin = io.MultiReader(bytes.NewReader(append(header, '\n')), bytes.NewReader(data))
	var stdout bytes.Buffer
	stderr := &headBuffer{max: 8 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	cmd.WaitDelay = 2 * time.Second
	setChildAttrs(cmd)
	if err := cmd.Start(); err != nil {
		return nil, &crashError{"cannot start the extraction child: " + err.Error()}
	}
	var tooBig atomic.Bool
	stopWatch := watchMemory(cmd.Process.Pid, int64(e.cfg.MemoryLimitMB)<<20, func() {
		tooBig.Store(true)
		cancel()
	})
	err = cmd.Wait()
	stopWatch()

	memLimit := strconv.Itoa(e.cfg.MemoryLimitMB) + " MB"
	switch {
	case tooBig.Load():
		return nil, &limitError{kind: ErrOutOfMemory, what: what, limit: memLimit}
	case ctx.Err() != nil:
		return nil, fmt.Errorf("indexer: %w", ctx.Err())
	case errors.Is(runCtx.Err(), context.DeadlineExceeded):
		return nil, &limitError{kind: ErrTimedOut, what: what, limit: roundDuration(e.cfg.FileTimeout)}
	case err != nil:
		msg := stderr.String()
		if strings.Contains(msg, "out of memory") || strings.Contains(msg, "cannot allocate memory") {
			return nil, &limitError{kind: ErrOutOfMemory, what: what, limit: memLimit}
		}
		return nil, &crashError{fmt.Sprintf("%s (%v)", crashLine(msg), err)}
	}
	var ans childAnswer
	if err := json.Unmarshal(stdout.Bytes(), &ans); err != nil {
		return nil, &crashError{"unreadable answer: " + err.Error()}
	}
	if ans.Err != "" {
		kind := errorKinds[ans.Kind]
		if kind == nil {
			return nil, errors.New(ans.Err)
		}
		return nil, &childError{kind: kind, msg: ans.Err}
	}
	if ans.Doc == nil {
		return nil, &crashError{"empty answer"}
	}
	return ans.Doc, nil
}

// crashLine picks the line of a child's error output that says what
// happened: a Go panic or fatal error, else the first line.
func crashLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return firstLine(l)
		}
	}
	if l := firstLine(stderr); l != "" {
		return l
	}
	return "no message"
}
