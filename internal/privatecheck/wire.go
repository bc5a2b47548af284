package privatecheck

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/oprf"
)

// The binary wire format of docs/private-check.md section 7. All integers
// are big-endian.
const (
	requestMagic  = "LWq1"
	responseMagic = "LWr1"
	elementLen    = 32
	proofLen      = 64

	// RequestLen is the length of every binary request: a 16-byte header
	// and Elements blinded elements.
	RequestLen = 16 + Elements*elementLen
	// ResponseHeaderLen is the length of what Key.Evaluate returns: a
	// 16-byte header, the evaluated elements and the proof. The bucket's
	// tags (Bucket.MarshalBinary) follow it in a response.
	ResponseHeaderLen = 16 + Elements*elementLen + proofLen

	// MaxTags is the most pair tags, and the most username tags, a bucket
	// may hold.
	MaxTags = 4096
)

// ErrBadRequest is the one error of Evaluate for a request that is not
// exactly the format: it says nothing about what was wrong, so that it
// can be sent to the client as is.
var ErrBadRequest = errors.New("bad request")

// ErrWrongEpoch is returned by Evaluate for a well-formed request of
// another epoch than the key's.
var ErrWrongEpoch = errors.New("privatecheck: request for another epoch")

// RequestEpoch returns the epoch a binary request names, so that a server
// holding several live epochs can choose the key; it reports false for
// anything that is not a request.
func RequestEpoch(req []byte) (uint32, bool) {
	if len(req) != RequestLen || string(req[:4]) != requestMagic {
		return 0, false
	}
	return binary.BigEndian.Uint32(req[4:]), true
}

// parseRequest parses a binary request for the epoch p, rejecting with
// ErrBadRequest anything that is not exactly the format: wrong length or
// magic, n other than Elements, a non-zero reserved field, bits other than
// the epoch's, a bucket out of range, an element that is not a canonical
// ristretto255 encoding or is the identity. A request naming another epoch
// gives ErrWrongEpoch. The header is checked before any element is decoded.
func parseRequest(req []byte, p Params) ([]group.Element, error) {
	if len(req) != RequestLen || string(req[:4]) != requestMagic ||
		req[13] != Elements || req[14] != 0 || req[15] != 0 {
		return nil, ErrBadRequest
	}
	if binary.BigEndian.Uint32(req[4:]) != p.Epoch {
		return nil, ErrWrongEpoch
	}
	if req[12] != p.BucketBits || uint64(binary.BigEndian.Uint32(req[8:])) >= 1<<p.BucketBits {
		return nil, ErrBadRequest
	}
	g := suite.Group()
	elements := make([]group.Element, Elements)
	for i := range elements {
		e := g.NewElement()
		if err := e.UnmarshalBinary(req[16+i*elementLen : 16+(i+1)*elementLen]); err != nil || e.IsIdentity() {
			return nil, ErrBadRequest
		}
		elements[i] = e
	}
	return elements, nil
}

// Evaluate answers a binary request: it checks the format (ErrBadRequest
// for anything malformed, ErrWrongEpoch for a request naming another
// epoch), evaluates the Elements blinded elements in verifiable mode with
// one batched DLEQ proof, and returns the response header
// (ResponseHeaderLen bytes) and the bucket the request names. The caller
// appends the MarshalBinary of that bucket. It costs about 2.3 ms of a
// core, the proof most of it.
func (k *Key) Evaluate(req []byte) (resp []byte, bucket uint32, err error) {
	elements, err := parseRequest(req, k.params)
	if err != nil {
		return nil, 0, err
	}
	bucket = binary.BigEndian.Uint32(req[8:])
	ev, err := k.srv.Evaluate(&oprf.EvaluationRequest{Elements: elements})
	if err != nil {
		return nil, 0, fmt.Errorf("privatecheck: evaluating: %w", err)
	}
	resp = make([]byte, 16, ResponseHeaderLen)
	copy(resp, responseMagic)
	binary.BigEndian.PutUint32(resp[4:], k.params.Epoch)
	binary.BigEndian.PutUint32(resp[8:], bucket)
	resp[12], resp[13], resp[14] = k.params.BucketBits, TagBits, Elements
	for _, e := range ev.Elements {
		b, err := e.MarshalBinaryCompress()
		if err != nil {
			return nil, 0, fmt.Errorf("privatecheck: encoding element: %w", err)
		}
		resp = append(resp, b...)
	}
	proof, err := ev.Proof.MarshalBinary()
	if err != nil {
		return nil, 0, fmt.Errorf("privatecheck: encoding proof: %w", err)
	}
	return append(resp, proof...), bucket, nil
}

// Bucket is the stored answer of one bucket: the sorted, distinct tags of
// its leaked pairs and of its leaked logins.
type Bucket struct {
	Pairs     []Tag
	Usernames []Tag
}

// MarshalBinary encodes the bucket as the tail of a response: BE32 P,
// BE32 U, then the P pair tags and the U username tags, 4 bytes each. The
// tags must be sorted and distinct, at most MaxTags of each.
func (b Bucket) MarshalBinary() ([]byte, error) {
	return b.AppendBinary(make([]byte, 0, 8+4*(len(b.Pairs)+len(b.Usernames))))
}

// AppendBinary appends the encoding of MarshalBinary to dst.
func (b Bucket) AppendBinary(dst []byte) ([]byte, error) {
	if err := checkTags(b.Pairs); err != nil {
		return nil, fmt.Errorf("privatecheck: pair tags: %w", err)
	}
	if err := checkTags(b.Usernames); err != nil {
		return nil, fmt.Errorf("privatecheck: username tags: %w", err)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(b.Pairs)))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(b.Usernames)))
	for _, t := range b.Pairs {
		dst = binary.BigEndian.AppendUint32(dst, uint32(t))
	}
	for _, t := range b.Usernames {
		dst = binary.BigEndian.AppendUint32(dst, uint32(t))
	}
	return dst, nil
}

// UnmarshalBinary decodes what MarshalBinary encodes, exactly.
func (b *Bucket) UnmarshalBinary(data []byte) error {
	if len(data) < 8 {
		return errors.New("privatecheck: bucket too short")
	}
	np, nu := binary.BigEndian.Uint32(data), binary.BigEndian.Uint32(data[4:])
	if np > MaxTags || nu > MaxTags || len(data) != 8+4*int(np+nu) {
		return errors.New("privatecheck: malformed bucket")
	}
	tags := make([]Tag, np+nu)
	for i := range tags {
		tags[i] = Tag(binary.BigEndian.Uint32(data[8+4*i:]))
	}
	nb := Bucket{Pairs: tags[:np:np], Usernames: tags[np:]}
	if checkTags(nb.Pairs) != nil || checkTags(nb.Usernames) != nil {
		return errors.New("privatecheck: bucket tags not sorted")
	}
	*b = nb
	return nil
}

func checkTags(t []Tag) error {
	if len(t) > MaxTags {
		return fmt.Errorf("%d tags, above %d", len(t), MaxTags)
	}
	for i := 1; i < len(t); i++ {
		if t[i] <= t[i-1] {
			return errors.New("not sorted and distinct")
		}
	}
	return nil
}

// Index collects the tags of an epoch bucket by bucket, in memory: the
// builder for tests and small leaks; a store keeps buckets its own way.
// It is not safe for concurrent use.
type Index struct {
	key     *Key
	buckets map[uint32]*Bucket
}

// NewIndex returns an empty index under the key's epoch.
func NewIndex(k *Key) *Index { return &Index{key: k, buckets: make(map[uint32]*Bucket)} }

// Add adds a leaked pair and its login.
func (ix *Index) Add(l Login, password []byte) error {
	pt, err := ix.key.PairTag(l, password)
	if err != nil {
		return err
	}
	ut, err := ix.key.UsernameTag(l)
	if err != nil {
		return err
	}
	b := ix.bucket(ix.key.params.BucketOf(l))
	b.Pairs, b.Usernames = insert(b.Pairs, pt), insert(b.Usernames, ut)
	return nil
}

func (ix *Index) bucket(id uint32) *Bucket {
	b := ix.buckets[id]
	if b == nil {
		b = new(Bucket)
		ix.buckets[id] = b
	}
	return b
}

func insert(s []Tag, t Tag) []Tag {
	i, found := slices.BinarySearch(s, t)
	if found {
		return s
	}
	return slices.Insert(s, i, t)
}

// Bucket returns bucket id, empty if no login falls in it. The caller
// must not modify it.
func (ix *Index) Bucket(id uint32) Bucket {
	if b := ix.buckets[id]; b != nil {
		return *b
	}
	return Bucket{}
}

// Answer evaluates a request and appends its bucket: the whole binary
// response.
func (ix *Index) Answer(req []byte) ([]byte, error) {
	resp, id, err := ix.key.Evaluate(req)
	if err != nil {
		return nil, err
	}
	return ix.Bucket(id).AppendBinary(resp)
}
