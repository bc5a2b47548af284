package ingest

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

var ctx = context.Background()

type fixture struct {
	dataDir string
	st      *pebblestore.Store
	kr      *keyring.Keyring
}

// newFixture opens a store in a fresh data directory, with the key file
// elsewhere, as a careful deployment would have it.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dataDir: t.TempDir()}
	var err error
	if f.st, err = pebblestore.Open(filepath.Join(f.dataDir, "store"), pebblestore.Options{SortBytes: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
	if f.kr, err = keyring.Create(filepath.Join(t.TempDir(), "keyring.json"), nil); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) importFiles(t *testing.T, name string, paths ...string) *Summary {
	t.Helper()
	sum, err := Import(ctx, f.st, f.kr, paths, Options{Breach: catalog.New(name, catalog.Timestamp{}.Time), TempDir: f.dataDir})
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	return sum
}

func genFile(t *testing.T, dir string, format leakparse.Format, rows int64, seed uint64) string {
	t.Helper()
	p := filepath.Join(dir, "leak-"+string(format)+".txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leakgen.Generate(ctx, f, leakgen.Options{Format: format, Rows: rows, Seed: seed, JunkEvery: 97}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNoPlaintextAtRest imports a generated leak of every format and then
// reads every byte of the data directory: none of the input's emails,
// usernames, passwords, names or phone numbers may appear, in any case.
func TestNoPlaintextAtRest(t *testing.T) {
	const rows = 400
	f := newFixture(t)
	in := t.TempDir()
	var seeds []uint64
	for i, format := range leakgen.Formats() {
		seed := uint64(100 + i)
		seeds = append(seeds, seed)
		p := genFile(t, in, format, rows, seed)
		sum := f.importFiles(t, "Leak-"+string(format), p)
		if sum.Rows == 0 {
			t.Fatalf("%s: imported no rows", format)
		}
	}
	stealerDir := filepath.Join(in, "stealer-tree")
	if _, err := leakgen.GenerateStealerTree(ctx, stealerDir, leakgen.Options{Format: leakparse.FormatStealer, Rows: rows, Seed: 999}); err != nil {
		t.Fatal(err)
	}
	seeds = append(seeds, 999)
	f.importFiles(t, "StealerTree", stealerDir)
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}

	needles := map[string]bool{}
	for _, seed := range seeds {
		for i, p := range leakgen.People(seed) {
			if i >= rows {
				break
			}
			for _, v := range []string{p.Email, p.Username, p.Password, p.FirstName + " " + p.LastName, p.LastName, p.Phone, p.PhoneE164, strings.TrimPrefix(p.PhoneE164, "+")} {
				// Very short values occur by chance in binary data.
				if utf8.RuneCountInString(v) >= 6 {
					needles[asciiLower(v)] = true
				}
			}
		}
	}
	// Structure that is not data: Pebble's columnar blocks hold the run of
	// printable ASCII bytes (so "123456" occurs in every table), and the
	// ledger keeps source file names ("All Passwords.txt").
	var structural strings.Builder
	for c := byte(' '); c <= '~'; c++ {
		structural.WriteByte(c)
	}
	structural.WriteString(" passwords.txt all passwords.txt")
	for n := range needles {
		if strings.Contains(asciiLower(structural.String()), n) {
			delete(needles, n)
		}
	}
	if len(needles) < 1000 {
		t.Fatalf("only %d needles", len(needles))
	}
	var files int
	err := filepath.WalkDir(f.dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		hay := asciiLower(string(b))
		for n := range needles {
			if strings.Contains(hay, n) {
				t.Errorf("%s holds a plaintext value of the input (%d bytes long)", path, len(n))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Fatalf("walked only %d files", files)
	}
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestImportFindsPeople checks that what went in can be found again.
func TestImportFindsPeople(t *testing.T) {
	f := newFixture(t)
	p := genFile(t, t.TempDir(), leakparse.FormatCombo, 2000, 7)
	sum := f.importFiles(t, "Combo", p)
	if sum.Rows < 1900 || sum.QuarantinedTotal() == 0 {
		t.Errorf("rows %d quarantined %d", sum.Rows, sum.QuarantinedTotal())
	}
	x := exposure.New(f.st, f.kr)
	var found, checked int
	for i, person := range leakgen.People(7) {
		if i >= 200 {
			break
		}
		if person.Email == "" || person.Hash != "" {
			continue
		}
		checked++
		bs, err := x.AccountBreaches(ctx, strings.ToUpper(person.Email), exposure.Public)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) == 1 && bs[0].Name == "Combo" {
			found++
		}
		n, err := x.PasswordCount(ctx, []byte(person.Password))
		if err != nil || n == 0 {
			t.Errorf("password of person %d: count %d, %v", i, n, err)
		}
	}
	// Junk lines replace a few rows; nearly everyone must be found.
	if checked == 0 || found < checked*95/100 {
		t.Errorf("found %d of %d people", found, checked)
	}
	if n, _ := x.AccountBreaches(ctx, "nobody-here@example.invalid", exposure.Public); len(n) != 0 {
		t.Errorf("unknown email found in %v", n)
	}
}

func TestReimportIsIdempotent(t *testing.T) {
	f := newFixture(t)
	p := genFile(t, t.TempDir(), leakparse.FormatCSV, 500, 3)
	first := f.importFiles(t, "Telco", p)
	_, err := Import(ctx, f.st, f.kr, []string{p}, Options{Breach: catalog.New("Telco", catalog.Timestamp{}.Time)})
	if !errors.Is(err, ErrNothingToImport) {
		t.Fatalf("second import: %v, want ErrNothingToImport", err)
	}
	b, err := f.st.Breach(ctx, "Telco")
	if err != nil {
		t.Fatal(err)
	}
	if b.PwnCount != first.Result.PwnCount || b.PwnCount == 0 {
		t.Errorf("PwnCount %d after re-import, %d after first", b.PwnCount, first.Result.PwnCount)
	}
	for _, want := range []string{"Email addresses", "Names", "Dates of birth", "Phone numbers"} {
		if !strings.Contains(strings.Join(b.DataClasses, ","), want) {
			t.Errorf("DataClasses %v lack %q", b.DataClasses, want)
		}
	}
	// The same content into another breach is a new source there.
	f.importFiles(t, "Mirror", p)
}

func TestNotALeakIsOneLineAndTheRestGoesOn(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	png := filepath.Join(dir, "photo.png")
	os.WriteFile(png, append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 250}, 200)...), 0o600)
	combo := filepath.Join(dir, "combo.txt")
	os.WriteFile(combo, []byte("alice@example.com:Summer2024!\nbob@example.net:hunter22\n"), 0o600)
	var warnings []string
	sum, err := Import(ctx, f.st, f.kr, []string{png, combo}, Options{Breach: catalog.New("Mixed", catalog.Timestamp{}.Time),
		Warn: func(s string) { warnings = append(warnings, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 2 || len(sum.Failed) != 1 || sum.Failed[0].Name != png || strings.Contains(sum.Failed[0].Error(), "\n") ||
		strings.Count(sum.Failed[0].Error(), "photo.png") != 1 {
		t.Errorf("rows %d failed %q", sum.Rows, sum.Failed)
	}
	if len(warnings) != 1 {
		t.Errorf("warnings %q", warnings)
	}
}

func TestQuarantineIsSealedAndListed(t *testing.T) {
	f := newFixture(t)
	p := filepath.Join(t.TempDir(), "combo.txt")
	os.WriteFile(p, []byte("alice@example.com:pw1\nthis-line-has-no-separator-at-all\nbob@example.com:pw2\n"), 0o600)
	f.importFiles(t, "Q", p)
	o := keyring.NewOpener(f.kr, f.st)
	var got []string
	for q, err := range f.st.Quarantine(ctx, "Q") {
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(q.Sealed, []byte("separator")) {
			t.Error("quarantined line stored in plaintext")
		}
		raw, err := o.Open(ctx, q.Sealed)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(raw))
		if q.Line != 2 || q.Reason == "" {
			t.Errorf("quarantined line %d reason %q", q.Line, q.Reason)
		}
	}
	if len(got) != 1 || got[0] != "this-line-has-no-separator-at-all" {
		t.Errorf("quarantine holds %q", got)
	}
}

// A file refused as "not a leak" is not recorded as imported: the analyst
// can import it with an explicit format afterwards. An import that read
// nothing creates no breach.
func TestNotALeakIsNotInTheLedger(t *testing.T) {
	f := newFixture(t)
	p := filepath.Join(t.TempDir(), "odd.dat")
	os.WriteFile(p, []byte("\x89PNG\r\n\x1a\nnot really an image\n"), 0o600)
	sum, err := Import(ctx, f.st, f.kr, []string{p}, Options{Breach: catalog.New("Odd", catalog.Timestamp{}.Time)})
	if !errors.Is(err, ErrNothingToImport) || len(sum.Failed) != 1 {
		t.Fatalf("Import = %v, failed %v; want ErrNothingToImport and one failure", err, sum.Failed)
	}
	if _, err := f.st.Breach(ctx, "Odd"); err == nil {
		t.Error("an import that read nothing created the breach")
	}
	q := filepath.Join(t.TempDir(), "odd.txt")
	os.WriteFile(q, []byte("not really an image\nalice@example.com\n"), 0o600)
	sum, err = Import(ctx, f.st, f.kr, []string{q}, Options{Breach: catalog.New("Odd", catalog.Timestamp{}.Time), Format: leakparse.FormatCSV,
		Map: map[string]catalog.DataClass{"1": catalog.ClassEmail}})
	if err != nil || sum.Rows == 0 {
		t.Fatalf("import with a format: %v, rows %d", err, sum.Rows)
	}
}

// A record whose identifiers are all malformed is quarantined whole: its
// password is not counted, so reading it again later counts it once.
func TestBadIdentifierCountsNothing(t *testing.T) {
	f := newFixture(t)
	p := filepath.Join(t.TempDir(), "bad.csv")
	// A login of 200 characters is no identifier (usernames have at most
	// 128).
	os.WriteFile(p, []byte("email,password\n"+strings.Repeat("x", 200)+",Unique-Pw-42\nalice@example.com,other\n"), 0o600)
	sum := f.importFiles(t, "Bad", p)
	if sum.Quarantined["bad-identifier"] != 1 {
		t.Fatalf("quarantined %v", sum.Quarantined)
	}
	x := exposure.New(f.st, f.kr)
	if n, _ := x.PasswordCount(ctx, []byte("Unique-Pw-42")); n != 0 {
		t.Errorf("password of a quarantined record counted %d times", n)
	}
	// Read again without the login (a bad-identifier record is kept with
	// its fields tab-separated), the line imports once and leaves the
	// quarantine.
	sum2, err := ReimportQuarantine(ctx, f.st, f.kr, Options{Breach: catalog.New("Bad", catalog.Timestamp{}.Time), Format: leakparse.FormatTSV,
		Map: map[string]catalog.DataClass{"1": catalog.ClassUnknown, "2": catalog.ClassPassword}})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Rows != 1 {
		t.Errorf("re-import rows %d", sum2.Rows)
	}
	if n, _ := x.PasswordCount(ctx, []byte("Unique-Pw-42")); n != 1 {
		t.Errorf("password counted %d times after re-import, want 1", n)
	}
	for q, err := range f.st.Quarantine(ctx, "Bad") {
		t.Errorf("still quarantined: line %d %s %v", q.Line, q.Reason, err)
	}
}
