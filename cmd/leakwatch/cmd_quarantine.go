package main

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"text/tabwriter"
)

func setupQuarantineList(fs *flag.FlagSet) runFunc {
	name := fs.String("breach", "", "the breach whose quarantined lines to list")
	lines := fs.Bool("lines", false, "list every quarantined line number with its reason")
	return func(ctx context.Context, e *env, args []string) error {
		if *name == "" {
			return usageError{"quarantine list needs --breach NAME"}
		}
		if len(args) > 0 {
			return usageError{"quarantine list takes no arguments"}
		}
		return quarantineList(ctx, e, *name, *lines)
	}
}

func quarantineList(ctx context.Context, e *env, name string, lines bool) error {
	st, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer st.Close()
	type key struct{ source, reason string }
	counts := map[key]int64{}
	srcs, err := st.Sources(ctx, name)
	if err != nil {
		return fmt.Errorf("breach %s: %w", quoteName(name), err)
	}
	names := map[[32]byte]string{}
	for _, s := range srcs {
		names[s.ID] = s.Name
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	if lines {
		fmt.Fprintln(tw, "SOURCE\tLINE\tREASON")
	}
	var total int64
	for q, err := range st.Quarantine(ctx, name) {
		if err != nil {
			return fmt.Errorf("breach %s: %w", quoteName(name), err)
		}
		src, ok := names[q.Source]
		if !ok {
			src = fmt.Sprintf("sha256:%x", q.Source[:6]) // a source no longer in the ledger
		}
		total++
		counts[key{src, q.Reason}]++
		if lines {
			fmt.Fprintf(tw, "%s\t%d\t%s\n", quoteName(src), q.Line, q.Reason)
		}
	}
	if lines {
		return tw.Flush()
	}
	if total == 0 {
		fmt.Fprintf(e.stdout, "no quarantined lines in %s\n", quoteName(name))
		return nil
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].source != keys[j].source {
			return keys[i].source < keys[j].source
		}
		return counts[keys[i]] > counts[keys[j]]
	})
	fmt.Fprintln(tw, "SOURCE\tREASON\tLINES")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", quoteName(k.source), k.reason, counts[k])
	}
	fmt.Fprintf(tw, "total\t\t%d\n", total)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "read them again with: leakwatch import --breach %s --from-quarantine --format FORMAT [--map COLUMN=CLASS]\n", quoteName(name))
	return nil
}
