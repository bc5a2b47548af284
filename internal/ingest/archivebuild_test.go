package ingest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// Writers of the archives no Go library here writes: RAR 5 (stored, plain
// or AES-256 encrypted) and encrypted zip members (ZipCrypto, WinZip AES).

type archiveMember struct {
	name string
	data []byte
}

// rar5 builds a RAR 5 archive of stored (method 0, uncompressed) members
// from the format's published description (rarlab.com, "RAR 5.0 archive
// format"): signature, main archive header, one file header per member
// with its data, end of archive header. With a password each member's data
// is AES-256-CBC encrypted under a key of PBKDF2-HMAC-SHA256, and the file
// header carries a file encryption record with a password check value.
func rar5(t *testing.T, members []archiveMember, password string) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("Rar!\x1a\x07\x01\x00")
	block := func(typ uint64, flags uint64, body []byte, extra []byte, data []byte) {
		var h []byte
		h = binary.AppendUvarint(h, typ)
		if len(extra) > 0 {
			flags |= 0x0001
		}
		if data != nil {
			flags |= 0x0002
		}
		h = binary.AppendUvarint(h, flags)
		if len(extra) > 0 {
			h = binary.AppendUvarint(h, uint64(len(extra)))
		}
		if data != nil {
			h = binary.AppendUvarint(h, uint64(len(data)))
		}
		h = append(h, body...)
		h = append(h, extra...)
		sized := binary.AppendUvarint(nil, uint64(len(h)))
		sized = append(sized, h...)
		out.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(sized)))
		out.Write(sized)
		out.Write(data)
	}
	block(1, 0, binary.AppendUvarint(nil, 0), nil, nil) // main: no archive flags
	for i, m := range members {
		data := m.data
		var extra []byte
		if password != "" {
			const kdf = 4 // log2 of the PBKDF2 iterations (RAR itself uses 15)
			salt := bytes.Repeat([]byte{byte(i + 1)}, 16)
			iv := bytes.Repeat([]byte{byte(i + 0x40)}, 16)
			key, _ := pbkdf2.Key(sha256.New, password, salt, 1<<kdf, 32)
			v3, _ := pbkdf2.Key(sha256.New, password, salt, 1<<kdf+32, 32)
			check := make([]byte, 8)
			for j, b := range v3 {
				check[j%8] ^= b
			}
			sum := sha256.Sum256(check)
			check = append(check, sum[:4]...)
			var rec []byte
			rec = binary.AppendUvarint(rec, 0)      // version: AES-256
			rec = binary.AppendUvarint(rec, 0x0001) // password check present, plain CRC32
			rec = append(rec, kdf)
			rec = append(rec, salt...)
			rec = append(rec, iv...)
			rec = append(rec, check...)
			extra = binary.AppendUvarint(nil, uint64(len(rec)+1))
			extra = binary.AppendUvarint(extra, 0x01) // file encryption record
			extra = append(extra, rec...)
			padded := append(append([]byte(nil), data...), make([]byte, (16-len(data)%16)%16)...)
			b, _ := aes.NewCipher(key)
			cipher.NewCBCEncrypter(b, iv).CryptBlocks(padded, padded)
			data = padded
		}
		var body []byte
		body = binary.AppendUvarint(body, 0x0004) // file flags: CRC32 present
		body = binary.AppendUvarint(body, uint64(len(m.data)))
		body = binary.AppendUvarint(body, 0x20) // attributes: archive
		body = binary.LittleEndian.AppendUint32(body, crc32.ChecksumIEEE(m.data))
		body = binary.AppendUvarint(body, 0) // compression: version 0, method 0 (store), smallest dictionary
		body = binary.AppendUvarint(body, 0) // host OS: Windows
		body = binary.AppendUvarint(body, uint64(len(m.name)))
		body = append(body, m.name...)
		if data == nil {
			data = []byte{}
		}
		block(2, 0, body, extra, data)
	}
	block(5, 0, binary.AppendUvarint(nil, 0), nil, nil) // end of archive
	return out.Bytes()
}

// zipEncryption is how encryptedZip encrypts its members.
type zipEncryption int

const (
	zipCrypto zipEncryption = iota
	zipAES1                 // WinZip AE-1: AES-256, CRC kept
	zipAES2                 // WinZip AE-2: AES-256, no CRC
)

// encryptedZip builds a zip archive of members encrypted with password,
// deflated or stored.
func encryptedZip(t *testing.T, members []archiveMember, password string, enc zipEncryption, deflate bool) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for i, m := range members {
		payload := m.data
		method := zip.Store
		if deflate {
			var b bytes.Buffer
			fw, _ := flate.NewWriter(&b, flate.BestCompression)
			fw.Write(m.data)
			fw.Close()
			payload, method = b.Bytes(), zip.Deflate
		}
		crc := crc32.ChecksumIEEE(m.data)
		fh := &zip.FileHeader{Name: m.name, Method: method, Flags: 1, CRC32: crc, UncompressedSize64: uint64(len(m.data))}
		var raw []byte
		switch enc {
		case zipCrypto:
			z := &zipCryptoReader{keys: [3]uint32{0x12345678, 0x23456789, 0x34567890}}
			for j := 0; j < len(password); j++ {
				z.update(password[j])
			}
			head := bytes.Repeat([]byte{byte(i*7 + 3)}, 12)
			head[11] = byte(crc >> 24)
			raw = append(head, payload...)
			for j, p := range raw {
				k := z.keys[2]&0xffff | 2
				raw[j] = p ^ byte(k*(k^1)>>8)
				z.update(p)
			}
		default:
			version := uint16(1)
			if enc == zipAES2 {
				version, fh.CRC32 = 2, 0
			}
			extra := binary.LittleEndian.AppendUint16(nil, zipAESExtra)
			extra = binary.LittleEndian.AppendUint16(extra, 7)
			extra = binary.LittleEndian.AppendUint16(extra, version)
			extra = append(extra, 'A', 'E', 3)
			extra = binary.LittleEndian.AppendUint16(extra, method)
			fh.Extra, fh.Method = extra, zipMethodAES
			salt := bytes.Repeat([]byte{byte(i + 9)}, 16)
			dk, _ := pbkdf2.Key(sha1.New, password, salt, 1000, 66)
			b, _ := aes.NewCipher(dk[:32])
			ct := append([]byte(nil), payload...)
			var ks [16]byte
			for j := range ct {
				if j%16 == 0 {
					var c [16]byte
					binary.LittleEndian.PutUint64(c[:], uint64(j/16+1))
					b.Encrypt(ks[:], c[:])
				}
				ct[j] ^= ks[j%16]
			}
			mac := hmac.New(sha1.New, dk[32:64])
			mac.Write(ct)
			raw = append(append(append(salt, dk[64:66]...), ct...), mac.Sum(nil)[:10]...)
		}
		fh.CompressedSize64 = uint64(len(raw))
		w, err := zw.CreateRaw(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// plainZip builds a zip archive of deflated members.
func plainZip(t *testing.T, members []archiveMember) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, m := range members {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// tarMembers builds a tar archive of members.
func tarMembers(t *testing.T, members []archiveMember) []byte {
	t.Helper()
	var out bytes.Buffer
	tw := tar.NewWriter(&out)
	for _, m := range members {
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o600, Size: int64(len(m.data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(m.data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
