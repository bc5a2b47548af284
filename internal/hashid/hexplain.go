package hashid

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
