package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
	"io"
	"os"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"golang.org/x/term"
)

// cmdCheck answers offline, with grep's exit statuses: 0 exposed, 1 not
// exposed, 2 error.
func cmdCheck(ctx context.Context, e *env, args []string) error {
	err := check(ctx, e, args)
	var ee exitError
	if err == nil || errors.As(err, &ee) {
		return err
	}
	report(e.stderr, err)
	return exitError{2}
}

func check(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: leakwatch check email ADDRESS | check password"}
	}
	what := args[0]
	fs := newFlags(e, "check "+what, "check email ADDRESS | check password  [--json]")
	asJSON := fs.Bool("json", false, "machine-readable output")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	switch {
	case what == "email" && len(pos) == 1:
	case what == "password" && len(pos) == 0:
	case what == "password":
		return usageError{"check password reads the password from standard input or a prompt, never from the command line"}
	default:
		return usageError{"usage: leakwatch check email ADDRESS|- | check password"}
	}
	st, kr, err := e.openSealed(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	x := exposure.New(st, kr)
	if what == "password" {
		pw, err := readSecretLine(e, "password: ")
		if err != nil {
			return err
		}
		n, err := x.PasswordCount(ctx, pw)
		clear(pw)
		if err != nil {
			return err
		}
		if *asJSON {
			fmt.Fprintf(e.stdout, "{\"pwned\":%t,\"count\":%d}\n", n > 0, n)
		} else if n > 0 {
			fmt.Fprintf(e.stdout, "this password has been seen %d times in breaches\n", n)
		} else {
			fmt.Fprintln(e.stdout, "this password was not found in any imported breach")
		}
		if n == 0 {
			return exitError{1}
		}
		return nil
	}
	acct := pos[0]
	if acct == "-" {
		// From standard input, the address stays out of ps and the
		// shell's history.
		b, err := readSecretLine(e, "email address: ")
		if err != nil {
			return err
		}
		acct = string(b)
	}
	names, err := x.AccountBreaches(ctx, acct)
	if errors.Is(err, exposure.ErrBadAccount) {
		return usageError{"that is not an email address, phone number or username"}
	}
	if err != nil {
		return err
	}
	breaches := []catalog.Breach{}
	for _, n := range names {
		b, err := st.Breach(ctx, n)
		if err != nil {
			return err
		}
		breaches = append(breaches, b)
	}
	if *asJSON {
		if err := writeJSON(e, breaches); err != nil {
			return err
		}
	} else if len(breaches) == 0 {
		fmt.Fprintln(e.stdout, "not found in any imported breach")
	} else {
		fmt.Fprintf(e.stdout, "found in %d breach(es):\n", len(breaches))
		for _, b := range breaches {
			fmt.Fprintf(e.stdout, "  %s  %s  %s  (%s)\n", b.Name, dash(b.BreachDate), b.Title, strings.Join(b.DataClasses, ", "))
		}
	}
	if len(breaches) == 0 {
		return exitError{1}
	}
	return nil
}

// readSecretLine reads one line: with a prompt and no echo on a terminal,
// else the first line of standard input.
func readSecretLine(e *env, prompt string) ([]byte, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, prompt)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return pw, err
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 64<<10)).ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, err
	}
	line = []byte(strings.TrimRight(string(line), "\r\n"))
	if len(line) == 0 {
		return nil, errors.New("nothing on standard input")
	}
	return line, nil
}
