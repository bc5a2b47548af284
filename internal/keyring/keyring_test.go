package keyring

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/account"
)

// seq returns n bytes counting up from first.
func seq(first byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = first + byte(i)
	}
	return b
}

// writeKeyFile writes a key file with the given pepper and KEM seeds (ids
// 1, 2, ...; the last one active) and returns its path.
func writeKeyFile(t *testing.T, pepper []byte, seeds ...[]byte) string {
	t.Helper()
	f := keyFile{Version: keyFileVersion, Pepper: pepper, Active: uint32(len(seeds))}
	for i, s := range seeds {
		f.KEMKeys = append(f.KEMKeys, kemKeyFile{ID: uint32(i + 1), KEM: kemName, Seed: s})
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// fixedKeyring loads the keyring of the known-answer tests: pepper
// 00..1f, one KEM key pair (id 1) with seed 10..2f.
func fixedKeyring(t *testing.T) *Keyring {
	t.Helper()
	k, err := Load(writeKeyFile(t, seq(0x00, 32), seq(0x10, 32)))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return k
}

func newTestKeyring(t *testing.T) *Keyring {
	t.Helper()
	k, err := Create(filepath.Join(t.TempDir(), "keys.json"), nil)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return k
}

func fileMode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestCreateLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys.json")
	k, err := Create(path, nil)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if runtime.GOOS != "windows" {
		if got := fileMode(t, path); got != 0o600 {
			t.Errorf("key file mode = %04o, want 0600", got)
		}
	}
	if k.ActiveKeyID() != 1 || !cmp.Equal(k.KeyIDs(), []uint32{1}) {
		t.Errorf("new keyring: active %d, ids %v; want 1, [1]", k.ActiveKeyID(), k.KeyIDs())
	}

	loaded, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if loaded.pepper != k.pepper || loaded.active != k.active || loaded.keys[0].seed != k.keys[0].seed {
		t.Errorf("loaded keyring differs from the created one")
	}
	v := []byte("alice@example.com")
	if k.AccountKey(account.KindEmail, v) != loaded.AccountKey(account.KindEmail, v) {
		t.Errorf("AccountKey differs after Load")
	}

	// Save then Load again gives the same file.
	before, _ := os.ReadFile(path)
	if err := loaded.Save(); err != nil {
		t.Fatalf("Save: %v", err)
	}
	after, _ := os.ReadFile(path)
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("Save changed the key file (-before +after):\n%s", diff)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after Create and Save, want only the key file", len(entries))
	}

	// Two keyrings never share secrets.
	other := newTestKeyring(t)
	if other.pepper == k.pepper || other.keys[0].seed == k.keys[0].seed {
		t.Errorf("two Create calls produced the same secrets")
	}
}

func TestCreateExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Create(path, nil)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Create over an existing file: err = %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "precious" {
		t.Errorf("Create modified an existing file")
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.json"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load of a missing file: err = %v, want fs.ErrNotExist", err)
	}
}

func TestLoadPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
	for _, mode := range []fs.FileMode{0o640, 0o604, 0o620, 0o602, 0o644, 0o700} {
		t.Run(mode.String(), func(t *testing.T) {
			k := newTestKeyring(t)
			if err := os.Chmod(k.Path(), mode); err != nil {
				t.Fatal(err)
			}
			_, err := Load(k.Path())
			if mode&0o077 == 0 {
				if err != nil {
					t.Fatalf("Load with mode %04o: %v", mode, err)
				}
				return
			}
			if !errors.Is(err, ErrInsecurePermissions) {
				t.Fatalf("Load with mode %04o: err = %v, want ErrInsecurePermissions", mode, err)
			}
			for _, want := range []string{k.Path(), "chmod 600 " + k.Path()} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestLoadMalformed(t *testing.T) {
	pepper := seq(0xe0, 32)
	good := keyFile{Version: 1, Pepper: pepper, Active: 1, KEMKeys: []kemKeyFile{{ID: 1, KEM: kemName, Seed: seq(0x10, 32)}}}
	tests := []struct {
		name string
		edit func(f *keyFile)
		raw  string // used instead of the edited file when set
	}{
		{name: "not json", raw: "pepper=1"},
		{name: "empty", raw: ""},
		{name: "unknown field", raw: `{"version":1,"extra":true}`},
		{name: "too large", raw: `{"comment":"` + strings.Repeat("x", maxKeyFileSize) + `"}`},
		{name: "version 2", edit: func(f *keyFile) { f.Version = 2 }},
		{name: "short pepper", edit: func(f *keyFile) { f.Pepper = pepper[:16] }},
		{name: "no pepper", edit: func(f *keyFile) { f.Pepper = nil }},
		{name: "no KEM keys", edit: func(f *keyFile) { f.KEMKeys = nil }},
		{name: "KEM key id 0", edit: func(f *keyFile) { f.KEMKeys[0].ID = 0; f.Active = 0 }},
		{name: "unknown KEM", edit: func(f *keyFile) { f.KEMKeys[0].KEM = "X25519" }},
		{name: "short seed", edit: func(f *keyFile) { f.KEMKeys[0].Seed = seq(0, 31) }},
		{name: "active missing", edit: func(f *keyFile) { f.Active = 2 }},
		{name: "duplicate ids", edit: func(f *keyFile) { f.KEMKeys = append(f.KEMKeys, f.KEMKeys[0]) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.raw)
			if tt.edit != nil {
				f := good
				f.KEMKeys = append([]kemKeyFile(nil), good.KEMKeys...)
				tt.edit(&f)
				var err error
				if data, err = json.Marshal(f); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(t.TempDir(), "keys.json")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil {
				t.Fatal("Load accepted a malformed key file")
			}
			// Secrets stay out of error messages.
			for _, secret := range [][]byte{pepper, seq(0x10, 32)} {
				for _, enc := range []string{hex.EncodeToString(secret), jsonBase64(secret)} {
					if strings.Contains(err.Error(), enc) {
						t.Errorf("error %q contains key material", err)
					}
				}
			}
		})
	}
	// The unedited file loads: the table tests what it says it does.
	data, _ := json.Marshal(good)
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatalf("Load of the valid base file: %v", err)
	}
}

func jsonBase64(b []byte) string {
	s, _ := json.Marshal(b)
	return strings.Trim(string(s), `"`)
}

// TestAccountKeyKAT checks AccountKey and Tag against values computed
// independently with Python's hmac module (testdata/kat.py) and, for the
// first one, with OpenSSL:
//
//	printf 'leakwatch/account-key/v1\x00\x01alice@example.com' |
//		openssl dgst -sha256 -mac HMAC \
//		-macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
//
// which prints 119dd7fd258d4c0930a9b3c29069bd81 71eb8870... (the first 16
// bytes are the account key).
func TestAccountKeyKAT(t *testing.T) {
	k := fixedKeyring(t)
	h := k.NewHasher()
	tests := []struct {
		kind  account.Kind
		value string
		want  string
	}{
		{account.KindEmail, "alice@example.com", "119dd7fd258d4c0930a9b3c29069bd81"},
		{account.KindUsername, "alice@example.com", "ad8ada4eb3e6ec514d7026c3e2932473"},
		{account.KindPhone, "+15550100199", "2161eecdb98fc3b1e8d6ab78b1396f17"},
		{account.KindEmail, "", "372e8c4f143c8390cb88a976b71040f0"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String()+"/"+tt.value, func(t *testing.T) {
			got := k.AccountKey(tt.kind, []byte(tt.value))
			if diff := cmp.Diff(tt.want, hex.EncodeToString(got[:])); diff != "" {
				t.Errorf("Keyring.AccountKey mismatch (-want +got):\n%s", diff)
			}
			got = h.AccountKey(tt.kind, []byte(tt.value))
			if diff := cmp.Diff(tt.want, hex.EncodeToString(got[:])); diff != "" {
				t.Errorf("Hasher.AccountKey mismatch (-want +got):\n%s", diff)
			}
		})
	}
	tag := k.Tag("breach-domain", []byte("example.com"))
	if diff := cmp.Diff("f30bace5f8ed21fb08645dd011e7384c", hex.EncodeToString(tag[:])); diff != "" {
		t.Errorf("Tag mismatch (-want +got):\n%s", diff)
	}
}

func TestDomainSeparation(t *testing.T) {
	k := newTestKeyring(t)
	h := k.NewHasher()
	v := []byte("jdoe@example.com")
	seen := map[[16]byte]string{}
	add := func(name string, key [16]byte) {
		t.Helper()
		if prev, dup := seen[key]; dup {
			t.Errorf("%s and %s give the same key", prev, name)
		}
		seen[key] = name
	}
	for _, kind := range []account.Kind{account.KindEmail, account.KindUsername, account.KindPhone} {
		add("AccountKey "+kind.String(), h.AccountKey(kind, v))
	}
	add("Tag email", h.Tag("email", v))
	add("Tag username", h.Tag("username", v))
	// Moving bytes between label and value must change the tag.
	add("Tag ab|c", h.Tag("ab", []byte("c")))
	add("Tag a|bc", h.Tag("a", []byte("bc")))
	// A different pepper gives different keys.
	add("other keyring", newTestKeyring(t).AccountKey(account.KindEmail, v))

	// Same inputs, same key; and the Hasher is reusable after Tag.
	if h.AccountKey(account.KindEmail, v) != k.AccountKey(account.KindEmail, v) {
		t.Errorf("Hasher and Keyring disagree")
	}
}

func TestTagLabelPanics(t *testing.T) {
	h := newTestKeyring(t).NewHasher()
	for _, label := range []string{"", strings.Repeat("l", 256)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Tag with a %d-byte label did not panic", len(label))
				}
			}()
			h.Tag(label, nil)
		}()
	}
}

func TestAccountKeyConcurrent(t *testing.T) {
	k := newTestKeyring(t)
	values := make([][]byte, 64)
	want := make([][16]byte, len(values))
	h := k.NewHasher()
	for i := range values {
		values[i] = []byte(strings.Repeat("x", i) + "@example.com")
		want[i] = h.AccountKey(account.KindEmail, values[i])
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for range 50 {
				for i, v := range values {
					if got := k.AccountKey(account.KindEmail, v); got != want[i] {
						t.Errorf("concurrent AccountKey of value %d differs", i)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestAllocs(t *testing.T) {
	k := newTestKeyring(t)
	h := k.NewHasher()
	v := []byte("alice@example.com")
	if n := testing.AllocsPerRun(100, func() {
		h.AccountKey(account.KindEmail, v)
		h.Tag("breach-domain", v)
	}); n != 0 {
		t.Errorf("Hasher allocates %v times per run, want 0", n)
	}
	if raceEnabled {
		t.Skip("sync.Pool drops values at random under -race")
	}
	dk, err := NewDataKey(1, nil)
	if err != nil {
		t.Fatal(err)
	}
	seed := k.AccountKey(account.KindEmail, v)
	record := make([]byte, 24)
	dst := make([]byte, 0, 128)
	plain := make([]byte, 0, 128)
	if n := testing.AllocsPerRun(100, func() {
		k.AccountKey(account.KindEmail, v)
		k.Tag("breach-domain", v)
		dst = dk.Seal(dst[:0], seed[:], record, v)
		dst = dk.Seal(dst[:0], nil, record, v)
		plain, err = dk.Open(plain[:0], dst, v)
	}); n != 0 || err != nil {
		t.Errorf("Keyring.AccountKey, Tag, Seal, Open allocate %v times per run (err %v), want 0", n, err)
	}
}

// TestSaveThroughSymlink: a key file kept elsewhere and linked into the
// data directory is rotated where it is.
func TestSaveThroughSymlink(t *testing.T) {
	secure := filepath.Join(t.TempDir(), "key.json")
	kr, err := Create(secure, nil)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "keyring.json")
	if err := os.Symlink(secure, link); err != nil {
		t.Fatal(err)
	}
	kl, err := Load(link)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kl.Rotate(nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	again, err := Load(secure)
	if err != nil || len(again.KeyIDs()) != 2 {
		t.Errorf("the linked key file did not get the new pair: %v %v", err, again.KeyIDs())
	}
	_ = kr
}

// TestLoadFIFO: a FIFO given as the key file is refused at once.
func TestLoadFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k.json")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Load(FIFO) = %v", err)
	}
}
