package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"slices"

	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store"
)

// ReimportQuarantine parses a breach's quarantined lines again, one by
// one, with opts.Format and opts.Map (an analyst's explicit reading of
// them). Lines that now parse are imported and leave the quarantine; the
// others stay, with their original file and line and their new reason.
// Only opts.Breach.Name of the breach metadata is used.
func ReimportQuarantine(ctx context.Context, st store.Store, kr *keyring.Keyring, opts Options) (*Summary, error) {
	b, err := st.Breach(ctx, opts.Breach.Name)
	if err != nil {
		return nil, fmt.Errorf("breach %s: %w", opts.Breach.Name, err)
	}
	opts.Breach = b
	return run(ctx, st, kr, opts, &quarantineFeed{opener: keyring.NewOpener(kr, st)})
}

// quarantineFeed reads a breach's quarantined lines.
type quarantineFeed struct {
	opener *keyring.Opener
	src    store.Source // the re-import as a source of the ledger
}

// digest covers the lines and how they are read, so that the same
// re-import twice is refused by the ledger.
func (f *quarantineFeed) plan(ctx context.Context, p *pipeline) error {
	h := sha256.New()
	fmt.Fprintf(h, "quarantine\x00%s\x00", p.opts.Format)
	keys := make([]string, 0, len(p.opts.Map))
	for k := range p.opts.Map {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%d\x00", k, p.opts.Map[k])
	}
	n, err := f.each(ctx, p, func(q store.Quarantined, raw []byte) error {
		h.Write(q.Source[:])
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(q.Line)))
		writeLen(h, len(raw))
		h.Write(raw)
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNothingToImport
	}
	h.Sum(f.src.ID[:0])
	f.src.Name = "quarantine of " + p.opts.Breach.Name
	if done, err := p.st.SourceImported(ctx, p.opts.Breach.Name, f.src.ID); err != nil {
		return err
	} else if done {
		return ErrNothingToImport
	}
	return nil
}

func writeLen(h hash.Hash, n int) { h.Write(binary.AppendUvarint(nil, uint64(n))) }

// each calls fn with every quarantined line of the breach, opened.
func (f *quarantineFeed) each(ctx context.Context, p *pipeline, fn func(store.Quarantined, []byte) error) (int64, error) {
	var n int64
	for q, err := range p.st.Quarantine(ctx, p.opts.Breach.Name) {
		if err != nil {
			return n, err
		}
		raw, err := f.opener.Open(ctx, q.Sealed)
		if err != nil {
			return n, err
		}
		if err := fn(q, raw); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (f *quarantineFeed) read(ctx context.Context, p *pipeline, batches, free chan *batch) error {
	sink := &lineSink{batchSink: newBatchSink(ctx, batches, free)}
	sink.resolving = true
	_, err := f.each(ctx, p, func(q store.Quarantined, raw []byte) error {
		sink.src, sink.line, sink.print, sink.records = q.Source, q.Line, q.Print, 0
		_, err := leakparse.Parse(ctx, bytes.NewReader(raw), leakparse.Options{Format: p.opts.Format, Map: p.opts.Map, NoHeader: true}, sink)
		if errors.Is(err, leakparse.ErrNotALeak) {
			return nil // still unreadable: it stays quarantined as it was
		}
		if err != nil {
			return err
		}
		p.rows.Add(sink.records)
		p.sum.Reread++
		return nil
	})
	if err != nil {
		sink.release()
		return err
	}
	return sink.flush()
}

func (f *quarantineFeed) finish(ctx context.Context, p *pipeline) ([]store.Source, bool, error) {
	p.sum.Rows = p.rows.Load()
	f.src.Rows = p.sum.Rows
	return []store.Source{f.src}, true, nil
}

func (f *quarantineFeed) close() {}

// lineSink parses one quarantined line: records and quarantine keep the
// line's original source and line number. Its records resolve the line
// unless the line is quarantined again: a quarantine entry beats a
// resolution of the same line in the store.
type lineSink struct {
	*batchSink
	line    int64
	records int64
}

func (s *lineSink) Record(r *leakparse.Record) error {
	r.Line = s.line
	s.records++
	return s.batchSink.Record(r)
}

func (s *lineSink) Quarantine(q *leakparse.Quarantine) error {
	q.Line = s.line
	return s.batchSink.Quarantine(q)
}
