package ingest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"github.com/leakwatch/leakwatch/internal/safetext"
	"hash"
	"io"
	"sync/atomic"

	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store"
)

// fileFeed reads paths: files, directories, archives, streams.
type fileFeed struct {
	paths []string
	in    *Inputs      // the inputs: Expand(paths), or given
	files []*fileState // a leak file's number is its index plus one
}

// fileState is what an import learnt of one leak file.
type fileState struct {
	name        string // for messages
	ledgerName  string // what the ledger keeps: base names only
	digest      [32]byte
	rows        int64
	quarantined int64
	lines       int64 // lines read
	passed      int64 // lines that hold no data (Stats.Ignored)
	complete    bool  // parsed to its end (else it failed part way)
	old         bool  // already in the breach (or earlier in this import)
}

func (f *fileFeed) plan(ctx context.Context, p *pipeline) error {
	if f.in == nil {
		f.in = Expand(f.paths, p.opts.Stdin, p.opts.Exclude)
	}
	p.sum.Ignored = f.in.Ignored
	for _, fl := range f.in.Failed {
		p.fail(fl)
	}
	for _, s := range f.in.Skipped {
		p.skip(s)
	}
	p.total = f.in.Total
	if f.in.Count == 0 {
		return ErrNothingToImport
	}
	var err error
	p.hold, err = newHold(p.opts.TempDir)
	return err
}

func (f *fileFeed) close() {}

func (f *fileFeed) read(ctx context.Context, p *pipeline, batches, free chan *batch) error {
	w := &walker{tmpDir: p.opts.TempDir, maxDepth: p.opts.MaxDepth, maxRatio: p.opts.MaxRatio, slack: p.opts.slack(), skip: p.skip,
		passwords: p.opts.ArchivePasswords, ignore: func() { p.mu.Lock(); p.sum.Ignored++; p.mu.Unlock() },
		fn: func(ctx context.Context, lf leakFile) error { return f.parse(ctx, p, lf, batches, free) }}
	for {
		in, err := f.in.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f.readSource(ctx, p, w, &source{name: in.Name, size: in.Size, open: in.Open}); err != nil {
			return err
		}
	}
}

// readSource reads one source; a failure of the source is recorded and
// nil returned, so that the next source is read.
func (f *fileFeed) readSource(ctx context.Context, p *pipeline, w *walker, s *source) error {
	p.file.Store(s.name)
	rc, err := s.open(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		p.fail(Failure{s.name, err.Error()})
		return nil
	}
	defer rc.Close()
	raw := &inputReader{r: &progressReader{r: ctxReader{ctx.Done(), rc}, n: &p.read}, describe: readFailure}
	w.inPlace(rc, &p.read)
	err = w.walk(ctx, leakFile{name: s.name, hint: s.name, ledger: memberBase(s.name), r: w.source(raw)}, 0)
	var ie *inputError
	switch {
	case err == nil, errors.Is(err, errReported):
		return nil
	case ctx.Err() != nil:
		return context.Cause(ctx)
	case errors.As(err, &ie):
		p.fail(Failure{s.name, ie.msg})
		return nil
	}
	return err
}

// parse parses one leak file into batches. A file that is no leak, or
// that cannot be read to its end, is recorded as a failure: what was read
// before is kept, and errReported stops the container it is in only when
// nothing after it can be read.
func (f *fileFeed) parse(ctx context.Context, p *pipeline, lf leakFile, batches, free chan *batch) error {
	p.file.Store(lf.name)
	fs := &fileState{name: lf.name, ledgerName: lf.ledger}
	f.files = append(f.files, fs)
	h := sha256.New()
	sink := newBatchSink(ctx, batches, free)
	sink.file = uint32(len(f.files))
	counter := &countingSink{Sink: sink, rows: &p.rows}
	popts := leakparse.Options{Format: p.opts.Format, Map: p.opts.Map, Name: lf.hint, NoHeader: p.opts.NoHeader, HeaderRow: p.opts.HeaderRow}
	var stats leakparse.Stats
	var err error
	if ts, ok := lf.r.(*tableSource); ok {
		stats, err = parseTable(ctx, ts, popts, hashWriter{h}, counter)
	} else {
		stats, err = leakparse.Parse(ctx, io.TeeReader(lf.r, hashWriter{h}), popts, counter)
	}
	fs.rows, fs.quarantined = counter.records, counter.quarantined
	fs.lines, fs.passed = stats.Lines, stats.Ignored
	if ferr := sink.flush(); err == nil {
		err = ferr
	}
	h.Sum(fs.digest[:0])
	var ie *inputError
	switch {
	case err == nil:
		fs.complete = true
	case ctx.Err() != nil:
		return context.Cause(ctx)
	case errors.Is(err, leakparse.ErrNotALeak):
		p.fail(Failure{lf.name, err.Error()})
		return nil
	case errors.As(err, &ie):
		msg := ie.msg
		if stats.Lines > 0 {
			msg += fmt.Sprintf(" after line %d; the %d complete lines before were read and kept", stats.Lines, stats.Lines)
		}
		p.fail(Failure{lf.name, msg})
		return errReported
	default:
		return err
	}
	return nil
}

// finish decides which files are new to the breach, records those in the
// ledger, and adds their held quarantined lines.
func (f *fileFeed) finish(ctx context.Context, p *pipeline) ([]store.Source, bool, error) {
	defer p.hold.close()
	var sources []store.Source
	seen := map[[32]byte]bool{}
	anything := false
	// A breach is created only with a record: quarantined lines alone
	// (every line unreadable) would make an empty public breach.
	exists := true
	if _, err := p.st.Breach(ctx, p.opts.Breach.Name); errors.Is(err, store.ErrNotFound) {
		exists = false
		for _, fs := range f.files {
			exists = exists || fs.rows > 0
		}
	}
	for _, fs := range f.files {
		if fs.rows+fs.quarantined == 0 {
			continue // nothing read: a file that is no leak
		}
		if !exists {
			p.fail(Failure{fs.name, fmt.Sprintf("no line could be read as a record (%d quarantined lines; read it with --format and --map)", fs.quarantined)})
			continue
		}
		done, err := p.st.SourceImported(ctx, p.opts.Breach.Name, fs.digest)
		if err != nil {
			return nil, false, err
		}
		if done || seen[fs.digest] {
			fs.old = true
			p.sum.Already = append(p.sum.Already, fs.name)
			p.opts.Warn(fmt.Sprintf("%s: already imported into %s, nothing new", safetext.Quote(fs.name), p.opts.Breach.Name))
			continue
		}
		seen[fs.digest] = true
		anything = true
		p.sum.Files++
		p.sum.Rows += fs.rows
		p.sum.Lines += fs.lines
		p.sum.Passed += fs.passed
		p.sum.Imported = append(p.sum.Imported, fs.name)
		sources = append(sources, store.Source{ID: fs.digest, Name: fs.ledgerName, Rows: fs.rows})
	}
	facts := &store.Facts{}
	add := func() error {
		if len(facts.Quarantine) == 0 {
			return nil
		}
		err := p.imp.Add(ctx, facts)
		facts.Quarantine = facts.Quarantine[:0]
		return err
	}
	err := p.hold.each(func(l heldLine) error {
		fs := f.files[l.file-1]
		if fs.old {
			return nil // its lines are in the breach already, or were read again since
		}
		p.quarantined(l.reason, 1)
		facts.Quarantine = append(facts.Quarantine, store.Quarantined{Print: l.print, Source: fs.digest, Line: l.line, Reason: l.reason, Sealed: l.sealed})
		if len(facts.Quarantine) >= 4096 {
			return add()
		}
		return nil
	})
	if err == nil {
		err = add()
	}
	if err != nil {
		return nil, false, fmt.Errorf("quarantined lines: %w", err)
	}
	return sources, anything, nil
}

// countingSink counts what a parse passed on.
type countingSink struct {
	leakparse.Sink
	records, quarantined int64
	rows                 *atomic.Int64 // the import's, for progress
}

func (c *countingSink) Record(r *leakparse.Record) error {
	c.records++
	c.rows.Add(1)
	return c.Sink.Record(r)
}

func (c *countingSink) Quarantine(q *leakparse.Quarantine) error {
	c.quarantined++
	return c.Sink.Quarantine(q)
}

// hashWriter feeds a hash; it never fails.
type hashWriter struct{ h hash.Hash }

func (w hashWriter) Write(p []byte) (int, error) { return w.h.Write(p) }

// ctxReader fails reads once done is closed.
type ctxReader struct {
	done <-chan struct{}
	r    io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	select {
	case <-c.done:
		return 0, context.Canceled
	default:
	}
	return c.r.Read(p)
}
