package leakparse

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// FormatXLSX is an Excel workbook (Office Open XML: .xlsx, .xlsm), read
// with github.com/xuri/excelize/v2, every sheet row by row through the
// table classifier, as CSV rows are. Line numbers count the rows of all
// sheets in order.
//
// A workbook is a zip archive of XML parts and must be read whole: zip
// needs random access and excelize reads its input into memory. Memory is
// bounded by refusing (as ErrNotALeak, with a hint to save the sheets as
// CSV) workbooks over maxWorkbook bytes, expanding past maxWorkbookXML, or
// whose shared strings table, which excelize decodes into memory to
// stream rows, is over maxSharedStrings bytes: about maxWorkbook +
// maxWorkbookXML + 8 x maxSharedStrings at most. Everything stays in
// memory: excelize writes no temporary file, so no plaintext reaches the
// disk.
const FormatXLSX Format = "xlsx"

// Limits of a workbook; see FormatXLSX.
const (
	maxWorkbook      = 64 << 20
	maxWorkbookXML   = 128 << 20
	maxSharedStrings = 16 << 20
)

func init() {
	formats = append(formats, FormatXLSX)
}

// IsWorkbook reports whether a zip archive is a spreadsheet workbook, to
// be read as one file (Parse decides its format from the stream: an XLSX
// workbook, or an XLSB or OpenDocument one it refuses with a hint) rather
// than walked as an archive of XML parts.
func IsWorkbook(zr *zip.Reader) bool {
	return workbookKind(zr) != ""
}

// workbookKind names the spreadsheet a zip archive is: "xlsx", "xlsb",
// "ods", or "" when it is none.
func workbookKind(zr *zip.Reader) string {
	var contentTypes, workbook, binary, sheets bool
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		switch {
		case name == "[content_types].xml":
			contentTypes = true
		case name == "xl/workbook.xml":
			workbook = true
		case name == "xl/workbook.bin":
			binary = true
		case strings.HasPrefix(name, "xl/worksheets/"):
			sheets = true
		case name == "mimetype":
			if f.UncompressedSize64 < 128 {
				if rc, err := f.Open(); err == nil {
					b, _ := io.ReadAll(io.LimitReader(rc, 128))
					rc.Close()
					if strings.Contains(string(b), "opendocument.spreadsheet") {
						return "ods"
					}
				}
			}
		}
	}
	switch {
	case binary && contentTypes:
		return "xlsb"
	case workbook || contentTypes && sheets:
		return "xlsx"
	}
	return ""
}

// workbookHead reports why the head of a file is that of a workbook, ""
// when it is not: a zip archive whose first parts (their names are in the
// head) are those of a workbook, or a zip named .xlsx or .xlsm. The archive
// itself, read whole, has the last word (workbookKind).
func workbookHead(head []byte, name string) string {
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return ""
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))
	switch {
	case bytes.Contains(head, []byte("xl/workbook.")) || bytes.Contains(head, []byte("xl/worksheets/")):
		return "a ZIP archive holding an Excel workbook (xl/ parts)"
	case bytes.Contains(head, []byte("opendocument.spreadsheet")):
		return "a ZIP archive holding an OpenDocument spreadsheet"
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xlsb" || ext == ".ods":
		return "a ZIP archive named " + ext
	case bytes.Contains(head, []byte("[Content_Types].xml")) && bytes.Contains(head, []byte("xl/")):
		return "a ZIP archive holding Office Open XML spreadsheet parts"
	}
	return ""
}

// xlsxParser reads the sheets of a workbook.
type xlsxParser struct {
	cfg   *config
	em    *emitter
	line  int64
	cells []cell
	vals  [][]byte
	raw   []byte
}

// parseXLSX parses a workbook read from src (see FormatXLSX).
func parseXLSX(src io.Reader, cfg *config, em *emitter) (err error) {
	data, err := io.ReadAll(io.LimitReader(src, maxWorkbook+1))
	if err != nil {
		return err
	}
	if len(data) > maxWorkbook {
		return notALeak(fmt.Sprintf("XLSX workbook of more than %d MiB, too big to read in bounded memory; save its sheets as CSV", maxWorkbook>>20))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return notALeak("corrupt XLSX workbook (not a zip archive)")
	}
	switch kind := workbookKind(zr); kind {
	case "xlsx":
	case "xlsb":
		return notALeak("XLSB (binary) workbook: not read; save it as XLSX or CSV")
	case "ods":
		return notALeak("OpenDocument spreadsheet: not read; save it as XLSX or CSV")
	default:
		return notALeak("ZIP archive")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		name := strings.ToLower(f.Name)
		if name == "xl/sharedstrings.xml" && f.UncompressedSize64 > maxSharedStrings {
			return notALeak(fmt.Sprintf("XLSX workbook with a shared strings table of more than %d MiB, too big to read in bounded memory; save its sheets as CSV", maxSharedStrings>>20))
		}
	}
	if total > maxWorkbookXML {
		return notALeak(fmt.Sprintf("XLSX workbook expanding to more than %d MiB, too big to read in bounded memory; save its sheets as CSV", maxWorkbookXML>>20))
	}
	defer func() {
		// excelize is a third party reading untrusted input: a panic
		// of it is a corrupt workbook, not a crash of the import.
		if r := recover(); r != nil {
			err = notALeak("corrupt XLSX workbook (its reader failed on it)")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxWorkbookXML,
		UnzipXMLSizeLimit: maxWorkbookXML, // parts stay in memory: no temporary files
	})
	if err != nil {
		return workbookError(err)
	}
	defer f.Close()
	p := &xlsxParser{cfg: cfg, em: em}
	for _, sheet := range f.GetSheetList() {
		if err := p.sheet(f, sheet); err != nil {
			return err
		}
	}
	return nil
}

// headerRows is how many rows above the first one with data a sheet may
// have (a title, a blank line) before its header.
const headerRows = 5

// sheet reads the rows of one sheet into a table of its own: the header is
// the first of its first rows that looks like one.
func (p *xlsxParser) sheet(f *excelize.File, name string) error {
	rows, err := f.Rows(name)
	if err != nil {
		return workbookError(err)
	}
	defer rows.Close()
	var t *table
	seen := 0
	for rows.Next() {
		if err := p.em.ctx.Err(); err != nil {
			return err
		}
		p.line++
		p.em.lastLine, p.em.st.Lines = p.line, p.line
		cols, err := rows.Columns()
		if err != nil {
			return workbookError(err)
		}
		p.row(cols)
		if len(p.raw) == 0 {
			p.em.st.Ignored++
			continue
		}
		if t == nil {
			seen++
			if p.cfg.headerRow || !p.cfg.noHeader && looksLikeHeader(p.vals, p.cfg) {
				names := make([]string, len(p.vals))
				for i, v := range p.vals {
					names[i] = string(trim(v))
				}
				t = newTable(p.cfg, p.em, name, names, false, false)
				p.em.st.Ignored++
				continue
			}
			if seen < headerRows && len(nonEmpty(p.vals)) <= 1 {
				p.em.st.Ignored++ // a title above the header
				continue
			}
			t = newTable(p.cfg, p.em, name, nil, false, false)
			if !p.cfg.noHeader && genericHeader(p.vals) {
				p.em.st.Ignored++ // "Column1, Column2": names that say nothing
				continue
			}
		}
		if p.cfg.sniff != nil {
			p.cfg.sniff.setTable(t) // the first table with rows
		}
		t.ensure(len(p.vals))
		p.cells = p.cells[:0]
		for i, v := range p.vals {
			p.cells = append(p.cells, cell{col: i, val: v})
		}
		if err := t.add(p.line, p.raw, p.cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return workbookError(err)
	}
	if t != nil {
		return t.flush()
	}
	return nil
}

// row keeps a row's cells as values, and its raw form (the cells joined by
// tabs, empty for an empty row) for a quarantine.
func (p *xlsxParser) row(cols []string) {
	p.raw, p.vals = p.raw[:0], p.vals[:0]
	empty := true
	for _, c := range cols {
		empty = empty && strings.TrimSpace(c) == ""
	}
	if empty {
		return
	}
	offs := make([]int, 0, len(cols)+1)
	for i, c := range cols {
		if i > 0 {
			p.raw = append(p.raw, '\t')
		}
		offs = append(offs, len(p.raw))
		p.raw = append(p.raw, c...)
	}
	for i := range cols {
		p.vals = append(p.vals, p.raw[offs[i]:offs[i]+len(cols[i])])
	}
}

func nonEmpty(vals [][]byte) [][]byte {
	var out [][]byte
	for _, v := range vals {
		if len(trim(v)) > 0 {
			out = append(out, v)
		}
	}
	return out
}

// describeStart prepares a parse to fill opts.Describe.
func describeStart(cfg *config, opts Options) {
	if opts.Describe != nil && cfg.sniff == nil {
		cfg.sniff = &sniffCollector{}
	}
}

// describeEnd fills opts.Describe from the first table the parse read.
func describeEnd(cfg *config, opts Options) {
	if opts.Describe == nil || cfg.sniff == nil || cfg.sniff.tab == nil {
		return
	}
	d := opts.Describe
	d.Header, d.Columns, d.Samples, d.ColumnReasons = cfg.sniff.tab.schema()
}

// workbookError describes why a workbook cannot be read without quoting
// it: the XML decoder's messages quote the text they stop at, which may
// be a cell's value (a password). Only the kind of damage and its line
// are told.
func workbookError(err error) error {
	var se *xml.SyntaxError
	switch {
	case errors.As(err, &se):
		return notALeak(fmt.Sprintf("corrupt XLSX workbook: XML syntax error on line %d", se.Line))
	}
	for _, zerr := range []error{zip.ErrFormat, zip.ErrChecksum, zip.ErrAlgorithm} {
		if errors.Is(err, zerr) {
			return notALeak("corrupt XLSX workbook: " + zerr.Error())
		}
	}
	return notALeak("corrupt XLSX workbook")
}
