package pebblestore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

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

	mu      sync.Mutex
	cur     *runBuffer
	runs    []string
	nrun    int
	err     error // first spill error
	spills  sync.WaitGroup
	done    bool
	keyBuf  []byte
	started time.Time
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
	imp := &pebbleImport{s: s, breach: b, started: time.Now()}
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
		imp.buffers <- &runBuffer{}
	}
	imp.cur = <-imp.buffers
	s.importing = true
	return imp, nil
}

func mkdirAll(dir string) string {
	os.MkdirAll(dir, 0o700)
	return dir
}

// Add implements store.Import.
func (imp *pebbleImport) Add(ctx context.Context, f *store.Facts) error {
	imp.mu.Lock()
	if imp.done {
		imp.mu.Unlock()
		return errors.New("import already finished")
	}
	if imp.err != nil {
		err := imp.err
		imp.mu.Unlock()
		return err
	}
	b := imp.cur
	k := imp.keyBuf[:0]
	for i := range f.Accounts {
		a := &f.Accounts[i]
		k = append(k[:0], tAccount)
		k = append(k, a.Key[:]...)
		k = binary.BigEndian.AppendUint32(k, imp.id)
		b.add(k, opSet, kindValue[boolIndex(a.Email)])
		if a.Sealed != nil {
			k = append(k[:0], tEmailRange)
			k = append(k, a.Range[:]...)
			k = append(k, a.Key[:]...)
			b.add(k, opSet, a.Sealed)
		}
	}
	one := []byte{1}
	for i := range f.SHA1 {
		k = append(append(k[:0], tSHA1), f.SHA1[i][:]...)
		b.add(k, opMerge, one)
	}
	for i := range f.NTLM {
		k = append(append(k[:0], tNTLM), f.NTLM[i][:]...)
		b.add(k, opMerge, one)
	}
	for _, q := range f.Quarantine {
		if len(q.Reason) > 255 {
			q.Reason = q.Reason[:255]
		}
		v := append([]byte{byte(len(q.Reason))}, q.Reason...)
		b.add(quarantineKey(imp.id, q.Source, q.Line), opSet, append(v, q.Sealed...))
	}
	imp.keyBuf = k
	if b.size() < imp.s.opts.RunBytes {
		imp.mu.Unlock()
		return nil
	}
	// Spill the full buffer outside the lock; take a free one (waiting
	// for a spill to finish if none is free: that bounds memory).
	path := filepath.Join(imp.dir, fmt.Sprintf("run-%06d", imp.nrun))
	imp.nrun++
	imp.runs = append(imp.runs, path)
	imp.spills.Add(1)
	imp.cur = <-imp.buffers // under the lock: a full buffer is spilled once
	imp.mu.Unlock()
	b.sort()
	err := writeRun(path, b)
	b.reset()
	imp.buffers <- b
	imp.spills.Done()
	if err != nil {
		imp.mu.Lock()
		if imp.err == nil {
			imp.err = fmt.Errorf("spilling import run: %w", err)
		}
		imp.mu.Unlock()
		return err
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
	imp.spills.Wait()
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
	imp.spills.Wait()
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
	imp.cur.sort()
	its := []entryIter{&bufferIter{b: meta}, &bufferIter{b: imp.cur}}
	for _, p := range imp.runs {
		fi, err := openRun(p)
		if err != nil {
			return res, err
		}
		its = append(its, fi)
	}
	mi, err := newMergeIter(its)
	if err != nil {
		return res, err
	}
	defer mi.close()
	c := &combiner{in: mi}

	tw := &tableWriter{s: s, dir: imp.dir}
	var res0 store.Result
	st := imp.old
	st.classes |= m.DataClasses
	checkExisting := !imp.isNew && (imp.old.emails > 0 || imp.old.others > 0)
	for {
		if err := ctx.Err(); err != nil {
			tw.abort()
			return res, err
		}
		k, op, v, ok, err := c.next()
		if err != nil {
			tw.abort()
			return res, err
		}
		if !ok {
			break
		}
		switch k[0] {
		case tSHA1:
			res0.Passwords++
		case tAccount:
			res0.Accounts++
			isNew := true
			if checkExisting {
				if _, err := s.get(k); err == nil {
					isNew = false
				} else if !errors.Is(err, store.ErrNotFound) {
					tw.abort()
					return res, err
				}
			}
			if isNew {
				res0.NewAccounts++
				if len(v) == 1 && v[0] == 1 {
					st.emails++
				} else {
					st.others++
				}
			}
		}
		if err := tw.add(k, op, v); err != nil {
			tw.abort()
			return res, err
		}
	}
	// 't' is the greatest table prefix, so the stats entry comes last.
	if err := tw.add(u32key(tStats, imp.id), opSet, st.encode()); err != nil {
		tw.abort()
		return res, err
	}
	paths, err := tw.close()
	if err != nil {
		return res, err
	}
	if err := s.db.Ingest(ctx, paths); err != nil {
		return res, fmt.Errorf("ingesting import: %w", err)
	}
	res0.PwnCount = st.pwnCount()
	return res0, nil
}

// tableWriter writes sorted entries into sstables of bounded size.
type tableWriter struct {
	s     *Store
	dir   string
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
	p := filepath.Join(t.dir, fmt.Sprintf("table-%06d.sst", len(t.paths)))
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
