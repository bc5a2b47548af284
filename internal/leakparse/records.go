package leakparse

// Record formats: files whose entries are sets of named fields (the Format
// constants below). Each has a parser of its own file; they share what is
// here: detection from the head, dispatch, and fieldSet, which turns the
// named fields of one entry into a table row so that names are classified
// by classify.go and values by content, as for CSV and JSON. A field name
// is never an account and never a value.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// The record formats.
const (
	FormatLDIF     Format = "ldif"     // LDAP Data Interchange Format: dn: entries of attributes
	FormatVCard    Format = "vcard"    // BEGIN:VCARD ... END:VCARD address-book cards
	FormatMbox     Format = "mbox"     // mailboxes and message headers: a header block is a record of its addresses
	FormatAutofill Format = "autofill" // infostealer side files: autofill Name/Value pairs, key value lines, system information, cookies
	FormatRedis    Format = "redis"    // redis-cli output: numbered replies, HGETALL field/value pairs
	FormatMongo    Format = "mongo"    // mongo shell output: documents with ObjectId(...), ISODate(...) wrappers
	FormatXML      Format = "xml"      // XML exports: mysqldump --xml, KeePass 2 XML, repeated elements
	FormatHTML     Format = "html"     // HTML <table>s: one record per row
)

// recordFormats are the record formats, in the order Formats lists them.
var recordFormats = []Format{FormatLDIF, FormatVCard, FormatMbox, FormatAutofill, FormatRedis, FormatMongo, FormatXML, FormatHTML}

// Quarantine reasons of the record formats.
const (
	// ReasonBadEntry: a line of an LDIF, vCard, mbox, autofill or
	// redis-cli file that is neither a field of an entry nor structure.
	ReasonBadEntry Reason = "bad-entry"
	// ReasonBadXML: XML that does not parse; the input is read again from
	// the next record element, or quarantined to its end.
	ReasonBadXML Reason = "bad-xml"
)

// parseRecords runs the parser of a record format.
func parseRecords(ctx context.Context, src io.Reader, cfg *config, em *emitter) error {
	switch cfg.format {
	case FormatLDIF:
		return parseLDIF(newLineReader(ctx, src, em), cfg, em)
	case FormatVCard:
		return parseVCard(newLineReader(ctx, src, em), cfg, em)
	case FormatMbox:
		return parseMbox(newLineReader(ctx, src, em), cfg, em)
	case FormatAutofill:
		return parseAutofill(newLineReader(ctx, src, em), cfg, em)
	case FormatRedis:
		return parseRedis(newLineReader(ctx, src, em), cfg, em)
	case FormatMongo:
		return parseMongo(newLineReader(ctx, src, em), cfg, em)
	case FormatXML:
		return parseXML(newByteScanner(ctx, src, em), cfg, em)
	case FormatHTML:
		return parseHTML(newByteScanner(ctx, src, em), cfg, em)
	}
	return fmt.Errorf("unknown format %q", string(cfg.format))
}

// detectRecordsFormat tells whether decoded head text is in one of the
// record formats, and why (a short phrase for a dry run's explanation);
// "" when it is none of them. It runs before the combolist, CSV and JSON
// detectors, which would otherwise take field names for accounts, so it
// claims a file only on explicit markers (BEGIN:VCARD, dn: lines, mail
// headers, shell wrappers, XML/HTML structure) or on a clear majority of
// lines of its shape.
func detectRecordsFormat(text []byte, name string) (Format, string) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	ext := path.Ext(base)
	lines := headLines(text, 400)
	if len(lines) == 0 {
		return "", ""
	}
	if f, why := detectMarkup(text, lines[0]); f != "" {
		return f, why
	}
	if f, why := detectVCard(lines, ext); f != "" {
		return f, why
	}
	if f, why := detectLDIF(lines, ext); f != "" {
		return f, why
	}
	if f, why := detectMbox(lines, ext); f != "" {
		return f, why
	}
	if f, why := detectMongo(text, lines); f != "" {
		return f, why
	}
	if f, why := detectRedis(lines); f != "" {
		return f, why
	}
	return detectAutofill(lines, base)
}

// withNames returns a copy of cfg that knows a format's own field names
// (the caller's --map wins over them).
func withNames(cfg *config, names map[string]catalog.DataClass) *config {
	c := *cfg
	c.fieldNames = names
	return &c
}

// nameClasses builds a format's table of field names: lower-case names to
// classes, ClassUnknown for fields to drop.
func nameClasses(groups map[catalog.DataClass]string) map[string]catalog.DataClass {
	m := map[string]catalog.DataClass{}
	for c, names := range groups {
		for _, n := range strings.Fields(names) {
			m[n] = c
		}
	}
	return m
}

// fieldClass classifies a field name as a table of cfg would: the column
// map (with the format's names), else the name itself.
func fieldClass(cfg *config, name []byte) (catalog.DataClass, bool) {
	var tmp [64]byte
	lower := strings.ToLower(string(name))
	if len(name) <= len(tmp) {
		lower = string(appendLower(tmp[:0], name))
	}
	if c, ok := cfg.mapName[lower]; ok {
		return c, true
	}
	if c, ok := cfg.fieldNames[lower]; ok {
		return c, true
	}
	return classifyPath(string(name))
}

// fieldSet gathers the named fields of one entry and passes them to a
// table as a row whose columns are the field names, so that they are
// classified by name (and by content where the name says nothing) and
// refined like the columns of a CSV file or the keys of a JSON object.
//
// Quarantines of lines inside an entry go through quarantine, which ends
// the entry first: events stay in input order.
type fieldSet struct {
	tab   *table
	open  bool
	line  int64
	raw   []byte // the entry as read, up to maxBlock bytes (a quarantine shows no more)
	vals  []byte
	spans []int // column, start, end triples into vals
	cells []cell
	over  bool // the values passed MaxLine bytes: the entry is quarantined as too-long
	// Lines of the entry that are not fields, quarantined after it.
	bad     []savedLine
	badSize int
}

func newFieldSet(tab *table) *fieldSet { return &fieldSet{tab: tab} }

// begin starts an entry at line n (ending the open one is the caller's
// job).
func (f *fieldSet) begin(n int64) {
	f.open, f.line, f.over = true, n, false
	f.raw, f.vals, f.spans = f.raw[:0], f.vals[:0], f.spans[:0]
}

// ensure begins an entry at line n unless one is open.
func (f *fieldSet) ensure(n int64) {
	if !f.open {
		f.begin(n)
	}
}

// addRaw appends a line of input to the entry's raw text.
func (f *fieldSet) addRaw(raw []byte) {
	if room := maxBlock - len(f.raw); room > 0 {
		if len(f.raw) > 0 {
			f.raw = append(f.raw, '\n')
			room--
		}
		f.raw = append(f.raw, raw[:min(len(raw), max(room, 0))]...)
	}
}

// add adds a field to the open entry; an empty value is no field.
func (f *fieldSet) add(key, val []byte) {
	val = trim(val)
	if len(val) == 0 || len(key) == 0 {
		return
	}
	if len(f.vals)+len(val) > MaxLine {
		f.over = true
		return
	}
	col := f.tab.column(key)
	for i := 0; i < len(f.spans); i += 3 {
		if f.spans[i] == col && bytes.Equal(f.vals[f.spans[i+1]:f.spans[i+2]], val) {
			return // the same value again (cn and cn;lang-de)
		}
	}
	off := len(f.vals)
	f.vals = append(f.vals, val...)
	f.spans = append(f.spans, col, off, len(f.vals))
}

// end passes the open entry on: as a row of the table, or quarantined as
// too-long. An entry without fields is passed too: the table quarantines
// it as holding nothing worth keeping.
func (f *fieldSet) end() error {
	if !f.open {
		return nil
	}
	f.open = false
	var err error
	if f.over {
		err = f.tab.quarantine(f.line, ReasonTooLong, f.raw)
	} else {
		f.cells = f.cells[:0]
		for i := 0; i < len(f.spans); i += 3 {
			f.cells = append(f.cells, cell{col: f.spans[i], val: f.vals[f.spans[i+1]:f.spans[i+2]]})
		}
		err = f.tab.add(f.line, f.raw, f.cells)
	}
	for _, b := range f.bad {
		if err == nil {
			err = f.tab.quarantine(b.n, ReasonBadEntry, b.raw)
		}
	}
	f.bad, f.badSize = f.bad[:0], 0
	return err
}

// quarantine ends the open entry and quarantines a piece of input.
func (f *fieldSet) quarantine(n int64, reason Reason, raw []byte) error {
	if err := f.end(); err != nil {
		return err
	}
	return f.tab.quarantine(n, reason, raw)
}

// badLine quarantines a line of the open entry that is not a field of it,
// after the entry (so that events stay in input order and the entry stays
// whole). When the entry holds too many such lines it ends there.
func (f *fieldSet) badLine(n int64, raw []byte) error {
	if f.open && n == f.line {
		// The entry would be this line alone: it is only the quarantine.
		f.open, f.bad, f.badSize = false, f.bad[:0], 0
	}
	if !f.open || f.badSize+len(raw) > maxBlock {
		return f.quarantine(n, ReasonBadEntry, raw)
	}
	f.bad = append(f.bad, savedLine{n: n, raw: append([]byte(nil), raw...)})
	f.badSize += len(raw)
	return nil
}

// finish ends the open entry and the table's warm-up, and tells Sniff
// about the table.
func (f *fieldSet) finish(cfg *config) error {
	if err := f.end(); err != nil {
		return err
	}
	if cfg.sniff != nil {
		cfg.sniff.setTable(f.tab)
	}
	return f.tab.flush()
}

// lineLabel splits a "Label: value" line: a label of at most maxLabel
// bytes of letters, digits, spaces and _-./ before the first ':'. ok is
// false when the line has no such label.
func lineLabel(s []byte, maxLabel int) (label, val []byte, ok bool) {
	i := indexByte(s, ':')
	if i <= 0 || i > maxLabel {
		return nil, nil, false
	}
	label = trim(s[:i])
	if len(label) == 0 {
		return nil, nil, false
	}
	for _, c := range label {
		if !(isLetter(c) || isDigit(c) || c == ' ' || c == '_' || c == '-' || c == '.' || c == '/' || c >= 0x80) {
			return nil, nil, false
		}
	}
	return label, trim(s[i+1:]), true
}

func init() {
	for _, f := range recordFormats {
		registerReason(f, func(text []byte, cfg *config) string {
			_, why := detectRecordsFormat(text, cfg.name)
			return why
		})
	}
}
