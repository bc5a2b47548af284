// Package safetext makes untrusted text safe to print on a terminal or in
// a log: file and archive member names, breach names, any message that may
// embed them. A name with a newline or an escape sequence could otherwise
// forge lines of output or drive the terminal.
package safetext

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Quote returns a name ready to print: unchanged when it is valid UTF-8
// made of printable characters, else quoted with Go escapes
// (strconv.Quote), so that a newline, an escape sequence or a bidi control
// shows as \n, \x1b or \u202e instead of acting. An empty name, and one
// that begins with a double quote (and so could pass for a quoted one), are
// quoted too.
func Quote(s string) string {
	if s == "" || s[0] == '"' || !Printable(s) {
		return strconv.Quote(s)
	}
	return s
}

// Printable reports whether s is valid UTF-8 of printable characters and
// ASCII spaces only.
func Printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return false // RuneError: invalid UTF-8 (or a literal U+FFFD)
		}
	}
	return true
}

// Escape escapes the characters of a whole message that Quote would, in
// place: for messages that may embed an untrusted name. The result is one
// line.
func Escape(msg string) string {
	if Printable(msg) {
		return msg
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(msg); i += w {
		r, n := utf8.DecodeRuneInString(msg[i:])
		w = n
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, msg[i])
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
