package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
	"slices"
	"sync"
	"sync/atomic"
)

// Sealed record format, version 1:
//
//	version (1 byte, 0x01) || data key id (4 bytes, big endian) ||
//	nonce (12 bytes) || AES-256-GCM ciphertext || tag (16 bytes)
//
// The 5-byte header is not part of the GCM additional data and need not
// be: a changed version is rejected, and a changed key id either names no
// key, names another key (ErrWrongKey), or selects a key under which the
// tag does not verify.
const (
	sealedVersion  = 1
	dataKeySize    = 32
	nonceSize      = 12
	tagSize        = 16
	sealedHeader   = 1 + 4 + nonceSize
	sealedOverhead = sealedHeader + tagSize

	// MinNonceSeed is the shortest nonce seed DataKey.Seal uses for a
	// deterministic nonce; shorter seeds (and nil) select a random nonce.
	MinNonceSeed = 12
)

// HKDF-SHA256 info strings deriving the working keys from a data key.
const (
	infoSealKey  = "leakwatch/data-key/v1/aes-256-gcm"
	infoNonceKey = "leakwatch/data-key/v1/synthetic-nonce"
)

// DataKey is a 32-byte symmetric key that seals records with AES-256-GCM.
// It is stored only wrapped (Keyring.WrapDataKey). From the 32 bytes two
// keys are derived with HKDF-SHA256: the AES-256-GCM key and the key of the
// HMAC-SHA-256 that derives deterministic nonces. A DataKey is safe for
// concurrent use and must not be copied.
type DataKey struct {
	// ID names the data key in sealed records and wrapped keys. Callers
	// choose it (for example a generation counter) and must keep it unique
	// within a store.
	ID uint32

	secret  [dataKeySize]byte
	aead    cipher.AEAD
	rand    io.Reader
	nonces  sync.Pool     // of *nonceMAC
	sealers atomic.Uint32 // numbers given to Sealers
}

// nonceMAC is the reusable state for deriving one synthetic nonce.
type nonceMAC struct {
	mac  hash.Hash
	sum  [sha256.Size]byte
	lens [16]byte
}

// NewDataKey generates a data key from rand. rand also supplies the random
// nonces of Seal calls without a nonce seed, so it must be safe for
// concurrent use if such calls are concurrent; nil means crypto/rand.Reader.
func NewDataKey(id uint32, rand io.Reader) (*DataKey, error) {
	rand = orDefault(rand)
	var secret [dataKeySize]byte
	if _, err := io.ReadFull(rand, secret[:]); err != nil {
		return nil, fmt.Errorf("generating data key %d: %w", id, err)
	}
	return newDataKey(id, secret, rand)
}

func newDataKey(id uint32, secret [dataKeySize]byte, rand io.Reader) (*DataKey, error) {
	sealKey, err := hkdf.Expand(sha256.New, secret[:], infoSealKey, 32)
	if err != nil {
		return nil, fmt.Errorf("deriving keys of data key %d: %w", id, err)
	}
	nonceKey, err := hkdf.Expand(sha256.New, secret[:], infoNonceKey, 32)
	if err != nil {
		return nil, fmt.Errorf("deriving keys of data key %d: %w", id, err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("data key %d: %w", id, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("data key %d: %w", id, err)
	}
	d := &DataKey{ID: id, secret: secret, aead: aead, rand: orDefault(rand)}
	d.nonces.New = func() any {
		m := &nonceMAC{mac: hmac.New(sha256.New, nonceKey)}
		m.mac.Reset() // cache the padded key states
		return m
	}
	return d, nil
}

// Seal encrypts and authenticates plaintext and aad, and appends the sealed
// record (see the format above: 33 bytes of overhead) to dst. dst must not
// overlap plaintext. aad is authenticated but not stored; Open needs the
// same aad.
//
// With a nonceSeed of at least MinNonceSeed bytes (callers pass the record's
// 16-byte account key) sealing is deterministic, in the manner of SIV: the
// nonce is HMAC-SHA-256, under a key derived from the data key, of
// nonceSeed, aad and plaintext, truncated to 12 bytes. Sealing the same
// record twice gives the same bytes (imports are idempotent), while
// different plaintexts or aads get different nonces even under the same
// seed, so a record that changes never reuses a nonce. The price is that
// equal records are recognisable as equal.
//
// With a shorter or nil nonceSeed the nonce is read from the data key's
// random source; Seal panics if that source fails (crypto/rand never does).
//
// Seal does not allocate when dst has room for len(plaintext)+33 bytes.
func (d *DataKey) Seal(dst, nonceSeed, plaintext, aad []byte) []byte {
	out := slices.Grow(dst, sealedOverhead+len(plaintext))
	out = append(out, sealedVersion)
	out = binary.BigEndian.AppendUint32(out, d.ID)
	nonce := out[len(out) : len(out)+nonceSize]
	out = out[:len(out)+nonceSize]
	if len(nonceSeed) >= MinNonceSeed {
		d.syntheticNonce(nonce, nonceSeed, plaintext, aad)
	} else if _, err := io.ReadFull(d.rand, nonce); err != nil {
		panic("keyring: reading random nonce: " + err.Error())
	}
	return d.aead.Seal(out, nonce, plaintext, aad)
}

// syntheticNonce writes HMAC(nonceKey, len(seed) || seed || len(aad) ||
// aad || plaintext)[:12] into nonce. The lengths (8 bytes each, big endian)
// make the encoding unambiguous.
func (d *DataKey) syntheticNonce(nonce, seed, plaintext, aad []byte) {
	m := d.nonces.Get().(*nonceMAC)
	m.mac.Reset()
	binary.BigEndian.PutUint64(m.lens[:8], uint64(len(seed)))
	binary.BigEndian.PutUint64(m.lens[8:], uint64(len(aad)))
	m.mac.Write(m.lens[:8])
	m.mac.Write(seed)
	m.mac.Write(m.lens[8:])
	m.mac.Write(aad)
	m.mac.Write(plaintext)
	copy(nonce, m.mac.Sum(m.sum[:0]))
	d.nonces.Put(m)
}

// Open authenticates and decrypts a record made by Seal with the same aad
// and appends the plaintext to dst. It fails with an error wrapping
// ErrWrongKey when the record names another data key (see SealedKeyID), and
// with one wrapping ErrTampered when the record is malformed or does not
// authenticate. dst must not overlap sealed.
func (d *DataKey) Open(dst, sealed, aad []byte) ([]byte, error) {
	id, err := SealedKeyID(sealed)
	if err != nil {
		return nil, err
	}
	if id != d.ID {
		return nil, fmt.Errorf("opening record of data key %d with data key %d: %w", id, d.ID, ErrWrongKey)
	}
	nonce := sealed[1+4 : sealedHeader]
	out, err := d.aead.Open(dst, nonce, sealed[sealedHeader:], aad)
	if err != nil {
		return nil, fmt.Errorf("opening record of data key %d: %w", id, ErrTampered)
	}
	return out, nil
}

// SealedKeyID returns the id of the data key that sealed a record, so that
// the caller can pick the key to Open it with. It fails with an error
// wrapping ErrTampered when sealed is too short to be a record, and with a
// plain error when its format version is unknown.
func SealedKeyID(sealed []byte) (uint32, error) {
	if len(sealed) < sealedOverhead {
		return 0, fmt.Errorf("reading sealed record: %d bytes is too short: %w", len(sealed), ErrTampered)
	}
	if sealed[0] != sealedVersion {
		return 0, fmt.Errorf("reading sealed record: unknown format version %d", sealed[0])
	}
	return binary.BigEndian.Uint32(sealed[1:5]), nil
}

// Sealer seals records under a data key with nonces built from a counter:
// 4 bytes naming the sealer, then 8 bytes counting its records (the
// deterministic construction of NIST SP 800-38D, section 8.2.1). It costs
// nothing per record, where a synthetic nonce costs an HMAC and a random
// one a read of the system's randomness. Nonces never repeat because every
// Sealer of a DataKey gets its own number; so a data key must only seal in
// the process that created it (an import's data key is fresh and is only
// ever opened afterwards). A Sealer is not safe for concurrent use: make
// one per goroutine.
type Sealer struct {
	d     *DataKey
	id    uint32
	count uint64
}

// NewSealer returns a Sealer with a number no other Sealer of d has.
func (d *DataKey) NewSealer() *Sealer {
	id := d.sealers.Add(1)
	if id == 0 {
		panic("keyring: too many sealers for one data key")
	}
	return &Sealer{d: d, id: id}
}

// Seal appends the sealed form of plaintext to dst, like DataKey.Seal, and
// returns the extended slice.
func (s *Sealer) Seal(dst, plaintext, aad []byte) []byte {
	out := slices.Grow(dst, sealedOverhead+len(plaintext))
	out = append(out, sealedVersion)
	out = binary.BigEndian.AppendUint32(out, s.d.ID)
	start := len(out)
	out = binary.BigEndian.AppendUint32(out, s.id)
	out = binary.BigEndian.AppendUint64(out, s.count)
	s.count++
	return s.d.aead.Seal(out, out[start:start+nonceSize], plaintext, aad)
}
