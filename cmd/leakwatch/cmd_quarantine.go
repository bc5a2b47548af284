package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/leakwatch/leakwatch/internal/control"
)

func setupQuarantineList(fs *flag.FlagSet) runFunc {
	name := fs.String("breach", "", "the breach whose quarantined lines to list")
	lines := fs.Bool("lines", false, "list every quarantined line number with its reason")
	asJSON := fs.Bool("json", false, "print the counts (and with --lines every line) as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if *name == "" {
			return usageError{"quarantine list needs --breach NAME"}
		}
		if len(args) > 0 {
			return usageError{"quarantine list takes no arguments"}
		}
		return quarantineList(ctx, e, *name, *lines, *asJSON)
	}
}

// quarantineReport is what quarantine list --json prints: with --lines,
// "lines" is there even when there are none.
type quarantineReport struct {
	*control.QuarantineReport
	Lines *[]control.QuarantinedLine `json:"lines,omitempty"`
}

func quarantineList(ctx context.Context, e *env, breach string, withLines, asJSON bool) error {
	s, err := e.connect(ctx, readStore)
	if err != nil {
		return err
	}
	defer s.end(true)
	q, err := s.Quarantine(ctx, breach, withLines)
	if err != nil {
		return fmt.Errorf("breach %s: %w", quoteName(breach), err)
	}
	rep := quarantineReport{QuarantineReport: q}
	lines := q.Lines
	if withLines {
		if lines == nil {
			lines = []control.QuarantinedLine{}
		}
		rep.Lines = &lines
	}
	if asJSON {
		return writeJSON(e, rep)
	}

	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	if withLines {
		fmt.Fprintln(tw, "SOURCE\tLINE\tREASON")
		for _, l := range lines {
			fmt.Fprintf(tw, "%s\t%d\t%s\n", quoteName(l.Source), l.Line, l.Reason)
		}
		return tw.Flush()
	}
	if rep.Total == 0 {
		fmt.Fprintf(e.stdout, "no quarantined lines in %s\n", quoteName(breach))
		return nil
	}
	fmt.Fprintln(tw, "SOURCE\tREASON\tLINES")
	for _, c := range rep.Counts {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", quoteName(c.Source), c.Reason, c.Lines)
	}
	fmt.Fprintf(tw, "total\t\t%d\n", rep.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "read them again with: leakwatch import --breach %s --from-quarantine --format FORMAT [--map COLUMN=CLASS]\n", quoteName(breach))
	return nil
}
