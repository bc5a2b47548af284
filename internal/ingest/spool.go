package ingest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// spoolPattern names the temporary files of spools.
const spoolPattern = "leakwatch-spool-"

// A spool is a temporary file for input that must be read twice or out of
// order (standard input, which is digested before it is parsed; a zip
// archive, which needs random access). Its contents are encrypted with
// AES-256-CTR under a key that exists only in memory, so a crash or kill
// leaves ciphertext nobody can read, never plaintext leaked data.
type spool struct {
	f     *os.File
	block cipher.Block
	iv    [aes.BlockSize]byte
	w     cipher.Stream // encrypts sequential writes
	size  int64
	buf   []byte
}

func newSpool(dir string) (*spool, error) {
	var key [32]byte
	s := &spool{}
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	if _, err := rand.Read(s.iv[:]); err != nil {
		return nil, err
	}
	var err error
	if s.block, err = aes.NewCipher(key[:]); err != nil {
		return nil, err
	}
	if s.f, err = os.CreateTemp(dir, spoolPattern); err != nil {
		return nil, err
	}
	s.w = cipher.NewCTR(s.block, s.iv[:])
	return s, nil
}

// Write encrypts p and appends it to the file.
func (s *spool) Write(p []byte) (int, error) {
	s.buf = append(s.buf[:0], p...)
	s.w.XORKeyStream(s.buf, s.buf)
	n, err := s.f.Write(s.buf)
	s.size += int64(n)
	return n, err
}

// ReadAt decrypts len(p) bytes from offset off.
func (s *spool) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("spool: negative offset")
	}
	n, err := s.f.ReadAt(p, off)
	// The counter block of offset off is iv + off/16; skip off%16 bytes.
	var iv [aes.BlockSize]byte
	hi, lo := binary.BigEndian.Uint64(s.iv[:8]), binary.BigEndian.Uint64(s.iv[8:])
	add := uint64(off / aes.BlockSize)
	lo2 := lo + add
	if lo2 < lo {
		hi++
	}
	binary.BigEndian.PutUint64(iv[:8], hi)
	binary.BigEndian.PutUint64(iv[8:], lo2)
	st := cipher.NewCTR(s.block, iv[:])
	var skip [aes.BlockSize]byte
	st.XORKeyStream(skip[:off%aes.BlockSize], skip[:off%aes.BlockSize])
	st.XORKeyStream(p[:n], p[:n])
	return n, err
}

// Reader returns a reader of the whole decrypted contents.
func (s *spool) Reader() io.Reader { return io.NewSectionReader(s, 0, s.size) }

// Close closes and removes the file.
func (s *spool) Close() error {
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}
