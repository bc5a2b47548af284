package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"hash"

	"github.com/leakwatch/leakwatch/internal/account"
)

// Domain separation of the keyed hashes. Every message starts with one of
// these prefixes, which differ before their first NUL, so an account key can
// never equal a tag, nor a tag under one label a tag under another.
const (
	// AccountKey message: accountKeyPrefix || kind (1 byte) || value.
	accountKeyPrefix = "leakwatch/account-key/v1\x00"
	// Tag message: tagPrefix || len(label) (1 byte) || label || value.
	tagPrefix = "leakwatch/tag/v1\x00"
)

// Hasher computes the keyed hashes of a Keyring (AccountKey and Tag)
// without allocating: it holds the HMAC-SHA-256 state of the pepper, with
// the inner and outer pads already absorbed, and restores it for every
// value. A Hasher is not safe for concurrent use; create one per goroutine
// with Keyring.NewHasher. Its results equal those of the Keyring methods.
type Hasher struct {
	mac     hash.Hash
	sum     [sha256.Size]byte
	scratch []byte
}

// NewHasher returns a Hasher for k's pepper.
func (k *Keyring) NewHasher() *Hasher {
	h := &Hasher{
		mac:     hmac.New(sha256.New, k.pepper[:]),
		scratch: make([]byte, 0, len(tagPrefix)+1+255),
	}
	// The first Reset computes and caches the padded key states; later
	// Resets only copy them back (crypto/hmac does this for hashes that
	// can marshal their state, as SHA-256 can).
	h.mac.Reset()
	return h
}

// AccountKey returns the account key of a normalised identifier (see
// package account): HMAC-SHA-256 under the pepper of a message binding the
// kind and the value, truncated to 16 bytes. Identical values of different
// kinds get unrelated keys. The result is the lookup key of the account in
// the data store.
func (h *Hasher) AccountKey(kind account.Kind, normalized []byte) [16]byte {
	h.scratch = append(h.scratch[:0], accountKeyPrefix...)
	h.scratch = append(h.scratch, byte(kind))
	return h.finish(normalized)
}

// Tag returns a keyed 16-byte tag of v for the index named by label:
// HMAC-SHA-256 under the pepper of a message binding label and v, truncated
// to 16 bytes. Tags under different labels are unrelated to each other and
// to account keys. label must be 1 to 255 bytes long; it is meant to be a
// constant, and Tag panics otherwise.
func (h *Hasher) Tag(label string, v []byte) [16]byte {
	if len(label) == 0 || len(label) > 255 {
		panic("keyring: Tag label must be 1 to 255 bytes")
	}
	h.scratch = append(h.scratch[:0], tagPrefix...)
	h.scratch = append(h.scratch, byte(len(label)))
	h.scratch = append(h.scratch, label...)
	return h.finish(v)
}

// finish hashes h.scratch || v and truncates the MAC.
func (h *Hasher) finish(v []byte) [16]byte {
	h.mac.Reset()
	h.mac.Write(h.scratch)
	h.mac.Write(v)
	return [16]byte(h.mac.Sum(h.sum[:0]))
}

// AccountKey is Hasher.AccountKey on a Hasher borrowed from an internal
// pool. It is safe for concurrent use and does not allocate in the steady
// state; a goroutine hashing many values can save the pool round trip with
// its own Hasher.
func (k *Keyring) AccountKey(kind account.Kind, normalized []byte) [16]byte {
	h := k.hashers.Get().(*Hasher)
	out := h.AccountKey(kind, normalized)
	k.hashers.Put(h)
	return out
}

// Tag is Hasher.Tag on a Hasher borrowed from an internal pool; it is safe
// for concurrent use.
func (k *Keyring) Tag(label string, v []byte) [16]byte {
	h := k.hashers.Get().(*Hasher)
	out := h.Tag(label, v)
	k.hashers.Put(h)
	return out
}

// blockPRFPrefix domain-separates the keys of BlockPRF from every HMAC
// message of AccountKey and Tag.
const blockPRFPrefix = "leakwatch/block-prf/v1\x00"

// BlockPRF returns AES-256 under a key derived from the pepper for label
// (HMAC-SHA-256 of a message binding the label): a keyed permutation of
// 16-byte blocks. Encrypting a zero-padded input shorter than 16 bytes is
// a PRF on inputs of that fixed length, about ten times cheaper than Tag;
// it is meant for short fixed-length values such as bucket prefixes.
// label must be 1 to 255 bytes long. The cipher.Block is safe for
// concurrent use.
func (k *Keyring) BlockPRF(label string) cipher.Block {
	if len(label) == 0 || len(label) > 255 {
		panic("keyring: BlockPRF label must be 1 to 255 bytes")
	}
	mac := hmac.New(sha256.New, k.pepper[:])
	mac.Write([]byte(blockPRFPrefix))
	mac.Write([]byte{byte(len(label))})
	mac.Write([]byte(label))
	key := mac.Sum(nil)
	b, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	return b
}
