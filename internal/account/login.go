package account

import "errors"

import "bytes"

// AppendLogin decides what kind of identifier a login is and appends its
// normalised form to dst. It is the one place that tells an email address
// from a phone number or a username: import calls it for every login it
// keeps and lookup for every identifier a user types, so that whatever an
// import stores can be found again.
//
//   - An email address: an '@' after the first character and a valid
//     address (see AppendEmail).
//   - A phone number: a leading '+' and a valid E.164 number (see
//     AppendPhone); or 11 to 15 digits alone that are the E.164 form of a
//     mobile number without its '+' ("79161234567", "380501234567"; see
//     e164.go for which digit strings are, and why QQ numbers, user ids
//     and timestamps are not).
//   - Otherwise a username (see AppendUsername): handles such as "@jdoe",
//     "+bob" or "walter@" are usernames, not malformed emails.
//
// It returns false only for what is no identifier at all: empty, control
// characters, invalid UTF-8, or too long.
func AppendLogin(dst, s []byte) (Kind, []byte, bool) {
	return AppendLoginIn(dst, s, "")
}

// AppendLoginIn is AppendLogin for the logins of a leak whose national
// phone numbers are of region, an ISO 3166-1 alpha-2 code ("RU"; "" for
// none): a login in a national form of that region ("8 (916) 123-45-67",
// "89161234567", "9161234567" in Russia) is a phone number too. See
// nationalLogin for which national forms are. Where a login is both a
// national number of region and an international number without its '+',
// the region decides. A lookup, which knows no region, finds such a number
// by its E.164 form.
func AppendLoginIn(dst, s []byte, region string) (Kind, []byte, bool) {
	t := bytes.TrimSpace(s)
	if at := bytes.IndexByte(t, '@'); at > 0 {
		if out, ok := AppendEmail(dst, t); ok {
			return KindEmail, out, true
		}
	}
	if len(t) > 0 && t[0] == '+' {
		if out, ok := AppendPhone(dst, t, ""); ok {
			return KindPhone, out, true
		}
	}
	if region != "" {
		if out, ok := nationalLogin(dst, t, region); ok {
			return KindPhone, out, true
		}
	}
	if e164Mobile(t) {
		dst = append(dst, '+')
		return KindPhone, append(dst, t...), true
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

// IsEmail reports whether AppendLogin takes s for an email address: it has
// an '@' after its first character and AppendEmail accepts it. It does not
// allocate for addresses of up to MaxEmailLen bytes.
func IsEmail(s []byte) bool {
	t := bytes.TrimSpace(s)
	if bytes.IndexByte(t, '@') <= 0 || len(t) > 2*MaxEmailLen {
		return false
	}
	// ASCII, the common case: lower-casing changes neither length nor
	// structure, so AppendEmail accepts exactly the printable addresses
	// validEmail accepts.
	ascii := true
	for _, c := range t {
		if c >= 0x80 {
			ascii = false
			break
		}
		if c <= ' ' || c == 0x7f {
			return false
		}
	}
	if ascii && !bytes.Contains(t, []byte("xn--")) {
		if n := len(t); n > 2 && t[n-1] == '.' && t[n-2] != '.' && t[n-2] != '@' {
			t = t[:n-1] // the root label's dot, as canonicalEmail drops it
		}
		return validEmail(t)
	}
	var buf [2 * MaxEmailLen]byte
	_, ok := AppendEmail(buf[:0], t)
	return ok
}

// IsPhone reports whether AppendLogin takes s for a phone number. It does
// not allocate.
func IsPhone(s []byte) bool {
	t := bytes.TrimSpace(s)
	if len(t) == 0 {
		return false
	}
	if t[0] == '+' {
		var buf [1 + MaxPhoneDigits]byte
		_, ok := AppendPhone(buf[:0], t, "")
		return ok
	}
	return e164Mobile(t)
}

// ErrBadLogin is returned by Parse for input that is no email, phone
// number or username.
var ErrBadLogin = errors.New("not an email address, phone number or username")

// Parse classifies and normalises a login typed by a user with Login, the
// decision import makes for every login it keeps.
func Parse(s string) (Kind, []byte, error) {
	kind, norm, ok := Login([]byte(s))
	if !ok {
		return 0, nil, ErrBadLogin
	}
	return kind, norm, nil
}
