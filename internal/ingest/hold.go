package ingest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/leakwatch/leakwatch/internal/store"
)

// holdPattern names the temporary files of holds.
const holdPattern = "leakwatch-hold-"

// A hold keeps the quarantined lines of an import's files until the files'
// digests are known. A quarantined line is stored under the digest of the
// bytes its file was parsed from (so importing a file again, in any
// container, quarantines nothing twice), which is only known at the file's
// end, while workers seal its lines as they go. The hold is a temporary
// file of sealed lines: nothing in it is plaintext.
type hold struct {
	mu  sync.Mutex
	f   *os.File
	w   *bufio.Writer
	n   int64
	err error
}

func newHold(dir string) (*hold, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, holdPattern)
	if err != nil {
		return nil, err
	}
	return &hold{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// heldLine is one quarantined line of the file numbered file.
type heldLine struct {
	file   uint32
	print  store.LinePrint
	line   int64
	reason string
	sealed []byte
}

// put appends a line. It is safe for concurrent use.
func (h *hold) put(file uint32, print store.LinePrint, line int64, reason string, sealed []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return
	}
	var hdr [4 + 8 + 1 + 4]byte
	binary.BigEndian.PutUint32(hdr[0:], file)
	binary.BigEndian.PutUint64(hdr[4:], uint64(line))
	hdr[12] = byte(len(reason))
	binary.BigEndian.PutUint32(hdr[13:], uint32(len(sealed)))
	h.w.Write(hdr[:13])
	h.w.Write(print[:])
	h.w.WriteString(reason[:min(len(reason), 255)])
	h.w.Write(hdr[13:])
	_, h.err = h.w.Write(sealed)
	h.n++
}

// each calls fn for every line put, in order. It is called once, after
// the last put.
func (h *hold) each(fn func(heldLine) error) error {
	if h.err != nil {
		return h.err
	}
	if err := h.w.Flush(); err != nil {
		return err
	}
	if _, err := h.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(h.f, 64<<10)
	var hdr [13]byte
	for i := int64(0); i < h.n; i++ {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return err
		}
		var print store.LinePrint
		if _, err := io.ReadFull(r, print[:]); err != nil {
			return err
		}
		reason := make([]byte, hdr[12])
		if _, err := io.ReadFull(r, reason); err != nil {
			return err
		}
		var l [4]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return err
		}
		n := binary.BigEndian.Uint32(l[:])
		if n > maxQuarantined+1024 {
			return errors.New("corrupt quarantine hold")
		}
		sealed := make([]byte, n)
		if _, err := io.ReadFull(r, sealed); err != nil {
			return err
		}
		if err := fn(heldLine{file: binary.BigEndian.Uint32(hdr[0:]), print: print, line: int64(binary.BigEndian.Uint64(hdr[4:])), reason: string(reason), sealed: sealed}); err != nil {
			return err
		}
	}
	return nil
}

func (h *hold) close() error {
	err := h.f.Close()
	if rerr := os.Remove(h.f.Name()); err == nil {
		err = rerr
	}
	return err
}

// removeStaleTemp deletes the spools and holds of imports that were
// killed. Only one import at a time uses a data directory, so none of
// them is live.
func removeStaleTemp(dir string) {
	for _, pat := range []string{spoolPattern, holdPattern} {
		old, _ := filepath.Glob(filepath.Join(dir, pat+"*"))
		for _, p := range old {
			os.Remove(p)
		}
	}
}
