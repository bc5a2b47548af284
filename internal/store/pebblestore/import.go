package pebblestore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2/objstorage/objstorageprovider"
	"github.com/cockroachdb/pebble/v2/sstable"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/store"
)

// maxValue bounds a value staged by an import (bucket and run files
// refuse larger ones).
const maxValue = 1<<20 - 512

// kindValue is the value of an account entry: 1 for an email, else 0.
var kindValue = [2][]byte{{0}, {1}}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maxTableBytes is where an import's output is cut into another sstable.
const maxTableBytes = 256 << 20

// An import writes every entry to a bucket file chosen by the entry's
// first two key bytes (table and, for hashed keys, the first hash byte), so
// that buckets are disjoint key ranges in key order. Commit sorts each
// bucket on its own, in memory when it fits, and writes it as sstables: no
// k-way merge over the whole import, sequential I/O, and all cores busy.
type pebbleImport struct {
	occurrences atomic.Uint64 // numbers password occurrences with aliases

	s       *Store
	breach  catalog.Breach
	id      uint32
	isNew   bool // the breach did not exist at BeginImport
	old     stats
	dir     string
	stagers chan *stager // per-call staging buffers; bounds memory

	mu      sync.Mutex
	buckets [1 << 16]*bucket
	err     error // first write error
	done    bool
}

// BeginImport implements store.Store.
func (s *Store) BeginImport(ctx context.Context, b catalog.Breach) (store.Import, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.importing {
		return nil, store.ErrImportRunning
	}
	imp := &pebbleImport{s: s, breach: b}
	id, err := s.breachID(b.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		imp.isNew = true
		if id, err = s.nextCounter(keyNextBreach); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	default:
		if imp.old, err = s.stats(id); err != nil {
			return nil, err
		}
	}
	imp.id = id
	if err := os.MkdirAll(s.tmp, 0o700); err != nil {
		return nil, err
	}
	imp.dir, err = os.MkdirTemp(s.tmp, "import-")
	if err != nil {
		return nil, err
	}
	imp.stagers = make(chan *stager, s.opts.Stagers)
	for range s.opts.Stagers {
		imp.stagers <- &stager{}
	}
	s.importing = true
	return imp, nil
}

// Add implements store.Import. Each call stages entries in buffers of its
// own, taken from a pool, and appends full ones to the bucket files; when
// every stager is in use, Add waits: that bounds an import's memory.
func (imp *pebbleImport) Add(ctx context.Context, f *store.Facts) error {
	imp.mu.Lock()
	done, err := imp.done, imp.err
	imp.mu.Unlock()
	if done {
		return errors.New("import already finished")
	}
	if err != nil {
		return err
	}
	var st *stager
	select {
	case st = <-imp.stagers:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { imp.stagers <- st }()
	var kb [96]byte
	for i := range f.Accounts {
		a := &f.Accounts[i]
		if len(a.Sealed) > maxValue {
			return fmt.Errorf("sealed account of %d bytes; at most %d", len(a.Sealed), maxValue)
		}
		k := append(kb[:0], tAccount)
		k = append(k, a.Key[:]...)
		k = binary.BigEndian.AppendUint32(k, imp.id)
		if err := imp.stage(st, k, opSet, kindValue[boolIndex(a.Email)]); err != nil {
			return err
		}
		if a.Sealed != nil {
			k = append(kb[:0], tEmailRange)
			k = append(k, a.Range[:]...)
			k = append(k, a.Key[:]...)
			if err := imp.stage(st, k, opSet, a.Sealed); err != nil {
				return err
			}
			if a.Domain != (store.DomainTag{}) {
				k = append(kb[:0], tDomain)
				k = append(k, a.Domain[:]...)
				k = append(k, a.Key[:]...)
				if err := imp.stage(st, k, opSet, a.Range[:]); err != nil {
					return err
				}
			}
		}
	}
	var sv [1 + 8]byte
	var named []store.DomainTag // websites whose name this call staged
	for i := range f.Sightings {
		g := &f.Sightings[i]
		if len(g.Sealed) > maxValue {
			return fmt.Errorf("sealed website of %d bytes; at most %d", len(g.Sealed), maxValue)
		}
		sv[0] = byte(boolIndex(g.Noise))
		copy(sv[1:], g.Range[:])
		k := append(kb[:0], tWebsite)
		k = append(k, g.Website[:]...)
		k = append(k, g.Account[:]...)
		k = binary.BigEndian.AppendUint32(k, imp.id)
		if err := imp.stage(st, k, opSet, sv[:]); err != nil {
			return err
		}
		k = append(kb[:0], tSite)
		k = append(k, g.Account[:]...)
		k = append(k, g.Website[:]...)
		k = binary.BigEndian.AppendUint32(k, imp.id)
		if err := imp.stage(st, k, opSet, sv[:1]); err != nil {
			return err
		}
		// A website's name is kept once, however many sightings it has.
		if !slices.Contains(named, g.Website) {
			named = append(named, g.Website)
			k = append(append(kb[:0], tSiteName), g.Website[:]...)
			if err := imp.stage(st, k, opSet, g.Sealed); err != nil {
				return err
			}
		}
	}
	var pv [20 + 16 + occTrailer]byte
	for i := range f.Passwords {
		pw := &f.Passwords[i]
		// The value holds the hashes to count: both, or the one of a
		// fact that carries only one (its length tells which), and for an
		// occurrence with aliases the occurrence's number and its number
		// of prints.
		v := pv[:0]
		switch pw.Only {
		case 0:
			v = append(append(v, pw.SHA1[:]...), pw.NTLM[:]...)
		case store.SHA1:
			v = append(v, pw.SHA1[:]...)
		case store.NTLM:
			v = append(v, pw.NTLM[:]...)
		default:
			return fmt.Errorf("password fact of unknown hash kind %d", pw.Only)
		}
		n := min(int(pw.NAliases), store.MaxAliases)
		if n > 0 {
			v = binary.BigEndian.AppendUint64(v, imp.occurrences.Add(1))
			v = append(v, byte(1+n))
		}
		for j := 0; j <= n; j++ {
			p := &pw.Print
			if j > 0 {
				p = &pw.Aliases[j-1]
			}
			k := append(kb[:0], tPair)
			k = append(k, p[:]...)
			k = binary.BigEndian.AppendUint32(k, imp.id)
			if err := imp.stage(st, k, opSet, v); err != nil {
				return err
			}
		}
	}
	for _, q := range f.Quarantine {
		if len(q.Reason) > 255 {
			q.Reason = q.Reason[:255]
		}
		if len(q.Sealed) > maxValue {
			return fmt.Errorf("quarantined line %d is %d bytes sealed; at most %d are kept", q.Line, len(q.Sealed), maxValue)
		}
		v := append(q.Source[:], binary.BigEndian.AppendUint64(nil, uint64(q.Line))...)
		v = append(append(v, byte(len(q.Reason))), q.Reason...)
		if err := imp.stage(st, quarantineKey(imp.id, q.Print), opSet, append(v, q.Sealed...)); err != nil {
			return err
		}
	}
	for _, p := range f.Resolved {
		if err := imp.stage(st, quarantineKey(imp.id, p), opDelete, nil); err != nil {
			return err
		}
	}
	for _, r := range f.Records {
		if r.Delete || r.IfAbsent {
			return errors.New("an import's records are sets only")
		}
		if len(r.Value) > maxValue || 2+len(r.ID) > 255 {
			return fmt.Errorf("record of %d bytes with an id of %d; at most %d and 253", len(r.Value), len(r.ID), maxValue)
		}
		if err := imp.stage(st, recordKey(r.Table, r.ID), opSet, r.Value); err != nil {
			return err
		}
	}
	return nil
}

// Abort implements store.Import.
func (imp *pebbleImport) Abort() error {
	imp.mu.Lock()
	if imp.done {
		imp.mu.Unlock()
		return nil
	}
	imp.done = true
	imp.mu.Unlock()
	imp.finish()
	return os.RemoveAll(imp.dir)
}

func (imp *pebbleImport) finish() {
	for _, b := range imp.buckets {
		if b != nil && b.f != nil {
			b.f.Close() // a second close of a sorted bucket's file is harmless
		}
	}
	imp.s.mu.Lock()
	imp.s.importing = false
	imp.s.mu.Unlock()
}

// Commit implements store.Import.
func (imp *pebbleImport) Commit(ctx context.Context, m store.Manifest) (res store.Result, err error) {
	imp.mu.Lock()
	if imp.done {
		imp.mu.Unlock()
		return res, errors.New("import already finished")
	}
	imp.done = true
	imp.mu.Unlock()
	defer func() {
		imp.finish()
		os.RemoveAll(imp.dir)
	}()
	if imp.err != nil {
		return res, imp.err
	}
	s := imp.s
	for _, src := range m.Sources {
		if _, err := s.get(ledgerKey(imp.id, src.ID)); err == nil {
			return res, fmt.Errorf("%s: %w", src.Name, store.ErrAlreadyImported)
		} else if !errors.Is(err, store.ErrNotFound) {
			return res, err
		}
	}

	// Entries besides the facts: data key, ledger, catalog for a new breach.
	meta := &runBuffer{}
	if m.DataKey.Wrapped != nil {
		meta.add(u32key(tDataKey, m.DataKey.ID), opSet, m.DataKey.Wrapped)
	}
	for _, src := range m.Sources {
		v := binary.AppendUvarint(nil, uint64(src.Rows))
		meta.add(ledgerKey(imp.id, src.ID), opSet, append(v, src.Name...))
	}
	if m.Event != nil {
		meta.add(recordKey(store.TableEvents, eventID(time.Now().UnixNano(), imp.id)), opSet, m.Event)
	}
	if imp.isNew {
		b := imp.breach
		b.IsStealerLog = b.IsStealerLog || m.StealerLog
		v, err := encodeBreach(b)
		if err != nil {
			return res, err
		}
		meta.add(u32key(tCatalog, imp.id), opSet, v)
		meta.add(nameKey(imp.breach.Name), opSet, binary.BigEndian.AppendUint32(nil, imp.id))
	} else if m.StealerLog {
		b, err := s.loadBreach(imp.id)
		if err != nil {
			return res, err
		}
		if !b.IsStealerLog {
			b.IsStealerLog = true
			v, err := encodeBreach(b)
			if err != nil {
				return res, err
			}
			meta.add(u32key(tCatalog, imp.id), opSet, v)
		}
	}
	st0 := &stager{}
	for i := range meta.items {
		k, op, v := meta.entry(meta.items[i].off)
		if err := imp.stage(st0, k, op, v); err != nil {
			return res, err
		}
	}
	// Every Add has returned its stager: flush what they hold.
	stagers := []*stager{st0}
	for range cap(imp.stagers) {
		stagers = append(stagers, <-imp.stagers)
	}
	for _, st := range stagers {
		if err := imp.flushStager(st); err != nil {
			return res, err
		}
	}
	// Phase 1 finds the password prints new to the breach and stages one
	// count for each of their hashes; phase 2 sorts and writes everything
	// else, those counts included. Prints sort before hashes ('f' < 'n' <
	// 's'), so the two phases write disjoint key ranges.
	var pairIDs []int
	for id, b := range imp.buckets {
		if b != nil && id>>8 == tPair {
			pairIDs = append(pairIDs, id)
		}
	}
	oldAccounts := !imp.isNew && (imp.old.emails > 0 || imp.old.others > 0)
	oldPairs := !imp.isNew && imp.old.pairs > 0
	parts1, stagers, err := imp.writeChunks(ctx, "pairs", pairIDs,
		func(pw *partWriter, k []byte, op byte, v []byte) error { return imp.writePair(pw, k, v, oldPairs) })
	if err != nil {
		return res, err
	}
	for _, st := range stagers {
		if err := imp.flushStager(st); err != nil {
			return res, err
		}
	}
	// Phase 1b: occurrences with aliases count if all their prints are
	// new. Their table is scratch: it is never written to the store.
	var occIDs []int
	for id, b := range imp.buckets {
		if b != nil && id>>8 == tOccurrence {
			occIDs = append(occIDs, id)
		}
	}
	if len(occIDs) > 0 {
		occ := &stager{}
		if err := imp.countOccurrences(ctx, occIDs, occ); err != nil {
			return res, err
		}
		if err := imp.flushStager(occ); err != nil {
			return res, err
		}
	}
	// The counts staged by phase 1 may have created buckets.
	var otherIDs []int
	for id, b := range imp.buckets {
		if b != nil && id>>8 != tPair && id>>8 != tOccurrence {
			otherIDs = append(otherIDs, id)
		}
	}
	parts2, _, err := imp.writeChunks(ctx, "facts", otherIDs,
		func(pw *partWriter, k []byte, op byte, v []byte) error {
			return imp.writeFact(pw, k, op, v, oldAccounts)
		})
	if err != nil {
		return res, err
	}
	var paths []string
	var res0 store.Result
	st := imp.old
	st.classes |= m.DataClasses
	for _, p := range append(parts1, parts2...) {
		paths = append(paths, p.paths...)
		res0.Accounts += p.res.Accounts
		res0.Passwords += p.res.Passwords
		res0.NewAccounts += p.res.NewAccounts
		res0.NewPairs += p.res.NewPairs
		st.emails += p.emails
		st.others += p.others
	}
	st.pairs += res0.NewPairs
	// The stats entry goes in a table of its own: no fact has a key in
	// the stats table.
	tw := &tableWriter{s: s, dir: imp.dir, name: "stats"}
	if err := tw.add(u32key(tStats, imp.id), opSet, st.encode()); err != nil {
		tw.abort()
		return res, err
	}
	statPaths, err := tw.close()
	if err != nil {
		return res, err
	}
	s.commitGate.Lock()
	s.gen.Add(1) // odd: readers may see the commit or not
	err = s.db.Ingest(ctx, append(paths, statPaths...))
	s.gen.Add(1)
	s.commitGate.Unlock()
	if err != nil {
		return res, fmt.Errorf("ingesting import: %w", err)
	}
	res0.PwnCount = st.pwnCount()
	return res0, nil
}

// partWriter is one goroutine's share of a commit phase: the sstables it
// writes, what it counted, and (phase 1) the stager of the counts it adds.
type partWriter struct {
	tw             *tableWriter
	stager         *stager
	paths          []string
	res            store.Result
	emails, others int64
}

// chunkBuckets cuts the ordered bucket ids into at most n contiguous
// chunks of about equal bytes.
func chunkBuckets(ids []int, buckets []*bucket, n int) [][]int {
	var total int64
	for _, id := range ids {
		total += buckets[id].size
	}
	target := total/int64(n) + 1
	var chunks [][]int
	var cur []int
	var size int64
	for _, id := range ids {
		cur = append(cur, id)
		size += buckets[id].size
		if size >= target {
			chunks = append(chunks, cur)
			cur, size = nil, 0
		}
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}

// writeChunks sorts the buckets ids, cut into contiguous chunks of similar
// size, on all cores (or as many goroutines as ctx's cpushare.Share
// allows, at its priority), and passes each distinct key (equal keys combined) to
// write in key order. Every chunk writes sstables of its own; they do not
// overlap because buckets are disjoint key ranges in order. It returns the
// chunks' results and the stagers write may have staged entries in, one
// per goroutine.
func (imp *pebbleImport) writeChunks(ctx context.Context, name string, ids []int,
	write func(pw *partWriter, k []byte, op byte, v []byte) error) ([]*partWriter, []*stager, error) {
	// A chunk never spans the print table, which phase 1 writes: its
	// sstables must not overlap those of phase 2.
	i := 0
	for i < len(ids) && ids[i]>>8 < tPair {
		i++
	}
	// An import run beside a server's requests may be held to fewer
	// goroutines and a low priority (cpushare).
	procs := cpushare.From(ctx).Limit(runtime.GOMAXPROCS(0))
	chunks := append(chunkBuckets(ids[:i], imp.buckets[:], 2*procs),
		chunkBuckets(ids[i:], imp.buckets[:], 2*procs)...)
	parts := make([]*partWriter, len(chunks))
	errs := make([]error, len(chunks))
	work := make(chan int, len(chunks))
	for i := range chunks {
		work <- i
	}
	close(work)
	stagers := make([]*stager, procs)
	var wg sync.WaitGroup
	for g := range stagers {
		st := &stager{}
		stagers[g] = st
		wg.Go(func() {
			cpushare.Enter(ctx)
			sc := &sortScratch{}
			for i := range work {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				pw := &partWriter{tw: &tableWriter{s: imp.s, dir: imp.dir, name: fmt.Sprintf("%s%04d", name, i)}, stager: st}
				parts[i] = pw
				errs[i] = imp.writeChunk(ctx, chunks[i], pw, sc, write)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return parts, stagers, nil
}

// writeChunk sorts a chunk's buckets one at a time and writes them.
func (imp *pebbleImport) writeChunk(ctx context.Context, ids []int, pw *partWriter, sc *sortScratch,
	write func(pw *partWriter, k []byte, op byte, v []byte) error) error {
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			pw.tw.abort()
			return err
		}
		if err := imp.writeSorted(ctx, id, pw, sc, write); err != nil {
			pw.tw.abort()
			return err
		}
	}
	var err error
	pw.paths, err = pw.tw.close()
	return err
}

func (imp *pebbleImport) writeSorted(ctx context.Context, id int, pw *partWriter, sc *sortScratch,
	write func(pw *partWriter, k []byte, op byte, v []byte) error) error {
	it, cleanup, err := imp.sortedBucket(ctx, id, sc)
	if err != nil {
		return err
	}
	defer cleanup()
	c := &combiner{in: it}
	for {
		k, op, v, ok, err := c.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := write(pw, k, op, v); err != nil {
			return err
		}
	}
}

// exists reports whether the store holds key.
func (imp *pebbleImport) exists(k []byte) (bool, error) {
	_, err := imp.s.get(k)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

var countOne = []byte{1}

// occTrailer is what an occurrence with aliases adds to a print's value:
// the occurrence's number (8 bytes) and its number of prints (1).
const occTrailer = 8 + 1

// pairHashes splits a print's staged value into the hashes to count (SHA-1
// and NTLM, or the one of a fact that carries one) and, for an occurrence
// with aliases, its trailer.
func pairHashes(v []byte) (sha1, ntlm, trailer []byte, ok bool) {
	switch len(v) {
	case 20 + 16 + occTrailer, 20 + occTrailer, 16 + occTrailer:
		v, trailer = v[:len(v)-occTrailer], v[len(v)-occTrailer:]
	}
	switch len(v) {
	case 20 + 16:
		return v[:20], v[20:], trailer, true
	case 20:
		return v, nil, trailer, true
	case 16:
		return nil, v, trailer, true
	}
	return nil, nil, nil, false
}

// pairPrefer reports whether a second staged value of one print should
// replace the first: a print shared by several occurrences of an import
// belongs to one of them, a lone print (no aliases) first, else the
// occurrence numbered lowest, so that the others do not count it again.
func pairPrefer(cur, next []byte) bool {
	_, _, tc, _ := pairHashes(cur)
	_, _, tn, _ := pairHashes(next)
	switch {
	case tc == nil:
		return false
	case tn == nil:
		return true
	}
	return binary.BigEndian.Uint64(tn) < binary.BigEndian.Uint64(tc)
}

// writePair writes a password print new to the breach (without its value,
// the hashes, which must not be linked to a pair in the store). For a lone
// print it stages one count for each of its hashes; for a print of an
// occurrence with aliases it stages, in the occurrence table, that this
// print of the occurrence is new: phase 1b counts the occurrence if all of
// its prints are.
func (imp *pebbleImport) writePair(pw *partWriter, k, v []byte, checkExisting bool) error {
	sha1, ntlm, trailer, ok := pairHashes(v)
	if !ok {
		return errCorruptRun
	}
	if checkExisting {
		if old, err := imp.exists(k); err != nil || old {
			return err
		}
	}
	pw.res.NewPairs++
	if trailer != nil {
		var kb [1 + 8 + 16]byte
		occKey := append(append(kb[:0], tOccurrence), trailer[:8]...)
		occKey = append(occKey, k[1:17]...)                        // and the print: the occurrence's entries stay apart
		hv := append(append([]byte{trailer[8]}, sha1...), ntlm...) // their lengths say which
		if err := imp.stage(pw.stager, occKey, opSet, hv); err != nil {
			return err
		}
		return pw.tw.add(k, opSet, nil)
	}
	if err := imp.countHashes(pw.stager, sha1, ntlm); err != nil {
		return err
	}
	return pw.tw.add(k, opSet, nil)
}

// countHashes stages one count of each hash given.
func (imp *pebbleImport) countHashes(st *stager, sha1, ntlm []byte) error {
	var kb [1 + 20]byte
	if sha1 != nil {
		if err := imp.stage(st, append(append(kb[:0], tSHA1), sha1...), opMerge, countOne); err != nil {
			return err
		}
	}
	if ntlm != nil {
		if err := imp.stage(st, append(append(kb[:0], tNTLM), ntlm...), opMerge, countOne); err != nil {
			return err
		}
	}
	return nil
}

// countOccurrences is phase 1b: it reads the occurrence table, whose
// entries of one occurrence are adjacent, and counts an occurrence's
// hashes once if every one of its prints was new.
func (imp *pebbleImport) countOccurrences(ctx context.Context, ids []int, st *stager) error {
	sc := &sortScratch{}
	var cur []byte
	var want, seen int
	var hashes []byte
	finish := func() error {
		if cur == nil || seen != want {
			return nil
		}
		switch {
		case len(hashes) == 20+16:
			return imp.countHashes(st, hashes[:20], hashes[20:])
		case len(hashes) == 16:
			return imp.countHashes(st, nil, hashes)
		}
		return imp.countHashes(st, hashes, nil)
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, cleanup, err := imp.sortedBucket(ctx, id, sc)
		if err != nil {
			return err
		}
		c := &combiner{in: it}
		for {
			k, _, v, ok, err := c.next()
			if err != nil {
				cleanup()
				return err
			}
			if !ok {
				break
			}
			if len(k) != 1+8+16 || len(v) < 1 {
				cleanup()
				return errCorruptRun
			}
			if cur == nil || !bytes.Equal(cur, k[1:9]) {
				if err := finish(); err != nil {
					cleanup()
					return err
				}
				cur = append(cur[:0], k[1:9]...)
				want, seen = int(v[0]), 0
				hashes = append(hashes[:0], v[1:]...)
			}
			seen++
		}
		cleanup()
	}
	return finish()
}

// writeFact writes any other entry, counting accounts and hashes.
func (imp *pebbleImport) writeFact(pw *partWriter, k []byte, op byte, v []byte, checkExisting bool) error {
	switch k[0] {
	case tSHA1:
		pw.res.Passwords++
	case tAccount:
		pw.res.Accounts++
		isNew := true
		if checkExisting {
			old, err := imp.exists(k)
			if err != nil {
				return err
			}
			isNew = !old
		}
		if isNew {
			pw.res.NewAccounts++
			if len(v) == 1 && v[0] == 1 {
				pw.emails++
			} else {
				pw.others++
			}
		}
	}
	return pw.tw.add(k, op, v)
}

// tableWriter writes sorted entries into sstables of bounded size.
type tableWriter struct {
	s     *Store
	dir   string
	name  string
	w     *sstable.Writer
	paths []string
	bytes int
}

func (t *tableWriter) add(k []byte, op byte, v []byte) error {
	if t.w == nil || t.bytes >= maxTableBytes {
		if err := t.rotate(); err != nil {
			return err
		}
	}
	t.bytes += len(k) + len(v)
	switch op {
	case opMerge:
		return t.w.Merge(k, v)
	case opDelete:
		return t.w.Delete(k)
	}
	return t.w.Set(k, v)
}

func (t *tableWriter) rotate() error {
	if t.w != nil {
		if err := t.w.Close(); err != nil {
			return err
		}
	}
	p := filepath.Join(t.dir, fmt.Sprintf("%s-%06d.sst", t.name, len(t.paths)))
	f, err := vfs.Default.Create(p, vfs.WriteCategoryUnspecified)
	if err != nil {
		return err
	}
	t.paths = append(t.paths, p)
	t.w = sstable.NewWriter(objstorageprovider.NewFileWritable(f), t.s.po.MakeWriterOptions(0, t.s.db.TableFormat()))
	t.bytes = 0
	return nil
}

func (t *tableWriter) close() ([]string, error) {
	if t.w == nil {
		return nil, nil
	}
	err := t.w.Close()
	t.w = nil
	return t.paths, err
}

func (t *tableWriter) abort() {
	if t.w != nil {
		t.w.Close()
		t.w = nil
	}
}
