package privateindex

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Progress is reported after every batch of a build or rotation.
type Progress struct {
	Done    int64         `json:"done"`  // pairs processed by this run
	Total   int64         `json:"total"` // pairs this run had to process when it started (0: unknown)
	Elapsed time.Duration `json:"elapsed_ns"`
}

// BuildOptions tune Build and Rotate.
type BuildOptions struct {
	// Workers is the number of goroutines hashing (default GOMAXPROCS).
	Workers int
	// Progress, if set, is called after every batch.
	Progress func(Progress)
	// Grace (Rotate only) is how long the previous epoch is still
	// answered; 0 retires it at once.
	Grace time.Duration
	// BucketBits (Rotate only), when set, is the new epoch's bucket
	// length; else it follows the number of indexed pairs.
	BucketBits int
}

// batchPairs is about how many pairs one build batch holds (a variable for
// tests): about a second of slow hashing on two cores, and one atomic
// write.
var batchPairs = 2048

// inputFlushBytes is the plaintext size of an input segment.
const inputFlushBytes = 256 << 10

// Build indexes the pairs in the spool under every epoch that is not
// retired, batch by batch. Each batch is one atomic write: its tags, the
// sealed inputs a rotation will need, and the removal of its spool
// segments, so a build killed at any point resumes where it stopped and
// loses or doubles nothing. It returns the status after the build.
func (ix *Index) Build(ctx context.Context, o BuildOptions) (Status, error) {
	ix.work.Lock()
	defer ix.work.Unlock()
	if err := ix.build(ctx, o); err != nil {
		return Status{}, err
	}
	return ix.status(ctx)
}

func (ix *Index) build(ctx context.Context, o BuildOptions) error {
	eps, err := ix.loadEpochs(ctx)
	if err != nil {
		return err
	}
	if len(eps) == 0 {
		return ErrDisabled
	}
	total, err := ix.pending(ctx)
	if err != nil || total == 0 {
		return err
	}
	indexed, err := ix.indexed(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	var done int64
	for batches := 1; ; batches++ {
		segs, entries, err := ix.takeSpool(ctx)
		if err != nil {
			return err
		}
		if len(segs) == 0 {
			break
		}
		tags, xs, err := computeTags(ctx, eps, entries, true, o.Workers)
		if err != nil {
			return err
		}
		ops := tagOps(eps, tags)
		inputs, err := ix.inputOps(ctx, entries, xs)
		if err != nil {
			return err
		}
		ops = append(ops, inputs...)
		for _, id := range segs {
			ops = append(ops, store.RecordOp{Table: store.TablePrivateSpool, ID: id, Delete: true})
		}
		indexed += int64(len(entries))
		ops = append(ops, store.RecordOp{Table: store.TablePrivate, ID: indexedID, Value: binary.BigEndian.AppendUint64(nil, uint64(indexed))})
		if err := ix.st.WriteRecords(ctx, ops...); err != nil {
			return err
		}
		done += int64(len(entries))
		if o.Progress != nil {
			o.Progress(Progress{Done: done, Total: max(total, done), Elapsed: time.Since(start)})
		}
		if batches%compactEvery == 0 {
			if err := ix.compactAll(ctx, eps); err != nil {
				return err
			}
		}
	}
	return ix.compactAll(ctx, eps)
}

// compactAll compacts every epoch and records its overflow.
func (ix *Index) compactAll(ctx context.Context, eps []*epoch) error {
	for _, e := range eps {
		over, err := ix.compact(ctx, e.rec.Epoch)
		if err != nil {
			return err
		}
		if over != e.rec.Overflow {
			e.rec.Overflow = over
			op, err := ix.epochOp(ctx, e.rec)
			if err != nil {
				return err
			}
			if err := ix.st.WriteRecords(ctx, op); err != nil {
				return err
			}
		}
	}
	ix.invalidate()
	return nil
}

// takeSpool opens the oldest spool segments, up to about batchPairs
// pairs.
func (ix *Index) takeSpool(ctx context.Context) (ids [][]byte, entries []entry, err error) {
	for r, rerr := range ix.st.Records(ctx, store.TablePrivateSpool, nil) {
		if rerr != nil {
			return nil, nil, rerr
		}
		n, err := segmentCount(r.Value)
		if err != nil {
			return nil, nil, err
		}
		plain, err := ix.vault.Open(ctx, r.Value[4:], r.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("opening a spool segment: %w", err)
		}
		es, err := parseSpool(plain, n)
		if err != nil {
			return nil, nil, err
		}
		ids, entries = append(ids, bytes.Clone(r.ID)), append(entries, es...)
		if len(entries) >= batchPairs {
			break
		}
	}
	return ids, entries, nil
}

// entryTags are the tags of one entry under each epoch (same order).
type entryTags struct {
	pair, user []privatecheck.Tag
	bucket     []uint32
}

// computeTags computes, on workers goroutines, the tags of every entry
// under every epoch; spool entries are slow-hashed first (their x are
// returned), input entries carry x.
func computeTags(ctx context.Context, eps []*epoch, entries []entry, slow bool, workers int) ([]entryTags, [][]byte, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]entryTags, len(entries))
	xs := make([][]byte, len(entries))
	var next sync.Mutex
	i := 0
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			users := map[string][]privatecheck.Tag{} // this worker's username tags, by login
			for {
				next.Lock()
				j := i
				i++
				stop := firstErr != nil || ctx.Err() != nil
				next.Unlock()
				if j >= len(entries) || stop {
					return
				}
				if err := tagEntry(eps, &entries[j], slow, &out[j], &xs[j], users); err != nil {
					next.Lock()
					firstErr = cmpErr(firstErr, err)
					next.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, nil, firstErr
	}
	return out, xs, ctx.Err()
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func tagEntry(eps []*epoch, en *entry, slow bool, out *entryTags, x *[]byte, users map[string][]privatecheck.Tag) error {
	*x = en.Secret
	if slow {
		var err error
		if *x, err = privatecheck.SlowHash(en.Login, en.Secret); err != nil {
			return err
		}
	}
	u := string(append([]byte{byte(en.Login.Kind)}, en.Login.Norm...))
	ut, cached := users[u]
	for k, e := range eps {
		pt, err := e.key.PairTagOf(*x)
		if err != nil {
			return err
		}
		if !cached {
			t, err := e.key.UsernameTag(en.Login)
			if err != nil {
				return err
			}
			ut = append(ut, t)
		}
		out.pair = append(out.pair, pt)
		out.user = append(out.user, ut[k])
		out.bucket = append(out.bucket, e.key.Params().BucketOf(en.Login))
	}
	if !cached && len(users) < 1<<16 {
		users[u] = ut
	}
	return nil
}

// tagOps groups the tags by epoch and bucket into one new segment each.
func tagOps(eps []*epoch, tags []entryTags) []store.RecordOp {
	type key struct{ e, b uint32 }
	type add struct{ pairs, users []privatecheck.Tag }
	adds := map[key]*add{}
	var order []key
	for _, t := range tags {
		for k, e := range eps {
			kk := key{e.rec.Epoch, t.bucket[k]}
			a := adds[kk]
			if a == nil {
				a = &add{}
				adds[kk] = a
				order = append(order, kk)
			}
			a.pairs, a.users = append(a.pairs, t.pair[k]), append(a.users, t.user[k])
		}
	}
	seq := uint64(time.Now().UnixNano())
	ops := make([]store.RecordOp, 0, len(order))
	for _, kk := range order {
		a := adds[kk]
		ops = append(ops, store.RecordOp{Table: store.TablePrivateTags, ID: segmentTagID(kk.e, kk.b, seq),
			Value: encodeTags(sortTags(a.pairs), sortTags(a.users))})
	}
	return ops
}

// inputOps seals the entries' logins and slow hashes as input segments.
func (ix *Index) inputOps(ctx context.Context, entries []entry, xs [][]byte) ([]store.RecordOp, error) {
	var ops []store.RecordOp
	var buf []byte
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		id := newSegmentID()
		sealed, err := ix.vault.Seal(ctx, buf, id)
		clear(buf)
		if err != nil {
			return err
		}
		v := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(sealed)), uint32(n))
		ops = append(ops, store.RecordOp{Table: store.TablePrivateInput, ID: id, Value: append(v, sealed...)})
		buf, n = buf[:0], 0
		return nil
	}
	for i := range entries {
		buf = appendInput(buf, entries[i].Login, xs[i])
		n++
		if len(buf) >= inputFlushBytes {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	return ops, flush()
}

// Rotate makes a new epoch with a fresh key from the sealed inputs (no
// leak file, no slow hash), resumably: a rotation killed midway resumes
// from its cursor. When every input is indexed the new epoch becomes
// current and the previous current one retiring, answered for o.Grace
// more (0: retired at once). The spool is built first.
func (ix *Index) Rotate(ctx context.Context, o BuildOptions) (Status, error) {
	ix.work.Lock()
	defer ix.work.Unlock()
	if err := ix.build(ctx, o); err != nil {
		return Status{}, err
	}
	eps, err := ix.loadEpochs(ctx)
	if err != nil {
		return Status{}, err
	}
	if len(eps) == 0 {
		return Status{}, ErrDisabled
	}
	var next *epoch
	var last uint32
	for _, e := range eps {
		last = max(last, e.rec.Epoch)
		if e.rec.State == StateBuilding {
			next = e
		}
	}
	if next != nil && o.BucketBits != 0 && o.BucketBits != int(next.rec.Bits) {
		// An unfinished rotation to other bucket bits: the operator's
		// new choice wins; its partial epoch goes.
		if err := ix.st.WriteRecords(ctx, store.RecordOp{Table: store.TablePrivate, ID: epochID(next.rec.Epoch), Delete: true}); err != nil {
			return Status{}, err
		}
		if err := ix.deleteEpochTags(ctx, next.rec.Epoch); err != nil {
			return Status{}, err
		}
		eps = slices.DeleteFunc(eps, func(e *epoch) bool { return e == next })
		next = nil
	}
	if next == nil {
		bits := o.BucketBits
		if bits == 0 {
			n, err := ix.indexed(ctx)
			if err != nil {
				return Status{}, err
			}
			bits = int(privatecheck.BucketBitsFor(int(n)))
		}
		if bits < 0 || bits > privatecheck.MaxBucketBits {
			return Status{}, fmt.Errorf("bucket bits %d: %w (0 to %d)", bits, ErrInvalid, privatecheck.MaxBucketBits)
		}
		op, err := ix.newEpoch(ctx, last+1, uint8(bits), StateBuilding)
		if err != nil {
			return Status{}, err
		}
		if err := ix.st.WriteRecords(ctx, op); err != nil {
			return Status{}, err
		}
		if eps, err = ix.loadEpochs(ctx); err != nil {
			return Status{}, err
		}
		next = eps[len(eps)-1]
	}
	if err := ix.rekey(ctx, next, o); err != nil {
		return Status{}, err
	}
	// Switch: the new epoch current, the previous current retiring.
	now := time.Now().UTC()
	var ops []store.RecordOp
	var retire []uint32
	for _, e := range eps {
		switch {
		case e == next:
			e.rec.State, e.rec.Cursor = StateCurrent, nil
		case e.rec.State == StateCurrent:
			e.rec.State, e.rec.NotAfter = StateRetiring, now.Add(o.Grace)
			if o.Grace <= 0 {
				retire = append(retire, e.rec.Epoch)
			}
		default:
			continue
		}
		op, err := ix.epochOp(ctx, e.rec)
		if err != nil {
			return Status{}, err
		}
		ops = append(ops, op)
	}
	if err := ix.st.WriteRecords(ctx, ops...); err != nil {
		return Status{}, err
	}
	ix.invalidate()
	if len(retire) > 0 {
		if _, err := ix.retire(ctx, now); err != nil {
			return Status{}, err
		}
	}
	return ix.status(ctx)
}

// rekey computes the tags of every input segment after next's cursor
// under next's key.
func (ix *Index) rekey(ctx context.Context, next *epoch, o BuildOptions) error {
	total, err := ix.indexed(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	var done int64
	var ids [][]byte
	var entries []entry
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		tags, _, err := computeTags(ctx, []*epoch{next}, entries, false, o.Workers)
		if err != nil {
			return err
		}
		ops := tagOps([]*epoch{next}, tags)
		next.rec.Cursor = ids[len(ids)-1]
		op, err := ix.epochOp(ctx, next.rec)
		if err != nil {
			return err
		}
		if err := ix.st.WriteRecords(ctx, append(ops, op)...); err != nil {
			return err
		}
		done += int64(len(entries))
		if o.Progress != nil {
			o.Progress(Progress{Done: done, Total: max(total, done), Elapsed: time.Since(start)})
		}
		ids, entries = ids[:0], entries[:0]
		return nil
	}
	for r, rerr := range ix.st.Records(ctx, store.TablePrivateInput, nil) {
		if rerr != nil {
			return rerr
		}
		if next.rec.Cursor != nil && bytes.Compare(r.ID, next.rec.Cursor) <= 0 {
			continue
		}
		n, err := segmentCount(r.Value)
		if err != nil {
			return err
		}
		plain, err := ix.vault.Open(ctx, r.Value[4:], r.ID)
		if err != nil {
			return fmt.Errorf("opening an input segment: %w", err)
		}
		es, err := parseInputs(plain, n)
		if err != nil {
			return err
		}
		ids, entries = append(ids, bytes.Clone(r.ID)), append(entries, es...)
		if len(entries) >= 4*batchPairs {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	over, err := ix.compact(ctx, next.rec.Epoch)
	next.rec.Overflow = over
	return err
}

// Retire deletes the keys and tags of the retiring epochs whose NotAfter
// has passed: what they answered becomes useless to anyone, even with a
// later key. It returns the epochs retired.
func (ix *Index) Retire(ctx context.Context, now time.Time) ([]uint32, error) {
	ix.work.Lock()
	defer ix.work.Unlock()
	return ix.retire(ctx, now)
}

func (ix *Index) retire(ctx context.Context, now time.Time) ([]uint32, error) {
	eps, err := ix.loadEpochs(ctx)
	if err != nil {
		return nil, err
	}
	var out []uint32
	for _, e := range eps {
		if e.rec.State != StateRetiring || now.Before(e.rec.NotAfter) {
			continue
		}
		// The key first: once it is gone nothing answers the epoch, and
		// a retirement killed midway leaves only unreadable tags, which
		// the next one removes.
		if err := ix.st.WriteRecords(ctx, store.RecordOp{Table: store.TablePrivate, ID: epochID(e.rec.Epoch), Delete: true}); err != nil {
			return out, err
		}
		ix.invalidate()
		if err := ix.deleteEpochTags(ctx, e.rec.Epoch); err != nil {
			return out, err
		}
		out = append(out, e.rec.Epoch)
	}
	return out, ix.sweep(ctx, eps)
}

// sweep removes tag segments of epochs that have no key any more.
func (ix *Index) sweep(ctx context.Context, eps []*epoch) error {
	live := map[uint32]bool{}
	for _, e := range eps {
		live[e.rec.Epoch] = e.rec.State != StateRetiring
	}
	var seen []uint32
	for r, err := range ix.st.Records(ctx, store.TablePrivateTags, nil) {
		if err != nil {
			return err
		}
		if len(r.ID) < 4 {
			return errors.New("privateindex: malformed tag id")
		}
		e := binary.BigEndian.Uint32(r.ID)
		if _, ok := live[e]; !ok && (len(seen) == 0 || seen[len(seen)-1] != e) {
			seen = append(seen, e)
		}
	}
	for _, e := range seen {
		if err := ix.deleteEpochTags(ctx, e); err != nil {
			return err
		}
	}
	return nil
}
