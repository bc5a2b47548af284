package pwned

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Stats tells what an export wrote.
type Stats struct {
	Prefixes int   // ranges rendered (NumPrefixes after a complete export)
	Hashes   int64 // lines of real hashes
	Files    int   // files written
	Bytes    int64 // bytes written
}

// Export writes the password corpus of kind in the downloader's formats.
//
// Without split, out is a file holding every hash as FULLHASH:COUNT (40 or
// 32 upper-case hex digits), ordered by hash, each line ended by CRLF as
// the downloader writes it; KeePassXC's "keepassxc-cli analyze --hibp"
// reads this form. The file is written under a temporary name and renamed
// into place when complete, so out is never seen half written.
//
// With split, out is a directory that receives one {PREFIX}.txt per prefix,
// all 16^5 of them (empty ranges give empty files), each holding exactly the
// body the range API serves for that prefix (without padding). The files are
// written into a temporary sibling directory renamed into place when
// complete: an interrupted export leaves nothing behind.
//
// An existing out (a file, or a directory that is not empty) is refused
// with ErrExists unless force is set; with force it is replaced, and never
// before the new export is complete.
func Export(ctx context.Context, s store.Store, kind store.HashKind, out string, split, force bool) (Stats, error) {
	if kind.Size() == 0 {
		return Stats{}, fmt.Errorf("unknown hash kind %d", kind)
	}
	if fi, err := os.Lstat(out); err == nil {
		switch {
		case !force && (!fi.IsDir() || !emptyDir(out)):
			return Stats{}, fmt.Errorf("%s: %w", out, ErrExists)
		case fi.IsDir() != split:
			return Stats{}, fmt.Errorf("%s is a %s, not the %s an export writes", out, kindOf(fi.IsDir()), kindOf(split))
		case !fi.IsDir() && !fi.Mode().IsRegular():
			return Stats{}, fmt.Errorf("%s is not a regular file", out)
		}
	}
	if split {
		return exportSplitAtomic(ctx, s, kind, out)
	}
	return exportSingle(ctx, s, kind, out, 0, NumPrefixes)
}

// ErrExists reports an export's output that exists already.
var ErrExists = errors.New("already exists")

func kindOf(dir bool) string {
	if dir {
		return "directory"
	}
	return "file"
}

func emptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) == 0
}

// exportSplitAtomic writes the prefix files into a temporary sibling of
// dir and renames it into place.
func exportSplitAtomic(ctx context.Context, s store.Store, kind store.HashKind, dir string) (st Stats, err error) {
	dir = filepath.Clean(dir)
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return st, fmt.Errorf("exporting %s ranges: %w", kind, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err = os.Chmod(tmp, 0o755); err != nil {
		return st, err
	}
	if st, err = exportSplit(ctx, s, kind, tmp, 0, NumPrefixes); err != nil {
		return st, err
	}
	var old string
	if _, serr := os.Lstat(dir); serr == nil {
		old = tmp + ".old"
		if err = os.Rename(dir, old); err != nil {
			return st, fmt.Errorf("exporting %s ranges: %w", kind, err)
		}
	}
	if err = os.Rename(tmp, dir); err != nil {
		return st, fmt.Errorf("exporting %s ranges: %w", kind, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return st, nil
}

// exportSingle writes the hashes of prefixes lo to hi-1 to one file.
func exportSingle(ctx context.Context, s store.Store, kind store.HashKind, out string, lo, hi uint32) (st Stats, err error) {
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return st, fmt.Errorf("exporting %s hashes: %w", kind, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	var buf []byte
	for prefix := lo; prefix < hi; prefix++ {
		var n int
		buf, n, err = render(ctx, buf[:0], s, kind, prefix, true)
		if err != nil {
			return st, fmt.Errorf("exporting %s ranges: %w", kind, err)
		}
		if _, err = w.Write(buf); err != nil {
			return st, fmt.Errorf("exporting %s hashes: %w", kind, err)
		}
		st.Prefixes++
		st.Hashes += int64(n)
		st.Bytes += int64(len(buf))
	}
	if err = w.Flush(); err != nil {
		return st, fmt.Errorf("exporting %s hashes: %w", kind, err)
	}
	if err = f.Sync(); err != nil {
		return st, fmt.Errorf("exporting %s hashes: %w", kind, err)
	}
	if err = f.Close(); err != nil {
		return st, fmt.Errorf("exporting %s hashes: %w", kind, err)
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return st, fmt.Errorf("exporting %s hashes: %w", kind, err)
	}
	if err = os.Rename(f.Name(), out); err != nil {
		return st, fmt.Errorf("exporting %s hashes: %w", kind, err)
	}
	st.Files = 1
	return st, nil
}

// exportSplit writes the files of prefixes lo to hi-1. It renders on a few
// goroutines, each taking the next prefix from a shared counter, so the
// files come out in no set order.
func exportSplit(ctx context.Context, s store.Store, kind store.HashKind, dir string, lo, hi uint32) (Stats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("exporting %s ranges: %w", kind, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Uint32 // offset from lo
		hashes   atomic.Int64
		bytes    atomic.Int64
		files    atomic.Int64
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	workers := min(runtime.GOMAXPROCS(0)*2, 8)
	for range workers {
		wg.Go(func() {
			var body, name []byte
			for {
				prefix := lo + next.Add(1) - 1
				if prefix >= hi || ctx.Err() != nil {
					return
				}
				var n int
				var err error
				body, n, err = render(ctx, body[:0], s, kind, prefix, false)
				if err != nil {
					fail(fmt.Errorf("exporting %s ranges: %w", kind, err))
					return
				}
				name = append(AppendPrefix(name[:0], prefix), ".txt"...)
				if err := os.WriteFile(filepath.Join(dir, string(name)), body, 0o644); err != nil {
					fail(fmt.Errorf("exporting %s ranges: %w", kind, err))
					return
				}
				hashes.Add(int64(n))
				bytes.Add(int64(len(body)))
				files.Add(1)
			}
		})
	}
	wg.Wait()
	st := Stats{Prefixes: int(files.Load()), Hashes: hashes.Load(), Files: int(files.Load()), Bytes: bytes.Load()}
	if firstErr != nil {
		return st, firstErr
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if st.Files != int(hi-lo) {
		return st, errors.New("export stopped before every prefix was written")
	}
	return st, nil
}
