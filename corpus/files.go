package corpus

import (
	"io/fs"
	"path"
)

// FileFS returns a read-only file system that serves exactly the files the
// catalogue's talks reference, under the names FilePath gives them
// ("itf2018/slides/x.pdf"). Every other name, including folders, manifests
// and anything outside the catalogue, does not exist in it.
func (c *Catalogue) FileFS(root fs.FS) fs.FS {
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
	return fileFS{root: root, allowed: allowed}
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

type fileFS struct {
	root    fs.FS
	allowed map[string]string
}

func (f fileFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	p, ok := f.allowed[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.root.Open(p)
}
