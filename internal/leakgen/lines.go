package leakgen

import (
	"context"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// This file writes the line formats: combolists and ULP lines, and the
// junk lines that go with them.

// comboSep picks a combolist separator: mostly ':', then ';', '|', tab and
// space.
func comboSep(r *rng) byte {
	switch u := r.intn(100); {
	case u < 82:
		return ':'
	case u < 88:
		return ';'
	case u < 93:
		return '|'
	case u < 97:
		return '\t'
	}
	return ' '
}

func (g *gen) combo(ctx context.Context) error {
	return g.loop(ctx, needPassword, g.comboRecord, g.lineJunk)
}

func (g *gen) comboRecord(int64) error {
	p, r := &g.p, &g.r
	b := g.buf
	sep := comboSep(r)
	if r.chance(50) {
		p.genUsername(g.t)
		b = append(b, p.username...)
	} else {
		m := r.intn(1000)
		if m < 8 {
			b = append(b, "  "[:1+m&1]...)
		}
		start := len(b)
		b = append(b, p.email...)
		switch {
		case m < 30:
			upperASCII(b[start:])
		case m < 60:
			mixedCase(b[start:])
		}
		if m >= 992 && sep != ' ' && sep != '\t' {
			b = append(b, ' ')
		}
	}
	b = append(b, sep)
	if len(p.hash) > 0 {
		b = append(b, p.hash...)
	} else {
		b = append(b, p.password...)
	}
	g.buf = append(b, '\n')
	return nil
}

func upperASCII(b []byte) {
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
}

// mixedCase capitalises the words of an address: "John.Smith@Gmail.com".
func mixedCase(b []byte) {
	word := true
	for i, c := range b {
		if word && 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
		word = c == '.' && bytesIndexByte(b[:i], '@') < 0 || c == '@'
	}
}

func bytesIndexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func (g *gen) ulpRecord(int64) error {
	p, r := &g.p, &g.r
	b := g.buf
	var sep byte = ':'
	switch u := r.intn(100); {
	case u < 12:
		sep = '|'
	case u < 20:
		sep = ' '
	}
	b = g.appendURL(b, true)
	b = append(b, sep)
	b = g.appendLogin(b)
	b = append(b, sep)
	b = append(b, p.password...)
	g.buf = append(b, '\n')
	return nil
}

// appendURL appends the URL of the current person's credential as an
// infostealer saw it. With sloppy, the scheme or the path may be missing,
// as in ULP lists that were cleaned up carelessly.
func (g *gen) appendURL(b []byte, sloppy bool) []byte {
	p, r, t := &g.p, &g.r, g.t
	if r.chance(70) {
		k := r.intn(len(t.androidApps))
		b = append(b, "android://"...)
		b = append(b, t.androidIDs[k]...)
		b = append(b, '@')
		b = append(b, t.androidApps[k]...)
		return append(b, '/')
	}
	shape := r.intn(100)
	if !sloppy {
		shape %= 78 // browsers save full URLs
	}
	if shape < 78 || shape >= 90 && shape < 95 {
		if p.webHTTP {
			b = append(b, "http://"...)
		} else {
			b = append(b, "https://"...)
		}
	}
	b = append(b, p.website...)
	if p.webPort != "" {
		b = append(b, ':')
		b = append(b, p.webPort...)
	}
	switch {
	case shape < 90:
		b = append(b, p.webPath...)
	case shape < 95:
		b = append(b, '/')
	}
	return b
}

// appendLogin appends what the person logged in with: mostly the e-mail
// address, else the username or the phone number.
func (g *gen) appendLogin(b []byte) []byte {
	p := &g.p
	switch u := g.r.intn(100); {
	case u < 65:
		return append(b, p.email...)
	case u < 90:
		return append(b, p.username...)
	}
	// The phone number as sites store it: digits of the E.164 form.
	return append(b, p.phoneE164[1:]...)
}

// lineJunk writes a junk line for the combo and ULP formats.
func (g *gen) lineJunk() {
	r := &g.jr
	b := g.buf
	switch r.intn(6) {
	case 0, 1:
		b = appendGarbage(b, r)
	case 2: // no separator at all
		b = appendJunkToken(b, r)
	case 3: // an address and nothing else
		b = appendJunkToken(b, r)
		b = append(b, '@')
		b = g.t.appendDomainN(b, uint64(r.intn(1000)))
	case 4: // a quote that is never closed
		b = append(b, '"')
		b = appendJunkToken(b, r)
		b = append(b, "@example.com"...)
	default:
		if g.opts.Format == leakparse.FormatULP { // a URL without login or password
			b = append(b, "https://"...)
			b = g.t.appendDomainN(b, uint64(r.intn(1000)))
			b = append(b, "/login"...)
		} else {
			b = append(b, "=================="...)
		}
	}
	g.buf = append(b, '\n')
}

// appendGarbage appends 8 to 60 bytes of binary garbage: control bytes and
// bytes >= 0x80 that are seldom valid UTF-8. It holds no printable ASCII,
// so no separator, quote or line break.
func appendGarbage(b []byte, r *rng) []byte {
	for range r.between(8, 60) {
		c := byte(0x80 + r.intn(0x80))
		switch r.intn(5) {
		case 0:
			c = byte(r.intn(9)) // 0x00-0x08
		case 1:
			c = byte(0x0e + r.intn(0x12)) // 0x0e-0x1f
		}
		b = append(b, c)
	}
	return b
}

// appendJunkToken appends letters and digits without any separator.
func appendJunkToken(b []byte, r *rng) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for range r.between(6, 24) {
		b = append(b, alphabet[r.intn(len(alphabet))])
	}
	return b
}

// itoa appends n in decimal.
func itoa(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }
