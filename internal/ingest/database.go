package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// SQLite databases are read table by table, each table a leak file of its
// own ("app.db!users", its rows numbered from 1), with random access
// (leakparse.OpenDatabase). A database given as a regular file is read in
// place, read-only; any other (inside an archive, compressed, from standard
// input or a pipe) is spooled first, encrypted like a zip archive (see
// spool), so no plaintext copy of it reaches the disk: SQLite reads the
// spool through its VFS, which decrypts what it reads in memory.

// randomFile is the source being walked when it is a regular file: a
// database at its top is read in place through it.
type randomFile struct {
	f    *os.File
	size int64
	// progress counts the bytes read, up to size, for the progress bar
	// (the stream of the file is not read).
	progress *atomic.Int64
	read     atomic.Int64
}

// ReadAt reads the file and counts what it read towards progress.
func (r *randomFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.f.ReadAt(p, off)
	if r.progress != nil && n > 0 {
		for {
			old := r.read.Load()
			add := min(int64(n), r.size-old)
			if add <= 0 || r.read.CompareAndSwap(old, old+add) {
				if add > 0 {
					r.progress.Add(add)
				}
				break
			}
		}
	}
	return n, err
}

// inPlace notes the source about to be walked: the file a database at its
// top is read from in place, when rc is a regular file; progress (may be
// nil) counts what is read of it.
func (w *walker) inPlace(rc io.Reader, progress *atomic.Int64) {
	w.file = nil
	f, ok := rc.(*os.File)
	if !ok {
		return
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		w.file = &randomFile{f: f, size: fi.Size(), progress: progress}
	}
}

// tableSource is the reader of a table's leak file: not read as a stream,
// it says which table of which database the file is (see parseTable).
type tableSource struct {
	db    *leakparse.Database
	table string
}

func (*tableSource) Read([]byte) (int, error) { return 0, io.EOF }

// walkDatabase reads a SQLite database whose head r starts with: each
// table is passed to fn as a leak file of its own; views and virtual
// tables are skipped and listed. A database that cannot be opened is a
// failure of its own, like a corrupt member of an archive: the container
// it is in goes on.
func (w *walker) walkDatabase(ctx context.Context, lf leakFile, r io.Reader, depth int) error {
	var ra io.ReaderAt
	var size int64
	if depth == 0 && w.file != nil {
		ra, size = w.file, w.file.size
	} else {
		sp, err := w.spoolAll(ctx, &budgetReader{r: r, w: w})
		if err != nil {
			return err
		}
		defer sp.Close()
		ra, size = sp, sp.size
	}
	db, err := leakparse.OpenDatabase(ctx, ra, size)
	if err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if !errors.Is(err, leakparse.ErrNotALeak) {
			return err
		}
		lf.r = &failingReader{&inputError{describeDatabase(err)}}
		if err := w.fn(ctx, lf); err != nil && !errors.Is(err, errReported) {
			return err
		}
		return nil
	}
	defer db.Close()
	tables := 0
	for _, t := range db.Tables() {
		m := member(lf, t.Name, &tableSource{db: db, table: t.Name})
		if t.Skip != "" {
			w.skip(Skip{m.name, t.Skip})
			continue
		}
		tables++
		if err := w.fn(ctx, m); err != nil && !errors.Is(err, errReported) {
			return err
		}
	}
	if tables == 0 {
		lf.r = &failingReader{&inputError{"SQLite database without a table to read"}}
		if err := w.fn(ctx, lf); err != nil && !errors.Is(err, errReported) {
			return err
		}
	}
	return nil
}

// describeDatabase is the failure of a database that cannot be opened,
// without leakparse's "not a leak file" (it is one, but unreadable).
func describeDatabase(err error) string {
	msg := err.Error()
	if p := leakparse.ErrNotALeak.Error() + ": "; len(msg) > len(p) && msg[:len(p)] == p {
		return msg[len(p):]
	}
	return msg
}

// parseTable parses the table of a leak file whose reader is a
// tableSource; digest receives what the ledger knows the table by.
func parseTable(ctx context.Context, ts *tableSource, opts leakparse.Options, digest io.Writer, sink leakparse.Sink) (leakparse.Stats, error) {
	st, err := ts.db.ParseTable(ctx, ts.table, opts, digest, sink)
	if err != nil && errors.Is(err, leakparse.ErrNotALeak) {
		// A table that cannot be read is no "not a leak file".
		err = &inputError{describeDatabase(err)}
	}
	return st, err
}

// describeTable is describe for the leak file of a table: its columns are
// those the parse finds (a table has no head to sniff).
func describeTable(ctx context.Context, lf leakFile, ts *tableSource, opts Options) FileReport {
	fr := FileReport{Name: lf.name, Format: leakparse.FormatSQLite, Encoding: leakparse.EncodingUTF8,
		Reason: fmt.Sprintf("table %s of a SQLite database", ts.table)}
	var desc leakparse.Sniffed
	q := &quarantineSampler{rep: &fr}
	st, err := parseTable(ctx, ts, leakparse.Options{Map: opts.Map, Name: lf.hint, Describe: &desc}, nil, q)
	fr.Header = desc.Header
	fr.Columns = columnReports(desc)
	fr.Encoding = st.Encoding
	fr.Lines = min(st.Lines, dryRunLines)
	if err != nil && !errors.Is(err, errEnough) {
		fr.Error = err.Error()
	}
	return fr
}
