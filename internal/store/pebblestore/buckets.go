package pebblestore

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// stageBytes is the size of a stager's buffer for one bucket.
const stageBytes = 16 << 10

// A stager holds, for one Add call at a time, a small buffer per bucket.
type stager struct {
	bufs [1 << 16][]byte
	used []uint16 // buckets with a buffer
}

// bucket is one bucket of an import: entries in memory until they pass
// bucketMemBytes, then in a file.
type bucket struct {
	mu   sync.Mutex
	mem  []byte
	f    *os.File
	size int64 // bytes in the file and in memory
}

// bucketMemBytes is what a bucket holds in memory before it moves to a
// file. Small imports never create a file; at most 65536 buckets times
// this much is held (in practice about 1000 buckets are in use).
const bucketMemBytes = 256 << 10

// bucketID is the table byte and the top six bits of the next key byte:
// 64 buckets per hashed table keep the staging buffers few enough to stay
// in cache, while a bucket of a 50M-row import still sorts in one piece.
func bucketID(key []byte) uint16 {
	if len(key) < 2 {
		return uint16(key[0]) << 8
	}
	return uint16(key[0])<<8 | uint16(key[1]&0xfc)
}

// stage appends an entry to the stager's buffer of its bucket, writing the
// buffer out when full.
func (imp *pebbleImport) stage(st *stager, key []byte, op byte, val []byte) error {
	id := bucketID(key)
	b := st.bufs[id]
	if b == nil {
		b = make([]byte, 0, stageBytes)
		st.used = append(st.used, id)
	}
	b = append(b, byte(len(key)))
	b = append(b, key...)
	b = append(b, op)
	b = binary.AppendUvarint(b, uint64(len(val)))
	b = append(b, val...)
	if len(b) >= stageBytes {
		if err := imp.writeBucketData(id, b); err != nil {
			return err
		}
		b = b[:0]
	}
	st.bufs[id] = b
	return nil
}

func (imp *pebbleImport) flushStager(st *stager) error {
	for _, id := range st.used {
		if b := st.bufs[id]; len(b) > 0 {
			if err := imp.writeBucketData(id, b); err != nil {
				return err
			}
			st.bufs[id] = b[:0]
		}
	}
	return nil
}

func (imp *pebbleImport) writeBucketData(id uint16, data []byte) error {
	imp.mu.Lock()
	bk := imp.buckets[id]
	if bk == nil {
		bk = &bucket{}
		imp.buckets[id] = bk
	}
	imp.mu.Unlock()
	bk.mu.Lock()
	defer bk.mu.Unlock()
	bk.mem = append(bk.mem, data...)
	bk.size += int64(len(data))
	if len(bk.mem) < bucketMemBytes {
		return nil
	}
	err := imp.spillBucket(id, bk)
	if err != nil {
		imp.mu.Lock()
		if imp.err == nil {
			imp.err = fmt.Errorf("writing import bucket: %w", err)
		}
		imp.mu.Unlock()
	}
	return err
}

// spillBucket moves a bucket's memory to its file. The caller holds bk.mu
// or is the only user.
func (imp *pebbleImport) spillBucket(id uint16, bk *bucket) error {
	if bk.f == nil {
		f, err := os.Create(filepath.Join(imp.dir, fmt.Sprintf("bucket-%05d", id)))
		if err != nil {
			return err
		}
		bk.f = f
	}
	_, err := bk.f.Write(bk.mem)
	bk.mem = bk.mem[:0]
	return err
}

// sortedBucket returns an iterator over bucket id in key order.
// A sortScratch holds one commit goroutine's buffers, reused from bucket
// to bucket so that sorting makes no garbage.
type sortScratch struct {
	data  []byte
	group []byte // groupSort's second arena
	items []sortItem
	radix []sortItem
}

// buffer returns a runBuffer over data using the scratch's item slices;
// give it back with keep.
func (sc *sortScratch) buffer(data []byte) *runBuffer {
	return &runBuffer{arena: data, items: sc.items[:0], scratch: sc.radix}
}

func (sc *sortScratch) keep(b *runBuffer) { sc.items, sc.radix = b.items[:0], b.scratch }

// bytes returns a reusable byte slice of length n.
func (sc *sortScratch) bytes(n int) []byte {
	if cap(sc.data) < n {
		sc.data = make([]byte, n)
	}
	return sc.data[:n]
}

func (imp *pebbleImport) sortedBucket(ctx context.Context, id int, sc *sortScratch) (entryIter, func(), error) {
	bk := imp.buckets[id]
	size, limit := bk.size, int64(imp.s.opts.SortBytes)
	if bk.f == nil && size <= limit {
		// A small bucket, never written to a file.
		b, rest, err := scanEntries(sc.buffer(bk.mem))
		if err != nil || len(rest) > 0 {
			return nil, nil, errCorruptRun
		}
		b.sort()
		return b.rangeIter(nil, nil), func() { sc.keep(b); bk.mem = nil }, nil
	}
	if err := imp.spillBucket(uint16(id), bk); err != nil {
		return nil, nil, err
	}
	if err := bk.f.Close(); err != nil {
		return nil, nil, err
	}
	bk.mem = nil
	path := bk.f.Name()
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var runs []entryIter
	cleanup := func() {
		for _, it := range runs {
			it.close()
		}
		os.Remove(path)
	}
	if size <= limit {
		// The whole bucket in memory at once.
		data := sc.bytes(int(size))
		if _, err := io.ReadFull(f, data); err != nil {
			return nil, nil, fmt.Errorf("reading import bucket: %w", err)
		}
		b, rest, err := scanEntries(sc.buffer(data))
		if err != nil || len(rest) > 0 {
			return nil, nil, errCorruptRun
		}
		// groupSort swaps the arenas: the scratch keeps both.
		sc.group = b.groupSort(sc.group)
		sc.data, sc.group = b.arena[:cap(b.arena)], sc.group[:cap(sc.group)]
		return b.rangeIter(nil, nil), func() { sc.keep(b); cleanup() }, nil
	}
	// A large bucket: sort pieces, spill them, merge.
	var carry []byte
	for piece := 0; ; piece++ {
		buf := make([]byte, len(carry), max(limit, int64(len(carry))+64<<10))
		copy(buf, carry)
		n, err := io.ReadFull(f, buf[len(carry):cap(buf)])
		buf = buf[:len(carry)+n]
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			cleanup()
			return nil, nil, fmt.Errorf("reading import bucket: %w", err)
		}
		b, rest, err := scanEntries(&runBuffer{arena: buf})
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		carry = append([]byte(nil), rest...)
		if len(b.items) > 0 {
			b.sort()
			rp := fmt.Sprintf("%s.run%04d", path, piece)
			if err := writeRun(rp, b); err != nil {
				cleanup()
				return nil, nil, err
			}
			fi, err := openRun(rp)
			if err != nil {
				cleanup()
				return nil, nil, err
			}
			os.Remove(rp) // unlinked: the space is freed when it is closed
			runs = append(runs, fi)
		}
		if ctx.Err() != nil {
			cleanup()
			return nil, nil, ctx.Err()
		}
		if eof {
			if len(carry) > 0 {
				cleanup()
				return nil, nil, errCorruptRun
			}
			break
		}
	}
	mi, err := newMergeIter(runs)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return mi, cleanup, nil
}

// scanEntries indexes the complete entries at the start of b.arena (no
// copy) and returns the incomplete tail.
func scanEntries(b *runBuffer) (*runBuffer, []byte, error) {
	data := b.arena
	off := 0
	for off < len(data) {
		kl := int(data[off])
		if off+1+kl+1 >= len(data) {
			break
		}
		vl, n := binary.Uvarint(data[off+2+kl:])
		if n == 0 {
			break // the varint is cut off
		}
		if n < 0 || vl > 1<<20 {
			return nil, nil, errCorruptRun
		}
		end := off + 2 + kl + n + int(vl)
		if end > len(data) {
			break
		}
		var p [8]byte
		copy(p[:], data[off+1:off+1+kl])
		b.items = append(b.items, sortItem{binary.BigEndian.Uint64(p[:]), uint32(off)})
		off = end
	}
	return b, data[off:], nil
}
