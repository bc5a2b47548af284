package leakparse

import (
	"bytes"
	"net/netip"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/hashid"
)

// Byte classes.
var (
	isSpace   = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}
	comboSep  = [256]bool{':': true, ';': true, '|': true, '\t': true, ' ': true, '\v': true, '\f': true, '\r': true}
	isHexByte [256]bool
	// hostByte holds the bytes a host name may hold (IDN hosts as UTF-8).
	hostByte [256]bool
)

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		isHexByte[c] = '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
		alnum := '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
		hostByte[c] = alnum || b == '-' || b == '.' || b == '_' || b >= 0x80
	}
}

func indexByte(b []byte, c byte) int { return bytes.IndexByte(b, c) }

// trim removes ASCII white space, and a stray byte order mark, around b.
func trim(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isSpace[b[i]] {
		i++
	}
	if j-i >= 3 && b[i] == 0xEF && b[i+1] == 0xBB && b[i+2] == 0xBF {
		i += 3
		for i < j && isSpace[b[i]] {
			i++
		}
	}
	for j > i && isSpace[b[j-1]] {
		j--
	}
	return b[i:j]
}

func trimLeft(b []byte) []byte {
	i := 0
	for i < len(b) && isSpace[b[i]] {
		i++
	}
	return b[i:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isHex(b []byte) bool {
	for _, c := range b {
		if !isHexByte[c] {
			return false
		}
	}
	return len(b) > 0
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

// lower appends b to dst with ASCII letters lower-cased.
func appendLower(dst, b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// hasPrefixFold reports whether b starts with the ASCII prefix p, ignoring
// case; p must be lower case.
func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b[i]|0x20 != p[i] && b[i] != p[i] {
			return false
		}
	}
	return true
}

// equalFold reports whether b equals the lower-case ASCII word w, ignoring
// case.
func equalFold(b []byte, w string) bool { return len(b) == len(w) && hasPrefixFold(b, w) }

// isEmail reports whether b looks like an email address: one '@', a
// non-empty local part, a domain with a dot, no white space.
func isEmail(b []byte) bool {
	at := bytes.IndexByte(b, '@')
	if at <= 0 || at == len(b)-1 || bytes.IndexByte(b[at+1:], '@') >= 0 {
		return false
	}
	for _, c := range b[:at] {
		if c <= ' ' || c == 0x7F {
			return false
		}
	}
	return isDomain(b[at+1:])
}

// isDomain reports whether b is a plausible domain name: labels of host
// bytes separated by single dots, at least two labels, a last label with a
// letter.
func isDomain(b []byte) bool {
	if len(b) < 3 || b[0] == '.' || b[len(b)-1] == '.' {
		return false
	}
	dots, lastDot := 0, -1
	for i, c := range b {
		if !hostByte[c] {
			return false
		}
		if c == '.' {
			if i == lastDot+1 {
				return false
			}
			dots++
			lastDot = i
		}
	}
	if dots == 0 {
		return false
	}
	for _, c := range b[lastDot+1:] {
		if isLetter(c) || c >= 0x80 {
			return true
		}
	}
	return false
}

// isIPv4 reports whether b is a dotted-quad IPv4 address.
func isIPv4(b []byte) bool {
	parts, n, digits := 0, 0, 0
	for i := 0; i <= len(b); i++ {
		if i == len(b) || b[i] == '.' {
			if digits == 0 || digits > 3 || n > 255 {
				return false
			}
			parts++
			n, digits = 0, 0
			continue
		}
		if !isDigit(b[i]) {
			return false
		}
		n = n*10 + int(b[i]-'0')
		digits++
	}
	return parts == 4
}

// isIP reports whether b is an IPv4 or IPv6 address.
func isIP(b []byte) bool {
	if isIPv4(b) {
		return true
	}
	if len(b) < 2 || len(b) > 64 || bytes.IndexByte(b, ':') < 0 {
		return false
	}
	for _, c := range b {
		if !isHexByte[c] && c != ':' && c != '.' && c != '%' {
			return false
		}
	}
	_, err := netip.ParseAddr(string(b))
	return err == nil
}

// isHash reports whether a "password" is really a password hash: see
// hashid.IsHash, which is Certain-only. Ambiguous values (16 hex digits, bare
// base64 digests, DES crypt) stay passwords here; a column's context can
// settle them with hashid.JudgeColumn.
func isHash(b []byte) bool { return hashid.IsHash(b) }

// dateParts splits a numeric date: YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY or
// DD.MM.YYYY (one separator among - / .), without range checks.
func dateParts(b []byte) (y, m, d int, ok bool) {
	var f, w [3]int
	k := 0
	var sep byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if isDigit(c) {
			f[k] = f[k]*10 + int(c-'0')
			w[k]++
			if w[k] > 4 {
				return 0, 0, 0, false
			}
			continue
		}
		if c != '-' && c != '/' && c != '.' {
			return 0, 0, 0, false
		}
		if sep == 0 {
			sep = c
		} else if c != sep {
			return 0, 0, 0, false
		}
		k++
		if k > 2 {
			return 0, 0, 0, false
		}
	}
	if k != 2 || w[0] == 0 || w[1] == 0 || w[2] == 0 {
		return 0, 0, 0, false
	}
	switch {
	case w[0] == 4 && w[1] <= 2 && w[2] <= 2:
		return f[0], f[1], f[2], true
	case w[2] == 4 && w[0] <= 2 && w[1] <= 2:
		y, m, d = f[2], f[1], f[0]
		if m > 12 { // month first (US order)
			m, d = d, m
		}
		return y, m, d, true
	}
	return 0, 0, 0, false
}

// isDate reports whether b is a calendar date plausible as a date of birth
// (years 1900-2030), optionally with a midnight time.
func isDate(b []byte) bool {
	if len(b) > 10 {
		t := b[10:]
		if !(bytes.Equal(t, []byte(" 00:00:00")) || bytes.Equal(t, []byte("T00:00:00")) ||
			bytes.Equal(t, []byte("T00:00:00Z")) || bytes.Equal(t, []byte("T00:00:00.000Z")) ||
			bytes.Equal(t, []byte(" 00:00:00.000"))) {
			return false
		}
		b = b[:10]
	}
	y, m, d, ok := dateParts(b)
	return ok && y >= 1900 && y <= 2030 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// isPhone reports whether b looks like a phone number: 7 to 15 digits with
// a leading '+', with formatting characters, or a national number with a
// trunk prefix 0. Bare digit strings are too often identifiers to count.
func isPhone(b []byte) bool {
	if len(b) < 7 || len(b) > 24 {
		return false
	}
	plus := b[0] == '+'
	if plus {
		b = b[1:]
	}
	digits, format := 0, false
	for _, c := range b {
		switch {
		case isDigit(c):
			digits++
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/':
			format = true
		default:
			return false
		}
	}
	if digits < 7 || digits > 15 || len(b) == 0 || !(isDigit(b[0]) || b[0] == '(') {
		return false
	}
	if _, _, _, date := dateParts(b); date {
		return false
	}
	return plus || format || (b[0] == '0' && digits >= 9 && digits <= 12)
}

// luhn reports whether the digits of b pass the Luhn check.
func luhn(b []byte) bool {
	sum, double := 0, false
	for i := len(b) - 1; i >= 0; i-- {
		d := int(b[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// cardDigits returns the digits of a card-number-like value (digits with
// optional single spaces or dashes), or nil.
func cardDigits(b []byte, buf []byte) []byte {
	buf = buf[:0]
	for _, c := range b {
		switch {
		case isDigit(c):
			buf = append(buf, c)
		case c == ' ' || c == '-':
		default:
			return nil
		}
	}
	return buf
}

// isCard reports whether b is a payment card number: 13-19 digits passing
// the Luhn check with a known issuer prefix.
func isCard(b []byte) bool {
	var tmp [24]byte
	if len(b) > 23 {
		return false
	}
	d := cardDigits(b, tmp[:0])
	if len(d) < 13 || len(d) > 19 || !luhn(d) {
		return false
	}
	n := len(d)
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case d[0] == '5' && d[1] >= '1' && d[1] <= '5', d[0] == '2' && d[1] >= '2' && d[1] <= '7':
		return n == 16
	case d[0] == '3' && (d[1] == '4' || d[1] == '7'):
		return n == 15
	case d[0] == '6' && (bytes.HasPrefix(d, []byte("6011")) || d[1] == '5'), d[0] == '3' && d[1] == '5':
		return n >= 16
	}
	return false
}

// isIMEI reports whether b is a 15-digit IMEI (Luhn-valid).
func isIMEI(b []byte) bool {
	return len(b) == 15 && allDigits(b) && luhn(b) && !(b[0] == '3' && (b[1] == '4' || b[1] == '7'))
}

var genders = map[string]bool{
	"m": true, "f": true, "male": true, "female": true, "man": true, "woman": true, "w": true,
	"h": true, "hombre": true, "mujer": true, "masculino": true, "femenino": true, "homme": true,
	"femme": true, "männlich": true, "weiblich": true, "maschio": true, "femmina": true,
	"mann": true, "frau": true, "masculin": true, "féminin": true, "feminin": true,
	"nonbinary": true, "non-binary": true, "other": true, "мужской": true, "женский": true, "м": true, "ж": true,
}

func isGender(b []byte) bool {
	if len(b) > 12 {
		return false
	}
	var tmp [16]byte
	return genders[string(appendLower(tmp[:0], b))]
}

// isURL reports whether b is a web URL (with a scheme or "www.").
func isURL(b []byte) bool {
	if hasPrefixFold(b, "http://") || hasPrefixFold(b, "https://") || hasPrefixFold(b, "www.") {
		return bytes.IndexByte(b, ' ') < 0
	}
	return false
}

// hasControl reports whether b holds control bytes other than tab, CR, LF.
func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F {
			return true
		}
	}
	return false
}

// appendText appends a value that may not be UTF-8 text: valid UTF-8
// without control bytes as is, other bytes with control bytes (binary
// blobs) as lower-case hex, the rest decoded as Windows-1252. It reports
// whether the Windows-1252 fallback was used.
func appendText(dst, v []byte) ([]byte, bool) {
	if utf8.Valid(v) && !hasControl(v) {
		return append(dst, v...), false
	}
	if hasControl(v) {
		return appendHex(dst, v), false
	}
	return appendCP1252(dst, v), true
}

const hexDigits = "0123456789abcdef"

func appendHex(dst, v []byte) []byte {
	for _, c := range v {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// appendUnhex appends the bytes of an even-length hex string.
func appendUnhex(dst, h []byte) []byte {
	for i := 0; i+1 < len(h); i += 2 {
		dst = append(dst, unhex(h[i])<<4|unhex(h[i+1]))
	}
	return dst
}

// appendBlob appends a binary value (a 0x literal, an X” or _binary
// string, a bytea): printable UTF-8 text as is, anything else as lower-case
// hex, which is how a raw digest column reads as a hash.
func appendBlob(dst, v []byte) []byte {
	if utf8.Valid(v) && !hasControl(v) {
		return append(dst, v...)
	}
	return appendHex(dst, v)
}
