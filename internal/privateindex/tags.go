package privateindex

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
	"github.com/leakwatch/leakwatch/internal/store"
)

// A bucket's tags are kept as tag segments: records of TablePrivateTags
// with id BE32 epoch ‖ BE32 bucket ‖ BE64 sequence, each holding BE32 P,
// BE32 U, then P pair tags and U username tags, sorted. A build batch adds
// one small segment to each bucket it touches instead of rewriting the
// bucket; an answer merges a bucket's segments; compaction merges them
// into one (sequence 0) every compactEvery batches and at the end of a
// build, so that a bucket has few segments and the store holds each tag
// once.

// compactEvery is how many build batches run between compactions.
const compactEvery = 64

func bucketPrefix(e, b uint32) []byte {
	return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(make([]byte, 0, 16), e), b)
}

func segmentTagID(e, b uint32, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(bucketPrefix(e, b), seq)
}

func encodeTags(pairs, users []privatecheck.Tag) []byte {
	v := make([]byte, 0, 8+4*(len(pairs)+len(users)))
	v = binary.BigEndian.AppendUint32(v, uint32(len(pairs)))
	v = binary.BigEndian.AppendUint32(v, uint32(len(users)))
	for _, t := range pairs {
		v = binary.BigEndian.AppendUint32(v, uint32(t))
	}
	for _, t := range users {
		v = binary.BigEndian.AppendUint32(v, uint32(t))
	}
	return v
}

// decodeTags appends a segment's tags to pairs and users.
func decodeTags(v []byte, pairs, users []privatecheck.Tag) ([]privatecheck.Tag, []privatecheck.Tag, error) {
	if len(v) < 8 {
		return nil, nil, errMalformed
	}
	np, nu := int(binary.BigEndian.Uint32(v)), int(binary.BigEndian.Uint32(v[4:]))
	if len(v) != 8+4*(np+nu) {
		return nil, nil, errMalformed
	}
	for i := range np + nu {
		t := privatecheck.Tag(binary.BigEndian.Uint32(v[8+4*i:]))
		if i < np {
			pairs = append(pairs, t)
		} else {
			users = append(users, t)
		}
	}
	return pairs, users, nil
}

// sortTags sorts and deduplicates.
func sortTags(t []privatecheck.Tag) []privatecheck.Tag {
	slices.Sort(t)
	return slices.Compact(t)
}

// bucket returns the merged tags of a bucket of epoch e.
func (ix *Index) bucket(ctx context.Context, e, b uint32) (privatecheck.Bucket, error) {
	var pairs, users []privatecheck.Tag
	var err error
	segs := 0
	for r, rerr := range ix.st.Records(ctx, store.TablePrivateTags, bucketPrefix(e, b)) {
		if rerr != nil {
			return privatecheck.Bucket{}, rerr
		}
		if pairs, users, err = decodeTags(r.Value, pairs, users); err != nil {
			return privatecheck.Bucket{}, err
		}
		segs++
	}
	if segs > 1 {
		pairs, users = sortTags(pairs), sortTags(users)
	}
	return privatecheck.Bucket{Pairs: pairs, Usernames: users}, nil
}

// compactOps is how many ops a compaction writes at once (whole buckets).
const compactOps = 4096

// compact merges the segments of every bucket of epoch e that has more
// than one, and returns how many buckets exceed MaxTags of a kind.
func (ix *Index) compact(ctx context.Context, e uint32) (overflow int, err error) {
	var ops []store.RecordOp
	var cur []byte // the bucket prefix being merged
	var ids [][]byte
	var pairs, users []privatecheck.Tag
	flushBucket := func() {
		if cur == nil {
			return
		}
		if len(ids) > 1 {
			pairs, users = sortTags(pairs), sortTags(users)
			keep := binary.BigEndian.AppendUint64(bytes.Clone(cur), 0)
			for _, id := range ids {
				if !bytes.Equal(id, keep) {
					ops = append(ops, store.RecordOp{Table: store.TablePrivateTags, ID: id, Delete: true})
				}
			}
			ops = append(ops, store.RecordOp{Table: store.TablePrivateTags, ID: keep, Value: encodeTags(pairs, users)})
		}
		if len(pairs) > privatecheck.MaxTags || len(users) > privatecheck.MaxTags {
			overflow++
		}
		cur, ids, pairs, users = nil, ids[:0], pairs[:0], users[:0]
	}
	for r, rerr := range ix.st.Records(ctx, store.TablePrivateTags, binary.BigEndian.AppendUint32(nil, e)) {
		if rerr != nil {
			return 0, rerr
		}
		if len(r.ID) != 16 {
			return 0, errMalformed
		}
		if cur == nil || !bytes.Equal(cur, r.ID[:8]) {
			flushBucket()
			if len(ops) >= compactOps {
				if err := ix.st.WriteRecords(ctx, ops...); err != nil {
					return 0, err
				}
				ops = ops[:0]
			}
			cur = bytes.Clone(r.ID[:8])
		}
		ids = append(ids, bytes.Clone(r.ID))
		if pairs, users, err = decodeTags(r.Value, pairs, users); err != nil {
			return 0, err
		}
	}
	flushBucket()
	if len(ops) > 0 {
		if err := ix.st.WriteRecords(ctx, ops...); err != nil {
			return 0, err
		}
	}
	return overflow, nil
}

// deleteEpochTags removes every tag segment of epoch e, in chunks.
func (ix *Index) deleteEpochTags(ctx context.Context, e uint32) error {
	var ops []store.RecordOp
	for r, err := range ix.st.Records(ctx, store.TablePrivateTags, binary.BigEndian.AppendUint32(nil, e)) {
		if err != nil {
			return err
		}
		ops = append(ops, store.RecordOp{Table: store.TablePrivateTags, ID: bytes.Clone(r.ID), Delete: true})
		if len(ops) >= compactOps {
			if err := ix.st.WriteRecords(ctx, ops...); err != nil {
				return err
			}
			ops = ops[:0]
		}
	}
	if len(ops) == 0 {
		return nil
	}
	return ix.st.WriteRecords(ctx, ops...)
}
