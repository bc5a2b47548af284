//go:build !race

package leakparse

const raceEnabled = false
