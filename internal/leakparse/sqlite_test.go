package leakparse

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// buildDatabase runs an SQL script with the same pure-Go driver leakparse
// reads with, in a fresh database file, and returns the file's bytes.
func buildDatabase(t testing.TB, script string) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "golden.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), script); err != nil {
		db.Close()
		t.Fatalf("building the database: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// openDatabase opens database bytes with OpenDatabase.
func openDatabase(t *testing.T, b []byte) *Database {
	t.Helper()
	d, err := OpenDatabase(context.Background(), bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("OpenDatabase: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

// readTable parses one table and returns what the recorder wrote, and the
// digest.
func readTable(t *testing.T, d *Database, name string) (string, Stats, [32]byte) {
	t.Helper()
	rec := &recorder{}
	h := sha256.New()
	st, err := d.ParseTable(context.Background(), name, Options{}, h, rec)
	if err != nil {
		t.Fatalf("ParseTable(%s): %v", name, err)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return rec.out.String(), st, sum
}

// manyUsers is a script of a users table of n rows (with a padding column
// so that the table spans many pages) and a table created after it.
func manyUsers(n int) string {
	return fmt.Sprintf(`CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT, password TEXT, bio TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < %d)
INSERT INTO users SELECT i, 'user' || i || '@example.com', 'Pass' || i || '!x', printf('%%.200c', 'b') FROM c;
CREATE TABLE after(email TEXT);
INSERT INTO after VALUES ('last@example.org');`, n)
}

func TestDatabaseTables(t *testing.T) {
	d := openDatabase(t, buildDatabase(t, `
CREATE TABLE zeta(email TEXT);
CREATE TABLE alpha(id INTEGER PRIMARY KEY AUTOINCREMENT, login TEXT);
INSERT INTO alpha(login) VALUES ('jdoe');
CREATE VIEW v AS SELECT * FROM alpha;
CREATE VIRTUAL TABLE notes USING fts5(body);
INSERT INTO notes VALUES ('fts@example.com');
CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
ANALYZE;`))
	var got []string
	for _, tb := range d.Tables() {
		s := tb.Name
		if tb.Skip != "" {
			s += " (skipped: " + tb.Skip + ")"
		}
		got = append(got, s)
	}
	want := []string{
		"zeta",
		"alpha",
		"v (skipped: a view: its rows come from tables, which are read; its SQL is never run)",
		"notes (skipped: a virtual table: not queried (its module's code would run); its data tables are read)",
		"kv",
		"notes_data (skipped: a virtual table's index data)",
		"notes_idx (skipped: a virtual table's index data)",
		"notes_content",
		"notes_docsize (skipped: a virtual table's index data)",
		"notes_config (skipped: a virtual table's index data)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	out, _, _ := readTable(t, d, "notes_content")
	if want := "1 email=\"fts@example.com\"\n"; out != want {
		t.Errorf("an FTS index's content table: %q, want %q", out, want)
	}
}

// TestDatabaseRowsAndDigest: a table's rows are numbered within it, and its
// digest is that of its names and rows, whatever else the file holds and
// however its pages lie.
func TestDatabaseRowsAndDigest(t *testing.T) {
	script := `CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT, password TEXT, phone REAL, avatar BLOB);
INSERT INTO users VALUES (1, 'a@example.com', 'Summer2024!', 447946000111, x'89504e470d0a1a0a0000'),
	(2, 'b@example.org', NULL, NULL, NULL), (3, NULL, NULL, NULL, NULL);`
	a := openDatabase(t, buildDatabase(t, script))
	out, st, sumA := readTable(t, a, "users")
	want := `1 email="a@example.com" password="Summer2024!" phone="447946000111"
2 email="b@example.org"
3 quarantine no-identifier "3\t\t\t\t"
`
	if out != want {
		t.Errorf("rows:\n%s\nwant:\n%s", out, want)
	}
	if st.Lines != 3 || st.Records != 2 || st.Quarantined != 1 || st.Format != FormatSQLite {
		t.Errorf("stats %+v", st)
	}
	// Other tables first, a vacuumed file: the same table, the same digest.
	b := openDatabase(t, buildDatabase(t, "CREATE TABLE first(x); INSERT INTO first VALUES (randomblob(5000));"+script+"DROP TABLE first; VACUUM;"))
	if _, _, sumB := readTable(t, b, "users"); sumB != sumA {
		t.Error("the same table in another file has another digest")
	}
	c := openDatabase(t, buildDatabase(t, strings.Replace(script, "Summer2024!", "Summer2024?", 1)))
	if _, _, sumC := readTable(t, c, "users"); sumC == sumA {
		t.Error("a table with another password has the same digest")
	}
}

// TestDatabaseBigCells: a cell too big to be an identifier is left out,
// the rest of its row is read.
func TestDatabaseBigCells(t *testing.T) {
	d := openDatabase(t, buildDatabase(t, `CREATE TABLE users(email TEXT, photo BLOB, note TEXT);
INSERT INTO users VALUES ('big@example.com', zeroblob(3000000), printf('%.2000000c', 'n'));
INSERT INTO users VALUES ('small@example.com', x'00', 'hi');`))
	out, st, _ := readTable(t, d, "users")
	if want := "1 email=\"big@example.com\"\n2 email=\"small@example.com\"\n"; out != want || st.Lines != 2 {
		t.Errorf("rows %q (stats %+v), want %q", out, st, want)
	}
}

// TestDatabaseNeverRunsItsSQL: views (one recursing forever), triggers,
// computed columns calling functions, virtual tables: the file is read as
// data, its SQL never runs, and the file is left as it was.
func TestDatabaseNeverRunsItsSQL(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hostile.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`CREATE TABLE users(email TEXT, pw TEXT, shout TEXT GENERATED ALWAYS AS (upper(email)) VIRTUAL);
INSERT INTO users(email, pw) VALUES ('victim@example.com', 'hunter22');
CREATE VIEW forever AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c;
CREATE TABLE log(x);
CREATE TRIGGER tr AFTER INSERT ON users BEGIN INSERT INTO log VALUES (randomblob(1000000000)); END;
CREATE VIRTUAL TABLE r USING rtree(id, x0, x1);
PRAGMA writable_schema=ON;
UPDATE sqlite_schema SET sql = 'CREATE TABLE users(email TEXT, pw TEXT, shout TEXT GENERATED ALWAYS AS (load_extension(''/nonexistent/evil.so'') || randomblob(2000000000)) VIRTUAL)' WHERE name = 'users';`)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	done := make(chan string)
	go func() {
		d, err := OpenDatabase(context.Background(), f, int64(len(before)))
		if err != nil {
			done <- err.Error()
			return
		}
		defer d.Close()
		var b strings.Builder
		for _, tb := range d.Tables() {
			if tb.Skip != "" {
				continue
			}
			rec := &recorder{}
			if _, err := d.ParseTable(context.Background(), tb.Name, Options{}, nil, rec); err != nil {
				fmt.Fprintf(&b, "%s: %v\n", tb.Name, err)
			}
			fmt.Fprintf(&b, "%s:\n%s", tb.Name, rec.out.String())
		}
		done <- b.String()
	}()
	select {
	case got := <-done:
		if want := "users:\n1 email=\"victim@example.com\" password=\"hunter22\"\nlog:\n"; got != want {
			t.Errorf("read:\n%s\nwant:\n%s", got, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("reading the database still runs after 30s: its SQL ran?")
	}
	after, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("the database file changed (%v)", err)
	}
	if m, _ := filepath.Glob(p + "-*"); len(m) > 0 {
		t.Errorf("files beside the database: %v", m)
	}
}

// corruptPage overwrites page n (1-based) of a database with zeros.
func corruptPage(b []byte, n int) {
	size := int(binary.BigEndian.Uint16(b[16:18]))
	if size == 1 {
		size = 65536
	}
	clear(b[(n-1)*size : n*size])
}

// leafPages returns the leaf pages of a table, in key order.
func leafPages(t *testing.T, script, table string) []int {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pages.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var pages []int
	for rows.Next() {
		var n int
		rows.Scan(&n)
		pages = append(pages, n)
	}
	return pages
}

// countingSink counts records and quarantines by reason.
type countingSink struct {
	records int
	quar    map[Reason]int
	lines   []int64
	raws    []string
}

func (s *countingSink) Record(r *Record) error {
	s.records++
	s.lines = append(s.lines, r.Line)
	return nil
}

func (s *countingSink) Quarantine(q *Quarantine) error {
	if s.quar == nil {
		s.quar = map[Reason]int{}
	}
	s.quar[q.Reason]++
	s.lines = append(s.lines, q.Line)
	s.raws = append(s.raws, string(q.Raw))
	return nil
}

// TestDatabaseCorruptPage: a page of a table that cannot be read is one
// quarantined row saying so; the rows before and after it are read, and
// so are the other tables.
func TestDatabaseCorruptPage(t *testing.T) {
	script := manyUsers(3000)
	b := buildDatabase(t, script)
	leaves := leafPages(t, script, "users")
	if len(leaves) < 20 {
		t.Fatalf("only %d leaf pages", len(leaves))
	}
	corruptPage(b, leaves[len(leaves)/2])
	d := openDatabase(t, b)
	s := &countingSink{}
	st, err := d.ParseTable(context.Background(), "users", Options{}, nil, s)
	if err != nil {
		t.Fatal(err)
	}
	lost := 3000 - s.records
	t.Logf("%d leaf pages, page %d zeroed: %d rows lost, quarantined %q", len(leaves), leaves[len(leaves)/2], lost, s.raws)
	if s.quar[ReasonCorrupt] != 1 || lost < 10 || lost > 20 {
		t.Errorf("%d records, quarantined %v: want one corrupt page's rows lost", s.records, s.quar)
	}
	if len(s.raws) > 0 && !strings.HasPrefix(s.raws[0], "table users row ") {
		t.Errorf("quarantined %q", s.raws[0])
	}
	for i := 1; i < len(s.lines); i++ {
		if s.lines[i] != s.lines[i-1]+1 {
			t.Fatalf("line %d after %d", s.lines[i], s.lines[i-1])
		}
	}
	if st.Lines != int64(len(s.lines)) {
		t.Errorf("Lines %d, %d events", st.Lines, len(s.lines))
	}
	if out, _, _ := readTable(t, d, "after"); out != "1 email=\"last@example.org\"\n" {
		t.Errorf("the next table: %q", out)
	}
}

// TestDatabaseTruncated: a database cut short (an interrupted download)
// gives the rows of the pages it has.
func TestDatabaseTruncated(t *testing.T) {
	b := buildDatabase(t, manyUsers(3000))
	b = b[:len(b)/2]
	d := openDatabase(t, b)
	s := &countingSink{}
	if _, err := d.ParseTable(context.Background(), "users", Options{}, nil, s); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d records, quarantined %q", s.records, s.raws)
	if s.records < 1000 || s.records > 2000 || s.quar[ReasonCorrupt] == 0 {
		t.Errorf("%d records, quarantined %v", s.records, s.quar)
	}
}

// TestDatabaseNotADatabase: a file with the header and nothing of a
// database is no leak, in one line that quotes nothing of it.
func TestDatabaseNotADatabase(t *testing.T) {
	for name, b := range map[string][]byte{
		"header only":   []byte(sqliteMagic),
		"garbage":       append([]byte(sqliteMagic), bytes.Repeat([]byte("\xff secret@example.com"), 300)...),
		"bad page size": func() []byte { b := buildDatabase(t, manyUsers(10)); b[16], b[17] = 0x12, 0x34; return b }(),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(context.Background(), bytes.NewReader(b), Options{}, &countingSink{})
			if !errors.Is(err, ErrNotALeak) || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "\n") {
				t.Errorf("Parse: %v", err)
			}
		})
	}
}

// TestDatabaseWAL: a database in WAL mode, copied without its -wal file (as
// stealers copy them), is read from its main file.
func TestDatabaseWAL(t *testing.T) {
	b := buildDatabase(t, "PRAGMA journal_mode=WAL; CREATE TABLE u(email); INSERT INTO u VALUES ('wal@example.com');")
	if b[18] != 2 || b[19] != 2 {
		t.Fatalf("not a WAL database: %d %d", b[18], b[19])
	}
	out, _, _ := readTable(t, openDatabase(t, b), "u")
	if out != "1 email=\"wal@example.com\"\n" {
		t.Errorf("read %q", out)
	}
}

// TestParseDatabaseFromAStream: Parse reads a database given as a stream in
// memory, up to its limit, and refuses a bigger one with a hint.
func TestParseDatabaseFromAStream(t *testing.T) {
	b := buildDatabase(t, manyUsers(5))
	rec := &recorder{}
	st, err := Parse(context.Background(), bytes.NewReader(b), Options{}, rec)
	if err != nil || st.Format != FormatSQLite || st.Records != 6 {
		t.Errorf("Parse = %+v, %v:\n%s", st, err, rec.out.String())
	}
	big := io.MultiReader(bytes.NewReader(b), io.LimitReader(zeros{}, maxDatabaseInMemory))
	if _, err := Parse(context.Background(), big, Options{}, rec); !errors.Is(err, ErrNotALeak) || !strings.Contains(err.Error(), "give it as a file") {
		t.Errorf("a database over the limit: %v", err)
	}
	if _, err := Parse(context.Background(), strings.NewReader("alice@example.com:pw\n"), Options{Format: FormatSQLite}, rec); !errors.Is(err, ErrNotALeak) {
		t.Errorf("--format sqlite on a combolist: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestSniffDatabase(t *testing.T) {
	b := buildDatabase(t, manyUsers(1))
	sn, err := Sniff(b[:min(len(b), SniffSize)], Options{})
	if err != nil || sn.Format != FormatSQLite || !strings.Contains(sn.Reason, "SQLite") {
		t.Errorf("Sniff = %+v, %v", sn, err)
	}
	if _, err := Sniff([]byte(sqliteMagic+"\x10\x00"), Options{Format: FormatCSV}); !errors.Is(err, ErrNotALeak) {
		t.Errorf("Sniff as CSV: %v", err)
	}
}

// sqliteVarint appends v in SQLite's varint encoding (big-endian groups of
// 7 bits; v < 2^56 here).
func sqliteVarint(dst []byte, v uint64) []byte {
	var groups []byte
	for {
		groups = append(groups, byte(v&0x7f))
		v >>= 7
		if v == 0 {
			break
		}
	}
	for i := len(groups) - 1; i >= 0; i-- {
		c := groups[i]
		if i > 0 {
			c |= 0x80
		}
		dst = append(dst, c)
	}
	return dst
}

// sqliteRecord encodes a record of text and integer values (integers
// 0..127 only).
func sqliteRecord(vals ...any) []byte {
	var types, body []byte
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			types = sqliteVarint(types, uint64(2*len(x)+13))
			body = append(body, x...)
		case int:
			types = append(types, 1)
			body = append(body, byte(x))
		}
	}
	return append(append([]byte{byte(len(types) + 1)}, types...), body...)
}

// sqlitePage lays out a b-tree page: its header at off (100 on page 1),
// then the cell pointers, the cells at the end.
func sqlitePage(size, off int, kind byte, right uint32, cells [][]byte) []byte {
	p := make([]byte, size)
	hdr := 8
	if kind == 5 {
		hdr = 12
	}
	end := size
	ptr := off + hdr
	for _, c := range cells {
		end -= len(c)
		copy(p[end:], c)
		binary.BigEndian.PutUint16(p[ptr:], uint16(end))
		ptr += 2
	}
	p[off] = kind
	binary.BigEndian.PutUint16(p[off+3:], uint16(len(cells)))
	binary.BigEndian.PutUint16(p[off+5:], uint16(end))
	if kind == 5 {
		binary.BigEndian.PutUint32(p[off+8:], right)
	}
	return p
}

// repeatedPagesDatabase is a hostile database of 4 pages whose table's
// b-tree points at the same pages again and again: a root of 300 cells all
// leading to one interior page of 300 cells all leading to one leaf of 100
// rows, 9 million rows in 16 KiB. Every table named (default "t") has that
// b-tree.
func repeatedPagesDatabase(tables ...string) []byte {
	const size = 4096
	leafCell := func(rowid int, rec []byte) []byte {
		c := sqliteVarint(nil, uint64(len(rec)))
		c = sqliteVarint(c, uint64(rowid))
		return append(c, rec...)
	}
	if len(tables) == 0 {
		tables = []string{"t"}
	}
	var rows [][]byte
	for i, tb := range tables {
		rows = append(rows, leafCell(i+1, sqliteRecord("table", tb, tb, 2, "CREATE TABLE "+tb+"(email TEXT)")))
	}
	schema := sqlitePage(size, 100, 13, 0, rows)
	copy(schema, sqliteMagic)
	binary.BigEndian.PutUint16(schema[16:], size)
	schema[18], schema[19], schema[21], schema[22], schema[23] = 1, 1, 64, 32, 32
	binary.BigEndian.PutUint32(schema[24:], 1) // change counter
	binary.BigEndian.PutUint32(schema[28:], 4) // pages
	binary.BigEndian.PutUint32(schema[40:], 1) // schema cookie
	binary.BigEndian.PutUint32(schema[44:], 4) // schema format
	binary.BigEndian.PutUint32(schema[56:], 1) // UTF-8
	binary.BigEndian.PutUint32(schema[92:], 1)
	binary.BigEndian.PutUint32(schema[96:], 3045000)
	interior := func(child uint32) []byte {
		var cells [][]byte
		for i := range 300 {
			c := binary.BigEndian.AppendUint32(nil, child)
			cells = append(cells, sqliteVarint(c, uint64(i*100+100)))
		}
		return sqlitePage(size, 0, 5, child, cells)
	}
	var leaf [][]byte
	for i := range 100 {
		leaf = append(leaf, leafCell(i+1, sqliteRecord(fmt.Sprintf("r%d@example.com", i))))
	}
	var b []byte
	for _, p := range [][]byte{schema, interior(3), interior(4), sqlitePage(size, 0, 13, 0, leaf)} {
		b = append(b, p...)
	}
	return b
}

// TestDatabaseRepeatedPages: a b-tree whose pages repeat yields no more
// rows than its file can hold, then stops with a quarantine saying why.
func TestDatabaseRepeatedPages(t *testing.T) {
	b := repeatedPagesDatabase()
	d := openDatabase(t, b)
	s := &countingSink{}
	start := time.Now()
	st, err := d.ParseTable(context.Background(), "t", Options{}, nil, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d records, quarantined %q in %v", s.records, s.raws, time.Since(start))
	if max := len(b)/5 + 16; s.records > max || s.records < 100 || s.quar[ReasonCorrupt] != 1 ||
		!strings.Contains(s.raws[len(s.raws)-1], "more rows than the file can hold") || st.Lines != int64(s.records+1) {
		t.Errorf("%d records (at most %d), quarantined %v", s.records, max, s.quar)
	}
}

// TestDatabaseCorruptWithoutRowid: a table without rowids cannot be read
// past a page that fails: the rows before it are kept, the rest of the
// table is one quarantined row saying so.
func TestDatabaseCorruptWithoutRowid(t *testing.T) {
	script := `CREATE TABLE users(email TEXT PRIMARY KEY, password TEXT, bio TEXT) WITHOUT ROWID;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 3000)
INSERT INTO users SELECT printf('user%05d@example.com', i), 'Pass' || i || '!x', printf('%.200c', 'b') FROM c;`
	b := buildDatabase(t, script)
	leaves := leafPages(t, script, "users")
	corruptPage(b, leaves[len(leaves)/2])
	s := &countingSink{}
	if _, err := openDatabase(t, b).ParseTable(context.Background(), "users", Options{}, nil, s); err != nil {
		t.Fatal(err)
	}
	if s.records < 1000 || s.records > 2000 || s.quar[ReasonCorrupt] != 1 || !strings.Contains(s.raws[0], "the rest of the table is not read") {
		t.Errorf("%d records, quarantined %q", s.records, s.raws)
	}
}

// BenchmarkSQLite reads one table of customers from a SQLite database, and
// the same rows as CSV, in the same run: the ratio is the cost of SQLite
// (the pure-Go driver, a query per table, a value per cell) over a stream.
//
//	go test -run '^$' -bench SQLite -benchtime 3x ./internal/leakparse/
func BenchmarkSQLite(b *testing.B) {
	const rows = 200_000
	g := newGen()
	var csv bytes.Buffer
	csv.WriteString("id,email,password,full_name,dob,phone,last_ip\n")
	p := filepath.Join(b.TempDir(), "bench.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT, password TEXT, full_name TEXT, dob TEXT, phone TEXT, last_ip TEXT)"); err != nil {
		b.Fatal(err)
	}
	tx, _ := db.Begin()
	for i := range rows {
		email, pw := g.email(), strings.NewReplacer(",", ".", `"`, ".").Replace(g.password())
		name := genFirst[g.r.IntN(10)] + " " + g.word(6)
		dob := fmt.Sprintf("19%02d-%02d-%02d", g.r.IntN(100), 1+g.r.IntN(12), 1+g.r.IntN(28))
		phone, ip := fmt.Sprintf("+1 555 010 %04d", g.r.IntN(10000)), fmt.Sprintf("203.0.113.%d", g.r.IntN(256))
		fmt.Fprintf(&csv, "%d,%s,%s,%s,%s,%s,%s\n", i+1, email, pw, name, dob, phone, ip)
		if _, err := tx.Exec("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)", i+1, email, pw, name, dob, phone, ip); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.Close()
	file, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("format=csv", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(csv.Len()))
		for b.Loop() {
			var sink countSink
			if _, err := Parse(context.Background(), bytes.NewReader(csv.Bytes()), Options{}, &sink); err != nil || sink.records != rows {
				b.Fatalf("%d records, %v", sink.records, err)
			}
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("format=sqlite", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(file)))
		for b.Loop() {
			d, err := OpenDatabase(context.Background(), bytes.NewReader(file), int64(len(file)))
			if err != nil {
				b.Fatal(err)
			}
			var sink countSink
			if _, err := d.ParseTable(context.Background(), "users", Options{}, io.Discard, &sink); err != nil || sink.records != rows {
				b.Fatalf("%d records, %v", sink.records, err)
			}
			d.Close()
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// TestDatabaseUTF16: a database whose text is UTF-16 (PRAGMA encoding) is
// read as text.
func TestDatabaseUTF16(t *testing.T) {
	b := buildDatabase(t, "PRAGMA encoding = 'UTF-16le'; CREATE TABLE u(email, name); INSERT INTO u VALUES ('utf16@example.com', 'Zoë Ἀθηνᾶ');")
	if enc := binary.BigEndian.Uint32(b[56:60]); enc != 2 {
		t.Fatalf("text encoding %d, want 2 (UTF-16le)", enc)
	}
	if out, _, _ := readTable(t, openDatabase(t, b), "u"); out != "1 email=\"utf16@example.com\" name=\"Zoë Ἀθηνᾶ\"\n" {
		t.Errorf("read %q", out)
	}
}

// TestDatabaseTablesSharingPages: tables whose b-trees are the same pages
// share the rows the file can hold, however many there are.
func TestDatabaseTablesSharingPages(t *testing.T) {
	b := repeatedPagesDatabase("t", "u", "v")
	d := openDatabase(t, b)
	total := 0
	for _, tb := range d.Tables() {
		s := &countingSink{}
		if _, err := d.ParseTable(context.Background(), tb.Name, Options{}, nil, s); err != nil {
			t.Fatal(err)
		}
		total += s.records
	}
	if len(d.Tables()) != 3 || total > len(b)/5+16 || total < 1000 {
		t.Errorf("%d tables, %d records in all", len(d.Tables()), total)
	}
}

// TestDatabaseManyTables: past maxDatabaseTables, tables are one skipped
// entry.
func TestDatabaseManyTables(t *testing.T) {
	defer func(n int) { maxDatabaseTables = n }(maxDatabaseTables)
	maxDatabaseTables = 5
	var script strings.Builder
	for i := range 15 {
		fmt.Fprintf(&script, "CREATE TABLE t%d(email TEXT);\n", i)
	}
	tables := openDatabase(t, buildDatabase(t, script.String())).Tables()
	if len(tables) != 6 || tables[5].Skip != "10 tables past the first 5: not read" || tables[4].Name != "t4" {
		t.Errorf("%d tables, the last %+v", len(tables), tables[len(tables)-1])
	}
}
