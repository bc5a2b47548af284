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
	"strconv"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what every command gets: its streams, and where the data lives.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	data           string
	keyring        string
	dataSet        bool   // --data or LEAKWATCH_DATA was given
	server         string // --server or LEAKWATCH_SERVER: a remote server's admin URL
	serverCA       string // --server-ca or LEAKWATCH_SERVER_CA

	// usage prints the usage of the command being run, for --help and
	// after a usage error; newFlags and runCommand set it.
	usage func(io.Writer)
}

// usageError is an error in how the command was called: exit status 2,
// and the command's usage after the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError ends the command with a specific exit status, printing err
// first if it is not nil (check's 1 has no message; its errors exit 2).
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e exitError) Unwrap() error { return e.err }

// hintError adds a hint line to an error shown to the user.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

func withHint(err error, hint string) error { return hintError{err, hint} }

// run is the whole program; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, stdin, stdout, stderr, os.Getenv)
}

// globals are the flags that come before the command.
type globals struct {
	data, keyring, cpuprofile string
	server, serverCA          string
	version                   bool
}

func globalFlags(g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet("leakwatch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&g.data, "data", "", "data directory (env LEAKWATCH_DATA, default ./leakwatch-data)")
	fs.StringVar(&g.keyring, "keyring", "", "key file (env LEAKWATCH_KEYRING, default DIR/keyring.json)")
	fs.StringVar(&g.server, "server", "", "work through the admin API of the server at `URL` (https://HOST:PORT; env LEAKWATCH_SERVER; token in LEAKWATCH_ADMIN_TOKEN)")
	fs.StringVar(&g.serverCA, "server-ca", "", "trust the PEM certificate(s) in `FILE` for --server (env LEAKWATCH_SERVER_CA)")
	fs.StringVar(&g.cpuprofile, "cpuprofile", "", "write a CPU profile of the command to `FILE`")
	fs.BoolVar(&g.version, "version", false, "print the version and exit")
	return fs
}

// topUsage prints leakwatch's own usage: the commands and global flags.
func topUsage(w io.Writer) {
	writeUsage(w, usage{
		synopsis: "[--data DIR] [--keyring FILE] [--server URL [--server-ca FILE]] COMMAND [ARGS]",
		commands: commands,
		heading:  "global flags",
		flags:    globalFlags(&globals{}),
		footer:   "Run 'leakwatch help COMMAND' or 'leakwatch COMMAND --help' for a command's usage.",
	})
}

func runEnv(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, usage: topUsage}
	var g globals
	fs := globalFlags(&g)
	if err := fs.Parse(args); err != nil {
		return report(e, parseError(fs, err))
	}
	if g.version {
		printVersion(e)
		return 0
	}
	if fs.NArg() == 0 {
		topUsage(stderr)
		return 2
	}
	e.data, e.keyring = g.data, g.keyring
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
	e.server, e.serverCA = g.server, g.serverCA
	if e.server == "" {
		e.server = getenv("LEAKWATCH_SERVER")
	}
	if e.serverCA == "" {
		e.serverCA = getenv("LEAKWATCH_SERVER_CA")
	}
	if g.cpuprofile != "" {
		f, err := os.Create(g.cpuprofile)
		if err != nil {
			return report(e, err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return report(e, err)
		}
		defer pprof.StopCPUProfile()
	}
	err := runCommand(ctx, e, root(), "", fs.Args())
	if err != nil && ctx.Err() != nil {
		// Ctrl-C or SIGTERM: the command stopped, and an import committed
		// nothing; whatever error it stopped with says less than this.
		fmt.Fprintln(stderr, "leakwatch: interrupted")
		return 130
	}
	return report(e, err)
}

// A command is one entry of the command table (commands.go). Help, usage,
// --help and "did you mean" all come from the table, so adding a command
// is adding an entry.
type command struct {
	name     string
	summary  string // what it does, one line, lower case
	synopsis string // its arguments, after "leakwatch NAME"

	// setup declares the command's flags on fs and returns the function
	// that runs the command, once fs is parsed, with the positional
	// arguments. Nothing may be read or written before that function runs:
	// --help must work anywhere.
	setup func(fs *flag.FlagSet) runFunc

	// run, for a command without setup, parses its own arguments with
	// newFlags and parseFlags (import).
	run runFunc

	// subs are the subcommands of a command without setup or run.
	subs []*command

	// footer, if set, ends the command's usage (the environment it reads).
	footer string

	// status is the exit status of a failure of this command and its
	// subcommands; 0 means 1 (check uses 2, as grep does).
	status int
}

type runFunc func(ctx context.Context, e *env, args []string) error

// root is leakwatch itself, the parent of the commands.
func root() *command { return &command{subs: commands} }

// runCommand runs c, named path ("keys create"), with args.
func runCommand(ctx context.Context, e *env, c *command, path string, args []string) (err error) {
	if c.status != 0 {
		defer func() {
			var ee exitError
			if err != nil && !errors.As(err, &ee) && !errors.Is(err, flag.ErrHelp) {
				err = exitError{c.status, err}
			}
		}()
	}
	switch {
	case c.run != nil:
		return c.run(ctx, e, args)
	case c.setup != nil:
		fs := newFlags(e, path, strings.TrimSpace(path+" "+c.synopsis))
		run := c.setup(fs)
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		return run(ctx, e, pos)
	}
	e.usage = func(w io.Writer) { parentUsage(w, c, path) }
	if len(args) == 0 {
		return usageError{fmt.Sprintf("%s needs a command: %s", path, names(c.subs))}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return flag.ErrHelp
	case "help":
		if path == "" {
			break // the help command
		}
		if len(args) == 1 {
			return flag.ErrHelp
		}
		// "keys help create" is "keys create --help".
		return runCommand(ctx, e, c, path, append(args[1:len(args):len(args)], "--help"))
	}
	sub := find(c.subs, args[0])
	if sub == nil {
		return unknownCommand(path, args[0], c.subs)
	}
	return runCommand(ctx, e, sub, strings.TrimSpace(path+" "+sub.name), args[1:])
}

// parentUsage prints the usage of a command that has subcommands.
func parentUsage(w io.Writer, c *command, path string) {
	if path == "" {
		topUsage(w)
		return
	}
	writeUsage(w, usage{
		synopsis: path + " COMMAND [ARGS]",
		summary:  c.summary,
		commands: c.subs,
		footer:   fmt.Sprintf("Run 'leakwatch help %s COMMAND' for a command's usage.", path),
	})
}

func find(cs []*command, name string) *command {
	for _, c := range cs {
		if c.name == name {
			return c
		}
	}
	return nil
}

func names(cs []*command) string {
	var ns []string
	for _, c := range cs {
		ns = append(ns, c.name)
	}
	if len(ns) < 2 {
		return strings.Join(ns, "")
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " or " + ns[len(ns)-1]
}

// unknownCommand is the error for a command name that is not in cs, with
// the likely intended one as a hint.
func unknownCommand(path, name string, cs []*command) error {
	full := strings.TrimSpace(path + " " + name)
	if strings.HasPrefix(name, "-") {
		prefix, cmd := "", "leakwatch COMMAND"
		if path != "" {
			prefix, cmd = path+": ", "leakwatch "+path+" COMMAND"
		}
		return withHint(usageError{fmt.Sprintf("%swant a command before the flag %s", prefix, quoteName(name))},
			fmt.Sprintf("a command's flags go after it: %s %s", cmd, quoteName(name)))
	}
	var ns []string
	for _, c := range cs {
		ns = append(ns, c.name)
	}
	err := fmt.Errorf("unknown command %s", strconv.Quote(full))
	if s, ok := suggest(name, ns); ok {
		return exitError{2, withHint(err, fmt.Sprintf("did you mean %s?", strconv.Quote(strings.TrimSpace(path+" "+s))))}
	}
	return exitError{2, withHint(err, strings.TrimSpace("leakwatch help "+path)+" lists the commands")}
}

// newFlags returns a flag set for the command named by the first word(s)
// of synopsis, and makes its usage the one --help and usage errors print.
// Package flag prints nothing: errors come back from parseFlags.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	summary, footer := "", ""
	if c := lookup(name); c != nil {
		summary, footer = c.summary, c.footer
	}
	e.usage = func(w io.Writer) {
		writeUsage(w, usage{synopsis: synopsis, summary: summary, flags: fs, footer: footer})
	}
	return fs
}

// lookup returns the command of the table named path ("breach show").
func lookup(path string) *command {
	c := root()
	for _, name := range strings.Fields(path) {
		if c = find(c.subs, name); c == nil {
			return nil
		}
	}
	return c
}

// parseFlags parses flags that may come before, between or after the
// positional arguments, and returns the positional arguments. -h and
// --help return flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, parseError(fs, err)
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

// parseError turns an error of fs.Parse into a usage error with two-dash
// flag names and, for a mistyped flag, a hint.
func parseError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	uerr := usageError{flagError(err)}
	if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
		var ns []string
		fs.VisitAll(func(f *flag.Flag) { ns = append(ns, f.Name) })
		if s, ok := suggest(name, ns); ok {
			return withHint(uerr, "did you mean --"+s+"?")
		}
	}
	return uerr
}
