package corpus

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
)

func TestFileFS(t *testing.T) {
	root := fstest.MapFS{
		"itf/manifest.json": file(`{"event": {"id": "itf2018", "name": "Fachtag"}, "talks": [{"id": "a", "title": "A", "files": {"slides": "slides/a.pdf", "transcript": "a.txt"}}]}`),
		"itf/slides/a.pdf":  file("%PDF-a"),
		"itf/a.txt":         file("Hallo"),
		"itf/geheim.pdf":    file("%PDF-secret"),
	}
	cat, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	ffs := cat.FileFS(root)
	ffs.Publish(nil)
	tests := []struct {
		name string
		want string // "" means must not open
	}{
		{"itf2018/slides/a.pdf", "%PDF-a"},
		{"itf2018/a.txt", "Hallo"},
		{"itf2018/geheim.pdf", ""},
		{"itf2018/manifest.json", ""},
		{"itf/slides/a.pdf", ""},
		{"itf2018/../itf/geheim.pdf", ""},
		{"itf2018", ""},
		{"/etc/passwd", ""},
	}
	for _, tt := range tests {
		data, err := fs.ReadFile(ffs, tt.name)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s: opened, want refused", tt.name)
			} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrInvalid) {
				t.Errorf("%s: err = %v", tt.name, err)
			}
			continue
		}
		if err != nil || string(data) != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.name, data, err, tt.want)
		}
	}
}
