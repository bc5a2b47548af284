package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
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
	d, err := e.open(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	st := d.Store
	bs, err := st.Breaches(ctx)
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
	d, err := e.open(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	st := d.Store
	b, err := st.Breach(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return withHint(fmt.Errorf("no breach named %q", name), "leakwatch breaches lists them")
	}
	if err != nil {
		return err
	}
	return writeJSON(e, b)
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
		d, err := e.open(ctx, false, pebblestore.Options{})
		if err != nil {
			return err
		}
		defer d.Close()
		st := d.Store
		now := time.Now()
		b, err := st.Breach(ctx, args[0])
		if errors.Is(err, store.ErrNotFound) {
			b = catalog.New(args[0], now)
		} else if err != nil {
			return err
		}
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "title":
				b.Title = *title
			case "domain":
				b.Domain = strings.ToLower(*domain)
			case "date":
				b.BreachDate = *date
			case "description":
				b.Description = *desc
			case "logo":
				b.LogoPath = *logo
			case "attribution":
				b.Attribution = *attribution
			case "disclosure-url":
				b.DisclosureURL = *disclosure
			case "verified":
				b.IsVerified = *verified
			case "unverified":
				b.IsVerified = !*unverified
			case "fabricated":
				b.IsFabricated = *fabricated
			case "spam-list":
				b.IsSpamList = *spam
			case "stealer-log":
				b.IsStealerLog = *stealer
			case "sensitive":
				b.IsSensitive = *sensitive
			case "retired":
				b.IsRetired = *retired
			case "malware":
				b.IsMalware = *malware
			}
		})
		b.ModifiedDate = catalog.Timestamp{Time: now.UTC().Truncate(time.Second)}
		if err := st.PutBreach(ctx, b); err != nil {
			return err
		}
		b, err = st.Breach(ctx, b.Name)
		if err != nil {
			return err
		}
		return writeJSON(e, b)
	}
}
