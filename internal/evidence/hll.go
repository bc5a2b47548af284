package evidence

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/bits"
)

// hllBits is the precision of the distinct-row estimate: 2^14 registers,
// a standard error of about 0.8%.
const hllBits = 14

// hll is a HyperLogLog sketch of distinct 64-bit hashes (Flajolet et al.,
// with the small-range correction), mergeable across workers.
type hll [1 << hllBits]uint8

func (h *hll) add(x uint64) {
	i := x >> (64 - hllBits)
	rho := uint8(bits.LeadingZeros64(x<<hllBits|1<<(hllBits-1)) + 1)
	h[i] = max(h[i], rho)
}

func (h *hll) merge(o *hll) {
	for i := range h {
		h[i] = max(h[i], o[i])
	}
}

func (h *hll) estimate() float64 {
	m := float64(len(h))
	sum, zeros := 0.0, 0
	for _, r := range h {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	e := 0.7213 / (1 + 1.079/m) * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros)) // linear counting for small sets
	}
	return e
}

// RowHash hashes a row's fields, eight bytes at a time, the same in
// every process (sketches of several imports merge), for the
// distinct-row sketch: NewRowHash, Add each field, Profile.AddRowHash.
type RowHash uint64

const rowPrime = 0x9e3779b97f4a7c15

// NewRowHash starts the hash of a row.
func NewRowHash() RowHash { return 0x6a09e667f3bcc908 }

// Add adds a field; its length ends it, so fields cannot run together.
func (h RowHash) Add(b []byte) RowHash {
	x := uint64(h)
	for len(b) >= 8 {
		x = (x ^ binary.LittleEndian.Uint64(b)) * rowPrime
		x ^= x >> 29
		b = b[8:]
	}
	var tail [8]byte
	copy(tail[:], b)
	x = (x ^ binary.LittleEndian.Uint64(tail[:]) ^ uint64(len(b)+1)<<56) * rowPrime
	return RowHash(x ^ x>>29)
}

func (h RowHash) sum() uint64 {
	x := uint64(h)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// MarshalJSON encodes the registers as base64.
func (h *hll) MarshalJSON() ([]byte, error) { return json.Marshal(h[:]) }

// UnmarshalJSON decodes what MarshalJSON encodes.
func (h *hll) UnmarshalJSON(b []byte) error {
	var regs []byte
	if err := json.Unmarshal(b, &regs); err != nil {
		return err
	}
	if len(regs) != len(h) {
		return errors.New("evidence: malformed distinct-row sketch")
	}
	copy(h[:], regs)
	return nil
}
