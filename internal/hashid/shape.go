package hashid

import (
	"bytes"
	"math/bits"
)

// Byte classes. A byte's class bits say which alphabets hold it.
const (
	clDigit  = 1 << iota // 0-9
	clHexLo              // a-f
	clHexUp              // A-F
	clLower              // a-z
	clUpper              // A-Z
	clCrypt              // ./0-9A-Za-z: crypt(3), bcrypt and passlib's "ab64"
	clB64                // A-Za-z0-9+/: standard base64
	clB64URL             // A-Za-z0-9-_: URL-safe base64
)

const (
	clHex    = clDigit | clHexLo | clHexUp
	clLetter = clLower | clUpper
)

var (
	class [256]uint8
	// hexVal is the value of a hex digit, 0xff for other bytes.
	hexVal [256]uint8
	// b64Val is the value of a base64 digit of either alphabet, 0xff for
	// other bytes.
	b64Val [256]uint8
	// cryptVal is the value of a crypt(3) digit ("./0-9A-Za-z"), 0xff for
	// other bytes.
	cryptVal [256]uint8
)

const (
	cryptDigits = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b64Digits   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func init() {
	for i := range 256 {
		hexVal[i], b64Val[i], cryptVal[i] = 0xff, 0xff, 0xff
		c := byte(i)
		var k uint8
		switch {
		case '0' <= c && c <= '9':
			k = clDigit | clCrypt | clB64 | clB64URL
			hexVal[i] = c - '0'
		case 'a' <= c && c <= 'z':
			k = clLower | clCrypt | clB64 | clB64URL
			if c <= 'f' {
				k |= clHexLo
				hexVal[i] = c - 'a' + 10
			}
		case 'A' <= c && c <= 'Z':
			k = clUpper | clCrypt | clB64 | clB64URL
			if c <= 'F' {
				k |= clHexUp
				hexVal[i] = c - 'A' + 10
			}
		case c == '.' || c == '/':
			k = clCrypt
			if c == '/' {
				k |= clB64
			}
		case c == '+':
			k = clB64
		case c == '-' || c == '_':
			k = clB64URL
		}
		class[i] = k
	}
	for i := range len(cryptDigits) {
		cryptVal[cryptDigits[i]] = uint8(i)
	}
	for i := range len(b64Digits) {
		b64Val[b64Digits[i]] = uint8(i)
	}
	b64Val['-'], b64Val['_'] = 62, 63
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// classes returns the class bits every byte of b has (all of them for an
// empty b) and the union of the bits of its bytes.
func classes(b []byte) (and, or uint8) {
	and = 0xff
	for _, c := range b {
		k := class[c]
		and &= k
		or |= k
	}
	return and, or
}

func allIn(b []byte, cl uint8) bool {
	for _, c := range b {
		if class[c]&cl == 0 {
			return false
		}
	}
	return true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func isHex(b []byte) bool { return len(b) > 0 && allIn(b, clHex) }

func isCrypt(b []byte) bool { return allIn(b, clCrypt) }

// isCryptN reports whether b is exactly n crypt(3) digits.
func isCryptN(b []byte, n int) bool { return len(b) == n && isCrypt(b) }

// isB64Raw reports whether b is unpadded base64 of the standard alphabet,
// at least min digits long.
func isB64Raw(b []byte, min int) bool { return len(b) >= min && allIn(b, clB64) }

// b64Len returns the number of bytes the base64 string b decodes to, or -1
// when b is not base64: one alphabet (standard or URL), padding only at the
// end, and a length that padding or its absence makes whole.
func b64Len(b []byte) int {
	n := len(b)
	pad := 0
	for pad < 2 && n > 0 && b[n-1] == '=' {
		n--
		pad++
	}
	if n == 0 || n%4 == 1 || pad > 0 && (n+pad)%4 != 0 {
		return -1
	}
	and, _ := classes(b[:n])
	if and&(clB64|clB64URL) == 0 {
		return -1
	}
	return n * 6 / 8
}

// b64Canonical reports whether the last digit of unpadded base64 b has the
// unused low bits clear, as every encoder writes them.
func b64Canonical(b []byte) bool {
	unused := (len(b) * 6) % 8
	if unused == 0 {
		return true
	}
	return b64Val[b[len(b)-1]]&(1<<unused-1) == 0
}

// Verdicts on digits of digest shape. A digest's digits are uniformly
// random; a password of the same alphabet and length rarely is. The tests
// below cost a real digest nothing in practice (the probabilities are given
// per digest) and keep typed strings out of Certain.

// hexVerdict judges a hex string of a digest length (32 digits or more).
//
//   - NotHash: three or fewer distinct digits ("aaaa...", "abab...",
//     p < 1e-20 for a digest), a repeated unit ("deadbeefdeadbeef...",
//     "0123456789abcdef0123456789abcdef") or a palindrome
//     ("0123456789abcdeffedcba9876543210"). These are typed or made-up
//     strings.
//   - Ambiguous: upper and lower case mixed (no digest encoder does that),
//     no letter (all digits: p = 3e-7 for 32 digits), no digit (p = 2e-14),
//     or fewer than 8 distinct digits (p < 4e-8).
//   - Certain: everything else.
//
// It is on the import's hot path (every hex digest of a combolist), so it
// makes one pass with no data-dependent branch; the shorter strings that
// hex16Verdict, b64Verdict and matchDES judge also get patterned's test for
// walks up or down the alphabet.
func hexVerdict(h []byte) Certainty {
	var seen uint32
	var acc uint8
	for _, c := range h {
		x := hexInfo[c]
		acc |= x
		seen |= 1 << (x & 15)
	}
	if acc&hexBad != 0 {
		return NotHash
	}
	distinct := bits.OnesCount32(seen)
	// A unit repeated has at most as many distinct digits as it is long, so
	// only periods from distinct up need checking.
	if distinct <= 3 || periodic(h, distinct) || palindrome(h) {
		return NotHash
	}
	if acc&(hexLower|hexUpper) == hexLower|hexUpper || acc&(hexLower|hexUpper) == 0 || seen&0x3ff == 0 || distinct < 8 {
		return Ambiguous
	}
	return Certain
}

// hexInfo packs what hexVerdict needs of a byte: its value as a hex digit
// (low 4 bits) and whether it is a lower-case letter, an upper-case letter
// or no hex digit at all.
var hexInfo [256]uint8

const (
	hexLower = 0x10
	hexUpper = 0x20
	hexBad   = 0x80
)

func init() {
	for i := range hexInfo {
		c := byte(i)
		switch v := hexVal[i]; {
		case v == 0xff:
			hexInfo[i] = hexBad
		case 'a' <= c && c <= 'f':
			hexInfo[i] = v | hexLower
		case 'A' <= c && c <= 'F':
			hexInfo[i] = v | hexUpper
		default:
			hexInfo[i] = v
		}
	}
}

// palindrome reports whether b reads the same backwards.
func palindrome(b []byte) bool {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		if b[i] != b[j] {
			return false
		}
	}
	return true
}

// hex16Verdict judges 16 hex digits: a MySQL 3.x hash, half an MD5 or LM
// hash, or a password. The best it says is Ambiguous. All digits (card
// numbers, phone numbers, PINs: p = 5e-4 for a hash), all letters (p =
// 1.5e-7), mixed case and patterned strings are NotHash.
func hex16Verdict(h []byte) Certainty {
	if !isHex(h) {
		return NotHash
	}
	_, or := classes(h)
	if or&clDigit == 0 || or&(clHexLo|clHexUp) == 0 ||
		or&clHexLo != 0 && or&clHexUp != 0 || patterned(h, hexVal[:]) {
		return NotHash
	}
	return Ambiguous
}

// b64Verdict judges base64 digits of a digest: canonical final digit, both
// letter cases (p = 1e-5 against, for the 22 digits of an MD5), at least 10
// distinct digits, no repetition.
func b64Verdict(b []byte) bool {
	_, or := classes(b)
	if or&clLower == 0 || or&clUpper == 0 || !b64Canonical(b) || patterned(b, b64Val[:]) {
		return false
	}
	var seen uint64
	for _, c := range b {
		seen |= 1 << b64Val[c]
	}
	return bits.OnesCount64(seen) >= 10
}

// patterned reports whether b repeats a shorter unit ("abcabcab"), reads
// the same backwards, or more than half of its neighbouring digits step by
// one ("0123456789abcdef").
// val maps digits to their values in the alphabet.
func patterned(b []byte, val []uint8) bool {
	steps := 0
	for i := 1; i < len(b); i++ {
		if d := val[b[i]] - val[b[i-1]]; d == 1 || d == 0xff {
			steps++
		}
	}
	return steps*2 > len(b) || periodic(b, 1) || palindrome(b)
}

// periodic reports whether b repeats a unit of from to len(b)/2 bytes.
func periodic(b []byte, from int) bool {
	n := len(b)
	for p := max(from, 1); p <= n/2; p++ {
		if b[p] == b[0] && bytes.Equal(b[p:], b[:n-p]) {
			return true
		}
	}
	return false
}

// cut splits b around the first sep.
func cut(b []byte, sep byte) (before, after []byte, ok bool) {
	if i := bytes.IndexByte(b, sep); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}

// saltOK reports whether b can be a salt embedded in a hash string:
// printable ASCII or UTF-8, no white space, no field separators.
func saltOK(b []byte, maxLen int) bool {
	if len(b) > maxLen {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c == 0x7f || c == '$' || c == ':' {
			return false
		}
	}
	return true
}
