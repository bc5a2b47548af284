package leakparse

import "bytes"

// site is the start of a URL as found at the head of a ULP line or in a
// stealer log's URL field.
type site struct {
	host    []byte // as written (not lower-cased); an IPv6 host without brackets
	scheme  bool   // the URL had a scheme
	app     bool   // an android:// URL: host is the app's package name
	hostEnd int    // index just after the host (and a certain port)
	portEnd int    // index just after a port-like ":digits" that may instead be a login; == hostEnd when none
}

// schemeLen returns the length of "scheme://" at the start of s, 0 if none.
func schemeLen(s []byte) int {
	for i := 0; i < len(s) && i < 40; i++ {
		c := s[i]
		switch {
		case isLetter(c):
		case i > 0 && (isDigit(c) || c == '+' || c == '.' || c == '-'):
		case i > 0 && c == ':':
			if len(s) >= i+3 && s[i+1] == '/' && s[i+2] == '/' {
				return i + 3
			}
			return 0
		default:
			return 0
		}
	}
	return 0
}

// parseSite parses the scheme, host and port at the start of s. Without a
// scheme the host must look like a domain name, an IP address or
// "localhost". For android:// URLs the host is the app's package name (the
// certificate hash before '@' is skipped).
func parseSite(s []byte) (st site, ok bool) {
	return parseSiteScheme(s, schemeLen(s))
}

// parseSiteScheme is parseSite for a caller that knows the length of the
// scheme at the start of s (schemeLen(s)).
func parseSiteScheme(s []byte, k int) (st site, ok bool) {
	i := 0
	if k > 0 {
		st.scheme = true
		if equalFold(s[:k-3], "android") {
			st.app = true
			j := k
			for j < len(s) && s[j] != '@' && s[j] != '/' && !comboSep[s[j]] {
				j++
			}
			if j < len(s) && s[j] == '@' {
				k = j + 1
			}
		}
		i = k
	}
	var end int
	if i < len(s) && s[i] == '[' {
		k := bytes.IndexByte(s[i:], ']')
		if k < 0 {
			return st, false
		}
		st.host = s[i+1 : i+k]
		end = i + k + 1
		if !isIP(st.host) {
			return st, false
		}
	} else {
		j := i
		for j < len(s) && hostByte[s[j]] {
			j++
		}
		st.host = s[i:j]
		end = j
	}
	if len(st.host) == 0 || len(st.host) > 253 {
		return st, false
	}
	if !st.scheme && !looksLikeHost(st.host) {
		return st, false
	}
	st.hostEnd, st.portEnd = end, end
	if end < len(s) && s[end] == ':' {
		j := end + 1
		for j < len(s) && j-end-1 < 6 && isDigit(s[j]) {
			j++
		}
		if n := j - end - 1; n >= 1 && n <= 5 && (j == len(s) || !isDigit(s[j])) {
			if j < len(s) && (s[j] == '/' || s[j] == '?' || s[j] == '#') {
				st.hostEnd, st.portEnd = j, j
			} else {
				st.portEnd = j
			}
		}
	}
	if e := st.hostEnd; e < len(s) {
		switch s[e] {
		case '/', '?', '#', ':', '|', ' ', '\t', ';', ',':
		default:
			return st, false
		}
	}
	return st, true
}

// looksLikeHost reports whether h is a domain name, an IP address or
// localhost.
func looksLikeHost(h []byte) bool {
	if n := len(h); n > 1 && h[n-1] == '.' {
		h = h[:n-1] // the root label
	}
	return isDomain(h) || isIPv4(h) || equalFold(h, "localhost")
}

// appendSiteHost appends the website of a site, as a record's website
// field holds it: its host, or for an Android app "android://" and its
// package name, which is no host (com.example.app is not example.app's).
func appendSiteHost(dst []byte, st site) []byte {
	if st.app {
		dst = append(dst, "android://"...)
	}
	return appendHost(dst, st.host)
}

// appendHost appends a host lower-cased, without a trailing dot.
func appendHost(dst, host []byte) []byte {
	if n := len(host); n > 1 && host[n-1] == '.' {
		host = host[:n-1]
	}
	return appendLower(dst, host)
}

// appendWebsite appends the website of a URL-like value (see
// appendSiteHost), or the value itself when it is not URL-like.
func appendWebsite(dst, v []byte) []byte {
	if st, ok := parseSite(v); ok && (st.hostEnd == len(v) || st.portEnd == len(v) || v[st.hostEnd] == '/' || v[st.hostEnd] == '?' || v[st.hostEnd] == '#' || st.scheme) {
		return appendSiteHost(dst, st)
	}
	return append(dst, v...)
}
