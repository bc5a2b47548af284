package keyring

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func newTestDataKey(t testing.TB, id uint32) *DataKey {
	t.Helper()
	dk, err := NewDataKey(id, nil)
	if err != nil {
		t.Fatalf("NewDataKey: %v", err)
	}
	return dk
}

func TestSealOpen(t *testing.T) {
	dk := newTestDataKey(t, 42)
	seed := seq(0xa0, 16)
	tests := []struct {
		name            string
		seed, pt, aad   []byte
		wantDeterminism bool
	}{
		{"seeded 24-byte record", seed, seq(1, 24), []byte("aad"), true},
		{"seeded empty plaintext", seed, nil, nil, true},
		{"seeded 4 KiB", seed, bytes.Repeat([]byte("x"), 4096), nil, true},
		{"seed of exactly 12 bytes", seed[:12], seq(1, 24), nil, true},
		{"random nonce, nil seed", nil, seq(1, 24), []byte("aad"), false},
		{"random nonce, short seed", seed[:11], seq(1, 24), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte("dst")
			sealed := dk.Seal(prefix, tt.seed, tt.pt, tt.aad)
			if !bytes.HasPrefix(sealed, prefix) {
				t.Fatalf("Seal did not append to dst")
			}
			sealed = sealed[len(prefix):]
			if got, want := len(sealed), len(tt.pt)+sealedOverhead; got != want {
				t.Errorf("sealed length = %d, want %d", got, want)
			}
			if len(tt.pt) > 0 && bytes.Contains(sealed, tt.pt) {
				t.Errorf("sealed record contains the plaintext")
			}
			id, err := SealedKeyID(sealed)
			if err != nil || id != 42 {
				t.Errorf("SealedKeyID = %d, %v; want 42, nil", id, err)
			}
			got, err := dk.Open([]byte("out:"), sealed, tt.aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if diff := cmp.Diff("out:"+string(tt.pt), string(got)); diff != "" {
				t.Errorf("Open mismatch (-want +got):\n%s", diff)
			}
			again := dk.Seal(nil, tt.seed, tt.pt, tt.aad)
			if bytes.Equal(again, sealed) != tt.wantDeterminism {
				t.Errorf("sealing twice gave equal records: %v, want %v", bytes.Equal(again, sealed), tt.wantDeterminism)
			}
		})
	}
}

// TestSyntheticNonce checks the SIV-like nonce: a function of seed, aad and
// plaintext together, so that no two different records share a nonce.
func TestSyntheticNonce(t *testing.T) {
	dk := newTestDataKey(t, 1)
	nonceOf := func(seed, pt, aad string) string {
		return string(dk.Seal(nil, []byte(seed), []byte(pt), []byte(aad))[5:sealedHeader])
	}
	base := nonceOf("seed-seed-seed-1", "record", "aad")
	for name, other := range map[string]string{
		"other plaintext":       nonceOf("seed-seed-seed-1", "recorD", "aad"),
		"longer plaintext":      nonceOf("seed-seed-seed-1", "record!", "aad"),
		"other aad":             nonceOf("seed-seed-seed-1", "record", "aaD"),
		"other seed":            nonceOf("seed-seed-seed-2", "record", "aad"),
		"aad/plaintext shifted": nonceOf("seed-seed-seed-1", "drecord", "aa"),
	} {
		if other == base {
			t.Errorf("%s: same nonce", name)
		}
	}
	if nonceOf("seed-seed-seed-1", "record", "aad") != base {
		t.Errorf("nonce is not deterministic")
	}
	other := newTestDataKey(t, 1)
	if string(other.Seal(nil, []byte("seed-seed-seed-1"), []byte("record"), []byte("aad"))[5:sealedHeader]) == base {
		t.Errorf("two data keys derive the same nonce")
	}
}

// TestSealKAT checks a deterministic Seal against a record computed
// independently with Python (hmac, hashlib and pyca/cryptography's AESGCM;
// see testdata/kat.py): data key 40..5f, id 7, seed a0..af.
func TestSealKAT(t *testing.T) {
	dk, err := newDataKey(7, [32]byte(seq(0x40, 32)), nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "0100000007b56e09ef023ee4b2c2072e2f2b7d5f3af56641a96bc461ee86ab2a0b68c75e1079767deb62d004f78aae97c9654b0c598bb98ad37a"
	got := dk.Seal(nil, seq(0xa0, 16), []byte("Adobe,LinkedIn,2013-10-04"), []byte("record:v1"))
	if diff := cmp.Diff(want, hex.EncodeToString(got)); diff != "" {
		t.Errorf("Seal mismatch (-want +got):\n%s", diff)
	}
}

func TestOpenTampered(t *testing.T) {
	dk := newTestDataKey(t, 9)
	aad := []byte("account-key")
	for _, seed := range [][]byte{seq(0xa0, 16), nil} {
		sealed := dk.Seal(nil, seed, []byte("24 bytes of record data!"), aad)
		for i := range sealed {
			for _, mask := range []byte{0x01, 0x80} {
				bad := bytes.Clone(sealed)
				bad[i] ^= mask
				_, err := dk.Open(nil, bad, aad)
				switch {
				case err == nil:
					t.Fatalf("Open accepted a record with byte %d flipped by %#x", i, mask)
				case i >= 5 && !errors.Is(err, ErrTampered):
					t.Errorf("byte %d flipped: err = %v, want ErrTampered", i, err)
				case i >= 1 && i < 5 && !errors.Is(err, ErrWrongKey):
					t.Errorf("key id byte %d flipped: err = %v, want ErrWrongKey", i, err)
				}
			}
		}
		for n := range len(sealed) {
			if _, err := dk.Open(nil, sealed[:n], aad); !errors.Is(err, ErrTampered) {
				t.Errorf("Open of the first %d bytes: err = %v, want ErrTampered", n, err)
			}
		}
		if _, err := dk.Open(nil, append(bytes.Clone(sealed), 0), aad); !errors.Is(err, ErrTampered) {
			t.Errorf("Open with a byte appended: err = %v, want ErrTampered", err)
		}
		if _, err := dk.Open(nil, sealed, []byte("other-key")); !errors.Is(err, ErrTampered) {
			t.Errorf("Open with other aad: err = %v, want ErrTampered", err)
		}
		if _, err := dk.Open(nil, sealed, aad); err != nil {
			t.Errorf("Open of the untouched record: %v", err)
		}
	}
}

func TestOpenWrongDataKey(t *testing.T) {
	dk := newTestDataKey(t, 3)
	sealed := dk.Seal(nil, seq(0xa0, 16), []byte("record"), nil)

	sameID := newTestDataKey(t, 3)
	if _, err := sameID.Open(nil, sealed, nil); !errors.Is(err, ErrTampered) {
		t.Errorf("Open with another key of the same id: err = %v, want ErrTampered", err)
	}
	otherID := newTestDataKey(t, 4)
	if _, err := otherID.Open(nil, sealed, nil); !errors.Is(err, ErrWrongKey) {
		t.Errorf("Open with a key of another id: err = %v, want ErrWrongKey", err)
	}
}

func TestSealedKeyID(t *testing.T) {
	sealed := newTestDataKey(t, 0xdeadbeef).Seal(nil, nil, []byte("x"), nil)
	tests := []struct {
		name    string
		in      []byte
		want    uint32
		wantErr bool
	}{
		{"record", sealed, 0xdeadbeef, false},
		{"empty", nil, 0, true},
		{"too short", sealed[:sealedOverhead-1], 0, true},
		{"unknown version", append([]byte{2}, sealed[1:]...), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SealedKeyID(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("SealedKeyID = %#x, %v; want %#x, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy exhausted") }

func TestInjectedRandom(t *testing.T) {
	if _, err := NewDataKey(1, failingReader{}); err == nil {
		t.Errorf("NewDataKey with a failing random source succeeded")
	}
	// A data key with a deterministic source seals nonce-less records
	// reproducibly: the randomness really comes from the injected reader.
	src := bytes.Repeat([]byte{7}, 32+12)
	a, err := NewDataKey(1, bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewDataKey(1, bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Seal(nil, nil, []byte("r"), nil), b.Seal(nil, nil, []byte("r"), nil)) {
		t.Errorf("same injected randomness gave different records")
	}
	// The source is now exhausted: sealing without a seed must not fall
	// back silently to a fixed or reused nonce.
	defer func() {
		if recover() == nil {
			t.Errorf("Seal with an exhausted random source did not panic")
		}
	}()
	a.Seal(nil, nil, []byte("r"), nil)
}

// BenchmarkSeal measures sealing one record; 24 bytes is the size of a
// typical per-account record (breach ids and flags).
func BenchmarkSeal(b *testing.B) {
	dk := newTestDataKey(b, 1)
	record := make([]byte, 24)
	seed := seq(0xa0, 16)
	for _, bc := range []struct {
		name string
		seed []byte
	}{{"nonce=synthetic", seed}, {"nonce=random", nil}} {
		b.Run("size=24/"+bc.name, func(b *testing.B) {
			dst := make([]byte, 0, 64)
			b.ReportAllocs()
			b.SetBytes(int64(len(record)))
			for b.Loop() {
				dst = dk.Seal(dst[:0], bc.seed, record, nil)
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	dk := newTestDataKey(b, 1)
	sealed := dk.Seal(nil, seq(0xa0, 16), make([]byte, 24), nil)
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	b.SetBytes(24)
	for b.Loop() {
		var err error
		if dst, err = dk.Open(dst[:0], sealed, nil); err != nil {
			b.Fatal(err)
		}
	}
}
