package hashid_test

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/hashid"
	"github.com/leakwatch/leakwatch/internal/leakgen"
)

// TestGeneratedPasswords runs leakgen's realistic passwords through
// Identify: none may be Certain. The hashes leakgen shows instead of some
// passwords must all be Certain.
func TestGeneratedPasswords(t *testing.T) {
	n := 300_000
	if testing.Short() {
		n = 30_000
	}
	var ambiguous, hashes int
	seen := 0
	for _, p := range leakgen.People(8) {
		if seen == n {
			break
		}
		seen++
		s, c := hashid.Identify([]byte(p.Password))
		switch c {
		case hashid.Certain:
			t.Errorf("password %q identified as %v", p.Password, s)
		case hashid.Ambiguous:
			ambiguous++
		}
		if p.Hash != "" {
			hashes++
			if s, c := hashid.Identify([]byte(p.Hash)); c != hashid.Certain {
				t.Errorf("%s hash %q identified as %v, %v", p.HashKind, p.Hash, s, c)
			}
		}
	}
	if hashes == 0 {
		t.Fatal("leakgen made no hashes")
	}
	t.Logf("%d passwords: %d ambiguous (%.3f%%), 0 certain; %d hashes, all certain",
		n, ambiguous, 100*float64(ambiguous)/float64(n), hashes)
}
