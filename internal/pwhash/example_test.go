package pwhash_test

import (
	"fmt"

	"github.com/leakwatch/leakwatch/internal/pwhash"
)

// Example splits hashes the way the range API does: a 5-hex-digit prefix
// names the range, the rest is the suffix listed in it.
func Example() {
	sha := pwhash.SHA1([]byte("password"))
	ntlm := pwhash.NTLM([]byte("password"))
	for _, sum := range [][]byte{sha[:], ntlm[:]} {
		hex := pwhash.AppendHexUpper(nil, sum)
		fmt.Printf("GET /range/%s -> %s\n", hex[:5], hex[5:])
	}
	// Output:
	// GET /range/5BAA6 -> 1E4C9B93F3F0682250B6CF8331B7EE68FD8
	// GET /range/8846F -> 7EAEE8FB117AD06BDD830B7586C
}
