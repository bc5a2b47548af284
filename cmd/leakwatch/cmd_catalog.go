package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
)

func cmdBreaches(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "breaches", "breaches [--json]")
	asJSON := fs.Bool("json", false, "print HIBP Breach objects as JSON")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{"breaches takes no arguments"}
	}
	st, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer st.Close()
	bs, err := st.Breaches(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, bs)
	}
	if len(bs) == 0 {
		fmt.Fprintln(e.stdout, "no breaches yet")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tDOMAIN\tDATE\tPWNCOUNT\tFLAGS")
	for _, b := range bs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", b.Name, b.Title, dash(b.Domain), dash(b.BreachDate), b.PwnCount, flagsOf(b))
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

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdBreach(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: leakwatch breach show NAME | breach set NAME [flags]"}
	}
	switch args[0] {
	case "show":
		return cmdBreachShow(ctx, e, args[1:])
	case "set":
		return cmdBreachSet(ctx, e, args[1:])
	}
	return usageError{fmt.Sprintf("unknown breach subcommand %q (want show or set)", args[0])}
}

func cmdBreachShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "breach show", "breach show NAME")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"usage: leakwatch breach show NAME"}
	}
	st, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer st.Close()
	b, err := st.Breach(ctx, pos[0])
	if errors.Is(err, store.ErrNotFound) {
		return withHint(fmt.Errorf("no breach named %q", pos[0]), "leakwatch breaches lists them")
	}
	if err != nil {
		return err
	}
	return writeJSON(e, b)
}

func cmdBreachSet(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "breach set", "breach set NAME [--title T] [--domain D] [--date YYYY-MM-DD] [--description HTML] [--verified|--unverified] [--fabricated] [--spam-list] [--stealer-log] [--sensitive] [--retired] [--malware]")
	title := fs.String("title", "", "title shown to users")
	domain := fs.String("domain", "", "the breached site's domain")
	date := fs.String("date", "", "breach date, YYYY-MM-DD")
	desc := fs.String("description", "", "description (HTML)")
	logo := fs.String("logo", "", "logo path or URL")
	attribution := fs.String("attribution", "", "attribution")
	disclosure := fs.String("disclosure-url", "", "disclosure URL")
	verified := fs.Bool("verified", false, "confirmed genuine")
	unverified := fs.Bool("unverified", false, "not confirmed (clears --verified)")
	fabricated := fs.Bool("fabricated", false, "data likely not from the claimed source")
	spam := fs.Bool("spam-list", false, "a spam list")
	stealer := fs.Bool("stealer-log", false, "infostealer logs")
	sensitive := fs.Bool("sensitive", false, "sensitive: hidden from public searches")
	retired := fs.Bool("retired", false, "retired")
	malware := fs.Bool("malware", false, "from malware")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"usage: leakwatch breach set NAME [flags]"}
	}
	if *verified && *unverified {
		return usageError{"--verified and --unverified contradict each other"}
	}
	st, err := e.openStore(true)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	b, err := st.Breach(ctx, pos[0])
	if errors.Is(err, store.ErrNotFound) {
		b = catalog.New(pos[0], now)
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
