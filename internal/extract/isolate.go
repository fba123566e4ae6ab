package extract

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/talksearch/talksearch/internal/pdftext"
)

// Isolation: with Config.Isolate, files are extracted by child
// processes, which are this same executable started with ChildEnv set.
// For each file the parent writes a one-line JSON request and the PDF
// bytes to a child's standard input and reads one JSON line back.
//
// A child bounds its own memory when it starts (a hard address space
// limit, which the external tools it runs inherit, and a soft limit for
// the garbage collector). The parent kills the child's process group when
// a request overruns the time limit, or when the child's resident memory
// passes the memory limit (the one bound that also holds under the race
// detector, where the address space limit cannot be used). Whatever
// happens to a child, the parent gets an error that says so, and starts a
// fresh child for the next file.
//
// Children are kept for the next file: starting one costs about 20 ms,
// three times the extraction of a typical 12-page deck, while a kept child
// adds about 1 ms per file (BenchmarkIsolation). A child is retired after
// maxRequests files, or once its memory peaked above half the limit, so
// that every file starts in a child that has never needed much.

// ChildEnv is the environment variable that makes a talksearch executable
// an extraction child (see ServeChild).
const ChildEnv = "TALKSEARCH_EXTRACT_CHILD"

// childMemoryEnv passes the memory limit to a child.
const childMemoryEnv = "TALKSEARCH_EXTRACT_MEMORY_MB"

// maxRequests is the number of files one child extracts before it is
// replaced.
const maxRequests = 200

// ChildRequested reports whether this process was started as an
// extraction child. main (and TestMain of packages whose tests index with
// isolation) call ServeChild first thing when it does.
func ChildRequested() bool { return os.Getenv(ChildEnv) == "1" }

// ServeChild serves extraction requests from in, writing the
// answers to out, until in ends; it returns the process exit code.
func ServeChild(in io.Reader, out io.Writer) int {
	return serveChild(in, out, nil)
}

// Child operations.
const (
	opExtract = "extract" // walker, pdftotext where it fails
	opOCR     = "ocr"     // one page through pdftoppm and tesseract
)

type childRequest struct {
	Op      string        `json:"op"`
	Page    int           `json:"page,omitempty"`
	Tools   tools         `json:"tools"`
	Timeout time.Duration `json:"timeout"`
	Size    int           `json:"size"` // bytes of PDF after the request line
}

type childAnswer struct {
	Doc  *Document `json:"doc,omitempty"`
	Err  string    `json:"err,omitempty"`
	Kind string    `json:"kind,omitempty"` // what Err wraps: see errorKinds
}

// errorKinds carry the sentinel errors across the process boundary.
var errorKinds = map[string]error{
	"encrypted":  pdftext.ErrEncrypted,
	"unreadable": pdftext.ErrUnreadable,
	"timeout":    ErrTimedOut,
	"memory":     ErrOutOfMemory,
}

// childHook, in tests only, lets a request make the child misbehave.
type childHook func(req childRequest, data []byte)

func serveChild(in io.Reader, out io.Writer, hook childHook) int {
	if mb, err := strconv.Atoi(os.Getenv(childMemoryEnv)); err == nil {
		limitMemory(mb)
	}
	br := bufio.NewReader(in)
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			return 0
		}
		var req childRequest
		if err == nil {
			err = json.Unmarshal(line, &req)
		}
		if err == nil && (req.Size < 0 || req.Size > maxChildSize) {
			err = fmt.Errorf("size %d", req.Size)
		}
		var data []byte
		if err == nil {
			data = make([]byte, req.Size)
			_, err = io.ReadFull(br, data)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "talksearch extraction child: bad request:", err)
			return 2
		}
		if hook != nil {
			hook(req, data)
		}
		ans := answer(req, data)
		if err := json.NewEncoder(out).Encode(ans); err != nil {
			fmt.Fprintln(os.Stderr, "talksearch extraction child: write:", err)
			return 2
		}
	}
}

// answer carries out one request.
func answer(req childRequest, data []byte) childAnswer {
	var (
		doc *Document
		err error
	)
	ctx := context.Background()
	switch req.Op {
	case opExtract:
		doc, err = extractText(ctx, req.Tools, data, req.Timeout)
	case opOCR:
		var text string
		text, err = ocrPage(ctx, req.Tools, data, req.Page, req.Timeout)
		doc = &Document{Document: pdftext.Document{Pages: []pdftext.Page{{Number: req.Page, Text: text, Extractor: OCR}}}}
	default:
		err = fmt.Errorf("unknown operation %q", req.Op)
	}
	if err == nil {
		return childAnswer{Doc: doc}
	}
	ans := childAnswer{Err: err.Error()}
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
	return ans
}

// childError is an error the child reported, with its sentinel.
type childError struct {
	kind error
	msg  string
}

func (e *childError) Error() string { return e.msg }
func (e *childError) Unwrap() error { return e.kind }

// child is a running extraction child.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *lockedHead
	served int
}

// pool keeps idle children for the next request.
type pool struct {
	mu   sync.Mutex
	idle []*child
}

// Close ends the idle extraction children. The Extractor stays usable and
// starts new children when it needs them.
func (e *Extractor) Close() {
	e.pool.mu.Lock()
	idle := e.pool.idle
	e.pool.idle = nil
	e.pool.mu.Unlock()
	for _, c := range idle {
		c.retire()
	}
}

func (e *Extractor) getChild() (*child, error) {
	e.pool.mu.Lock()
	if n := len(e.pool.idle); n > 0 {
		c := e.pool.idle[n-1]
		e.pool.idle = e.pool.idle[:n-1]
		e.pool.mu.Unlock()
		return c, nil
	}
	e.pool.mu.Unlock()

	cmd := exec.Command(e.exe)
	cmd.Env = append(os.Environ(), ChildEnv+"=1", childMemoryEnv+"="+strconv.Itoa(e.cfg.MemoryLimitMB))
	if raceEnabled {
		// The race runtime waits a second at exit by default.
		cmd.Env = append(cmd.Env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: stdin, stdout: bufio.NewReader(stdout), stderr: &lockedHead{max: 8 << 10}}
	cmd.Stderr = c.stderr
	cmd.WaitDelay = 2 * time.Second
	setChildAttrs(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return c, nil
}

// putChild keeps a child for the next request, unless it has served
// enough or its memory peaked above half the limit.
func (e *Extractor) putChild(c *child) {
	c.served++
	if c.served >= maxRequests || procStatusKB(c.cmd.Process.Pid, "VmHWM:")<<10 > int64(e.cfg.MemoryLimitMB)<<19 {
		go c.retire()
		return
	}
	e.pool.mu.Lock()
	e.pool.idle = append(e.pool.idle, c)
	e.pool.mu.Unlock()
}

// retire ends a child by closing its input.
func (c *child) retire() {
	c.stdin.Close()
	if c.cmd.Wait() != nil {
		c.kill()
	}
}

// kill ends a child and the tools it runs at once.
func (c *child) kill() {
	killGroup(c.cmd)
	c.stdin.Close()
	c.cmd.Wait()
}

// runChild runs one request in a child process and returns its document.
func (e *Extractor) runChild(ctx context.Context, req childRequest, src Source) (*Document, error) {
	what := "extraction"
	if req.Op == opOCR {
		what = "OCR of page " + strconv.Itoa(req.Page)
	}
	c, err := e.getChild()
	if err != nil {
		return nil, &crashError{"cannot start the extraction child: " + err.Error()}
	}
	if src.Size < 0 || src.Size > maxChildSize {
		c.retire()
		return nil, fmt.Errorf("extract: a file of %d bytes is too large for the extraction child", src.Size)
	}
	req.Timeout, req.Size = e.cfg.FileTimeout, int(src.Size)
	header, err := json.Marshal(req)
	if err != nil {
		c.retire()
		return nil, fmt.Errorf("extract: %w", err)
	}
	c.stderr.reset()
	line, err := e.exchange(ctx, c, append(header, '\n'), src, what)
	if err != nil {
		return nil, err
	}
	return e.readAnswer(c, line)
}

// exchange writes a request to child c, streaming the file of src after
// it, and reads its answer line, within the time and memory limits: the
// time limit covers opening and reading the file. When c overruns them,
// dies, the file cannot be read or ctx ends, it kills c and says why.
func (e *Extractor) exchange(ctx context.Context, c *child, header []byte, src Source, what string) ([]byte, error) {
	type reply struct {
		line    []byte
		err     error
		readErr error // the file could not be read
	}
	replies := make(chan reply, 1)
	go func() {
		_, err := c.stdin.Write(header)
		var readErr error
		if err == nil {
			err = src.copyTo(writerOnly{c.stdin})
			if err != nil && !isWriteErr(err) {
				readErr, err = err, nil
			}
		}
		var line []byte
		if err == nil && readErr == nil {
			line, err = c.stdout.ReadBytes('\n')
		}
		replies <- reply{line, err, readErr}
	}()
	timer := time.NewTimer(e.cfg.FileTimeout)
	defer timer.Stop()
	tooBig := make(chan struct{})
	stopWatch := watchMemory(c.cmd.Process.Pid, int64(e.cfg.MemoryLimitMB)<<20, func() { close(tooBig) })
	memLimit := strconv.Itoa(e.cfg.MemoryLimitMB) + " MB"
	abort := func() { // kill the child mid-request
		stopWatch()
		killGroup(c.cmd)
		// A file that blocks on read (a stalled mount) keeps its goroutine;
		// it ends, unseen, when the read returns.
		select {
		case <-replies:
		case <-time.After(2 * time.Second):
		}
		c.kill()
	}

	var r reply
	select {
	case r = <-replies:
		stopWatch()
	case <-timer.C:
		abort()
		return nil, &limitError{kind: ErrTimedOut, what: what, limit: roundDuration(e.cfg.FileTimeout)}
	case <-tooBig:
		abort()
		return nil, &limitError{kind: ErrOutOfMemory, what: what, limit: memLimit}
	case <-ctx.Done():
		abort()
		return nil, fmt.Errorf("extract: %w", ctx.Err())
	}
	if r.readErr != nil {
		c.kill()
		return nil, fmt.Errorf("extract: read: %w", r.readErr)
	}
	if r.err != nil {
		// The child died on its own.
		c.kill()
		msg := c.stderr.String()
		if strings.Contains(msg, "out of memory") || strings.Contains(msg, "cannot allocate memory") {
			return nil, &limitError{kind: ErrOutOfMemory, what: what, limit: memLimit}
		}
		detail := crashLine(msg)
		if state := c.cmd.ProcessState; state != nil {
			detail += " (" + state.String() + ")"
		}
		return nil, &crashError{detail}
	}
	return r.line, nil
}

// readAnswer decodes child c's answer line and puts c back for the next
// request.
func (e *Extractor) readAnswer(c *child, line []byte) (*Document, error) {
	var ans childAnswer
	if err := json.Unmarshal(line, &ans); err != nil {
		c.kill()
		return nil, &crashError{"unreadable answer: " + err.Error()}
	}
	e.putChild(c)
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

// maxChildSize is the largest file a child accepts.
const maxChildSize = 1 << 31

// writeError marks an error of writing to the child, as opposed to reading
// the file.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

func isWriteErr(err error) bool {
	var we *writeError
	return errors.As(err, &we)
}

// writerOnly marks the errors of writing to w as writeErrors.
type writerOnly struct{ w io.Writer }

func (w writerOnly) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil {
		err = &writeError{err}
	}
	return n, err
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

// lockedHead keeps the first max bytes written since the last reset.
type lockedHead struct {
	mu sync.Mutex
	headBuffer
	max int
}

func (h *lockedHead) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.headBuffer.max = h.max
	return h.headBuffer.Write(p)
}

func (h *lockedHead) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.headBuffer.String()
}

func (h *lockedHead) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf.Reset()
}
