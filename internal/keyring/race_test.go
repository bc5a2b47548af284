//go:build race

package keyring

// raceEnabled reports a -race build: sync.Pool then drops pooled values at
// random, so allocation counts of pooled paths are meaningless.
const raceEnabled = true
