package leakparse

import (
	"bytes"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/hashid"
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
	if isSpace[s[i]] && phoneStart(s[:i]) {
		// A phone number written with spaces ("8 (916) 123-45-67:pw")
		// is one login.
		if k := phoneRun(s); k > 0 {
			i = k
		}
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

// phoneStart reports whether a login cut at white space may be the start
// of a phone number: '+', digits and parentheses only.
func phoneStart(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) && c != '+' && c != '(' && c != ')' {
			return false
		}
	}
	return true
}

// phoneRun returns the index of the separator (':', ';', '|' or a tab)
// after a phone number written with spaces at the start of s ("+7 (916)
// 123-45-67", "8 916 123 45 67", "020 7946 0958"): 10 to 17 digits (an
// international or trunk prefix included) among spaces, parentheses,
// dashes and dots. It returns 0 when s does not start with one.
func phoneRun(s []byte) int {
	digits := 0
	for i, c := range s {
		switch {
		case isDigit(c):
			digits++
		case c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '+' && i == 0:
		case c == ':' || c == ';' || c == '|' || c == '\t':
			if digits < 10 || digits > 17 {
				return 0
			}
			for i > 0 && s[i-1] == ' ' {
				i--
			}
			return i
		default:
			return 0
		}
	}
	return 0
}

// loginClass classifies a login: an email address, a phone number or a
// username, as account.AppendLogin (which import and lookup both call)
// decides. Only logins that start with '+' or a digit are asked whether
// they are phone numbers.
func loginClass(b []byte) catalog.DataClass {
	if bytes.IndexByte(b, '@') > 0 && account.IsEmail(b) {
		return catalog.ClassEmail
	}
	if c := firstNonSpace(b); (c == '+' || isDigit(c)) && account.IsPhone(b) {
		return catalog.ClassPhone
	}
	return catalog.ClassUsername
}

// emailOrPhone reports whether a login is an email address or a phone
// number: an account beyond doubt, as no username is.
func emailOrPhone(login []byte) bool {
	cls := loginClass(login)
	return cls == catalog.ClassEmail || cls == catalog.ClassPhone
}

// numberLogin reports whether a login is a number: an ICQ UIN, a QQ
// number, a phone number in any form ("89161234567", "8 (916) 123-45-67"):
// 5 to 17 digits, maybe with a leading '+' and phone punctuation.
func numberLogin(login []byte) bool {
	digits := 0
	for i, c := range login {
		switch {
		case isDigit(c):
			digits++
		case c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 17
}

// firstNonSpace returns the first byte of b that is no ASCII white space,
// 0 for none.
func firstNonSpace(b []byte) byte {
	for _, c := range b {
		if !isSpace[c] {
			return c
		}
	}
	return 0
}

// cutSystemTail cuts the fields /etc/shadow and Dovecot's passwd-file
// keep after the password ("$6$...:19000:0:99999:7:::",
// "{PLAIN}pw:1000:1000::/home/u::"), when what precedes them is a hash or
// a plaintext-scheme value: without the cut a hash with its tail is no
// hash, and would be counted as a password. Other passwords are kept
// whole, colons and all.
func cutSystemTail(pass []byte) []byte {
	for i := bytes.IndexByte(pass, ':'); i > 0; {
		if head := pass[:i]; systemTail(pass[i+1:]) && (isHash(head) || isPlainScheme(head)) {
			return head
		}
		j := bytes.IndexByte(pass[i+1:], ':')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return pass
}

// systemTail reports whether t is the fields after a password in
// /etc/shadow (last change, min, max, warn, inactive, expire, reserved)
// or a passwd-file (uid, gid, gecos, home, shell, extra): three fields or
// more, the first two numbers or empty.
func systemTail(t []byte) bool {
	if bytes.Count(t, []byte(":")) < 2 {
		return false
	}
	for range 2 {
		f, rest, _ := bytes.Cut(t, []byte(":"))
		if len(f) > 0 && !allDigits(f) {
			return false
		}
		t = rest
	}
	return true
}

// isPlainScheme reports whether v is a password under a plaintext scheme
// ("{PLAIN}pw"): see hashid.AppendPlain.
func isPlainScheme(v []byte) bool {
	if len(v) == 0 || v[0] != '{' {
		return false
	}
	_, ok := hashid.AppendPlain(nil, v)
	return ok
}

// passwordClass classifies a password field: a hash is never a password.
func passwordClass(b []byte) catalog.DataClass {
	if isHash(b) {
		return catalog.ClassPasswordHash
	}
	return catalog.ClassPassword
}

// parseCombo parses a combolist: one email or username and one password
// (or hash) per line. The shape of the file, decided from its head, sends
// decorated files, files with an id column and files whose passwords are
// ambiguous hashes to parseShaped; clean files, the common case, take the
// plain loop. In both, a line of column names ("email:password") is a
// header, ignored, as is a banner that splits at white space in a file
// whose entries do not; and a login that is a hash (a potfile read as a
// combolist) is recorded as a hash, not as an account.
func parseCombo(lr *lineReader, em *emitter) error {
	sh := shapeOfHead(lr.head())
	if !sh.plain() {
		return parseShaped(lr, em, &sh)
	}
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
		login, pass, sep, reason := splitCombo(s)
		if reason != "" {
			if err := em.quarantine(lr.n, reason, lr.raw); err != nil {
				return err
			}
			continue
		}
		pass = cutSystemTail(pass)
		cls := loginClass(login)
		if cls == catalog.ClassUsername {
			// A line of column names, or a sign-off past the head
			// ("Checked by @Bot", "Telegram: @channel" in a file of
			// "login:password"); a line that may be a sign-off or an
			// entry of another separator is quarantined.
			if headerLine(s) || lr.n == 1 && genericHeaderLine(s, sep) {
				em.st.Ignored++
				continue
			}
			if r, deco := plainOdd(s, login, pass, sep, sh.sep); r != "" || deco && !lr.decoded() {
				if deco && !lr.decoded() {
					em.st.Ignored++
					continue
				}
				if err := em.quarantine(lr.n, r, lr.raw); err != nil {
					return err
				}
				continue
			}
			if isHash(login) {
				cls = catalog.ClassPasswordHash
			}
		}
		fields[0] = Field{Class: cls, Value: login}
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

// plainOdd tells what a line of a plain combolist whose login is no email
// nor phone is when it does not look like the file's entries: decoration
// (deco: a sign-off split at white space that shows a banner, a label such
// as "Telegram: @channel"), or a line that may be a banner or an entry of
// another separator, quarantined with reason r ("user @pass", whose '@'
// may start a handle; "Fresh combo 2026", words split at white space in a
// file split at ':'). Neither (an entry) is the common case, and costs a
// few byte comparisons.
func plainOdd(s, login, pass []byte, sep, fileSep byte) (r Reason, deco bool) {
	if isSpace[sep] && !isSpace[fileSep] {
		switch {
		case usernameLike(login) && !bytes.ContainsAny(pass, " \t") && !bannerMarks(s, false):
			if len(pass) > 0 && pass[0] == '@' {
				return ReasonOtherSeparator, false
			}
			return "", false // "user pass": an entry, as it always was
		case atWords(login, pass, s):
			return ReasonBannerOrEntry, false
		case bannerFeature(s):
			return "", true
		case bytes.ContainsAny(pass, " \t") && bytes.IndexByte(pass, fileSep) < 0:
			// (With the file's separator further on, the line has it:
			// "123 456:pw" is an entry, split where splitCombo splits.)
			return ReasonBannerOrEntry, false
		}
		return "", false
	}
	if !isSpace[sep] && len(s) > len(login)+1 && isSpace[s[len(login)+1]] && bannerFeature(s) {
		return "", true // a label: "Telegram: @channel", "Join: https://t.me/x"
	}
	return "", false
}

// parseShaped parses a combolist whose shape needs work on its lines: see
// comboShape. In HTML, one line may hold several entries separated by
// <br>: each is a record of that line, and a line of markup alone is
// ignored.
func parseShaped(lr *lineReader, em *emitter, sh *comboShape) error {
	var fields [2 + maxCaptured]Field
	rec := Record{Fields: fields[:0]}
	var buf []byte
	for {
		s, ok, err := lr.nextText(em)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if !sh.html {
			event, err := sh.emitEntry(lr, em, &rec, &fields, sh.clean(s))
			if err != nil {
				return err
			}
			if !event {
				em.st.Ignored++
			}
			continue
		}
		if sh.skipScript(s) {
			em.st.Ignored++
			continue
		}
		events := 0
		for rest := s; len(rest) > 0; {
			var seg []byte
			seg, rest = nextBreak(rest)
			buf = cleanHTML(buf[:0], seg)
			x := sh.clean(buf)
			if len(x) == 0 {
				continue
			}
			event, err := sh.emitEntry(lr, em, &rec, &fields, x)
			if err != nil {
				return err
			}
			if event {
				events++
			}
		}
		if events == 0 {
			em.st.Ignored++
		}
	}
	lr.finish()
	return lr.errOrNil()
}

// emitEntry passes on what a cleaned line (or HTML segment) of a shaped
// combolist holds, and reports whether that was a record or a quarantine
// rather than decoration. A line that needed the Windows-1252 fallback or
// holds control bytes is never decoration: it is parsed as in a plain
// combolist.
func (sh *comboShape) emitEntry(lr *lineReader, em *emitter, rec *Record, fields *[2 + maxCaptured]Field, x []byte) (bool, error) {
	login, pass, _, kind, reason := sh.judge(x)
	if kind == kindDeco && (lr.decoded() || hasControl(x)) {
		if login, pass, _, reason = splitCombo(x); reason == "" {
			kind = kindEntry
		} else {
			kind = kindBroken
		}
	}
	switch kind {
	case kindDeco:
		return false, nil
	case kindBroken:
		return true, em.quarantine(lr.n, reason, lr.raw)
	}
	captured := fields[2:2]
	if sh.capture {
		// The checker's fields are kept as data classes only.
		if pass, captured = cutCapture(pass, captured); len(pass) == 0 {
			return true, em.quarantine(lr.n, ReasonEmptyPassword, lr.raw)
		}
	}
	pass = cutSystemTail(pass)
	if sh.trailID != 0 && !isHash(pass) {
		pass, _ = cutTrailID(pass, sh.trailID)
	}
	cls := loginClass(login)
	if cls == catalog.ClassUsername && isHash(login) {
		cls = catalog.ClassPasswordHash
	}
	fields[0] = Field{Class: cls, Value: login}
	fields[1] = Field{Class: sh.passClass(pass), Value: pass}
	rec.Line, rec.Fields = lr.n, fields[:2+len(captured)]
	return true, em.record(rec)
}

// decoded reports whether the current line needed the Windows-1252
// fallback (its text is not its raw bytes).
func (l *lineReader) decoded() bool {
	return len(l.raw) > 0 && (len(l.text) == 0 || &l.text[0] != &l.raw[0])
}
