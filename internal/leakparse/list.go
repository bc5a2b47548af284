package leakparse

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/hashid"
)

// A list holds one value a line and no account: a password list (RockYou,
// wordlists), or a list of bare hashes (the LinkedIn list of unsalted
// SHA-1). Every line is one record of one field: a password without an
// account, which the ingest counts once per distinct line, or a hash,
// recorded as "Password hashes" and counted nowhere unless the operator
// says what the hashes are (ingest.Options.BareHashes).
//
// Counts. Lists derived from a leak often carry how often each value
// occurred: "  290729 123456" (uniq -c; rockyou-withcount.txt) or
// "HASH:COUNT" (the Pwned Passwords downloads). The count is read past and
// not used: a line is one record, counted once, so that the same list
// imported again in another shape (rockyou.txt after
// rockyou-withcount.txt) gives the same records and changes nothing. A
// password's count in the corpus is the number of breaches and distinct
// records that hold it, never a number a file claims.
//
// Header. A first line that names the column ("Passwords", "hash",
// "username") is a header: it is counted as ignored and says what the
// values are. Without one, values are passwords, or hashes where the
// column verdict (hashid.JudgeColumn over the head) says so; --map 1=CLASS
// overrides.

// listShape is what the head of a list decides for all its lines.
type listShape struct {
	class     catalog.DataClass // of the values (before hash checks)
	header    bool              // the first line names the column
	counted   bool              // lines are "count value"
	hashCount bool              // lines are "hash:count"
	hashes    hashid.Column     // verdict on ambiguous values
}

// cutCount splits a "count value" line as uniq -c writes it (the caller
// trims the leading spaces): digits, white space, the value.
func cutCount(s []byte) (value []byte, ok bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 || i > 12 || i == len(s) || s[i] != ' ' && s[i] != '\t' {
		return s, false
	}
	return trim(s[i:]), true
}

// cutHashCount splits "hash:count"; ok only when what precedes the last
// colon is a certain hash and what follows is digits.
func cutHashCount(s []byte) (hash []byte, ok bool) {
	i := bytes.LastIndexByte(s, ':')
	if i <= 0 || i == len(s)-1 || len(s)-i-1 > 12 || !allDigits(s[i+1:]) || !hashid.IsHash(s[:i]) {
		return s, false
	}
	return s[:i], true
}

// listHeader returns the class a first line names, or false when it is
// no column name. A header of passwords must not be a common password
// itself ("password" is one): it is a plural, a compound or capitalised.
func listHeader(l []byte) (catalog.DataClass, bool) {
	if len(l) > 32 || bytes.ContainsAny(l, ":;|,\t") {
		return 0, false
	}
	c, known := classifyName(string(l))
	switch {
	case !known:
		return 0, false
	case c == catalog.ClassPasswordHash, c == catalog.ClassUsername, c == catalog.ClassEmail:
		return c, true
	case c == catalog.ClassPassword:
		lower := !bytes.ContainsAny(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		if lower && len(wordsOf(string(l))) == 1 && !bytes.HasSuffix(l, []byte("s")) {
			return 0, false
		}
		return c, true
	}
	return 0, false
}

// listValue returns the value of a list line under a shape.
func (sh *listShape) value(s []byte) []byte {
	if sh.counted {
		s, _ = cutCount(s)
	}
	if sh.hashCount {
		s, _ = cutHashCount(s)
	}
	return s
}

// listShapeOf decides a list's shape from the trimmed lines of its head;
// cfg, when not nil, may map the column (by index 1 or by its header).
func listShapeOf(lines [][]byte, cfg *config) listShape {
	sh := listShape{class: catalog.ClassPassword}
	name := ""
	if len(lines) > 0 {
		if c, ok := listHeader(lines[0]); ok {
			sh.header, sh.class, name = true, c, string(lines[0])
			lines = lines[1:]
		}
	}
	mapped, hasMap := catalog.DataClass(0), false
	if cfg != nil {
		if mapped, hasMap = cfg.mapIdx[1]; !hasMap && name != "" {
			mapped, hasMap = cfg.mapName[strings.ToLower(name)]
		}
	}
	counted, hashCount := 0, 0
	for _, l := range lines {
		if _, ok := cutCount(l); ok {
			counted++
		}
		if _, ok := cutHashCount(l); ok {
			hashCount++
		}
	}
	sh.counted = len(lines) > 0 && counted*5 >= len(lines)*4
	sh.hashCount = len(lines) > 0 && hashCount*5 >= len(lines)*4
	sample := make([][]byte, len(lines))
	for i, l := range lines {
		sample[i] = sh.value(l)
	}
	sh.hashes = hashid.JudgeColumn(name, sample)
	if hasMap {
		sh.class = mapped
	}
	return sh
}

// classify returns the class of a list value: a hash is a hash (by the
// column verdict), a login is an email or a username as
// account.AppendLogin decides, a password is a password unless it is a
// hash. A $HEX[...] password (hashcat's plaintext output) is decoded.
func (sh *listShape) classify(v, buf []byte) (catalog.DataClass, []byte, []byte) {
	switch sh.class {
	case catalog.ClassEmail, catalog.ClassUsername:
		return loginClass(v), v, buf
	case catalog.ClassPassword, catalog.ClassPasswordHash:
		if sh.class == catalog.ClassPasswordHash {
			return sh.class, v, buf
		}
		if sh.hashes.Hashes() {
			if sh.hashes.IsHash(v) {
				return catalog.ClassPasswordHash, v, buf
			}
		} else if isHash(v) {
			return catalog.ClassPasswordHash, v, buf
		}
		v, buf = hexPlain(v, buf)
		v = trim(v)
		return passwordClass(v), v, buf
	}
	return sh.class, v, buf
}

// parseList parses a list: one record of one value a line.
func parseList(lr *lineReader, cfg *config, em *emitter) error {
	sh := listShapeOf(headLines(lfHead(lr.head(), false), 400), cfg)
	var fields [1]Field
	rec := Record{}
	var buf []byte
	first := true
	for {
		s, ok, err := lr.nextText(em)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if first {
			first = false
			if sh.header && !cfg.noHeader {
				if _, ok := listHeader(s); ok {
					em.st.Ignored++
					continue
				}
			}
		}
		var cls catalog.DataClass
		var v []byte
		cls, v, buf = sh.classify(sh.value(s), buf)
		if len(v) == 0 {
			if err := em.quarantine(lr.n, ReasonEmptyPassword, lr.raw); err != nil {
				return err
			}
			continue
		}
		if cls == catalog.ClassUnknown {
			em.st.Ignored++ // --map 1=ignore
			continue
		}
		fields[0] = Field{Class: cls, Value: v}
		rec.Fields, rec.Line = fields[:1], lr.n
		if err := em.record(&rec); err != nil {
			return err
		}
	}
	lr.finish()
	return lr.errOrNil()
}

// emailAndHash reports whether v is an email address, a combolist
// separator and a hash: "alice@example.com:5f4dcc3b5aa765d61d8327deb882cf99".
func emailAndHash(v []byte) bool {
	login, pass, _, reason := splitCombo(v)
	return reason == "" && isEmail(login) && isHash(pass)
}

// listHead reports whether the trimmed lines of a head are a list of
// single values, with the reason. Most lines must be one hash, or one
// token that could be a password (no separator, no white space unless
// after a count, no markup, no email address, no URL, IP address, date or
// phone number); and a list of passwords must not be lines of one length
// (base64 wrapped at 64 columns, tokens). Emails alone are left to the
// email-list detection, labelled or structured lines to theirs.
func listHead(lines [][]byte) (bool, string) {
	if len(lines) == 0 {
		return false, ""
	}
	sh := listShapeOf(lines, nil)
	if sh.header {
		lines = lines[1:]
		if len(lines) == 0 {
			return false, ""
		}
	}
	if sh.class != catalog.ClassPassword && sh.class != catalog.ClassPasswordHash && sh.class != catalog.ClassUsername {
		return false, "" // a header of emails: the email-list detection reads it
	}
	hashes, tokens := 0, 0
	lens := map[int]int{}
	for _, l := range lines {
		v := sh.value(l)
		switch {
		case emailAndHash(v):
			// A combolist line, though "salt:hash" reads it as one
			// salted hash.
		case sh.hashes.IsHash(v):
			hashes++
		case listToken(v, sh.counted || sh.header), sh.class == catalog.ClassUsername && isEmail(v):
			tokens++
			lens[len(v)]++
		}
	}
	n := len(lines)
	if hashes*5 >= n*4 {
		return true, fmt.Sprintf("%d of %d lines are a hash alone (a hash list)", hashes, n)
	}
	if (hashes+tokens)*5 < n*4 || tokens == 0 {
		return false, ""
	}
	for l, c := range lens {
		if l >= 20 && c*10 >= tokens*7 && tokens >= 4 {
			return false, "" // lines of one length: wrapped data, not passwords
		}
	}
	what := "passwords"
	if sh.class == catalog.ClassUsername {
		what = "usernames, by its header"
	}
	if sh.counted {
		what += ", with counts"
	}
	return true, fmt.Sprintf("%d of %d lines are a single value (a list of %s)", hashes+tokens, n, what)
}

// listToken reports whether a value could be one password of a list.
func listToken(v []byte, spaces bool) bool {
	if len(v) == 0 || len(v) > 64 {
		return false
	}
	for _, c := range v {
		switch c {
		case ':', ';', '|', '\t', ',':
			return false
		case ' ':
			if !spaces {
				return false
			}
		}
	}
	if v[0] == '<' && v[len(v)-1] == '>' {
		return false // markup
	}
	switch valueKind(v) {
	case catalog.ClassUnknown, catalog.ClassGender:
		return !isDomain(v) || !strictHost(v) // "p.word" and "k.tanaka" are no hosts
	}
	return false
}
