package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Admin changes the corpus and re-indexes it: what the admin endpoints
// need. cmd implements it; api only reads the request and says the
// outcome in German. Its errors are *AdminError where the request is
// refused; any other error is a 500.
type Admin interface {
	// AddTalk writes the upload into the corpus, indexes it and returns
	// the new talk's id once it can be found.
	AddTalk(ctx context.Context, up *Upload) (string, error)
	// DeleteTalk removes a talk from the corpus and the index.
	DeleteTalk(ctx context.Context, id string) error
	// Reindex starts a re-index of the whole corpus in the background.
	Reindex(ctx context.Context) (Job, error)
	// Job returns a job by id, false when there is none.
	Job(id string) (Job, bool)
}

// Upload is a talk sent to POST /api/v1/admin/talks: its metadata as the
// client wrote it, its PDF and optionally its transcript.
type Upload struct {
	Event     string // event id
	EventName string // name of a new event
	EventYear int    // year of a new event; 0 when not given
	ID        string // talk id; "" derives one from the title
	Title     string
	Kind      string
	Speakers  []UploadSpeaker
	States    []string
	Topics    []string
	Recording string
	PDF       UploadFile
	// Transcript is the transcript; its Content is nil when none was sent.
	Transcript UploadFile
}

// UploadSpeaker is one speaker of an upload.
type UploadSpeaker struct {
	Name         string `json:"name"`
	Role         string `json:"role"`
	Organisation string `json:"organisation"`
}

// UploadFile is a file of an upload: the client's file name (only its
// extension may be used), its size and its content.
type UploadFile struct {
	Name    string
	Size    int64
	Content io.Reader
}

// AdminReason is why an admin request was refused.
type AdminReason int

// Reasons for refusing an admin request; each has its status and German
// text in adminProblem.
const (
	AdminBadField        AdminReason = iota + 1 // a form field is invalid (Field, Value)
	AdminMissingField                           // a required form field is missing (Field)
	AdminNotPDF                                 // the file is not a PDF by its content
	AdminNotTranscript                          // the transcript is not UTF-8 text of a known type
	AdminTooLarge                               // a file is over the size limit
	AdminUnreadablePDF                          // the PDF cannot be read (Value: the English cause)
	AdminTalkExists                             // a talk with the id exists (Value: the id)
	AdminTalkNotFound                           // no talk has the id
	AdminEventNoManifest                        // the event is a folder of PDFs without manifest.json
	AdminSingleEvent                            // the corpus is one event; no other can be added
	AdminReadOnly                               // serve runs on the bundled sample
	AdminJobRunning                             // a re-index is running (Value: its id)
	AdminWriteFailed                            // the corpus could not be written; nothing changed
	AdminJobNotFound                            // no job has the id
	AdminStopping                               // the server is stopping and starts no more jobs
)

// AdminError is a refused admin request.
type AdminError struct {
	Reason AdminReason
	Field  string // the form field concerned
	Value  string // what was sent, or what the reason names
	Err    error  // the cause, for the log
}

func (e *AdminError) Error() string {
	msg := "admin request refused (reason " + strconv.Itoa(int(e.Reason)) + ")"
	if e.Field != "" {
		msg += " field " + e.Field
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *AdminError) Unwrap() error { return e.Err }

// Job is a background job of the admin API.
type Job struct {
	ID       string      `json:"id"`
	Kind     string      `json:"kind"`  // reindex
	State    string      `json:"state"` // running, done or failed
	Started  time.Time   `json:"started"`
	Finished *time.Time  `json:"finished,omitempty"`
	Progress JobProgress `json:"progress"`
	// Failed lists the files that could not be read, once the job is done.
	Failed []JobFailure `json:"failed"`
}

// JobProgress is how far a job has come.
type JobProgress struct {
	Talks    int `json:"talks"`    // talks to index in this run
	Done     int `json:"done"`     // of those, done
	Skipped  int `json:"skipped"`  // unchanged talks
	Removed  int `json:"removed"`  // talks removed
	Pages    int `json:"pages"`    // slides read
	Segments int `json:"segments"` // transcript passages read
}

// JobFailure is a file a job could not read, and why (in English, as the
// index report says it).
type JobFailure struct {
	Talk   string `json:"talk"`
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Job states.
const (
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// jobJSON is a job on the wire, with a German message.
type jobJSON struct {
	Job
	Message string `json:"message"`
	URL     string `json:"url"`
}

var jobMessages = map[string]string{
	JobRunning: "Die Neuindizierung läuft.",
	JobDone:    "Die Neuindizierung ist abgeschlossen.",
	JobFailed:  "Die Neuindizierung ist fehlgeschlagen; Einzelheiten stehen im Protokoll des Servers. Der bisherige Index bleibt nutzbar.",
}

var errUnauthorized = errors.New("admin: missing or wrong token")

// adminRoutes registers the admin API when it is configured; otherwise
// its paths do not exist (404).
func (a *app) adminRoutes(e *echo.Echo) {
	if a.cfg.Admin == nil || a.cfg.AdminToken == "" {
		return
	}
	auth := a.requireToken()
	e.POST("/api/v1/admin/talks", a.adminAddTalk, auth, a.requireReady)
	e.DELETE("/api/v1/admin/talks/:id", a.adminDeleteTalk, auth, a.requireReady)
	e.POST("/api/v1/admin/reindex", a.adminReindex, auth, a.requireReady)
	e.GET("/api/v1/admin/jobs/:id", a.adminJob, auth, noBody)
}

// requireToken lets a request through only with the admin token as its
// bearer token. Both sides are hashed first, so the comparison takes the
// same time whatever the token's length. A refusal leaves the access
// log's line and nothing else; the token is never logged.
func (a *app) requireToken() echo.MiddlewareFunc {
	want := sha256.Sum256([]byte(a.cfg.AdminToken))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
			got := sha256.Sum256([]byte(strings.TrimSpace(token)))
			if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !strings.EqualFold(scheme, "Bearer") {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="talksearch-admin"`)
				return errUnauthorized
			}
			return next(c)
		}
	}
}

// maxFormBytes bounds the metadata fields of an upload together.
const maxFormBytes = 1 << 20

// adminAddTalk answers POST /api/v1/admin/talks: a multipart form with
// the PDF ("pdf"), optionally a transcript ("transcript") and the
// metadata. 201 with the talk and its URL in Location.
func (a *app) adminAddTalk(c echo.Context) error {
	req := c.Request()
	if mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); mt != echo.MIMEMultipartForm {
		return &AdminError{Reason: AdminBadField, Field: "Content-Type", Value: req.Header.Get(echo.HeaderContentType)}
	}
	limit := a.cfg.AdminMaxUpload
	req.Body = http.MaxBytesReader(c.Response(), req.Body, 2*limit+maxFormBytes)
	if err := req.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &AdminError{Reason: AdminTooLarge, Err: err}
		}
		return &AdminError{Reason: AdminBadField, Field: "Content-Type", Value: "multipart/form-data", Err: err}
	}
	defer req.MultipartForm.RemoveAll()
	up, closeFiles, err := readUpload(req.MultipartForm, limit)
	defer closeFiles()
	if err != nil {
		return err
	}
	id, err := a.cfg.Admin.AddTalk(req.Context(), up)
	if err != nil {
		return err
	}
	t, err := a.s.Talk(req.Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.talkURL(id))
	c.Response().Header().Set(echo.HeaderCacheControl, cacheNever)
	return writeJSON(c, http.StatusCreated, a.talkJSON(*t))
}

// readUpload reads the fields and files of the form. The returned
// function closes the files.
func readUpload(form *multipart.Form, limit int64) (*Upload, func(), error) {
	var files []multipart.File
	closeFiles := func() {
		for _, f := range files {
			f.Close()
		}
	}
	v := func(name string) string { return strings.TrimSpace(first(form.Value[name])) }
	up := &Upload{Event: v("event"), EventName: v("event_name"), ID: v("id"), Title: v("title"), Kind: v("kind"),
		States: form.Value["states"], Topics: form.Value["topics"], Recording: v("recording")}
	if s := v("event_year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return nil, closeFiles, &AdminError{Reason: AdminBadField, Field: "event_year", Value: s}
		}
		up.EventYear = y
	}
	if s := v("speakers"); s != "" {
		if err := json.Unmarshal([]byte(s), &up.Speakers); err != nil {
			return nil, closeFiles, &AdminError{Reason: AdminBadField, Field: "speakers", Value: s, Err: err}
		}
	}
	for _, name := range []string{"event", "title"} {
		if v(name) == "" {
			return nil, closeFiles, &AdminError{Reason: AdminMissingField, Field: name}
		}
	}
	for _, part := range []struct {
		name string
		dst  *UploadFile
	}{{"pdf", &up.PDF}, {"transcript", &up.Transcript}} {
		fhs := form.File[part.name]
		if len(fhs) == 0 {
			continue
		}
		if fhs[0].Size > limit {
			return nil, closeFiles, &AdminError{Reason: AdminTooLarge, Field: part.name}
		}
		f, err := fhs[0].Open()
		if err != nil {
			return nil, closeFiles, err
		}
		files = append(files, f)
		*part.dst = UploadFile{Name: fhs[0].Filename, Size: fhs[0].Size, Content: f}
	}
	if up.PDF.Content == nil {
		return nil, closeFiles, &AdminError{Reason: AdminMissingField, Field: "pdf"}
	}
	if err := checkPDFHead(files[0]); err != nil {
		return nil, closeFiles, err
	}
	return up, closeFiles, nil
}

// checkPDFHead refuses a file that does not start as a PDF does: "%PDF-"
// within its first 1024 bytes, where PDF readers look for it. It leaves
// the file at its start.
func checkPDFHead(f multipart.File) error {
	head := make([]byte, 1024)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if !bytes.Contains(head[:n], []byte("%PDF-")) {
		return &AdminError{Reason: AdminNotPDF, Field: "pdf"}
	}
	return nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// adminDeleteTalk answers DELETE /api/v1/admin/talks/:id with 204.
func (a *app) adminDeleteTalk(c echo.Context) error {
	id, err := talkID(c)
	if err != nil {
		return &AdminError{Reason: AdminTalkNotFound}
	}
	if err := a.cfg.Admin.DeleteTalk(c.Request().Context(), id); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, cacheNever)
	return c.NoContent(http.StatusNoContent)
}

// adminReindex answers POST /api/v1/admin/reindex with 202 and the job,
// whose URL is in Location.
func (a *app) adminReindex(c echo.Context) error {
	job, err := a.cfg.Admin.Reindex(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, a.jobURL(job.ID))
	return a.writeJob(c, http.StatusAccepted, job)
}

// adminJob answers GET /api/v1/admin/jobs/:id.
func (a *app) adminJob(c echo.Context) error {
	job, ok := a.cfg.Admin.Job(c.Param("id"))
	if !ok {
		return &AdminError{Reason: AdminJobNotFound}
	}
	return a.writeJob(c, http.StatusOK, job)
}

func (a *app) writeJob(c echo.Context, status int, job Job) error {
	if job.Failed == nil {
		job.Failed = []JobFailure{}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, cacheNever)
	return writeJSON(c, status, jobJSON{Job: job, Message: jobMessages[job.State], URL: a.jobURL(job.ID)})
}

func (a *app) jobURL(id string) string {
	return a.cfg.BaseURL + "/api/v1/admin/jobs/" + id
}
