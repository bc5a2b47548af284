package main

// This file holds leakwatch's output rules, in one place:
//
//   - Results go to stdout: text for people, or JSON with --json
//     (writeJSON). Everything else goes to stderr.
//   - An error is one line, "leakwatch: " and the message in lower case
//     with no final period, printed once, by report; a hint line
//     "hint: ..." follows when a likely fix is known. A usage error is
//     followed by the command's usage.
//   - Warnings and notes are "leakwatch: warning: ..." and "leakwatch: ..."
//     lines on stderr (warnf, notef).
//   - Progress is a bar redrawn in place on a terminal and one plain line
//     per interval otherwise (progressPrinter in cmd_import.go), with the
//     current rate from a rateMeter.
//   - Usage text comes from writeUsage only: flags are written with two
//     dashes, as the README writes them.
//   - Names that come from input or from the store (file names, archive
//     members, breach names and titles, key names) go through quoteName, and
//     whole messages that may embed such names through escapeText, so that a
//     hostile name cannot forge output lines or drive the terminal.

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/safetext"
)

// quoteName returns a name from input or the store ready to print
// (safetext.Quote): quoted with Go escapes when it holds anything but
// printable characters.
func quoteName(s string) string { return safetext.Quote(s) }

// escapeText escapes, in place, what quoteName would quote, for whole
// messages that may embed untrusted names (safetext.Escape).
func escapeText(msg string) string { return safetext.Escape(msg) }

// report prints err the one way errors are printed and returns the exit
// status: 0 for nil and for a help request (whose usage it prints on
// stdout), 2 for a usage error (followed by the command's usage), the code
// of an exitError, else 1.
func report(e *env, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		if e.usage != nil {
			e.usage(e.stdout)
		}
		return 0
	}
	code := 1
	var ee exitError
	if errors.As(err, &ee) {
		if ee.err == nil {
			return ee.code // the status says it all (check's 1)
		}
		code = ee.code
	}
	var ue usageError
	isUsage := errors.As(err, &ue)
	if isUsage {
		code = 2
	}
	printError(e.stderr, err)
	if isUsage && e.usage != nil {
		fmt.Fprintln(e.stderr)
		e.usage(e.stderr)
	}
	return code
}

// printError prints "leakwatch: MESSAGE" and, if err carries one, the hint
// line. The errors of errors.Join are printed one per line.
func printError(w io.Writer, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, err := range j.Unwrap() {
			printError(w, err)
		}
		return
	}
	fmt.Fprintf(w, "leakwatch: %s\n", escapeText(strings.TrimSpace(err.Error())))
	var he hintError
	if errors.As(err, &he) {
		fmt.Fprintf(w, "hint: %s\n", escapeText(he.hint))
	}
}

// warnf prints a warning line on stderr.
func warnf(e *env, format string, args ...any) {
	fmt.Fprintf(e.stderr, "leakwatch: warning: %s\n", escapeText(fmt.Sprintf(format, args...)))
}

// notef prints a note (what a command did or is doing) on stderr.
func notef(e *env, format string, args ...any) {
	fmt.Fprintf(e.stderr, "leakwatch: %s\n", escapeText(fmt.Sprintf(format, args...)))
}

// writeJSON prints v as indented JSON on stdout: the --json output of every
// command.
func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// usage is what writeUsage prints for one command.
type usage struct {
	synopsis string     // after "usage: leakwatch "; further forms on lines of their own
	summary  string     // what the command does, one line
	commands []*command // a parent's commands
	heading  string     // of the flags section: "flags" unless set
	flags    *flag.FlagSet
	footer   string
}

// writeUsage prints a usage text. It is the only usage printer: every
// command's --help, "leakwatch help", and the usage after a usage error.
func writeUsage(w io.Writer, u usage) {
	fmt.Fprintf(w, "usage: leakwatch %s\n", u.synopsis)
	if u.summary != "" {
		fmt.Fprintf(w, "\n%s\n", u.summary)
	}
	if len(u.commands) > 0 {
		// "  name   description", one per line, then a blank line: scripts
		// parse this section.
		width := 0
		for _, c := range u.commands {
			width = max(width, len(c.name))
		}
		fmt.Fprintf(w, "\ncommands:\n")
		for _, c := range u.commands {
			fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
		}
	}
	if lines := flagLines(u.flags); len(lines) > 0 {
		heading := u.heading
		if heading == "" {
			heading = "flags"
		}
		fmt.Fprintf(w, "\n%s:\n", heading)
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	if u.footer != "" {
		fmt.Fprintf(w, "\n%s\n", u.footer)
	}
}

// flagLines returns one line per flag of fs, in name order:
// "--name PLACEHOLDER  description (default X)", the descriptions aligned.
func flagLines(fs *flag.FlagSet) []string {
	if fs == nil {
		return nil
	}
	var left, right []string
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		ph, desc := placeholder(f)
		l := "--" + f.Name
		if ph != "" {
			l += " " + ph
		}
		if !zeroDefault(f) {
			desc += " (default " + f.DefValue + ")"
		}
		width = max(width, len(l))
		left, right = append(left, l), append(right, desc)
	})
	lines := make([]string, len(left))
	for i := range left {
		lines[i] = fmt.Sprintf("%-*s  %s", width, left[i], right[i])
	}
	return lines
}

// placeholders name the values of flags whose usage names none, by flag
// name; any other string flag shows its name in upper case.
var placeholders = map[string]string{
	"breach":       "NAME",
	"data":         "DIR",
	"keyring":      "FILE",
	"date":         "YYYY-MM-DD",
	"map":          "COLUMN=CLASS",
	"phone-region": "REGION",
}

// placeholder returns the name of a flag's value and its description. As
// in package flag, a back-quoted word in the usage names the value; else
// numbers are N, booleans take none, and other values are named by
// placeholders or by the flag's name.
func placeholder(f *flag.Flag) (name, desc string) {
	name, desc = flag.UnquoteUsage(f)
	if strings.Contains(f.Usage, "`") {
		return name, desc
	}
	switch name {
	case "":
		return "", desc // a boolean
	case "int", "uint", "float":
		return "N", desc
	case "duration":
		return "DURATION", desc
	}
	if p, ok := placeholders[f.Name]; ok {
		return p, desc
	}
	return strings.ToUpper(f.Name), desc
}

// zeroDefault reports whether a flag's default is its type's zero value,
// which usage does not mention.
func zeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "[]":
		return true
	}
	return false
}

// flagErrorRE matches the flag names in package flag's error messages,
// which it writes with one dash.
var flagErrorRE = regexp.MustCompile(`((?:^|: |flag |for )-)([^-\s:][^\s:]*)`)

// flagError rewrites an error of package flag with two-dash flag names.
func flagError(err error) string {
	return flagErrorRE.ReplaceAllString(err.Error(), "$1-$2")
}

// A rateMeter turns cumulative counts into the current rate: the rate over
// each interval, smoothed exponentially with time constant tau so that the
// figure neither jumps with every interval nor lags minutes behind.
type rateMeter struct {
	tau  time.Duration
	n    int64         // count at the last update
	at   time.Duration // time of the last update
	rate float64       // per second
	ok   bool          // rate is known: some count was seen
}

// update records count n at time at (both cumulative since the start) and
// returns the current rate per second; ok is false until counting has
// begun, so that a start-up pause does not show as a rate of 0.
func (m *rateMeter) update(n int64, at time.Duration) (rate float64, ok bool) {
	dt := at - m.at
	if dt <= 0 {
		return m.rate, m.ok
	}
	r := float64(n-m.n) / dt.Seconds()
	switch {
	case !m.ok && n > m.n:
		m.rate, m.ok = r, true
	case m.ok:
		a := 1 - math.Exp(-dt.Seconds()/m.tau.Seconds())
		m.rate += a * (r - m.rate)
	}
	m.n, m.at = n, at
	return m.rate, m.ok
}
