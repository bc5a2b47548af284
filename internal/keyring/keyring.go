// Package keyring holds the secrets of a leakwatch installation and the
// cryptography built on them: keyed hashes of account identifiers, and
// envelope encryption of stored records.
//
// # Secrets
//
// All secrets live in one key file (JSON, mode 0600) kept outside the data
// store:
//
//   - a 32-byte pepper, the HMAC-SHA-256 key of AccountKey (the data
//     store's lookup key for an account) and Tag (keyed tags for other
//     indexes, such as mail domains). They must be unguessable without the
//     key file: an unkeyed hash of an email address can be reversed by
//     hashing candidate addresses.
//   - one or more key pairs of the hybrid post-quantum KEM
//     MLKEM768-X25519 (X-Wing), each with a small numeric id, one of them
//     active. Only their 32-byte seeds are stored.
//
// # Envelope encryption
//
// Records are sealed with AES-256-GCM under a DataKey (see DataKey.Seal).
// Data keys are stored next to the data only in wrapped form: HPKE (RFC
// 9180, MLKEM768-X25519, HKDF-SHA256, AES-256-GCM) seals each data key to
// the active KEM public key (WrapDataKey). The KEM is used once per data
// key, never once per record.
//
// # Threat model
//
// A copy of the data store or of its backups without the key file reveals
// nothing beyond sizes, counts and equality: record contents are encrypted,
// account keys are HMACs under a pepper that is not in the store, and data
// keys are wrapped with a KEM that also resists a future quantum computer
// (an attacker who records the store today cannot unwrap it later).
//
// Anyone with the key file and the store can recover everything that was
// sealed, and can compute the account key of any guessed identifier. Keep
// the key file off the data volume, out of the store's backups, and back it
// up separately: without it the store is unreadable for leakwatch too.
//
// KEM key pairs can be rotated: Rotate adds a new active pair, data keys are
// re-wrapped under it, and Retire then removes the old pair. The pepper
// cannot be rotated in place: every account key in the store is derived
// from it, so a new pepper means re-importing the data.
//
// Sealing is deterministic when the caller supplies a nonce seed (see
// DataKey.Seal), which reveals when two records are equal; that is the
// price of idempotent imports and is accepted.
//
// # Concurrency
//
// A Keyring and a DataKey are safe for concurrent use. A Hasher is not; get
// one per goroutine from Keyring.NewHasher.
package keyring

import (
	"bytes"
	"crypto/hpke"
	cryptorand "crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
)

// Errors callers can test for with errors.Is.
var (
	// ErrTampered reports that a sealed record or a wrapped data key failed
	// authentication or is malformed: it was altered, truncated, or sealed
	// under another key.
	ErrTampered = errors.New("authentication failed")
	// ErrWrongKey reports that a sealed record names a different data key
	// than the one used to open it; see SealedKeyID.
	ErrWrongKey = errors.New("sealed under a different data key")
	// ErrUnknownKey reports a KEM key id that is not in the keyring,
	// typically a data key wrapped under a key pair that was retired.
	ErrUnknownKey = errors.New("unknown KEM key id")
	// ErrActiveKey reports an attempt to retire the active KEM key pair.
	ErrActiveKey = errors.New("KEM key pair is active")
	// ErrInsecurePermissions reports a key file that group or other users
	// may access.
	ErrInsecurePermissions = errors.New("insecure key file permissions")
)

const (
	pepperSize  = 32
	kemSeedSize = 32 // MLKEM768-X25519 private key: one 32-byte seed

	keyFileVersion = 1
	kemName        = "MLKEM768-X25519"
	maxKeyFileSize = 1 << 20
)

// kemKey is one KEM key pair.
type kemKey struct {
	id   uint32
	seed [kemSeedSize]byte
	priv hpke.PrivateKey
	pub  hpke.PublicKey
}

// Keyring is the set of secrets of one installation, bound to the key file
// it was created or loaded from. Use Create or Load; the zero value is not
// usable, and a Keyring must not be copied.
type Keyring struct {
	path   string
	rand   io.Reader
	pepper [pepperSize]byte

	// hashers caches Hashers for Keyring.AccountKey and Keyring.Tag; each
	// carries the precomputed HMAC state of the pepper.
	hashers sync.Pool

	mu     sync.RWMutex // guards active and keys
	active uint32
	keys   []*kemKey // sorted by id
}

// Create generates a new keyring (a pepper and a first, active KEM key pair
// with id 1) from rand and writes it to a new key file at path with mode
// 0600. It fails with an error wrapping fs.ErrExist if path exists: an
// existing key file is never overwritten.
//
// The keyring keeps rand for random nonces of the data keys it unwraps (see
// DataKey.Seal); nil means crypto/rand.Reader. HPKE encapsulation always
// uses the system random source, as crypto/hpke does not take one (tests can
// make it deterministic with testing/cryptotest.SetGlobalRandom).
func Create(path string, rand io.Reader) (*Keyring, error) {
	rand = orDefault(rand)
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("creating key file %s: %w", path, fs.ErrExist)
	}
	k := newKeyring(path, rand)
	if _, err := io.ReadFull(rand, k.pepper[:]); err != nil {
		return nil, fmt.Errorf("creating key file %s: reading random pepper: %w", path, err)
	}
	kk, err := generateKEMKey(1, rand)
	if err != nil {
		return nil, fmt.Errorf("creating key file %s: %w", path, err)
	}
	k.keys = []*kemKey{kk}
	k.active = 1
	data, err := k.marshal()
	if err != nil {
		return nil, fmt.Errorf("creating key file %s: %w", path, err)
	}
	if err := writeFile(path, data, true); err != nil {
		return nil, fmt.Errorf("creating key file %s: %w", path, err)
	}
	return k, nil
}

// Load reads the key file at path. A missing file gives an error wrapping
// fs.ErrNotExist. A file that group or other users may access is refused
// with an error wrapping ErrInsecurePermissions (the check is skipped on
// Windows, where Unix permission bits do not apply).
//
// The returned keyring uses crypto/rand.Reader for the random nonces of the
// data keys it unwraps.
func Load(path string) (*Keyring, error) {
	k, _, err := LoadBytes(path)
	return k, err
}

// LoadBytes is Load that also returns the bytes the keyring was read from,
// for a backup that must carry the key file exactly as it is without
// writing a copy anywhere.
func LoadBytes(path string) (*Keyring, []byte, error) {
	// Stat first: opening a FIFO would wait for a writer.
	if fi, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("loading key file: %w", err)
	} else if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("loading key file %s: not a regular file", path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("loading key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("loading key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("loading key file %s: not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, nil, fmt.Errorf("loading key file %s: mode %04o lets group or other users access it: %w (hint: chmod 600 %s)",
			path, perm, ErrInsecurePermissions, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("loading key file %s: %w", path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, nil, fmt.Errorf("loading key file %s: larger than %d bytes", path, maxKeyFileSize)
	}
	k := newKeyring(path, cryptorand.Reader)
	if err := k.unmarshal(data); err != nil {
		return nil, nil, fmt.Errorf("loading key file %s: %w", path, err)
	}
	return k, data, nil
}

func newKeyring(path string, rand io.Reader) *Keyring {
	k := &Keyring{path: path, rand: rand}
	k.hashers.New = func() any { return k.NewHasher() }
	return k
}

func orDefault(r io.Reader) io.Reader {
	if r == nil {
		return cryptorand.Reader
	}
	return r
}

// Path returns the path of the key file.
func (k *Keyring) Path() string { return k.path }

// ActiveKeyID returns the id of the active KEM key pair, the one
// WrapDataKey wraps to.
func (k *Keyring) ActiveKeyID() uint32 {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.active
}

// KeyIDs returns the ids of all KEM key pairs, in increasing order.
func (k *Keyring) KeyIDs() []uint32 {
	k.mu.RLock()
	defer k.mu.RUnlock()
	ids := make([]uint32, len(k.keys))
	for i, kk := range k.keys {
		ids[i] = kk.id
	}
	return ids
}

// Rotate generates a new KEM key pair from rand (nil means the keyring's
// random source), makes it the active one, and saves the key file. Older
// pairs are kept so that data keys wrapped under them can still be
// unwrapped; re-wrap those data keys with WrapDataKey and then Retire the
// old pairs. If saving fails, the keyring is left unchanged.
func (k *Keyring) Rotate(rand io.Reader) (newID uint32, err error) {
	if rand == nil {
		rand = k.rand
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	last := k.keys[len(k.keys)-1].id
	if last == ^uint32(0) {
		return 0, fmt.Errorf("rotating KEM key: key ids exhausted")
	}
	kk, err := generateKEMKey(last+1, rand)
	if err != nil {
		return 0, fmt.Errorf("rotating KEM key: %w", err)
	}
	oldKeys, oldActive := k.keys, k.active
	k.keys = append(slices.Clip(k.keys), kk)
	k.active = kk.id
	if err := k.saveLocked(); err != nil {
		k.keys, k.active = oldKeys, oldActive
		return 0, fmt.Errorf("rotating KEM key: %w", err)
	}
	return kk.id, nil
}

// Retire removes the KEM key pair id and saves the key file. Data keys
// still wrapped under it can no longer be unwrapped (UnwrapDataKey then
// fails with ErrUnknownKey). The active pair cannot be retired
// (ErrActiveKey). If saving fails, the keyring is left unchanged.
func (k *Keyring) Retire(id uint32) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if id == k.active {
		return fmt.Errorf("retiring KEM key %d: %w", id, ErrActiveKey)
	}
	i := slices.IndexFunc(k.keys, func(kk *kemKey) bool { return kk.id == id })
	if i < 0 {
		return fmt.Errorf("retiring KEM key %d: %w", id, ErrUnknownKey)
	}
	oldKeys := k.keys
	k.keys = slices.Delete(slices.Clone(k.keys), i, i+1)
	if err := k.saveLocked(); err != nil {
		k.keys = oldKeys
		return fmt.Errorf("retiring KEM key %d: %w", id, err)
	}
	return nil
}

// Save writes the keyring to its key file atomically (a temporary file in
// the same directory, fsync, rename, fsync of the directory) with mode
// 0600. Rotate and Retire save by themselves.
func (k *Keyring) Save() error {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.saveLocked()
}

func (k *Keyring) saveLocked() error {
	data, err := k.marshal()
	if err != nil {
		return fmt.Errorf("saving key file %s: %w", k.path, err)
	}
	// A key file reached through a symbolic link (kept on another volume)
	// is replaced where it is, not by a regular file in the link's place.
	path := k.path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if err := writeFile(path, data, false); err != nil {
		return fmt.Errorf("saving key file %s: %w", k.path, err)
	}
	return nil
}

// lookup returns the KEM key pair id, or nil. k.mu must be held.
func (k *Keyring) lookup(id uint32) *kemKey {
	i, found := slices.BinarySearchFunc(k.keys, id, func(kk *kemKey, id uint32) int {
		switch {
		case kk.id < id:
			return -1
		case kk.id > id:
			return 1
		}
		return 0
	})
	if !found {
		return nil
	}
	return k.keys[i]
}

func generateKEMKey(id uint32, rand io.Reader) (*kemKey, error) {
	var seed [kemSeedSize]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return nil, fmt.Errorf("reading random KEM seed: %w", err)
	}
	return newKEMKey(id, seed)
}

func newKEMKey(id uint32, seed [kemSeedSize]byte) (*kemKey, error) {
	priv, err := hpke.MLKEM768X25519().NewPrivateKey(seed[:])
	if err != nil {
		return nil, fmt.Errorf("KEM key %d: %w", id, err)
	}
	return &kemKey{id: id, seed: seed, priv: priv, pub: priv.PublicKey()}, nil
}

// keyFile is the JSON form of the key file. Byte slices are base64.
type keyFile struct {
	Comment string       `json:"comment,omitempty"`
	Version int          `json:"version"`
	Pepper  []byte       `json:"pepper"`
	Active  uint32       `json:"active_kem_key"`
	KEMKeys []kemKeyFile `json:"kem_keys"`
}

type kemKeyFile struct {
	ID   uint32 `json:"id"`
	KEM  string `json:"kem"`
	Seed []byte `json:"seed"`
}

const keyFileComment = "leakwatch key file: secret; keep it off the data volume and out of the data store's backups, and back it up separately"

func (k *Keyring) marshal() ([]byte, error) {
	f := keyFile{
		Comment: keyFileComment,
		Version: keyFileVersion,
		Pepper:  k.pepper[:],
		Active:  k.active,
	}
	for _, kk := range k.keys {
		f.KEMKeys = append(f.KEMKeys, kemKeyFile{ID: kk.id, KEM: kemName, Seed: kk.seed[:]})
	}
	data, err := json.MarshalIndent(f, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// unmarshal parses and validates a key file into k. Error messages never
// include key material.
func (k *Keyring) unmarshal(data []byte) error {
	// The version first, so that a file from a newer leakwatch is reported
	// as such rather than as having unknown fields.
	var v struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("malformed key file: %w", err)
	}
	if v.Version != keyFileVersion {
		return fmt.Errorf("unsupported key file version %d", v.Version)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f keyFile
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("malformed key file: %w", err)
	}
	if len(f.Pepper) != pepperSize {
		return fmt.Errorf("pepper is %d bytes, want %d", len(f.Pepper), pepperSize)
	}
	copy(k.pepper[:], f.Pepper)
	if len(f.KEMKeys) == 0 {
		return fmt.Errorf("no KEM key pairs")
	}
	for _, fk := range f.KEMKeys {
		switch {
		case fk.ID == 0:
			return fmt.Errorf("KEM key id 0 is not allowed")
		case fk.KEM != kemName:
			return fmt.Errorf("KEM key %d: unsupported KEM %q", fk.ID, fk.KEM)
		case len(fk.Seed) != kemSeedSize:
			return fmt.Errorf("KEM key %d: seed is %d bytes, want %d", fk.ID, len(fk.Seed), kemSeedSize)
		}
		kk, err := newKEMKey(fk.ID, [kemSeedSize]byte(fk.Seed))
		if err != nil {
			return err
		}
		k.keys = append(k.keys, kk)
	}
	slices.SortFunc(k.keys, func(a, b *kemKey) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	for i := 1; i < len(k.keys); i++ {
		if k.keys[i].id == k.keys[i-1].id {
			return fmt.Errorf("duplicate KEM key id %d", k.keys[i].id)
		}
	}
	if k.lookup(f.Active) == nil {
		return fmt.Errorf("active KEM key %d is not in the file", f.Active)
	}
	k.active = f.Active
	return nil
}

// writeFile writes data to path atomically with mode 0600: it writes and
// syncs a temporary file in the same directory, then renames it over path
// (or, when exclusive, hard-links it to path, which fails if path exists),
// and syncs the directory.
func writeFile(path string, data []byte, exclusive bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		if err != nil || exclusive {
			os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	err = tmp.Close()
	tmp = nil
	if err != nil {
		return err
	}
	if exclusive {
		if err := os.Link(tmpName, path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fs.ErrExist
			}
			return err
		}
	} else if err := os.Rename(tmpName, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename or link in dir durable. Windows cannot sync a
// directory; there the rename is as durable as the platform makes it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
