// Package pebblestore is the embedded store.Store of leakwatch, on Pebble.
//
// Imports never go through Pebble's write-ahead log: facts are sorted into
// runs on disk, merged, written as sstables and ingested in one atomic step
// (see import.go), so a killed import leaves nothing behind but temporary
// files, which the next Open removes.
package pebblestore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/sstable"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Options configure a Store. The zero value is valid.
type Options struct {
	// CacheSize is Pebble's block cache in bytes (default 256 MiB).
	CacheSize int64
	// SortBytes is the largest import bucket sorted in one piece in
	// memory (default 96 MiB, less on machines with more than two cores so
	// that the GOMAXPROCS sorts of a commit stay within about 600 MiB); a
	// larger one is sorted in pieces that are merged.
	SortBytes int
	// Stagers bounds how many Import.Add calls stage entries at once
	// (default GOMAXPROCS+1); each holds up to 16 KiB per bucket.
	Stagers int
	// Logger receives Pebble's messages at debug level (default: discard).
	Logger *slog.Logger
	// ReadOnly opens an existing store without writing anything to it:
	// writes fail, and a missing store is an error.
	ReadOnly bool
}

func (o *Options) defaults() {
	if o.CacheSize <= 0 {
		o.CacheSize = 256 << 20
	}
	if o.SortBytes <= 0 {
		o.SortBytes = min(96<<20, (192<<20)/runtime.GOMAXPROCS(0))
	}
	if o.Stagers <= 0 {
		o.Stagers = runtime.GOMAXPROCS(0) + 1
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Store is the Pebble backend. Create it with Open.
type Store struct {
	db   *pebble.DB
	po   *pebble.Options
	dir  string
	opts Options
	tmp  string

	mu        sync.Mutex // guards counters, catalog writes and importing
	importing bool
	closed    bool

	recordMu sync.Mutex // serialises WriteRecords

	// gen counts commit edges: odd while an import's commit is applied.
	gen atomic.Uint64
	// commitGate is held by a commit while it is applied, and shared by
	// readers that must see no commit for a while (HoldCommits).
	commitGate sync.RWMutex
}

// Generation implements store.Store.
func (s *Store) Generation() uint64 { return s.gen.Load() }

// HoldCommits keeps imports from applying their commits until release is
// called; an import that reaches its commit meanwhile waits. A reader that
// must see one state of the data across many reads holds it briefly.
func (s *Store) HoldCommits() (release func()) {
	s.commitGate.RLock()
	return s.commitGate.RUnlock
}

var (
	_ store.Store       = (*Store)(nil)
	_ store.Snapshotter = (*Store)(nil)
)

// Open opens or creates the store in dir. It returns store.ErrLocked if
// another process has it open and store.ErrUnknownSchema for a store written
// by a newer (or unrelated) version.
func Open(dir string, opts Options) (*Store, error) {
	opts.defaults()
	if !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	po := &pebble.Options{
		ReadOnly:           opts.ReadOnly,
		Merger:             counterMerger,
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             pebbleLogger{opts.Logger},
	}
	cache := pebble.NewCache(opts.CacheSize)
	defer cache.Unref()
	po.Cache = cache
	po.EnsureDefaults()
	// Keys are hashes and values ciphertext: compression costs time and
	// saves nothing.
	for i := range po.Levels {
		po.Levels[i].Compression = func() *sstable.CompressionProfile { return sstable.NoCompression }
	}
	db, err := pebble.Open(dir, po)
	if errors.Is(err, pebble.ErrDBDoesNotExist) {
		return nil, fmt.Errorf("opening %s: %w", dir, store.ErrNoStore)
	}
	if err != nil {
		if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK) || strings.Contains(err.Error(), "lock") {
			return nil, fmt.Errorf("opening %s: %w", dir, store.ErrLocked)
		}
		return nil, fmt.Errorf("opening %s: %w", dir, err)
	}
	s := &Store{db: db, po: po, dir: dir, opts: opts, tmp: filepath.Join(dir, "import.tmp")}
	if err := s.checkSchema(); err != nil {
		db.Close()
		return nil, err
	}
	// A previous import that was killed left only temporary files.
	if opts.ReadOnly {
		return s, nil
	}
	if err := os.RemoveAll(s.tmp); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) checkSchema() error {
	v, closer, err := s.db.Get(keySchema)
	if errors.Is(err, pebble.ErrNotFound) && s.opts.ReadOnly {
		return fmt.Errorf("%s holds no schema version: %w", s.dir, store.ErrNoStore)
	}
	if errors.Is(err, pebble.ErrNotFound) {
		// A fresh store: nothing else may be in it.
		it, err := s.db.NewIter(nil)
		if err != nil {
			return err
		}
		empty := !it.First()
		it.Close()
		if !empty {
			return fmt.Errorf("%s holds data without a schema version: %w", s.dir, store.ErrUnknownSchema)
		}
		return s.db.Set(keySchema, []byte(strconv.Itoa(store.SchemaVersion)), pebble.Sync)
	}
	if err != nil {
		return err
	}
	defer closer.Close()
	if string(v) != strconv.Itoa(store.SchemaVersion) {
		return fmt.Errorf("%s has schema version %q, this leakwatch reads version %d: %w", s.dir, v, store.SchemaVersion, store.ErrUnknownSchema)
	}
	return nil
}

// Close implements store.Store. A second Close does nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.db.Close()
}

// Checkpoint implements store.Snapshotter with Pebble's checkpoint: the WAL
// is flushed and synced, then the sstables of one version are hard linked
// (copied across filesystems) with a manifest of that version alone. An
// import's commit is one ingestion, a single version edit, so a checkpoint
// holds all of it or none. The import's temporary files are not copied.
func (s *Store) Checkpoint(ctx context.Context, dir string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("checkpoint into %s: %w", dir, store.ErrExists)
	}
	var opts []pebble.CheckpointOption
	if !s.opts.ReadOnly {
		opts = append(opts, pebble.WithFlushedWAL())
	}
	if err := s.db.Checkpoint(dir, opts...); err != nil {
		return fmt.Errorf("checkpoint into %s: %w", dir, err)
	}
	return nil
}

// DiskUsage returns the bytes of the store's files.
func (s *Store) DiskUsage() uint64 { return s.db.Metrics().DiskSpaceUsage() }

func (s *Store) get(key []byte) ([]byte, error) {
	v, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	out := bytes.Clone(v)
	closer.Close()
	return out, nil
}

// nextCounter increments a counter key and returns its new value. The
// caller holds s.mu.
func (s *Store) nextCounter(key []byte) (uint32, error) {
	var n uint64
	v, err := s.get(key)
	switch {
	case err == nil:
		var k int
		if n, k = binary.Uvarint(v); k <= 0 {
			return 0, fmt.Errorf("corrupt counter %q", key[1:])
		}
	case !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	n++
	if err := s.db.Set(key, binary.AppendUvarint(nil, n), pebble.Sync); err != nil {
		return 0, err
	}
	return uint32(n), nil
}

// breachID resolves a breach name; store.ErrNotFound if unknown.
func (s *Store) breachID(name string) (uint32, error) {
	v, err := s.get(nameKey(name))
	if err != nil {
		return 0, err
	}
	if len(v) != 4 {
		return 0, errors.New("corrupt breach name index")
	}
	return binary.BigEndian.Uint32(v), nil
}

// stats are what imports computed about a breach.
type stats struct {
	emails  int64 // distinct email accounts
	others  int64 // distinct accounts of other kinds
	classes catalog.ClassSet
	pairs   int64 // distinct password prints
}

// pwnCount is HIBP's PwnCount: the emails, or other accounts if none.
func (st stats) pwnCount() int64 {
	if st.emails > 0 {
		return st.emails
	}
	return st.others
}

func (st stats) encode() []byte {
	b := binary.AppendUvarint(nil, uint64(st.emails))
	b = binary.AppendUvarint(b, uint64(st.others))
	b = binary.AppendUvarint(b, uint64(st.classes))
	return binary.AppendUvarint(b, uint64(st.pairs))
}

func decodeStats(v []byte) (stats, error) {
	var f [4]uint64
	for i := range f {
		x, n := binary.Uvarint(v)
		if n <= 0 {
			return stats{}, errors.New("corrupt breach stats")
		}
		f[i], v = x, v[n:]
	}
	return stats{int64(f[0]), int64(f[1]), catalog.ClassSet(f[2]), int64(f[3])}, nil
}

func (s *Store) stats(id uint32) (stats, error) {
	v, err := s.get(u32key(tStats, id))
	if errors.Is(err, store.ErrNotFound) {
		return stats{}, nil
	}
	if err != nil {
		return stats{}, err
	}
	return decodeStats(v)
}

func (s *Store) loadBreach(id uint32) (catalog.Breach, error) {
	var b catalog.Breach
	v, err := s.get(u32key(tCatalog, id))
	if err != nil {
		return b, err
	}
	if err := json.Unmarshal(v, &b); err != nil {
		return b, fmt.Errorf("corrupt catalog entry %d: %w", id, err)
	}
	st, err := s.stats(id)
	if err != nil {
		return b, err
	}
	b.PwnCount = st.pwnCount()
	b.DataClasses = st.classes.Names()
	return b, nil
}

func encodeBreach(b catalog.Breach) ([]byte, error) {
	b.PwnCount, b.DataClasses = 0, nil
	return json.Marshal(b)
}

// Breaches implements store.Store.
func (s *Store) Breaches(ctx context.Context) ([]catalog.Breach, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{tName}, UpperBound: []byte{tName + 1}})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []catalog.Breach{}
	for it.First(); it.Valid(); it.Next() {
		b, err := s.loadBreach(binary.BigEndian.Uint32(it.Value()))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, it.Error()
}

// Breach implements store.Store.
func (s *Store) Breach(ctx context.Context, name string) (catalog.Breach, error) {
	id, err := s.breachID(name)
	if err != nil {
		return catalog.Breach{}, err
	}
	return s.loadBreach(id)
}

// PutBreach implements store.Store.
func (s *Store) PutBreach(ctx context.Context, b catalog.Breach) error {
	if err := b.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := s.breachID(b.Name)
	batch := s.db.NewBatch()
	defer batch.Close()
	switch {
	case errors.Is(err, store.ErrNotFound):
		if id, err = s.nextCounter(keyNextBreach); err != nil {
			return err
		}
		batch.Set(nameKey(b.Name), binary.BigEndian.AppendUint32(nil, id), nil)
	case err != nil:
		return err
	default:
		old, err := s.loadBreach(id)
		if err != nil {
			return err
		}
		b.Name, b.AddedDate = old.Name, old.AddedDate // the name's spelling and first sighting stay
	}
	v, err := encodeBreach(b)
	if err != nil {
		return err
	}
	batch.Set(u32key(tCatalog, id), v, nil)
	return batch.Commit(pebble.Sync)
}

// AccountBreaches implements store.Store.
func (s *Store) AccountBreaches(ctx context.Context, k store.AccountKey) ([]catalog.Breach, error) {
	lo := append([]byte{tAccount}, k[:]...)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []catalog.Breach{}
	for it.First(); it.Valid(); it.Next() {
		key := it.Key()
		if len(key) != 1+16+4 {
			return nil, errors.New("corrupt account key")
		}
		b, err := s.loadBreach(binary.BigEndian.Uint32(key[17:]))
		if err != nil {
			return nil, fmt.Errorf("account refers to missing breach: %w", err)
		}
		out = append(out, b)
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b catalog.Breach) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out, nil
}

// EmailRange implements store.Store.
func (s *Store) EmailRange(ctx context.Context, r store.RangeTag) ([][]byte, error) {
	lo := append([]byte{tEmailRange}, r[:]...)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out [][]byte
	for it.First(); it.Valid(); it.Next() {
		out = append(out, bytes.Clone(it.Value()))
	}
	return out, it.Error()
}

func hashTable(kind store.HashKind) (byte, error) {
	switch kind {
	case store.SHA1:
		return tSHA1, nil
	case store.NTLM:
		return tNTLM, nil
	}
	return 0, fmt.Errorf("unknown hash kind %d", kind)
}

// PasswordCount implements store.Store.
func (s *Store) PasswordCount(ctx context.Context, kind store.HashKind, hash []byte) (int64, error) {
	t, err := hashTable(kind)
	if err != nil {
		return 0, err
	}
	if len(hash) != kind.Size() {
		return 0, fmt.Errorf("%s hash must be %d bytes", kind, kind.Size())
	}
	v, err := s.get(append([]byte{t}, hash...))
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return decodeCount(v)
}

// PasswordHashes implements store.Store.
func (s *Store) PasswordHashes(ctx context.Context, kind store.HashKind) iter.Seq2[store.PasswordHash, error] {
	return func(yield func(store.PasswordHash, error) bool) {
		t, err := hashTable(kind)
		if err != nil {
			yield(store.PasswordHash{}, err)
			return
		}
		// An iterator reads one state of the store, whatever is ingested
		// while it is open.
		s.scan(ctx, []byte{t}, []byte{t + 1}, yield)
	}
}

// PasswordRange implements store.Store.
func (s *Store) PasswordRange(ctx context.Context, kind store.HashKind, prefix uint32) iter.Seq2[store.PasswordHash, error] {
	return func(yield func(store.PasswordHash, error) bool) {
		t, err := hashTable(kind)
		if err == nil && prefix >= 1<<20 {
			err = fmt.Errorf("range prefix out of bounds")
		}
		if err != nil {
			yield(store.PasswordHash{}, err)
			return
		}
		// 20 bits: two whole bytes and the high nibble of the third.
		lo := []byte{t, byte(prefix >> 12), byte(prefix >> 4), byte(prefix<<4) & 0xf0}
		hi := []byte{t, byte((prefix + 1) >> 12), byte((prefix + 1) >> 4), byte((prefix+1)<<4) & 0xf0}
		if prefix+1 == 1<<20 {
			hi = []byte{t + 1}
		}
		s.scan(ctx, lo, hi, yield)
	}
}

// scan yields the password hashes and counts of the keys in [lo, hi),
// their table byte cut off, checking ctx every 64Ki keys.
func (s *Store) scan(ctx context.Context, lo, hi []byte, yield func(store.PasswordHash, error) bool) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		yield(store.PasswordHash{}, err)
		return
	}
	defer it.Close()
	n := 0
	for it.First(); it.Valid(); it.Next() {
		if n++; n&0xFFFF == 0 {
			if err := ctx.Err(); err != nil {
				yield(store.PasswordHash{}, err)
				return
			}
		}
		c, err := decodeCount(it.Value())
		if err != nil {
			yield(store.PasswordHash{}, err)
			return
		}
		if !yield(store.PasswordHash{Hash: it.Key()[1:], Count: c}, nil) {
			return
		}
	}
	if err := it.Error(); err != nil {
		yield(store.PasswordHash{}, err)
	}
}

// SourceImported implements store.Store.
func (s *Store) SourceImported(ctx context.Context, breach string, id [32]byte) (bool, error) {
	bid, err := s.breachID(breach)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_, err = s.get(ledgerKey(bid, id))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Sources implements store.Store.
func (s *Store) Sources(ctx context.Context, breach string) ([]store.Source, error) {
	bid, err := s.breachID(breach)
	if err != nil {
		return nil, err
	}
	lo := u32key(tLedger, bid)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []store.Source{}
	for it.First(); it.Valid(); it.Next() {
		k, v := it.Key(), it.Value()
		rows, n := binary.Uvarint(v)
		if len(k) != 5+32 || n <= 0 {
			return nil, errors.New("corrupt source ledger entry")
		}
		src := store.Source{Name: string(v[n:]), Rows: int64(rows)}
		copy(src.ID[:], k[5:])
		out = append(out, src)
	}
	return out, it.Error()
}

// Quarantine implements store.Store.
func (s *Store) Quarantine(ctx context.Context, breach string) iter.Seq2[store.Quarantined, error] {
	return func(yield func(store.Quarantined, error) bool) {
		bid, err := s.breachID(breach)
		if err != nil {
			yield(store.Quarantined{}, err)
			return
		}
		lo := u32key(tQuarantine, bid)
		it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
		if err != nil {
			yield(store.Quarantined{}, err)
			return
		}
		defer it.Close()
		for it.First(); it.Valid(); it.Next() {
			k, v := it.Key(), it.Value()
			var q store.Quarantined
			if len(k) != 5+16 || len(v) < 32+8+1 || len(v) < 32+8+1+int(v[40]) {
				yield(q, errors.New("corrupt quarantine entry"))
				return
			}
			copy(q.Print[:], k[5:])
			copy(q.Source[:], v[:32])
			q.Line = int64(binary.BigEndian.Uint64(v[32:40]))
			q.Reason = string(v[41 : 41+v[40]])
			q.Sealed = bytes.Clone(v[41+v[40]:])
			if !yield(q, nil) {
				return
			}
		}
		if err := it.Error(); err != nil {
			yield(store.Quarantined{}, err)
		}
	}
}

// DataKeys implements store.Store.
func (s *Store) DataKeys(ctx context.Context) ([]store.WrappedKey, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{tDataKey}, UpperBound: []byte{tDataKey + 1}})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []store.WrappedKey
	for it.First(); it.Valid(); it.Next() {
		out = append(out, store.WrappedKey{ID: binary.BigEndian.Uint32(it.Key()[1:]), Wrapped: bytes.Clone(it.Value())})
	}
	return out, it.Error()
}

// ReplaceDataKeys implements store.Store.
func (s *Store) ReplaceDataKeys(ctx context.Context, keys []store.WrappedKey, check []byte) error {
	if len(check) == 0 {
		return errors.New("replacing data keys: no key check value")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.importing {
		return store.ErrImportRunning
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, k := range keys {
		if err := b.Set(u32key(tDataKey, k.ID), k.Wrapped, nil); err != nil {
			return err
		}
	}
	if err := b.Set(keyKeyCheck, check, nil); err != nil {
		return err
	}
	return b.Commit(pebble.Sync)
}

// KeyCheck implements store.Store.
func (s *Store) KeyCheck(ctx context.Context) ([]byte, error) {
	return s.get(keyKeyCheck)
}

// InitKeyCheck implements store.Store.
func (s *Store) InitKeyCheck(ctx context.Context, check []byte) error {
	if len(check) == 0 {
		return errors.New("recording key check: empty value")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.get(keyKeyCheck); err == nil {
		return fmt.Errorf("recording key check: %w", store.ErrExists)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.db.Set(keyKeyCheck, check, pebble.Sync)
}

// NextDataKeyID implements store.Store.
func (s *Store) NextDataKeyID(ctx context.Context) (uint32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextCounter(keyNextKey)
}

type pebbleLogger struct{ l *slog.Logger }

func (p pebbleLogger) Infof(format string, args ...any) {
	p.l.Debug("pebble", "msg", fmt.Sprintf(format, args...))
}
func (p pebbleLogger) Errorf(format string, args ...any) {
	p.l.Error("pebble", "msg", fmt.Sprintf(format, args...))
}
func (p pebbleLogger) Fatalf(format string, args ...any) {
	p.l.Error("pebble fatal", "msg", fmt.Sprintf(format, args...))
	panic(fmt.Sprintf(format, args...))
}

// PutAPIKey implements store.Store.
func (s *Store) PutAPIKey(ctx context.Context, k store.APIKey) error {
	return s.putNamed(tAPIKey, k.Name, k)
}

// APIKeys implements store.Store.
func (s *Store) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	return listNamed[store.APIKey](s, tAPIKey, "API key")
}

// DeleteAPIKey implements store.Store.
func (s *Store) DeleteAPIKey(ctx context.Context, name string) error {
	return s.deleteNamed(tAPIKey, name)
}

// PutAdminToken implements store.Store.
func (s *Store) PutAdminToken(ctx context.Context, t store.AdminToken) error {
	return s.putNamed(tAdminToken, t.Name, t)
}

// AdminTokens implements store.Store.
func (s *Store) AdminTokens(ctx context.Context) ([]store.AdminToken, error) {
	return listNamed[store.AdminToken](s, tAdminToken, "admin token")
}

// DeleteAdminToken implements store.Store.
func (s *Store) DeleteAdminToken(ctx context.Context, name string) error {
	return s.deleteNamed(tAdminToken, name)
}

// putNamed sets the entry name of a table of credentials to v as JSON.
func (s *Store) putNamed(table byte, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.db.Set(append([]byte{table}, name...), b, pebble.Sync)
}

// listNamed returns the entries of a table of credentials by name.
func listNamed[T any](s *Store, table byte, what string) ([]T, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{table}, UpperBound: []byte{table + 1}})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []T{}
	for it.First(); it.Valid(); it.Next() {
		var v T
		if err := json.Unmarshal(it.Value(), &v); err != nil {
			return nil, fmt.Errorf("corrupt %s entry: %w", what, err)
		}
		out = append(out, v)
	}
	return out, it.Error()
}

// deleteNamed removes the entry name of a table of credentials;
// store.ErrNotFound if there is none.
func (s *Store) deleteNamed(table byte, name string) error {
	k := append([]byte{table}, name...)
	if _, err := s.get(k); err != nil {
		return err
	}
	return s.db.Delete(k, pebble.Sync)
}
