package pwned

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leakwatch/leakwatch/internal/store"
)

// WriteCorpus writes every hash of kind in the downloader's single-file
// format (FULLHASH:COUNT, upper-case hex, ordered by hash, CRLF after each
// line) to w. It is what Export writes to a file, and what a server streams
// to a remote client.
func WriteCorpus(ctx context.Context, s store.Store, kind store.HashKind, w io.Writer) (Stats, error) {
	return writeCorpus(ctx, s, kind, w, 0, NumPrefixes)
}

// writeCorpus writes the hashes of prefixes lo to hi-1, in one pass over
// the store's hashes of kind (one state of the data).
func writeCorpus(ctx context.Context, s store.Store, kind store.HashKind, w io.Writer, lo, hi uint32) (Stats, error) {
	var st Stats
	size := kind.Size()
	if size == 0 {
		return st, fmt.Errorf("unknown hash kind %d", kind)
	}
	lw := &lineWriter{size: size, full: true}
	flush := func() error {
		if _, err := w.Write(lw.dst); err != nil {
			return fmt.Errorf("exporting %s hashes: %w", kind, err)
		}
		st.Bytes += int64(len(lw.dst))
		lw.dst = lw.dst[:0]
		return nil
	}
	for h, err := range s.PasswordHashes(ctx, kind) {
		if err != nil {
			return st, fmt.Errorf("exporting %s ranges: %w", kind, err)
		}
		if len(h.Hash) != size {
			return st, errHashSize
		}
		prefix := uint32(h.Hash[0])<<12 | uint32(h.Hash[1])<<4 | uint32(h.Hash[2]>>4)
		if prefix < lo {
			continue
		}
		if prefix >= hi {
			break
		}
		lw.add(h, nil)
		if len(lw.dst) >= 256<<10 {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if err := flush(); err != nil {
		return st, err
	}
	st.Hashes = int64(lw.n)
	st.Prefixes = int(hi - lo)
	return st, nil
}

// SaveCorpus stores the single-file corpus that write produces at out:
// as that file, or, with split, as a directory of one {PREFIX}.txt per
// prefix holding the range body the API serves (all 16^5 of them). Either
// is written under a temporary name and renamed into place once complete,
// and an existing out is refused with ErrExists unless force.
func SaveCorpus(out string, split, force bool, kind store.HashKind, write func(io.Writer) error) (files int, bytes int64, err error) {
	return saveCorpus(out, split, force, kind, 0, NumPrefixes, write)
}

// saveCorpus saves the corpus of prefixes lo to hi-1; with split, the
// files of those prefixes.
func saveCorpus(out string, split, force bool, kind store.HashKind, lo, hi uint32, write func(io.Writer) error) (files int, n int64, err error) {
	if err := checkOut(out, split, force); err != nil {
		return 0, 0, err
	}
	out = filepath.Clean(out)
	if !split {
		f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
		if err != nil {
			return 0, 0, err
		}
		defer func() {
			if err != nil {
				f.Close()
				os.Remove(f.Name())
			}
		}()
		bw := bufio.NewWriterSize(f, 1<<20)
		cw := &countWriter{w: bw}
		if err = write(cw); err != nil {
			return 0, 0, err
		}
		if err = bw.Flush(); err != nil {
			return 0, 0, err
		}
		if err = f.Sync(); err != nil {
			return 0, 0, err
		}
		if err = f.Close(); err != nil {
			return 0, 0, err
		}
		if err = os.Chmod(f.Name(), 0o644); err != nil {
			return 0, 0, err
		}
		return 1, cw.n, os.Rename(f.Name(), out)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err = os.Chmod(tmp, 0o755); err != nil {
		return 0, 0, err
	}
	sw := &splitWriter{dir: tmp, hexLen: 2 * kind.Size(), cur: lo, end: hi}
	if err = write(sw); err != nil {
		return 0, 0, err
	}
	if err = sw.close(); err != nil {
		return 0, 0, err
	}
	return sw.files, sw.bytes, swapIn(tmp, out)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// checkOut refuses an existing out unless force.
func checkOut(out string, split, force bool) error {
	fi, err := os.Lstat(out)
	if err != nil {
		return nil
	}
	switch {
	case !force && (!fi.IsDir() || !emptyDir(out)):
		return fmt.Errorf("%s: %w", out, ErrExists)
	case fi.IsDir() != split:
		return fmt.Errorf("%s is a %s, not the %s an export writes", out, kindOf(fi.IsDir()), kindOf(split))
	case !fi.IsDir() && !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", out)
	}
	return nil
}

// swapIn renames the complete tmp to out, replacing an old out only now.
func swapIn(tmp, out string) error {
	var old string
	if _, err := os.Lstat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// splitWriter turns the single-file corpus into one file per prefix.
type splitWriter struct {
	dir    string
	hexLen int
	line   []byte
	body   []byte
	cur    uint32 // the prefix being gathered
	end    uint32 // one past the last prefix
	files  int
	bytes  int64
	err    error
}

func (s *splitWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.line = append(s.line, p...)
			break
		}
		s.line = append(s.line, p[:i]...)
		p = p[i+1:]
		if err := s.addLine(bytes.TrimSuffix(s.line, []byte{'\r'})); err != nil {
			s.err = err
			return 0, err
		}
		s.line = s.line[:0]
	}
	return n, nil
}

func (s *splitWriter) addLine(l []byte) error {
	if len(l) < s.hexLen+2 || l[s.hexLen] != ':' {
		return errors.New("exporting ranges: malformed corpus line")
	}
	prefix, ok := ParsePrefix(string(l[:5]))
	if !ok || prefix < s.cur || prefix >= s.end {
		return errors.New("exporting ranges: corpus out of order")
	}
	for s.cur < prefix {
		if err := s.flush(); err != nil {
			return err
		}
	}
	if len(s.body) > 0 {
		s.body = append(s.body, '\r', '\n')
	}
	s.body = append(s.body, l[5:]...)
	return nil
}

// flush writes the file of the current prefix and moves to the next.
func (s *splitWriter) flush() error {
	name := append(AppendPrefix(nil, s.cur), ".txt"...)
	if err := os.WriteFile(filepath.Join(s.dir, string(name)), s.body, 0o644); err != nil {
		return err
	}
	s.files++
	s.bytes += int64(len(s.body))
	s.body = s.body[:0]
	s.cur++
	return nil
}

func (s *splitWriter) close() error {
	if s.err != nil {
		return s.err
	}
	if len(s.line) > 0 {
		if err := s.addLine(bytes.TrimSuffix(s.line, []byte{'\r'})); err != nil {
			return err
		}
	}
	for s.cur < s.end {
		if err := s.flush(); err != nil {
			return err
		}
	}
	return nil
}
