// Package archtest holds no code, only a test: it checks that imports
// point the way ARCHITECTURE.md says, using `go list -deps`, so a change
// that lets a library leak into the wrong room fails CI.
//
// It imports nothing of talksearch.
package archtest
