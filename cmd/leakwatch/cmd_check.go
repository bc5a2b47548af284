package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leakwatch/leakwatch/internal/exposure"
	"golang.org/x/term"
)

// The check commands answer offline, with grep's exit statuses: 0 exposed,
// 1 not exposed, 2 error (the table's status for check).

func setupCheckEmail(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print the breaches as a JSON array of HIBP Breach objects")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"check email needs one ADDRESS, or - to read it from standard input"}
		}
		return checkEmail(ctx, e, args[0], *asJSON)
	}
}

func setupCheckPassword(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, `print {"pwned":BOOL,"count":N}`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"check password reads the password from standard input or a prompt, never from the command line"}
		}
		return checkPassword(ctx, e, *asJSON)
	}
}

func checkPassword(ctx context.Context, e *env, asJSON bool) error {
	pw, err := readSecretLine(e, "password: ")
	if err != nil {
		return err
	}
	defer clear(pw)
	s, err := e.connect(ctx, useKeys)
	if err != nil {
		return err
	}
	defer s.end(true)
	n, err := s.PasswordCount(ctx, pw)
	clear(pw)
	if err != nil {
		return err
	}
	if asJSON {
		fmt.Fprintf(e.stdout, "{\"pwned\":%t,\"count\":%d}\n", n > 0, n)
	} else if n > 0 {
		fmt.Fprintf(e.stdout, "this password has been seen %d times in breaches\n", n)
	} else {
		fmt.Fprintln(e.stdout, "this password was not found in any imported breach")
	}
	if n == 0 {
		return exitError{code: 1}
	}
	return nil
}

func checkEmail(ctx context.Context, e *env, acct string, asJSON bool) error {
	if acct == "-" {
		// From standard input, the address stays out of ps and the
		// shell's history.
		b, err := readSecretLine(e, "email address: ")
		if err != nil {
			return err
		}
		acct = string(b)
	}
	s, err := e.connect(ctx, useKeys)
	if err != nil {
		return err
	}
	defer s.end(true)
	// What the public API would answer: no sensitive or retired breach.
	breaches, err := s.AccountBreaches(ctx, acct)
	if errors.Is(err, exposure.ErrBadAccount) {
		return errors.New("that is not an email address, phone number or username")
	}
	if err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(e, breaches); err != nil {
			return err
		}
	} else if len(breaches) == 0 {
		fmt.Fprintln(e.stdout, "not found in any imported breach (breaches flagged sensitive or retired are not shown, as the public API does not show them)")
	} else {
		fmt.Fprintf(e.stdout, "found in %d breach(es):\n", len(breaches))
		for _, b := range breaches {
			fmt.Fprintf(e.stdout, "  %s  %s  %s  (%s)\n", quoteName(b.Name), dash(b.BreachDate), quoteName(b.Title), strings.Join(b.DataClasses, ", "))
		}
	}
	if len(breaches) == 0 {
		return exitError{code: 1}
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
