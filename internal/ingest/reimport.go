package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/leakwatch/leakwatch/internal/exposure"
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
	start := time.Now()
	opts.defaults()
	name := opts.Breach.Name
	b, err := st.Breach(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("breach %s: %w", name, err)
	}
	x := exposure.New(st, kr)
	open := func(q store.Quarantined) ([]byte, error) { return x.Open(ctx, q.Sealed) }

	// The source digest covers the lines and how they are read, so the
	// same re-import twice is refused by the ledger.
	h := sha256.New()
	fmt.Fprintf(h, "quarantine\x00%s\x00", opts.Format)
	keys := make([]string, 0, len(opts.Map))
	for k := range opts.Map {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%d\x00", k, opts.Map[k])
	}
	var n int64
	for q, err := range st.Quarantine(ctx, name) {
		if err != nil {
			return nil, err
		}
		raw, err := open(q)
		if err != nil {
			return nil, err
		}
		h.Write(q.Source[:])
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(q.Line)))
		h.Write(binary.AppendUvarint(nil, uint64(len(raw))))
		h.Write(raw)
		n++
	}
	if n == 0 {
		return &Summary{Quarantined: map[string]int64{}}, ErrNothingToImport
	}
	var src store.Source
	h.Sum(src.ID[:0])
	src.Name = "quarantine of " + b.Name
	if done, err := st.SourceImported(ctx, name, src.ID); err != nil {
		return nil, err
	} else if done {
		return &Summary{Quarantined: map[string]int64{}}, ErrNothingToImport
	}

	dk, wrapped, err := newDataKey(ctx, st, kr, opts.Rand)
	if err != nil {
		return nil, err
	}
	imp, err := st.BeginImport(ctx, b)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			imp.Abort()
		}
	}()
	sum := &Summary{Quarantined: map[string]int64{}}
	p := &pipeline{ctx: ctx, imp: imp, kr: kr, dk: dk, opts: &opts, sum: sum}
	format := opts.Format
	if format == "" {
		format = leakparse.FormatAuto
	}
	err = p.runFeed(func(ctx context.Context, batches, free chan *batch) error {
		sink := &lineSink{batchSink: batchSink{ctx: ctx, batches: batches, free: free, cur: <-free, resolving: true}}
		for q, err := range st.Quarantine(ctx, name) {
			if err != nil {
				return err
			}
			raw, err := open(q)
			if err != nil {
				return err
			}
			sink.src, sink.line, sink.records = q.Source, q.Line, 0
			_, err = leakparse.Parse(ctx, bytes.NewReader(raw), leakparse.Options{Format: format, Map: opts.Map, NoHeader: true}, sink)
			if errors.Is(err, leakparse.ErrNotALeak) {
				// Still unreadable: it stays quarantined as it was.
				continue
			}
			if err != nil {
				sink.release()
				return err
			}
			p.rows.Add(sink.records)
			sum.Reread++
		}
		return sink.flush()
	})
	if err != nil {
		return nil, err
	}
	sum.Rows = p.rows.Load()
	sum.DataClasses = catalogClasses(p)
	res, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{{ID: src.ID, Name: src.Name, Rows: sum.Rows}}, DataClasses: sum.DataClasses, DataKey: wrapped})
	committed = true
	if err != nil {
		return nil, err
	}
	sum.Result = res
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// lineSink parses one quarantined line: records and quarantine keep the
// line's original source and line number. Its records resolve the line
// unless the line is quarantined again: a quarantine entry beats a
// resolution of the same line in the store.
type lineSink struct {
	batchSink
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
