//go:build !race

package pwned

const raceEnabled = false
