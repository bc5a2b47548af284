package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// The accounts of the archive tests: the same as testdata/archives/make.sh
// puts in its 7-Zip fixtures.
var (
	archiveCombo   = []byte("alice@example.com:Summer2024!\nbob@example.net:hunter22\ncarol@example.org:P@ss:w0rd\n")
	archiveStealer = []byte("URL: https://login.example.com/\nUsername: dave@example.com\nPassword: Tr0ub4dor&3\n===============\n" +
		"Host: https://mail.example.org\nLogin: erin@example.com\nPASS: correcthorse\n")
	archiveSystem = []byte("Windows 10 Pro\nRAM: 8 GB\n")
)

func xzOf(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := xz.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func lz4Of(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := lz4.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fixture7z(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "archives", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestArchives imports the accounts packed as leaks circulate in xz, lz4,
// 7-Zip, RAR and encrypted zip, plain and encrypted, nested, with right and
// wrong passwords; a stealer log folder in an archive keeps only its
// credential files.
func TestArchives(t *testing.T) {
	combo := []archiveMember{{"dump/combo.txt", archiveCombo}}
	stealer := []archiveMember{
		{"logs/[US]203.0.113.7/Passwords.txt", archiveStealer},
		{"logs/[US]203.0.113.7/System.txt", archiveSystem},
		{"logs/[US]203.0.113.7/Cookies/Chrome.txt", []byte(".example.com\tTRUE\t/\tFALSE\t0\tsid\tx\n")},
	}
	rarAES := rar5(t, combo, "Secret5")
	// A stored member larger than a probe: a wrong password decrypts its
	// first bytes without error (ZipCrypto checks one byte of 256), so
	// only its checksum, at the end, tells. Of 300 wrong passwords some
	// pass the check byte.
	var bigCombo bytes.Buffer
	for i := 0; bigCombo.Len() < 2*probeSize; i++ {
		fmt.Fprintf(&bigCombo, "big%d@example.com:Pass%d\n", i, i)
	}
	bigRows := int64(bytes.Count(bigCombo.Bytes(), []byte{'\n'}))
	manyWrong := make([]string, 0, 301)
	for i := range 300 {
		manyWrong = append(manyWrong, fmt.Sprintf("wrong%d", i))
	}
	manyWrong = append(manyWrong, "Zip1")
	for _, tc := range []struct {
		name      string
		file      string
		data      []byte
		passwords []string
		rows      int64
		ignored   int
		failed    []string
	}{
		{name: "xz", file: "c.txt.xz", data: xzOf(t, archiveCombo), rows: 3},
		{name: "lz4", file: "c.txt.lz4", data: lz4Of(t, archiveCombo), rows: 3},
		{name: "tar.xz", file: "c.tar.xz", data: xzOf(t, tarMembers(t, combo)), rows: 3},
		{name: "7z lzma2", file: "plain.7z", data: fixture7z(t, "plain.7z"), rows: 3},
		{name: "7z lzma", file: "lzma.7z", data: fixture7z(t, "lzma.7z"), rows: 3},
		{name: "7z aes", file: "aes.7z", data: fixture7z(t, "aes.7z"), passwords: []string{"wrong", "Secret7"}, rows: 3},
		{name: "7z aes wrong", file: "aes.7z", data: fixture7z(t, "aes.7z"), passwords: []string{"wrong", "Secret"},
			failed: []string{"aes.7z: encrypted archive: no given password opens it"}},
		{name: "7z aes none", file: "aes.7z", data: fixture7z(t, "aes.7z"),
			failed: []string{"aes.7z: encrypted archive: no given password opens it (none was given: --archive-password)"}},
		{name: "7z encrypted headers", file: "aes-he.7z", data: fixture7z(t, "aes-he.7z"), passwords: []string{"x", "Secret7"}, rows: 3},
		{name: "7z encrypted headers wrong", file: "aes-he.7z", data: fixture7z(t, "aes-he.7z"), passwords: []string{"x"},
			failed: []string{"aes-he.7z: encrypted archive: no given password opens it"}},
		{name: "7z stealer folder", file: "stealer.7z", data: fixture7z(t, "stealer.7z"), passwords: []string{"Secret7"}, rows: 2, ignored: 1},
		{name: "7z in tar", file: "nested.tar", data: fixture7z(t, "nested.tar"), passwords: []string{"Secret7"}, rows: 3},
		{name: "7z in zip", file: "nested.zip", data: fixture7z(t, "nested.zip"), passwords: []string{"Secret7"}, rows: 3},
		{name: "7z in 7z", file: "nested.7z", data: fixture7z(t, "nested.7z"), passwords: []string{"Secret7", "Outer"}, rows: 3},
		{name: "7z in 7z inner wrong", file: "nested.7z", data: fixture7z(t, "nested.7z"), passwords: []string{"Outer"},
			failed: []string{"nested.7z!aes.7z: encrypted archive: no given password opens it"}},
		{name: "rar5", file: "c.rar", data: rar5(t, combo, ""), rows: 3},
		{name: "rar5 stealer folder", file: "s.rar", data: rar5(t, stealer, ""), rows: 2, ignored: 2},
		{name: "rar5 aes", file: "c.rar", data: rarAES, passwords: []string{"nope", "Secret5"}, rows: 3},
		{name: "rar5 aes wrong", file: "c.rar", data: rarAES, passwords: []string{"nope"},
			failed: []string{"c.rar: encrypted archive: no given password opens it"}},
		{name: "rar5 in tar.gz", file: "r.tgz", data: gzipped(t, tarMembers(t, []archiveMember{{"a/c.rar", rarAES}})), passwords: []string{"Secret5"}, rows: 3},
		{name: "7z in rar5", file: "n.rar", data: rar5(t, []archiveMember{{"aes-he.7z", fixture7z(t, "aes-he.7z")}}, "Secret5"),
			passwords: []string{"Secret5", "Secret7"}, rows: 3},
		{name: "corrupt zip in zip", file: "o.zip", data: plainZip(t, append([]archiveMember{{"a.zip", []byte("PK\x03\x04 not a zip at all")}}, combo...)),
			rows: 3, failed: []string{"o.zip!a.zip: corrupt zip data"}},
		{name: "zip stealer folder", file: "s.zip", data: plainZip(t, stealer), rows: 2, ignored: 2},
		{name: "zipcrypto stored", file: "z.zip", data: encryptedZip(t, combo, "Zip1", zipCrypto, false), passwords: []string{"Zip1"}, rows: 3},
		{name: "zipcrypto stored, large, many wrong passwords", file: "z.zip", data: encryptedZip(t, []archiveMember{{"big.txt", bigCombo.Bytes()}}, "Zip1", zipCrypto, false),
			passwords: manyWrong, rows: bigRows},
		{name: "zipcrypto deflated", file: "z.zip", data: encryptedZip(t, combo, "Zip1", zipCrypto, true), passwords: []string{"a", "b", "Zip1"}, rows: 3},
		{name: "zipcrypto wrong", file: "z.zip", data: encryptedZip(t, combo, "Zip1", zipCrypto, true), passwords: []string{"Zip2"},
			failed: []string{"z.zip!dump/combo.txt: encrypted archive: no given password opens it"}},
		{name: "zip AE-1 deflated", file: "z.zip", data: encryptedZip(t, combo, "Zip1", zipAES1, true), passwords: []string{"a", "Zip1"}, rows: 3},
		{name: "zip AE-2 stored", file: "z.zip", data: encryptedZip(t, combo, "Zip1", zipAES2, false), passwords: []string{"Zip1"}, rows: 3},
		{name: "zip AES wrong", file: "z.zip", data: encryptedZip(t, combo, "Zip1", zipAES2, true), passwords: []string{"zip1"},
			failed: []string{"z.zip!dump/combo.txt: encrypted archive: no given password opens it"}},
		{name: "zipcrypto by 7z", file: "zc.zip", data: fixture7z(t, "zipcrypto.zip"), passwords: []string{"x", "Zip1"}, rows: 5, ignored: 1},
		{name: "zip AES-256 by 7z", file: "za.zip", data: fixture7z(t, "aes.zip"), passwords: []string{"x", "Zip1"}, rows: 5, ignored: 1},
		{name: "zip AES-256 by 7z wrong", file: "za.zip", data: fixture7z(t, "aes.zip"), passwords: []string{"x"}, ignored: 1,
			failed: []string{"za.zip!combo.txt: encrypted archive: no given password opens it", "za.zip!stealer/[US]203.0.113.7/Passwords.txt: encrypted archive: no given password opens it"}},
		{name: "zip AES stealer in xz", file: "s.zip.xz", data: xzOf(t, encryptedZip(t, stealer, "Zip1", zipAES2, true)), passwords: []string{"Zip1"}, rows: 2, ignored: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			path := writeFile(t, t.TempDir(), tc.file, tc.data)
			o := opts("B")
			o.TempDir, o.ArchivePasswords = t.TempDir(), tc.passwords
			sum, err := Import(ctx, fx.st, fx.kr, []string{path}, o)
			if err != nil && tc.rows > 0 {
				t.Fatal(err, sum.Failed)
			}
			var failed []string
			for _, f := range sum.Failed {
				failed = append(failed, strings.TrimPrefix(f.Error(), filepath.Dir(path)+"/"))
			}
			if sum.Rows != tc.rows || sum.Ignored != tc.ignored || !cmp.Equal(failed, tc.failed) {
				t.Errorf("rows %d ignored %d failed %q; want rows %d ignored %d failed %q", sum.Rows, sum.Ignored, failed, tc.rows, tc.ignored, tc.failed)
			}
			assertNoSpools(t, o.TempDir)
		})
	}
}

// TestEncryptedArchiveDoesNotStopTheImport: an archive no password opens
// is one failure; the other inputs are imported.
func TestEncryptedArchiveDoesNotStopTheImport(t *testing.T) {
	fx := newFixture(t)
	dir := t.TempDir()
	locked := writeFile(t, dir, "a.7z", fixture7z(t, "aes.7z"))
	open := writeFile(t, dir, "b.txt", []byte("frank@example.com:Passw0rd!\n"))
	o := opts("B")
	o.TempDir = t.TempDir()
	sum, err := Import(ctx, fx.st, fx.kr, []string{locked, open}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) != 1 || sum.Failed[0].Name != locked || !strings.HasPrefix(sum.Failed[0].Reason, msgNoPassword) || sum.Rows != 1 {
		t.Errorf("failed %v rows %d; want %s failed and 1 row", sum.Failed, sum.Rows, locked)
	}
}

// TestTruncatedArchives: an archive cut short is a failure naming it, never
// a panic; what was read before the cut is kept.
func TestTruncatedArchives(t *testing.T) {
	big := bytes.Repeat(archiveCombo, 1)
	for _, tc := range []struct {
		name string
		file string
		data []byte
		pw   []string
	}{
		{"xz", "c.txt.xz", xzOf(t, big), nil},
		{"lz4", "c.txt.lz4", lz4Of(t, big), nil},
		{"7z", "plain.7z", fixture7z(t, "plain.7z"), nil},
		{"7z aes", "aes.7z", fixture7z(t, "aes.7z"), []string{"Secret7"}},
		{"7z encrypted headers", "aes-he.7z", fixture7z(t, "aes-he.7z"), []string{"Secret7"}},
		{"rar5", "c.rar", rar5(t, []archiveMember{{"c.txt", big}}, ""), nil},
		{"rar5 aes", "c.rar", rar5(t, []archiveMember{{"c.txt", big}}, "Secret5"), []string{"Secret5"}},
		{"zipcrypto", "c.zip", encryptedZip(t, []archiveMember{{"c.txt", big}}, "Zip1", zipCrypto, true), []string{"Zip1"}},
		{"zip aes", "c.zip", encryptedZip(t, []archiveMember{{"c.txt", big}}, "Zip1", zipAES2, true), []string{"Zip1"}},
	} {
		for _, cut := range []int{len(tc.data) / 3, len(tc.data) / 2, len(tc.data) - 8, len(tc.data) - 1} {
			fx := newFixture(t)
			path := writeFile(t, t.TempDir(), tc.file, tc.data[:cut])
			o := opts("B")
			o.TempDir, o.ArchivePasswords = t.TempDir(), tc.pw
			sum, _ := Import(ctx, fx.st, fx.kr, []string{path}, o)
			if sum == nil || len(sum.Failed) != 1 || !strings.HasPrefix(sum.Failed[0].Name, path) {
				t.Errorf("%s cut at %d of %d: %+v; want one failure naming it", tc.name, cut, len(tc.data), sum)
				continue
			}
			t.Logf("%s cut at %d: %s", tc.name, cut, sum.Failed[0].Error())
		}
	}
}

func assertNoSpools(t *testing.T, dir string) {
	t.Helper()
	if m, _ := filepath.Glob(filepath.Join(dir, spoolPattern+"*")); len(m) > 0 {
		t.Errorf("spools left behind: %v", m)
	}
}

// TestArchiveDryRun: a dry run opens encrypted archives with the passwords
// and describes their members.
func TestArchiveDryRun(t *testing.T) {
	path := writeFile(t, t.TempDir(), "aes-he.7z", fixture7z(t, "aes-he.7z"))
	rep, err := DryRun(ctx, []string{path}, Options{Breach: catalog.New("B", catalog.Timestamp{}.Time), TempDir: t.TempDir(), ArchivePasswords: []string{"Secret7"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 1 || rep.Files[0].Name != path+"!combo.txt" || len(rep.Failed) != 0 {
		t.Errorf("report %+v", rep)
	}
}

// FuzzWalk walks arbitrary bytes as a source: sniffing and unpacking
// containers (encrypted ones with a password) must fail with an error,
// never panic, spin or leave a spool behind.
func FuzzWalk(f *testing.F) {
	t := &testing.T{}
	combo := []archiveMember{{"c.txt", archiveCombo}}
	for _, name := range []string{"plain.7z", "lzma.7z", "aes.7z", "aes-he.7z", "stealer.7z", "nested.zip"} {
		b, err := os.ReadFile(filepath.Join("testdata", "archives", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(rar5(t, combo, ""))
	f.Add(rar5(t, combo, "pw"))
	f.Add(encryptedZip(t, combo, "pw", zipCrypto, true))
	f.Add(encryptedZip(t, combo, "pw", zipAES1, true))
	f.Add(xzOf(t, archiveCombo))
	f.Add(lz4Of(t, archiveCombo))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		w := &walker{tmpDir: dir, maxDepth: 4, maxRatio: 100, slack: 1 << 20, skip: func(Skip) {}, passwords: []string{"pw", "Secret7"},
			fn: func(ctx context.Context, lf leakFile) error {
				_, err := io.Copy(io.Discard, lf.r)
				return err
			}}
		w.walk(ctx, leakFile{name: "f", hint: "f", ledger: "f", r: w.source(bytes.NewReader(data))}, 0)
		assertNoSpools(t, dir)
	})
}
