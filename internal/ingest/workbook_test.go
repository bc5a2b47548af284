package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"slices"
	"testing"

	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/xuri/excelize/v2"
)

// workbook makes an XLSX workbook with a sheet of users (a title row above
// the header) and a sheet of staff logins.
func workbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := map[string][][]any{
		"Users": {
			{"Users of example.com"},
			{"id", "email", "password", "full_name"},
			{1, "wb.alice@example.com", "Summer2024!", "Alice Martin"},
			{2, "wb.bob@example.net", "hunter22", "Bob Stone"},
		},
		"Staff": {
			{"login", "password", "last_login"},
			{"wb_jdoe", "Winter2023!", 1700000000},
		},
	}
	f.SetSheetName("Sheet1", "Users")
	f.NewSheet("Staff")
	for sheet, rs := range rows {
		for i, r := range rs {
			ref, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, ref, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWorkbookIsReadAsAWorkbook: an XLSX file, on its own, inside a zip
// or a tar.gz, or on standard input, is read as a workbook (every sheet,
// its rows through the table classifier), not walked as a zip of XML parts;
// every login it yields can be looked up.
func TestWorkbookIsReadAsAWorkbook(t *testing.T) {
	wb := workbook(t)
	dir := t.TempDir()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for name, data := range map[string][]byte{"dump/users.xlsx": wb, "dump/readme.txt": []byte("wb.carol@example.org:P@ss:w0rd\n")} {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	tw.WriteHeader(&tar.Header{Name: "users.xlsx", Mode: 0o600, Size: int64(len(wb)), Typeflag: tar.TypeReg})
	tw.Write(wb)
	tw.Close()
	logins := []string{"wb.alice@example.com", "wb.bob@example.net", "wb_jdoe"}
	for i, tc := range []struct {
		name, path string
		stdin      []byte
		imported   string
		logins     []string
	}{
		{"file", writeFile(t, dir, "users.xlsx", wb), nil, "users.xlsx", logins},
		{"file without extension", writeFile(t, dir, "export", wb), nil, "export", logins},
		{"in a zip", writeFile(t, dir, "dump.zip", zb.Bytes()), nil, "dump.zip!dump/users.xlsx", append(slices.Clone(logins), "wb.carol@example.org")},
		{"in a tar.gz", writeFile(t, dir, "dump.tar.gz", gzipped(t, tb.Bytes())), nil, "dump.tar.gz!users.xlsx", logins},
		{"stdin", "-", wb, "<stdin>", logins},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			name := "Workbook" + string(rune('A'+i))
			o := opts(name)
			if tc.stdin != nil {
				o.Stdin = bytes.NewReader(tc.stdin)
			}
			sum, err := Import(ctx, f.st, f.kr, []string{tc.path}, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Failed) > 0 || sum.QuarantinedTotal() > 0 {
				t.Errorf("failed %v, quarantined %v", sum.Failed, sum.Quarantined)
			}
			found := false
			for _, im := range sum.Imported {
				found = found || bytes.HasSuffix([]byte(im), []byte(tc.imported))
			}
			if !found {
				t.Errorf("imported %v, want %s among them", sum.Imported, tc.imported)
			}
			x := exposure.New(f.st, f.kr)
			for _, l := range tc.logins {
				bs, err := x.AccountBreaches(ctx, l, exposure.Public)
				if err != nil || len(bs) != 1 || bs[0].Name != name {
					t.Errorf("login %q: %v, %v", l, bs, err)
				}
			}
			if n, err := x.PasswordCount(ctx, []byte("Winter2023!")); err != nil || n != 1 {
				t.Errorf("password count %d, %v", n, err)
			}
		})
	}
}

// TestDryRunDescribesAWorkbook: a dry run shows a workbook's format, why,
// and the columns of its first sheet with their reasons.
func TestDryRunDescribesAWorkbook(t *testing.T) {
	p := writeFile(t, t.TempDir(), "users.xlsx", workbook(t))
	rep, err := DryRun(ctx, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 1 {
		t.Fatalf("%d files", len(rep.Files))
	}
	fr := rep.Files[0]
	if fr.Format != leakparse.FormatXLSX || fr.Reason == "" || fr.Records != 3 {
		t.Errorf("format %s, reason %q, %d records", fr.Format, fr.Reason, fr.Records)
	}
	var got []string
	for _, c := range fr.Columns {
		got = append(got, c.Label+"="+c.Name)
		if c.Why == "" {
			t.Errorf("column %s has no reason", c.Label)
		}
	}
	want := []string{"1 id=Other data", "2 email=Email addresses", "3 password=Passwords", "4 full_name=Names"}
	if !slices.Equal(got, want) {
		t.Errorf("columns %v, want %v", got, want)
	}
}
