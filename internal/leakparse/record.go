// Package leakparse turns the bytes of a leaked file into records: it sniffs
// the format and text encoding of a file and parses combolists, infostealer
// ULP lines and log folders, CSV/TSV, JSON, NDJSON, MySQL and PostgreSQL
// dumps. It knows nothing of hashing, sealing or storage: callers receive
// each record through a Sink and decide what to keep.
package leakparse

import "github.com/leakwatch/leakwatch/internal/catalog"

// Format names a leak file format.
type Format string

// The formats leakparse understands.
const (
	FormatAuto    Format = "auto"
	FormatCombo   Format = "combo"   // email/username + separator + password or hash
	FormatULP     Format = "ulp"     // URL, login, password (infostealer)
	FormatStealer Format = "stealer" // Passwords.txt blocks of infostealer logs
	FormatCSV     Format = "csv"
	FormatTSV     Format = "tsv"
	FormatJSON    Format = "json"   // a JSON array of objects
	FormatNDJSON  Format = "ndjson" // one JSON object per line
	FormatMySQL   Format = "mysql"  // mysqldump INSERT statements
	FormatPGDump  Format = "pgdump" // pg_dump COPY ... FROM stdin blocks
)

// Field is one classified value of a record.
type Field struct {
	Class catalog.DataClass
	// Value is the field's text, decoded to UTF-8 and trimmed of surrounding
	// white space. It aliases the parser's buffers: valid only during the
	// Sink call that received it.
	Value []byte
}

// Record is one parsed row: the fields of one person/account as found on one
// line (or block) of the input.
type Record struct {
	// Line is the 1-based line number where the record starts in its file.
	Line int64
	// Fields holds the classified values, in input order. A record may hold
	// several fields of one class (two emails, say). A website field
	// holds a host, lower-cased ("login.example.com"), or for an Android
	// app "android://" and its package name.
	Fields []Field
	// Format is the format of the file the record was parsed from, set
	// as the record is passed on: what its fields mean may depend on it
	// (the website of a ULP line or a stealer log is where the
	// credential signs in; a CSV's website column may be a homepage).
	Format Format
}

// Reason is a short, stable, machine-readable code saying why a line was
// quarantined, such as "no-separator" or "bad-quote".
type Reason string

// Quarantine is a piece of input that could not be parsed.
type Quarantine struct {
	Line   int64  // 1-based line number where the bad input starts
	Reason Reason // why it was rejected
	// Raw is the offending input exactly as read (before decoding). It
	// aliases the parser's buffers: valid only during the Sink call.
	Raw []byte
}

// Sink receives what a parser finds. Its methods are called from the parsing
// goroutine, in input order; a non-nil error stops parsing and is returned by
// the parser. The values passed are valid only during the call.
type Sink interface {
	Record(*Record) error
	Quarantine(*Quarantine) error
}
