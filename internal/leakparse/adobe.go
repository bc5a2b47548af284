package leakparse

import (
	"bytes"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// The Adobe 2013 dump ("cred", 153 million lines) wraps every field in
// dashes and separates fields with "|":
//
//	103238704-|--|-jmyo@example.com-|-uUjK6JzzNtk=-|-Shop-|--
//
// that is the user id, a username (mostly empty), the email address, the
// password encrypted with 3DES in ECB mode (base64, 8 bytes a block), the
// password hint in clear, and an empty last field. The encrypted password
// is recorded as a password hash: it is no password, and identical blocks
// say nothing without the key. The hint is a security question and answer.
// The id is Adobe's internal key: dropped.

var (
	adobeSep = []byte("-|-")
	adobeEnd = []byte("-|--")
)

// splitAdobe splits an Adobe line into its fields; ok is false when the
// line does not have the layout (a numeric id and five "-|-" separated
// fields ending in "-|--"). A hint may hold "-|-": it is the rest.
func splitAdobe(s []byte) (user, email, blob, hint []byte, ok bool) {
	if !bytes.HasSuffix(s, adobeEnd) {
		return nil, nil, nil, nil, false
	}
	s = s[:len(s)-len(adobeEnd)]
	var f [4][]byte
	for i := range f {
		k := bytes.Index(s, adobeSep)
		if k < 0 {
			// A line that ends after the password, without a hint field.
			if i == 3 {
				f[3], s = s, nil
				break
			}
			return nil, nil, nil, nil, false
		}
		f[i], s = s[:k], s[k+len(adobeSep):]
	}
	if !allDigits(f[0]) {
		return nil, nil, nil, nil, false
	}
	return trim(f[1]), trim(f[2]), trim(f[3]), trim(s), true
}

// adobeLines counts the lines of a head that have the Adobe layout.
func adobeLines(lines [][]byte) int {
	n := 0
	for _, l := range lines {
		if _, _, _, _, ok := splitAdobe(l); ok {
			n++
		}
	}
	return n
}

// parseAdobe parses the Adobe 2013 dump. Records hold the email (and the
// username, when there is one) as logins, the encrypted password as a
// hash and the hint; a line without the layout is quarantined
// (column-count), one without a login too (no-identifier).
func parseAdobe(lr *lineReader, em *emitter) error {
	var fields [4]Field
	rec := Record{}
	for {
		s, ok, err := lr.nextText(em)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		user, email, blob, hint, ok := splitAdobe(s)
		if !ok {
			if err := em.quarantine(lr.n, ReasonColumnCount, lr.raw); err != nil {
				return err
			}
			continue
		}
		if len(email) == 0 && len(user) == 0 {
			if err := em.quarantine(lr.n, ReasonNoIdentifier, lr.raw); err != nil {
				return err
			}
			continue
		}
		rec.Fields = fields[:0]
		if len(email) > 0 {
			rec.Fields = append(rec.Fields, Field{Class: loginClass(email), Value: email})
		}
		if len(blob) > 0 {
			rec.Fields = append(rec.Fields, Field{Class: catalog.ClassPasswordHash, Value: blob})
		}
		if len(hint) > 0 {
			rec.Fields = append(rec.Fields, Field{Class: catalog.ClassSecurityQuestion, Value: hint})
		}
		if len(user) > 0 {
			rec.Fields = append(rec.Fields, Field{Class: loginClass(user), Value: user})
		}
		rec.Line = lr.n
		if err := em.record(&rec); err != nil {
			return err
		}
	}
	lr.finish()
	return lr.errOrNil()
}
