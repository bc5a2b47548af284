package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/client/privatecheck"
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

// checkLoginEnv is the environment check login reads, for its usage.
const checkLoginEnv = `environment:
  LEAKWATCH_API_KEY  the server's API key, when --api-key is not given`

// privateCheckTimeout bounds a private check: the params, the request and
// the answer, with one retry after a key rotation.
const privateCheckTimeout = 60 * time.Second

func setupCheckLogin(fs *flag.FlagSet) runFunc {
	private := fs.Bool("private", false, "check against a server without telling it the password (required: there is no other login check)")
	server := fs.String("server", "", "the server's public API at `URL` (https://HOST[:PORT]; required)")
	apiKey := fs.String("api-key", "", "send `KEY` as the server's API key (env LEAKWATCH_API_KEY)")
	asJSON := fs.Bool("json", false, `print {"result":"leaked"|"similar"|"username-only"|"not found","epoch":N,"key":FINGERPRINT}`)
	var verbose bool
	fs.BoolVar(&verbose, "verbose", false, "also print the epoch and the fingerprint of the server's key on stderr")
	fs.BoolVar(&verbose, "v", false, "same as --verbose")
	return func(ctx context.Context, e *env, args []string) error {
		if !*private {
			return usageError{"check login needs --private: there is no plain login check, only the private one against a server (--private --server URL)"}
		}
		if *server == "" {
			err := usageError{"check login --private needs --server URL, the server's public API"}
			if e.server != "" {
				return withHint(err, "the --server before the command names an admin API; put the public API's URL after the command")
			}
			return err
		}
		if len(args) != 1 {
			return usageError{"check login needs one USERNAME; the password is read from standard input or a prompt, never from the command line"}
		}
		key := *apiKey
		if key == "" {
			key = e.getenv("LEAKWATCH_API_KEY")
		}
		if u, err := url.Parse(*server); err == nil && u.Scheme == "http" && key != "" && !isLoopback(u.Hostname()) {
			warnf(e, "--server is plain http: the API key travels unencrypted")
		}
		c := &privatecheck.Client{BaseURL: *server, APIKey: key, UserAgent: "leakwatch-cli"}
		return checkLogin(ctx, e, c, args[0], *asJSON, verbose)
	}
}

// checkLogin runs a private check of login and a password read like
// check password's. It never prints the password or a variant of it.
func checkLogin(ctx context.Context, e *env, c *privatecheck.Client, login string, asJSON, verbose bool) error {
	pw, err := readSecretLine(e, "password: ")
	if err != nil {
		return err
	}
	password := string(pw)
	clear(pw)
	ctx, cancel := context.WithTimeout(ctx, privateCheckTimeout)
	defer cancel()
	a, err := c.Check(ctx, login, password)
	if err != nil {
		return explainPrivate(err)
	}
	if verbose {
		notef(e, "epoch %d, server key fingerprint %s", a.Epoch, a.KeyFingerprint)
	}
	if asJSON {
		err := writeJSON(e, struct {
			Result string `json:"result"`
			Epoch  uint32 `json:"epoch"`
			Key    string `json:"key"`
		}{a.Result.String(), a.Epoch, a.KeyFingerprint})
		if err != nil {
			return err
		}
	} else {
		fmt.Fprintln(e.stdout, privateAnswerText[a.Result])
	}
	if a.Result == privatecheck.NotFound {
		return exitError{code: 1}
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// privateAnswerText is the line check login prints for each answer.
var privateAnswerText = map[privatecheck.Result]string{
	privatecheck.Leaked:       "this exact login and password are in a leak: change this password everywhere you used it",
	privatecheck.Similar:      "a password similar to this one leaked with this login: change it, and do not move to another variant of it",
	privatecheck.UsernameOnly: "this login is in a leak, but not with this password or a similar one",
	privatecheck.NotFound:     "not found: neither this login nor this password is in the leaks this server holds",
}

// explainPrivate adds a hint to the errors of a private check that have a
// likely cause.
func explainPrivate(err error) error {
	var se *privatecheck.StatusError
	switch {
	case errors.Is(err, privatecheck.ErrProof):
		return withHint(err, "do not trust this server's answers, and tell its operator")
	case errors.As(err, &se) && se.StatusCode == 401:
		return withHint(err, "pass the server's API key: --api-key KEY or LEAKWATCH_API_KEY")
	case errors.As(err, &se) && se.StatusCode == 404:
		return withHint(err, "is --server the server's public API, and does it serve the private check?")
	}
	return err
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
