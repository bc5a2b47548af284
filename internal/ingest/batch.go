package ingest

import (
	"context"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store"
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
	src       [32]byte // as quarRef
	file      uint32
	line      int64
	print     store.LinePrint // of the quarantined line a record resolves
	first, nf uint32          // fields[first:first+nf]
	// resolves marks a record read from a quarantined line: if it is kept,
	// the line leaves the quarantine.
	resolves bool
	// signIn marks a record whose website fields are sites its
	// credential signs in to (see signInFormat).
	signIn bool
}

// signInFormat reports whether the website field of a format's records is
// the site their credential signs in to, as for the lines of a ULP
// combolist and the blocks of an infostealer log: such a record makes
// stealer-log sightings. Elsewhere a website column is what a table says
// it is (a customer's homepage), no sign-in.
func signInFormat(f leakparse.Format) bool {
	return f == leakparse.FormatULP || f == leakparse.FormatStealer
}

type fieldRef struct {
	class  catalog.DataClass
	off, n uint32
}

type quarRef struct {
	src    [32]byte // the source, when known (lines read again)
	file   uint32   // else the number of the file in the import (see hold)
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

func newBatchSink(ctx context.Context, batches chan<- *batch, free chan *batch) *batchSink {
	return &batchSink{done: ctx.Done(), cause: func() error { return context.Cause(ctx) }, batches: batches, free: free, cur: <-free}
}

// batchSink is the leakparse.Sink of one file: it fills batches and hands
// full ones to the workers. It gives up when done closes (the import is
// cancelled or failed), returning cause's error.
type batchSink struct {
	done    <-chan struct{}
	cause   func() error
	src     [32]byte
	file    uint32
	batches chan<- *batch
	free    chan *batch
	cur     *batch
	// resolving marks the records as read from quarantined lines, the
	// one whose print is print.
	resolving bool
	print     store.LinePrint
}

func (s *batchSink) Record(r *leakparse.Record) error {
	b := s.cur
	rr := recRef{src: s.src, file: s.file, line: r.Line, print: s.print, resolves: s.resolving, signIn: signInFormat(r.Format), first: uint32(len(b.fields)), nf: uint32(len(r.Fields))}
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
	b.quar = append(b.quar, quarRef{src: s.src, file: s.file, line: q.Line, reason: string(q.Reason), off: off, n: n})
	if b.full() {
		return s.send()
	}
	return nil
}

func (s *batchSink) send() error {
	select {
	case s.batches <- s.cur:
		s.cur = nil // a worker owns it now
	case <-s.done:
		return s.cause()
	}
	select {
	case s.cur = <-s.free:
		return nil
	case <-s.done:
		return s.cause()
	}
}

// flush sends the last, partly filled batch (workers recycle it even if
// empty).
func (s *batchSink) flush() error {
	select {
	case s.batches <- s.cur:
		s.cur = nil
		return nil
	case <-s.done:
		return s.cause()
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
