package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// dryRunLines is how much of each file a dry run parses for quarantine.
const dryRunLines = 10000

// errEnough stops a dry run's parse early.
var errEnough = errors.New("enough")

// DryRun describes what Import would make of each file (format, encoding,
// delimiter, header, the class of each column with a masked sample, and
// the first quarantine reasons) and writes nothing. It never prints a raw
// value.
func DryRun(ctx context.Context, paths []string, opts Options, w io.Writer) error {
	srcs, ignored, err := expand(paths, opts.Stdin)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		f, err := s.open()
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, unwrapPathError(err))
		}
		err = walk(s.name, f, opts.TempDir, func(lf leakFile) error { return describe(ctx, lf, opts, w) })
		f.Close()
		if err != nil {
			return err
		}
	}
	if ignored > 0 {
		fmt.Fprintf(w, "(%d non-credential files of stealer log folders would be ignored)\n", ignored)
	}
	return nil
}

func describe(ctx context.Context, lf leakFile, opts Options, w io.Writer) error {
	br := bufio.NewReaderSize(lf.r, 64<<10)
	head, _ := br.Peek(64 << 10)
	popts := leakparse.Options{Format: opts.Format, Map: opts.Map, Name: lf.name}
	if popts.Format == "" {
		popts.Format = leakparse.FormatAuto
	}
	fmt.Fprintf(w, "%s\n", lf.name)
	sn, err := leakparse.Sniff(head, popts)
	if err != nil {
		fmt.Fprintf(w, "  error      %v\n\n", err)
		return nil
	}
	fmt.Fprintf(w, "  format     %s\n  encoding   %s\n", sn.Format, sn.Encoding)
	if sn.Delimiter != 0 {
		fmt.Fprintf(w, "  delimiter  %q\n", sn.Delimiter)
	}
	if len(sn.Header) > 0 {
		fmt.Fprintf(w, "  header     %s\n", strings.Join(sn.Header, ", "))
	}
	for i, c := range sn.Columns {
		label := fmt.Sprintf("%d", i+1)
		if i < len(sn.Header) {
			label += " " + sn.Header[i]
		}
		sample := ""
		if i < len(sn.Samples) {
			sample = sn.Samples[i]
		}
		prefix := "  columns   "
		if i > 0 {
			prefix = "            "
		}
		fmt.Fprintf(w, "%s %-24s %-22s %s\n", prefix, label, c, sample)
	}
	q := &quarantineSampler{}
	popts.Format = sn.Format
	_, err = leakparse.Parse(ctx, br, popts, q)
	if err != nil && !errors.Is(err, errEnough) {
		fmt.Fprintf(w, "  error      %v\n\n", err)
		return nil
	}
	fmt.Fprintf(w, "  sample     %d records, %d quarantined in the first %d lines\n", q.records, q.quarantined, dryRunLines)
	for _, r := range q.first {
		fmt.Fprintf(w, "             line %d: %s\n", r.line, r.reason)
	}
	fmt.Fprintln(w)
	return nil
}

// quarantineSampler counts what a parse finds and keeps the first reasons.
type quarantineSampler struct {
	records, quarantined int64
	first                []struct {
		line   int64
		reason leakparse.Reason
	}
}

func (q *quarantineSampler) Record(r *leakparse.Record) error {
	q.records++
	if r.Line >= dryRunLines {
		return errEnough
	}
	return nil
}

func (q *quarantineSampler) Quarantine(x *leakparse.Quarantine) error {
	q.quarantined++
	if len(q.first) < 5 {
		q.first = append(q.first, struct {
			line   int64
			reason leakparse.Reason
		}{x.Line, x.Reason})
	}
	if x.Line >= dryRunLines {
		return errEnough
	}
	return nil
}
