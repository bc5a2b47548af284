package keyring

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/account"
)

func TestWrapUnwrap(t *testing.T) {
	k := newTestKeyring(t)
	dk := newTestDataKey(t, 17)
	w, err := k.WrapDataKey(dk)
	if err != nil {
		t.Fatalf("WrapDataKey: %v", err)
	}
	if w.KEMKeyID != 1 || w.DataKeyID != 17 || len(w.Ciphertext) != wrappedCTSize {
		t.Errorf("wrapped: KEM key %d, data key %d, %d-byte ciphertext", w.KEMKeyID, w.DataKeyID, len(w.Ciphertext))
	}
	if bytes.Contains(w.Ciphertext, dk.secret[:]) || bytes.Contains(w.Enc, dk.secret[:]) {
		t.Errorf("wrapped data key contains the key")
	}

	blob, err := w.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	var w2 Wrapped
	if err := w2.UnmarshalBinary(blob); err != nil {
		t.Fatalf("UnmarshalBinary: %v", err)
	}
	if diff := cmp.Diff(w, w2); diff != "" {
		t.Errorf("marshal round trip mismatch (-want +got):\n%s", diff)
	}

	got, err := k.UnwrapDataKey(w2)
	if err != nil {
		t.Fatalf("UnwrapDataKey: %v", err)
	}
	if got.ID != 17 || got.secret != dk.secret {
		t.Fatalf("unwrapped data key differs")
	}
	// Records sealed with the original open with the unwrapped key.
	sealed := dk.Seal(nil, seq(0xa0, 16), []byte("record"), nil)
	if pt, err := got.Open(nil, sealed, nil); err != nil || string(pt) != "record" {
		t.Errorf("Open with the unwrapped key = %q, %v", pt, err)
	}

	// Wrapping is randomised: the same data key wraps to different bytes.
	w3, err := k.WrapDataKey(dk)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(w3.Enc, w.Enc) {
		t.Errorf("two wraps share the encapsulated key")
	}
}

func TestUnwrapTampered(t *testing.T) {
	k := newTestKeyring(t)
	w, err := k.WrapDataKey(newTestDataKey(t, 5))
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := w.MarshalBinary()
	unwrap := func(b []byte) error {
		var w Wrapped
		if err := w.UnmarshalBinary(b); err != nil {
			return err
		}
		_, err := k.UnwrapDataKey(w)
		return err
	}
	if err := unwrap(blob); err != nil {
		t.Fatalf("untouched blob: %v", err)
	}
	for i := range blob {
		bad := bytes.Clone(blob)
		bad[i] ^= 0x01
		err := unwrap(bad)
		switch {
		case err == nil:
			t.Fatalf("unwrapped a blob with byte %d flipped", i)
		case i >= 5 && i < 9 && !errors.Is(err, ErrTampered):
			t.Errorf("data key id byte %d flipped: err = %v, want ErrTampered", i, err)
		case i >= wrappedHeader && !errors.Is(err, ErrTampered):
			t.Errorf("byte %d flipped: err = %v, want ErrTampered", i, err)
		}
	}
	// Truncations and extensions, in steps to bound the test time.
	for n := 0; n < len(blob); n += 7 {
		if err := unwrap(blob[:n]); err == nil {
			t.Fatalf("unwrapped the first %d bytes of the blob", n)
		}
	}
	if err := unwrap(append(bytes.Clone(blob), 0)); !errors.Is(err, ErrTampered) {
		t.Errorf("blob with a byte appended: err = %v, want ErrTampered", err)
	}
	// Field-level changes.
	for name, edit := range map[string]func(w *Wrapped){
		"data key id":      func(w *Wrapped) { w.DataKeyID++ },
		"enc truncated":    func(w *Wrapped) { w.Enc = w.Enc[:len(w.Enc)-1] },
		"enc empty":        func(w *Wrapped) { w.Enc = nil },
		"ciphertext empty": func(w *Wrapped) { w.Ciphertext = nil },
	} {
		bad := w
		bad.Enc = bytes.Clone(w.Enc)
		edit(&bad)
		if _, err := k.UnwrapDataKey(bad); !errors.Is(err, ErrTampered) {
			t.Errorf("%s: err = %v, want ErrTampered", name, err)
		}
	}
}

func TestUnwrapWrongKEMKey(t *testing.T) {
	a, b := newTestKeyring(t), newTestKeyring(t)
	w, err := a.WrapDataKey(newTestDataKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	// Both keyrings name their first key pair 1; the ids match, the keys
	// do not.
	if _, err := b.UnwrapDataKey(w); !errors.Is(err, ErrTampered) {
		t.Errorf("unwrap with another keyring: err = %v, want ErrTampered", err)
	}
	w.KEMKeyID = 99
	if _, err := a.UnwrapDataKey(w); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unwrap naming a missing KEM key: err = %v, want ErrUnknownKey", err)
	}
}

func TestWrappedUnmarshalMalformed(t *testing.T) {
	good, _ := Wrapped{KEMKeyID: 1, DataKeyID: 2, Enc: []byte("enc"), Ciphertext: []byte("ct")}.MarshalBinary()
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"short header", good[:wrappedHeader-1]},
		{"unknown version", append([]byte{9}, good[1:]...)},
		{"enc longer than blob", good[:wrappedHeader+2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w Wrapped
			if err := w.UnmarshalBinary(tt.in); err == nil {
				t.Errorf("UnmarshalBinary accepted %x", tt.in)
			}
		})
	}
	var w Wrapped
	if err := w.UnmarshalBinary(good); err != nil {
		t.Fatal(err)
	}
	good[wrappedHeader] = 'X'
	if string(w.Enc) != "enc" {
		t.Errorf("UnmarshalBinary aliases its input")
	}
	if _, err := (Wrapped{Enc: make([]byte, 1<<16)}).MarshalBinary(); err == nil {
		t.Errorf("MarshalBinary accepted a 64 KiB encapsulated key")
	}
}

// TestUnwrapPythonKAT unwraps a data key wrapped by an independent HPKE
// implementation, pyca/cryptography 48 (testdata/kat.py writes
// testdata/wrapped-python.hex): data key 40..5f with id 7, to the
// MLKEM768-X25519 key pair with seed 10..2f and id 1. It pins the KEM, the
// HPKE suite, the seed expansion and the info string.
func TestUnwrapPythonKAT(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "wrapped-python.hex"))
	if err != nil {
		t.Fatal(err)
	}
	blob, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	encSize := len(blob) - wrappedCTSize
	w := Wrapped{KEMKeyID: 1, DataKeyID: 7, Enc: blob[:encSize], Ciphertext: blob[encSize:]}
	k := fixedKeyring(t)
	dk, err := k.UnwrapDataKey(w)
	if err != nil {
		t.Fatalf("UnwrapDataKey: %v", err)
	}
	if diff := cmp.Diff(seq(0x40, 32), dk.secret[:]); diff != "" {
		t.Errorf("unwrapped data key mismatch (-want +got):\n%s", diff)
	}
	w.DataKeyID = 8
	if _, err := k.UnwrapDataKey(w); !errors.Is(err, ErrTampered) {
		t.Errorf("unwrap under another data key id: err = %v, want ErrTampered", err)
	}
}

func TestRotation(t *testing.T) {
	k := newTestKeyring(t)
	dk := newTestDataKey(t, 1)
	wOld, err := k.WrapDataKey(dk)
	if err != nil {
		t.Fatal(err)
	}

	newID, err := k.Rotate(nil)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if newID != 2 || k.ActiveKeyID() != 2 || !cmp.Equal(k.KeyIDs(), []uint32{1, 2}) {
		t.Fatalf("after Rotate: new id %d, active %d, ids %v", newID, k.ActiveKeyID(), k.KeyIDs())
	}
	if _, err := k.UnwrapDataKey(wOld); err != nil {
		t.Fatalf("unwrap under the old key after Rotate: %v", err)
	}
	wNew, err := k.WrapDataKey(dk)
	if err != nil {
		t.Fatal(err)
	}
	if wNew.KEMKeyID != 2 {
		t.Errorf("wrap after Rotate used KEM key %d, want 2", wNew.KEMKeyID)
	}

	// Rotate saved the file.
	loaded, err := Load(k.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaded.UnwrapDataKey(wNew); err != nil {
		t.Errorf("reloaded keyring cannot unwrap under the new key: %v", err)
	}

	if err := k.Retire(2); !errors.Is(err, ErrActiveKey) {
		t.Errorf("Retire(active): err = %v, want ErrActiveKey", err)
	}
	if err := k.Retire(7); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Retire(missing): err = %v, want ErrUnknownKey", err)
	}
	if err := k.Retire(1); err != nil {
		t.Fatalf("Retire(1): %v", err)
	}
	if _, err := k.UnwrapDataKey(wOld); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unwrap under a retired key: err = %v, want ErrUnknownKey", err)
	}
	if got, err := k.UnwrapDataKey(wNew); err != nil || got.secret != dk.secret {
		t.Errorf("unwrap under the new key after Retire: %v", err)
	}

	loaded, err = Load(k.Path())
	if err != nil {
		t.Fatal(err)
	}
	if loaded.ActiveKeyID() != 2 || !cmp.Equal(loaded.KeyIDs(), []uint32{2}) {
		t.Errorf("reloaded after Retire: active %d, ids %v; want 2, [2]", loaded.ActiveKeyID(), loaded.KeyIDs())
	}
	if fileMode(t, k.Path()) != 0o600 {
		t.Errorf("key file mode after Rotate/Retire = %04o, want 0600", fileMode(t, k.Path()))
	}
	// The pepper survives rotation: account keys do not change.
	v := []byte("alice@example.com")
	if loaded.AccountKey(account.KindEmail, v) != k.AccountKey(account.KindEmail, v) {
		t.Errorf("AccountKey changed across rotation")
	}
}

// TestRotateSaveFailure checks that a Rotate or Retire whose save fails
// leaves the keyring as it was.
func TestRotateSaveFailure(t *testing.T) {
	k := newTestKeyring(t)
	if _, err := k.Rotate(nil); err != nil {
		t.Fatal(err)
	}
	k.path = filepath.Join(t.TempDir(), "missing-dir", "keys.json")
	if _, err := k.Rotate(nil); err == nil {
		t.Fatal("Rotate succeeded without a writable key file")
	}
	if err := k.Retire(1); err == nil {
		t.Fatal("Retire succeeded without a writable key file")
	}
	if k.ActiveKeyID() != 2 || !cmp.Equal(k.KeyIDs(), []uint32{1, 2}) {
		t.Errorf("after failed saves: active %d, ids %v; want 2, [1 2]", k.ActiveKeyID(), k.KeyIDs())
	}
}

func TestWrapConcurrentWithRotate(t *testing.T) {
	k := newTestKeyring(t)
	dk := newTestDataKey(t, 1)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 5 {
				w, err := k.WrapDataKey(dk)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := k.UnwrapDataKey(w); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 3 {
			if _, err := k.Rotate(nil); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
}

// BenchmarkWrap and BenchmarkUnwrap measure one HPKE operation
// (MLKEM768-X25519 encapsulation or decapsulation), paid once per data key.
func BenchmarkWrap(b *testing.B) {
	k, err := Create(filepath.Join(b.TempDir(), "keys.json"), nil)
	if err != nil {
		b.Fatal(err)
	}
	dk := newTestDataKey(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.WrapDataKey(dk); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrap(b *testing.B) {
	k, err := Create(filepath.Join(b.TempDir(), "keys.json"), nil)
	if err != nil {
		b.Fatal(err)
	}
	w, err := k.WrapDataKey(newTestDataKey(b, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.UnwrapDataKey(w); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAccountKey measures the keyed hash of one normalised email
// address: on a caller's own Hasher, through the Keyring's pool, and through
// the pool from all cores at once.
func BenchmarkAccountKey(b *testing.B) {
	k, err := Create(filepath.Join(b.TempDir(), "keys.json"), nil)
	if err != nil {
		b.Fatal(err)
	}
	v := []byte("alice.smith@example.com")
	b.Run("via=hasher", func(b *testing.B) {
		h := k.NewHasher()
		b.ReportAllocs()
		b.SetBytes(int64(len(v)))
		for b.Loop() {
			h.AccountKey(account.KindEmail, v)
		}
	})
	b.Run("via=keyring", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(v)))
		for b.Loop() {
			k.AccountKey(account.KindEmail, v)
		}
	})
	b.Run("via=keyring/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(v)))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				k.AccountKey(account.KindEmail, v)
			}
		})
	})
}
