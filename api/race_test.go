//go:build race

package api

// raceEnabled: the race detector multiplies memory use and slows every
// request, so the load test runs only without it.
const raceEnabled = true
