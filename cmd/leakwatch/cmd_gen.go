package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

func setupGen(fs *flag.FlagSet) runFunc {
	var names []string
	for _, f := range leakgen.Formats() {
		names = append(names, string(f))
	}
	format := fs.String("format", "combo", "leak format: "+strings.Join(names, ", "))
	rows := fs.Int64("rows", 1000, "number of records")
	seed := fs.Uint64("seed", 1, "seed: the same seed gives the same leak")
	junk := fs.Int64("junk-every", 0, "make every Nth line unparseable junk (0: none)")
	out := fs.String("out", "", "write to `FILE` (default standard output)")
	tree := fs.String("tree", "", "with --format stealer: write infostealer log folders under `DIR`")
	kind := fs.String("kind", "", "an alleged breach for calibrating verify instead: "+strings.Join(leakgen.AllegedKinds(), ", "))
	of := fs.String("of", "", "with --kind repackage or combolist: the comma-separated `SEEDS` of the sites (--kind site) it is made from")
	siteRows := fs.Int64("site-rows", 1000, "with --kind repackage or combolist: the rows of those sites")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"gen takes no arguments"}
		}
		if *rows < 0 || *junk < 0 {
			return usageError{"--rows and --junk-every must not be negative"}
		}
		if *kind != "" {
			o := leakgen.AllegedOptions{Kind: *kind, Rows: *rows, Seed: *seed, SiteRows: *siteRows}
			for _, f := range strings.FieldsFunc(*of, func(r rune) bool { return r == ',' }) {
				v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
				if err != nil {
					return usageError{fmt.Sprintf("--of: %s is not a seed", quoteName(f))}
				}
				o.Of = append(o.Of, v)
			}
			return genAlleged(ctx, e, o, *out)
		}
		opts := leakgen.Options{Format: leakparse.Format(*format), Rows: *rows, Seed: *seed, JunkEvery: *junk}
		if !validGenFormat(opts.Format) {
			return usageError{fmt.Sprintf("unknown format %s", quoteName(*format))}
		}
		return gen(ctx, e, opts, *out, *tree)
	}
}

func gen(ctx context.Context, e *env, opts leakgen.Options, out, tree string) error {
	if tree != "" {
		if opts.Format != leakparse.FormatStealer {
			return usageError{"--tree needs --format stealer"}
		}
		st, err := leakgen.GenerateStealerTree(ctx, tree, opts)
		if err != nil {
			return err
		}
		notef(e, "wrote %d records in stealer log folders under %s", st.Rows, quoteName(tree))
		return nil
	}
	if out == "" {
		_, err := leakgen.Generate(ctx, e.stdout, opts)
		return err
	}
	f, err := os.Create(out)
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

func genAlleged(ctx context.Context, e *env, o leakgen.AllegedOptions, out string) error {
	w := e.stdout
	var f *os.File
	if out != "" {
		var err error
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	_, err := leakgen.GenerateAlleged(ctx, w, o)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil && !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "write") {
		return usageError{err.Error()}
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
