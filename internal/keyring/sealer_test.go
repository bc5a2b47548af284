package keyring

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealer(t *testing.T) {
	dk, err := NewDataKey(7, nil)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := dk.NewSealer(), dk.NewSealer()
	seen := map[string]bool{}
	for i, s := range []*Sealer{s1, s1, s2, s2} {
		sealed := s.Seal(nil, []byte("alice@example.com"), nil)
		nonce := string(sealed[5:sealedHeader])
		if seen[nonce] {
			t.Fatalf("record %d reuses a nonce", i)
		}
		seen[nonce] = true
		if bytes.Contains(sealed, []byte("alice")) {
			t.Fatal("plaintext in sealed record")
		}
		got, err := dk.Open(nil, sealed, nil)
		if err != nil || string(got) != "alice@example.com" {
			t.Fatalf("Open = %q, %v", got, err)
		}
		if id, _ := SealedKeyID(sealed); id != 7 {
			t.Errorf("key id %d", id)
		}
		sealed[len(sealed)-1] ^= 1
		if _, err := dk.Open(nil, sealed, nil); !errors.Is(err, ErrTampered) {
			t.Errorf("tampered record opened: %v", err)
		}
	}
}

func BenchmarkSealerSeal24(b *testing.B) {
	dk, _ := NewDataKey(1, nil)
	s := dk.NewSealer()
	pt := []byte("someone@example.com12345")
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		buf = s.Seal(buf[:0], pt, nil)
	}
}
