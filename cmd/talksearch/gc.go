package main

import (
	"runtime/debug"
)

// The garbage collector while serving, from the moment the server is
// ready (the first indexing runs with Go's defaults). A search allocates about a
// megabyte that is garbage when it is answered; with Go's default (GOGC
// 100) the collector ran so often at 8 concurrent clients that it took a
// sixth of the CPU. At 400 the heap may grow to five times what is live
// (a server of 100,000 slides peaked at 215 MB instead of 157 MB) and
// answers about 15 % more searches a second (BENCHMARKS.md); the soft
// limit makes the collector work harder before the heap reaches 768 MiB,
// well inside the 1 GiB a 2-core VM gives the service.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 768 << 20
)

// tuneGC sets the collector for serving, unless the operator set GOGC or
// GOMEMLIMIT (which Go itself reads), and returns the values in effect
// for the log: the GC percentage and the soft memory limit in bytes.
func tuneGC(getenv func(string) string) (gcPercent int, memoryLimit int64) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	gcPercent = debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent)
	return gcPercent, debug.SetMemoryLimit(-1)
}
