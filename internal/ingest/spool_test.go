package ingest

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"testing"
)

func TestSpool(t *testing.T) {
	dir := t.TempDir()
	s, err := newSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	plain := bytes.Repeat([]byte("alice@example.com:Summer2024!\n"), 1000)
	for i := 0; i < len(plain); i += 777 {
		s.Write(plain[i:min(i+777, len(plain))])
	}
	onDisk, _ := os.ReadFile(s.f.Name())
	if bytes.Contains(onDisk, []byte("alice")) || len(onDisk) != len(plain) {
		t.Fatal("the spool holds plaintext")
	}
	got, err := io.ReadAll(s.Reader())
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		off := r.IntN(len(plain))
		n := r.IntN(len(plain) - off + 1)
		p := make([]byte, n)
		if _, err := s.ReadAt(p, int64(off)); err != nil && err != io.EOF {
			t.Fatal(err)
		}
		if !bytes.Equal(p, plain[off:off+n]) {
			t.Fatalf("ReadAt(%d, %d) differs", off, n)
		}
	}
	name := s.f.Name()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); err == nil {
		t.Error("spool file survives Close")
	}
}
