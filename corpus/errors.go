package corpus

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a catalogue, located by file and field.
type Problem struct {
	File  string // the manifest or data file, relative to the catalogue root
	Field string // for example "talks[3].states[0]"; empty for the whole file
	Msg   string
}

func (p Problem) String() string {
	loc := p.File
	if p.Field != "" {
		loc += ": " + p.Field
	}
	return loc + ": " + p.Msg
}

// ValidationError collects every problem found while loading a catalogue.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("corpus: %d problem(s):\n  %s", len(e.Problems), strings.Join(lines, "\n  "))
}

// problems accumulates Problems; its err method returns nil when empty.
type problems []Problem

func (ps *problems) add(file, field, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}
