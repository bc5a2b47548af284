package keyring_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func newKeyring(t *testing.T) *keyring.Keyring {
	t.Helper()
	kr, err := keyring.Create(filepath.Join(t.TempDir(), "keyring.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// flip rewrites a key file with one bit of a field changed.
func flip(t *testing.T, src *keyring.Keyring, field func(map[string]any)) *keyring.Keyring {
	t.Helper()
	b, err := os.ReadFile(src.Path())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	field(m)
	b, _ = json.Marshal(m)
	p := filepath.Join(t.TempDir(), "flipped.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	kr, err := keyring.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// flipBase64 flips the lowest bit of the first byte a base64 string
// encodes.
func flipBase64(t *testing.T, s string) string {
	var b []byte
	if err := json.Unmarshal([]byte(`"`+s+`"`), &b); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 1
	out, _ := json.Marshal(b)
	return string(bytes.Trim(out, `"`))
}

func TestVerify(t *testing.T) {
	kr := newKeyring(t)
	check := kr.Check()
	if err := kr.Verify(check); err != nil {
		t.Fatalf("a key file does not verify against its own check: %v", err)
	}
	loaded, err := keyring.Load(kr.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := loaded.Verify(check); err != nil {
		t.Errorf("the key file loaded again does not verify: %v", err)
	}
	for name, other := range map[string]*keyring.Keyring{
		"another key file": newKeyring(t),
		"flipped pepper bit": flip(t, kr, func(m map[string]any) {
			m["pepper"] = flipBase64(t, m["pepper"].(string))
		}),
		"flipped KEM seed bit": flip(t, kr, func(m map[string]any) {
			k := m["kem_keys"].([]any)[0].(map[string]any)
			k["seed"] = flipBase64(t, k["seed"].(string))
		}),
	} {
		if err := other.Verify(check); !errors.Is(err, keyring.ErrKeyMismatch) {
			t.Errorf("%s: Verify = %v, want ErrKeyMismatch", name, err)
		}
	}
	for _, bad := range [][]byte{nil, {1}, append([]byte{2}, check[1:]...), check[:len(check)-1]} {
		if err := kr.Verify(bad); !errors.Is(err, keyring.ErrKeyMismatch) {
			t.Errorf("Verify(malformed %x) = %v", bad, err)
		}
	}
	// The check reveals nothing of the keys: it is not the pepper or a
	// seed, and two key files give unrelated values.
	raw, _ := os.ReadFile(kr.Path())
	if bytes.Contains(raw, check[1:17]) {
		t.Error("the check value holds key material")
	}
}

// TestRotateStore rotates the key pair of a real store and checks every
// state a crash could leave verifies, and that data keys still open.
func TestRotateStore(t *testing.T) {
	ctx := context.Background()
	kr := newKeyring(t)
	st, err := pebblestore.Open(filepath.Join(t.TempDir(), "store"), pebblestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.InitKeyCheck(ctx, kr.Check()); err != nil {
		t.Fatal(err)
	}
	// Two imports' data keys.
	var sealed [][]byte
	for i := range 2 {
		id, _ := st.NextDataKeyID(ctx)
		dk, err := keyring.NewDataKey(id, nil)
		if err != nil {
			t.Fatal(err)
		}
		w, err := kr.Wrap(dk)
		if err != nil {
			t.Fatal(err)
		}
		imp, err := st.BeginImport(ctx, breach(t, i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := imp.Commit(ctx, store.Manifest{DataKey: w}); err != nil {
			t.Fatal(err)
		}
		sealed = append(sealed, dk.Seal(nil, nil, []byte("secret record"), nil))
	}
	rot, err := keyring.RotateStore(ctx, kr, st)
	if err != nil {
		t.Fatal(err)
	}
	if rot.Rewrapped != 2 || rot.NewKeyID != 2 || len(rot.Retired) != 1 || rot.Retired[0] != 1 {
		t.Errorf("rotation = %+v", rot)
	}
	check, err := st.KeyCheck(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := kr.Verify(check); err != nil {
		t.Errorf("rotated key file does not verify: %v", err)
	}
	reloaded, err := keyring.Load(kr.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := reloaded.Verify(check); err != nil {
		t.Errorf("rotated key file, loaded again, does not verify: %v", err)
	}
	o := keyring.NewOpener(reloaded, st)
	for _, s := range sealed {
		if got, err := o.Open(ctx, s); err != nil || string(got) != "secret record" {
			t.Errorf("after rotation: Open = %q, %v", got, err)
		}
	}
	// A key file from before the rotation no longer matches.
	if err := newKeyring(t).Verify(check); !errors.Is(err, keyring.ErrKeyMismatch) {
		t.Errorf("another key file verifies after rotation: %v", err)
	}
}

func breach(t *testing.T, i int) catalog.Breach {
	return catalog.New("Breach"+string(rune('A'+i)), time.Now())
}

// TestRotationCrashStates checks that the key file verifies in every state
// a crash during RotateStore can leave: after the key file gained the new
// pair (the store still names the old), and after the store switched to
// the new pair (the key file still has the old).
func TestRotationCrashStates(t *testing.T) {
	kr := newKeyring(t)
	before := kr.Check()
	newID, err := kr.Rotate(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := kr.Verify(before); err != nil {
		t.Errorf("after step 1: %v", err)
	}
	after := kr.CheckFor([]uint32{newID})
	if err := kr.Verify(after); err != nil {
		t.Errorf("after step 2: %v", err)
	}
	if err := kr.Retire(1); err != nil {
		t.Fatal(err)
	}
	if err := kr.Verify(after); err != nil {
		t.Errorf("after step 3: %v", err)
	}
	if err := kr.Verify(before); !errors.Is(err, keyring.ErrKeyMismatch) {
		t.Errorf("the retired pair's check still verifies: %v", err)
	}
}

// TestAdoptAfterInterruptedRotation: a rotation killed after the key file
// gained its new pair but before the store heard of it; the next open
// adopts the pair, so that the old key file no longer matches.
func TestAdoptAfterInterruptedRotation(t *testing.T) {
	ctx := context.Background()
	kr := newKeyring(t)
	old, err := keyring.Load(kr.Path())
	if err != nil {
		t.Fatal(err)
	}
	st, err := pebblestore.Open(filepath.Join(t.TempDir(), "store"), pebblestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.InitKeyCheck(ctx, kr.Check()); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Rotate(nil); err != nil { // step 1 only, then "killed"
		t.Fatal(err)
	}
	check, _ := st.KeyCheck(ctx)
	if err := kr.Verify(check); err != nil {
		t.Fatal(err)
	}
	if err := keyring.Adopt(ctx, kr, st, check); err != nil {
		t.Fatal(err)
	}
	check, _ = st.KeyCheck(ctx)
	if err := kr.Verify(check); err != nil {
		t.Errorf("the rotated key file does not verify after Adopt: %v", err)
	}
	if err := old.Verify(check); !errors.Is(err, keyring.ErrKeyMismatch) {
		t.Errorf("the key file from before the rotation verifies after Adopt: %v", err)
	}
	if err := keyring.Adopt(ctx, kr, st, check); err != nil {
		t.Errorf("second Adopt: %v", err)
	}
}
