// Package leakgen generates realistic synthetic leaks, deterministically:
// combolists, infostealer ULP lines and log folders, customer-record dumps
// in CSV/TSV, JSON, NDJSON, MySQL and PostgreSQL form, with the mess real
// leaks have (mixed separators, hashes instead of passwords, odd letter
// case, Latin-1 rows in UTF-8 files, junk lines). Tests, the demo and the
// benchmarks use it so that no large test file needs to be committed.
//
// Everything generated is invented: common first and family names from
// several cultures, e-mail addresses at real mail providers and invented
// companies, random numbers in the shape of phone numbers and national IDs.
//
// Output depends only on Options: the same Options give byte-identical
// output on every machine. Row i of every format describes person i of
// People(Options.Seed), so tests can check a parser's output against the
// people that went in.
package leakgen

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// Options say what to generate.
type Options struct {
	// Format is the leak format; see Formats. GenerateStealerTree accepts
	// only leakparse.FormatStealer or "".
	Format leakparse.Format
	// Rows is the number of records: lines of a combolist, rows of a
	// table, credential blocks of an infostealer log.
	Rows int64
	// Seed selects the people and every other random choice.
	Seed uint64
	// JunkEvery, when positive, makes every JunkEvery-th item (record or
	// junk line) an unparseable junk line of a kind the format's parser
	// should quarantine: binary garbage, a line without separator, a
	// truncated object, a row with the wrong number of fields. Junk lines
	// come on top of Rows. It must be 0 or at least 2.
	JunkEvery int64
}

// Stats count what was generated.
type Stats struct {
	Rows      int64 // records written
	JunkLines int64 // junk lines written (each junk item is one line)
	Bytes     int64 // bytes written, including headers and junk
}

// Formats returns the formats Generate supports.
func Formats() []leakparse.Format {
	return []leakparse.Format{
		leakparse.FormatCombo, leakparse.FormatULP, leakparse.FormatStealer,
		leakparse.FormatCSV, leakparse.FormatTSV, leakparse.FormatJSON, leakparse.FormatNDJSON,
		leakparse.FormatMySQL, leakparse.FormatPGDump,
	}
}

func (o *Options) validate() error {
	known := false
	for _, f := range Formats() {
		known = known || o.Format == f
	}
	if !known {
		return fmt.Errorf("leakgen: unsupported format %q", o.Format)
	}
	if o.Rows < 0 {
		return errors.New("leakgen: negative row count")
	}
	if o.JunkEvery < 0 || o.JunkEvery == 1 {
		return errors.New("leakgen: junk interval must be 0 or at least 2")
	}
	return nil
}

// Generate writes opts.Rows records in opts.Format to w, plus the format's
// header and trailer and the junk lines opts.JunkEvery asks for. It buffers
// its output and writes to w in large chunks. It stops early with ctx's
// error when ctx is cancelled. On error, Stats count what was written.
//
// The formats:
//
//   - combo: "email:password" lines; separators mostly ':', some ';', '|',
//     tab and space; about 3% of lines show a hash (Person.Hash) instead of
//     the password, 5% a username instead of the e-mail address, a few an
//     address in upper or mixed case or with spaces around it.
//   - ulp: "url:login:password" lines of infostealer logs, with ports, IP
//     hosts, missing schemes and android:// URLs; ':' '|' or ' ' separators.
//   - stealer: Passwords.txt blocks of four stealer families.
//   - csv: customer records with header, UTF-8 BOM, CRLF line ends, quoted
//     fields with commas, quotes and line breaks; some rows in Latin-1.
//   - tsv: the same records tab separated, LF line ends, no BOM.
//   - json: one array of nested objects, one object per line.
//   - ndjson: the same objects, one per line.
//   - mysql: a mysqldump file with extended INSERTs of 500 rows, \' escapes,
//     NULLs and a --hex-blob column; the password column holds the MD5 hex
//     of Person.Password.
//   - pgdump: a pg_dump file with one COPY ... FROM stdin block.
func Generate(ctx context.Context, w io.Writer, opts Options) (Stats, error) {
	if err := opts.validate(); err != nil {
		return Stats{}, err
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	g := newGen(w, opts)
	var err error
	switch opts.Format {
	case leakparse.FormatCombo:
		err = g.combo(ctx)
	case leakparse.FormatULP:
		err = g.loop(ctx, needCredentials, g.ulpRecord, g.lineJunk)
	case leakparse.FormatStealer:
		err = g.loop(ctx, needCredentials, g.stealerRecord, g.stealerJunk)
	case leakparse.FormatCSV, leakparse.FormatTSV:
		err = g.csv(ctx)
	case leakparse.FormatJSON, leakparse.FormatNDJSON:
		err = g.json(ctx)
	case leakparse.FormatMySQL:
		err = g.mysql(ctx)
	case leakparse.FormatPGDump:
		err = g.pgdump(ctx)
	}
	if err == nil {
		err = g.flush()
	}
	return g.stats, err
}

// flushSize is the size of the output buffer.
const flushSize = 256 << 10

// gen is the state of one Generate or GenerateStealerTree call.
type gen struct {
	t     *tables
	opts  Options
	w     io.Writer
	buf   []byte
	stats Stats

	p  row // the current person
	r  rng // how the current row is rendered
	jr rng // the current junk line

	// infostealer logs
	vr         rng // victims, drawn in sequence
	victimLeft int
	family     int
	newVictim  func() error // GenerateStealerTree: switch to the next folder

	// mysql
	insertRows int
	// json
	items int64
}

func newGen(w io.Writer, opts Options) *gen {
	g := &gen{t: getTables(), opts: opts, w: w, buf: make([]byte, 0, flushSize+64<<10)}
	g.vr.reset(rowKey(opts.Seed, 0), streamVictim)
	return g
}

func (g *gen) flush() error {
	if len(g.buf) == 0 {
		return nil
	}
	n, err := g.w.Write(g.buf)
	g.stats.Bytes += int64(n)
	if err == nil && n < len(g.buf) {
		err = io.ErrShortWrite
	}
	g.buf = g.buf[:0]
	if err != nil {
		return fmt.Errorf("leakgen: writing %s output: %w", g.opts.Format, err)
	}
	return nil
}

// loop writes the items: records, and junk where opts.JunkEvery asks for
// it. Before record is called, g.p holds person i (with the parts need
// asks for) and g.r is seeded for the row's rendering choices; before junk
// is called, g.jr is seeded for the junk line.
func (g *gen) loop(ctx context.Context, need int, record func(i int64) error, junk func()) error {
	var item int64
	for i := int64(0); i < g.opts.Rows; {
		item++
		if je := g.opts.JunkEvery; je > 0 && item%je == 0 {
			g.jr.reset(rowKey(g.opts.Seed, item), streamJunk)
			junk()
			g.stats.JunkLines++
		} else {
			g.p.fill(g.t, g.opts.Seed, i, need)
			g.r.reset(g.p.key, streamFormat)
			if err := record(i); err != nil {
				return err
			}
			g.stats.Rows++
			i++
		}
		if len(g.buf) >= flushSize {
			if err := g.flush(); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// fileRNG returns a source for per-file choices such as dump dates.
func (g *gen) fileRNG() *rng {
	var r rng
	r.reset(rowKey(g.opts.Seed, -1), streamFile)
	return &r
}
