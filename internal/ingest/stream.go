package ingest

import (
	"context"
	"errors"
	"io"
	"os"
	"syscall"
	"time"
)

// openStream opens a FIFO, a pipe or a device for reading, so that ctx
// interrupts both the open (which, for a FIFO, waits for a writer) and
// every read: Ctrl-C stops an import reading a silent pipe at once.
func openStream(ctx context.Context, path string) (io.ReadCloser, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, errors.New(describeOSError(o.err))
		}
		return interruptibleFile(ctx, o.f), nil
	case <-ctx.Done():
		// The open waits for a writer: be one for a moment, so that it
		// returns, and close what it opened.
		if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, context.Cause(ctx)
	}
}

// interruptible returns a reader of r whose reads end with ctx's error as
// soon as ctx is done, even while r blocks (standard input from a silent
// pipe or terminal).
func interruptible(ctx context.Context, r io.Reader) io.ReadCloser {
	f, ok := r.(*os.File)
	if !ok {
		// An in-memory reader never blocks; the pipeline checks ctx
		// between reads.
		return io.NopCloser(r)
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		return io.NopCloser(f) // a redirected file: reads do not block
	}
	return newPump(ctx, f)
}

// interruptibleFile is interruptible for a file the caller owns: a
// pollable one (a FIFO or pipe opened by name) gets a read deadline when
// ctx ends, anything else a pump. Close closes the file.
func interruptibleFile(ctx context.Context, f *os.File) io.ReadCloser {
	if err := f.SetReadDeadline(time.Time{}); err != nil {
		p := newPump(ctx, f)
		p.closer = f
		return p
	}
	stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Unix(1, 0)) })
	return &deadlineReader{f: f, done: ctx.Done(), cause: func() error { return context.Cause(ctx) }, stop: stop}
}

// deadlineReader reads a pollable file whose deadline ctx's end sets.
type deadlineReader struct {
	f     *os.File
	done  <-chan struct{}
	cause func() error
	stop  func() bool
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	n, err := d.f.Read(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		select {
		case <-d.done:
			return n, d.cause()
		default:
		}
	}
	return n, err
}

func (d *deadlineReader) Close() error {
	d.stop()
	return d.f.Close()
}

// pump reads a blocking reader in a goroutine of its own, so that the
// reader's user can give up on ctx's end while a read blocks. The goroutine
// ends with the read it is in (when the writer writes or goes away, or the
// process exits).
type pump struct {
	chunks chan pumpChunk
	free   chan []byte
	cur    pumpChunk
	off    int
	done   <-chan struct{}
	cause  func() error
	closer io.Closer
	err    error
}

type pumpChunk struct {
	buf []byte
	err error
}

const pumpBuf = 256 << 10

func newPump(ctx context.Context, r io.Reader) *pump {
	p := &pump{chunks: make(chan pumpChunk, 2), free: make(chan []byte, 3), done: ctx.Done(), cause: func() error { return context.Cause(ctx) }}
	for range cap(p.free) {
		p.free <- make([]byte, pumpBuf)
	}
	go func() {
		for {
			var buf []byte
			select {
			case buf = <-p.free:
			case <-p.done:
				return
			}
			n, err := r.Read(buf)
			select {
			case p.chunks <- pumpChunk{buf[:n], err}:
			case <-p.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

func (p *pump) Read(b []byte) (int, error) {
	for p.off == len(p.cur.buf) {
		if p.err != nil {
			return 0, p.err
		}
		if p.cur.buf != nil {
			p.free <- p.cur.buf[:cap(p.cur.buf)]
			p.cur.buf = nil
		}
		select {
		case c := <-p.chunks:
			p.cur, p.off, p.err = c, 0, c.err
		case <-p.done:
			p.err = p.cause()
			return 0, p.err
		}
	}
	n := copy(b, p.cur.buf[p.off:])
	p.off += n
	return n, nil
}

func (p *pump) Close() error {
	if p.closer != nil {
		return p.closer.Close()
	}
	return nil
}
