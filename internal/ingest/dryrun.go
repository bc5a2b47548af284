package ingest

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// dryRunLines is how much of each file a dry run parses for quarantine.
const dryRunLines = 10000

// errEnough stops a dry run's parse early.
var errEnough = errors.New("enough")

// Report is what a dry run learnt: what Import would make of each file.
type Report struct {
	Files   []FileReport `json:"files"`
	Ignored int          `json:"ignored"` // non-credential files of stealer log folders
	Skipped []Skip       `json:"skipped"`
	Failed  []Failure    `json:"failed"`
}

// FileReport describes one leak file. It never holds a raw value: samples
// are masked.
type FileReport struct {
	Name      string             `json:"name"`
	Error     string             `json:"error,omitempty"` // why it would not be read (no leak, ...)
	Format    leakparse.Format   `json:"format,omitempty"`
	Encoding  leakparse.Encoding `json:"encoding,omitempty"`
	Delimiter string             `json:"delimiter,omitempty"`
	// Reason says why the file was read as Format ("first line is a CSV
	// header naming 3 known columns (...)", "--format csv given").
	Reason  string         `json:"reason,omitempty"`
	Header  []string       `json:"header,omitempty"`
	Columns []ColumnReport `json:"columns,omitempty"`
	// Records and Quarantined count what the first lines gave.
	Records     int64 `json:"records"`
	Quarantined int64 `json:"quarantined"`
	Lines       int64 `json:"lines_sampled"`
	// FirstQuarantined holds the first few quarantined lines' numbers and
	// reasons.
	FirstQuarantined []QuarantineReport `json:"first_quarantined,omitempty"`
}

// ColumnReport is one column (or record position) and its class.
type ColumnReport struct {
	Label  string            `json:"label"` // 1-based index and name
	Class  catalog.DataClass `json:"-"`
	Name   string            `json:"class"`
	Sample string            `json:"sample,omitempty"` // masked
	// Why says why the column has its class: "--map 3", `name "email"
	// says email`, "48 of 50 values are emails".
	Why string `json:"why,omitempty"`
}

// QuarantineReport is one quarantined line of a dry run.
type QuarantineReport struct {
	Line   int64            `json:"line"`
	Reason leakparse.Reason `json:"reason"`
}

// DryRun describes what Import would make of each file (format, encoding,
// delimiter, header, the class of each column with a masked sample, and
// the first quarantine reasons) and writes nothing.
func DryRun(ctx context.Context, paths []string, opts Options) (*Report, error) {
	opts.defaults()
	x := expand(paths, opts.Stdin, opts.Exclude)
	rep := &Report{Ignored: x.ignored, Skipped: x.skipped, Failed: x.failed}
	w := &walker{tmpDir: opts.TempDir, maxDepth: opts.MaxDepth, maxRatio: opts.MaxRatio, slack: opts.slack(),
		skip:      func(s Skip) { rep.Skipped = append(rep.Skipped, s) },
		passwords: opts.ArchivePasswords, ignore: func() { rep.Ignored++ },
		fn: func(ctx context.Context, lf leakFile) error {
			rep.Files = append(rep.Files, describe(ctx, lf, opts))
			return nil
		}}
	for _, s := range x.srcs {
		rc, err := s.open(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			rep.Failed = append(rep.Failed, Failure{s.name, err.Error()})
			continue
		}
		w.inPlace(rc, nil)
		err = w.walk(ctx, leakFile{name: s.name, hint: s.name, r: w.source(&inputReader{r: ctxReader{ctx.Done(), rc}, describe: readFailure})}, 0)
		rc.Close()
		var ie *inputError
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return nil, context.Cause(ctx)
		case errors.As(err, &ie):
			rep.Failed = append(rep.Failed, Failure{s.name, ie.msg})
		default:
			return nil, err
		}
	}
	return rep, nil
}

func describe(ctx context.Context, lf leakFile, opts Options) FileReport {
	if ts, ok := lf.r.(*tableSource); ok {
		return describeTable(ctx, lf, ts, opts)
	}
	fr := FileReport{Name: lf.name}
	br, head, err := leakparse.PeekHead(lf.r)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		fr.Error = err.Error()
		return fr
	}
	popts := leakparse.Options{Format: opts.Format, Map: opts.Map, Name: lf.hint, NoHeader: opts.NoHeader, HeaderRow: opts.HeaderRow}
	sn, err := leakparse.Sniff(head, popts)
	if err != nil {
		fr.Error = err.Error()
		return fr
	}
	fr.Format, fr.Encoding, fr.Header, fr.Reason = sn.Format, sn.Encoding, sn.Header, sn.Reason
	if sn.Delimiter != 0 {
		fr.Delimiter = string(sn.Delimiter)
	}
	fr.Columns = columnReports(sn)
	q := &quarantineSampler{rep: &fr}
	popts.Format = sn.Format
	var desc leakparse.Sniffed
	if len(sn.Columns) == 0 {
		// A head shows no columns of a workbook: the parse describes them.
		popts.Describe = &desc
	}
	st, err := leakparse.Parse(ctx, br, popts, q)
	if len(sn.Columns) == 0 && len(desc.Columns) > 0 {
		fr.Header = desc.Header
		fr.Columns = columnReports(desc)
	}
	fr.Lines = min(st.Lines, dryRunLines)
	if err != nil && !errors.Is(err, errEnough) {
		fr.Error = err.Error()
	}
	return fr
}

// columnReports describes the columns of a sniff.
func columnReports(sn leakparse.Sniffed) []ColumnReport {
	var out []ColumnReport
	for i, c := range sn.Columns {
		col := ColumnReport{Label: strconv.Itoa(i + 1), Class: c, Name: c.String()}
		if i < len(sn.Header) {
			col.Label += " " + sn.Header[i]
		}
		if i < len(sn.Samples) {
			col.Sample = sn.Samples[i]
		}
		if i < len(sn.ColumnReasons) {
			col.Why = sn.ColumnReasons[i]
		}
		out = append(out, col)
	}
	return out
}

// quarantineSampler counts what a parse finds and keeps the first reasons.
type quarantineSampler struct{ rep *FileReport }

func (q *quarantineSampler) Record(r *leakparse.Record) error {
	q.rep.Records++
	if r.Line >= dryRunLines {
		return errEnough
	}
	return nil
}

func (q *quarantineSampler) Quarantine(x *leakparse.Quarantine) error {
	q.rep.Quarantined++
	if len(q.rep.FirstQuarantined) < 5 {
		q.rep.FirstQuarantined = append(q.rep.FirstQuarantined, QuarantineReport{x.Line, x.Reason})
	}
	if x.Line >= dryRunLines {
		return errEnough
	}
	return nil
}
