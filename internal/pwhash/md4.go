package pwhash

import (
	"encoding/binary"
	"math/bits"
)

// This file implements MD4 (RFC 1320) for NTLM hashes.
//
// Why not golang.org/x/crypto/md4: that package is deprecated, and its only
// entry point returns a hash.Hash interface, so every NTLM hash would cost a
// heap allocation (the digest and the bytes written through the interface
// escape). MD4 is about sixty lines; this value-typed digest lives on the
// caller's stack, which is what makes NTLM allocation-free. The tests check
// it against the RFC 1320 suite, against OpenSSL-computed NTLM vectors and,
// by fuzzing, against x/crypto/md4 as an independent implementation.
//
// MD4 is broken as a cryptographic hash. It is here only because the Pwned
// Passwords NTLM mode is defined with it; never use it for anything else.

const (
	md4Size      = 16
	md4BlockSize = 64
)

// md4Digest is a streaming MD4 state. The zero value is not ready; call reset.
type md4Digest struct {
	s    [4]uint32
	buf  [md4BlockSize]byte
	nbuf int
	len  uint64 // bytes written so far
}

func (d *md4Digest) reset() {
	d.s = [4]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}
	d.nbuf = 0
	d.len = 0
}

func (d *md4Digest) write(p []byte) {
	d.len += uint64(len(p))
	if d.nbuf > 0 {
		n := copy(d.buf[d.nbuf:], p)
		d.nbuf += n
		p = p[n:]
		if d.nbuf < md4BlockSize {
			return
		}
		md4Block(&d.s, d.buf[:])
		d.nbuf = 0
	}
	for len(p) >= md4BlockSize {
		md4Block(&d.s, p[:md4BlockSize])
		p = p[md4BlockSize:]
	}
	d.nbuf = copy(d.buf[:], p)
}

// sum pads the message and returns the digest. d must not be used afterwards
// without reset.
func (d *md4Digest) sum() [md4Size]byte {
	// Padding: 0x80, zeros up to 56 mod 64, then the 64-bit little-endian
	// message length in bits. write leaves nbuf < 64.
	d.buf[d.nbuf] = 0x80
	clear(d.buf[d.nbuf+1:])
	if d.nbuf >= 56 {
		md4Block(&d.s, d.buf[:])
		clear(d.buf[:56])
	}
	binary.LittleEndian.PutUint64(d.buf[56:], d.len<<3)
	md4Block(&d.s, d.buf[:])
	var out [md4Size]byte
	for i, v := range d.s {
		binary.LittleEndian.PutUint32(out[4*i:], v)
	}
	return out
}

// md4Sum returns the MD4 digest of p.
func md4Sum(p []byte) [md4Size]byte {
	var d md4Digest
	d.reset()
	d.write(p)
	return d.sum()
}

// md4Block applies the MD4 compression function to one 64-byte block.
func md4Block(s *[4]uint32, p []byte) {
	var x [16]uint32
	for i := range x {
		x[i] = binary.LittleEndian.Uint32(p[4*i:])
	}
	a, b, c, d := s[0], s[1], s[2], s[3]

	// Round 1: F(x, y, z) = (x AND y) OR (NOT x AND z), words in order.
	for i := 0; i < 16; i += 4 {
		a = bits.RotateLeft32(a+((b&c)|(^b&d))+x[i], 3)
		d = bits.RotateLeft32(d+((a&b)|(^a&c))+x[i+1], 7)
		c = bits.RotateLeft32(c+((d&a)|(^d&b))+x[i+2], 11)
		b = bits.RotateLeft32(b+((c&d)|(^c&a))+x[i+3], 19)
	}

	// Round 2: G(x, y, z) = majority, words by column, constant sqrt(2).
	const k2 = 0x5a827999
	for i := 0; i < 4; i++ {
		a = bits.RotateLeft32(a+((b&c)|(b&d)|(c&d))+x[i]+k2, 3)
		d = bits.RotateLeft32(d+((a&b)|(a&c)|(b&c))+x[i+4]+k2, 5)
		c = bits.RotateLeft32(c+((d&a)|(d&b)|(a&b))+x[i+8]+k2, 9)
		b = bits.RotateLeft32(b+((c&d)|(c&a)|(d&a))+x[i+12]+k2, 13)
	}

	// Round 3: H(x, y, z) = parity, words in bit-reversed order, constant
	// sqrt(3).
	const k3 = 0x6ed9eba1
	for _, i := range [4]int{0, 2, 1, 3} {
		a = bits.RotateLeft32(a+(b^c^d)+x[i]+k3, 3)
		d = bits.RotateLeft32(d+(a^b^c)+x[i+8]+k3, 9)
		c = bits.RotateLeft32(c+(d^a^b)+x[i+4]+k3, 11)
		b = bits.RotateLeft32(b+(c^d^a)+x[i+12]+k3, 15)
	}

	s[0] += a
	s[1] += b
	s[2] += c
	s[3] += d
}
