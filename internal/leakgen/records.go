package leakgen

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// This file writes the customer-record formats: CSV, TSV, JSON and NDJSON.

// csvHeader names the columns of the CSV and TSV formats, as a telecom
// customer export would.
var csvHeader = []string{
	"customer_id", "full_name", "email", "phone", "date_of_birth", "address", "city", "postcode",
	"country", "tax_id", "device_id", "ip_address", "password", "created_at",
}

func (g *gen) csv(ctx context.Context) error {
	delim, eol := byte(','), "\r\n"
	if g.opts.Format == leakparse.FormatTSV {
		delim, eol = '\t', "\n"
	} else {
		g.buf = append(g.buf, 0xEF, 0xBB, 0xBF) // byte order mark, as Excel writes it
	}
	for i, h := range csvHeader {
		if i > 0 {
			g.buf = append(g.buf, delim)
		}
		g.buf = append(g.buf, h...)
	}
	g.buf = append(g.buf, eol...)
	return g.loop(ctx, needAll,
		func(i int64) error { g.csvRecord(i, delim, eol); return nil },
		func() { g.csvJunk(delim, eol) })
}

func (g *gen) csvRecord(i int64, delim byte, eol string) {
	p, r := &g.p, &g.r
	start := len(g.buf)
	b := itoa(g.buf, 100000+i)
	b = append(b, delim)

	var nameBuf [128]byte
	name := nameBuf[:0]
	switch u := r.intn(100); {
	case u < 3: // "Smith, John"
		name = append(append(append(name, p.lastName()...), ", "...), p.firstName()...)
	case u < 5 && !p.native: // John "Johnny" Smith
		name = append(append(name, p.firstName()...), " \""...)
		name = append(append(name, pick(r, g.t.shortNames)...), "\" "...)
		name = append(name, p.lastName()...)
	default:
		name = p.appendFullName(name)
	}
	b = appendCSVField(b, name, delim)
	b = append(b, delim)

	at := len(b)
	b = append(b, p.email...)
	if r.chance(20) {
		mixedCase(b[at:])
	}
	b = append(b, delim)
	if !r.chance(40) {
		b = appendCSVField(b, p.phone, delim)
	}
	b = append(b, delim)
	b = append(p.appendDOB(b), delim)
	b = append(appendCSVField(b, p.street, delim), delim)
	b = append(appendCSVField(b, []byte(p.city), delim), delim)
	b = append(append(b, p.postcode...), delim)
	b = append(append(b, p.cult.code...), delim)
	if !r.chance(80) {
		b = append(b, p.taxID...)
	}
	b = append(b, delim)
	b = append(append(b, p.deviceID...), delim)
	b = append(append(b, p.ip...), delim)
	b = append(appendCSVField(b, p.password, delim), delim)
	b = appendCreated(b, r, "2006-01-02 15:04:05")
	b = append(b, eol...)

	// Some exports were assembled from systems that stored accented names
	// in ISO 8859-1: such rows are not valid UTF-8.
	if p.nameLatin1() && r.chance(200) {
		b = toLatin1(b, start)
	}
	g.buf = b
}

// appendCSVField appends s, quoted when it holds the delimiter, a quote or
// a line break, with quotes doubled.
func appendCSVField(b, s []byte, delim byte) []byte {
	quote := false
	for _, c := range s {
		if c == delim || c == '"' || c == '\n' || c == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for _, c := range s {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// toLatin1 re-encodes b[start:] from UTF-8 to ISO 8859-1 in place, if every
// character has a Latin-1 code; otherwise it returns b unchanged.
func toLatin1(b []byte, start int) []byte {
	for i := start; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r > 0xff {
			return b
		}
		i += n
	}
	w := start
	for i := start; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		b[w] = byte(r)
		w++
		i += n
	}
	return b[:w]
}

// appendCreated appends a random account creation time in 2012-2023.
func appendCreated(b []byte, r *rng, layout string) []byte {
	return createdTime(r).AppendFormat(b, layout)
}

func createdTime(r *rng) time.Time {
	return time.Unix(1325376000+int64(r.intn(12*365*86400)), 0).UTC()
}

func (g *gen) csvJunk(delim byte, eol string) {
	r := &g.jr
	b := g.buf
	switch r.intn(3) {
	case 0:
		b = appendGarbage(b, r)
	case 1: // too few fields
		b = appendJunkToken(b, r)
		b = append(b, delim)
		b = appendJunkToken(b, r)
	default: // a quote in an unquoted field
		b = itoa(b, int64(r.between(1, 99999)))
		b = append(b, delim)
		b = appendJunkToken(b, r)
		b = append(b, '"')
		b = appendJunkToken(b, r)
		for range len(csvHeader) - 2 {
			b = append(b, delim)
		}
	}
	g.buf = append(b, eol...)
}

func (g *gen) json(ctx context.Context) error {
	array := g.opts.Format == leakparse.FormatJSON
	if array {
		g.buf = append(g.buf, "[\n"...)
	}
	err := g.loop(ctx, needAll, g.jsonRecord, g.jsonJunk)
	if err == nil && array {
		if g.items > 0 {
			g.buf = append(g.buf, '\n')
		}
		g.buf = append(g.buf, "]\n"...)
	}
	return err
}

// jsonItem starts an array element or NDJSON line.
func (g *gen) jsonItem() {
	if g.opts.Format == leakparse.FormatJSON && g.items > 0 {
		g.buf = append(g.buf, ",\n"...)
	}
	g.items++
}

// jsonItemEnd ends it.
func (g *gen) jsonItemEnd() {
	if g.opts.Format == leakparse.FormatNDJSON {
		g.buf = append(g.buf, '\n')
	}
}

func (g *gen) jsonRecord(i int64) error {
	p, r := &g.p, &g.r
	g.jsonItem()
	ascii := r.chance(50) // some exporters escape every non-ASCII character
	created := createdTime(r)
	b := append(g.buf, `{"_id":{"$oid":"`...)
	b = appendObjectID(b, r, created.Unix(), i)
	b = append(b, `"},"customer_id":`...)
	b = itoa(b, 100000+i)
	b = append(b, `,"name":{"first":`...)
	b = appendJSONString(b, []byte(p.firstName()), ascii)
	b = append(b, `,"last":`...)
	b = appendJSONString(b, []byte(p.lastName()), ascii)
	b = append(b, `},"email":`...)
	b = appendJSONString(b, p.email, ascii)
	b = append(b, `,"phone":`...)
	if r.chance(40) {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, p.phone, ascii)
	}
	b = append(b, `,"dob":"`...)
	b = append(p.appendDOB(b), `","address":{"street":`...)
	b = appendJSONString(b, p.street, ascii)
	b = append(b, `,"city":`...)
	b = appendJSONString(b, []byte(p.city), ascii)
	b = append(b, `,"postcode":`...)
	b = appendJSONString(b, p.postcode, ascii)
	b = append(append(append(b, `,"country":"`...), p.cult.code...), `"}`...)
	if !r.chance(80) {
		b = append(b, `,"tax_id":`...)
		b = appendJSONString(b, p.taxID, ascii)
	}
	b = append(b, `,"device":{"id":`...)
	b = appendJSONString(b, p.deviceID, ascii)
	b = append(append(append(b, `,"last_ip":"`...), p.ip...), `"},"password":`...)
	b = appendJSONString(b, p.password, ascii)
	b = append(b, `,"created_at":{"$date":"`...)
	b = created.AppendFormat(b, "2006-01-02T15:04:05.000Z")
	g.buf = append(b, `"}}`...)
	g.jsonItemEnd()
	return nil
}

// appendObjectID appends a MongoDB ObjectId: creation time, random bytes
// and a counter, in hex.
func appendObjectID(b []byte, r *rng, unix, counter int64) []byte {
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, hexLower[unix>>shift&15])
	}
	b = appendHex(b, r, 10, false)
	for shift := 20; shift >= 0; shift -= 4 {
		b = append(b, hexLower[counter>>shift&15])
	}
	return b
}

// appendJSONString appends s as a JSON string. With ascii, characters
// outside ASCII are written as \u escapes (surrogate pairs above U+FFFF).
func appendJSONString(b, s []byte, ascii bool) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexLower[c>>4], hexLower[c&15])
		case c >= utf8.RuneSelf && ascii:
			r, n := utf8.DecodeRune(s[i:])
			if r > 0xffff {
				r -= 0x10000
				b = appendU(b, 0xd800+r>>10)
				r = 0xdc00 + r&0x3ff
			}
			b = appendU(b, r)
			i += n
			continue
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexLower[r>>12&15], hexLower[r>>8&15], hexLower[r>>4&15], hexLower[r&15])
}

func (g *gen) jsonJunk() {
	r := &g.jr
	g.jsonItem()
	b := g.buf
	switch r.intn(3) {
	case 0: // an object cut short
		b = append(b, `{"_id":{"$oid":"`...)
		b = appendHex(b, r, 24, false)
		b = append(b, `"},"email":"`...)
		b = appendJunkToken(b, r)
	case 1:
		b = appendGarbage(b, r)
	default: // a value that is not JSON
		b = append(b, `{"email":`...)
		b = appendJunkToken(b, r)
		b = append(b, '}')
	}
	g.buf = b
	g.jsonItemEnd()
}
