package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leakwatch/leakwatch/internal/control"
)

func setupAdminTokenCreate(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, `print {"name":NAME,"secret":SECRET}`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"admin token create needs one token NAME"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		secret, err := s.CreateAdminToken(ctx, args[0])
		switch {
		case errors.Is(err, control.ErrBadRequest):
			return usageError{err.Error()}
		case errors.Is(err, control.ErrTokenExists):
			return withHint(err, "revoke it first (leakwatch admin token revoke NAME), or choose another name")
		case err != nil:
			return err
		}
		if *asJSON {
			err = writeJSON(e, struct {
				Name   string `json:"name"`
				Secret string `json:"secret"`
			}{args[0], secret})
		} else {
			_, err = fmt.Fprintln(e.stdout, secret)
		}
		if err != nil {
			return err
		}
		notef(e, "created admin token %s; remote operators set LEAKWATCH_ADMIN_TOKEN to it and pass --server https://HOST:PORT. It is shown only now.", quoteName(args[0]))
		return nil
	}
}

func setupAdminTokenList(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, `print a JSON array of {"name","created"}`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"admin token list takes no arguments"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		toks, err := s.AdminTokens(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if toks == nil {
				toks = []control.AdminTokenInfo{}
			}
			return writeJSON(e, toks)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCREATED")
		for _, t := range toks {
			fmt.Fprintf(tw, "%s\t%s\n", quoteName(t.Name), t.Created.UTC().Format(time.RFC3339))
		}
		return tw.Flush()
	}
}

func setupAdminTokenRevoke(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"admin token revoke needs one token NAME"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		err = s.RevokeAdminToken(ctx, args[0])
		if errors.Is(err, control.ErrNoSuchToken) {
			return withHint(err, "leakwatch admin token list shows them")
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked %s\n", quoteName(args[0]))
		return nil
	}
}

func setupStatus(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print the status as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"status takes no arguments"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		st, err := s.Status(ctx)
		if err != nil {
			return err
		}
		slices.SortFunc(st.Imports, func(a, b control.ImportState) int { return strings.Compare(a.Breach, b.Breach) })
		if *asJSON {
			return writeJSON(e, st)
		}
		printStatus(e, st)
		return nil
	}
}

func printStatus(e *env, st *control.Status) {
	w := e.stdout
	if !st.Server {
		fmt.Fprintf(w, "server:    not running (the data directory %s was read directly)\n", quoteName(e.data))
	} else {
		fmt.Fprintf(w, "server:    running for %s\n", st.Uptime.Round(time.Second))
		fmt.Fprintf(w, "requests:  %.1f/s\n", st.Requests)
		if p := st.Packs; p != nil {
			fmt.Fprintf(w, "ranges:    %s", p.State)
			if p.Bytes > 0 {
				fmt.Fprintf(w, ", packs of %s built %s", bytesHuman(p.Bytes), p.Built.UTC().Format(time.RFC3339))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "breaches:  %d\n", st.Breaches)
	if len(st.Imports) == 0 {
		fmt.Fprintln(w, "imports:   none running")
		return
	}
	fmt.Fprintf(w, "imports:   %d running\n", len(st.Imports))
	for _, im := range st.Imports {
		fmt.Fprintf(w, "  %s: %d rows in %s, %s rows/s\n", quoteName(im.Breach), im.Rows, im.Elapsed.Round(time.Second), countHuman(im.Rate))
	}
}
