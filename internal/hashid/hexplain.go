package hashid

import (
	"encoding/base64"
	"slices"
)

// DecodeHexPlain decodes a plaintext as hashcat writes it in potfiles and
// --outfile output when the plaintext holds bytes that would break the line
// (a ':', non-ASCII or control bytes): "$HEX[" + hex of the bytes + "]".
// It returns the bytes, in a new slice, and true; or nil and false when v is
// not of that form (a password that merely looks like it, "$HEX[zz]", is
// left alone). "$HEX[]" is the empty plaintext.
func DecodeHexPlain(v []byte) ([]byte, bool) {
	const open = "$HEX["
	if len(v) < len(open)+1 || string(v[:len(open)]) != open || v[len(v)-1] != ']' {
		return nil, false
	}
	h := v[len(open) : len(v)-1]
	if len(h)%2 != 0 {
		return nil, false
	}
	out := make([]byte, len(h)/2)
	for i := range out {
		hi, lo := hexVal[h[2*i]], hexVal[h[2*i+1]]
		if hi == 0xff || lo == 0xff {
			return nil, false
		}
		out[i] = hi<<4 | lo
	}
	return out, true
}

// plainSchemes are the {SCHEME} names whose values are the password
// itself (Dovecot's PLAIN, CLEAR and CLEARTEXT), upper case.
var plainSchemes = [...]string{"PLAIN", "CLEAR", "CLEARTEXT"}

// AppendPlain reads a password stored under a plaintext scheme, as Dovecot
// and LDAP keep them: "{PLAIN}secret", "{CLEAR}secret" and
// "{CLEARTEXT}secret" hold "secret"; with ".B64" ("{PLAIN.B64}c2VjcmV0")
// the payload is base64 and with ".HEX" hex of the password. Scheme names
// are case-insensitive. For such a value it appends the password to dst
// and returns true; the prefixed string is never the password, so a
// payload that does not decode appends nothing. For any other value it
// returns dst and false.
func AppendPlain(dst, v []byte) ([]byte, bool) {
	if len(v) < 3 || v[0] != '{' {
		return dst, false
	}
	end := 1
	for end < len(v) && end < 20 && v[end] != '}' {
		end++
	}
	if end >= len(v) || v[end] != '}' {
		return dst, false
	}
	name, payload := v[1:end], v[end+1:]
	enc := ""
	for _, e := range [...]string{".B64", ".BASE64", ".HEX"} {
		if len(name) > len(e) && hasPrefix(name[len(name)-len(e):], e, true) {
			name, enc = name[:len(name)-len(e)], e
			break
		}
	}
	known := false
	for _, s := range plainSchemes {
		known = known || len(name) == len(s) && hasPrefix(name, s, true)
	}
	if !known {
		return dst, false
	}
	switch enc {
	case "":
		return append(dst, payload...), true
	case ".HEX":
		if len(payload)%2 != 0 || !allIn(payload, clHex) {
			return dst, true
		}
		for i := 0; i < len(payload); i += 2 {
			dst = append(dst, hexVal[payload[i]]<<4|hexVal[payload[i+1]])
		}
		return dst, true
	}
	n := len(dst)
	dst = slices.Grow(dst, base64.StdEncoding.DecodedLen(len(payload)))
	m, err := base64.StdEncoding.Decode(dst[n:n+base64.StdEncoding.DecodedLen(len(payload))], payload)
	if err != nil {
		return dst[:n], true
	}
	return dst[:n+m], true
}
