package ingest

import (
	"context"
	"errors"
	"github.com/leakwatch/leakwatch/internal/safetext"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

// pipeline is one running import: a feed fills batches of records that
// hashing workers turn into facts for the store's import.
type pipeline struct {
	st   store.Store
	kr   *keyring.Keyring
	imp  store.Import
	dk   *keyring.DataKey
	opts *Options
	sum  *Summary
	hold *hold // quarantined lines of files whose digest is not known yet

	total   int64 // bytes of all sources, for progress; 0 when unknown
	read    atomic.Int64
	rows    atomic.Int64
	classes atomic.Uint64
	// sightings counts the stealer-log sightings added.
	sightings atomic.Int64
	// spooled counts the pairs spooled for the private check.
	spooled atomic.Int64
	// profile is the import's evidence profile, merged from the workers'.
	profMu  sync.Mutex
	profile *evidence.Profile
	file    atomic.Value // string: the file being read

	mu sync.Mutex // guards sum.Quarantined, sum.Failed, sum.Skipped
}

// run runs the hashing workers while read fills batches.
func (p *pipeline) run(ctx context.Context, read func(ctx context.Context, p *pipeline, batches, free chan *batch) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if p.profile == nil {
		p.profile = evidence.New()
	}
	batches := make(chan *batch, 2*p.opts.Workers)
	free := make(chan *batch, 3*p.opts.Workers)
	for range cap(free) {
		free <- newBatch()
	}
	var wg sync.WaitGroup
	for range p.opts.Workers {
		wg.Go(func() {
			cpushare.Enter(ctx)
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
			if ctx.Err() == nil {
				if err := w.flush(ctx); err != nil {
					cancel(err)
				}
			}
			p.profMu.Lock()
			p.profile.Merge(w.prof)
			p.profMu.Unlock()
		})
	}
	err := read(ctx, p, batches, free)
	close(batches)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause // a worker's failure explains the feed's
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
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

// quarantined counts n quarantined lines with a reason.
func (p *pipeline) quarantined(reason string, n int64) {
	p.mu.Lock()
	p.sum.Quarantined[reason] += n
	p.mu.Unlock()
}

// fail records an input that could not be read and tells the user.
func (p *pipeline) fail(f Failure) {
	p.mu.Lock()
	p.sum.Failed = append(p.sum.Failed, f)
	p.mu.Unlock()
	if p.opts.Failed != nil {
		p.opts.Failed(f)
		return
	}
	p.opts.Warn(f.Error())
}

// skip records an input passed over on purpose and tells the user.
func (p *pipeline) skip(s Skip) {
	p.mu.Lock()
	p.sum.Skipped = append(p.sum.Skipped, s)
	p.mu.Unlock()
	p.opts.Warn(safetext.Quote(s.Name) + ": skipped: " + s.Reason)
}

func (p *pipeline) addClasses(c catalog.ClassSet) {
	for {
		old := p.classes.Load()
		if old|uint64(c) == old || p.classes.CompareAndSwap(old, old|uint64(c)) {
			return
		}
	}
}

func (p *pipeline) dataClasses() catalog.ClassSet { return catalog.ClassSet(p.classes.Load()) }

// countingReader counts bytes read from a source, for progress.
type progressReader struct {
	r interface{ Read([]byte) (int, error) }
	n *atomic.Int64
}

func (c *progressReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}
