// Package account normalises account identifiers (email addresses,
// usernames and phone numbers) before they are hashed or keyed, so that the
// spellings of one account found in different leaks map to one value.
//
// Normalisation is deliberately conservative: it removes what is certainly
// noise or another spelling of the same identifier (surrounding white
// space, letter case, Unicode normalisation forms, punycode for IDN mail
// domains, a domain's final root dot, phone punctuation) and rejects what
// is certainly not an identifier of the given kind. It does not guess: no
// removal of dots or "+tags" in Gmail addresses, because that would merge
// accounts that may be distinct. Email addresses are lower-cased like Have
// I Been Pwned matches them (case-insensitively), so SHA-1 prefixes of
// normalised ASCII addresses agree with the public service.
//
// All functions are safe for concurrent use. The Append forms are
// allocation-free when dst has enough capacity.
package account

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Kind tells what sort of identifier a normalised value is. Its numeric
// values are part of the keyed hashes stored by leakwatch (see package
// keyring) and must never be renumbered.
type Kind uint8

// The kinds of account identifier.
const (
	KindEmail    Kind = 1
	KindUsername Kind = 2
	KindPhone    Kind = 3
)

// String returns the lower-case name of k.
func (k Kind) String() string {
	switch k {
	case KindEmail:
		return "email"
	case KindUsername:
		return "username"
	case KindPhone:
		return "phone"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Limits on normalised identifiers.
const (
	// MaxEmailLen is the longest normalised email address accepted, in
	// bytes: the 254-octet path limit of RFC 5321 minus the angle brackets.
	MaxEmailLen = 254
	// MaxUsernameLen is the longest normalised username accepted, in
	// characters (Unicode code points).
	MaxUsernameLen = 128
)

// Email returns the normalised form of the email address s in a fresh
// slice, and whether s is an acceptable address. See AppendEmail.
func Email(s []byte) (norm []byte, ok bool) {
	norm, ok = AppendEmail(make([]byte, 0, len(s)+8), s)
	if !ok {
		return nil, false
	}
	return norm, true
}

// AppendEmail appends the normalised form of the email address s to dst.
//
// Normalisation trims surrounding white space and lower-cases the address
// (a byte loop for ASCII, Unicode simple case mapping otherwise), puts
// non-ASCII text in Unicode normalisation form C (so that "jürgen" typed
// precomposed and found decomposed is one address), writes an IDN domain
// given in punycode ("xn--...") in Unicode, and drops the root label's dot
// at the end of the domain ("example.com." is example.com). These spell
// one address in several ways; nothing that could merge distinct mailboxes
// (Gmail's dots and +tags) is done. The result is accepted when it is valid
// UTF-8 of at most MaxEmailLen bytes without white space or control
// characters, and has exactly one '@' with a non-empty local part before it
// and a domain of non-empty labels after it.
//
// On success it returns the extended slice and true. Otherwise it returns
// dst unchanged (same length) and false. It does not allocate when dst has
// room for len(s) more bytes (case mapping of a few non-ASCII letters can
// grow the text; then append may allocate).
func AppendEmail(dst, s []byte) ([]byte, bool) {
	start := len(dst)
	out, ok := appendLower(dst, bytes.TrimSpace(s), false)
	if !ok {
		return dst[:start], false
	}
	out = canonicalEmail(out, start)
	if !validEmail(out[start:]) {
		return dst[:start], false
	}
	return out, true
}

// canonicalEmail rewrites the lower-cased address at buf[start:] in its
// canonical spelling (see AppendEmail). ASCII addresses of ASCII domains
// are left alone but for a final dot.
func canonicalEmail(buf []byte, start int) []byte {
	e := buf[start:]
	at := bytes.LastIndexByte(e, '@')
	if at < 0 {
		return buf
	}
	if n := len(e); n > at+2 && e[n-1] == '.' && e[n-2] != '.' {
		buf, e = buf[:len(buf)-1], e[:n-1] // the root label's dot
	}
	ascii := true
	for _, c := range e {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	domain := e[at+1:]
	puny := bytes.HasPrefix(domain, []byte("xn--")) || bytes.Contains(domain, []byte(".xn--"))
	if !puny && (ascii || norm.NFC.IsNormal(e)) {
		return buf
	}
	local, dom := string(e[:at]), string(domain)
	if puny {
		if u, err := idna.Punycode.ToUnicode(dom); err == nil {
			dom = strings.ToLower(u)
		}
	}
	out := append(buf[:start], norm.NFC.String(local)...)
	out = append(out, '@')
	return append(out, norm.NFC.String(dom)...)
}

// validEmail checks the structure of an address: exactly one '@', a
// non-empty local part, and a domain of non-empty labels (a single label,
// as in "walter@localhost", is a mail domain too) whose last label holds a
// letter, so that "5@10" stays a username.
func validEmail(e []byte) bool {
	if len(e) > MaxEmailLen {
		return false
	}
	at := bytes.IndexByte(e, '@')
	if at <= 0 || bytes.IndexByte(e[at+1:], '@') >= 0 {
		return false
	}
	domain := e[at+1:]
	if len(domain) == 0 || domain[0] == '.' || domain[len(domain)-1] == '.' || bytes.Contains(domain, []byte("..")) {
		return false
	}
	last := domain[bytes.LastIndexByte(domain, '.')+1:]
	for _, c := range last {
		if 'a' <= c|0x20 && c|0x20 <= 'z' || c >= 0x80 {
			return true
		}
	}
	return false
}

// Domain returns the part of email after its last '@' (a sub-slice of
// email, not a copy), or nil when email has no '@'. For a normalised
// address that is its lower-case mail domain.
func Domain(email []byte) []byte {
	at := bytes.LastIndexByte(email, '@')
	if at < 0 {
		return nil
	}
	return email[at+1:]
}

// Username returns the normalised form of the username s in a fresh slice,
// and whether it is acceptable. See AppendUsername.
func Username(s []byte) ([]byte, bool) {
	norm, ok := AppendUsername(make([]byte, 0, len(s)+8), s)
	if !ok {
		return nil, false
	}
	return norm, true
}

// AppendUsername appends the normalised form of the username s to dst: s
// trimmed of surrounding white space and lower-cased. Inner spaces are kept
// (some services allow them). The result is accepted when it is non-empty
// valid UTF-8 of at most MaxUsernameLen characters without control
// characters. On failure it returns dst unchanged and false.
func AppendUsername(dst, s []byte) ([]byte, bool) {
	start := len(dst)
	out, ok := appendLower(dst, bytes.TrimSpace(s), true)
	if ok && !isASCII(out[start:]) && !norm.NFC.IsNormal(out[start:]) {
		// One name in one Unicode normalisation form (NFC).
		n := norm.NFC.String(string(out[start:]))
		out = append(out[:start], n...)
	}
	if !ok || len(out) == start || utf8.RuneCount(out[start:]) > MaxUsernameLen {
		return dst[:start], false
	}
	return out, true
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendLower appends s lower-cased to dst. It fails on invalid UTF-8 and
// on control characters. For usernames (username true) white space and
// format characters are kept; for email addresses they are rejected.
func appendLower(dst, s []byte, username bool) ([]byte, bool) {
	dst = slices.Grow(dst, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == ' ':
				if !username {
					return dst, false
				}
			case c < 0x20 || c == 0x7f:
				return dst, false
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			return dst, false
		}
		if unicode.IsControl(r) {
			return dst, false
		}
		// Format characters (zero-width spaces and joiners, bidi controls,
		// BOM) are invisible: in an email address they are junk from the
		// source file. Usernames keep them (emoji sequences use ZWJ).
		if !username && (unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)) {
			return dst, false
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += size
	}
	return dst, true
}
