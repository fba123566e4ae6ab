//go:build !race

package indexer

// raceEnabled tells whether the race detector is built in.
const raceEnabled = false
