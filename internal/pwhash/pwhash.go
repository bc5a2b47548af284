// Package pwhash computes password hashes the way Pwned Passwords publishes
// them: SHA-1 of the password's bytes, and NTLM (MD4 of the password encoded
// as UTF-16LE), rendered as upper-case hex.
//
// The hash functions take the password exactly as found (no trimming, no
// case folding, no Unicode normalisation): Pwned Passwords hashes "the exact
// string". They are allocation-free and safe for concurrent use.
package pwhash

import (
	"crypto/sha1"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// SHA1 returns the SHA-1 digest of password, as used by the default mode of
// the Pwned Passwords range API.
func SHA1(password []byte) [20]byte {
	return sha1.Sum(password)
}

// ntlmChunk is the size of the stack buffer that holds UTF-16LE code units
// before they are fed to MD4. A UTF-8 password of n bytes encodes to at most
// 2n bytes of UTF-16 (one ASCII byte or one invalid byte gives one unit; four
// bytes give a surrogate pair), so a password of up to 256 bytes is hashed
// in a single pass; longer ones are streamed through the same buffer, which
// keeps NTLM allocation-free for every length.
const ntlmChunk = 512

// NTLM returns the NTLM hash of password: MD4 over the UTF-16LE encoding of
// password, as used by the Pwned Passwords range API with mode=ntlm.
//
// password is decoded as UTF-8; each byte that is not part of a valid UTF-8
// sequence becomes U+FFFD, exactly as Go's conversion []rune(string(password))
// does. Code points above U+FFFF are encoded as surrogate pairs.
func NTLM(password []byte) [16]byte {
	var d md4Digest
	d.reset()
	var buf [ntlmChunk]byte
	n := 0
	for i := 0; i < len(password); {
		if n > ntlmChunk-4 {
			d.write(buf[:n])
			n = 0
		}
		c := password[i]
		if c < utf8.RuneSelf {
			buf[n] = c
			buf[n+1] = 0
			n += 2
			i++
			continue
		}
		r, size := utf8.DecodeRune(password[i:])
		i += size
		if r <= 0xffff {
			buf[n] = byte(r)
			buf[n+1] = byte(r >> 8)
			n += 2
			continue
		}
		hi, lo := utf16.EncodeRune(r)
		buf[n] = byte(hi)
		buf[n+1] = byte(hi >> 8)
		buf[n+2] = byte(lo)
		buf[n+3] = byte(lo >> 8)
		n += 4
	}
	d.write(buf[:n])
	return d.sum()
}

const hexUpper = "0123456789ABCDEF"

// AppendHexUpper appends the upper-case hexadecimal encoding of b to dst and
// returns the extended slice, the form Pwned Passwords uses for hashes and
// range suffixes.
func AppendHexUpper(dst []byte, b []byte) []byte {
	dst = slices.Grow(dst, 2*len(b))
	for _, c := range b {
		dst = append(dst, hexUpper[c>>4], hexUpper[c&0x0f])
	}
	return dst
}
