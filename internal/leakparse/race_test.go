//go:build race

package leakparse

// raceEnabled reports a -race build, where reading tens of megabytes takes
// too long: TestBoundedMemory reads less.
const raceEnabled = true
