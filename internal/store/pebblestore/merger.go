package pebblestore

import (
	"encoding/binary"
	"errors"
	"io"
	"sync"

	"github.com/cockroachdb/pebble/v2"
)

// counterMerger sums uvarint counts. Password hash counts are written as
// merge operands so that imports add to them without reading first.
//
// Ingested tables keep their merge operands until a compaction folds them,
// so every read of a count runs the merger: counters are pooled, and the
// result lives in the counter until Pebble closes it.
var counterMerger = &pebble.Merger{
	Name: "leakwatch.count.v1",
	Merge: func(key, value []byte) (pebble.ValueMerger, error) {
		c := counterPool.Get().(*counter)
		c.n = 0
		return c, c.MergeNewer(value)
	},
}

var counterPool = sync.Pool{New: func() any { return new(counter) }}

type counter struct {
	n   uint64
	buf [binary.MaxVarintLen64]byte
}

var errBadCount = errors.New("pebblestore: corrupt counter value")

func (c *counter) MergeNewer(v []byte) error {
	n, k := binary.Uvarint(v)
	if k <= 0 {
		return errBadCount
	}
	c.n += n
	return nil
}

func (c *counter) MergeOlder(v []byte) error { return c.MergeNewer(v) }

// Finish returns the sum, valid until Pebble calls Close.
func (c *counter) Finish(bool) ([]byte, io.Closer, error) {
	n := binary.PutUvarint(c.buf[:], c.n)
	return c.buf[:n], c, nil
}

// Close returns the counter to the pool.
func (c *counter) Close() error {
	counterPool.Put(c)
	return nil
}

func decodeCount(v []byte) (int64, error) {
	n, k := binary.Uvarint(v)
	if k <= 0 {
		return 0, errBadCount
	}
	return int64(n), nil
}
