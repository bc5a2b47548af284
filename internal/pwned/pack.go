package pwned

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Pack is a read-optimised copy of the ranges of one hash kind: every
// range's hashes and counts packed one after another in a file, and an
// in-memory table of where each range starts (8 MiB). Rendering a range
// from a Pack costs one positioned read and the shared renderer, where the
// store costs an iterator, a seek and a merge per hash.
//
// The file is unlinked as soon as it is created, so it takes disk space
// (about 19 bytes per SHA-1 hash, 15 per NTLM hash) only while the Pack is
// open and never outlives the process, even one that is killed. A Pack is a
// snapshot: it reflects the store when it was built.
//
// A Pack is safe for concurrent use; Close must not run concurrently with
// other calls.
type Pack struct {
	kind    store.HashKind
	f       *os.File
	offsets []int64 // range p is f[offsets[p]:offsets[p+1]]
	bufs    sync.Pool
}

// record is one packed hash: bytes 2 and later of the hash (bytes 0 and
// 1 follow from the prefix), then the count as a uvarint.
func recordLen(kind store.HashKind) int { return kind.Size() - 2 }

// BuildPack copies the ranges of kind from s into a new Pack whose file is
// created (and at once unlinked) in dir.
func BuildPack(ctx context.Context, s store.Store, kind store.HashKind, dir string) (*Pack, error) {
	return buildPack(ctx, s, kind, dir, nil)
}

// buildPack builds a Pack from one pass over the store's hashes of kind;
// prefixes for which skip returns true are left empty.
func buildPack(ctx context.Context, s store.Store, kind store.HashKind, dir string, skip func(uint32) bool) (*Pack, error) {
	if kind.Size() == 0 {
		return nil, fmt.Errorf("unknown hash kind %d", kind)
	}
	f, err := os.CreateTemp(dir, "leakwatch-"+kind.String()+"-ranges-*")
	if err != nil {
		return nil, fmt.Errorf("building %s range pack: %w", kind, err)
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, fmt.Errorf("building %s range pack: %w", kind, err)
	}
	p := &Pack{kind: kind, f: f, offsets: make([]int64, NumPrefixes+1)}
	w := bufio.NewWriterSize(f, 1<<20)
	var off int64
	var rec []byte
	next := uint32(0) // the first prefix whose offset is not set yet
	for h, err := range s.PasswordHashes(ctx, kind) {
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("building %s range pack: %w", kind, err)
		}
		if len(h.Hash) != kind.Size() {
			f.Close()
			return nil, errHashSize
		}
		prefix := uint32(h.Hash[0])<<12 | uint32(h.Hash[1])<<4 | uint32(h.Hash[2]>>4)
		if skip != nil && skip(prefix) {
			continue
		}
		for ; next <= prefix; next++ {
			p.offsets[next] = off
		}
		rec = append(rec[:0], h.Hash[2:]...)
		rec = binary.AppendUvarint(rec, uint64(h.Count))
		w.Write(rec) // a write error sticks; Flush reports it
		off += int64(len(rec))
	}
	if err := ctx.Err(); err != nil {
		f.Close()
		return nil, err
	}
	for ; next <= NumPrefixes; next++ {
		p.offsets[next] = off
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, fmt.Errorf("building %s range pack: %w", kind, err)
	}
	return p, nil
}

// Kind returns the hash kind of the Pack.
func (p *Pack) Kind() store.HashKind { return p.kind }

// Size returns the bytes of the Pack's file.
func (p *Pack) Size() int64 { return p.offsets[NumPrefixes] }

var errCorruptPack = errors.New("corrupt range pack")

// AppendRange appends the range body of prefix to dst exactly as
// AppendRange renders it from the store the Pack was built from, and
// returns the extended slice and the number of lines.
func (p *Pack) AppendRange(dst []byte, prefix uint32) ([]byte, int, error) {
	if prefix >= NumPrefixes {
		return dst, 0, fmt.Errorf("range prefix out of bounds")
	}
	lo, hi := p.offsets[prefix], p.offsets[prefix+1]
	if lo == hi {
		return dst, 0, nil
	}
	bp, _ := p.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer p.bufs.Put(bp)
	buf := *bp
	if int64(cap(buf)) < hi-lo {
		buf = make([]byte, hi-lo)
		*bp = buf
	}
	buf = buf[:hi-lo]
	if _, err := p.f.ReadAt(buf, lo); err != nil {
		return dst, 0, fmt.Errorf("reading %s range pack: %w", p.kind, err)
	}
	size, rl := p.kind.Size(), recordLen(p.kind)
	var hash [20]byte
	hash[0], hash[1] = byte(prefix>>12), byte(prefix>>4)
	w := lineWriter{dst: dst, size: size}
	for len(buf) > 0 {
		if len(buf) < rl+1 {
			return dst, 0, errCorruptPack
		}
		copy(hash[2:size], buf[:rl])
		count, n := binary.Uvarint(buf[rl:])
		if n <= 0 {
			return dst, 0, errCorruptPack
		}
		buf = buf[rl+n:]
		w.add(store.PasswordHash{Hash: hash[:size], Count: int64(count)}, nil)
	}
	return w.dst, w.n, nil
}

// Close releases the Pack and its disk space.
func (p *Pack) Close() error { return p.f.Close() }
