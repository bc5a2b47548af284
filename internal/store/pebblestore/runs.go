package pebblestore

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
)

// An import's facts become entries: a key, an operation and a value. They
// are buffered in memory, sorted and combined (equal keys: a set keeps one
// value, a merge adds counts), spilled to run files when a buffer fills,
// and finally merged from all runs in key order.
//
// Encoding, in buffers and run files alike:
//
//	klen u8 | key | op u8 | vlen uvarint | value

const (
	opSet    = 1
	opMerge  = 2
	opDelete = 3
)

type runBuffer struct {
	arena   []byte
	items   []sortItem
	scratch []sortItem // radix sort's second array
}

type sortItem struct {
	pfx uint64 // the key's first 8 bytes, big-endian, to compare without indirection
	off uint32
}

func (b *runBuffer) add(key []byte, op byte, val []byte) {
	off := len(b.arena)
	b.arena = append(b.arena, byte(len(key)))
	b.arena = append(b.arena, key...)
	b.arena = append(b.arena, op)
	b.arena = binary.AppendUvarint(b.arena, uint64(len(val)))
	b.arena = append(b.arena, val...)
	var p [8]byte
	copy(p[:], key)
	b.items = append(b.items, sortItem{binary.BigEndian.Uint64(p[:]), uint32(off)})
}

// entry decodes the entry at off.
func (b *runBuffer) entry(off uint32) (key []byte, op byte, val []byte) {
	a := b.arena[off:]
	kl := int(a[0])
	key = a[1 : 1+kl]
	op = a[1+kl]
	vl, n := binary.Uvarint(a[2+kl:])
	val = a[2+kl+n : 2+kl+n+int(vl)]
	return key, op, val
}

// sort orders the buffer's entries by key. It radix-sorts the 8-byte key
// prefixes (keys are mostly random hashes, so prefixes nearly always
// decide), then orders runs of equal prefixes by their whole keys.
func (b *runBuffer) sort() {
	b.scratch = radixSort(b.items, b.scratch)
	for i := 0; i < len(b.items); {
		j := i + 1
		for j < len(b.items) && b.items[j].pfx == b.items[i].pfx {
			j++
		}
		if j-i > 1 {
			run := b.items[i:j]
			slices.SortFunc(run, func(x, y sortItem) int {
				kx, _, _ := b.entry(x.off)
				ky, _, _ := b.entry(y.off)
				return bytes.Compare(kx, ky)
			})
		}
		i = j
	}
}

// groupSort orders a large buffer's entries by key for cache-friendly
// reading: it first copies the entries into dst grouped by their second and
// third key bytes (1024 groups, each small enough to stay in cache, in key
// order because a bucket fixes the first byte and the top of the second),
// makes dst the arena, then sorts each group on its own. Reading the sorted
// entries afterwards touches one group at a time instead of jumping across
// the whole arena. dst is reused between calls and returned.
func (b *runBuffer) groupSort(dst []byte) []byte {
	const groups = 1024
	if len(b.items) < 4*groups {
		b.sort()
		return dst
	}
	group := func(off uint32) int {
		k, _, _ := b.entry(off)
		var g int
		if len(k) > 1 {
			g = int(k[1]&3) << 8
		}
		if len(k) > 2 {
			g |= int(k[2])
		}
		return g
	}
	var counts, bytesIn [groups + 1]int
	gs := make([]uint16, len(b.items))
	for i, it := range b.items {
		g := group(it.off)
		gs[i] = uint16(g)
		counts[g+1]++
		bytesIn[g+1] += b.entrySize(it.off)
	}
	for g := 1; g <= groups; g++ {
		counts[g] += counts[g-1]
		bytesIn[g] += bytesIn[g-1]
	}
	if cap(dst) < len(b.arena) {
		dst = make([]byte, len(b.arena))
	}
	dst = dst[:len(b.arena)]
	b.scratch = slices.Grow(b.scratch[:0], len(b.items))[:len(b.items)]
	itemPos, bytePos := counts, bytesIn
	for i, it := range b.items {
		g := gs[i]
		n := b.entrySize(it.off)
		copy(dst[bytePos[g]:], b.arena[it.off:int(it.off)+n])
		b.scratch[itemPos[g]] = sortItem{pfx: it.pfx, off: uint32(bytePos[g])}
		itemPos[g]++
		bytePos[g] += n
	}
	old := b.arena
	b.arena, b.items, b.scratch = dst[:bytesIn[groups]], b.scratch, b.items
	for g := 0; g < groups; g++ {
		grp := b.items[counts[g]:counts[g+1]]
		slices.SortFunc(grp, func(x, y sortItem) int {
			if c := cmp.Compare(x.pfx, y.pfx); c != 0 {
				return c
			}
			kx, _, _ := b.entry(x.off)
			ky, _, _ := b.entry(y.off)
			return bytes.Compare(kx, ky)
		})
	}
	return old
}

// entrySize returns the encoded length of the entry at off.
func (b *runBuffer) entrySize(off uint32) int {
	a := b.arena[off:]
	kl := int(a[0])
	vl, n := binary.Uvarint(a[2+kl:])
	return 2 + kl + n + int(vl)
}

// radixSort sorts items by pfx, least significant byte first, skipping
// bytes that are equal in every item. scratch is reused between calls.
func radixSort(items, scratch []sortItem) []sortItem {
	n := len(items)
	if n < 64 {
		slices.SortFunc(items, func(x, y sortItem) int { return cmp.Compare(x.pfx, y.pfx) })
		return scratch
	}
	var counts [8][256]int
	for _, it := range items {
		p := it.pfx
		for d := range 8 {
			counts[d][byte(p>>(8*d))]++
		}
	}
	scratch = slices.Grow(scratch[:0], n)[:n]
	src, dst := items, scratch
	for d := range 8 {
		c := &counts[d]
		if c[byte(src[0].pfx>>(8*d))] == n {
			continue // every item has the same byte here
		}
		var pos [256]int
		sum := 0
		for i := range 256 {
			pos[i] = sum
			sum += c[i]
		}
		shift := uint(8 * d)
		for _, it := range src {
			k := byte(it.pfx >> shift)
			dst[pos[k]] = it
			pos[k]++
		}
		src, dst = dst, src
	}
	if &src[0] != &items[0] {
		copy(items, src)
	}
	return scratch
}

// entryIter yields entries in key order; equal keys may repeat.
type entryIter interface {
	next() (key []byte, op byte, val []byte, ok bool, err error)
	close() error
}

// bufferIter iterates a sorted runBuffer.
type bufferIter struct {
	b      *runBuffer
	i, end int
}

// rangeIter iterates the entries of a sorted buffer with lo <= key < hi
// (nil: unbounded).
func (b *runBuffer) rangeIter(lo, hi []byte) *bufferIter {
	search := func(bound []byte, def int) int {
		if bound == nil {
			return def
		}
		return sort.Search(len(b.items), func(i int) bool {
			k, _, _ := b.entry(b.items[i].off)
			return bytes.Compare(k, bound) >= 0
		})
	}
	return &bufferIter{b: b, i: search(lo, 0), end: search(hi, len(b.items))}
}

func (it *bufferIter) next() ([]byte, byte, []byte, bool, error) {
	if it.i >= it.end {
		return nil, 0, nil, false, nil
	}
	k, op, v := it.b.entry(it.b.items[it.i].off)
	it.i++
	return k, op, v, true, nil
}

func (it *bufferIter) close() error { return nil }

// combiner folds equal adjacent keys of an iterator into one entry.
type combiner struct {
	in      entryIter
	key     []byte
	op      byte
	val     []byte
	count   uint64
	pending bool
	done    bool

	outKey, outVal []byte
}

// next returns the next distinct key with its combined value. The returned
// slices are valid until the following call.
func (c *combiner) next() (key []byte, op byte, val []byte, ok bool, err error) {
	if !c.pending && !c.done {
		if err := c.load(); err != nil {
			return nil, 0, nil, false, err
		}
	}
	if !c.pending {
		return nil, 0, nil, false, nil
	}
	c.outKey = append(c.outKey[:0], c.key...)
	c.outVal = append(c.outVal[:0], c.val...)
	outKey, outOp, outVal, outCount := c.outKey, c.op, c.outVal, c.count
	c.pending = false
	for {
		k, op, v, ok, err := c.in.next()
		if err != nil {
			return nil, 0, nil, false, err
		}
		if !ok {
			c.done = true
			break
		}
		if !bytes.Equal(k, outKey) {
			c.set(k, op, v)
			break
		}
		if op == opDelete || outOp == opDelete {
			// A quarantined line resolved and quarantined again in one
			// import: the quarantine entry wins, in whatever order the
			// two arrived.
			if op == opSet {
				outOp = opSet
				outVal = append(outVal[:0], v...)
			}
			continue
		}
		if op != outOp {
			return nil, 0, nil, false, fmt.Errorf("pebblestore: key written with two operations")
		}
		if op == opMerge {
			n, err := decodeCount(v)
			if err != nil {
				return nil, 0, nil, false, err
			}
			outCount += uint64(n)
		} else if outKey[0] != tPair || pairPrefer(outVal, v) {
			outVal = append(outVal[:0], v...) // last set wins
		}
	}
	if outOp == opMerge {
		outVal = binary.AppendUvarint(outVal[:0], outCount)
	}
	c.outVal = outVal
	return outKey, outOp, outVal, true, nil
}

func (c *combiner) load() error {
	k, op, v, ok, err := c.in.next()
	if err != nil {
		return err
	}
	if !ok {
		c.done = true
		return nil
	}
	c.set(k, op, v)
	return nil
}

func (c *combiner) set(k []byte, op byte, v []byte) {
	c.key = append(c.key[:0], k...)
	c.op = op
	c.val = append(c.val[:0], v...)
	c.count = 0
	if op == opMerge {
		n, _ := decodeCount(v)
		c.count = uint64(n)
	}
	c.pending = true
}

// writeRun writes the sorted, combined entries of b to path.
func writeRun(path string, b *runBuffer) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	c := &combiner{in: b.rangeIter(nil, nil)}
	var hdr [binary.MaxVarintLen64 + 2]byte
	for {
		k, op, v, ok, err := c.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		n := binary.PutUvarint(hdr[1:], uint64(len(v)))
		hdr[0] = op
		w.WriteByte(byte(len(k)))
		w.Write(k)
		w.Write(hdr[:1+n])
		w.Write(v)
	}
	return w.Flush()
}

// fileIter reads a run file.
type fileIter struct {
	f   *os.File
	r   *bufio.Reader
	key []byte
	val []byte
}

func openRun(path string) (*fileIter, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &fileIter{f: f, r: bufio.NewReaderSize(f, 256<<10)}, nil
}

var errCorruptRun = errors.New("pebblestore: corrupt run file")

func (it *fileIter) next() ([]byte, byte, []byte, bool, error) {
	kl, err := it.r.ReadByte()
	if err == io.EOF {
		return nil, 0, nil, false, nil
	}
	if err != nil {
		return nil, 0, nil, false, err
	}
	it.key = slices.Grow(it.key[:0], int(kl))[:kl]
	if _, err := io.ReadFull(it.r, it.key); err != nil {
		return nil, 0, nil, false, errCorruptRun
	}
	op, err := it.r.ReadByte()
	if err != nil {
		return nil, 0, nil, false, errCorruptRun
	}
	vl, err := binary.ReadUvarint(it.r)
	if err != nil || vl > 1<<20 {
		return nil, 0, nil, false, errCorruptRun
	}
	it.val = slices.Grow(it.val[:0], int(vl))[:vl]
	if _, err := io.ReadFull(it.r, it.val); err != nil {
		return nil, 0, nil, false, errCorruptRun
	}
	return it.key, op, it.val, true, nil
}

func (it *fileIter) close() error { return it.f.Close() }

// mergeIter merges sorted iterators into one sorted stream.
type mergeIter struct {
	h   mergeHeap
	all []entryIter
	k   []byte
	v   []byte
}

type mergeHead struct {
	it  entryIter
	key []byte
	op  byte
	val []byte
	seq int // tie-break: later runs are newer
}

type mergeHeap []*mergeHead

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].key, h[j].key); c != 0 {
		return c < 0
	}
	return h[i].seq < h[j].seq
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*mergeHead)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func newMergeIter(its []entryIter) (*mergeIter, error) {
	m := &mergeIter{all: its}
	for i, it := range its {
		hd := &mergeHead{it: it, seq: i}
		ok, err := hd.advance()
		if err != nil {
			return nil, err
		}
		if ok {
			m.h = append(m.h, hd)
		}
	}
	heap.Init(&m.h)
	return m, nil
}

func (hd *mergeHead) advance() (bool, error) {
	k, op, v, ok, err := hd.it.next()
	if err != nil || !ok {
		return false, err
	}
	hd.key = append(hd.key[:0], k...)
	hd.op = op
	hd.val = append(hd.val[:0], v...)
	return true, nil
}

// cur holds the entry returned last; its slices stay valid until next.
func (m *mergeIter) next() ([]byte, byte, []byte, bool, error) {
	if len(m.h) == 0 {
		return nil, 0, nil, false, nil
	}
	top := m.h[0]
	m.k = append(m.k[:0], top.key...)
	m.v = append(m.v[:0], top.val...)
	op := top.op
	ok, err := top.advance()
	if err != nil {
		return nil, 0, nil, false, err
	}
	if ok {
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return m.k, op, m.v, true, nil
}

func (m *mergeIter) close() error {
	var first error
	for _, it := range m.all {
		if err := it.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
