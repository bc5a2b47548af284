// Package identity derives the store keys of account identifiers: the one
// place that decides how an email, username or phone number becomes an
// AccountKey and an email k-anonymity bucket, and how a credential pair
// becomes the PairPrint that counts it once per breach. Import and lookup
// both go through it, so they cannot disagree.
package identity

import (
	"crypto/cipher"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Labels domain-separate the keyed functions of a Deriver.
const (
	rangeLabel = "email-range-v1"
	printLabel = "pair-print-v1"
)

// Deriver computes store keys. It is not safe for concurrent use; make one
// per goroutine with New.
type Deriver struct {
	h        *keyring.Hasher
	rangePRF cipher.Block
	printPRF cipher.Block
}

// New returns a Deriver over the keyring's pepper.
func New(kr *keyring.Keyring) *Deriver {
	return &Deriver{h: kr.NewHasher(), rangePRF: kr.BlockPRF(rangeLabel), printPRF: kr.BlockPRF(printLabel)}
}

// Account returns the key of a normalised identifier.
func (d *Deriver) Account(kind account.Kind, normalized []byte) store.AccountKey {
	return d.h.AccountKey(kind, normalized)
}

// EmailRange returns the bucket tag for the first 24 bits of an email's
// SHA-1, the 6-hex prefix of the HIBP email range API: the keyed AES
// permutation of the zero-padded prefix, truncated to 8 bytes (a PRF on
// 3-byte inputs, and far cheaper than an HMAC on the import's hot path).
func (d *Deriver) EmailRange(prefix [3]byte) store.RangeTag {
	var in, out [16]byte
	copy(in[:], prefix[:])
	d.rangePRF.Encrypt(out[:], in[:])
	return store.RangeTag(out[:8])
}

// EmailRangeOf returns the bucket tag of a normalised email.
func (d *Deriver) EmailRangeOf(email []byte) store.RangeTag {
	h := sha1.Sum(email)
	return d.EmailRange([3]byte(h[:3]))
}

// ErrBadAccount is returned for input that is no email, phone number or
// username.
var ErrBadAccount = errors.New("not an email address, phone number or username")

// Parse classifies and normalises an identifier typed by a user with
// account.Login, the decision import makes for every login it keeps.
func Parse(s string) (account.Kind, []byte, error) {
	kind, norm, ok := account.Login([]byte(s))
	if !ok {
		return 0, nil, ErrBadAccount
	}
	return kind, norm, nil
}

// Pair returns the print of a credential pair: an account and a password
// (by its SHA-1).
func (d *Deriver) Pair(acct store.AccountKey, sha1 [20]byte) store.PairPrint {
	return d.print(acct, sha1, printPaired)
}

// Unpaired returns the print of a password found without an account: of
// the password and of the record it came from (record, a digest of the
// record's content, such as RecordDigest gives). The same record found
// again, in any container, has the same print.
func (d *Deriver) Unpaired(record [16]byte, sha1 [20]byte) store.PairPrint {
	return d.print(record, sha1, printUnpaired)
}

// lineLabel domain-separates the prints of quarantined lines.
const lineLabel = "quarantine-line-v1"

// Line returns the print of a quarantined line's content (HMAC-SHA-256
// under the pepper, truncated): a breach keeps each distinct line once.
func (d *Deriver) Line(raw []byte) store.LinePrint {
	return store.LinePrint(d.h.Tag(lineLabel, raw))
}

// Domain bytes of the two kinds of print.
const (
	printPaired   = 1
	printUnpaired = 2
)

// print is CBC-MAC under a key derived from the pepper of the three blocks
// first || sha1[0:16] || sha1[16:20] kind 0...: a PRF on these fixed-length
// messages, about three AES block operations, cheap enough for the
// import's hot path where an HMAC would not be. first is a keyed hash
// itself (an account key) or a digest of a record.
func (d *Deriver) print(first [16]byte, sha1 [20]byte, kind byte) store.PairPrint {
	var x, last [16]byte
	d.printPRF.Encrypt(x[:], first[:])
	for i := range 16 {
		x[i] ^= sha1[i]
	}
	d.printPRF.Encrypt(x[:], x[:])
	copy(last[:4], sha1[16:])
	last[4] = kind
	for i := range 16 {
		x[i] ^= last[i]
	}
	d.printPRF.Encrypt(x[:], x[:])
	return store.PairPrint(x)
}

// RecordDigest is the digest of a record's fields that Unpaired takes: a
// SHA-256 over each field's class and value, truncated to 16 bytes.
func RecordDigest(fields func(yield func(class uint8, value []byte) bool)) [16]byte {
	h := sha256.New()
	var hdr [9]byte
	for class, v := range fields {
		hdr[0] = class
		binary.BigEndian.PutUint64(hdr[1:], uint64(len(v)))
		h.Write(hdr[:])
		h.Write(v)
	}
	var out [16]byte
	copy(out[:], h.Sum(nil))
	return out
}
