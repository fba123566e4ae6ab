//go:build !race

package extract

// raceEnabled tells whether the race detector is built in.
const raceEnabled = false
