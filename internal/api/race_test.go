//go:build race

package api

// raceEnabled tells tests that the race detector slows them down.
const raceEnabled = true
