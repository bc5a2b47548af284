package keyring

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// ErrKeyMismatch reports a key file that is not the one a store was
// written with (another installation's, or one whose pepper or KEM seeds
// were altered): using it would give wrong answers ("not found" for
// accounts that are there) or write data nobody can find again.
var ErrKeyMismatch = errors.New("key file does not match the store")

// Check value format, version 1:
//
//	version (1 byte, 0x01) || pepper check (16) || count (1) ||
//	count × (KEM key id (4, big endian) || KEM check (16))
//
// The pepper check is HMAC-SHA-256 under the pepper of a fixed label; a KEM
// check is HMAC-SHA-256 under the pepper of the key id and the public key.
// Both are truncated to 16 bytes. Without the pepper they are
// indistinguishable from random: a check value reveals nothing about the
// keys, only whether a key file matches.
const (
	checkVersion    = 1
	checkSize       = 16
	checkPepperInfo = "leakwatch/key-check/v1/pepper"
	checkKEMInfo    = "leakwatch/key-check/v1/kem\x00"
)

// Check returns the check value of the whole key file: its pepper and
// every KEM key pair it holds. A store records it when it is created, and
// Verify later tells whether a key file is that one.
func (k *Keyring) Check() []byte {
	return k.CheckFor(k.KeyIDs())
}

// CheckFor returns the check value of the pepper and the KEM key pairs
// named by ids that the keyring holds (ids it does not hold are left out).
// Key rotation records the check of the new pair alone, so that the key
// file verifies both before and after the old pair is retired.
func (k *Keyring) CheckFor(ids []uint32) []byte {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var kks []*kemKey
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		if kk := k.lookup(id); kk != nil {
			kks = append(kks, kk)
		}
	}
	out := make([]byte, 0, 2+checkSize+len(kks)*(4+checkSize))
	out = append(out, checkVersion)
	out = append(out, k.pepperCheck()...)
	out = append(out, byte(len(kks)))
	for _, kk := range kks {
		out = binary.BigEndian.AppendUint32(out, kk.id)
		out = append(out, k.kemCheck(kk)...)
	}
	return out
}

func (k *Keyring) pepperCheck() []byte {
	mac := hmac.New(sha256.New, k.pepper[:])
	mac.Write([]byte(checkPepperInfo))
	return mac.Sum(nil)[:checkSize]
}

func (k *Keyring) kemCheck(kk *kemKey) []byte {
	mac := hmac.New(sha256.New, k.pepper[:])
	mac.Write([]byte(checkKEMInfo))
	mac.Write(binary.BigEndian.AppendUint32(nil, kk.id))
	mac.Write(kk.pub.Bytes())
	return mac.Sum(nil)[:checkSize]
}

// Verify reports whether the keyring is the key file that check (from
// Check or CheckFor) was made of: the same pepper, and every KEM key pair
// the check names present and unchanged. Extra pairs in the key file are
// fine (a rotation in progress). A mismatch gives an error wrapping
// ErrKeyMismatch that says what differs, never a key.
func (k *Keyring) Verify(check []byte) error {
	if len(check) < 2+checkSize || check[0] != checkVersion {
		return fmt.Errorf("%w: the store's key check value is malformed", ErrKeyMismatch)
	}
	if !hmac.Equal(check[1:1+checkSize], k.pepperCheck()) {
		return fmt.Errorf("%w: its pepper is not the one the store was written with", ErrKeyMismatch)
	}
	n := int(check[1+checkSize])
	rest := check[2+checkSize:]
	if len(rest) != n*(4+checkSize) {
		return fmt.Errorf("%w: the store's key check value is malformed", ErrKeyMismatch)
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	for i := 0; i < n; i++ {
		e := rest[i*(4+checkSize):]
		id := binary.BigEndian.Uint32(e)
		kk := k.lookup(id)
		if kk == nil {
			return fmt.Errorf("%w: it lacks KEM key pair %d, which the store's data keys are wrapped under", ErrKeyMismatch, id)
		}
		if !hmac.Equal(e[4:4+checkSize], k.kemCheck(kk)) {
			return fmt.Errorf("%w: its KEM key pair %d is not the one the store's data keys are wrapped under", ErrKeyMismatch, id)
		}
	}
	return nil
}

// CheckIDs returns the KEM key pairs a check value names.
func CheckIDs(check []byte) ([]uint32, error) {
	if len(check) < 2+checkSize || check[0] != checkVersion {
		return nil, fmt.Errorf("%w: the store's key check value is malformed", ErrKeyMismatch)
	}
	n := int(check[1+checkSize])
	rest := check[2+checkSize:]
	if len(rest) != n*(4+checkSize) {
		return nil, fmt.Errorf("%w: the store's key check value is malformed", ErrKeyMismatch)
	}
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = binary.BigEndian.Uint32(rest[i*(4+checkSize):])
	}
	return ids, nil
}
