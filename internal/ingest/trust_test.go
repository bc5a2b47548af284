package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/rogpeppe/go-internal/txtar"
)

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func opts(name string) Options {
	return Options{Breach: catalog.New(name, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}
}

// TestSameDataAnotherShapeCountsOnce is the reproduction of issue 7's
// "counts double": the same file again as .gz, with one extra newline, and
// after it grew, into one breach. A breach is a set of facts: a pair
// counts once however often it is imported.
func TestSameDataAnotherShapeCountsOnce(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	combo := "alice@example.com:password\nbob@example.com:password\ncarol@example.com:Summer2024!\nno-separator-line\n"
	x := exposure.New(f.st, f.kr)
	count := func(pw string) int64 {
		n, err := x.PasswordCount(ctx, []byte(pw))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	quarantined := func() int {
		n := 0
		for _, err := range f.st.Quarantine(ctx, "Shapes") {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	first := f.importFiles(t, "Shapes", writeFile(t, dir, "c.txt", []byte(combo)))
	if count("password") != 2 || quarantined() != 1 || first.Result.PwnCount != 3 {
		t.Fatalf("first import: count %d, quarantined %d, %+v", count("password"), quarantined(), first.Result)
	}
	for _, shape := range []struct{ name, file string }{
		{"gzip", writeFile(t, dir, "c.txt.gz", gzipped(t, []byte(combo)))},
		{"extra newline", writeFile(t, dir, "c2.txt", []byte("\n"+combo))},
		{"CRLF", writeFile(t, dir, "c3.txt", []byte(strings.ReplaceAll(combo, "\n", "\r\n")))},
	} {
		// The gzip of the very file is the file (it is recognised as
		// imported); the others are new sources with nothing new in them.
		sum, err := Import(ctx, f.st, f.kr, []string{shape.file}, opts("Shapes"))
		if err != nil && !errors.Is(err, ErrNothingToImport) {
			t.Fatalf("%s: %v", shape.name, err)
		}
		if b, _ := f.st.Breach(ctx, "Shapes"); count("password") != 2 || count("Summer2024!") != 1 || sum.Result.NewPairs != 0 || b.PwnCount != 3 || quarantined() != 1 {
			t.Errorf("%s: count %d/%d, %+v; want nothing new", shape.name, count("password"), count("Summer2024!"), sum.Result)
		}
	}
	// The gzip of the very file is the file: recognised as imported.
	if _, err := Import(ctx, f.st, f.kr, []string{writeFile(t, dir, "again.gz", gzipped(t, []byte(combo)))}, opts("Shapes")); !errors.Is(err, ErrNothingToImport) {
		t.Errorf("gzip of an imported file: %v, want ErrNothingToImport", err)
	}
	// The file grew: only the new pair counts.
	sum, err := Import(ctx, f.st, f.kr, []string{writeFile(t, dir, "c4.txt", []byte(combo+"dave@example.com:password\n"))}, opts("Shapes"))
	if err != nil {
		t.Fatal(err)
	}
	if count("password") != 3 || sum.Result.NewPairs != 1 || sum.Result.PwnCount != 4 {
		t.Errorf("grown: count %d, %+v; want 3 and one new pair", count("password"), sum.Result)
	}
	// Passwords without accounts count once per distinct record.
	list := "name,password\nAlice Smith,123456\nBob Jones,123456\nAlice Smith,123456\n"
	f.importFiles(t, "List", writeFile(t, dir, "list.csv", []byte(list)))
	f.importFiles(t, "List", writeFile(t, dir, "list2.csv", []byte(list+"\n")))
	if count("123456") != 2 {
		t.Errorf("records without accounts: count %d, want 2", count("123456"))
	}
}

// TestEveryGoldenLoginCanBeLookedUp imports the input of every leakparse
// golden file and looks up every login a parse of it yields: email versus
// username is decided once, for import and lookup alike.
func TestEveryGoldenLoginCanBeLookedUp(t *testing.T) {
	files, err := filepath.Glob("../leakparse/testdata/*.txtar")
	if err != nil || len(files) < 10 {
		t.Fatalf("golden files: %v, %d", err, len(files))
	}
	f := newFixture(t)
	x := exposure.New(f.st, f.kr)
	dir := t.TempDir()
	checked := 0
	for i, gf := range files {
		ar, err := txtar.ParseFile(gf)
		if err != nil {
			t.Fatal(err)
		}
		var input *txtar.File
		for j := range ar.Files {
			if !strings.HasPrefix(ar.Files[j].Name, "want") && ar.Files[j].Name != "options" {
				input = &ar.Files[j]
				break
			}
		}
		if input == nil || strings.HasPrefix(input.Name, "sheet:") {
			continue // workbooks are built from their sheets by leakparse's tests
		}
		p := writeFile(t, dir, filepath.Join(strings.TrimSuffix(filepath.Base(gf), ".txtar"), input.Name), input.Data)
		logins := &loginSink{}
		if _, err := leakparse.Parse(ctx, bytes.NewReader(input.Data), leakparse.Options{Name: input.Name}, logins); err != nil {
			continue // a golden of a file that is refused
		}
		name := "Golden" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		if _, err := Import(ctx, f.st, f.kr, []string{p}, opts(name)); err != nil {
			t.Fatalf("%s: %v", gf, err)
		}
		for _, l := range logins.logins {
			checked++
			bs, err := x.AccountBreaches(ctx, l, exposure.Public)
			found := false
			for _, b := range bs {
				found = found || b.Name == name
			}
			if err != nil || !found {
				t.Errorf("%s: login %q imported but not found: %v", filepath.Base(gf), l, err)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d logins checked", checked)
	}
}

type loginSink struct{ logins []string }

func (s *loginSink) Record(r *leakparse.Record) error {
	for _, f := range r.Fields {
		login := f.Class == catalog.ClassEmail || f.Class == catalog.ClassUsername
		if f.Class == catalog.ClassPhone {
			// A phone login ("79161234567"), or a phone column's number
			// in a form a lookup reads (E.164 with its '+'): looked up as
			// typed. National numbers need a region, which lookups lack.
			kind, _, ok := account.Login(f.Value)
			login = ok && kind == account.KindPhone
		}
		if login && len(bytes.TrimSpace(f.Value)) > 0 && len(f.Value) <= 128 {
			s.logins = append(s.logins, string(f.Value))
		}
	}
	return nil
}

func (s *loginSink) Quarantine(*leakparse.Quarantine) error { return nil }

// TestFailedInputsDoNotStopTheImport: one missing, truncated or looping
// input is a one-line failure; the other inputs are imported, and the
// lines before a truncation are kept.
func TestFailedInputsDoNotStopTheImport(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	var lines strings.Builder
	for i := range 20000 {
		lines.WriteString("user" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "@example.com:pw" + string(rune('a'+i%26)) + "\n")
	}
	big := []byte(lines.String())
	gz := gzipped(t, big)
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	tw.WriteHeader(&tar.Header{Name: "a.txt", Mode: 0o600, Size: int64(len(big)), Typeflag: tar.TypeReg})
	tw.Write(big)
	tw.Close()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("a.txt")
	w.Write(big)
	zw.Close()
	loop := filepath.Join(dir, "loop")
	os.Symlink(loop, loop)
	good := writeFile(t, dir, "good.txt", []byte("good@example.com:Summer2024!\n"))
	inputs := []string{
		filepath.Join(dir, "missing.txt"),
		writeFile(t, dir, "trunc.txt.gz", gz[:len(gz)/2]),
		writeFile(t, dir, "trunc.tar", tb.Bytes()[:tb.Len()/2]),
		writeFile(t, dir, "trunc.zip", zb.Bytes()[:zb.Len()/2]),
		loop,
		good,
	}
	var warnings []string
	o := opts("Partial")
	o.Warn = func(s string) { warnings = append(warnings, s) }
	sum, err := Import(ctx, f.st, f.kr, inputs, o)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		inputs[0]:            "no such file or directory",
		inputs[1]:            "truncated gzip data",
		inputs[2] + "!a.txt": "truncated tar data",
		inputs[3]:            "zip",
		inputs[4]:            "too many levels of symbolic links",
	}
	if len(sum.Failed) != len(want) {
		t.Errorf("failed %q, want %d failures", sum.Failed, len(want))
	}
	for _, fl := range sum.Failed {
		if !strings.Contains(fl.Reason, want[fl.Name]) || want[fl.Name] == "" {
			t.Errorf("failure %q, want the reason to say %q", fl.Error(), want[fl.Name])
		}
		if strings.Count(fl.Error(), filepath.Base(strings.Split(fl.Name, "!")[0])) != 1 {
			t.Errorf("failure %q names its file more than once", fl.Error())
		}
	}
	if len(warnings) != len(want) {
		t.Errorf("warnings %q", warnings)
	}
	// The good file, and the lines before each truncation, are in.
	x := exposure.New(f.st, f.kr)
	if bs, _ := x.AccountBreaches(ctx, "good@example.com", exposure.Public); len(bs) != 1 {
		t.Error("the good input was not imported")
	}
	if sum.Rows <= 1 || sum.Rows >= 3*20000 {
		t.Errorf("rows %d: the lines before the truncations are not kept", sum.Rows)
	}
}

// TestSpecialFilesInDirectoriesAreListed: a directory's symbolic links and
// FIFOs are passed over, and the summary says so.
func TestSpecialFilesInDirectoriesAreListed(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	writeFile(t, dir, "leak/a.txt", []byte("alice@example.com:pw1\n"))
	os.Symlink("/etc/passwd", filepath.Join(dir, "leak", "link.txt"))
	if err := syscall.Mkfifo(filepath.Join(dir, "leak", "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := f.importFiles(t, "Dir", filepath.Join(dir, "leak"))
	if sum.Rows != 1 || len(sum.Skipped) != 2 {
		t.Errorf("rows %d skipped %q", sum.Rows, sum.Skipped)
	}
}

// TestFIFOIsReadOnce: a FIFO named on the command line is a stream, read
// once; Ctrl-C while nobody writes to it ends the import at once.
func TestFIFOIsReadOnce(t *testing.T) {
	f := newFixture(t)
	fifo := filepath.Join(t.TempDir(), "leak.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write([]byte("alice@example.com:pw1\nbob@example.com:pw2\n"))
		w.Close()
	}()
	sum := f.importFiles(t, "Fifo", fifo)
	if sum.Rows != 2 {
		t.Errorf("rows %d from a FIFO", sum.Rows)
	}

	// Nobody writes: the open blocks until ctx ends.
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Import(cctx, f.st, f.kr, []string{fifo}, opts("Fifo2"))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("import of a silent FIFO: %v after %v", err, time.Since(start))
	}
	// A writer that opens and never writes: the read is interrupted.
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			time.Sleep(3 * time.Second)
			w.Close()
		}
	}()
	cctx2, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel2()
	start = time.Now()
	_, err = Import(cctx2, f.st, f.kr, []string{fifo}, opts("Fifo3"))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("import of a FIFO whose writer is silent: %v after %v", err, time.Since(start))
	}
	// And the store is free for the next import.
	f.importFiles(t, "After", writeFile(t, t.TempDir(), "a.txt", []byte("carol@example.com:pw\n")))
}

// TestSilentStdinIsInterrupted: standard input that never ends does not
// hold an import past Ctrl-C.
func TestSilentStdinIsInterrupted(t *testing.T) {
	f := newFixture(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	w.Write([]byte("alice@example.com:pw1\n"))
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	o := opts("Stdin")
	o.Stdin = r
	start := time.Now()
	_, err = Import(cctx, f.st, f.kr, []string{"-"}, o)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("import of silent stdin: %v after %v", err, time.Since(start))
	}
}

// TestNestingIsBounded: thousands of nested gzip layers, or a zip in a zip
// in a zip..., end in a clear error, in bounded memory.
func TestNestingIsBounded(t *testing.T) {
	f := newFixture(t)
	data := []byte("alice@example.com:pw1\n")
	for range 300 {
		data = gzipped(t, data)
	}
	p := writeFile(t, t.TempDir(), "deep.gz", data)
	sum, err := Import(ctx, f.st, f.kr, []string{p}, opts("Deep"))
	if !errors.Is(err, ErrNothingToImport) || len(sum.Failed) != 1 || !strings.Contains(sum.Failed[0].Reason, "--max-depth") {
		t.Fatalf("deep gzip: %v, failed %q", err, sum.Failed)
	}
	// Within the limit it imports.
	data = []byte("alice@example.com:pw1\n")
	for range 5 {
		var zb bytes.Buffer
		zw := zip.NewWriter(&zb)
		w, _ := zw.Create("inner")
		w.Write(data)
		zw.Close()
		data = zb.Bytes()
	}
	sum = f.importFiles(t, "Nested", writeFile(t, t.TempDir(), "nested.zip", data))
	if sum.Rows != 1 {
		t.Errorf("5 nested zips: rows %d", sum.Rows)
	}
	o := opts("Nested2")
	o.MaxDepth = 3
	sum, err = Import(ctx, f.st, f.kr, []string{writeFile(t, t.TempDir(), "nested.zip", data)}, o)
	if !errors.Is(err, ErrNothingToImport) || len(sum.Failed) != 1 {
		t.Errorf("5 nested zips, --max-depth 3: %v, %q", err, sum.Failed)
	}
}

// TestDecompressionBomb: a container that expands beyond the ratio limit
// fails clearly instead of filling the disk.
func TestDecompressionBomb(t *testing.T) {
	f := newFixture(t)
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write([]byte("alice@example.com:pw1\n"))
	zeros := make([]byte, 1<<20)
	for range 100 {
		w.Write(zeros)
	}
	w.Close()
	o := opts("Bomb")
	o.MaxRatio = 10
	sum, err := Import(ctx, f.st, f.kr, []string{writeFile(t, t.TempDir(), "bomb.gz", b.Bytes())}, o)
	if err != nil && !errors.Is(err, ErrNothingToImport) {
		t.Fatal(err)
	}
	if len(sum.Failed) != 1 || !strings.Contains(sum.Failed[0].Reason, "--max-ratio") {
		t.Errorf("bomb: failed %q", sum.Failed)
	}
}

// TestHostileNamesAreQuoted: a file name with a newline cannot fake a line
// of output.
func TestHostileNamesAreQuoted(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "evil\nleakwatch: imported 1000000 rows\x1b[2K.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"))
	sum, err := Import(ctx, f.st, f.kr, []string{p, writeFile(t, dir, "ok.txt", []byte("a@example.com:pw\n"))}, opts("Names"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) != 1 {
		t.Fatalf("failed %q", sum.Failed)
	}
	msg := sum.Failed[0].Error()
	if strings.ContainsAny(msg, "\n\x1b") || !strings.Contains(msg, `evil\n`) {
		t.Errorf("failure printed as %q", msg)
	}
}

// TestManySmallBombs: the expansion limit holds for a source as a whole,
// not per member: a tar of many compressed members, each within the limit,
// fails once their sum passes it.
func TestManySmallBombs(t *testing.T) {
	f := newFixture(t)
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	member := gzipped(t, bytes.Repeat([]byte("inner@example.com:password1\n"), 20000)) // 560 KB each
	for i := range 50 {
		tw.WriteHeader(&tar.Header{Name: "m" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".gz", Mode: 0o600, Size: int64(len(member)), Typeflag: tar.TypeReg})
		tw.Write(member)
	}
	tw.Close()
	o := opts("Bombs")
	o.MaxRatio, o.ratioSlack = 10, 1<<20
	sum, err := Import(ctx, f.st, f.kr, []string{writeFile(t, t.TempDir(), "many.tar", tb.Bytes())}, o)
	if err != nil && !errors.Is(err, ErrNothingToImport) {
		t.Fatal(err)
	}
	if len(sum.Failed) != 1 || !strings.Contains(sum.Failed[0].Reason, "--max-ratio") {
		t.Errorf("failed %q", sum.Failed)
	}
	// 50 members of 560 KB from about 100 KB: the walk stopped early.
	if sum.Rows >= 50*20000 {
		t.Errorf("rows %d: the whole tar was read", sum.Rows)
	}
}

// TestOneCredentialInShapesOfOneBreach: a credential found with its email
// and username, and again with one of them, counts once, in either order
// (the review of issue 7).
func TestOneCredentialInShapesOfOneBreach(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "users.csv", []byte("email,username,password\nu9@example.com,user9x,Pw#Z9q\n"))
	combo := writeFile(t, dir, "combo.txt", []byte("user9x:Pw#Z9q\n"))
	mail := writeFile(t, dir, "mail.txt", []byte("u9@example.com:Pw#Z9q\n"))
	for _, tc := range []struct {
		order []string
		want  int64
	}{
		{[]string{csv, combo, mail}, 1},
		{[]string{combo, csv, mail}, 1},
		// The email line and the username line alone are two credentials
		// nothing links yet; the record with both adds nothing.
		{[]string{mail, combo, csv}, 2},
	} {
		f := newFixture(t)
		x := exposure.New(f.st, f.kr)
		for _, p := range tc.order {
			if _, err := Import(ctx, f.st, f.kr, []string{p}, opts("P")); err != nil && !errors.Is(err, ErrNothingToImport) {
				t.Fatal(err)
			}
		}
		if n, _ := x.PasswordCount(ctx, []byte("Pw#Z9q")); n != tc.want {
			t.Errorf("order %s %s %s: count %d, want %d", filepath.Base(tc.order[0]), filepath.Base(tc.order[1]), filepath.Base(tc.order[2]), n, tc.want)
		}
	}
}

// TestGzipPadding: a gzip file with zero padding after its last member, or
// several members, reads as gzip -d reads it.
func TestGzipPadding(t *testing.T) {
	f := newFixture(t)
	one := gzipped(t, []byte("a@example.com:p1\nb@example.com:p2\n"))
	two := append(append([]byte{}, one...), gzipped(t, []byte("c@example.com:p3\n"))...)
	padded := append(append([]byte{}, two...), make([]byte, 100)...)
	sum := f.importFiles(t, "Pad", writeFile(t, t.TempDir(), "t.gz", padded))
	if sum.Rows != 3 || len(sum.Failed) != 0 {
		t.Errorf("rows %d failed %q, want 3 rows", sum.Rows, sum.Failed)
	}
}

// TestOwnDataDirectoryIsNotRead: importing a directory that holds the data
// directory and the key file skips them.
func TestOwnDataDirectoryIsNotRead(t *testing.T) {
	f := newFixture(t)
	writeFile(t, f.dataDir, "leak.txt", []byte("alice@example.com:pw1\n"))
	o := opts("Self")
	o.Exclude = []string{filepath.Join(f.dataDir, "store"), f.kr.Path()}
	sum, err := Import(ctx, f.st, f.kr, []string{f.dataDir, f.kr.Path()}, o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 1 || len(sum.Failed) != 0 || len(sum.Skipped) != 2 {
		t.Errorf("rows %d failed %q skipped %q", sum.Rows, sum.Failed, sum.Skipped)
	}
}

// TestOnlyQuarantinedCreatesNoBreach: a file whose every line is
// quarantined does not create an empty public breach.
func TestOnlyQuarantinedCreatesNoBreach(t *testing.T) {
	f := newFixture(t)
	p := writeFile(t, t.TempDir(), "o.ndjson", []byte("{}\n{}\n"))
	sum, err := Import(ctx, f.st, f.kr, []string{p}, opts("Empty"))
	if !errors.Is(err, ErrNothingToImport) || len(sum.Failed) != 1 {
		t.Fatalf("Import = %v, failed %q", err, sum.Failed)
	}
	if _, err := f.st.Breach(ctx, "Empty"); err == nil {
		t.Error("an empty breach was created")
	}
}
