package privatecheck

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/oprf"
	"github.com/cloudflare/circl/zk/dleq"
)

// Result is the answer of a check.
type Result int

const (
	// NotFound: neither the login nor a checked password is in the index.
	NotFound Result = iota
	// Leaked: the exact (login, password) pair is in the index.
	Leaked
	// Similar: the login is in the index with one of the password's
	// similar variants (SimilarPasswords), not with the password itself.
	Similar
	// UsernameOnly: the login is in the index, with none of the checked
	// passwords.
	UsernameOnly
)

// String returns the answer's name in the wire and CLI vocabulary.
func (r Result) String() string {
	switch r {
	case NotFound:
		return "not found"
	case Leaked:
		return "leaked"
	case Similar:
		return "similar"
	case UsernameOnly:
		return "username-only"
	}
	return fmt.Sprintf("Result(%d)", int(r))
}

// ErrProof is returned by State.Answer when the response's proof does not
// verify against the epoch's pinned public key: the server evaluated under
// another key (a per-user key, or another epoch's), or the response was
// altered.
var ErrProof = errors.New("privatecheck: the server's proof does not verify against the epoch's public key")

// ErrBadResponse is returned by State.Answer for a response that is not
// the answer to the request.
var ErrBadResponse = errors.New("privatecheck: malformed response")

// Client makes requests for one epoch, whose public key it pins. It is
// safe for concurrent use.
type Client struct {
	params Params
	pub    *oprf.PublicKey
	vc     oprf.VerifiableClient
}

// NewClient returns a client of the epoch p with public key pub (32
// bytes, as Key.PublicKey gives).
func NewClient(p Params, pub []byte) (*Client, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	pk := new(oprf.PublicKey)
	if len(pub) != elementLen || pk.UnmarshalBinary(suite, pub) != nil {
		return nil, errors.New("privatecheck: malformed public key")
	}
	return &Client{params: p, pub: pk, vc: oprf.NewVerifiableClient(suite, pk)}, nil
}

// State is what a client keeps between a request and its answer. It is
// for one answer and not safe for concurrent use.
type State struct {
	params   Params
	bucket   uint32
	fin      *oprf.FinalizeData
	vc       oprf.VerifiableClient
	variants []string // the similar passwords of slots 1..len(variants)
	matched  string
}

// Request builds the request for a login (as typed; normalised with
// ParseLogin) and password: always RequestLen bytes, naming the login's
// bucket, with the blinded pair, Variants similar-password slots (padded
// with random dummies) and the login. It runs Variants+1 slow hashes.
func (c *Client) Request(login, password string) (req []byte, st *State, err error) {
	l, err := ParseLogin(login)
	if err != nil {
		return nil, nil, err
	}
	return c.RequestLogin(l, password)
}

// RequestLogin is Request for a canonical login. The password is checked
// without the ASCII white space around it, which imports strip from every
// field they read.
func (c *Client) RequestLogin(l Login, password string) (req []byte, st *State, err error) {
	password = strings.Trim(password, " \t\r\n\v\f")
	variants := SimilarPasswords(password)
	inputs := make([][]byte, 0, Elements)
	for _, pw := range append([]string{password}, variants...) {
		x, err := slowHash(l, []byte(pw))
		if err != nil {
			return nil, nil, err
		}
		inputs = append(inputs, pairOPRFInput(x))
	}
	for len(inputs) < 1+Variants {
		x := make([]byte, slowHashLen)
		rand.Read(x)
		inputs = append(inputs, pairOPRFInput(x))
	}
	inputs = append(inputs, usernameOPRFInput(l))
	fin, er, err := c.vc.Blind(inputs)
	if err != nil {
		return nil, nil, fmt.Errorf("privatecheck: blinding: %w", err)
	}
	st = &State{params: c.params, bucket: c.params.BucketOf(l), fin: fin, vc: c.vc, variants: variants}
	req = make([]byte, 16, RequestLen)
	copy(req, requestMagic)
	binary.BigEndian.PutUint32(req[4:], c.params.Epoch)
	binary.BigEndian.PutUint32(req[8:], st.bucket)
	req[12], req[13] = c.params.BucketBits, Elements
	for _, e := range er.Elements {
		b, err := e.MarshalBinaryCompress()
		if err != nil {
			return nil, nil, fmt.Errorf("privatecheck: encoding element: %w", err)
		}
		req = append(req, b...)
	}
	return req, st, nil
}

// Answer verifies a binary response (the Evaluate header followed by the
// bucket) and looks the request's outputs up in its tags: the exact pair
// in the pair tags gives Leaked, else a similar password in the pair tags
// gives Similar, else the login in the username tags gives UsernameOnly,
// else NotFound. A proof that does not verify gives ErrProof.
func (st *State) Answer(resp []byte) (Result, error) {
	if len(resp) < ResponseHeaderLen || string(resp[:4]) != responseMagic ||
		binary.BigEndian.Uint32(resp[4:]) != st.params.Epoch ||
		binary.BigEndian.Uint32(resp[8:]) != st.bucket ||
		resp[12] != st.params.BucketBits || resp[13] != TagBits || resp[14] != Elements || resp[15] != 0 {
		return 0, ErrBadResponse
	}
	var b Bucket
	if err := b.UnmarshalBinary(resp[ResponseHeaderLen:]); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrBadResponse, err)
	}
	g := suite.Group()
	ev := &oprf.Evaluation{Elements: make([]group.Element, Elements), Proof: new(dleq.Proof)}
	for i := range ev.Elements {
		e := g.NewElement()
		if err := e.UnmarshalBinary(resp[16+i*elementLen : 16+(i+1)*elementLen]); err != nil {
			return 0, ErrBadResponse
		}
		ev.Elements[i] = e
	}
	if err := ev.Proof.UnmarshalBinary(g, resp[16+Elements*elementLen:ResponseHeaderLen]); err != nil {
		return 0, ErrBadResponse
	}
	out, err := st.vc.Finalize(st.fin, ev)
	switch {
	case errors.Is(err, oprf.ErrInvalidProof):
		return 0, ErrProof
	case err != nil:
		return 0, fmt.Errorf("%w: %w", ErrBadResponse, err)
	}
	has := func(tags []Tag, o []byte) bool {
		_, ok := slices.BinarySearch(tags, tagOf(o))
		return ok
	}
	if has(b.Pairs, out[0]) {
		return Leaked, nil
	}
	for i, v := range st.variants {
		if has(b.Pairs, out[1+i]) {
			st.matched = v
			return Similar, nil
		}
	}
	if has(b.Usernames, out[Elements-1]) {
		return UsernameOnly, nil
	}
	return NotFound, nil
}

// Similar returns the similar password that gave a Similar answer, for
// the client to show locally; "" otherwise.
func (st *State) Similar() string { return st.matched }
