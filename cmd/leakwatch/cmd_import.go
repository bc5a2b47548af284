package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store"
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

// passwordsFlag collects repeated --archive-password flags.
type passwordsFlag []string

func (p *passwordsFlag) String() string { return "" }

func (p *passwordsFlag) Set(s string) error { *p = append(*p, s); return nil }

// archivePasswords are the passwords of encrypted archives, in the order
// they are tried: --archive-password, LEAKWATCH_ARCHIVE_PASSWORD, then the
// lines of --archive-passwords FILE (at most 1 MiB; CR and blank lines
// dropped).
func archivePasswords(e *env, given []string, file string) ([]string, error) {
	pws := append([]string(nil), given...)
	if pw := e.getenv("LEAKWATCH_ARCHIVE_PASSWORD"); pw != "" {
		pws = append(pws, pw)
	}
	if file == "" {
		return pws, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--archive-passwords: %v", err)}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", quoteName(file), err)
	}
	if len(b) > 1<<20 {
		return nil, usageError{fmt.Sprintf("--archive-passwords: %s is larger than 1 MiB", quoteName(file))}
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			pws = append(pws, line)
		}
	}
	return pws, nil
}

// importMemoryLimit is the soft memory limit of an import: peak RSS stays
// under 1 GiB whatever the input size.
const importMemoryLimit = 640 << 20

// exitPartial is the exit status of an import that committed but could not
// read some of its inputs (they are listed). 0 is everything read; 1 an
// import that failed and committed nothing, or read nothing at all.
const exitPartial = 3

const importSynopsis = `--breach NAME [--title TITLE] [--domain DOMAIN] [--date YYYY-MM-DD] [--format FORMAT] [--header auto|none|first] [--map COLUMN=CLASS ...] [--hashes sha1|ntlm] [--phone-region REGION] [--max-depth N] [--max-ratio N] [--archive-password P ...] [--archive-passwords FILE] [--workers N] [--quiet] [--json] PATH...
       leakwatch import --dry-run [--format FORMAT] [--header auto|none|first] [--map COLUMN=CLASS ...] [--archive-password P ...] [--json] PATH...
       leakwatch import --breach NAME --from-quarantine --format FORMAT [--map COLUMN=CLASS ...]`

func setupImport(fs *flag.FlagSet) runFunc {
	name := fs.String("breach", "", "breach to import into (created if new)")
	title := fs.String("title", "", "title of a new breach")
	domain := fs.String("domain", "", "domain of a new breach")
	date := fs.String("date", "", "breach date of a new breach")
	format := fs.String("format", "auto", "input format (auto sniffs each file): "+formatNames())
	header := fs.String("header", "auto", "first row of CSV/TSV/XLSX: `auto|none|first` (auto: a header when it names known columns; none: data; first: a header)")
	m := mapFlag{}
	fs.Var(m, "map", "classify a column: COLUMN=CLASS (name or 1-based index; class like email, password, dob, phone, ignore)")
	dry := fs.Bool("dry-run", false, "describe what an import would make of each file; write nothing")
	hashes := fs.String("hashes", "", "bare hash lists hold unsalted `sha1|ntlm` hashes of passwords: count each in that corpus as it is")
	region := fs.String("phone-region", "", "country of national phone numbers, e.g. US or DE")
	workers := fs.Int("workers", 0, "hashing goroutines (default: all cores)")
	maxDepth := fs.Int("max-depth", ingest.DefaultMaxDepth, "how deeply archives and compressed files may nest")
	maxRatio := fs.Int64("max-ratio", ingest.DefaultMaxRatio, "how many times a compressed input may expand (beyond 64 MiB)")
	quiet := fs.Bool("quiet", false, "no progress output")
	asJSON := fs.Bool("json", false, "print the summary (or the dry run's report) as JSON")
	fromQ := fs.Bool("from-quarantine", false, "read the breach's quarantined lines again with --format/--map instead of PATHs")
	var passwords passwordsFlag
	fs.Var(&passwords, "archive-password", "a password of encrypted archives (repeatable, tried in order; visible to other users in the process list: prefer LEAKWATCH_ARCHIVE_PASSWORD or --archive-passwords FILE)")
	passwordFile := fs.String("archive-passwords", "", "a `FILE` of archive passwords, one per line, tried after --archive-password")
	return func(ctx context.Context, e *env, pos []string) error {
		if *fromQ && len(pos) > 0 {
			return usageError{"--from-quarantine reads no PATH"}
		}
		if !*fromQ && len(pos) == 0 {
			return usageError{"import needs at least one PATH (a file, directory, archive, pipe or - for standard input)"}
		}
		f := leakparse.Format(*format)
		if f != leakparse.FormatAuto && !slices.Contains(leakparse.Formats(), f) {
			return usageError{fmt.Sprintf("unknown format %s (want auto, %s)", quoteName(*format), formatNames())}
		}
		if *maxDepth < 1 || *maxRatio < 1 {
			return usageError{"--max-depth and --max-ratio must be at least 1"}
		}
		var noHeader, headerRow bool
		switch strings.ToLower(*header) {
		case "auto":
		case "none":
			noHeader = true
		case "first":
			headerRow = true
		default:
			return usageError{fmt.Sprintf("unknown --header %s (want auto, none or first)", quoteName(*header))}
		}
		var bare store.HashKind
		if *hashes != "" {
			var ok bool
			if bare, ok = store.ParseHashKind(*hashes); !ok {
				return usageError{fmt.Sprintf("unknown --hashes %s (want sha1 or ntlm)", quoteName(*hashes))}
			}
		}
		opts := ingest.Options{Format: f, Map: m, NoHeader: noHeader, HeaderRow: headerRow, PhoneRegion: strings.ToUpper(*region), Workers: *workers, Stdin: e.stdin,
			MaxDepth: *maxDepth, MaxRatio: *maxRatio, BareHashes: bare, Warn: func(msg string) { warnf(e, "%s", msg) }}
		pws, err := archivePasswords(e, passwords, *passwordFile)
		if err != nil {
			return err
		}
		opts.ArchivePasswords = pws
		if *dry {
			opts.TempDir = os.TempDir()
			rep, err := ingest.DryRun(ctx, pos, opts)
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSON(e, rep)
			}
			printReport(e, rep)
			return nil
		}
		if *name == "" {
			return usageError{"import needs --breach NAME"}
		}
		b := catalog.New(*name, time.Now())
		req := control.ImportRequest{Paths: pos, Stdin: e.stdin, FromQuarantine: *fromQ, Breach: *name,
			Format: *format, Map: m, NoHeader: noHeader, HeaderRow: headerRow, ArchivePasswords: pws, PhoneRegion: *region, BareHashes: bare, Workers: *workers, MaxDepth: *maxDepth, MaxRatio: *maxRatio}
		fs.Visit(func(fl *flag.Flag) {
			switch fl.Name {
			case "title":
				b.Title, req.Title = *title, *title
			case "domain":
				b.Domain, req.Domain = strings.ToLower(*domain), *domain
			case "date":
				b.BreachDate, req.Date = *date, *date
			}
		})
		if err := b.Validate(); err != nil {
			return usageError{err.Error()}
		}
		ev := control.Events{Warn: func(msg string) { warnf(e, "%s", msg) }}
		if !*quiet && !*asJSON {
			ev.Progress, req.ProgressEvery = progressPrinter(e)
		}
		return runImport(ctx, e, req, ev, *asJSON)
	}
}

// runImport imports through the running server, or into the data
// directory, creating it if there is none; an import that commits nothing
// removes what it created.
func runImport(ctx context.Context, e *env, req control.ImportRequest, ev control.Events, asJSON bool) error {
	acc := createData
	if req.FromQuarantine {
		acc = useKeys
	}
	s, err := e.connect(ctx, acc)
	if err != nil {
		return err
	}
	committed := false
	defer func() { s.end(committed) }()
	// An import here holds large transient buffers; a soft limit makes
	// the collector return them before the heap doubles (GOMEMLIMIT
	// overrides).
	if s.local() && e.getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	}
	sum, err := s.Import(ctx, req, ev)
	committed = sum != nil && sum.Committed
	nothing := errors.Is(err, ingest.ErrNothingToImport)
	if errors.Is(err, control.ErrBadRequest) {
		return usageError{err.Error()}
	}
	if err != nil && !nothing {
		return err
	}
	if asJSON {
		if err := writeJSON(e, sum); err != nil {
			return err
		}
	} else if nothing {
		printNothing(e, req.Breach, req.FromQuarantine, sum)
	} else {
		printSummary(e.stdout, req.Breach, sum)
	}
	switch {
	case nothing && len(sum.Failed) > 0:
		return exitError{code: 1} // the failures are named above
	case len(sum.Failed) > 0:
		return exitError{code: exitPartial}
	}
	return nil
}

func printNothing(e *env, breach string, fromQ bool, sum *ingest.Summary) {
	switch {
	case fromQ:
		fmt.Fprintf(e.stdout, "nothing imported: no quarantined lines in %s to read again this way\n", breach)
	case len(sum.Already) > 0 && len(sum.Failed) == 0:
		fmt.Fprintf(e.stdout, "nothing imported: every source is already in %s\n", breach)
	case len(sum.Failed) > 0:
		fmt.Fprintf(e.stdout, "nothing imported: %d input(s) could not be read, named above\n", len(sum.Failed))
	default:
		fmt.Fprintf(e.stdout, "nothing imported: no input held a record\n")
	}
}

func formatNames() string {
	var ns []string
	for _, f := range leakparse.Formats() {
		ns = append(ns, string(f))
	}
	return strings.Join(ns, ", ")
}

// printReport prints a dry run's report: per file, its format and how each
// column would be read, with masked samples.
func printReport(e *env, rep *ingest.Report) {
	w := e.stdout
	for _, f := range rep.Files {
		fmt.Fprintf(w, "%s\n", quoteName(f.Name))
		if f.Format == "" {
			fmt.Fprintf(w, "  error      %s\n\n", escapeText(f.Error))
			continue
		}
		fmt.Fprintf(w, "  format     %s\n", f.Format)
		if f.Reason != "" {
			fmt.Fprintf(w, "  why        %s\n", escapeText(f.Reason))
		}
		fmt.Fprintf(w, "  encoding   %s\n", f.Encoding)
		if f.Delimiter != "" {
			fmt.Fprintf(w, "  delimiter  %q\n", []rune(f.Delimiter)[0])
		}
		if len(f.Header) > 0 {
			hs := make([]string, len(f.Header))
			for i, h := range f.Header {
				hs[i] = escapeText(h)
			}
			fmt.Fprintf(w, "  header     %s\n", strings.Join(hs, ", "))
		}
		for i, c := range f.Columns {
			prefix := "  columns   "
			if i > 0 {
				prefix = "            "
			}
			fmt.Fprintf(w, "%s %-24s %-22s %s\n", prefix, escapeText(c.Label), c.Name, escapeText(c.Sample))
			if c.Why != "" {
				fmt.Fprintf(w, "               why: %s\n", escapeText(c.Why))
			}
		}
		fmt.Fprintf(w, "  sample     %d records, %d quarantined in the first %d lines\n", f.Records, f.Quarantined, f.Lines)
		for _, q := range f.FirstQuarantined {
			fmt.Fprintf(w, "             line %d: %s\n", q.Line, q.Reason)
		}
		if f.Error != "" {
			fmt.Fprintf(w, "  error      %s\n", escapeText(f.Error))
		}
		fmt.Fprintln(w)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "%s: skipped: %s\n", quoteName(s.Name), s.Reason)
	}
	for _, f := range rep.Failed {
		fmt.Fprintf(w, "%s\n", escapeText(f.Error()))
	}
	if rep.Ignored > 0 {
		fmt.Fprintf(w, "(%d non-credential files of stealer log folders would be ignored)\n", rep.Ignored)
	}
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
	if s.Lines > 0 {
		fmt.Fprintf(w, "  lines         %d read: the rows, the quarantined lines, %d without data (blank, headers, banners, SQL statements)\n", s.Lines, s.Passed)
	}
	fmt.Fprintf(w, "  accounts      %d unique, %d new to the breach (PwnCount %d)\n", s.Result.Accounts, s.Result.NewAccounts, s.Result.PwnCount)
	fmt.Fprintf(w, "  passwords     %d credential pair(s) new to the breach, %d distinct password(s) counted\n", s.Result.NewPairs, s.Result.Passwords)
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
	if len(s.Already) > 0 {
		fmt.Fprintf(w, "  already in    %d file(s) imported before, nothing new in them\n", len(s.Already))
	}
	if s.PrivatePairs > 0 {
		fmt.Fprintf(w, "  private check %d pair(s) spooled", s.PrivatePairs)
		if s.PrivatePending > 0 {
			fmt.Fprintf(w, "; %d wait for the index (leakwatch private build; a running server builds them by itself)", s.PrivatePending)
		} else {
			fmt.Fprint(w, " and indexed")
		}
		fmt.Fprintln(w)
	}
	if s.Ignored > 0 {
		fmt.Fprintf(w, "  ignored       %d non-credential file(s) in stealer log folders\n", s.Ignored)
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "  skipped       %d link(s) or special file(s), named above\n", len(s.Skipped))
	}
	if len(s.Failed) > 0 {
		fmt.Fprintf(w, "  failed        %d input(s) could not be read, named above (exit status 3)\n", len(s.Failed))
	}
}
