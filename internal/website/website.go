// Package website reads the website of a stealer-log credential: the
// registrable domain (eTLD+1, by the Public Suffix List) of a URL, a bare
// host or an Android app's package name, as infostealers and ULP
// combolists carry it, and tells whether a site is an email's own mail
// provider.
//
// One function decides what a website is, so that imports and lookups
// cannot disagree: a lookup by website normalises its query with Domain
// as the import normalised the data.
package website

import (
	"bytes"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// maxHost is the longest host name DNS allows.
const maxHost = 253

// Domain appends to dst the registrable domain of the website value raw
// and reports whether it has one. raw may be
//
//   - a URL, with or without scheme, userinfo, port, path, query and
//     fragment: "https://accounts.google.com/signin/v2?x=1" and
//     "http://user@shop.example.co.uk:8443/a" give "google.com" and
//     "example.co.uk";
//   - a bare host or host and path: "www.netflix.com", "netflix.com/login";
//   - an Android app credential, "android://<cert-hash>@<package>/": an
//     app has no web domain, so Domain takes its package name's, by the
//     Java convention that a package starts with its publisher's domain
//     reversed: "com.instagram.android" gives "instagram.com". Packages
//     that break the convention give the domain they claim, or none.
//
// Upper case is folded, a trailing dot dropped, and internationalised
// names converted to ASCII (punycode, "bücher.de" gives
// "xn--bcher-kva.de"). There is no website domain, and Domain returns dst
// unchanged and false, for IP addresses, "localhost" and other
// single-label names, names under a top-level domain that does not exist
// ("router.lan", "host.local"), public suffixes themselves ("co.uk") and
// whatever is not a host name.
//
// The result is lower-case ASCII, and Domain of it is itself. When dst
// has room, Domain allocates nothing of its own but for internationalised
// names; the Public Suffix List lookup allocates one small value
// (golang.org/x/net/publicsuffix tries the name as an IP address first).
func Domain(dst, raw []byte) ([]byte, bool) {
	start := len(dst)
	host, app := hostOf(raw)
	if len(host) == 0 || len(host) > maxHost+1 {
		return dst, false
	}
	var ok bool
	if app {
		dst, ok = appendPackageDomain(dst, host)
	} else {
		dst, ok = appendHost(dst, host)
	}
	if !ok {
		return dst[:start], false
	}
	// The string aliases dst's bytes, which nothing changes until the
	// registrable domain, a suffix of them, is moved to start.
	h := dst[start:]
	reg, ok := registrable(unsafe.String(unsafe.SliceData(h), len(h)))
	if !ok {
		return dst[:start], false
	}
	return append(dst[:start], reg...), true
}

// hostOf returns the host part of a website value, and whether the value
// is an Android app's ("android://<hash>@<package>/"), whose host is the
// package name.
func hostOf(v []byte) (host []byte, app bool) {
	v = bytes.TrimSpace(v)
	if i := bytes.Index(v, []byte("://")); i >= 0 {
		scheme := v[:i]
		if !validScheme(scheme) {
			return nil, false
		}
		app = bytes.EqualFold(scheme, []byte("android"))
		v = v[i+3:]
	} else {
		v = bytes.TrimPrefix(v, []byte("//"))
	}
	if i := bytes.IndexAny(v, "/?#\\"); i >= 0 {
		v = v[:i]
	}
	if i := bytes.LastIndexByte(v, '@'); i >= 0 {
		v = v[i+1:]
	}
	if len(v) > 0 && v[0] == '[' {
		return nil, false // an IPv6 literal
	}
	if i := bytes.IndexByte(v, ':'); i >= 0 {
		v = v[:i]
	}
	return v, app
}

// validScheme reports whether s is a URL scheme (RFC 3986: a letter, then
// letters, digits, "+", "-" or ".").
func validScheme(s []byte) bool {
	if len(s) == 0 || !isLetter(s[0]) {
		return false
	}
	for _, c := range s {
		if !isLetter(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// appendHost appends host, folded to lower-case ASCII, and checks that it
// is a host name of two labels or more.
func appendHost(dst, host []byte) ([]byte, bool) {
	start := len(dst)
	ascii := true
	for _, c := range host {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for _, c := range host {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
	} else {
		if !utf8.Valid(host) {
			return dst, false
		}
		a, err := idna.Lookup.ToASCII(string(host))
		if err != nil {
			return dst, false
		}
		dst = append(dst, a...)
	}
	n := len(dst)
	for n > start && dst[n-1] == '.' {
		n-- // "example.com." is the same name, written absolute
	}
	dst = dst[:n]
	if len(dst) > start && dst[start] == '.' {
		// ".example.com", as cookie domains are written
		copy(dst[start:], dst[start+1:])
		dst = dst[:len(dst)-1]
	}
	return dst, validHost(dst[start:])
}

// appendPackageDomain appends the domain of an Android package name: its
// labels reversed, folded to lower case.
func appendPackageDomain(dst, pkg []byte) ([]byte, bool) {
	for end := len(pkg); end >= 0; {
		i := bytes.LastIndexByte(pkg[:end], '.')
		label := pkg[i+1 : end]
		if len(label) == 0 {
			return dst, false
		}
		if end < len(pkg) {
			dst = append(dst, '.')
		}
		for _, c := range label {
			if !isLetter(c) && !isDigit(c) && c != '_' {
				return dst, false // no Java identifier
			}
			dst = append(dst, c|0x20*b2u(isLetter(c)))
		}
		end = i
	}
	return dst, true
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// validHost reports whether h is a lower-case ASCII host name of at least
// two labels whose last label can be a top-level domain (letters, or
// punycode): no IP address, no single label.
func validHost[T string | []byte](h T) bool {
	if len(h) == 0 || len(h) > maxHost {
		return false
	}
	labels, last := 0, 0
	for i := 0; i <= len(h); i++ {
		if i < len(h) && h[i] != '.' {
			c := h[i]
			if !('a' <= c && c <= 'z') && !isDigit(c) && c != '-' && c != '_' {
				return false
			}
			continue
		}
		if n := i - last; n == 0 || n > 63 {
			return false
		}
		labels++
		if i < len(h) {
			last = i + 1
		}
	}
	tld := h[last:]
	if labels < 2 {
		return false
	}
	if len(tld) > 4 && string(tld[:4]) == "xn--" {
		return true
	}
	for i := range len(tld) {
		if c := tld[i]; !('a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// registrable returns the registrable domain of a valid host name: its
// public suffix and one label more. A name under a top-level domain the
// list does not know has none, nor has a public suffix.
func registrable(h string) (string, bool) {
	suffix, icann := publicsuffix.PublicSuffix(h)
	if !icann && strings.IndexByte(suffix, '.') < 0 {
		return "", false // no rule matched: an unknown top-level domain
	}
	if len(h) <= len(suffix) {
		return "", false
	}
	i := len(h) - len(suffix) - 1
	if h[i] != '.' {
		return "", false
	}
	return h[strings.LastIndexByte(h[:i], '.')+1:], true
}
