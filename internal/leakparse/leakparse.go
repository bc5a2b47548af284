package leakparse

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Limits of the parsers. Memory use of a parse is bounded by a small
// multiple of these, whatever the input.
const (
	// SniffSize is how many bytes of a file's head Sniff looks at.
	SniffSize = 64 << 10
	// MaxLine is the longest line (or record, tuple, JSON element) kept; a
	// longer one is quarantined as "too-long".
	MaxLine = 1 << 20
	// maxRawTooLong is how much of a too-long input a Quarantine carries.
	maxRawTooLong = 4 << 10
	// readBufSize is the largest line buffer: a line of MaxLine bytes plus
	// CR LF fits.
	readBufSize = MaxLine + 2
)

// Encoding names the text encoding of a leak file.
type Encoding string

// The encodings leakparse reads. Everything is decoded to UTF-8.
const (
	EncodingUTF8    Encoding = "utf-8"
	EncodingUTF16LE Encoding = "utf-16le"
	EncodingUTF16BE Encoding = "utf-16be"
	// EncodingLatin1 means UTF-8 text some of whose lines (or values) are
	// not valid UTF-8 and were decoded as Windows-1252, the superset of
	// Latin-1 that legacy Windows software writes.
	EncodingLatin1 Encoding = "latin-1"
)

// ErrNotALeak is returned, wrapped with the reason ("PNG image", "ZIP
// archive", "binary data", ...), when the input is not a text file a leak
// could be parsed from. Callers test for it with errors.Is.
var ErrNotALeak = errors.New("not a leak file")

// Options control a parse.
type Options struct {
	// Format selects the parser; "" or FormatAuto sniffs the head.
	Format Format
	// Map assigns data classes to columns, overriding classification. A
	// key is a column name, compared case-insensitively (for JSON the
	// dotted key path, such as "address.city"), or a 1-based column index
	// such as "3" (CSV, TSV, MySQL and PostgreSQL). catalog.ClassUnknown
	// drops the column.
	Map map[string]catalog.DataClass
	// Name is the file's name, used as a sniffing hint (".csv", ".sql",
	// "Passwords.txt") and in error messages.
	Name string
	// NoHeader says that CSV/TSV input has no header row: every row is
	// data (lines read again from the quarantine, one at a time).
	NoHeader bool
	// HeaderRow says that the first row of CSV/TSV input (and of an XLSX
	// sheet) is a header, whatever its names: the operator's word for a
	// header that names no column leakparse knows. NoHeader wins.
	HeaderRow bool
	// Describe, when not nil, is given by Parse the header, column
	// classes, reasons and masked samples of the first table it reads,
	// as Sniff gives them from a head: for inputs whose columns a head
	// cannot show (workbooks). Its other fields are left as they are.
	Describe *Sniffed
}

// Sniffed is what Sniff learnt from the head of a file.
type Sniffed struct {
	Format   Format
	Encoding Encoding
	// Delimiter separates fields for combo, ULP, CSV and TSV files (the
	// most common one for combolists); 0 otherwise.
	Delimiter byte
	// Header holds the column names when the format has them: the CSV
	// header, JSON keys in order of appearance, the SQL or COPY column list.
	Header []string
	// Columns is the data class chosen for each column (for line formats,
	// each position of a record; for stealer logs, each class found).
	Columns []catalog.DataClass
	// Samples holds, per column, a sample value masked with Mask; "" when
	// the head held no value for the column. Never a raw value.
	Samples []string
	// Reason says in words why the file was read as Format: "first line is
	// a CSV header naming 3 known columns (email, password, phone)", "42 of
	// 50 lines are login:password". Set by Sniff (not by Parse).
	Reason string
	// ColumnReasons says, per column, why it has its class: "--map",
	// `name "user_email" says email`, "48 of 50 values are emails".
	ColumnReasons []string
}

// Stats counts what a parse saw.
type Stats struct {
	// Lines is the number of lines read (a final line without a newline
	// counts).
	Lines int64
	// Records is the number of records passed to Sink.Record.
	Records int64
	// Quarantined is the number of Sink.Quarantine calls.
	Quarantined int64
	// Ignored counts lines of line-oriented formats (combo, ULP, stealer,
	// CSV, TSV, NDJSON, PostgreSQL) that were skipped as blank, as comment
	// or as structure (a CSV header, SQL outside COPY blocks, block
	// separators). For those formats Records+Quarantined+Ignored equals
	// Lines, except that records spanning several lines count once.
	Ignored int64
	// Format is the format parsed.
	Format Format
	// Encoding is the sniffed encoding, or EncodingLatin1 when some UTF-8
	// line needed the Windows-1252 fallback.
	Encoding Encoding
}

// formats lists the concrete formats, for validation.
var formats = append([]Format{FormatCombo, FormatULP, FormatStealer, FormatCSV, FormatTSV, FormatJSON, FormatNDJSON, FormatMySQL, FormatPGDump}, recordFormats...)

// Formats returns the formats Parse reads (FormatAuto aside).
func Formats() []Format { return slices.Clone(formats) }

// config is the resolved form of Options a parser runs with.
type config struct {
	format    Format
	noHeader  bool
	headerRow bool
	delim     byte
	name      string
	mapIdx    map[int]catalog.DataClass
	mapName   map[string]catalog.DataClass
	// fieldNames are the field names of a record format (LDIF's mail,
	// vCard's EMAIL): known, but not the user's --map.
	fieldNames map[string]catalog.DataClass
	sniff      *sniffCollector // non-nil when parsing a head for Sniff
	escapes    bool            // delimited values with backslash escapes (see backslashEscaped)
}

func newConfig(opts Options) (*config, error) {
	cfg := &config{format: opts.Format, name: opts.Name, noHeader: opts.NoHeader, headerRow: opts.HeaderRow && !opts.NoHeader}
	if cfg.format == "" {
		cfg.format = FormatAuto
	}
	if cfg.format != FormatAuto && !validFormat(cfg.format) {
		return nil, fmt.Errorf("unknown format %q", string(opts.Format))
	}
	for k, c := range opts.Map {
		key := strings.ToLower(strings.TrimSpace(k))
		if key == "" {
			return nil, errors.New("column map: empty column name")
		}
		if n, err := strconv.Atoi(key); err == nil {
			if n < 1 {
				return nil, fmt.Errorf("column map: column index %d out of range", n)
			}
			if cfg.mapIdx == nil {
				cfg.mapIdx = map[int]catalog.DataClass{}
			}
			cfg.mapIdx[n] = c
			continue
		}
		if cfg.mapName == nil {
			cfg.mapName = map[string]catalog.DataClass{}
		}
		cfg.mapName[key] = c
	}
	return cfg, nil
}

func validFormat(f Format) bool {
	for _, g := range formats {
		if f == g {
			return true
		}
	}
	return false
}

// Parse reads a leak file from r and passes each record, and each piece of
// input it cannot parse, to sink, in input order. When opts.Format is auto
// it sniffs the head first and returns the wrapped ErrNotALeak if the input
// is not a leak file. UTF-16 input (with a byte order mark) is transcoded
// as it streams, so the Raw of its quarantines is UTF-8.
//
// Parse never holds more than a few MaxLine-sized buffers, checks ctx
// regularly, and returns the first error of r or sink (the sink's as is,
// r's with the line it stopped at). Errors do not name the input: callers
// do, once.
func Parse(ctx context.Context, r io.Reader, opts Options, sink Sink) (Stats, error) {
	var st Stats
	cfg, err := newConfig(opts)
	if err != nil {
		return st, err
	}
	br, head, err := PeekHead(r)
	var in io.Reader = br
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		if len(head) == 0 {
			return st, err
		}
		// The input fails within its head (a short truncated file): what
		// was read is parsed, then the error is returned.
		in = io.MultiReader(bytes.NewReader(head), errorReader{err})
	}
	sn, info, err := sniff(head, cfg, false)
	if err != nil {
		return st, err
	}
	st.Format, st.Encoding = sn.Format, sn.Encoding
	if info.bomLen > 0 {
		if _, err := io.CopyN(io.Discard, in, int64(info.bomLen)); err != nil {
			return st, err
		}
	}
	src := in
	if info.utf16 {
		src = newUTF16Reader(in, info.bigEndian)
	}
	cfg.format = sn.Format
	cfg.delim = sn.Delimiter
	em := &emitter{ctx: ctx, sink: sink, st: &st}
	describeStart(cfg, opts)
	err = run(ctx, src, cfg, em)
	describeEnd(cfg, opts)
	if em.latin1 && st.Encoding == EncodingUTF8 {
		st.Encoding = EncodingLatin1
	}
	return st, err
}

// PeekHead returns a reader of r's input from its start and, without
// consuming it, the head Sniff decides the input's format from: its first
// SniffSize bytes or all of a shorter input. When those bytes hold no line
// end, a first line longer than SniffSize (a banner, a blob) would be all
// Sniff saw, cut, so the head goes on to the first line end within
// MaxLine and SniffSize bytes past it, and Sniff reads the lines after
// the long one. Errors are those of bufio.Reader.Peek; io.EOF and
// bufio.ErrBufferFull come with a usable head.
func PeekHead(r io.Reader) (*bufio.Reader, []byte, error) {
	br := bufio.NewReaderSize(r, SniffSize)
	head, err := br.Peek(SniffSize)
	if len(head) < SniffSize || bytes.IndexByte(head, '\n') >= 0 {
		return br, head, err
	}
	// Rare: a larger buffer only for inputs that need it.
	big := bufio.NewReaderSize(br, readBufSize+SniffSize)
	head, err = big.Peek(readBufSize + SniffSize)
	return big, head, err
}

// errorReader fails every read with err.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

// run dispatches to the parser of cfg.format.
func run(ctx context.Context, src io.Reader, cfg *config, em *emitter) error {
	var err error
	switch cfg.format {
	case FormatLDIF, FormatVCard, FormatMbox, FormatAutofill, FormatRedis, FormatMongo, FormatXML, FormatHTML:
		err = parseRecords(ctx, src, cfg, em)
	case FormatXLSX:
		return parseXLSX(src, cfg, em)
	case FormatSQLite:
		return parseSQLite(ctx, src, cfg, em)
	case FormatTextTable:
		err = parseTextTable(newLineReader(ctx, src, em), cfg, em)
	case FormatCombo:
		err = parseCombo(newLineReader(ctx, src, em), em)
	case FormatList, FormatPotfile, FormatAdobe:
		err = parseComboFamily(newLineReader(ctx, src, em), cfg, em)
	case FormatULP:
		err = parseULP(newLineReader(ctx, src, em), em)
	case FormatStealer:
		err = parseStealer(newLineReader(ctx, src, em), em)
	case FormatCSV, FormatTSV:
		delim := cfg.delim
		if cfg.format == FormatTSV {
			delim = '\t'
		}
		if delim == 0 {
			delim = ','
		}
		err = parseCSV(newLineReader(ctx, src, em), cfg, em, delim)
	case FormatNDJSON:
		err = parseNDJSON(newLineReader(ctx, src, em), cfg, em)
	case FormatJSON:
		err = parseJSON(newByteScanner(ctx, src, em), cfg, em)
	case FormatMySQL:
		err = parseMySQL(newByteScanner(ctx, src, em), cfg, em)
	case FormatMSSQL:
		err = parseTSQL(newByteScanner(ctx, src, em), cfg, em)
	case FormatPGDump:
		err = parsePGDump(newLineReader(ctx, src, em), cfg, em)
	default:
		return fmt.Errorf("unknown format %q", string(cfg.format))
	}
	if err != nil && !em.sinkErr && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("line %d: %w", em.lastLine, err)
	}
	return err
}

// emitter passes records and quarantines to the sink and keeps the counts.
type emitter struct {
	ctx      context.Context
	sink     Sink
	st       *Stats
	q        Quarantine
	latin1   bool  // a Windows-1252 fallback decode happened
	sinkErr  bool  // the error being returned came from the sink
	lastLine int64 // line of the last event or read, for error messages
}

func (e *emitter) record(r *Record) error {
	e.st.Records++
	e.lastLine = r.Line
	r.Format = e.st.Format
	if err := e.sink.Record(r); err != nil {
		e.sinkErr = true
		return err
	}
	return nil
}

func (e *emitter) quarantine(line int64, reason Reason, raw []byte) error {
	e.st.Quarantined++
	e.lastLine = line
	e.q = Quarantine{Line: line, Reason: reason, Raw: raw}
	if err := e.sink.Quarantine(&e.q); err != nil {
		e.sinkErr = true
		return err
	}
	return nil
}

// Quarantine reasons.
const (
	ReasonNoSeparator   Reason = "no-separator"   // a combo or ULP line with no field separator
	ReasonEmptyLogin    Reason = "empty-login"    // nothing before the separator
	ReasonEmptyPassword Reason = "empty-password" // nothing after the login
	ReasonNoURL         Reason = "no-url"         // a ULP line that does not start with a URL or host
	ReasonBadQuote      Reason = "bad-quote"      // a CSV quoted field that never closes
	ReasonColumnCount   Reason = "column-count"   // a row with more fields than the header
	ReasonBadJSON       Reason = "bad-json"       // invalid or truncated JSON
	ReasonBadTuple      Reason = "bad-tuple"      // an SQL tuple that does not parse
	ReasonTooLong       Reason = "too-long"       // a line, record or tuple over MaxLine bytes
	ReasonBinary        Reason = "binary"         // a line holding NUL bytes
	ReasonNoIdentifier  Reason = "no-identifier"  // a record with nothing worth keeping
	ReasonNoFields      Reason = "no-fields"      // a stealer block with no known label
)
