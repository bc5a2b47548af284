// Package identity derives the store keys of account identifiers: the one
// place that decides how an email, username or phone number becomes an
// AccountKey and an email k-anonymity bucket. Import and lookup both go
// through it, so they cannot disagree.
package identity

import (
	"crypto/cipher"
	"crypto/sha1"
	"errors"
	"strings"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

// rangeLabel domain-separates the email bucket tags from other keyed tags.
const rangeLabel = "email-range-v1"

// Deriver computes store keys. It is not safe for concurrent use; make one
// per goroutine with New.
type Deriver struct {
	h        *keyring.Hasher
	rangePRF cipher.Block
}

// New returns a Deriver over the keyring's pepper.
func New(kr *keyring.Keyring) *Deriver {
	return &Deriver{h: kr.NewHasher(), rangePRF: kr.BlockPRF(rangeLabel)}
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

// Parse classifies and normalises an identifier typed by a user: an email
// if it holds '@' after its first character (and then it must be a valid
// address: HIBP answers 400 for "a@b"), a phone number if it starts with
// '+' and is a valid E.164 number, otherwise a username (so handles such as
// "@jdoe" and "+bob" remain reachable as the usernames an import stored).
func Parse(s string) (account.Kind, []byte, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") && !strings.HasPrefix(s, "@") {
		if n, ok := account.Email([]byte(s)); ok {
			return account.KindEmail, n, nil
		}
		return 0, nil, ErrBadAccount
	}
	if strings.HasPrefix(s, "+") {
		if n, ok := account.Phone([]byte(s), ""); ok {
			return account.KindPhone, []byte(n), nil
		}
	}
	if n, ok := account.Username([]byte(s)); ok && s != "" {
		return account.KindUsername, n, nil
	}
	return 0, nil, ErrBadAccount
}
