package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/store"
)

func setupBreaches(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print HIBP Breach objects as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"breaches takes no arguments"}
		}
		return breaches(ctx, e, *asJSON)
	}
}

func breaches(ctx context.Context, e *env, asJSON bool) error {
	s, err := e.connect(ctx, readStore)
	if err != nil {
		return err
	}
	defer s.end(true)
	bs, err := s.Breaches(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e, bs)
	}
	if len(bs) == 0 {
		fmt.Fprintln(e.stdout, "no breaches yet")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tDOMAIN\tDATE\tPWNCOUNT\tFLAGS")
	for _, b := range bs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", quoteName(b.Name), quoteName(dash(b.Title)), quoteName(dash(b.Domain)), dash(b.BreachDate), b.PwnCount, flagsOf(b))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func flagsOf(b catalog.Breach) string {
	var f []string
	for _, x := range []struct {
		on   bool
		name string
	}{{b.IsVerified, "verified"}, {!b.IsVerified, "unverified"}, {b.IsFabricated, "fabricated"}, {b.IsSensitive, "sensitive"},
		{b.IsRetired, "retired"}, {b.IsSpamList, "spam-list"}, {b.IsMalware, "malware"}, {b.IsStealerLog, "stealer-log"}} {
		if x.on {
			f = append(f, x.name)
		}
	}
	return strings.Join(f, ",")
}

func setupBreachShow(fs *flag.FlagSet) runFunc {
	// The breach is always printed as JSON; --json is accepted so that
	// scripts can pass it to every command that reports.
	fs.Bool("json", false, "print JSON (what breach show always prints)")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"breach show needs one breach NAME"}
		}
		return breachShow(ctx, e, args[0])
	}
}

func breachShow(ctx context.Context, e *env, name string) error {
	s, err := e.connect(ctx, readStore)
	if err != nil {
		return err
	}
	defer s.end(true)
	b, err := s.Breach(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return withHint(fmt.Errorf("no breach named %q", name), "leakwatch breaches lists them")
	}
	if err != nil {
		return err
	}
	if err := writeJSON(e, b); err != nil {
		return err
	}
	// Its provenance, when it was verified (and the key file is here).
	if v, err := s.LastVerification(ctx, b.Name); err == nil && v != nil {
		head := v.Report.Verdict.Kind
		if v.Report.Verdict.From != "" {
			head += " from " + v.Report.Verdict.From
		}
		notef(e, "verified %s: %s (confidence %s); leakwatch verify --breach %s shows the evidence",
			v.At.Format("2006-01-02"), head, v.Report.Verdict.Confidence, b.Name)
	}
	return nil
}

func setupBreachSet(fs *flag.FlagSet) runFunc {
	title := fs.String("title", "", "title shown to users")
	domain := fs.String("domain", "", "the breached site's domain")
	date := fs.String("date", "", "breach date")
	desc := fs.String("description", "", "description (`HTML`)")
	logo := fs.String("logo", "", "logo path or `URL`")
	attribution := fs.String("attribution", "", "attribution")
	disclosure := fs.String("disclosure-url", "", "disclosure `URL`")
	verified := fs.Bool("verified", false, "confirmed genuine")
	unverified := fs.Bool("unverified", false, "not confirmed (clears --verified)")
	fabricated := fs.Bool("fabricated", false, "data likely not from the claimed source")
	spam := fs.Bool("spam-list", false, "a spam list")
	stealer := fs.Bool("stealer-log", false, "infostealer logs")
	sensitive := fs.Bool("sensitive", false, "sensitive: hidden from public searches")
	retired := fs.Bool("retired", false, "retired")
	malware := fs.Bool("malware", false, "from malware")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"breach set needs one breach NAME"}
		}
		if *verified && *unverified {
			return usageError{"--verified and --unverified contradict each other"}
		}
		var edit control.BreachEdit
		str := func(v string) *string { return &v }
		yes := func(v bool) *bool { return &v }
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "title":
				edit.Title = str(*title)
			case "domain":
				edit.Domain = str(*domain)
			case "date":
				edit.BreachDate = str(*date)
			case "description":
				edit.Description = str(*desc)
			case "logo":
				edit.LogoPath = str(*logo)
			case "attribution":
				edit.Attribution = str(*attribution)
			case "disclosure-url":
				edit.DisclosureURL = str(*disclosure)
			case "verified":
				edit.IsVerified = yes(*verified)
			case "unverified":
				edit.IsVerified = yes(!*unverified)
			case "fabricated":
				edit.IsFabricated = yes(*fabricated)
			case "spam-list":
				edit.IsSpamList = yes(*spam)
			case "stealer-log":
				edit.IsStealerLog = yes(*stealer)
			case "sensitive":
				edit.IsSensitive = yes(*sensitive)
			case "retired":
				edit.IsRetired = yes(*retired)
			case "malware":
				edit.IsMalware = yes(*malware)
			}
		})
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		b, err := s.EditBreach(ctx, args[0], edit)
		if err != nil {
			return err
		}
		return writeJSON(e, b)
	}
}
