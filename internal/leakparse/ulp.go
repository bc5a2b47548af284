package leakparse

import (
	"bytes"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// ULP files ("URL:login:password") are merged from many sellers' infostealer
// logs, so one file holds lines of several orders side by side. Each line
// is decided on its own:
//
//   - URL first: "https://site.example/login:user:pass", with any scheme
//     (android://cert@package/ too), or a host without one
//     ("www.site.example:user:pass", "site.example/login|user|pass",
//     "192.0.2.10:8080 user pass");
//   - URL last: "user:pass:https://site.example/login", a URL with a web or
//     app scheme, or a host without one that is surely a host;
//   - no URL: "user:pass", a credential without a website, as in a
//     combolist;
//   - a line of column names ("URL:Login:Password"): ignored.
//
// Separators are ':', '|', ';', a tab or spaces; a password may hold any
// of them. Only what reads as none of these is quarantined: a URL without
// a login or a password, a line of words, a banner.
//
// A line that starts with a scheme is URL-first or broken: its URL is
// never read as a login. The common case, a URL-first line with a scheme,
// takes the same path as before lines were decided one by one.

// ulpOrder is what one line of a ULP file holds.
type ulpOrder uint8

const (
	ulpBroken   ulpOrder = iota // quarantined with its reason
	ulpURLFirst                 // URL, login, password
	ulpURLLast                  // login, password, URL
	ulpNoURL                    // login and password only
	ulpHeader                   // column names, ignored
)

// splitULP decides a trimmed ULP line: its order, the site of its URL (for
// the URL orders), its login and password, or the reason to quarantine it.
func splitULP(s []byte) (order ulpOrder, st site, login, pass []byte, reason Reason) {
	if k := schemeLen(s); k > 0 {
		st, login, pass, reason = splitURLFirst(s, k)
		if reason != "" {
			return ulpBroken, st, nil, nil, reason
		}
		return ulpURLFirst, st, login, pass, ""
	}
	return splitNoScheme(s)
}

// splitNoScheme is splitULP for a line that does not start with a scheme.
func splitNoScheme(s []byte) (order ulpOrder, st site, login, pass []byte, reason Reason) {
	if st, k, ok := schemeURLLast(s); ok {
		if login, pass, ok := splitBeforeURL(s[:k]); ok {
			return ulpURLLast, st, login, pass, ""
		}
	}
	if st, ok := parseSiteScheme(s, 0); ok && (surelyHost(st.host) || st.hostEnd < len(s) && s[st.hostEnd] == '/') {
		st, login, pass, reason = splitURLFirst(s, 0)
		if reason != "" {
			return ulpBroken, st, nil, nil, reason
		}
		return ulpURLFirst, st, login, pass, ""
	}
	if st, k, ok := hostURLLast(s); ok {
		if login, pass, ok := splitBeforeURL(s[:k]); ok {
			return ulpURLLast, st, login, pass, ""
		}
	}
	if ulpHeaderLine(s) {
		return ulpHeader, st, nil, nil, ""
	}
	login, pass, sep, reason := splitCombo(s)
	if reason != "" {
		return ulpBroken, st, nil, nil, reason
	}
	if !credentialNoURL(s, login, pass, sep, loginClass(login)) {
		return ulpBroken, st, nil, nil, ReasonNoURL
	}
	return ulpNoURL, st, login, pass, ""
}

// splitURLFirst splits a line that starts with a URL, whose scheme is k
// bytes long (0 for none): host, port and path, then login and password.
// The URL may carry a port and a path; fields are separated by ':', '|',
// ';', tab or space (the first of them after the host, falling back to the
// others when that gives no login and password).
func splitURLFirst(s []byte, k int) (st site, login, pass []byte, reason Reason) {
	st, ok := parseSiteScheme(s, k)
	if !ok {
		return st, nil, nil, ReasonNoURL
	}
	if st.portEnd > st.hostEnd {
		// ":digits" after the host: a port when what follows still splits
		// into a login and a password, else the login.
		if login, pass, reason = splitAfterSite(s[st.portEnd:]); reason == "" {
			return st, login, pass, ""
		}
	}
	login, pass, reason = splitAfterSite(s[st.hostEnd:])
	return st, login, pass, reason
}

// ulpSeps are the field separators of ULP lines.
var ulpSeps = [5]byte{':', '|', '\t', ' ', ';'}

// splitAfterSite splits what follows the host (and port): an optional path,
// then login and password.
func splitAfterSite(rest []byte) (login, pass []byte, reason Reason) {
	start := 0
	if len(rest) > 0 && (rest[0] == '/' || rest[0] == '?' || rest[0] == '#') {
		start = 1
	}
	// The first separator, the common case.
	for k := start; k < len(rest); k++ {
		if c := rest[k]; isULPSepByte[c] {
			if l, p, r := splitLoginPass(rest[k+1:], c); r == "" {
				return l, p, ""
			}
			break
		}
	}
	// Candidate separators by first appearance.
	var pos [len(ulpSeps)]int
	for i, c := range ulpSeps {
		pos[i] = -1
		if k := bytes.IndexByte(rest[start:], c); k >= 0 {
			pos[i] = start + k
		}
	}
	first := Reason("")
	for range ulpSeps {
		best := -1
		for i, p := range pos {
			if p >= 0 && (best < 0 || p < pos[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		k := pos[best]
		pos[best] = -1
		if ulpSeps[best] == ' ' || ulpSeps[best] == '\t' {
			for i, c := range ulpSeps {
				if (c == ' ' || c == '\t') && pos[i] >= 0 {
					pos[i] = -1
				}
			}
		}
		l, p, r := splitLoginPass(rest[k+1:], ulpSeps[best])
		if r == "" {
			return l, p, ""
		}
		if first == "" {
			first = r
		}
	}
	if first == "" {
		first = ReasonNoSeparator
	}
	return nil, nil, first
}

// splitLoginPass splits "login<sep>password". White space before a ':',
// '|' or ';' is part of that separator ("url | login | password").
func splitLoginPass(r []byte, sep byte) (login, pass []byte, reason Reason) {
	if sep == ' ' || sep == '\t' {
		r = trimLeft(r)
		if len(r) > 0 && (r[0] == ':' || r[0] == '|' || r[0] == ';') {
			return splitLoginPass(r[1:], r[0])
		}
		k := 0
		for k < len(r) && r[k] != ' ' && r[k] != '\t' {
			k++
		}
		login, pass = trim(r[:k]), trim(r[k:])
	} else {
		k := bytes.IndexByte(r, sep)
		if k < 0 {
			if len(trim(r)) == 0 {
				return nil, nil, ReasonEmptyLogin
			}
			return nil, nil, ReasonEmptyPassword
		}
		login, pass = trim(r[:k]), trim(r[k+1:])
	}
	if len(login) == 0 {
		return nil, nil, ReasonEmptyLogin
	}
	if len(pass) == 0 {
		return nil, nil, ReasonEmptyPassword
	}
	return login, pass, ""
}

// lastSchemes are the schemes of a URL that ends a line: those of the
// sites and apps infostealers take credentials from. A password with
// "xyz://" in it is no URL.
var lastSchemes = map[string]bool{
	"http": true, "https": true, "android": true, "ftp": true, "ftps": true, "sftp": true,
	"ws": true, "wss": true, "chrome-extension": true, "moz-extension": true,
}

// schemeURLLast finds a URL with a scheme of lastSchemes that ends the line
// after a separator, and returns its site and where it starts.
func schemeURLLast(s []byte) (st site, start int, ok bool) {
	i := bytes.Index(s, []byte("://"))
	if i <= 0 {
		return st, 0, false
	}
	k := i
	for k > 0 && (isLetter(s[k-1]) || s[k-1] == '-') {
		k--
	}
	if k == 0 || k == i || !isULPSep(s[k-1]) || i-k > 16 {
		return st, 0, false
	}
	var lower [16]byte
	if !lastSchemes[string(appendLower(lower[:0], s[k:i]))] {
		return st, 0, false
	}
	st, ok = parseSite(s[k:])
	if !ok || !urlRunsToEnd(s[k:], st) {
		return st, 0, false
	}
	return st, k, true
}

// hostURLLast finds a URL without a scheme that ends the line after a
// separator: a host that is surely one ("www.site.example", a common or
// reserved top-level domain, an IP address) or one followed by a path,
// with maybe a port. It tries the last three separators, as a port's ':'
// may be the last.
func hostURLLast(s []byte) (st site, start int, ok bool) {
	end := len(s)
	for range 3 {
		k := end - 1
		for k > 0 && !isULPSep(s[k]) {
			k--
		}
		if k <= 0 {
			return st, 0, false
		}
		u := s[k+1:]
		if st, ok := parseSiteScheme(u, 0); ok && urlRunsToEnd(u, st) && (surelyHost(st.host) || st.hostEnd < len(u) && u[st.hostEnd] == '/') {
			return st, k + 1, true
		}
		end = k
	}
	return st, 0, false
}

// urlRunsToEnd reports whether the URL u, whose start parseSite read as
// st, is all of u: a host, maybe a port, maybe a path, query or fragment
// without white space.
func urlRunsToEnd(u []byte, st site) bool {
	if st.portEnd == len(u) || st.hostEnd == len(u) {
		return true
	}
	if c := u[st.hostEnd]; c != '/' && c != '?' && c != '#' {
		return false
	}
	for _, c := range u[st.hostEnd:] {
		if isSpace[c] {
			return false
		}
	}
	return true
}

// splitBeforeURL splits what precedes a URL that ends a line (the
// separator before the URL included) into a login and a password.
func splitBeforeURL(b []byte) (login, pass []byte, ok bool) {
	b = trim(b)
	if n := len(b); n > 0 && (b[n-1] == ':' || b[n-1] == '|' || b[n-1] == ';') {
		b = trim(b[:n-1])
	}
	login, pass, _, reason := splitCombo(b)
	return login, pass, reason == ""
}

func isULPSep(c byte) bool { return isULPSepByte[c] }

// isULPSepByte holds the field separators of ULP lines.
var isULPSepByte = [256]bool{':': true, '|': true, ';': true, ' ': true, '\t': true}

// surelyHost reports whether a host without a scheme is surely a host: an
// IP address, localhost, "www.", or a domain under a common top-level
// domain or one reserved for examples and tests (RFC 2606).
func surelyHost(h []byte) bool {
	if strictHost(h) || isIP(h) {
		return true
	}
	i := bytes.LastIndexByte(h, '.')
	if i < 0 {
		return false
	}
	tld := h[i+1:]
	return equalFold(tld, "example") || equalFold(tld, "test") || equalFold(tld, "invalid") || equalFold(tld, "localhost")
}

// credentialNoURL reports whether a line without a URL that splits into a
// login (of class cls) and a password is a credential: an email address or a phone
// number before any separator; a username-like login before ':', ';' or
// '|' (not a line of column names); or, split at white space, a username
// and a one-word password on a line that shows nothing of a banner.
func credentialNoURL(s, login, pass []byte, sep byte, cls catalog.DataClass) bool {
	if cls == catalog.ClassEmail || cls == catalog.ClassPhone {
		return true
	}
	if len(login) > 64 || !usernameLike(login) && !numberLogin(login) {
		return false
	}
	if !isSpace[sep] {
		return !headerLine(s)
	}
	return bytes.IndexByte(pass, ' ') < 0 && bytes.IndexByte(pass, '\t') < 0 && !bannerFeature(s)
}

// ulpHeaderLine reports whether a line is column names of ULP lines, two
// to four of a website's, a login's or a password's ("URL:Login:Password",
// "host | user | pass", "Site Login Password").
func ulpHeaderLine(s []byte) bool {
	if len(s) > 80 {
		return false
	}
	n, login := 0, false
	for rest := s; len(rest) > 0; {
		i := 0
		for i < len(rest) && !isULPSep(rest[i]) {
			i++
		}
		if w := rest[:i]; len(w) > 0 {
			for _, c := range w {
				if !isLetter(c) && c != '-' && c != '_' {
					return false
				}
			}
			switch c, _ := classifyName(string(w)); c {
			case catalog.ClassWebsite:
			case catalog.ClassEmail, catalog.ClassUsername, catalog.ClassPassword:
				login = true
			default:
				return false
			}
			n++
		}
		if i < len(rest) {
			i++
		}
		rest = rest[i:]
	}
	return login && n >= 2 && n <= 4
}

// parseULP parses infostealer URL-login-password lines, deciding each
// line's order on its own (see splitULP).
func parseULP(lr *lineReader, em *emitter) error {
	var fields [3]Field
	rec := Record{Fields: fields[:0]}
	host := make([]byte, 0, 256)
	for {
		s, ok, err := lr.nextText(em)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		// splitULP, with its common case in line.
		var order ulpOrder
		var st site
		var login, pass []byte
		var reason Reason
		if k := schemeLen(s); k > 0 {
			order = ulpURLFirst
			if st, login, pass, reason = splitURLFirst(s, k); reason != "" {
				order = ulpBroken
			}
		} else {
			order, st, login, pass, reason = splitNoScheme(s)
		}
		switch order {
		case ulpBroken:
			if err := em.quarantine(lr.n, reason, lr.raw); err != nil {
				return err
			}
			continue
		case ulpHeader:
			em.st.Ignored++
			continue
		case ulpNoURL:
			fields[0] = Field{Class: loginClass(login), Value: login}
			fields[1] = Field{Class: passwordClass(pass), Value: pass}
			rec.Fields = fields[:2]
		default:
			host = appendSiteHost(host[:0], st)
			fields[0] = Field{Class: catalog.ClassWebsite, Value: host}
			fields[1] = Field{Class: loginClass(login), Value: login}
			fields[2] = Field{Class: passwordClass(pass), Value: pass}
			rec.Fields = fields[:3]
		}
		rec.Line = lr.n
		if err := em.record(&rec); err != nil {
			return err
		}
	}
	lr.finish()
	return lr.errOrNil()
}

// ulpEvidence reports whether a trimmed line of a head shows a ULP file:
// a URL first with a scheme, a URL first without one that is surely a
// host before an email address or a path, or a URL last; and the
// separator after (or before) the URL.
func ulpEvidence(l []byte) (bool, byte) {
	order, st, login, _, _ := splitULP(l)
	switch order {
	case ulpURLFirst:
		if st.scheme || surelyHost(st.host) && (indexByte(login, '@') > 0 || l[st.hostEnd] == '/') {
			return true, sepAfter(l[st.hostEnd:])
		}
	case ulpURLLast:
		// The separator before the URL, found as splitULP found it.
		if _, k, ok := schemeURLLast(l); ok {
			if _, _, ok := splitBeforeURL(l[:k]); ok {
				return true, sepBefore(l[:k])
			}
		}
		_, k, _ := hostURLLast(l)
		return true, sepBefore(l[:k])
	}
	return false, 0
}

// sepAfter returns the separator that follows a URL's host (and path) in
// rest: ':', '|', ';', or white space unless one of those follows it.
func sepAfter(rest []byte) byte {
	for i, c := range rest {
		if i == 0 && c == '/' {
			continue
		}
		switch c {
		case ':', '|', ';':
			return c
		case ' ', '\t':
			if t := trimLeft(rest[i:]); len(t) > 0 && (t[0] == ':' || t[0] == '|' || t[0] == ';') {
				return t[0]
			}
			return c
		}
	}
	return 0
}

// sepBefore returns the separator that ends b, what precedes a URL that
// ends its line: ':', '|', ';', or white space unless one of those
// precedes it.
func sepBefore(b []byte) byte {
	i := len(b) - 1
	for i > 0 && isSpace[b[i]] {
		i--
	}
	if i >= 0 && (b[i] == ':' || b[i] == '|' || b[i] == ';') {
		return b[i]
	}
	if len(b) > 0 {
		return b[len(b)-1]
	}
	return 0
}

// ulpReason says, for the dry run, why a head was read as ULP lines:
// how many of its lines hold a URL first, a URL last or none.
func ulpReason(text []byte, cfg *config) string {
	lines := headLines(lfHead(text, false), 400)
	var first, last, none, broken int
	var seps [256]int
	for _, l := range lines {
		if isBlockSeparator(l) {
			continue
		}
		order, _, _, _, _ := splitULP(l)
		switch order {
		case ulpURLFirst:
			first++
		case ulpURLLast:
			last++
		case ulpNoURL:
			none++
		case ulpBroken:
			broken++
		}
		if ok, sep := ulpEvidence(l); ok && sep != 0 {
			seps[sep]++
		}
	}
	if first+last == 0 {
		return ""
	}
	r := fmt.Sprintf("%d of %d lines are URL, login and password (%d with the URL first, %d with it last; %q separator)",
		first+last, len(lines), first, last, mostCommon(seps[:], ':'))
	if none > 0 {
		r += fmt.Sprintf(", %d login and password without a URL", none)
	}
	return r
}

func init() { registerReason(FormatULP, ulpReason) }
