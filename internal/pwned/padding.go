package pwned

import (
	"bytes"
	"math/rand/v2"
	"slices"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Padding policy for answers to requests with "Add-Padding: true". Clients
// ignore lines with count 0, so padding changes only the size of the answer,
// which is what a network observer sees.
//
// Sources disagree on the public service's rule ("at least 800 lines, plus
// 0-200 more" versus "10 + rand(200) extra lines"); the second reveals the
// real size to within 200 lines. leakwatch pads to a size that depends on
// the real size only in steps of PaddingStep lines: every bucket of up to
// MinPaddedLines-MinPaddingLines real lines looks the same, and a larger one
// is revealed only to the nearest step, never exactly.
const (
	// MinPaddedLines is the least number of lines of a padded answer.
	MinPaddedLines = 800
	// MinPaddingLines is the least number of padding lines added.
	MinPaddingLines = 10
	// PaddingStep is the granularity a padded answer's size reveals.
	PaddingStep = 200
	// PaddingJitter is the most random extra lines added on top.
	PaddingJitter = 200
)

// Padder mixes random lines with count 0 into range bodies. It is not safe
// for concurrent use; keep one per goroutine or in a sync.Pool.
type Padder struct {
	rng  *rand.Rand
	keys []uint64
	line []byte
}

// NewPadder returns a Padder drawing from a ChaCha8 stream seeded with seed,
// which the caller takes from a cryptographic source.
func NewPadder(seed [32]byte) *Padder {
	return &Padder{rng: rand.New(rand.NewChaCha8(seed))}
}

// PaddedLines returns how many lines in all a padded answer with lines real
// lines has: at least MinPaddedLines and at least MinPaddingLines more than
// lines, rounded up to a multiple of PaddingStep, plus 0 to PaddingJitter.
func (p *Padder) PaddedLines(lines int) int {
	base := (lines + MinPaddingLines + PaddingStep - 1) / PaddingStep * PaddingStep
	base = max(base, MinPaddedLines)
	return base + p.rng.IntN(PaddingJitter+1)
}

// Append appends to dst the range body body, of lines lines of hash kind
// as AppendRange renders it, with padding lines merged in: random suffixes
// with count 0, so that the result is still sorted and has PaddedLines lines
// (a random suffix equal to a real one is dropped). dst must not overlap
// body.
func (p *Padder) Append(dst, body []byte, lines int, kind store.HashKind) []byte {
	l := SuffixLen(kind)
	total := p.PaddedLines(lines)
	pad := total - lines

	// The first 16 digits of every padding suffix come from a sorted key,
	// so the suffixes come out sorted; equal keys are dropped.
	keys := p.keys[:0]
	for range pad {
		keys = append(keys, p.rng.Uint64())
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	p.keys = keys

	dst = slices.Grow(dst, len(body)+len(keys)*(l+4))
	line := p.line[:0]
	pos, first := 0, true
	emit := func(b []byte) {
		if !first {
			dst = append(dst, '\r', '\n')
		}
		first = false
		dst = append(dst, b...)
	}
	for _, k := range keys {
		line = line[:0]
		for shift := 60; shift >= 0; shift -= 4 {
			line = append(line, hexUpper[k>>shift&15])
		}
		for len(line) < l {
			r := p.rng.Uint64()
			for i := 0; i < 16 && len(line) < l; i++ {
				line = append(line, hexUpper[r&15])
				r >>= 4
			}
		}
		// Real lines sorting before this padding suffix go first.
		skip := false
		for pos < len(body) {
			c := bytes.Compare(body[pos:pos+l], line)
			if c > 0 {
				break
			}
			end := bytes.IndexByte(body[pos:], '\r')
			if end < 0 {
				end = len(body) - pos
			}
			emit(body[pos : pos+end])
			pos += end + 2
			if c == 0 {
				skip = true
				break
			}
		}
		if !skip {
			line = append(line, ':', '0')
			emit(line)
		}
	}
	if pos < len(body) {
		emit(body[pos:])
	}
	p.line = line
	return dst
}
