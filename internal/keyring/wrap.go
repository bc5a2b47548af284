package keyring

import (
	"crypto/hpke"
	"encoding/binary"
	"fmt"
)

// Wrapped is a data key sealed with HPKE (RFC 9180; MLKEM768-X25519,
// HKDF-SHA256, AES-256-GCM) to one of the keyring's KEM public keys. It is
// the form in which data keys are stored next to the data.
type Wrapped struct {
	KEMKeyID   uint32 // the KEM key pair the data key is wrapped to
	DataKeyID  uint32 // DataKey.ID of the wrapped key
	Enc        []byte // HPKE encapsulated key
	Ciphertext []byte // HPKE ciphertext of the 32-byte data key
}

// Wrapped binary format, version 1:
//
//	version (1 byte, 0x01) || KEM key id (4, big endian) ||
//	data key id (4, big endian) || len(enc) (2, big endian) || enc ||
//	ciphertext
const (
	wrappedVersion = 1
	wrappedHeader  = 1 + 4 + 4 + 2
	wrappedCTSize  = dataKeySize + 16 // HPKE AES-256-GCM tag
	wrapInfoPrefix = "leakwatch/keyring/v1/wrap-data-key\x00"
)

// MarshalBinary encodes w in the versioned binary format above.
func (w Wrapped) MarshalBinary() ([]byte, error) {
	if len(w.Enc) > 0xffff {
		return nil, fmt.Errorf("marshaling wrapped data key %d: encapsulated key is %d bytes", w.DataKeyID, len(w.Enc))
	}
	b := make([]byte, 0, wrappedHeader+len(w.Enc)+len(w.Ciphertext))
	b = append(b, wrappedVersion)
	b = binary.BigEndian.AppendUint32(b, w.KEMKeyID)
	b = binary.BigEndian.AppendUint32(b, w.DataKeyID)
	b = binary.BigEndian.AppendUint16(b, uint16(len(w.Enc)))
	b = append(b, w.Enc...)
	b = append(b, w.Ciphertext...)
	return b, nil
}

// UnmarshalBinary decodes data written by MarshalBinary into w. It copies
// what it keeps. Malformed input gives an error wrapping ErrTampered.
func (w *Wrapped) UnmarshalBinary(data []byte) error {
	if len(data) < wrappedHeader {
		return fmt.Errorf("unmarshaling wrapped data key: %d bytes is too short: %w", len(data), ErrTampered)
	}
	if data[0] != wrappedVersion {
		return fmt.Errorf("unmarshaling wrapped data key: unknown format version %d", data[0])
	}
	n := int(binary.BigEndian.Uint16(data[9:11]))
	if len(data) < wrappedHeader+n {
		return fmt.Errorf("unmarshaling wrapped data key: truncated encapsulated key: %w", ErrTampered)
	}
	*w = Wrapped{
		KEMKeyID:   binary.BigEndian.Uint32(data[1:5]),
		DataKeyID:  binary.BigEndian.Uint32(data[5:9]),
		Enc:        append([]byte(nil), data[wrappedHeader:wrappedHeader+n]...),
		Ciphertext: append([]byte(nil), data[wrappedHeader+n:]...),
	}
	return nil
}

// wrapInfo is the HPKE info of a wrapped data key: it binds both ids, so a
// wrapped key relabelled with another data key id or KEM key id fails to
// unwrap.
func wrapInfo(kemKeyID, dataKeyID uint32) []byte {
	info := make([]byte, 0, len(wrapInfoPrefix)+8)
	info = append(info, wrapInfoPrefix...)
	info = binary.BigEndian.AppendUint32(info, kemKeyID)
	return binary.BigEndian.AppendUint32(info, dataKeyID)
}

func hpkeSuite() (hpke.KDF, hpke.AEAD) { return hpke.HKDFSHA256(), hpke.AES256GCM() }

// WrapDataKey seals dk to the active KEM public key with HPKE. It costs one
// KEM encapsulation (about a hundred microseconds): wrap data keys, not
// records.
func (k *Keyring) WrapDataKey(dk *DataKey) (Wrapped, error) {
	k.mu.RLock()
	kk := k.lookup(k.active)
	k.mu.RUnlock()
	kdf, aead := hpkeSuite()
	enc, sender, err := hpke.NewSender(kk.pub, kdf, aead, wrapInfo(kk.id, dk.ID))
	if err != nil {
		return Wrapped{}, fmt.Errorf("wrapping data key %d: %w", dk.ID, err)
	}
	ct, err := sender.Seal(nil, dk.secret[:])
	if err != nil {
		return Wrapped{}, fmt.Errorf("wrapping data key %d: %w", dk.ID, err)
	}
	return Wrapped{KEMKeyID: kk.id, DataKeyID: dk.ID, Enc: enc, Ciphertext: ct}, nil
}

// UnwrapDataKey recovers a data key wrapped by WrapDataKey. It fails with an
// error wrapping ErrUnknownKey when the KEM key pair is not (or no longer)
// in the keyring, and with one wrapping ErrTampered when w does not
// authenticate. The data key uses the keyring's random source for random
// nonces.
func (k *Keyring) UnwrapDataKey(w Wrapped) (*DataKey, error) {
	k.mu.RLock()
	kk := k.lookup(w.KEMKeyID)
	k.mu.RUnlock()
	if kk == nil {
		return nil, fmt.Errorf("unwrapping data key %d: KEM key %d: %w", w.DataKeyID, w.KEMKeyID, ErrUnknownKey)
	}
	if len(w.Ciphertext) != wrappedCTSize {
		return nil, fmt.Errorf("unwrapping data key %d: ciphertext is %d bytes, want %d: %w",
			w.DataKeyID, len(w.Ciphertext), wrappedCTSize, ErrTampered)
	}
	kdf, aead := hpkeSuite()
	r, err := hpke.NewRecipient(w.Enc, kk.priv, kdf, aead, wrapInfo(kk.id, w.DataKeyID))
	if err != nil {
		// A malformed encapsulated key; the cause adds nothing secret.
		return nil, fmt.Errorf("unwrapping data key %d: %w: %v", w.DataKeyID, ErrTampered, err)
	}
	secret, err := r.Open(nil, w.Ciphertext)
	if err != nil {
		return nil, fmt.Errorf("unwrapping data key %d: %w", w.DataKeyID, ErrTampered)
	}
	return newDataKey(w.DataKeyID, [dataKeySize]byte(secret), k.rand)
}
