package privatecheck

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/cloudflare/circl/oprf"
)

// Tag is a stored tag: the first TagBits bits of an OPRF output,
// big-endian.
type Tag uint32

func tagOf(output []byte) Tag { return Tag(binary.BigEndian.Uint32(output[:4])) }

// Key is the OPRF key of one epoch. Its methods are safe for concurrent
// use.
type Key struct {
	params Params
	priv   *oprf.PrivateKey
	srv    oprf.VerifiableServer
	pub    []byte
}

const (
	keyMagic  = "LWk1"
	keyLabel  = "leakwatch/private/key/v1"
	keyLen    = 4 + 4 + 1 + 32
	scalarLen = 32
)

// GenerateKey returns a new key for the epoch p: the RFC 9497
// DeriveKeyPair of 32 bytes read from rand (crypto/rand.Reader in
// production), with the epoch in its info. It reads rand itself because
// circl's ristretto255 ignores the reader it is given.
func GenerateKey(p Params, rand io.Reader) (*Key, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	seed := make([]byte, 32)
	if _, err := io.ReadFull(rand, seed); err != nil {
		return nil, fmt.Errorf("privatecheck: generating key: %w", err)
	}
	info := binary.BigEndian.AppendUint32([]byte(keyLabel), p.Epoch)
	k, err := oprf.DeriveKey(suite, oprf.VerifiableMode, seed, info)
	if err != nil {
		return nil, fmt.Errorf("privatecheck: generating key: %w", err)
	}
	return keyFrom(p, k)
}

func keyFrom(p Params, k *oprf.PrivateKey) (*Key, error) {
	pub, err := k.Public().MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("privatecheck: encoding public key: %w", err)
	}
	return &Key{params: p, priv: k, srv: oprf.NewVerifiableServer(suite, k), pub: pub}, nil
}

// MarshalBinary encodes the key with its epoch parameters as 41 bytes
// ("LWk1", epoch, bucket bits, secret scalar). The result is secret: the
// caller seals it before storing it, and deletes it to retire the epoch.
func (k *Key) MarshalBinary() ([]byte, error) {
	s, err := k.priv.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := append([]byte(keyMagic), 0, 0, 0, 0, k.params.BucketBits)
	binary.BigEndian.PutUint32(b[4:], k.params.Epoch)
	return append(b, s...), nil
}

// UnmarshalKey decodes a key encoded by Key.MarshalBinary.
func UnmarshalKey(b []byte) (*Key, error) {
	if len(b) != keyLen || string(b[:4]) != keyMagic {
		return nil, errors.New("privatecheck: malformed key")
	}
	p := Params{Epoch: binary.BigEndian.Uint32(b[4:]), BucketBits: b[8]}
	if err := p.validate(); err != nil {
		return nil, err
	}
	k := new(oprf.PrivateKey)
	if err := k.UnmarshalBinary(suite, b[9:]); err != nil {
		return nil, fmt.Errorf("privatecheck: malformed key: %w", err)
	}
	return keyFrom(p, k)
}

// Params returns the parameters of the key's epoch.
func (k *Key) Params() Params { return k.params }

// PublicKey returns the epoch's public key, 32 bytes, for clients to pin.
func (k *Key) PublicKey() []byte { return slices.Clone(k.pub) }

// PairTag returns the tag of a leaked (login, password) pair: the slow
// hash x, then the first 4 bytes of FullEvaluate(0x01 ‖ x). It costs about
// 0.5 ms of a core.
func (k *Key) PairTag(l Login, password []byte) (Tag, error) {
	x, err := slowHash(l, password)
	if err != nil {
		return 0, err
	}
	return k.PairTagOf(x)
}

// PairTagOf is PairTag from the slow hash x of the pair, which the import
// keeps sealed so that a new epoch can be built without the passwords.
func (k *Key) PairTagOf(x []byte) (Tag, error) {
	if len(x) != slowHashLen {
		return 0, errors.New("privatecheck: slow hash of wrong length")
	}
	out, err := k.srv.FullEvaluate(pairOPRFInput(x))
	if err != nil {
		return 0, fmt.Errorf("privatecheck: evaluating pair: %w", err)
	}
	return tagOf(out), nil
}

// SlowHash returns the slow hash x of a pair, the input of PairTagOf.
func SlowHash(l Login, password []byte) ([]byte, error) { return slowHash(l, password) }

// UsernameTag returns the tag of a leaked login: the first 4 bytes of
// FullEvaluate(0x02 ‖ U), without slow hash.
func (k *Key) UsernameTag(l Login) (Tag, error) {
	out, err := k.srv.FullEvaluate(usernameOPRFInput(l))
	if err != nil {
		return 0, fmt.Errorf("privatecheck: evaluating login: %w", err)
	}
	return tagOf(out), nil
}
