package leakparse

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/xuri/excelize/v2"
)

// buildWorkbook makes an XLSX workbook of the "sheet:NAME" files of a
// golden archive, one sheet each, in order. A file's lines are rows of
// tab-separated cells: a number is stored as a number (unless it starts
// with 0), "date:2006-01-02" as a date shown yyyy-mm-dd, "'text" as the
// text, anything else as a string.
func buildWorkbook(t testing.TB, ar *txtar.Archive) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")})
	if err != nil {
		t.Fatal(err)
	}
	first := true
	for _, file := range ar.Files {
		name, ok := strings.CutPrefix(file.Name, "sheet:")
		if !ok {
			continue
		}
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, line := range strings.Split(strings.TrimSuffix(string(file.Data), "\n"), "\n") {
			for c, v := range strings.Split(line, "\t") {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				var val any = v
				if d, ok := strings.CutPrefix(v, "date:"); ok {
					tm, err := time.Parse("2006-01-02", d)
					if err != nil {
						t.Fatal(err)
					}
					val = tm
					if err := f.SetCellStyle(name, ref, ref, dateStyle); err != nil {
						t.Fatal(err)
					}
				} else if s, ok := strings.CutPrefix(v, "'"); ok {
					val = s
				} else if n, err := strconv.ParseFloat(v, 64); err == nil && !strings.HasPrefix(v, "0") && !strings.HasPrefix(v, "+") && len(v) < 15 {
					val = n
				}
				if err := f.SetCellValue(name, ref, val); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func ptr[T any](v T) *T { return &v }

// TestWorkbookLimits: workbooks that cannot be read in bounded memory, and
// the spreadsheets leakparse does not read, are refused with a hint, never
// walked or half read.
func TestWorkbookLimits(t *testing.T) {
	ar := &txtar.Archive{Files: []txtar.File{{Name: "sheet:Users", Data: []byte("email\tpassword\nalice@example.com\tSummer2024!\n")}}}
	wb := buildWorkbook(t, ar)
	var st Stats
	var err error
	st, err = Parse(context.Background(), bytes.NewReader(wb), Options{Name: "users.xlsx"}, &countSink{})
	if err != nil || st.Format != FormatXLSX || st.Records != 1 {
		t.Fatalf("Parse = %+v, %v", st, err)
	}
	// A zip that is no workbook stays a ZIP archive, not a leak.
	var zb bytes.Buffer
	newZip(&zb, map[string]string{"a.txt": "alice@example.com:pw\n"})
	if _, err := Parse(context.Background(), bytes.NewReader(zb.Bytes()), Options{Name: "x.xlsx"}, &countSink{}); err == nil || !strings.Contains(err.Error(), "ZIP archive") {
		t.Errorf("a zip named .xlsx: %v", err)
	}
	var ods bytes.Buffer
	newZip(&ods, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
	if _, err := Parse(context.Background(), bytes.NewReader(ods.Bytes()), Options{}, &countSink{}); err == nil || !strings.Contains(err.Error(), "OpenDocument") {
		t.Errorf("an OpenDocument spreadsheet: %v", err)
	}
	big := bytes.Repeat([]byte{'x'}, maxWorkbook+10)
	copy(big, wb)
	if _, err := Parse(context.Background(), bytes.NewReader(big), Options{}, &countSink{}); err == nil || !strings.Contains(err.Error(), "save its sheets as CSV") {
		t.Errorf("an oversized workbook: %v", err)
	}
}

// newZip writes a zip archive of the given members (the mimetype first,
// stored).
func newZip(w *bytes.Buffer, members map[string]string) *bytes.Buffer {
	zw := zipWriter(w)
	if m, ok := members["mimetype"]; ok {
		// OpenDocument stores its mimetype first, uncompressed.
		fw, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		fw.Write([]byte(m))
	}
	for name, data := range members {
		if name == "mimetype" {
			continue
		}
		fw, _ := zw.Create(name)
		fw.Write([]byte(data))
	}
	zw.Close()
	return w
}

func zipWriter(w *bytes.Buffer) *zip.Writer { return zip.NewWriter(w) }

// TestCorruptWorkbookQuotesNothing: the error of a workbook whose XML
// breaks inside a cell names the damage, never the cell's text.
func TestCorruptWorkbookQuotesNothing(t *testing.T) {
	ar := &txtar.Archive{Files: []txtar.File{{Name: "sheet:Users", Data: []byte("email\tpassword\nalice@example.com\tSummer2024!\n")}}}
	wb := buildWorkbook(t, ar)
	zr, err := zip.NewReader(bytes.NewReader(wb), int64(len(wb)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	broken := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(data, []byte("Summer2024!")) {
			data = bytes.ReplaceAll(data, []byte("Summer2024!"), []byte("S3cr&tPassw0rd"))
			broken = true
		}
		fw, _ := zw.Create(f.Name)
		fw.Write(data)
	}
	zw.Close()
	if !broken {
		t.Fatal("the password is in no part of the workbook")
	}
	_, err = Parse(context.Background(), bytes.NewReader(out.Bytes()), Options{Name: "users.xlsx"}, &countSink{})
	if err == nil || !strings.Contains(err.Error(), "corrupt XLSX workbook") || strings.Contains(err.Error(), "Passw0rd") {
		t.Errorf("Parse of a workbook broken in a cell: %v", err)
	}
}
