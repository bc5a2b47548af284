package account

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// AppendLogin decides what kind of identifier a login is and appends its
// normalised form to dst. It is the one place that tells an email address
// from a phone number or a username: import calls it for every login it
// keeps and lookup for every identifier a user types, so that whatever an
// import stores can be found again.
//
//   - An email address: an '@' after the first character and a valid
//     address (see AppendEmail).
//   - A phone number: a leading '+' and a valid E.164 number (see
//     AppendPhone).
//   - Otherwise a username (see AppendUsername): handles such as "@jdoe",
//     "+bob" or "walter@" are usernames, not malformed emails.
//
// It returns false only for what is no identifier at all: empty, control
// characters, invalid UTF-8, or too long.
func AppendLogin(dst, s []byte) (Kind, []byte, bool) {
	t := bytes.TrimSpace(s)
	if IsEmail(t) {
		if out, ok := AppendEmail(dst, t); ok {
			return KindEmail, out, true
		}
	}
	if len(t) > 0 && t[0] == '+' {
		if out, ok := AppendPhone(dst, t, ""); ok {
			return KindPhone, out, true
		}
	}
	if out, ok := AppendUsername(dst, t); ok {
		return KindUsername, out, true
	}
	return 0, dst, false
}

// Login is AppendLogin into a fresh slice.
func Login(s []byte) (Kind, []byte, bool) {
	return AppendLogin(make([]byte, 0, len(s)+8), s)
}

// IsEmail reports whether s, trimmed of surrounding white space, is an
// email address as AppendLogin decides: it holds an '@' after its first
// character and AppendEmail accepts it. It does not allocate.
func IsEmail(s []byte) bool {
	s = bytes.TrimSpace(s)
	at := bytes.IndexByte(s, '@')
	if at <= 0 || len(s) > MaxEmailLen {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
		i += size
	}
	return validEmail(s)
}
