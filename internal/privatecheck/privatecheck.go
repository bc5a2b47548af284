// Package privatecheck is the protocol core of the private credential check
// of issue 12 (docs/private-check.md): a client learns whether its exact
// (login, password) pair, a similar password or only its login is in a
// leak, while the server learns neither the password nor the answer.
//
// A login is bucketed by a hash of its canonical form only; the password is
// slow-hashed with Argon2id (Argon2T, Argon2MemoryKiB, Argon2Threads) and
// blinded with the RFC 9497 VOPRF ristretto255-SHA512 (circl). The server
// holds a Key per epoch, precomputes 32-bit tags of every leaked pair and
// login with Key.PairTag and Key.UsernameTag, and answers a Request with
// Key.Evaluate followed by the bucket's tags (Bucket.MarshalBinary). The
// client (Client, State) verifies the batched DLEQ proof against the
// epoch's public key before it looks its outputs up in the tags.
//
// The package holds no HTTP, storage or key sealing: the caller stores the
// marshalled Key and the Buckets and serves the wire format. The
// benchmarks that fixed its parameters are in bench_test.go:
//
//	go test -run XXX -bench . ./internal/privatecheck/
package privatecheck

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/oprf"
	"github.com/leakwatch/leakwatch/internal/account"
	"golang.org/x/crypto/argon2"
)

// Protocol constants fixed by docs/private-check.md. Changing any of them,
// or the normalisation of package account, changes buckets and tags and
// needs new labels and a rebuilt index.
const (
	// Elements is the number of blinded elements of every request: the
	// exact pair, Variants variant slots and the username.
	Elements = 12
	// Variants is the number of similar-password slots of a request.
	Variants = 10
	// TagBits is the length of a stored tag: the first 4 bytes of an OPRF
	// output.
	TagBits = 32
	// MaxBucketBits is the largest bucket length an epoch may have.
	MaxBucketBits = 24

	// Argon2id parameters of the slow hash of (login, password).
	Argon2T         = 1
	Argon2MemoryKiB = 256
	Argon2Threads   = 1
	slowHashLen     = 32

	bucketLabel = "leakwatch/private/bucket/v1"
	pairLabel   = "leakwatch/private/pair/v1"

	pairInput     = 0x01
	usernameInput = 0x02
)

// suite is the OPRF suite of every epoch.
var suite = oprf.SuiteRistretto255

// Params are the public parameters of an epoch.
type Params struct {
	// Epoch numbers the epoch; each epoch has its own independent key.
	Epoch uint32
	// BucketBits is b, the number of bits of the login hash that name a
	// bucket (0 to MaxBucketBits).
	BucketBits uint8
}

func (p Params) validate() error {
	if p.BucketBits > MaxBucketBits {
		return fmt.Errorf("privatecheck: bucket bits %d above %d", p.BucketBits, MaxBucketBits)
	}
	return nil
}

// BucketBitsFor returns the bucket length for an index of pairs
// deduplicated pairs: the fewest bits for which the mean bucket holds at
// most 2048 pairs, capped at MaxBucketBits.
func BucketBitsFor(pairs int) uint8 {
	b := uint8(0)
	for b < MaxBucketBits && pairs > 2048<<b {
		b++
	}
	return b
}

// Login is a canonical login: the kind and normalised form that package
// account gives (account.AppendLoginIn at import, identity.Parse at
// lookup). Its protocol encoding U is the kind byte followed by Norm.
type Login struct {
	Kind account.Kind
	Norm []byte
}

// ParseLogin normalises a login typed by a user with account.Parse, the
// lookup path (identity.Parse is the same function).
func ParseLogin(s string) (Login, error) {
	kind, norm, err := account.Parse(s)
	if err != nil {
		return Login{}, err
	}
	return Login{Kind: kind, Norm: norm}, nil
}

// appendU appends U = kind ‖ norm.
func (l Login) appendU(dst []byte) []byte {
	return append(append(dst, byte(l.Kind)), l.Norm...)
}

// BucketOf returns the bucket of a canonical login: the top BucketBits
// bits of SHA-256(bucketLabel ‖ 0x00 ‖ U). It depends on the login only.
func (p Params) BucketOf(l Login) uint32 {
	h := sha256.New()
	h.Write([]byte(bucketLabel))
	h.Write([]byte{0})
	h.Write(l.appendU(nil))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	if p.BucketBits == 0 {
		return 0
	}
	return binary.BigEndian.Uint32(sum[:4]) >> (32 - p.BucketBits)
}

// errLoginTooLong is returned for a login whose U does not fit the 16-bit
// length of the salt; account's limits keep every real login far below.
var errLoginTooLong = errors.New("privatecheck: login too long")

// slowHash returns x = Argon2id(password, pairLabel ‖ BE16(len U) ‖ U).
// The password bytes are used as typed, not normalised.
func slowHash(l Login, password []byte) ([]byte, error) {
	u := l.appendU(nil)
	if len(u) > 0xffff {
		return nil, errLoginTooLong
	}
	salt := append([]byte(pairLabel), byte(len(u)>>8), byte(len(u)))
	salt = append(salt, u...)
	return argon2.IDKey(password, salt, Argon2T, Argon2MemoryKiB, Argon2Threads, slowHashLen), nil
}

// pairOPRFInput returns 0x01 ‖ x.
func pairOPRFInput(x []byte) []byte {
	return append([]byte{pairInput}, x...)
}

// usernameOPRFInput returns 0x02 ‖ U.
func usernameOPRFInput(l Login) []byte {
	return l.appendU([]byte{usernameInput})
}
