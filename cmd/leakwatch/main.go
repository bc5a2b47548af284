// Command leakwatch is a self-hosted breach-exposure service: it imports
// leaked data without keeping plaintext, answers "was I exposed?" through a
// Have I Been Pwned compatible API, and keeps its secrets in a key file
// apart from the data.
//
// This package only wires command-line flags to the internal packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: leakwatch [--data DIR] [--keyring FILE] COMMAND [ARGS]

commands:
  demo       import a generated sample leak and serve it
  serve      serve the HIBP-compatible API
  import     import leaked data into a breach
  quarantine list the lines an import could not parse
  breaches   list the breach catalog
  breach     show or edit one breach (breach show NAME, breach set NAME ...)
  check      check an email address or a password offline (check email ADDR, check password)
  gen        generate a synthetic leak
  keys       manage API keys (keys create|list|revoke)
  keyring    manage the key file (keyring rotate)
  export     export the Pwned Passwords corpus (export pwned-passwords)

global flags:
  --data DIR      data directory (env LEAKWATCH_DATA, default ./leakwatch-data)
  --keyring FILE  key file (env LEAKWATCH_KEYRING, default DIR/keyring.json)
  --cpuprofile F  write a CPU profile of the command to F

Run 'leakwatch COMMAND -h' for a command's flags.
`

// env is what every command gets: its streams, and where the data lives.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	data           string
	keyring        string
	dataSet        bool // --data or LEAKWATCH_DATA was given
}

// usageError is an error in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError carries a specific exit status without a message (check's 1).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// hintError adds a hint line to an error shown to the user.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

func withHint(err error, hint string) error { return hintError{err, hint} }

type command func(ctx context.Context, e *env, args []string) error

var commands map[string]command

func init() {
	commands = map[string]command{
		"demo":       cmdDemo,
		"serve":      cmdServe,
		"import":     cmdImport,
		"quarantine": cmdQuarantine,
		"breaches":   cmdBreaches,
		"breach":     cmdBreach,
		"check":      cmdCheck,
		"gen":        cmdGen,
		"keys":       cmdKeys,
		"keyring":    cmdKeyring,
		"export":     cmdExport,
	}
}

// run is the whole program; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, stdin, stdout, stderr, os.Getenv)
}

func runEnv(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	fs := flag.NewFlagSet("leakwatch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&e.data, "data", "", "")
	fs.StringVar(&e.keyring, "keyring", "", "")
	cpuprofile := fs.String("cpuprofile", "", "")
	help := fs.Bool("help", false, "")
	fs.BoolVar(help, "h", false, "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "leakwatch: %v\n%s", err, usage)
		return 2
	}
	if *help || fs.NArg() == 0 {
		fmt.Fprint(stdout, usage)
		if *help {
			return 0
		}
		return 2
	}
	e.dataSet = e.data != "" || getenv("LEAKWATCH_DATA") != ""
	if e.data == "" {
		e.data = getenv("LEAKWATCH_DATA")
	}
	if e.data == "" {
		e.data = "leakwatch-data"
	}
	if e.keyring == "" {
		e.keyring = getenv("LEAKWATCH_KEYRING")
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "leakwatch: unknown command %q\n%s", name, usage)
		return 2
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return report(stderr, err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return report(stderr, err)
		}
		defer pprof.StopCPUProfile()
	}
	err := cmd(ctx, e, rest)
	return report(stderr, err)
}

func report(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "leakwatch: %s\n", strings.TrimSpace(err.Error()))
	var he hintError
	if errors.As(err, &he) {
		fmt.Fprintf(stderr, "hint: %s\n", he.hint)
	}
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// parseFlags parses flags that may come before, between or after the
// positional arguments, and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "-" || !strings.HasPrefix(args[0], "-") {
			pos = append(pos, args[0])
			args = args[1:]
			continue
		}
		// "--" ends flags.
		pos = append(pos, args[1:]...)
		return pos, nil
	}
}

// newFlags returns a flag set whose usage goes to the user's stderr.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: leakwatch %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
