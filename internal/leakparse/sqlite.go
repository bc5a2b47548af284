package leakparse

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
	"modernc.org/sqlite/vfs"
)

// FormatSQLite is a SQLite 3 database file (a mobile app's or a forum's
// database, a browser's "Login Data" or "Web Data" copied by a stealer),
// read with the pure-Go driver modernc.org/sqlite: every table, row by row,
// through the table classifier, as CSV rows are.
//
// A database is data, never code. It is opened read-only through a VFS of
// its own that serves the bytes it is given (nothing else can be opened:
// no journal, WAL, temporary file or ATTACHed database) and with an
// authorizer that lets statements read tables and nothing else: views are
// not read (their rows come from tables) and virtual tables are not
// queried, so no SQL stored in the file runs; triggers fire only on
// writes, and nothing is written. The schema is read with PRAGMA table_list
// and table_xinfo; computed (virtual generated) columns are not read.
//
// A hostile file is bounded: each cell is loaded only when its size, read
// from the record header, is under maxDatabaseCell or MaxLine divided by
// the number of columns (a row loads about MaxLine bytes at most; a bigger
// cell, which no identifier is, is left out); a table yielding more rows
// than its file could hold (a corrupt b-tree whose pages point at each
// other) stops; a row or page that cannot be read is quarantined with the
// reason ReasonCorrupt and the table goes on after it when its rowids allow.
//
// Parse reads a database from a stream into memory, up to
// maxDatabaseInMemory bytes, and reads every table in order, counting rows
// across tables as its lines. Callers with random access (a file, a spool)
// use OpenDatabase and read each table on its own, with rows numbered
// within the table.
const FormatSQLite Format = "sqlite"

// ReasonCorrupt quarantines a database row or page that cannot be read.
const ReasonCorrupt Reason = "corrupt"

// Limits of databases; see FormatSQLite.
const (
	// maxDatabaseInMemory is the largest database Parse reads from a
	// stream.
	maxDatabaseInMemory = 64 << 20
	// minDatabaseCell is the size of a cell always loaded, however many
	// columns its table has.
	minDatabaseCell = 4 << 10
	// maxDatabaseNames bounds the length of a table or column name: a
	// statement must name them.
	maxDatabaseNames = 4 << 10
	// maxDatabaseErrors is how many unreadable stretches of a table are
	// skipped before the rest of it is given up.
	maxDatabaseErrors = 64
	// databaseCache is SQLite's page cache, in KiB.
	databaseCache = 8 << 10
)

// maxDatabaseTables is how many tables of a database are read (a var for
// tests).
var maxDatabaseTables = maxTables

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

func init() {
	formats = append(formats, FormatSQLite)
}

// IsDatabase reports whether head, the first bytes of a file, is that of a
// SQLite 3 database: a file read with random access (OpenDatabase), table
// by table, rather than as a stream.
func IsDatabase(head []byte) bool { return bytes.HasPrefix(head, []byte(sqliteMagic)) }

// databaseHead returns the reason a head is that of a database, "" when it
// is not.
func databaseHead(head []byte) string {
	if !IsDatabase(head) {
		return ""
	}
	return `a SQLite 3 database (header "SQLite format 3")`
}

// DatabaseTable is one table of a database.
type DatabaseTable struct {
	Name string
	// Skip says why the table is not read (a view, a virtual table, an
	// index's data), "" when it is.
	Skip string
}

// A Database is a SQLite database opened read-only (see FormatSQLite). Its
// methods must not be called concurrently; Close it when done.
type Database struct {
	db      *sql.DB
	conn    *sql.Conn
	fsys    *vfs.FS
	size    int64
	tables  []DatabaseTable
	without map[string]bool // WITHOUT ROWID tables
	rows    int64           // rows read from all tables
}

// OpenDatabase opens the SQLite database of size bytes that ra serves, and
// lists its tables. ra must stay valid until Close. An input that is no
// database, or whose schema cannot be read, is an ErrNotALeak with the
// reason; the error never quotes the file.
func OpenDatabase(ctx context.Context, ra io.ReaderAt, size int64) (*Database, error) {
	var head [100]byte
	if n, _ := ra.ReadAt(head[:], 0); n < len(head) || !IsDatabase(head[:]) {
		return nil, notALeak("not a SQLite database (no SQLite 3 header)")
	}
	// A database is whole pages: a last page cut short (an interrupted
	// copy) would be read with zeros for its missing part.
	if ps := int64(binary.BigEndian.Uint16(head[16:18])); ps >= 512 && ps&(ps-1) == 0 && size > ps {
		size -= size % ps
	} else if ps == 1 && size > 65536 {
		size -= size % 65536
	}
	name, fsys, err := vfs.New(oneFile{ra: ra, size: size})
	if err != nil {
		return nil, err
	}
	d := &Database{fsys: fsys, size: size, without: map[string]bool{}}
	d.db, err = sql.Open("sqlite", "file:"+oneFileName+"?vfs="+name+"&mode=ro&immutable=1")
	if err == nil {
		d.db.SetMaxOpenConns(1)
		d.conn, err = d.db.Conn(ctx)
	}
	if err == nil {
		err = d.harden(ctx)
	}
	if err == nil {
		err = d.listTables(ctx)
	}
	if err != nil {
		d.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, databaseError(err)
	}
	return d, nil
}

// harden sets up the connection for a file nobody vouches for: no SQL from
// the schema trusted, cells checked as pages are read, no memory mapping,
// temporary data in memory, a bound on every string and blob, and an
// authorizer that allows reading tables and nothing else. writable_schema
// makes SQLite read what it can of a truncated file (whose header counts
// more pages than it has) and pass over schema entries it cannot parse,
// instead of refusing the whole file; nothing is written all the same (the
// VFS cannot write, query_only is set and the authorizer denies writes).
func (d *Database) harden(ctx context.Context) error {
	for _, p := range []string{"writable_schema=ON", "trusted_schema=OFF", "cell_size_check=ON", "mmap_size=0", "temp_store=MEMORY",
		"query_only=ON", "cache_size=-" + strconv.Itoa(databaseCache)} {
		if _, err := d.conn.ExecContext(ctx, "PRAGMA "+p); err != nil {
			return err
		}
	}
	if _, err := sqlite.Limit(d.conn, sqlite3.SQLITE_LIMIT_LENGTH, MaxLine+maxDatabaseNames); err != nil {
		return err
	}
	if _, err := sqlite.Limit(d.conn, sqlite3.SQLITE_LIMIT_ATTACHED, 0); err != nil {
		return err
	}
	return d.conn.Raw(func(dc any) error {
		ar, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("sqlite driver without an authorizer")
		}
		return ar.RegisterAuthorizer(readOnlyAuthorizer)
	})
}

// readOnlyAuthorizer lets statements read tables, call octet_length and
// run the two schema pragmas; it denies everything else: writes, ATTACH,
// other functions, recursive queries (views are never read; see
// FormatSQLite).
func readOnlyAuthorizer(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	switch action {
	case sqlite.AuthSelect, sqlite.AuthRead:
		return sqlite.AuthorizerOK
	case sqlite.AuthPragma:
		if arg1 == "table_list" || arg1 == "table_xinfo" {
			return sqlite.AuthorizerOK
		}
	case sqlite.AuthFunction:
		if arg2 == "octet_length" {
			return sqlite.AuthorizerOK
		}
	}
	return sqlite.AuthorizerDeny
}

// listTables reads the tables of the main schema, in the order they were
// created.
func (d *Database) listTables(ctx context.Context) error {
	order := map[string]int64{}
	rows, err := d.conn.QueryContext(ctx, "SELECT rowid, name FROM sqlite_schema")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		order[name] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = d.conn.QueryContext(ctx, "PRAGMA table_list")
	if err != nil {
		return err
	}
	defer rows.Close()
	var shadow []DatabaseTable
	for rows.Next() {
		var schema, name, typ string
		var ncol, wr, strict int64
		if err := rows.Scan(&schema, &name, &typ, &ncol, &wr, &strict); err != nil {
			return err
		}
		if schema != "main" || strings.HasPrefix(strings.ToLower(name), "sqlite_") {
			continue // SQLite's own tables: sqlite_schema, sqlite_sequence, sqlite_stat1
		}
		t := DatabaseTable{Name: name}
		switch {
		case typ == "view":
			t.Skip = "a view: its rows come from tables, which are read; its SQL is never run"
		case typ == "virtual":
			t.Skip = "a virtual table: not queried (its module's code would run); its data tables are read"
		case typ == "shadow" && !strings.HasSuffix(strings.ToLower(name), "_content"):
			t.Skip = "a virtual table's index data"
		case typ != "table" && typ != "shadow":
			t.Skip = "a schema object of type " + strconv.Quote(typ)
		case len(name) > maxDatabaseNames:
			t.Skip = "a table name too long to read"
		}
		if wr != 0 {
			d.without[name] = true
		}
		if typ == "shadow" {
			shadow = append(shadow, t)
		} else {
			d.tables = append(d.tables, t)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	byOrder := func(a, b DatabaseTable) int { return cmp.Compare(order[a.Name], order[b.Name]) }
	slices.SortStableFunc(d.tables, byOrder)
	slices.SortStableFunc(shadow, byOrder)
	// A virtual table's data tables after the tables of the schema.
	d.tables = append(d.tables, shadow...)
	if extra := len(d.tables) - maxDatabaseTables; extra > 0 {
		d.tables = append(d.tables[:maxDatabaseTables], DatabaseTable{Name: "(more tables)",
			Skip: fmt.Sprintf("%d tables past the first %d: not read", extra, maxDatabaseTables)})
	}
	return nil
}

// Tables returns the tables of the database, in the order of its schema.
func (d *Database) Tables() []DatabaseTable { return d.tables }

// Close closes the database; the ReaderAt it was opened on is no longer
// read.
func (d *Database) Close() error {
	var errs []error
	if d.conn != nil {
		errs = append(errs, d.conn.Close())
	}
	if d.db != nil {
		errs = append(errs, d.db.Close())
	}
	if d.fsys != nil {
		errs = append(errs, d.fsys.Close())
	}
	return errors.Join(errs...)
}

// ParseTable reads the rows of one table through the table classifier and
// passes each record, and each row it cannot read, to sink; a row's line
// is its number within the table (the first row is line 1). When digest is
// not nil, the table's column names and rows, as read, are written to it
// in a canonical form: what a ledger knows the table by. opts.Format is
// ignored; opts.Map and opts.Describe apply as for Parse.
func (d *Database) ParseTable(ctx context.Context, name string, opts Options, digest io.Writer, sink Sink) (Stats, error) {
	st := Stats{Format: FormatSQLite, Encoding: EncodingUTF8}
	opts.Format = FormatAuto
	cfg, err := newConfig(opts)
	if err != nil {
		return st, err
	}
	cfg.format = FormatSQLite
	em := &emitter{ctx: ctx, sink: sink, st: &st}
	describeStart(cfg, opts)
	r := &tableReader{d: d, cfg: cfg, em: em, name: name, digest: digest}
	err = r.read(ctx)
	if cfg.sniff != nil && r.t != nil {
		cfg.sniff.setTable(r.t)
	}
	describeEnd(cfg, opts)
	if em.latin1 {
		st.Encoding = EncodingLatin1
	}
	return st, err
}

// tableReader reads one table.
type tableReader struct {
	d      *Database
	cfg    *config
	em     *emitter
	name   string
	digest io.Writer
	line   int64 // rows read, counting those Parse read from earlier tables

	cols  []string
	rowid string // the name of the rowid column ("" for WITHOUT ROWID)
	t     *table
	row   int64 // rows of this table read or skipped
	vals  []any
	ptrs  []any
	raw   []byte
	spans []cellSpan
	cells []cell
	dig   []byte
}

func (r *tableReader) read(ctx context.Context) error {
	if err := r.columns(ctx); err != nil {
		return err
	}
	if len(r.cols) == 0 {
		return nil
	}
	if r.digest != nil {
		r.dig = append(r.dig[:0], "sqlite table\x00"...)
		for _, c := range r.cols {
			r.dig = binary.AppendUvarint(r.dig, uint64(len(c)))
			r.dig = append(r.dig, c...)
		}
		r.digest.Write(r.dig)
	}
	r.t = newTable(r.cfg, r.em, r.name, r.cols, false, false)
	query := r.query()
	// Each row costs at least 5 bytes of the file (a cell pointer and a
	// cell of a payload size, a key and a record header), and belongs to
	// one table: tables that yield more rows than that are corrupt b-trees
	// whose pages repeat, or that share pages.
	maxRows := r.d.size/5 + 16
	start := int64(math.MinInt64)
	for errs := 1; ; errs++ {
		last, n, err := r.scan(ctx, query, start, maxRows)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if r.em.sinkErr {
			return err
		}
		r.row++
		if errors.Is(err, errTooManyRows) {
			return r.giveUp("more rows than the file can hold (its pages repeat)")
		}
		if r.rowid == "" || errs >= maxDatabaseErrors {
			return r.giveUp(databaseWhy(err))
		}
		if err := r.quarantine(databaseWhy(err)); err != nil {
			return err
		}
		// Go on with the first row after the one that failed that can be
		// read (only rowids can say where that is).
		from := start
		if n > 0 {
			if last == math.MaxInt64 {
				break
			}
			from = last + 1
		}
		next, ok := r.nextReadable(ctx, query, from)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !ok {
			break
		}
		start = next
	}
	return r.t.flush()
}

// errTooManyRows stops a table that yields more rows than its file holds.
var errTooManyRows = errors.New("too many rows")

// giveUp quarantines the row that failed, saying that the rest of the
// table is not read, and settles the table.
func (r *tableReader) giveUp(why string) error {
	if err := r.quarantine(why + "; the rest of the table is not read"); err != nil {
		return err
	}
	return r.t.flush()
}

// quarantine quarantines a row that cannot be read (ReasonCorrupt): its raw
// form names the table, the row and why, as no cell of it could be read.
func (r *tableReader) quarantine(why string) error {
	r.line++
	r.em.st.Lines++
	r.raw = fmt.Appendf(r.raw[:0], "table %s row %d: %s", r.name, r.row, why)
	return r.t.quarantine(r.line, ReasonCorrupt, r.raw)
}

// columns reads the table's column names: every stored column (a virtual
// generated column is computed, not stored, and not read).
func (r *tableReader) columns(ctx context.Context) error {
	rows, err := r.d.conn.QueryContext(ctx, "PRAGMA table_xinfo("+quoteIdent(r.name)+")")
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return databaseError(err)
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var cid, notnull, pk, hidden int64
		var name, typ string
		var dflt any
		if err := rows.Scan(&cid, &name, &typ, &notnull, &dflt, &pk, &hidden); err != nil {
			return databaseError(err)
		}
		names[strings.ToLower(name)] = true
		if hidden != 0 && hidden != 3 {
			continue
		}
		if len(name) > maxDatabaseNames {
			return notALeak("a column name too long to read")
		}
		r.cols = append(r.cols, name)
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return databaseError(err)
	}
	if !r.d.without[r.name] {
		for _, n := range []string{"rowid", "_rowid_", "oid"} {
			if !names[n] {
				r.rowid = n
				break
			}
		}
	}
	return nil
}

// query builds the statement that reads the table: its rowid (when it has
// one) and, for each column, the cell when it is small enough (see
// FormatSQLite). octet_length reads a cell's size from the record header
// without loading it, and CASE loads only the cells it returns.
func (r *tableReader) query() string {
	limit := max(MaxLine/len(r.cols), minDatabaseCell)
	var b strings.Builder
	b.WriteString("SELECT ")
	if r.rowid != "" {
		b.WriteString(r.rowid)
		b.WriteString(", ")
	}
	for i, c := range r.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		q := quoteIdent(c)
		fmt.Fprintf(&b, "CASE WHEN octet_length(%s) <= %d THEN %s END", q, limit, q)
	}
	b.WriteString(" FROM ")
	b.WriteString(quoteIdent(r.name))
	b.WriteString(" NOT INDEXED")
	if r.rowid != "" {
		b.WriteString(" WHERE ")
		b.WriteString(r.rowid)
		b.WriteString(" >= ? ORDER BY ")
		b.WriteString(r.rowid)
	}
	return b.String()
}

// scan reads the rows of the table from rowid start on (all of them when
// the table has no rowid) and returns the rowid of the last row read and
// how many were.
func (r *tableReader) scan(ctx context.Context, query string, start, maxRows int64) (last int64, n int, err error) {
	var rows *sql.Rows
	if r.rowid == "" {
		rows, err = r.d.conn.QueryContext(ctx, query)
	} else {
		rows, err = r.d.conn.QueryContext(ctx, query, start)
	}
	if err != nil {
		return last, n, err
	}
	defer rows.Close()
	width := len(r.cols)
	if r.rowid != "" {
		width++
	}
	if len(r.vals) != width {
		r.vals, r.ptrs = make([]any, width), make([]any, width)
		for i := range r.vals {
			r.ptrs[i] = &r.vals[i]
		}
	}
	for rows.Next() {
		if r.row%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return last, n, err
			}
		}
		if r.d.rows >= maxRows {
			return last, n, errTooManyRows
		}
		if err := rows.Scan(r.ptrs...); err != nil {
			return last, n, err
		}
		vals := r.vals
		if r.rowid != "" {
			last, _ = vals[0].(int64)
			vals = vals[1:]
		}
		r.row++
		r.d.rows++
		n++
		if err := r.add(vals); err != nil {
			return last, n, err
		}
	}
	return last, n, rows.Err()
}

// add passes one row to the table: its cells as text (numbers in decimal,
// a blob as text when it is text, else in hex and marked binary), its raw
// form the cells joined by tabs.
func (r *tableReader) add(vals []any) error {
	r.line++
	r.em.st.Lines++
	r.em.lastLine = r.line
	r.raw, r.cells, r.spans = r.raw[:0], r.cells[:0], r.spans[:0]
	if r.digest != nil {
		r.dig = append(r.dig[:0], '\n')
	}
	for i, v := range vals {
		if i > 0 {
			r.raw = append(r.raw, '\t')
		}
		off := len(r.raw)
		bin := false
		tag := byte('n')
		switch x := v.(type) {
		case nil:
		case int64:
			tag = 'i'
			r.raw = strconv.AppendInt(r.raw, x, 10)
		case float64:
			tag = 'f'
			r.raw = appendReal(r.raw, x)
		case string:
			tag = 't'
			var latin bool
			r.raw, latin = appendText(r.raw, []byte(x))
			r.em.latin1 = r.em.latin1 || latin
		case []byte:
			tag = 'b'
			r.raw = appendBlob(r.raw, x)
			bin = !bytes.Equal(r.raw[off:], x)
		default:
			// The driver returns only the types above for expressions.
			tag = 't'
			r.raw = fmt.Append(r.raw, x)
		}
		if r.digest != nil {
			r.dig = append(r.dig, tag)
			r.dig = binary.AppendUvarint(r.dig, uint64(len(r.raw)-off))
			r.dig = append(r.dig, r.raw[off:]...)
		}
		if tag != 'n' {
			r.spans = append(r.spans, cellSpan{col: i, off: off, end: len(r.raw), bin: bin})
		}
	}
	if r.digest != nil {
		r.digest.Write(r.dig)
	}
	for _, sp := range r.spans {
		r.cells = append(r.cells, cell{col: sp.col, val: r.raw[sp.off:sp.end], bin: sp.bin})
	}
	return r.t.add(r.line, r.raw, r.cells)
}

// cellSpan is where a cell of a row is in the row's raw form.
type cellSpan struct {
	col, off, end int
	bin           bool
}

// appendReal appends a REAL as a number is written: no exponent for the
// integral values phone numbers and ids become when stored as REAL.
func appendReal(dst []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e18 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

// nextReadable finds the first row from rowid from on that can be read,
// past rows and pages that cannot.
func (r *tableReader) nextReadable(ctx context.Context, query string, from int64) (int64, bool) {
	for range maxDatabaseErrors {
		next, ok := r.firstReachable(ctx, from)
		if !ok {
			return 0, false
		}
		if r.readable(ctx, query, next) {
			return next, true
		}
		if next == math.MaxInt64 || ctx.Err() != nil {
			return 0, false
		}
		from = next + 1
	}
	return 0, false
}

// readable reports whether the row of rowid id can be read.
func (r *tableReader) readable(ctx context.Context, query string, id int64) bool {
	rows, err := r.d.conn.QueryContext(ctx, query, id)
	if err != nil {
		return false
	}
	defer rows.Close()
	return rows.Next() && rows.Scan(r.ptrs...) == nil
}

// firstReachable finds the first rowid from from on that the table's
// b-tree yields past a stretch of it that cannot be read: it probes ever
// further (from, from+1, from+3, from+7, ...) until a probe succeeds, then
// narrows down, between the last probe that failed and the one that
// succeeded, to the first rowid that can be reached, so that only the rows
// of the unreadable pages are lost.
func (r *tableReader) firstReachable(ctx context.Context, from int64) (int64, bool) {
	q := "SELECT " + r.rowid + " FROM " + quoteIdent(r.name) + " NOT INDEXED WHERE " + r.rowid + " >= ? ORDER BY " + r.rowid + " LIMIT 1"
	probe := func(at int64) (int64, error) {
		var next int64
		err := r.d.conn.QueryRowContext(ctx, q, at).Scan(&next)
		return next, err
	}
	failed := from - 1 // the last probe that failed (the scan did at from)
	for step := 0; step < 64; step++ {
		at := from + (int64(1)<<step - 1)
		if at < from || step == 63 {
			return 0, false // past the largest rowid
		}
		next, err := probe(at)
		switch {
		case errors.Is(err, sql.ErrNoRows), ctx.Err() != nil:
			return 0, false
		case err != nil:
			failed = at
			continue
		}
		for lo, hi := failed+1, at; lo < hi; {
			mid := lo + (hi-lo)/2
			if n, err := probe(mid); err == nil {
				hi, next = mid, n
			} else if ctx.Err() != nil {
				return 0, false
			} else {
				lo = mid + 1
			}
		}
		return next, true
	}
	return 0, false
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// databaseError turns an error of SQLite into an ErrNotALeak that says
// what is wrong with the file without quoting it (SQLite's messages may
// name objects of the schema).
func databaseError(err error) error {
	return notALeak(databaseWhy(err))
}

// databaseWhy says in words what an error of SQLite means for the file.
func databaseWhy(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "unreadable SQLite database"
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT:
		return "corrupt SQLite database"
	case sqlite3.SQLITE_NOTADB:
		return "corrupt SQLite database header"
	case sqlite3.SQLITE_TOOBIG:
		return "a value of the SQLite database is too big"
	case sqlite3.SQLITE_NOMEM:
		return "the SQLite database needs too much memory"
	case sqlite3.SQLITE_IOERR:
		return "truncated or unreadable SQLite database"
	case sqlite3.SQLITE_AUTH:
		return "the SQLite database needs what is never done to read it (running its SQL)"
	case sqlite3.SQLITE_CANTOPEN:
		return "the SQLite database needs another file (a journal or WAL) to be read"
	}
	return fmt.Sprintf("unreadable SQLite database (SQLite error %d)", se.Code()&0xff)
}

// oneFileName is the name a database is opened by in its VFS.
const oneFileName = "db"

// oneFile is an fs.FS of one file, the database, for the VFS.
type oneFile struct {
	ra   io.ReaderAt
	size int64
}

func (o oneFile) Open(name string) (fs.File, error) {
	if name != oneFileName {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &oneFileReader{SectionReader: io.NewSectionReader(o.ra, 0, o.size)}, nil
}

// oneFileReader is the open database file: the VFS seeks and reads it.
type oneFileReader struct{ *io.SectionReader }

func (f *oneFileReader) Stat() (fs.FileInfo, error) { return oneFileInfo{f.Size()}, nil }
func (f *oneFileReader) Close() error               { return nil }

type oneFileInfo struct{ size int64 }

func (i oneFileInfo) Name() string       { return oneFileName }
func (i oneFileInfo) Size() int64        { return i.size }
func (i oneFileInfo) Mode() fs.FileMode  { return 0o444 }
func (i oneFileInfo) ModTime() time.Time { return time.Time{} }
func (i oneFileInfo) IsDir() bool        { return false }
func (i oneFileInfo) Sys() any           { return nil }

// parseSQLite reads a database from a stream into memory (see FormatSQLite)
// and every table of it in order.
func parseSQLite(ctx context.Context, src io.Reader, cfg *config, em *emitter) error {
	data, err := io.ReadAll(io.LimitReader(src, maxDatabaseInMemory+1))
	if err != nil {
		return err
	}
	if len(data) > maxDatabaseInMemory {
		return notALeak(fmt.Sprintf("SQLite database of more than %d MiB read from a stream; give it as a file", maxDatabaseInMemory>>20))
	}
	d, err := OpenDatabase(ctx, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	defer d.Close()
	var line int64
	var first *table // the first table with records, for Describe
	for _, tb := range d.Tables() {
		if tb.Skip != "" {
			continue
		}
		r := &tableReader{d: d, cfg: cfg, em: em, name: tb.Name, line: line}
		records := em.st.Records
		if err := r.read(ctx); err != nil {
			return err
		}
		if first == nil && em.st.Records > records {
			first = r.t
		}
		line = r.line
	}
	if cfg.sniff != nil && first != nil {
		cfg.sniff.setTable(first)
	}
	return nil
}
