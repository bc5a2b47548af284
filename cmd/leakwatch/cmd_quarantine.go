package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
	"sort"
	"text/tabwriter"
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

// quarantineReport is what quarantine list --json prints.
type quarantineReport struct {
	Breach string             `json:"breach"`
	Total  int64              `json:"total"`
	Counts []quarantineCount  `json:"counts"`          // by source and reason
	Lines  *[]quarantinedLine `json:"lines,omitempty"` // with --lines
}

type quarantineCount struct {
	Source string `json:"source"`
	Reason string `json:"reason"`
	Lines  int64  `json:"lines"`
}

type quarantinedLine struct {
	Source string `json:"source"`
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
}

func quarantineList(ctx context.Context, e *env, breach string, withLines, asJSON bool) error {
	d, err := e.open(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	st := d.Store
	srcs, err := st.Sources(ctx, breach)
	if err != nil {
		return fmt.Errorf("breach %s: %w", quoteName(breach), err)
	}
	names := map[[32]byte]string{}
	for _, s := range srcs {
		names[s.ID] = s.Name
	}
	type key struct{ source, reason string }
	counts := map[key]int64{}
	rep := quarantineReport{Breach: breach, Counts: []quarantineCount{}}
	var lines []quarantinedLine
	for q, err := range st.Quarantine(ctx, breach) {
		if err != nil {
			return fmt.Errorf("breach %s: %w", quoteName(breach), err)
		}
		src, ok := names[q.Source]
		if !ok {
			src = fmt.Sprintf("sha256:%x", q.Source[:6]) // a source no longer in the ledger
		}
		rep.Total++
		counts[key{src, q.Reason}]++
		// Lines are kept by the print of their content: list them by file and
		// line.
		sort.Slice(lines, func(i, j int) bool {
			if lines[i].Source != lines[j].Source {
				return lines[i].Source < lines[j].Source
			}
			return lines[i].Line < lines[j].Line
		})
		if withLines {
			lines = append(lines, quarantinedLine{Source: src, Line: int64(q.Line), Reason: q.Reason})
		}
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].source != keys[j].source {
			return keys[i].source < keys[j].source
		}
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i].reason < keys[j].reason
	})
	for _, k := range keys {
		rep.Counts = append(rep.Counts, quarantineCount{Source: k.source, Reason: k.reason, Lines: counts[k]})
	}
	if withLines {
		if lines == nil {
			lines = []quarantinedLine{}
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
