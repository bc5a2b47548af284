package keyring

import (
	"path/filepath"
	"testing"
)

func TestBlockPRF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.json")
	k1, err := Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	k1again, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := Create(filepath.Join(t.TempDir(), "k2.json"), nil)
	enc := func(k *Keyring, label string) [16]byte {
		var in, out [16]byte
		copy(in[:], "abc")
		k.BlockPRF(label).Encrypt(out[:], in[:])
		return out
	}
	if enc(k1, "a") != enc(k1again, "a") {
		t.Error("BlockPRF differs after reloading the key file")
	}
	if enc(k1, "a") == enc(k1, "b") {
		t.Error("labels are not separated")
	}
	if enc(k1, "a") == enc(k2, "a") {
		t.Error("two peppers give the same permutation")
	}
	defer func() {
		if recover() == nil {
			t.Error("empty label accepted")
		}
	}()
	k1.BlockPRF("")
}
