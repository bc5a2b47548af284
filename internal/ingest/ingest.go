// Package ingest imports leaked data into a store: it expands paths into
// sources (files, directories, archives, compressed streams, standard
// input), parses them with leakparse, turns records into facts (keyed
// account hashes, sealed emails, password hashes, sealed quarantine lines)
// on all cores, and commits them to the store in one atomic step.
//
// Nothing plaintext leaves this package towards the store.
package ingest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Options configure an import.
type Options struct {
	// Breach names the breach (Name is required) and gives the metadata of
	// a breach that does not exist yet.
	Breach catalog.Breach
	// Format forces a format; empty or auto sniffs each file.
	Format leakparse.Format
	// Map overrides column classification (column name or 1-based index).
	Map map[string]catalog.DataClass
	// PhoneRegion is the country of national phone numbers ("US", "DE").
	PhoneRegion string
	// Workers is the number of hashing goroutines (default GOMAXPROCS).
	Workers int
	// Stdin is read for the path "-".
	Stdin io.Reader
	// TempDir holds standard input while it is imported (default os.TempDir).
	TempDir string
	// Rand is the randomness for data keys (default crypto/rand). Every
	// import must get a fresh data key: a deterministic reader shared by
	// two imports would repeat keys and nonces. Tests only.
	Rand io.Reader
	// Progress, if set, is called about every ProgressEvery from another
	// goroutine, and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Warn receives one-line messages about files passed over (a file that
	// is not a leak, a source already imported). They never hold data.
	Warn func(string)
}

// Progress is a snapshot of a running import.
type Progress struct {
	File    string // the file being read
	Read    int64  // bytes read from sources so far
	Total   int64  // bytes of all sources; 0 when unknown (stdin)
	Rows    int64  // records parsed
	Elapsed time.Duration
	Done    bool
}

// Summary is the account of a finished import.
type Summary struct {
	Files       int              // leak files read
	Reread      int64            // quarantined lines read again (ReimportQuarantine)
	Skipped     []string         // sources already imported into the breach
	Ignored     int              // non-credential files of stealer log folders
	Errors      []string         // one line per file that could not be read as a leak
	Rows        int64            // records parsed
	Quarantined map[string]int64 // lines quarantined, by reason
	DataClasses catalog.ClassSet
	Result      store.Result // distinct accounts/passwords, new accounts, PwnCount
	Bytes       int64
	Elapsed     time.Duration
}

// QuarantinedTotal returns the number of quarantined lines.
func (s *Summary) QuarantinedTotal() int64 {
	var n int64
	for _, c := range s.Quarantined {
		n += c
	}
	return n
}

// ErrNothingToImport is returned when every source was already imported.
var ErrNothingToImport = errors.New("nothing to import: every source is already in the breach")

// Import imports paths into the breach opts.Breach.Name.
func Import(ctx context.Context, st store.Store, kr *keyring.Keyring, paths []string, opts Options) (*Summary, error) {
	start := time.Now()
	opts.defaults()
	if err := opts.Breach.Validate(); err != nil {
		return nil, err
	}
	srcs, ignored, err := expand(paths, opts.Stdin)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Ignored: ignored, Quarantined: map[string]int64{}}

	// Standard input is spooled (encrypted) so that it has a digest before
	// it is parsed, like any file.
	if opts.TempDir != "" {
		removeStaleSpools(opts.TempDir)
	}
	for _, s := range srcs {
		if s.path == "" {
			sp, err := newSpool(opts.TempDir)
			if err != nil {
				return nil, fmt.Errorf("reading standard input: %w", err)
			}
			defer sp.Close()
			if _, err := io.Copy(sp, ctxReader{ctx, opts.Stdin}); err != nil {
				return nil, fmt.Errorf("reading standard input: %w", err)
			}
			s.size = sp.size
			s.open = func() (io.ReadCloser, error) { return io.NopCloser(sp.Reader()), nil }
		}
	}
	var todo []*source
	for _, s := range srcs {
		if err := s.fingerprint(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, unwrapPathError(err))
		}
		done, err := st.SourceImported(ctx, opts.Breach.Name, s.id)
		if err != nil {
			return nil, err
		}
		if done || containsID(todo, s.id) {
			sum.Skipped = append(sum.Skipped, s.name)
			opts.Warn(fmt.Sprintf("%s: already imported into %s, skipped", s.name, opts.Breach.Name))
			continue
		}
		todo = append(todo, s)
	}
	if len(todo) == 0 {
		return sum, ErrNothingToImport
	}

	dk, wrapped, err := newDataKey(ctx, st, kr, opts.Rand)
	if err != nil {
		return nil, err
	}

	imp, err := st.BeginImport(ctx, opts.Breach)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			imp.Abort()
		}
	}()

	p := &pipeline{ctx: ctx, imp: imp, kr: kr, dk: dk, opts: &opts, sum: sum}
	for _, s := range todo {
		p.total += max(s.size, 0)
	}
	stopProgress := p.startProgress(start)
	err = p.run(todo)
	stopProgress()
	if err != nil {
		return nil, err
	}
	// The ledger records only sources that were read as leaks: a file
	// refused as "not a leak" can be imported later with --format.
	var sources []store.Source
	for _, s := range todo {
		if rows, ok := p.rowsBySource[s.id]; ok {
			sources = append(sources, store.Source{ID: s.id, Name: filepath.Base(s.name), Rows: rows})
		}
	}
	sum.DataClasses = catalogClasses(p)
	sum.Rows = p.rows.Load()
	res, err := imp.Commit(ctx, store.Manifest{
		Sources:     sources,
		DataClasses: sum.DataClasses,
		DataKey:     wrapped,
	})
	committed = true
	if err != nil {
		return nil, err
	}
	sum.Result = res
	sum.Bytes = p.read.Load()
	sum.Elapsed = time.Since(start)
	if opts.Progress != nil {
		opts.Progress(Progress{Read: sum.Bytes, Total: p.total, Rows: sum.Rows, Elapsed: sum.Elapsed, Done: true})
	}
	return sum, nil
}

func catalogClasses(p *pipeline) catalog.ClassSet { return catalog.ClassSet(p.classes.Load()) }

// newDataKey makes the data key of one import and its wrapped form.
func newDataKey(ctx context.Context, st store.Store, kr *keyring.Keyring, rand io.Reader) (*keyring.DataKey, store.WrappedKey, error) {
	id, err := st.NextDataKeyID(ctx)
	if err != nil {
		return nil, store.WrappedKey{}, err
	}
	dk, err := keyring.NewDataKey(id, rand)
	if err != nil {
		return nil, store.WrappedKey{}, err
	}
	w, err := kr.WrapDataKey(dk)
	if err != nil {
		return nil, store.WrappedKey{}, err
	}
	b, err := w.MarshalBinary()
	return dk, store.WrappedKey{ID: id, Wrapped: b}, err
}

// defaults fills in the zero fields of opts.
func (opts *Options) defaults() {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = time.Second
	}
}

func containsID(srcs []*source, id [32]byte) bool {
	for _, s := range srcs {
		if s.id == id {
			return true
		}
	}
	return false
}

// pipeline runs one import: a parsing goroutine per file feeding batches
// of records to hashing workers that add facts to the store import.
type pipeline struct {
	ctx  context.Context
	imp  store.Import
	kr   *keyring.Keyring
	dk   *keyring.DataKey
	opts *Options
	sum  *Summary

	total        int64
	read         atomic.Int64
	rows         atomic.Int64
	classes      atomic.Uint64
	file         atomic.Value // string
	rowsBySource map[[32]byte]int64

	qmu sync.Mutex // guards sum.Quarantined
}

func (p *pipeline) startProgress(start time.Time) (stop func()) {
	if p.opts.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(p.opts.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				f, _ := p.file.Load().(string)
				p.opts.Progress(Progress{File: f, Read: p.read.Load(), Total: p.total, Rows: p.rows.Load(), Elapsed: time.Since(start)})
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func (p *pipeline) run(srcs []*source) error {
	p.rowsBySource = map[[32]byte]int64{}
	return p.runFeed(func(ctx context.Context, batches, free chan *batch) error {
		for _, s := range srcs {
			if err := p.readSource(ctx, s, batches, free); err != nil {
				return err
			}
		}
		return nil
	})
}

// runFeed runs the hashing workers while feed fills batches.
func (p *pipeline) runFeed(feed func(ctx context.Context, batches, free chan *batch) error) error {
	ctx, cancel := context.WithCancelCause(p.ctx)
	defer cancel(nil)
	batches := make(chan *batch, 2*p.opts.Workers)
	free := make(chan *batch, 3*p.opts.Workers)
	for range cap(free) {
		free <- newBatch()
	}
	var wg sync.WaitGroup
	for range p.opts.Workers {
		wg.Go(func() {
			w := newWorker(p)
			for b := range batches {
				if ctx.Err() == nil {
					if err := w.process(ctx, b); err != nil {
						cancel(err)
					}
				}
				b.reset()
				free <- b
			}
		})
	}
	err := feed(ctx, batches, free)
	close(batches)
	wg.Wait()
	if cause := context.Cause(ctx); err == nil && cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause
	}
	if err == nil {
		err = p.ctx.Err()
	}
	return err
}

// countingReader counts bytes read from a source, for progress.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

func (p *pipeline) readSource(ctx context.Context, s *source, batches, free chan *batch) error {
	f, err := s.open()
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, unwrapPathError(err))
	}
	defer f.Close()
	raw := &countingReader{r: ctxReader{ctx, f}, n: &p.read}
	return walk(s.name, raw, p.opts.TempDir, func(lf leakFile) error {
		p.file.Store(lf.name)
		sink := &batchSink{ctx: ctx, src: s.id, batches: batches, free: free, cur: <-free}
		popts := leakparse.Options{Format: p.opts.Format, Map: p.opts.Map, Name: lf.name}
		if popts.Format == "" {
			popts.Format = leakparse.FormatAuto
		}
		stats, err := leakparse.Parse(ctx, lf.r, popts, sink)
		if err == nil {
			err = sink.flush()
		} else {
			sink.release()
		}
		if errors.Is(err, leakparse.ErrNotALeak) {
			msg := fmt.Sprintf("%s: %v", lf.name, err)
			p.sum.Errors = append(p.sum.Errors, msg)
			p.opts.Warn(msg)
			return nil
		}
		if err != nil {
			if cause := context.Cause(ctx); cause != nil {
				return cause
			}
			return fmt.Errorf("%s: %w", lf.name, err)
		}
		p.sum.Files++
		p.rows.Add(stats.Records)
		p.rowsBySource[s.id] += stats.Records
		return nil
	})
}

// quarantined records a quarantined line's reason in the summary.
func (p *pipeline) quarantined(reason string) {
	p.qmu.Lock()
	p.sum.Quarantined[reason]++
	p.qmu.Unlock()
}

// SortedReasons returns the quarantine reasons by descending count.
func SortedReasons(m map[string]int64) []string {
	var rs []string
	for r := range m {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool {
		if m[rs[i]] != m[rs[j]] {
			return m[rs[i]] > m[rs[j]]
		}
		return rs[i] < rs[j]
	})
	return rs
}
