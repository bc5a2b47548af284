package leakparse

import (
	"bytes"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// splitULP splits an infostealer "URL login password" line. The URL may
// lack its scheme and may carry a port and a path; fields are separated by
// ':', '|', tab or space (the first of them after the host, falling back to
// the others when that gives no login and password).
func splitULP(s []byte) (st site, login, pass []byte, reason Reason) {
	st, ok := parseSite(s)
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
var ulpSeps = [4]byte{':', '|', '\t', ' '}

// splitAfterSite splits what follows the host (and port): an optional path,
// then login and password.
func splitAfterSite(rest []byte) (login, pass []byte, reason Reason) {
	start := 0
	if len(rest) > 0 && (rest[0] == '/' || rest[0] == '?' || rest[0] == '#') {
		start = 1
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

// splitLoginPass splits "login<sep>password".
func splitLoginPass(r []byte, sep byte) (login, pass []byte, reason Reason) {
	if sep == ' ' || sep == '\t' {
		r = trimLeft(r)
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

// parseULP parses infostealer URL-login-password lines.
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
		st, login, pass, reason := splitULP(s)
		if reason != "" {
			if err := em.quarantine(lr.n, reason, lr.raw); err != nil {
				return err
			}
			continue
		}
		host = appendHost(host[:0], st.host)
		fields[0] = Field{Class: catalog.ClassWebsite, Value: host}
		fields[1] = Field{Class: loginClass(login), Value: login}
		fields[2] = Field{Class: passwordClass(pass), Value: pass}
		rec.Line = lr.n
		rec.Fields = fields[:3]
		if err := em.record(&rec); err != nil {
			return err
		}
	}
	lr.finish()
	return lr.errOrNil()
}
