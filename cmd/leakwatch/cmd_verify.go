package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/leakwatch/leakwatch/internal/verify"
)

// verify weighs the evidence that a breach is what it claims to be
// (docs/verify.md): so far, how much of it other breaches already hold.

func setupVerify(fs *flag.FlagSet) runFunc {
	name := fs.String("breach", "", "the `NAME` of the breach to verify")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"verify takes no arguments: verify --breach NAME"}
		}
		if *name == "" {
			return usageError{"verify needs --breach NAME"}
		}
		return withService(ctx, e, func(s *session) error {
			r, err := s.Verify(ctx, *name)
			if err != nil {
				return err
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
	if len(r.Missing) > 0 {
		fmt.Fprintf(e.stdout, "not computed yet: %s (docs/verify.md)\n", strings.Join(r.Missing, ", "))
	}
}
