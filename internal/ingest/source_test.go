package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/leakwatch/leakwatch/internal/catalog"
)

// TestContainers imports the same five accounts packed every way a leak
// circulates: plain, gzip, zstd, zip, tar.gz, a stealer log folder and
// standard input.
func TestContainers(t *testing.T) {
	combo := "alice@example.com:Summer2024!\nbob@example.net:hunter22\ncarol@example.org:P@ss:w0rd\n"
	stealer := "URL: https://login.example.com/\nUsername: dave@example.com\nPassword: Tr0ub4dor&3\n===============\n" +
		"Host: https://mail.example.org\nLogin: erin@example.com\nPASS: correcthorse\n"
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(combo))
	zw.Close()
	var zs bytes.Buffer
	ze, _ := zstd.NewWriter(&zs)
	ze.Write([]byte(combo))
	ze.Close()
	var zp bytes.Buffer
	zipw := zip.NewWriter(&zp)
	f, _ := zipw.Create("dump/combo.txt")
	f.Write([]byte(combo))
	zipw.Close()
	var tgz bytes.Buffer
	tgzw := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(tgzw)
	tw.WriteHeader(&tar.Header{Name: "logs/Passwords.txt", Mode: 0o600, Size: int64(len(stealer)), Typeflag: tar.TypeReg})
	tw.Write([]byte(stealer))
	tw.Close()
	tgzw.Close()

	folder := filepath.Join(dir, "stealer")
	write("stealer/[US]203.0.113.7/All Passwords.txt", []byte(stealer))
	write("stealer/[US]203.0.113.7/System.txt", []byte("Windows 10 Pro\nRAM: 8 GB\n"))
	write("stealer/[US]203.0.113.7/screenshot.jpg", []byte("\xff\xd8\xff\xe0JFIF"))

	for _, tc := range []struct {
		name    string
		path    string
		stdin   string
		rows    int64
		ignored int
	}{
		{"plain", write("combo.txt", []byte(combo)), "", 3, 0},
		{"gzip", write("combo.txt.gz", gz.Bytes()), "", 3, 0},
		{"zstd", write("combo.txt.zst", zs.Bytes()), "", 3, 0},
		{"zip", write("combo.zip", zp.Bytes()), "", 3, 0},
		{"tar.gz", write("logs.tar.gz", tgz.Bytes()), "", 2, 0},
		{"stealer folder", folder, "", 2, 2},
		{"stdin", "-", combo, 3, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			var warnings []string
			sum, err := Import(ctx, fx.st, fx.kr, []string{tc.path}, Options{
				Breach: catalog.New("B", catalog.Timestamp{}.Time), Stdin: strings.NewReader(tc.stdin), TempDir: t.TempDir(),
				Warn: func(s string) { warnings = append(warnings, s) },
			})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Rows != tc.rows || sum.Ignored != tc.ignored || sum.QuarantinedTotal() != 0 || len(warnings) != 0 {
				t.Errorf("rows %d ignored %d quarantined %v warnings %q; want rows %d ignored %d", sum.Rows, sum.Ignored, sum.Quarantined, warnings, tc.rows, tc.ignored)
			}
			// Importing it again is recognised (standard input too).
			if tc.stdin != "" {
				_, err = Import(ctx, fx.st, fx.kr, []string{"-"}, Options{Breach: catalog.New("B", catalog.Timestamp{}.Time), Stdin: strings.NewReader(tc.stdin), TempDir: t.TempDir()})
			} else {
				_, err = Import(ctx, fx.st, fx.kr, []string{tc.path}, Options{Breach: catalog.New("B", catalog.Timestamp{}.Time)})
			}
			if !errors.Is(err, ErrNothingToImport) {
				t.Errorf("second import: %v, want ErrNothingToImport", err)
			}
		})
	}
}

func TestMissingFileIsOneLine(t *testing.T) {
	fx := newFixture(t)
	sum, err := Import(ctx, fx.st, fx.kr, []string{"/nonexistent/leak.txt"}, Options{Breach: catalog.New("B", catalog.Timestamp{}.Time)})
	if !errors.Is(err, ErrNothingToImport) || len(sum.Failed) != 1 {
		t.Fatalf("Import = %v, failed %v", err, sum.Failed)
	}
	if msg := sum.Failed[0].Error(); msg != "/nonexistent/leak.txt: no such file or directory" {
		t.Errorf("failure = %q", msg)
	}
}
