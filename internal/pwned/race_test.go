//go:build race

package pwned

// raceEnabled tells tests that the race detector slows them down.
const raceEnabled = true
