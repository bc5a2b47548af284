package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"hash"
	"hash/crc32"
	"io"
)

// Encrypted zip members: the traditional PKWARE encryption (ZipCrypto) and
// WinZip's AES (AE-1, AE-2), decrypted here from the member's raw bytes
// (archive/zip reads neither). See PKWARE's APPNOTE.TXT 6.1 and WinZip's
// "AES Encryption Information: Encryption Specification AE-1 and AE-2".

// errZipPassword is a password that does not open a member.
var errZipPassword = errors.New("wrong password")

// zipAESExtra is the header id of WinZip's AES extra field.
const zipAESExtra = 0x9901

// zipMethodAES is the compression method of an AES-encrypted member (the
// real one is in the extra field).
const zipMethodAES = 99

// openEncryptedZip opens the encrypted member f with password pw: the
// returned reader gives its decompressed contents and fails at the end
// if their checksum or authentication code is wrong.
// zipStored reports whether an encrypted zip member is stored without
// compression (inside WinZip AES too).
func zipStored(f *zip.File) bool {
	if f.Method == zipMethodAES {
		_, _, m, ok := zipAESInfo(f.Extra)
		return ok && m == zip.Store
	}
	return f.Method == zip.Store
}

func openEncryptedZip(f *zip.File, pw string) (io.ReadCloser, error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, err
	}
	size := int64(f.CompressedSize64)
	method := f.Method
	checkCRC := true
	var plain io.Reader
	if f.Method == zipMethodAES {
		ae, strength, m, ok := zipAESInfo(f.Extra)
		if !ok {
			return nil, zip.ErrFormat
		}
		method = m
		// AE-2 stores no CRC (the authentication code covers the data).
		checkCRC = ae == 1
		plain, err = newZipAESReader(raw, size, strength, pw)
	} else {
		// The check byte is the CRC's high byte, or the time's when the
		// sizes and CRC come after the data (bit 3); tools differ, so both
		// are taken.
		check := []byte{byte(f.CRC32 >> 24), byte(f.ModifiedTime >> 8)}
		plain, err = newZipCryptoReader(raw, size, pw, check)
	}
	if err != nil {
		return nil, err
	}
	var rc io.ReadCloser
	switch method {
	case zip.Store:
		rc = io.NopCloser(plain)
	case zip.Deflate:
		rc = flate.NewReader(plain)
	default:
		return nil, zip.ErrAlgorithm
	}
	if !checkCRC {
		return rc, nil
	}
	return &crcReader{rc: rc, h: crc32.NewIEEE(), want: f.CRC32}, nil
}

// zipAESInfo parses the AES extra field: its version (1 or 2), key
// strength (1, 2, 3 for AES-128, -192, -256) and real compression method.
func zipAESInfo(extra []byte) (version int, strength int, method uint16, ok bool) {
	for len(extra) >= 4 {
		id, n := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
		extra = extra[4:]
		if n > len(extra) {
			return 0, 0, 0, false
		}
		if id == zipAESExtra && n >= 7 && extra[2] == 'A' && extra[3] == 'E' {
			return int(binary.LittleEndian.Uint16(extra)), int(extra[4]), binary.LittleEndian.Uint16(extra[5:]), true
		}
		extra = extra[n:]
	}
	return 0, 0, 0, false
}

// newZipAESReader decrypts a WinZip AES member's raw bytes r (size of
// them): salt, password verifier, data, authentication code.
func newZipAESReader(r io.Reader, size int64, strength int, pw string) (io.Reader, error) {
	if strength < 1 || strength > 3 {
		return nil, zip.ErrFormat
	}
	keyLen := 8 + 8*strength // 16, 24, 32
	saltLen := keyLen / 2
	if size < int64(saltLen)+2+10 {
		return nil, zip.ErrFormat
	}
	head := make([]byte, saltLen+2)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, err
	}
	dk, err := pbkdf2.Key(sha1.New, pw, head[:saltLen], 1000, 2*keyLen+2)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(dk[2*keyLen:], head[saltLen:]) {
		return nil, errZipPassword
	}
	block, err := aes.NewCipher(dk[:keyLen])
	if err != nil {
		return nil, err
	}
	return &zipAESReader{
		r:     io.LimitReader(r, size-int64(saltLen)-2-10),
		tail:  r,
		block: block,
		mac:   hmac.New(sha1.New, dk[keyLen:2*keyLen]),
	}, nil
}

// zipAESReader decrypts AES-CTR with WinZip's counter (little endian,
// from 1) and checks the HMAC-SHA1 of the ciphertext at the end.
type zipAESReader struct {
	r, tail io.Reader
	block   cipher.Block
	mac     hash.Hash
	ctr     uint64
	ks      [aes.BlockSize]byte
	used    int // bytes of ks used; aes.BlockSize when a new block is due
	started bool
}

func (z *zipAESReader) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	z.mac.Write(p[:n])
	if !z.started {
		z.started, z.used = true, aes.BlockSize
	}
	for i := range n {
		if z.used == aes.BlockSize {
			z.ctr++
			var c [aes.BlockSize]byte
			binary.LittleEndian.PutUint64(c[:], z.ctr)
			z.block.Encrypt(z.ks[:], c[:])
			z.used = 0
		}
		p[i] ^= z.ks[z.used]
		z.used++
	}
	if err == io.EOF {
		var code [10]byte
		if _, err := io.ReadFull(z.tail, code[:]); err != nil {
			return n, err
		}
		if !hmac.Equal(code[:], z.mac.Sum(nil)[:10]) {
			return n, zip.ErrChecksum
		}
	}
	return n, err
}

// newZipCryptoReader decrypts a ZipCrypto member's raw bytes r (size of
// them, the 12-byte encryption header first); the header's last byte
// must be one of check.
func newZipCryptoReader(r io.Reader, size int64, pw string, check []byte) (io.Reader, error) {
	if size < 12 {
		return nil, zip.ErrFormat
	}
	z := &zipCryptoReader{r: io.LimitReader(r, size-12)}
	z.keys = [3]uint32{0x12345678, 0x23456789, 0x34567890}
	for i := 0; i < len(pw); i++ {
		z.update(pw[i])
	}
	var head [12]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	z.decrypt(head[:])
	if !bytes.Contains(check, head[11:]) {
		return nil, errZipPassword
	}
	return z, nil
}

var crcTable = crc32.MakeTable(crc32.IEEE)

type zipCryptoReader struct {
	r    io.Reader
	keys [3]uint32
}

func (z *zipCryptoReader) update(b byte) {
	z.keys[0] = crcTable[byte(z.keys[0])^b] ^ z.keys[0]>>8
	z.keys[1] = (z.keys[1]+z.keys[0]&0xff)*134775813 + 1
	z.keys[2] = crcTable[byte(z.keys[2])^byte(z.keys[1]>>24)] ^ z.keys[2]>>8
}

func (z *zipCryptoReader) decrypt(p []byte) {
	for i := range p {
		t := z.keys[2]&0xffff | 2
		p[i] ^= byte(t * (t ^ 1) >> 8)
		z.update(p[i])
	}
}

func (z *zipCryptoReader) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	z.decrypt(p[:n])
	return n, err
}

// crcReader fails at the end of rc when the CRC-32 of what it read is not
// want.
type crcReader struct {
	rc   io.ReadCloser
	h    hash.Hash32
	want uint32
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF && c.h.Sum32() != c.want {
		return n, zip.ErrChecksum
	}
	return n, err
}

func (c *crcReader) Close() error { return c.rc.Close() }
