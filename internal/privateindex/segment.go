package privateindex

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"time"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/privatecheck"
	"github.com/leakwatch/leakwatch/internal/store"
)

// A segment is one record of the spool or of the inputs: a count, then a
// sealed list of entries. A spool entry is a leaked pair as the import
// read it (kind, uvarint length, normalised login, uvarint length,
// password); an input entry is what an epoch's tags are computed from
// (kind, uvarint length, normalised login, the 32-byte slow hash x).
// Segment ids are BE64 nanoseconds then 8 random bytes: they sort in the
// order they were written, which the rotation's cursor relies on.

// spoolFlushBytes is the plaintext size at which a Spool is full.
const spoolFlushBytes = 128 << 10

// Spool collects the leaked pairs of an import for the index build. An
// import's worker keeps one, adds every (login, password) it reads, and
// turns it into a record of the import (store.Facts.Records) when it is
// Full and when the worker ends: the pairs reach the store with the
// import's commit, or not at all. It is not safe for concurrent use.
type Spool struct {
	buf []byte
	n   int
}

// Add adds a pair: the login's kind and normalised form (as
// account.AppendLoginIn gives them) and the password as found.
func (s *Spool) Add(kind account.Kind, norm, password []byte) {
	s.buf = append(s.buf, byte(kind))
	s.buf = binary.AppendUvarint(s.buf, uint64(len(norm)))
	s.buf = append(s.buf, norm...)
	s.buf = binary.AppendUvarint(s.buf, uint64(len(password)))
	s.buf = append(s.buf, password...)
	s.n++
}

// Len returns the number of pairs added since the last Record.
func (s *Spool) Len() int { return s.n }

// Full reports whether the spool should become a record now.
func (s *Spool) Full() bool { return len(s.buf) >= spoolFlushBytes }

// Record returns the pairs added so far as a record of the spool, sealed
// by seal (bound to the record's id), and empties the spool. The
// plaintext buffer is cleared.
func (s *Spool) Record(seal func(dst, plaintext, aad []byte) []byte) store.RecordOp {
	id := newSegmentID()
	v := binary.BigEndian.AppendUint32(nil, uint32(s.n))
	v = seal(v, s.buf, id)
	clear(s.buf)
	s.buf, s.n = s.buf[:0], 0
	return store.RecordOp{Table: store.TablePrivateSpool, ID: id, Value: v}
}

func newSegmentID() []byte {
	id := binary.BigEndian.AppendUint64(make([]byte, 0, 16), uint64(time.Now().UnixNano()))
	var r [8]byte
	if _, err := io.ReadFull(rand.Reader, r[:]); err != nil {
		panic(err) // crypto/rand does not fail
	}
	return append(id, r[:]...)
}

// segmentCount returns the count a segment's value starts with.
func segmentCount(v []byte) (int, error) {
	if len(v) < 4 {
		return 0, errMalformed
	}
	return int(binary.BigEndian.Uint32(v)), nil
}

var errMalformed = errors.New("privateindex: malformed segment")

// entry is a decoded entry of a segment; Secret is the password of a
// spool entry or the slow hash x of an input entry.
type entry struct {
	Login  privatecheck.Login
	Secret []byte
}

// parseSpool decodes the plaintext of a spool segment of n entries.
func parseSpool(b []byte, n int) ([]entry, error) {
	return parseEntries(b, n, func(rest []byte) (secret, tail []byte, ok bool) { return lengthPrefixed(rest) })
}

// parseEntries decodes n entries of a segment: each a kind, a
// length-prefixed login, and a secret that secret cuts from the rest.
func parseEntries(b []byte, n int, secret func(rest []byte) (secret, tail []byte, ok bool)) ([]entry, error) {
	out := make([]entry, 0, n)
	for len(b) > 0 {
		if b[0] == 0 {
			return nil, errMalformed
		}
		kind := account.Kind(b[0])
		norm, rest, ok := lengthPrefixed(b[1:])
		if !ok {
			return nil, errMalformed
		}
		sec, rest, ok := secret(rest)
		if !ok {
			return nil, errMalformed
		}
		out = append(out, entry{Login: privatecheck.Login{Kind: kind, Norm: norm}, Secret: sec})
		b = rest
	}
	if len(out) != n {
		return nil, errMalformed
	}
	return out, nil
}

func lengthPrefixed(b []byte) (v, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, false
	}
	return b[w : w+int(n)], b[w+int(n):], true
}

// xLen is the length of a slow hash.
const xLen = 32

// appendInput appends an input entry.
func appendInput(dst []byte, l privatecheck.Login, x []byte) []byte {
	dst = append(dst, byte(l.Kind))
	dst = binary.AppendUvarint(dst, uint64(len(l.Norm)))
	dst = append(dst, l.Norm...)
	return append(dst, x...)
}

// parseInputs decodes the plaintext of an input segment of n entries.
func parseInputs(b []byte, n int) ([]entry, error) {
	return parseEntries(b, n, func(rest []byte) (secret, tail []byte, ok bool) {
		if len(rest) < xLen {
			return nil, nil, false
		}
		return rest[:xLen], rest[xLen:], true
	})
}
