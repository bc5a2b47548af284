package pebblestore

import (
	"encoding/binary"
	"errors"
	"io"

	"github.com/cockroachdb/pebble/v2"
)

// counterMerger sums uvarint counts. Password hash counts are written as
// merge operands so that imports add to them without reading first.
var counterMerger = &pebble.Merger{
	Name: "leakwatch.count.v1",
	Merge: func(key, value []byte) (pebble.ValueMerger, error) {
		m := &counter{}
		return m, m.MergeNewer(value)
	},
}

type counter struct{ n uint64 }

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

func (c *counter) Finish(bool) ([]byte, io.Closer, error) {
	return binary.AppendUvarint(nil, c.n), nil, nil
}

func decodeCount(v []byte) (int64, error) {
	n, k := binary.Uvarint(v)
	if k <= 0 {
		return 0, errBadCount
	}
	return int64(n), nil
}
