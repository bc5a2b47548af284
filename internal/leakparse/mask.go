package leakparse

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// maxStars caps the stars one masked word shows, so long values do not
// show their length.
const maxStars = 12

// Mask returns a value of the given class masked for display, as Sniffed
// samples show them: enough to recognise what a column holds, never the
// value. Emails keep the first letter of the local part and of each domain
// label and the top-level domain ("a****@e******.com"); passwords their
// first and last characters around a fixed run of stars ("S*****4!", and
// only stars when short); hashes their algorithm prefix; phone numbers and
// dates some leading digits; card, account and identity numbers their
// last characters; names, addresses and usernames the first letter of
// each word. Host names, software names and genders are not personal and
// are shown as they are.
func Mask(class catalog.DataClass, value []byte) string {
	v := trim(value)
	if len(v) == 0 {
		return ""
	}
	if !utf8.Valid(v) {
		v = appendCP1252(nil, v)
	}
	var b strings.Builder
	switch class {
	case catalog.ClassEmail:
		at := bytes.LastIndexByte(v, '@')
		if at <= 0 {
			maskWords(&b, v)
			break
		}
		maskWord(&b, v[:at])
		b.WriteByte('@')
		labels := bytes.Split(v[at+1:], []byte("."))
		for i, l := range labels {
			if i > 0 {
				b.WriteByte('.')
			}
			if i == len(labels)-1 && len(labels) > 1 {
				b.Write(truncRunes(l, 24))
			} else {
				maskWord(&b, l)
			}
		}
	case catalog.ClassPassword:
		n := utf8.RuneCount(v)
		r := []rune(string(v))
		switch {
		case n >= 10:
			b.WriteRune(r[0])
			b.WriteString("*****")
			b.WriteString(string(r[n-2:]))
		case n >= 6:
			b.WriteRune(r[0])
			b.WriteString("*****")
			b.WriteRune(r[n-1])
		default:
			b.WriteString("*****")
		}
	case catalog.ClassPasswordHash:
		maskHash(&b, v)
	case catalog.ClassWebsite, catalog.ClassAppSoftware, catalog.ClassGender:
		b.Write(truncRunes(v, 64))
	case catalog.ClassPhone:
		maskDigits(&b, v, 2, 2)
	case catalog.ClassDateOfBirth:
		maskDate(&b, v)
	case catalog.ClassIP:
		maskIP(&b, v)
	case catalog.ClassCreditCard, catalog.ClassBankAccount:
		maskTail(&b, v, 4)
	case catalog.ClassGovernmentID, catalog.ClassDeviceID, catalog.ClassCookie, catalog.ClassAuthToken:
		maskTail(&b, v, 2)
	default:
		maskWords(&b, v)
	}
	return b.String()
}

// maskWord writes the first rune of w and a star for each other rune.
func maskWord(b *strings.Builder, w []byte) {
	r, size := utf8.DecodeRune(w)
	if size == 0 {
		return
	}
	b.WriteRune(r)
	b.WriteString(strings.Repeat("*", min(utf8.RuneCount(w[size:]), maxStars)))
}

// maskWords masks each space-separated word.
func maskWords(b *strings.Builder, v []byte) {
	for i, w := range bytes.Fields(v) {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i >= 8 {
			b.WriteString("…")
			break
		}
		maskWord(b, w)
	}
}

func truncRunes(v []byte, n int) []byte {
	if utf8.RuneCount(v) <= n {
		return v
	}
	r := []rune(string(v))
	return []byte(string(r[:n]) + "…")
}

// maskHash keeps a crypt-style prefix ("$2y$10$") or the first four hex
// digits.
func maskHash(b *strings.Builder, v []byte) {
	switch {
	case v[0] == '$':
		// Up to the third '$' (algorithm and cost), capped.
		n, end := 0, len(v)
		for i, c := range v {
			if c == '$' {
				n++
				if n == 3 || (n == 2 && i > 12) {
					end = i + 1
					break
				}
			}
		}
		b.Write(v[:min(end, 16)])
	case v[0] == '{':
		if i := bytes.IndexByte(v, '}'); i > 0 && i < 12 {
			b.Write(v[:i+1])
		}
	default:
		b.Write(v[:min(4, len(v)/4)])
	}
	b.WriteString("****")
}

// maskDigits keeps the first head and last tail digits, starring the
// others; other characters are kept.
func maskDigits(b *strings.Builder, v []byte, head, tail int) {
	total := 0
	for _, c := range v {
		if isDigit(c) {
			total++
		}
	}
	if total < head+tail+3 {
		head, tail = 0, 0
	}
	k := 0
	for _, c := range v {
		if !isDigit(c) {
			if c < 0x80 {
				b.WriteByte(c)
			}
			continue
		}
		if k < head || k >= total-tail {
			b.WriteByte(c)
		} else {
			b.WriteByte('*')
		}
		k++
	}
}

// maskDate keeps the century of a four-digit year and the separators.
func maskDate(b *strings.Builder, v []byte) {
	run, keep := 0, -1
	for i, c := range v {
		if isDigit(c) {
			run++
			if run == 4 && keep < 0 {
				keep = i - 3
			}
		} else {
			run = 0
		}
	}
	for i, c := range v {
		switch {
		case !isDigit(c):
			if c < 0x80 {
				b.WriteByte(c)
			}
		case keep >= 0 && (i == keep || i == keep+1):
			b.WriteByte(c)
		default:
			b.WriteByte('*')
		}
	}
}

// maskIP keeps the first two parts of an address.
func maskIP(b *strings.Builder, v []byte) {
	sep := byte('.')
	if bytes.IndexByte(v, ':') >= 0 {
		sep = ':'
	}
	parts := bytes.Split(v, []byte{sep})
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(sep)
		}
		if i < 2 && len(parts) > 2 {
			b.Write(truncRunes(p, 8))
		} else if len(p) > 0 {
			b.WriteByte('*')
		}
	}
}

// maskTail keeps the last n characters.
func maskTail(b *strings.Builder, v []byte, n int) {
	r := []rune(string(v))
	if len(r) < 2*n+2 {
		b.WriteString(strings.Repeat("*", len(r)))
		return
	}
	b.WriteString(strings.Repeat("*", min(len(r)-n, maxStars)))
	b.WriteString(string(r[len(r)-n:]))
}
