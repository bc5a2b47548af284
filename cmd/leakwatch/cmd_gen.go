package main

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

func cmdGen(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "gen", "gen --format combo|ulp|stealer|csv|tsv|json|ndjson|mysql|pgdump --rows N --seed S [--junk-every N] [--out FILE] [--tree DIR]")
	format := fs.String("format", "combo", "leak format")
	rows := fs.Int64("rows", 1000, "number of records")
	seed := fs.Uint64("seed", 1, "seed: the same seed gives the same leak")
	junk := fs.Int64("junk-every", 0, "make every Nth line unparseable junk (0: none)")
	out := fs.String("out", "", "output file (default standard output)")
	tree := fs.String("tree", "", "with --format stealer: write infostealer log folders under this directory")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"gen takes no arguments"}
	}
	opts := leakgen.Options{Format: leakparse.Format(*format), Rows: *rows, Seed: *seed, JunkEvery: *junk}
	if !validGenFormat(opts.Format) {
		return usageError{fmt.Sprintf("unknown format %q", *format)}
	}
	if *tree != "" {
		if opts.Format != leakparse.FormatStealer {
			return usageError{"--tree needs --format stealer"}
		}
		st, err := leakgen.GenerateStealerTree(ctx, *tree, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote %d records in stealer log folders under %s\n", st.Rows, *tree)
		return nil
	}
	if *out == "" {
		_, err = leakgen.Generate(ctx, e.stdout, opts)
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if _, err = leakgen.Generate(ctx, bw, opts); err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func validGenFormat(f leakparse.Format) bool {
	for _, g := range leakgen.Formats() {
		if g == f {
			return true
		}
	}
	return false
}
