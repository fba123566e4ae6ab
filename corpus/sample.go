package corpus

import (
	"embed"
	"io/fs"
)

//go:embed sample/itf2018
var sampleFS embed.FS

// Sample returns the bundled sample corpus (the 2018 Mitteldeutscher
// IT-Fachtag) as a catalogue root: a folder of event folders.
//
// Its slide decks are generated from corpus/sample/src by
// `go run ./corpus/sample/gen` and committed.
func Sample() fs.FS {
	sub, err := fs.Sub(sampleFS, "sample")
	if err != nil {
		// fs.Sub fails only for an invalid path, which is a constant here.
		panic(err)
	}
	return sub
}
