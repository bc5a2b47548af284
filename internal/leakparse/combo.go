package leakparse

import (
	"bytes"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
)

// splitCombo splits a trimmed combolist line at the first separator
// (':', ';', '|', or white space) after the login: logins hold no separator,
// passwords may hold any. White space around a ':', ';' or '|' separator
// is part of the separator. It returns the separator found, or a reason.
func splitCombo(s []byte) (login, pass []byte, sep byte, reason Reason) {
	i := 0
	for i < len(s) && !comboSep[s[i]] {
		i++
	}
	if i == len(s) {
		return nil, nil, 0, ReasonNoSeparator
	}
	if i == 0 {
		return nil, nil, s[0], ReasonEmptyLogin
	}
	login, sep = s[:i], s[i]
	rest := s[i+1:]
	if isSpace[sep] {
		sep = ' '
		if s[i] == '\t' {
			sep = '\t'
		}
		rest = trimLeft(rest)
		if len(rest) > 0 && (rest[0] == ':' || rest[0] == ';' || rest[0] == '|') {
			sep = rest[0]
			rest = rest[1:]
		}
	}
	pass = trim(rest)
	if len(pass) == 0 {
		return login, nil, sep, ReasonEmptyPassword
	}
	return login, pass, sep, ""
}

// loginClass classifies a login: an email address or a username, as
// account.AppendLogin (which import and lookup both call) decides.
func loginClass(b []byte) catalog.DataClass {
	if bytes.IndexByte(b, '@') > 0 && account.IsEmail(b) {
		return catalog.ClassEmail
	}
	return catalog.ClassUsername
}

// passwordClass classifies a password field: a hash is never a password.
func passwordClass(b []byte) catalog.DataClass {
	if isHash(b) {
		return catalog.ClassPasswordHash
	}
	return catalog.ClassPassword
}

// parseCombo parses a combolist: one email or username and one password
// (or hash) per line.
func parseCombo(lr *lineReader, em *emitter) error {
	var fields [2]Field
	rec := Record{Fields: fields[:0]}
	for {
		s, ok, err := lr.nextText(em)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		login, pass, _, reason := splitCombo(s)
		if reason != "" {
			if err := em.quarantine(lr.n, reason, lr.raw); err != nil {
				return err
			}
			continue
		}
		fields[0] = Field{Class: loginClass(login), Value: login}
		fields[1] = Field{Class: passwordClass(pass), Value: pass}
		rec.Line = lr.n
		rec.Fields = fields[:2]
		if err := em.record(&rec); err != nil {
			return err
		}
	}
	lr.finish()
	return lr.errOrNil()
}
