package leakparse

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Combolists that went through an account checker carry what the checker
// captured from each account after the password:
//
//	cap.one@mail.example:CapOne#1 | Plan = Premium | Country = US | Checked by @SomeBot
//	cap.two@mail.example:CapTwo#2 | Plan: Basic | Expiry: 2025-12-01
//	cap.three@mail.example:CapThree#3 - Plan = Family - Country = DE
//	cap.four@mail.example:CapFour#4 [Plan: Premium] [Country: FR]
//	cap.five@mail.example:CapFive#5 | Subscription = Gold | Expiry = 2026-01-01 |
//
// The password is what precedes the capture; the captured fields are no
// password and no account. Their keys are classified as column names are,
// and a field whose class is personal data other than an identifier or a
// password (a country is a geographic location, a name a name) is kept
// with the record, for the breach's data classes only: the value is never
// stored. Plans, subscriptions, expiry dates, balances and points have no
// class in the catalog and are dropped, as are the checker's signatures
// ("Checked by @SomeBot", "Config by ...", "BOT: @...").
//
// Whether a file carries captures is decided once, from its head (see
// comboShape.capture): a password that holds " | " in a file without them
// stays whole, and clean files pay nothing.

// maxCaptured is how many captured fields a record keeps.
const maxCaptured = 8

// captureStart returns where a checker's capture starts in a password, or
// -1 when it holds none: the first '|', " - " or '[' such that what
// follows is checker fields and signatures only, and something precedes
// it.
func captureStart(pass []byte) int {
	if bytes.IndexByte(pass, '|') < 0 && bytes.IndexByte(pass, '[') < 0 && !bytes.Contains(pass, []byte(" - ")) {
		return -1
	}
	for i := 1; i < len(pass); i++ {
		c := pass[i]
		dash := c == '-' && pass[i-1] == ' ' && i+1 < len(pass) && pass[i+1] == ' '
		if c != '|' && c != '[' && !dash {
			continue
		}
		if len(trim(pass[:i])) == 0 {
			continue
		}
		if captureFields(pass[i:], dash, nil) {
			return i
		}
	}
	return -1
}

// captureFields reports whether t, from a capture's opening '|', '-' or
// '[', is checker fields and signatures only, at least one; fn (if not
// nil) is given each field's key and value. Fields are separated by '|'
// (and by " - " when the capture opened with one) or bracketed.
func captureFields(t []byte, dashes bool, fn func(key, val []byte)) bool {
	n := 0
	for {
		t = trimLeft(t)
		if len(t) == 0 {
			return n > 0
		}
		switch {
		case t[0] == '|':
			t = t[1:]
			continue
		case dashes && t[0] == '-' && (len(t) == 1 || t[1] == ' '):
			t = t[1:]
			continue
		case t[0] == '[':
			j := bytes.IndexByte(t, ']')
			if j < 0 || !captureItem(trim(t[1:j]), fn) {
				return false
			}
			t = t[j+1:]
			n++
			continue
		}
		j := len(t)
		if k := bytes.IndexByte(t, '|'); k >= 0 {
			j = k
		}
		if dashes {
			if k := bytes.Index(t[:j], []byte(" - ")); k >= 0 {
				j = k
			}
		}
		if k := bytes.Index(t[:j], []byte(" [")); k >= 0 {
			j = k
		}
		if !captureItem(trim(t[:j]), fn) {
			return false
		}
		t = t[j:]
		n++
	}
}

// captureItem reports whether one item of a capture is a field ("Key =
// Value", "Key: Value") or a checker's signature, and gives fn a field.
func captureItem(item []byte, fn func(key, val []byte)) bool {
	if len(item) == 0 {
		return true
	}
	if checkerSignature(item) {
		return true
	}
	k := bytes.IndexAny(item, "=:")
	if k <= 0 {
		return false
	}
	key, val := trim(item[:k]), trim(item[k+1:])
	if !captureKey(key) {
		return false
	}
	if fn != nil {
		fn(key, val)
	}
	return true
}

// captureKey reports whether a field name can be a checker's: one to four
// words of letters and digits (a letter first), at most 32 bytes.
func captureKey(key []byte) bool {
	if len(key) == 0 || len(key) > 32 {
		return false
	}
	r, _ := utf8.DecodeRune(key)
	if !unicode.IsLetter(r) {
		return false
	}
	words := 1
	for i := 0; i < len(key); {
		r, size := utf8.DecodeRune(key[i:])
		i += size
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case r == ' ':
			words++
		case r == '_' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')' || r == '\'':
		default:
			return false
		}
	}
	return words <= 4
}

// checkerSignature reports whether a capture item is a checker's
// signature: "Checked by ...", "Config by ...", "BOT: @...", a handle or a
// Telegram link.
func checkerSignature(item []byte) bool {
	for _, p := range []string{"checked by", "checked with", "config by", "configured by", "cracked by",
		"made by", "captured by", "capture by", "by @", "bot:", "bot @", "telegram:", "tg:", "channel:", "t.me/", "https://t.me/"} {
		if hasPrefixFold(item, p) {
			return true
		}
	}
	return item[0] == '@' && len(item) > 1 && bytes.IndexByte(item, ' ') < 0
}

// cutCapture splits a password from the checker's capture after it, and
// appends to fields a field per captured value whose class is personal
// data (see the top of this file), at most maxCaptured in all.
func cutCapture(pass []byte, fields []Field) ([]byte, []Field) {
	i := captureStart(pass)
	if i < 0 {
		return pass, fields
	}
	dash := pass[i] == '-'
	captureFields(pass[i:], dash, func(key, val []byte) {
		if len(val) == 0 || len(fields) >= cap(fields) {
			return
		}
		if c := capturedClass(key); c != catalog.ClassUnknown {
			fields = append(fields, Field{Class: c, Value: val})
		}
	})
	return trim(pass[:i]), fields
}

// capturedClass is the class of a captured field by its key, as a column
// of that name is classified, or ClassUnknown for a field that is no
// personal data of the catalog or is an identifier or a password (never
// kept from a capture).
func capturedClass(key []byte) catalog.DataClass {
	c, _ := classifyName(string(key))
	switch c {
	case catalog.ClassEmail, catalog.ClassUsername, catalog.ClassPhone, catalog.ClassPassword, catalog.ClassPasswordHash:
		return catalog.ClassUnknown
	}
	return c
}

// captureHead reports whether the passwords of a combolist's head carry
// checker captures: at least two of them, and a fifth of all.
func captureHead(passes [][]byte) (int, bool) {
	n := 0
	for _, p := range passes {
		if captureStart(p) >= 0 {
			n++
		}
	}
	return n, n >= 2 && n*5 >= len(passes)
}
