// Package pwned renders the password corpus in the formats of Pwned
// Passwords: the body of the k-anonymity range API (GET /range/{prefix}),
// its padded variant, and the downloader's offline files (one file ordered
// by hash, or one file per prefix).
//
// There is one renderer: the HTTP handler, Export and Pack (a
// read-optimised copy of the ranges that the server can build at start)
// all call it, so a range served over HTTP and the same range exported to
// a file are byte-identical.
//
// A range body lists, for every hash of the corpus whose first 20 bits
// (5 hex digits) equal the prefix, the remaining hex digits in upper case, a
// colon and the count, in ascending order, lines separated by CRLF, with no
// newline after the last line. An empty range is an empty body.
package pwned

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Range prefixes.
const (
	// PrefixLen is the length of a range prefix in hex digits.
	PrefixLen = 5
	// NumPrefixes is the number of range prefixes, 16^5.
	NumPrefixes = 1 << 20
)

const hexUpper = "0123456789ABCDEF"

// ParsePrefix parses a range prefix: exactly five hex digits, either case.
func ParsePrefix(s string) (uint32, bool) {
	if len(s) != PrefixLen {
		return 0, false
	}
	var p uint32
	for i := 0; i < PrefixLen; i++ {
		c := s[i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		default:
			return 0, false
		}
		p = p<<4 | uint32(v)
	}
	return p, true
}

// AppendPrefix appends prefix (< NumPrefixes) as five upper-case hex digits.
func AppendPrefix(dst []byte, prefix uint32) []byte {
	return append(dst,
		hexUpper[prefix>>16&15], hexUpper[prefix>>12&15], hexUpper[prefix>>8&15],
		hexUpper[prefix>>4&15], hexUpper[prefix&15])
}

// SuffixLen returns the length in hex digits of the suffixes of a range of
// kind: 35 for SHA-1, 27 for NTLM.
func SuffixLen(kind store.HashKind) int { return 2*kind.Size() - PrefixLen }

// errHashSize reports a store that yielded a hash of the wrong length.
var errHashSize = errors.New("store yielded a hash of the wrong size")

// AppendRange appends the range body of prefix (< NumPrefixes) for the hash
// kind to dst and returns the extended slice and the number of lines. It is
// the single renderer of the range format; dst may be reused across calls.
func AppendRange(ctx context.Context, dst []byte, s store.Store, kind store.HashKind, prefix uint32) ([]byte, int, error) {
	return render(ctx, dst, s, kind, prefix, false)
}

// render writes the hashes of one prefix. A range body (full false) holds
// suffixes, CRLF between lines; the downloader's single file (full true)
// holds full hashes, every line ended by CRLF.
func render(ctx context.Context, dst []byte, s store.Store, kind store.HashKind, prefix uint32, full bool) ([]byte, int, error) {
	if prefix >= NumPrefixes {
		return dst, 0, fmt.Errorf("range prefix out of bounds")
	}
	if err := ctx.Err(); err != nil {
		return dst, 0, err
	}
	size := kind.Size()
	if size == 0 {
		return dst, 0, fmt.Errorf("unknown hash kind %d", kind)
	}
	w := &lineWriter{dst: dst, size: size, full: full}
	// A method value rather than a range loop: the loop's captured
	// variables would each move to the heap.
	s.PasswordRange(ctx, kind, prefix)(w.add)
	return w.dst, w.n, w.err
}

// lineWriter renders the lines of one range as the store yields them.
type lineWriter struct {
	dst  []byte
	n    int
	size int
	full bool
	err  error
}

// maxLine is the longest line: 40 hex digits, ':', 19 digits, CRLF.
const maxLine = 40 + 1 + 19 + 2

func (w *lineWriter) add(h store.PasswordHash, err error) bool {
	if err != nil {
		w.err = err
		return false
	}
	if len(h.Hash) != w.size {
		w.err = errHashSize
		return false
	}
	dst := slices.Grow(w.dst, maxLine)
	if w.full {
		for _, b := range h.Hash {
			dst = append(dst, hexUpper[b>>4], hexUpper[b&15])
		}
	} else {
		if w.n > 0 {
			dst = append(dst, '\r', '\n')
		}
		// Skip the five prefix digits: two bytes and a nibble.
		dst = append(dst, hexUpper[h.Hash[2]&15])
		for _, b := range h.Hash[3:] {
			dst = append(dst, hexUpper[b>>4], hexUpper[b&15])
		}
	}
	dst = append(dst, ':')
	dst = strconv.AppendInt(dst, h.Count, 10)
	if w.full {
		dst = append(dst, '\r', '\n')
	}
	w.dst = dst
	w.n++
	return true
}
