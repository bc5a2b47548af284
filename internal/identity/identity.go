// Package identity derives the store keys of account identifiers: the one
// place that decides how an email, username or phone number becomes an
// AccountKey and an email k-anonymity bucket, and how a credential pair
// becomes the PairPrint that counts it once per breach. Import and lookup
// both go through it, so they cannot disagree.
package identity

import (
	"bytes"
	"crypto/cipher"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"strings"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Labels domain-separate the keyed functions of a Deriver.
const (
	rangeLabel    = "email-range-v1"
	pairLabel     = "pair-print-v1"
	unpairedLabel = "unpaired-print-v1"
)

// Deriver computes store keys. It is not safe for concurrent use; make one
// per goroutine with New.
type Deriver struct {
	h           *keyring.Hasher
	rangePRF    cipher.Block
	pairPRF     cipher.Block
	unpairedPRF cipher.Block
	domainPRF   cipher.Block
}

// New returns a Deriver over the keyring's pepper.
func New(kr *keyring.Keyring) *Deriver {
	return &Deriver{h: kr.NewHasher(), rangePRF: kr.BlockPRF(rangeLabel), pairPRF: kr.BlockPRF(pairLabel),
		unpairedPRF: kr.BlockPRF(unpairedLabel), domainPRF: kr.BlockPRF(domainLabel)}
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

// domainLabel domain-separates the tags of domain names.
const domainLabel = "domain-v1"

// Domain returns the tag of a normalised domain name (lower case ASCII,
// as account normalises an email's domain): an email's domain, which
// indexes the email for its domain's owner, or a website's. Both kinds
// share the tag space, so a domain owner's domain finds both.
//
// The tag is a CBC-MAC under AES-256 (a key derived from the pepper) of
// the name with its length prepended, which makes the encoding
// prefix-free and the MAC a PRF on names of any length: a few AES blocks,
// where an HMAC would cost a large share of an import of a leak whose
// emails are at a hundred thousand domains.
func (d *Deriver) Domain(name []byte) store.DomainTag {
	var x [16]byte
	binary.BigEndian.PutUint64(x[:8], uint64(len(name)))
	n := copy(x[8:], name)
	d.domainPRF.Encrypt(x[:], x[:])
	for rest := name[n:]; len(rest) > 0; {
		var blk [16]byte
		k := copy(blk[:], rest)
		rest = rest[k:]
		for i := range 16 {
			x[i] ^= blk[i]
		}
		d.domainPRF.Encrypt(x[:], x[:])
	}
	return store.DomainTag(x[:8])
}

// EmailDomain returns the tag of a normalised email's domain.
func (d *Deriver) EmailDomain(email []byte) store.DomainTag {
	return d.Domain(account.Domain(email))
}

// DomainName normalises a domain name typed by a user or found in a leak
// the way account normalises an email's domain (lower case, an IDN in
// Unicode, no final dot), so that a domain's tag finds the emails at it.
func DomainName(s string) (string, error) {
	email, ok := account.Email([]byte("x@" + s))
	if !ok || strings.ContainsAny(s, "@ \t") {
		return "", BadDomain("not a domain name")
	}
	d := account.Domain(email)
	if !bytes.Contains(d, []byte{'.'}) {
		return "", BadDomain("not a domain name (it has one label)")
	}
	return string(d), nil
}

// BadDomain is an error about a domain name that is none: it says so in
// its own words and is an ErrBadAccount, the error of malformed input.
type BadDomain string

func (e BadDomain) Error() string { return string(e) }

// Is makes a BadDomain an ErrBadAccount.
func (e BadDomain) Is(target error) bool { return target == ErrBadAccount }

// ErrBadAccount is returned for input that is no email, phone number or
// username.
var ErrBadAccount = account.ErrBadLogin

// Parse classifies and normalises an identifier typed by a user with
// account.Login, the decision import makes for every login it keeps.
func Parse(s string) (account.Kind, []byte, error) { return account.Parse(s) }

// Pair returns the print of a credential pair: an account and a password
// (by its SHA-1).
func (d *Deriver) Pair(acct store.AccountKey, sha1 [20]byte) store.PairPrint {
	return print(d.pairPRF, acct, sha1)
}

// Unpaired returns the print of a password found without an account: of
// the password and of the record it came from (record, a digest of the
// record's content, such as RecordDigest gives). The same record found
// again, in any container, has the same print.
func (d *Deriver) Unpaired(record [16]byte, sha1 [20]byte) store.PairPrint {
	return print(d.unpairedPRF, record, sha1)
}

// print is AES, under a key derived from the pepper, of first XOR the first
// 16 bytes of the password's SHA-1: one block operation, cheap enough for
// the import's hot path where an HMAC would not be. first is a keyed hash
// itself (an account key) or a digest of a record: without the pepper nobody
// can choose two pairs whose XORs collide, and by chance they do with
// probability 2^-128 per two pairs. Paired and unpaired prints have keys of
// their own.
func print(prf cipher.Block, first [16]byte, sha1 [20]byte) store.PairPrint {
	var x [16]byte
	for i := range 16 {
		x[i] = first[i] ^ sha1[i]
	}
	prf.Encrypt(x[:], x[:])
	return store.PairPrint(x)
}

// lineLabel domain-separates the prints of quarantined lines.
const lineLabel = "quarantine-line-v1"

// Line returns the print of a quarantined line's content (HMAC-SHA-256
// under the pepper, truncated): a breach keeps each distinct line once.
func (d *Deriver) Line(raw []byte) store.LinePrint {
	return store.LinePrint(d.h.Tag(lineLabel, raw))
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
