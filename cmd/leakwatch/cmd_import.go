package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"golang.org/x/term"
)

// mapFlag collects repeated --map COLUMN=CLASS flags.
type mapFlag map[string]catalog.DataClass

func (m mapFlag) String() string { return "" }

func (m mapFlag) Set(s string) error {
	col, class, ok := strings.Cut(s, "=")
	if !ok || col == "" {
		return fmt.Errorf("want COLUMN=CLASS, got %q", s)
	}
	c, ok := catalog.ParseDataClass(class)
	if !ok {
		return fmt.Errorf("unknown data class %q", class)
	}
	m[strings.ToLower(strings.TrimSpace(col))] = c
	return nil
}

// importMemoryLimit is the soft memory limit of an import: peak RSS stays
// under 1 GiB whatever the input size.
const importMemoryLimit = 640 << 20

var formats = []leakparse.Format{leakparse.FormatAuto, leakparse.FormatCombo, leakparse.FormatULP, leakparse.FormatStealer,
	leakparse.FormatCSV, leakparse.FormatTSV, leakparse.FormatJSON, leakparse.FormatNDJSON, leakparse.FormatMySQL, leakparse.FormatPGDump}

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "import --breach NAME [--title T] [--domain D] [--date YYYY-MM-DD] [--format auto|combo|ulp|stealer|csv|tsv|json|ndjson|mysql|pgdump] [--map COLUMN=CLASS ...] [--dry-run] PATH...\n       leakwatch import --breach NAME --from-quarantine --format F [--map COLUMN=CLASS ...]")
	name := fs.String("breach", "", "breach to import into (created if new)")
	title := fs.String("title", "", "title of a new breach")
	domain := fs.String("domain", "", "domain of a new breach")
	date := fs.String("date", "", "breach date of a new breach, YYYY-MM-DD")
	format := fs.String("format", "auto", "input format (auto sniffs each file)")
	m := mapFlag{}
	fs.Var(m, "map", "classify a column: COLUMN=CLASS (name or 1-based index; class like email, password, dob, phone, ignore)")
	dry := fs.Bool("dry-run", false, "sniff and describe each file; write nothing")
	region := fs.String("phone-region", "", "country of national phone numbers, e.g. US or DE")
	workers := fs.Int("workers", 0, "hashing goroutines (default: all cores)")
	quiet := fs.Bool("quiet", false, "no progress output")
	fromQ := fs.Bool("from-quarantine", false, "re-parse the breach's quarantined lines with --format/--map instead of reading PATHs")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *fromQ && len(pos) > 0 {
		return usageError{"--from-quarantine reads no PATH"}
	}
	if !*fromQ && len(pos) == 0 {
		return usageError{"import needs at least one PATH (a file, directory, archive or - for standard input)"}
	}
	f := leakparse.Format(*format)
	if !validFormat(f) {
		return usageError{fmt.Sprintf("unknown format %q", *format)}
	}
	opts := ingest.Options{Format: f, Map: m, PhoneRegion: strings.ToUpper(*region), Workers: *workers, Stdin: e.stdin,
		Warn: func(msg string) { fmt.Fprintf(e.stderr, "leakwatch: %s\n", msg) }}
	if *dry {
		return ingest.DryRun(ctx, pos, opts, e.stdout)
	}
	if *name == "" {
		return usageError{"import needs --breach NAME"}
	}
	b := catalog.New(*name, time.Now())
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "title":
			b.Title = *title
		case "domain":
			b.Domain = strings.ToLower(*domain)
		case "date":
			b.BreachDate = *date
		}
	})
	st, kr, err := e.openSealed(ctx, true, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	opts.Breach = b
	opts.TempDir = e.data
	// Imports hold large transient buffers; a soft limit makes the
	// collector return them before the heap doubles (GOMEMLIMIT overrides).
	if e.getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	}
	if !*quiet {
		opts.Progress, opts.ProgressEvery = progressPrinter(e)
	}
	var sum *ingest.Summary
	if *fromQ {
		sum, err = ingest.ReimportQuarantine(ctx, st, kr, opts)
	} else {
		sum, err = ingest.Import(ctx, st, kr, pos, opts)
	}
	if errors.Is(err, ingest.ErrNothingToImport) {
		if *fromQ {
			fmt.Fprintf(e.stdout, "nothing imported: no quarantined lines in %s to read again this way\n", b.Name)
		} else {
			fmt.Fprintf(e.stdout, "nothing imported: every source is already in %s\n", b.Name)
		}
		return nil
	}
	if err != nil {
		return err
	}
	printSummary(e.stdout, b.Name, sum)
	return nil
}

func validFormat(f leakparse.Format) bool {
	for _, g := range formats {
		if g == f {
			return true
		}
	}
	return false
}

// progressPrinter draws a progress bar on a terminal, and prints a plain
// line every 10 seconds otherwise. The rate shown is the current one (rows
// per second over the last intervals, smoothed); the final line shows the
// overall rate.
func progressPrinter(e *env) (func(ingest.Progress), time.Duration) {
	current := func(m *rateMeter, p ingest.Progress) string {
		if p.Done {
			return countHuman(rate(p.Rows, p.Elapsed))
		}
		if r, ok := m.update(p.Rows, p.Elapsed); ok {
			return countHuman(r)
		}
		return "-"
	}
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		m := &rateMeter{tau: 10 * time.Second}
		return func(p ingest.Progress) {
			if p.Done {
				return
			}
			notef(e, "import: %s read, %d rows, %s rows/s, %s", bytesHuman(p.Read), p.Rows, current(m, p), eta(p))
		}, 10 * time.Second
	}
	m := &rateMeter{tau: 2 * time.Second}
	return func(p ingest.Progress) {
		const width = 30
		frac := 0.0
		if p.Total > 0 {
			frac = min(float64(p.Read)/float64(p.Total), 1)
		}
		n := int(frac * width)
		bar := strings.Repeat("=", n) + strings.Repeat(" ", width-n)
		fmt.Fprintf(e.stderr, "\r[%s] %5.1f%% %s  %s rows/s  %s   ", bar, 100*frac, bytesHuman(p.Read), current(m, p), eta(p))
		if p.Done {
			fmt.Fprintln(e.stderr)
		}
	}, 250 * time.Millisecond
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func eta(p ingest.Progress) string {
	if p.Done {
		return "done in " + p.Elapsed.Round(time.Millisecond).String()
	}
	if p.Total <= 0 || p.Read <= 0 {
		return "ETA unknown"
	}
	left := time.Duration(float64(p.Elapsed) * float64(p.Total-p.Read) / float64(p.Read))
	return "ETA " + left.Round(time.Second).String()
}

func bytesHuman(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func countHuman(f float64) string {
	switch {
	case f >= 1e6:
		return fmt.Sprintf("%.2fM", f/1e6)
	case f >= 1e3:
		return fmt.Sprintf("%.1fk", f/1e3)
	}
	return fmt.Sprintf("%.0f", f)
}

func printSummary(w io.Writer, name string, s *ingest.Summary) {
	if s.Reread > 0 {
		fmt.Fprintf(w, "read %d quarantined line(s) of %s again in %s\n", s.Reread, name, s.Elapsed.Round(time.Millisecond))
	} else {
		fmt.Fprintf(w, "imported %d file(s) into %s in %s (%s rows/s)\n", s.Files, name, s.Elapsed.Round(time.Millisecond), countHuman(rate(s.Rows, s.Elapsed)))
	}
	fmt.Fprintf(w, "  rows          %d\n", s.Rows)
	fmt.Fprintf(w, "  accounts      %d unique, %d new to the breach (PwnCount %d)\n", s.Result.Accounts, s.Result.NewAccounts, s.Result.PwnCount)
	fmt.Fprintf(w, "  passwords     %d unique\n", s.Result.Passwords)
	fmt.Fprintf(w, "  data classes  %s\n", strings.Join(s.DataClasses.Names(), ", "))
	q := s.QuarantinedTotal()
	fmt.Fprintf(w, "  quarantined   %d line(s)", q)
	if q > 0 {
		var parts []string
		for _, r := range ingest.SortedReasons(s.Quarantined) {
			parts = append(parts, fmt.Sprintf("%d %s", s.Quarantined[r], r))
		}
		fmt.Fprintf(w, ": %s (leakwatch quarantine list --breach %s)", strings.Join(parts, ", "), name)
	}
	fmt.Fprintln(w)
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "  skipped       %d source(s) already imported\n", len(s.Skipped))
	}
	if s.Ignored > 0 {
		fmt.Fprintf(w, "  ignored       %d non-credential file(s) in stealer log folders\n", s.Ignored)
	}
	if len(s.Errors) > 0 {
		fmt.Fprintf(w, "  not leaks     %d file(s), named above\n", len(s.Errors))
	}
}
