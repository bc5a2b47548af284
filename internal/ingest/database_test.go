package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// appDatabase is a SQLite database, made with the driver leakwatch reads
// with, of the first n people of a leakgen seed: a users table (email,
// username, plaintext password, name, phone, birth date), a Chrome-style
// logins table (origin, login, a "v10" encrypted password blob), Android's
// android_metadata and a view.
func appDatabase(t *testing.T, seed uint64, n int) (db []byte, people []leakgen.Person) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.db")
	d, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(`CREATE TABLE android_metadata (locale TEXT);
INSERT INTO android_metadata VALUES ('en_US');
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT, username TEXT, password TEXT, full_name TEXT, phone TEXT, birth_date TEXT, created_at INTEGER);
CREATE TABLE logins (origin_url VARCHAR NOT NULL, username_element VARCHAR, username_value VARCHAR, password_element VARCHAR, password_value BLOB, date_created INTEGER NOT NULL);
CREATE VIEW active AS SELECT email FROM users WHERE created_at > 0;`); err != nil {
		t.Fatal(err)
	}
	tx, err := d.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i, pp := range leakgen.People(seed) {
		if int(i) >= n {
			break
		}
		people = append(people, pp)
		if _, err := tx.Exec("INSERT INTO users (email, username, password, full_name, phone, birth_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			pp.Email, pp.Username, pp.Password, pp.FirstName+" "+pp.LastName, pp.PhoneE164, pp.DateOfBirth, 1700000000+i); err != nil {
			t.Fatal(err)
		}
		blob := append([]byte("v10"), sha256.New().Sum([]byte(pp.Password))...) // not a password: noise
		if _, err := tx.Exec("INSERT INTO logins VALUES (?, 'email', ?, 'password', ?, 13345678901234567)",
			"https://"+pp.Website+"/login", pp.Username, blob); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b, people
}

func zipOf(t *testing.T, members map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range members {
			if !yield(k) {
				return
			}
		}
	}) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarOf(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg})
	tw.Write(data)
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDatabaseIsReadTableByTable: a SQLite database on its own, inside a
// zip, inside a tar.gz, gzipped or on standard input is read table by
// table (each a leak file "app.db!users"); every login in it can be looked
// up, its plaintext passwords are counted, its encrypted ones are not.
func TestDatabaseIsReadTableByTable(t *testing.T) {
	db, people := appDatabase(t, 41, 50)
	dir := t.TempDir()
	for i, tc := range []struct {
		name, path string
		stdin      []byte
		prefix     string
	}{
		{"file", writeFile(t, dir, "app.db", db), nil, "app.db"},
		{"in a zip", writeFile(t, dir, "dump.zip", zipOf(t, map[string][]byte{"data/app.db": db, "readme.txt": []byte("not a leak\n")})), nil, "dump.zip!data/app.db"},
		{"in a tar.gz", writeFile(t, dir, "dump.tar.gz", gzipped(t, tarOf(t, "app.db", db))), nil, "dump.tar.gz!app.db"},
		{"gzipped", writeFile(t, dir, "app.db.gz", gzipped(t, db)), nil, "app.db.gz"},
		{"stdin", "-", db, "<stdin>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			name := fmt.Sprintf("App%d", i)
			o := opts(name)
			o.TempDir = f.dataDir
			if tc.stdin != nil {
				o.Stdin = bytes.NewReader(tc.stdin)
			}
			sum, err := Import(ctx, f.st, f.kr, []string{tc.path}, o)
			if err != nil {
				t.Fatal(err)
			}
			var imported []string
			for _, im := range sum.Imported {
				imported = append(imported, strings.TrimPrefix(im, filepath.Join(dir, "")+"/"))
			}
			want := []string{tc.prefix + "!android_metadata", tc.prefix + "!users", tc.prefix + "!logins"}
			if !slices.Equal(imported, want) {
				t.Errorf("imported %q, want %q", imported, want)
			}
			if len(sum.Skipped) != 1 || !strings.HasSuffix(sum.Skipped[0].Name, "!active") || !strings.Contains(sum.Skipped[0].Reason, "view") {
				t.Errorf("skipped %v", sum.Skipped)
			}
			// The one row of android_metadata holds nothing of a person.
			if sum.Quarantined["no-identifier"] != 1 || sum.QuarantinedTotal() != 1 {
				t.Errorf("quarantined %v", sum.Quarantined)
			}
			if sum.Rows != 100 {
				t.Errorf("%d rows, want 100", sum.Rows)
			}
			for _, c := range []catalog.DataClass{catalog.ClassEmail, catalog.ClassPassword, catalog.ClassPasswordHash, catalog.ClassWebsite} {
				if !sum.DataClasses.Has(c) {
					t.Errorf("data classes %v lack %v", sum.ClassNames, c)
				}
			}
			x := exposure.New(f.st, f.kr)
			for _, p := range people {
				for _, login := range []string{p.Email, p.Username} {
					bs, err := x.AccountBreaches(ctx, login, exposure.Public)
					if err != nil || len(bs) != 1 || bs[0].Name != name {
						t.Fatalf("login %q: %v, %v", login, bs, err)
					}
				}
				if n, err := x.PasswordCount(ctx, []byte(p.Password)); err != nil || n < 1 {
					t.Fatalf("password of %s: count %d, %v", p.Username, n, err)
				}
				blob := append([]byte("v10"), sha256.New().Sum([]byte(p.Password))...)
				for _, v := range []string{hex.EncodeToString(blob), string(blob)} {
					if n, err := x.PasswordCount(ctx, []byte(v)); err != nil || n != 0 {
						t.Fatalf("an encrypted password counted as a password: %d, %v", n, err)
					}
				}
			}
		})
	}
}

// TestDatabaseReimportAddsNothing: the same database again, in another
// container, is the same tables: already imported.
func TestDatabaseReimportAddsNothing(t *testing.T) {
	db, _ := appDatabase(t, 42, 20)
	dir := t.TempDir()
	f := newFixture(t)
	f.importFiles(t, "Again", writeFile(t, dir, "app.db", db))
	o := opts("Again")
	o.TempDir = f.dataDir
	sum, err := Import(ctx, f.st, f.kr, []string{writeFile(t, dir, "copy.zip", zipOf(t, map[string][]byte{"Login Data": db}))}, o)
	if err != ErrNothingToImport || len(sum.Already) != 3 {
		t.Errorf("err %v, already %v, imported %v", err, sum.Already, sum.Imported)
	}
}

// TestDatabaseLeavesNoPlaintext: importing databases from a zip, a tar.gz
// and standard input (all spooled, encrypted, in the data directory) leaves
// no plaintext of them in the data directory or the temporary directory,
// and none is there while their tables are read.
func TestDatabaseLeavesNoPlaintext(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where SQLite would put temporary files
	t.Setenv("SQLITE_TMPDIR", tmp)
	f := newFixture(t)
	var needles []string
	in := t.TempDir()
	var paths []string
	var stdin []byte
	for i, kind := range []string{"zip", "tar.gz", "stdin"} {
		db, people := appDatabase(t, uint64(300+i), 200)
		for _, p := range people {
			for _, v := range []string{p.Email, p.Username, p.Password, p.FirstName + " " + p.LastName, p.PhoneE164} {
				if utf8.RuneCountInString(v) >= 8 {
					needles = append(needles, asciiLower(v))
				}
			}
		}
		switch kind {
		case "zip":
			paths = append(paths, writeFile(t, in, "a.zip", zipOf(t, map[string][]byte{"app.db": db})))
		case "tar.gz":
			paths = append(paths, writeFile(t, in, "b.tar.gz", gzipped(t, tarOf(t, "app.db", db))))
		case "stdin":
			stdin = db
		}
	}
	// Pebble's columnar blocks hold the run of printable ASCII (see
	// TestNoPlaintextAtRest): values found in it are no evidence.
	var printable []byte
	for c := byte(' '); c <= '~'; c++ {
		printable = append(printable, c)
	}
	needles = slices.DeleteFunc(needles, func(n string) bool { return strings.Contains(asciiLower(string(printable)), n) })
	if len(needles) < 1000 {
		t.Fatalf("only %d needles", len(needles))
	}
	scan := func(when string) {
		t.Helper()
		n := 0
		for _, root := range []string{f.dataDir, tmp} {
			filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(path)
				if err != nil {
					return nil // removed meanwhile
				}
				n++
				hay := asciiLower(string(b))
				for _, needle := range needles {
					if strings.Contains(hay, needle) {
						t.Errorf("%s: %s holds a plaintext value of the database (%d bytes long)", when, path, len(needle))
						return nil
					}
				}
				return nil
			})
		}
		if n == 0 {
			t.Errorf("%s: no file to scan", when)
		}
	}
	// While each table is read, its database's spool is on disk: scan
	// then, through a walker whose leak files are scanned before parsing.
	spools := 0
	w := &walker{tmpDir: f.dataDir, maxDepth: DefaultMaxDepth, maxRatio: DefaultMaxRatio, slack: ratioSlack, skip: func(Skip) {},
		fn: func(ctx context.Context, lf leakFile) error {
			if m, _ := filepath.Glob(filepath.Join(f.dataDir, spoolPattern+"*")); len(m) > 0 {
				spools++
			}
			scan("while reading " + lf.name)
			if ts, ok := lf.r.(*tableSource); ok {
				_, err := parseTable(ctx, ts, leakparse.Options{}, nil, discard{})
				return err
			}
			return nil
		}}
	for _, p := range paths {
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		w.inPlace(fh, nil)
		if err := w.walk(ctx, leakFile{name: p, hint: p, r: w.source(fh)}, 0); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	if spools == 0 {
		t.Error("no spool seen while the tables were read")
	}
	f.importFiles(t, "Files", paths...)
	o := opts("Stdin")
	o.TempDir = f.dataDir
	o.Stdin = bytes.NewReader(stdin)
	if _, err := Import(ctx, f.st, f.kr, []string{"-"}, o); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	scan("after the imports")
}

// discard is a Sink that keeps nothing.
type discard struct{}

func (discard) Record(*leakparse.Record) error         { return nil }
func (discard) Quarantine(*leakparse.Quarantine) error { return nil }

// TestHostileDatabasesFailAlone: a database that is only a header, one
// whose schema and pages are garbage, and one whose view recurses forever
// and whose trigger and computed column would run code: the unreadable ones
// fail in one line each naming them, the other is read as data, and the
// files beside them are imported.
func TestHostileDatabasesFailAlone(t *testing.T) {
	good, _ := appDatabase(t, 43, 5)
	garbage := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte("\x10\x00garbage victim@example.com "), 400)...)
	p := filepath.Join(t.TempDir(), "hostile.db")
	d, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`CREATE TABLE users(email TEXT, shout TEXT GENERATED ALWAYS AS (upper(email)) VIRTUAL);
INSERT INTO users(email) VALUES ('hostile.victim@example.com');
CREATE VIEW forever AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c;
CREATE TRIGGER tr AFTER INSERT ON users BEGIN INSERT INTO users(email) VALUES (randomblob(1000000000)); END;
PRAGMA writable_schema=ON;
UPDATE sqlite_schema SET sql = 'CREATE TABLE users(email TEXT, shout TEXT GENERATED ALWAYS AS (load_extension(''/nonexistent/evil.so'')) VIRTUAL)' WHERE name = 'users';`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	hostile, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := newFixture(t)
	o := opts("Hostile")
	o.TempDir = f.dataDir
	paths := []string{
		writeFile(t, dir, "header.db", []byte("SQLite format 3\x00")),
		writeFile(t, dir, "mixed.zip", zipOf(t, map[string][]byte{"a/garbage.db": garbage, "b/hostile.db": hostile, "c/good.db": good})),
		writeFile(t, dir, "combo.txt", []byte("after.hostile@example.com:Hunter2222\n")),
	}
	sum, err := Import(ctx, f.st, f.kr, paths, o)
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, fl := range sum.Failed {
		failed = append(failed, strings.TrimPrefix(fl.Error(), dir+"/"))
	}
	want := []string{
		"header.db: not a SQLite database (no SQLite 3 header)",
		"mixed.zip!a/garbage.db: corrupt SQLite database header",
	}
	if !slices.Equal(failed, want) {
		t.Errorf("failed %q, want %q", failed, want)
	}
	x := exposure.New(f.st, f.kr)
	for _, login := range []string{"hostile.victim@example.com", "after.hostile@example.com"} {
		if bs, err := x.AccountBreaches(ctx, login, exposure.Public); err != nil || len(bs) != 1 {
			t.Errorf("%s: %v, %v", login, bs, err)
		}
	}
	if !slices.ContainsFunc(sum.Imported, func(s string) bool { return strings.HasSuffix(s, "mixed.zip!c/good.db!users") }) {
		t.Errorf("imported %v", sum.Imported)
	}
}

// TestDryRunDescribesEachTable: a dry run shows each table of a database
// as a file of its own, with its columns and why.
func TestDryRunDescribesEachTable(t *testing.T) {
	db, _ := appDatabase(t, 44, 10)
	p := writeFile(t, t.TempDir(), "app.db", db)
	rep, err := DryRun(ctx, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fr := range rep.Files {
		var cols []string
		for _, c := range fr.Columns {
			cols = append(cols, c.Label+"="+c.Name)
			if c.Why == "" {
				t.Errorf("%s: column %s has no reason", fr.Name, c.Label)
			}
		}
		got = append(got, fmt.Sprintf("%s %s %d records: %s", strings.TrimPrefix(fr.Name, p), fr.Format, fr.Records, strings.Join(cols, ", ")))
		if fr.Reason == "" || fr.Error != "" {
			t.Errorf("%s: reason %q, error %q", fr.Name, fr.Reason, fr.Error)
		}
	}
	want := []string{
		"!android_metadata sqlite 0 records: 1 locale=Other data",
		"!users sqlite 10 records: 1 id=Other data, 2 email=Email addresses, 3 username=Usernames, 4 password=Passwords, 5 full_name=Names, 6 phone=Phone numbers, 7 birth_date=Dates of birth, 8 created_at=Other data",
		"!logins sqlite 10 records: 1 origin_url=Website activity, 2 username_element=Other data, 3 username_value=Usernames, 4 password_element=Other data, 5 password_value=Password hashes, 6 date_created=Other data",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dry run (-want +got):\n%s", diff)
	}
	if len(rep.Skipped) != 1 {
		t.Errorf("skipped %v", rep.Skipped)
	}
}

// TestSSMSScriptImports: a SQL Server script as SSMS saves it (UTF-16LE
// with a byte order mark, CRLF, GO batches), on its own and in a zip: its
// logins can be looked up, its nvarchar passwords count, its varbinary
// hashes do not.
func TestSSMSScriptImports(t *testing.T) {
	script := "USE [Shop]\r\nGO\r\nSET IDENTITY_INSERT [dbo].[Users] ON \r\nGO\r\n" +
		"INSERT [dbo].[Users] ([Id], [Email], [Login], [Password], [PasswordHash]) VALUES (1, N'ssms.alice@example.com', N'ssms_alice', N'Tr0ub4dor&3', 0x8BE3C943B1609FFFBFC51AAD666D0A04ADF83C9D)\r\nGO\r\n" +
		"INSERT [dbo].[Users] ([Id], [Email], [Login], [Password], [PasswordHash]) VALUES (2, N'o''hara@example.ie', N'ssms_ohara', N'C:\\pw\\2', NULL)\r\nGO\r\n" +
		"SET IDENTITY_INSERT [dbo].[Users] OFF\r\nGO\r\n"
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range script {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	dir := t.TempDir()
	for i, p := range []string{
		writeFile(t, dir, "users.sql", utf16),
		writeFile(t, dir, "backup.zip", zipOf(t, map[string][]byte{"scripts/users.sql": utf16})),
	} {
		f := newFixture(t)
		name := fmt.Sprintf("Ssms%d", i)
		sum := f.importFiles(t, name, p)
		if len(sum.Failed) > 0 || sum.Rows != 2 || sum.QuarantinedTotal() != 0 {
			t.Errorf("%s: %d rows, failed %v, quarantined %v", p, sum.Rows, sum.Failed, sum.Quarantined)
		}
		x := exposure.New(f.st, f.kr)
		for _, login := range []string{"ssms.alice@example.com", "ssms_alice", "o'hara@example.ie", "ssms_ohara"} {
			if bs, err := x.AccountBreaches(ctx, login, exposure.Public); err != nil || len(bs) != 1 || bs[0].Name != name {
				t.Errorf("%s: %v, %v", login, bs, err)
			}
		}
		for pw, want := range map[string]int64{"Tr0ub4dor&3": 1, `C:\pw\2`: 1, "8be3c943b1609fffbfc51aad666d0a04adf83c9d": 0} {
			if n, err := x.PasswordCount(ctx, []byte(pw)); err != nil || n != want {
				t.Errorf("password count %d, %v; want %d", n, err, want)
			}
		}
	}
}
