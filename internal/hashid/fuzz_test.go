package hashid_test

import (
	"bytes"
	"testing"

	"github.com/leakwatch/leakwatch/internal/hashid"
)

// FuzzIdentify checks that Identify never panics and that its answers
// agree with each other: IsHash is Certain, a scheme comes with a verdict,
// a column named "hash" takes every Ambiguous value.
func FuzzIdentify(f *testing.F) {
	for _, s := range samples {
		f.Add([]byte(s.v))
	}
	for _, p := range plaintexts {
		f.Add([]byte(p.v))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		orig := bytes.Clone(v)
		s, c := hashid.Identify(v)
		if !bytes.Equal(v, orig) {
			t.Fatal("Identify modified its input")
		}
		if (s == hashid.None) != (c == hashid.NotHash) {
			t.Fatalf("Identify(%q) = %v, %v", v, s, c)
		}
		if hashid.IsHash(v) != (c == hashid.Certain) {
			t.Fatalf("IsHash(%q) disagrees with Identify's %v", v, c)
		}
		if s2, c2 := hashid.Identify(v); s2 != s || c2 != c {
			t.Fatalf("Identify(%q) not deterministic", v)
		}
		if got := hashid.JudgeColumn("hash", nil).IsHash(v); got != (c != hashid.NotHash) {
			t.Fatalf("hash column IsHash(%q) = %v with %v", v, got, c)
		}
		if got := hashid.JudgeColumn("", [][]byte{v, v}).IsHash(v); got != (c != hashid.NotHash) {
			t.Fatalf("column of %q: IsHash = %v with %v", v, got, c)
		}
	})
}
