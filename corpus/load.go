package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// ManifestName is the file name of an event manifest inside an event folder.
const ManifestName = "manifest.json"

// DefaultEventID names the event of a manifest-less catalogue root when the
// caller gives no better name.
const DefaultEventID = "archiv"

// manifest is the on-disk JSON form of one event folder.
type manifest struct {
	Event Event  `json:"event"`
	Talks []Talk `json:"talks"`
}

// Load reads a catalogue from fsys. The root may be
//   - an event folder with a manifest.json,
//   - a folder of event folders, each with or without a manifest, or
//   - a folder of PDFs without any manifest (one talk per PDF).
//
// Load returns every talk it could make sense of together with a
// *ValidationError listing each problem by file and field, so a caller can
// index what is usable and report the rest. It returns a nil catalogue only
// when fsys cannot be read at all.
func Load(fsys fs.FS) (*Catalogue, error) {
	return load(fsys, DefaultEventID)
}

// LoadDir loads the catalogue in the folder dir; a manifest-less root event
// is named after the folder.
func LoadDir(dir string) (*Catalogue, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("corpus: %s is not a folder", dir)
	}
	id := Slug(filepath.Base(abs))
	if id == "" {
		id = DefaultEventID
	}
	// os.Root refuses every name, symbolic links included, that leads
	// outside the folder.
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	defer root.Close()
	return load(root.FS(), id)
}

func load(fsys fs.FS, rootID string) (*Catalogue, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("corpus: read catalogue root: %w", err)
	}
	var (
		cat   Catalogue
		probs problems
	)
	if _, err := fs.Stat(fsys, ManifestName); err == nil {
		loadManifest(fsys, ".", rootID, &cat, &probs)
	} else {
		// Event folders first, then loose PDFs at the root.
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			dir := e.Name()
			if _, err := fs.Stat(fsys, path.Join(dir, ManifestName)); err == nil {
				loadManifest(fsys, dir, Slug(dir), &cat, &probs)
				continue
			}
			loadLoose(fsys, dir, Slug(dir), &cat, &probs)
		}
		loadLoose(fsys, ".", rootID, &cat, &probs)
	}
	checkUnique(&cat, &probs)
	cat.Problems = probs
	return &cat, probs.err()
}

// maxManifestBytes bounds the size of a manifest.
const maxManifestBytes = 16 << 20

// readManifest reads a manifest that is a regular file of at most
// maxManifestBytes; a named pipe is refused before it can block.
func readManifest(fsys fs.FS, file string) ([]byte, error) {
	st, err := fs.Stat(fsys, file)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	}
	if st.Size() > maxManifestBytes {
		return nil, fmt.Errorf("larger than %d MB", maxManifestBytes>>20)
	}
	return fs.ReadFile(fsys, file)
}

// loadManifest reads dir/manifest.json and appends its event and talks.
func loadManifest(fsys fs.FS, dir, fallbackID string, cat *Catalogue, probs *problems) {
	file := path.Join(dir, ManifestName)
	data, err := readManifest(fsys, file)
	if err != nil {
		probs.add(file, "", "cannot read: %v", err)
		return
	}
	var m manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		probs.add(file, "", "invalid JSON: %s", jsonErrorPos(data, err))
		return
	}
	ev := m.Event
	ev.Dir = dir
	if ev.ID == "" {
		probs.add(file, "event.id", "missing; using %q", fallbackID)
		ev.ID = fallbackID
	} else if !validID(ev.ID) {
		probs.add(file, "event.id", "%q may contain only letters, digits, '-', '_' and '.'", ev.ID)
		ev.ID = fallbackID
	}
	if strings.TrimSpace(ev.Name) == "" {
		probs.add(file, "event.name", "missing")
		ev.Name = ev.ID
	}
	if ev.Year != 0 && (ev.Year < 1900 || ev.Year > 2200) {
		probs.add(file, "event.year", "%d is not a plausible year", ev.Year)
		ev.Year = 0
	}
	cat.Events = append(cat.Events, ev)
	for i, t := range m.Talks {
		field := fmt.Sprintf("talks[%d]", i)
		t.EventID = ev.ID
		if !validTalk(fsys, file, field, ev, &t, probs) {
			continue
		}
		cat.Talks = append(cat.Talks, t)
	}
}

// validTalk normalises t in place and records its problems. It reports
// false when the talk cannot be used at all (no usable id).
func validTalk(fsys fs.FS, file, field string, ev Event, t *Talk, probs *problems) bool {
	if !validMeta(file, field, t, probs) {
		return false
	}
	validFiles(fsys, file, field, ev, t, probs)
	return true
}

// validMeta normalises the metadata of t (everything but its files) in
// place and records its problems. It reports false when the talk has no
// usable id.
func validMeta(file, field string, t *Talk, probs *problems) bool {
	t.ID = strings.TrimSpace(t.ID)
	switch {
	case t.ID == "":
		probs.add(file, field+".id", "missing")
		return false
	case !validID(t.ID):
		probs.add(file, field+".id", "%q may contain only letters, digits, '-', '_' and '.'", t.ID)
		return false
	}
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		probs.add(file, field+".title", "empty")
		t.Title = t.ID
	}
	switch k, ok := canonicalKind(t.Kind); {
	case t.Kind == "":
		t.Kind = KindTalk
	case !ok:
		probs.add(file, field+".kind", "unknown kind %q (one of %s)", t.Kind, strings.Join(Kinds, ", "))
		t.Kind = KindTalk
	default:
		t.Kind = k
	}
	validLists(file, field, t, probs)
	return true
}

// validLists drops the unknown states, empty topics and nameless speakers
// of t, recording each as a problem, and normalises the rest.
func validLists(file, field string, t *Talk, probs *problems) {
	states := t.States[:0]
	for j, s := range t.States {
		c, ok := CanonicalState(s)
		if !ok {
			probs.add(file, fmt.Sprintf("%s.states[%d]", field, j), "unknown state %q", s)
			continue
		}
		states = append(states, c)
	}
	t.States = states
	topics := t.Topics[:0]
	for j, s := range t.Topics {
		if s = strings.TrimSpace(s); s == "" {
			probs.add(file, fmt.Sprintf("%s.topics[%d]", field, j), "empty")
			continue
		}
		topics = append(topics, s)
	}
	t.Topics = topics
	speakers := t.Speakers[:0]
	for j, s := range t.Speakers {
		s.Name, s.Role, s.Organisation = strings.TrimSpace(s.Name), strings.TrimSpace(s.Role), strings.TrimSpace(s.Organisation)
		if s.Label() == "" {
			probs.add(file, fmt.Sprintf("%s.speakers[%d]", field, j), "needs a name or an organisation")
			continue
		}
		speakers = append(speakers, s)
	}
	t.Speakers = speakers
}

// validFiles cleans t's file references and drops those that are unusable,
// recording each as a problem.
func validFiles(fsys fs.FS, file, field string, ev Event, t *Talk, probs *problems) {
	t.Files.Slides = checkFile(fsys, file, field+".files.slides", ev.Dir, t.Files.Slides, ".pdf", probs)
	t.Files.Transcript = checkFile(fsys, file, field+".files.transcript", ev.Dir, t.Files.Transcript, "", probs)
	validRecording(file, field, t, probs)
}

// validRecording drops a recording URL that is not http(s).
func validRecording(file, field string, t *Talk, probs *problems) {
	if r := t.Files.Recording; r != "" {
		if u, err := url.Parse(r); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			probs.add(file, field+".files.recording", "%q is not an http(s) URL", r)
			t.Files.Recording = ""
		}
	}
}

// checkFile validates a file reference relative to the event folder and
// returns it cleaned, or "" when it is unusable.
func checkFile(fsys fs.FS, file, field, dir, name, ext string, probs *problems) string {
	if name == "" {
		return ""
	}
	clean := path.Clean(name)
	if !fs.ValidPath(clean) || clean == "." {
		probs.add(file, field, "%q must be a relative path inside the event folder", name)
		return ""
	}
	if ext != "" && !strings.EqualFold(path.Ext(clean), ext) {
		probs.add(file, field, "%q is not a %s file", name, ext)
		return ""
	}
	st, err := fs.Stat(fsys, path.Join(dir, clean))
	if err != nil {
		if lst, lerr := fs.Lstat(fsys, path.Join(dir, clean)); !errors.Is(err, fs.ErrNotExist) || lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			// A symbolic link (of the file or a folder on its path) that
			// leads outside the root or nowhere: the indexer refuses to
			// read it and says so in its report.
			return clean
		}
		probs.add(file, field, "file %q not found", name)
		return ""
	}
	if st.IsDir() {
		probs.add(file, field, "%q is a folder, not a file", name)
		return ""
	}
	return clean
}

// transcriptExts are the transcript file types paired with a loose PDF.
var transcriptExts = []string{".vtt", ".srt", ".txt", ".md"}

// loadLoose adds one talk per PDF found below dir (which has no manifest).
func loadLoose(fsys fs.FS, dir, id string, cat *Catalogue, probs *problems) {
	var pdfs []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			probs.add(p, "", "cannot read: %v", err)
			return nil
		}
		if d.IsDir() {
			// At the root, event folders were handled separately.
			if p != dir && (dir == "." && path.Dir(p) == "." || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.EqualFold(path.Ext(p), ".pdf") {
			pdfs = append(pdfs, p)
		}
		return nil
	})
	if err != nil {
		probs.add(dir, "", "cannot read: %v", err)
	}
	if len(pdfs) == 0 {
		return
	}
	sort.Strings(pdfs)
	ev := Event{ID: id, Name: id, Dir: dir}
	cat.Events = append(cat.Events, ev)
	for _, p := range pdfs {
		rel := strings.TrimPrefix(p, dir+"/")
		if dir == "." {
			rel = p
		}
		base := strings.TrimSuffix(path.Base(p), path.Ext(p))
		t := Talk{
			ID:            base,
			EventID:       id,
			Title:         titleFromFile(base),
			Kind:          KindTalk,
			Files:         Files{Slides: rel},
			TitleFromFile: true,
		}
		stem := strings.TrimSuffix(rel, path.Ext(rel))
		for _, ext := range transcriptExts {
			if _, err := fs.Stat(fsys, path.Join(dir, stem+ext)); err == nil {
				t.Files.Transcript = stem + ext
				break
			}
		}
		if !validID(t.ID) {
			probs.add(p, "", "file name %q cannot serve as a talk id (no '/' or control characters)", base)
			continue
		}
		cat.Talks = append(cat.Talks, t)
	}
}

// checkUnique reports talk ids used more than once and keeps the first.
func checkUnique(cat *Catalogue, probs *problems) {
	seen := make(map[string]Talk, len(cat.Talks))
	talks := cat.Talks[:0]
	for _, t := range cat.Talks {
		if first, dup := seen[t.ID]; dup {
			ev, _ := cat.Event(t.EventID)
			probs.add(path.Join(ev.Dir, ManifestName), "talks.id", "duplicate talk id %q (first used in event %q); talk ids must be unique across the catalogue", t.ID, first.EventID)
			continue
		}
		seen[t.ID] = t
		talks = append(talks, t)
	}
	cat.Talks = talks
	// An event whose talks were all dropped still exists; that is fine.
}

// validID reports whether s can be used as an id in URLs and index keys.
func validID(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > 200 {
		return false
	}
	for _, r := range s {
		if r == '/' || r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ' {
			return false
		}
	}
	return true
}

// Slug turns a folder or file name into an id: lower case, spaces to '-'.
func Slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), ".-")
}

func titleFromFile(base string) string {
	t := strings.Join(strings.Fields(strings.ReplaceAll(base, "_", " ")), " ")
	if t == "" {
		return base
	}
	return t
}

// jsonErrorPos renders a JSON decoding error with line and column.
func jsonErrorPos(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return err.Error()
	}
	line := 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:min(int(off), len(data))], '\n')
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}
