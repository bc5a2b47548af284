package pebblestore

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/cockroachdb/pebble/v2/objstorage/objstorageprovider"
	"github.com/cockroachdb/pebble/v2/sstable"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
)

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

type pebbleImport struct {
	s       *Store
	breach  catalog.Breach
	id      uint32
	isNew   bool // the breach did not exist at BeginImport
	old     stats
	dir     string
	buffers chan *runBuffer // free buffers; bounds memory

	mu   sync.Mutex
	nrun int
	runs []run
	err  error // first spill error
	done bool
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
	imp.dir, err = os.MkdirTemp(mkdirAll(s.tmp), "import-")
	if err != nil {
		return nil, err
	}
	imp.buffers = make(chan *runBuffer, s.opts.RunBuffers)
	for range s.opts.RunBuffers {
		imp.buffers <- newRunBuffer(s.opts.RunBytes)
	}
	s.importing = true
	return imp, nil
}

func mkdirAll(dir string) string {
	os.MkdirAll(dir, 0o700)
	return dir
}

// Add implements store.Import. Each call fills a sort buffer of its own
// taken from a pool, so concurrent calls do not contend; a full buffer is
// sorted and spilled by the call that filled it. When every buffer is in
// use, Add waits: that bounds an import's memory.
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
	var b *runBuffer
	select {
	case b = <-imp.buffers:
	case <-ctx.Done():
		return ctx.Err()
	}
	var kb [96]byte
	for i := range f.Accounts {
		a := &f.Accounts[i]
		k := append(kb[:0], tAccount)
		k = append(k, a.Key[:]...)
		k = binary.BigEndian.AppendUint32(k, imp.id)
		b.add(k, opSet, kindValue[boolIndex(a.Email)])
		if a.Sealed != nil {
			k = append(kb[:0], tEmailRange)
			k = append(k, a.Range[:]...)
			k = append(k, a.Key[:]...)
			b.add(k, opSet, a.Sealed)
		}
	}
	one := []byte{1}
	for i := range f.SHA1 {
		b.add(append(append(kb[:0], tSHA1), f.SHA1[i][:]...), opMerge, one)
	}
	for i := range f.NTLM {
		b.add(append(append(kb[:0], tNTLM), f.NTLM[i][:]...), opMerge, one)
	}
	for _, q := range f.Quarantine {
		if len(q.Reason) > 255 {
			q.Reason = q.Reason[:255]
		}
		v := append([]byte{byte(len(q.Reason))}, q.Reason...)
		b.add(quarantineKey(imp.id, q.Source, q.Line), opSet, append(v, q.Sealed...))
	}
	if b.size() < imp.s.opts.RunBytes {
		imp.buffers <- b
		return nil
	}
	imp.mu.Lock()
	path := filepath.Join(imp.dir, fmt.Sprintf("run-%06d", imp.nrun))
	imp.nrun++
	imp.mu.Unlock()
	b.sort()
	r, err := writeRun(path, b)
	b.reset()
	if err == nil {
		imp.mu.Lock()
		imp.runs = append(imp.runs, r)
		imp.mu.Unlock()
	}
	imp.buffers <- b
	if err != nil {
		err = fmt.Errorf("spilling import run: %w", err)
		imp.mu.Lock()
		imp.err = cmp.Or(imp.err, err)
		imp.mu.Unlock()
	}
	return err
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
	if imp.isNew {
		v, err := encodeBreach(imp.breach)
		if err != nil {
			return res, err
		}
		meta.add(u32key(tCatalog, imp.id), opSet, v)
		meta.add(nameKey(imp.breach.Name), opSet, binary.BigEndian.AppendUint32(nil, imp.id))
	}
	meta.sort()
	// Every Add has returned its buffer: what they hold is sorted (in
	// parallel) and merged without a spill.
	bufs := []*runBuffer{meta}
	var sorts sync.WaitGroup
	for range cap(imp.buffers) {
		b := <-imp.buffers
		sorts.Go(b.sort)
		bufs = append(bufs, b)
	}
	sorts.Wait()

	// The key space is cut at table prefixes into partitions merged and
	// written in parallel; their sstables do not overlap.
	parts := make([]partResult, len(partitionBounds)+1)
	work := make(chan int, len(parts))
	for i := range parts {
		work <- i
	}
	close(work)
	checkExisting := !imp.isNew && (imp.old.emails > 0 || imp.old.others > 0)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				parts[i] = imp.writePartition(ctx, i, bufs, checkExisting)
			}
		})
	}
	wg.Wait()
	var paths []string
	var res0 store.Result
	st := imp.old
	st.classes |= m.DataClasses
	for _, p := range parts {
		if p.err != nil {
			return res, p.err
		}
		paths = append(paths, p.paths...)
		res0.Accounts += p.res.Accounts
		res0.Passwords += p.res.Passwords
		res0.NewAccounts += p.res.NewAccounts
		st.emails += p.emails
		st.others += p.others
	}
	// The stats entry goes in a table of its own: its key is greater than
	// every fact's.
	tw := &tableWriter{s: s, dir: imp.dir, name: "stats"}
	if err := tw.add(u32key(tStats, imp.id), opSet, st.encode()); err != nil {
		tw.abort()
		return res, err
	}
	statPaths, err := tw.close()
	if err != nil {
		return res, err
	}
	if err := s.db.Ingest(ctx, append(paths, statPaths...)); err != nil {
		return res, fmt.Errorf("ingesting import: %w", err)
	}
	res0.PwnCount = st.pwnCount()
	return res0, nil
}

// partitionBounds cut the key space of an import's output. Partitions are
// [nil, b0), [b0, b1), ..., [bn, nil); each is merged and written by one
// goroutine.
var partitionBounds = [][]byte{{tEmailRange}, {tNTLM}, {tSHA1}}

func partitionRange(i int) (lo, hi []byte) {
	if i > 0 {
		lo = partitionBounds[i-1]
	}
	if i < len(partitionBounds) {
		hi = partitionBounds[i]
	}
	return lo, hi
}

type partResult struct {
	paths          []string
	res            store.Result
	emails, others int64
	err            error
}

// writePartition merges partition i of the sorted buffers and spilled runs
// into sstables.
func (imp *pebbleImport) writePartition(ctx context.Context, i int, bufs []*runBuffer, checkExisting bool) (pr partResult) {
	lo, hi := partitionRange(i)
	var its []entryIter
	for _, b := range bufs {
		its = append(its, b.rangeIter(lo, hi))
	}
	for _, r := range imp.runs {
		fi, err := openRunSection(r, i)
		if err != nil {
			pr.err = err
			return pr
		}
		its = append(its, fi)
	}
	mi, err := newMergeIter(its)
	if err != nil {
		pr.err = err
		return pr
	}
	defer mi.close()
	c := &combiner{in: mi}
	tw := &tableWriter{s: imp.s, dir: imp.dir, name: fmt.Sprintf("part%d", i)}
	for {
		if err := ctx.Err(); err != nil {
			tw.abort()
			pr.err = err
			return pr
		}
		k, op, v, ok, err := c.next()
		if err != nil {
			tw.abort()
			pr.err = err
			return pr
		}
		if !ok {
			break
		}
		switch k[0] {
		case tSHA1:
			pr.res.Passwords++
		case tAccount:
			pr.res.Accounts++
			isNew := true
			if checkExisting {
				if _, err := imp.s.get(k); err == nil {
					isNew = false
				} else if !errors.Is(err, store.ErrNotFound) {
					tw.abort()
					pr.err = err
					return pr
				}
			}
			if isNew {
				pr.res.NewAccounts++
				if len(v) == 1 && v[0] == 1 {
					pr.emails++
				} else {
					pr.others++
				}
			}
		}
		if err := tw.add(k, op, v); err != nil {
			tw.abort()
			pr.err = err
			return pr
		}
	}
	pr.paths, pr.err = tw.close()
	return pr
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
	if op == opMerge {
		return t.w.Merge(k, v)
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
