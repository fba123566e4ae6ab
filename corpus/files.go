package corpus

import (
	"fmt"
	"io/fs"
	"path"
	"sync"
)

// FileFS returns a read-only file system that serves exactly the files the
// catalogue's talks reference, under the names FilePath gives them
// ("itf2018/slides/x.pdf"), once Publish says which of them were read.
// Every other name, including folders, manifests, anything outside the
// catalogue and anything that is not a regular file, does not exist in it.
//
// root should refuse names that leave it (os.Root.FS, an embed.FS, a
// MapFS): FileFS checks the names it is given, not where root's symbolic
// links lead.
func (c *Catalogue) FileFS(root fs.FS) *FileSet {
	return &FileSet{root: root, allowed: c.files()}
}

// files maps the public name of every file the talks reference to its
// name in the catalogue root.
func (c *Catalogue) files() map[string]string {
	allowed := make(map[string]string)
	for _, t := range c.Talks {
		ev, ok := c.Event(t.EventID)
		if !ok {
			continue
		}
		for _, f := range []string{t.Files.Slides, t.Files.Transcript} {
			if f != "" {
				allowed[path.Join(ev.ID, f)] = path.Join(ev.Dir, f)
			}
		}
	}
	return allowed
}

// FilePath is the public name of a talk's file: the event id joined with the
// path relative to the event folder. It is "" when rel is "".
func FilePath(eventID, rel string) string {
	if rel == "" {
		return ""
	}
	return path.Join(eventID, rel)
}

// Path returns the location of a talk's file inside the catalogue root.
func (c *Catalogue) Path(t Talk, rel string) string {
	ev, _ := c.Event(t.EventID)
	return path.Join(ev.Dir, rel)
}

// FileSet is the fs.FS of FileFS. It is safe for concurrent use.
type FileSet struct {
	root fs.FS

	mu        sync.RWMutex
	allowed   map[string]string // public name → name in root
	published bool
	withheld  map[string]bool // public names
}

// Publish serves the catalogue's files except those named in withheld
// (public names, as FilePath gives them): the files that could not be
// read. Until the first call nothing is served. Each call replaces the
// withheld set of the one before.
func (s *FileSet) Publish(withheld []string) {
	w := make(map[string]bool, len(withheld))
	for _, n := range withheld {
		w[n] = true
	}
	s.mu.Lock()
	s.published, s.withheld = true, w
	s.mu.Unlock()
}

// Reload serves the files of c, a new version of the catalogue, instead
// of those it served, except withheld (as in Publish), in one step: a
// file added to the catalogue appears, a file removed from it is gone.
func (s *FileSet) Reload(c *Catalogue, withheld []string) {
	allowed := c.files()
	w := make(map[string]bool, len(withheld))
	for _, n := range withheld {
		w[n] = true
	}
	s.mu.Lock()
	s.allowed, s.published, s.withheld = allowed, true, w
	s.mu.Unlock()
}

// Open opens a published regular file. It checks the file's type before
// opening it, so that a named pipe never blocks.
func (s *FileSet) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	s.mu.RLock()
	p, ok := s.allowed[name]
	ok = ok && s.published && !s.withheld[name]
	s.mu.RUnlock()
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	st, err := fs.Stat(s.root, p)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w: not a regular file", fs.ErrNotExist)}
	}
	return s.root.Open(p)
}

// Published returns the files s serves: each public name mapped to its
// name in the root, without the withheld ones; empty before Publish.
// PublishedFS serves the same files from another process's copy of the
// root.
func (s *FileSet) Published() map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]string, len(s.allowed))
	if !s.published {
		return out
	}
	for name, p := range s.allowed {
		if !s.withheld[name] {
			out[name] = p
		}
	}
	return out
}

// PublishedFS returns a FileSet that serves exactly files of root, each
// public name mapped to its name in root, as Published returned them: a
// replica serves what its writer published without reading the
// catalogue. The same checks as in FileFS apply.
func PublishedFS(root fs.FS, files map[string]string) *FileSet {
	allowed := make(map[string]string, len(files))
	for name, p := range files {
		if fs.ValidPath(name) && fs.ValidPath(p) {
			allowed[name] = p
		}
	}
	return &FileSet{root: root, allowed: allowed, published: true, withheld: map[string]bool{}}
}
