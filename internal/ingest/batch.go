package ingest

import (
	"context"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// A batch carries parsed records from the parsing goroutine to a worker.
// Values are copied into one arena, so a batch costs a few allocations
// however many records it holds, and batches are recycled.
type batch struct {
	arena  []byte
	recs   []recRef
	fields []fieldRef
	quar   []quarRef
}

type recRef struct {
	src       [32]byte
	line      int64
	first, nf uint32 // fields[first:first+nf]
	// resolves marks a record read from a quarantined line: if it is kept,
	// the line leaves the quarantine.
	resolves bool
}

type fieldRef struct {
	class  catalog.DataClass
	off, n uint32
}

type quarRef struct {
	src    [32]byte
	line   int64
	reason string
	off, n uint32
}

const (
	batchRecords = 4096
	batchBytes   = 1 << 20
)

func newBatch() *batch {
	return &batch{arena: make([]byte, 0, batchBytes+64<<10), recs: make([]recRef, 0, batchRecords), fields: make([]fieldRef, 0, 4*batchRecords)}
}

func (b *batch) reset() {
	b.arena, b.recs, b.fields, b.quar = b.arena[:0], b.recs[:0], b.fields[:0], b.quar[:0]
}

func (b *batch) full() bool { return len(b.recs) >= batchRecords || len(b.arena) >= batchBytes }

func (b *batch) value(off, n uint32) []byte { return b.arena[off : off+n] }

func (b *batch) put(v []byte) (off, n uint32) {
	off = uint32(len(b.arena))
	b.arena = append(b.arena, v...)
	return off, uint32(len(v))
}

// batchSink is the leakparse.Sink of one file: it fills batches and hands
// full ones to the workers.
type batchSink struct {
	ctx     context.Context
	src     [32]byte
	batches chan<- *batch
	free    chan *batch
	cur     *batch
	// resolving marks the records as read from quarantined lines.
	resolving bool
}

func (s *batchSink) Record(r *leakparse.Record) error {
	b := s.cur
	rr := recRef{src: s.src, line: r.Line, resolves: s.resolving, first: uint32(len(b.fields)), nf: uint32(len(r.Fields))}
	for _, f := range r.Fields {
		off, n := b.put(f.Value)
		b.fields = append(b.fields, fieldRef{class: f.Class, off: off, n: n})
	}
	b.recs = append(b.recs, rr)
	if b.full() {
		return s.send()
	}
	return nil
}

func (s *batchSink) Quarantine(q *leakparse.Quarantine) error {
	b := s.cur
	off, n := b.put(q.Raw)
	b.quar = append(b.quar, quarRef{src: s.src, line: q.Line, reason: string(q.Reason), off: off, n: n})
	if b.full() {
		return s.send()
	}
	return nil
}

func (s *batchSink) send() error {
	select {
	case s.batches <- s.cur:
		s.cur = nil // a worker owns it now
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	}
	select {
	case s.cur = <-s.free:
		return nil
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	}
}

// flush sends the last, partly filled batch (workers recycle it even if
// empty).
func (s *batchSink) flush() error {
	select {
	case s.batches <- s.cur:
		s.cur = nil
		return nil
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	}
}

// release gives back the batch the sink holds, if any, after a failed
// parse.
func (s *batchSink) release() {
	if s.cur != nil {
		s.cur.reset()
		s.free <- s.cur
		s.cur = nil
	}
}
