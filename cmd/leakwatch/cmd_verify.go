package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/verify"
)

// verify weighs the evidence that a breach is what it claims to be
// (docs/verify.md): so far, how much of it other breaches already hold.

func setupVerify(fs *flag.FlagSet) runFunc {
	name := fs.String("breach", "", "the `NAME` of the breach to verify")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	htmlOut := fs.String("html", "", "also write the report as a self-contained HTML page (figures as SVG, nothing fetched) to `FILE`")
	dry := fs.Bool("dry-run", false, "verify the FILES given as the breach would be after importing them, importing nothing")
	date := fs.String("date", "", "with --dry-run: the breach date (YYYY-MM-DD) the files claim, for what counts as earlier")
	format := fs.String("format", "auto", "with --dry-run: the files' format, as import takes it")
	return func(ctx context.Context, e *env, args []string) error {
		if *name == "" {
			return usageError{"verify needs --breach NAME"}
		}
		if len(args) > 0 && !*dry {
			return usageError{"verify takes files only with --dry-run: verify --dry-run --breach NAME FILE..."}
		}
		if *dry && len(args) == 0 {
			return usageError{"verify --dry-run needs the leak FILES to weigh"}
		}
		return withService(ctx, e, func(s *session) error {
			var r *verify.Report
			var err error
			if *dry {
				l, ok := s.Service.(*control.Local)
				if !ok {
					return withHint(errors.New("a dry run of verify copies the store, which only a command on the data directory can do"),
						"stop the server for it, or import the files into a breach of their own and verify that")
				}
				r, err = l.VerifyFiles(ctx, control.ImportRequest{Paths: args, Stdin: e.stdin, Breach: *name, Date: *date, Format: *format})
			} else {
				r, err = s.Verify(ctx, *name)
			}
			if err != nil {
				return err
			}
			if *htmlOut != "" {
				if err := saveFile(*htmlOut, true, func(w io.Writer) error { return verify.WriteHTML(w, r) }); err != nil {
					return err
				}
			}
			if *asJSON {
				return writeJSON(e, r)
			}
			printVerify(e, r)
			return nil
		})
	}
}

func printVerify(e *env, r *verify.Report) {
	v := r.Verdict
	head := v.Kind
	if v.From != "" {
		head += " from " + v.From
	}
	fmt.Fprintf(e.stdout, "%s: %s (confidence %s)\n", r.Breach, head, v.Confidence)
	for _, why := range v.Reasons {
		fmt.Fprintf(e.stdout, "  - %s\n", why)
	}
	if v.Suggest != "" {
		fmt.Fprintf(e.stdout, "  suggested: leakwatch breach set %s --%s (verify never sets a flag)\n", r.Breach, v.Suggest)
	}
	fmt.Fprintf(e.stdout, "\n%d accounts (%d in other breaches), %d credential pairs (%d in other breaches)\n",
		r.Accounts, r.SharedAccounts, r.Pairs, r.SharedPairs)
	if len(r.Others) > 0 {
		fmt.Fprintln(e.stdout, "shared with, largest share first:")
		for i, o := range r.Others {
			if i == 10 {
				fmt.Fprintf(e.stdout, "  ... %d more (--json lists all)\n", len(r.Others)-10)
				break
			}
			when := "later"
			if o.Earlier {
				when = "earlier"
			}
			fmt.Fprintf(e.stdout, "  %-24s %-10s %-7s accounts %5.1f%%  pairs %5.1f%%\n", o.Breach, o.BreachDate, when, 100*o.AccountShare, 100*o.PairShare)
		}
	}
	if in := r.Internal; in != nil {
		fmt.Fprintf(e.stdout, "\ninternal evidence (figures from the imports; no verdict is drawn from them yet):\n")
		var cs []string
		for _, c := range slices.Sorted(maps.Keys(in.Completeness)) {
			cs = append(cs, fmt.Sprintf("%s %.0f%%", c, 100*in.Completeness[c]))
		}
		fmt.Fprintf(e.stdout, "  rows %d (%.1f%% repeat another); completeness: %s\n", in.Rows, 100*in.Duplicates, strings.Join(cs, ", "))
		fmt.Fprintf(e.stdout, "  email domains: %s\n  TLDs: %s\n", shares(in.TopDomains), shares(in.TopTLDs))
		fmt.Fprintf(e.stdout, "  addresses at domains no other breach here has an address at: %.1f%%\n", 100*r.UnknownDomainShare)
		if r.DeclaredDomainShare > 0 {
			fmt.Fprintf(e.stdout, "  addresses at the breach's declared domain: %.1f%%\n", 100*r.DeclaredDomainShare)
		}
		if in.Passwords > 0 {
			fmt.Fprintf(e.stdout, "  passwords: %d; the 10 most common are %.1f%%; rank-frequency slope %.2f (real leaks about -0.7 to -1, flat generated ones near 0)\n",
				in.Passwords, 100*in.Top10Share, in.ZipfSlope)
			fmt.Fprintf(e.stdout, "  the most common length is %.0f%% of them, the most common mix of character kinds %.0f%%; length entropy %.1f bits\n",
				100*in.CommonLength, 100*in.CommonKinds, in.LengthEntropy)
			if in.KnownSampled > 0 {
				fmt.Fprintf(e.stdout, "  already in the Pwned Passwords corpus before the import: %.0f%% of a sample of %d\n", 100*in.KnownShare, in.KnownSampled)
			}
		}
		if len(in.Schemes) > 0 {
			fmt.Fprintf(e.stdout, "  password storage: %s", shares(in.Schemes))
			if in.MixedStorage {
				fmt.Fprint(e.stdout, " (mixed in one dump, which one site's database rarely holds)")
			}
			fmt.Fprintln(e.stdout)
		}
		if in.NamesWithEmail > 0 {
			fmt.Fprintf(e.stdout, "  names found in the email's local part: %.0f%% of %d rows with both\n", 100*in.NamesInEmail, in.NamesWithEmail)
		}
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(e.stdout, "not computed yet: %s (docs/verify.md)\n", strings.Join(r.Missing, ", "))
	}
}

func shares(ss []evidence.Share) string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s %.1f%%", s.Value, 100*s.Share))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
