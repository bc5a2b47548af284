package leakgen

import (
	"math/bits"
	"math/rand/v2"
)

// rng is the generator's random source: a PCG from math/rand/v2, reseeded
// for every person and every stream of decisions about a person (see
// rowKey), so that any field of any row can be computed on its own, in any
// order, with the same result on every machine. Only integer arithmetic is
// used: no floating point, whose rounding could differ between platforms.
type rng struct{ pcg rand.PCG }

// Streams keep the decisions about one row independent of each other: the
// combo format, which needs no phone number, does not disturb the
// password the CSV format shows for the same person.
const (
	streamIdentity uint64 = iota + 1
	streamPassword
	streamPhone
	streamAddress
	streamMisc
	streamFormat // how a format renders the row
	streamJunk
	streamVictim // infostealer victims: sequential, not per row
	streamFile   // per-file choices such as dump dates
	streamUsername
	streamSystem // an infostealer victim's System.txt
)

func (r *rng) reset(key, stream uint64) { r.pcg.Seed(key, stream) }

func (r *rng) u64() uint64 { return r.pcg.Uint64() }

// intn returns a uniform int in [0, n); n must be positive.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.pcg.Uint64(), uint64(n))
	return int(hi)
}

// between returns a uniform int in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance reports true with probability permille/1000.
func (r *rng) chance(permille int) bool { return r.intn(1000) < permille }

// pick returns a uniformly chosen element of list.
func pick[T any](r *rng, list []T) T { return list[r.intn(len(list))] }

// mix64 is the SplitMix64 finalizer: a bijective scramble of x.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// rowKey derives the key of row i from the seed. Rows of one seed have
// independent keys, and so have rows of different seeds.
func rowKey(seed uint64, i int64) uint64 {
	return mix64(mix64(seed^0x5851f42d4c957f2d) ^ (uint64(i) * 0x9e3779b97f4a7c15))
}
