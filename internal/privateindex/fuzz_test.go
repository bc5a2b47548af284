package privateindex

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/account"
)

// FuzzSegments: the segment decoders never panic, and what a Spool writes
// decodes to what was added.
func FuzzSegments(f *testing.F) {
	f.Add([]byte("alice@example.com"), []byte("hunter2"), []byte{1, 3, 'a', 'b', 'c', 2, 'p', 'w'})
	f.Fuzz(func(t *testing.T, norm, pw, raw []byte) {
		parseSpool(raw, 1)
		parseInputs(raw, 1)
		var s Spool
		s.Add(account.KindEmail, norm, pw)
		s.Add(account.KindUsername, pw, norm)
		plain := append([]byte(nil), s.buf...)
		es, err := parseSpool(plain, 2)
		if err != nil || string(es[0].Login.Norm) != string(norm) || string(es[1].Secret) != string(norm) || string(es[0].Secret) != string(pw) {
			t.Fatalf("round trip: %v %+v", err, es)
		}
	})
}
