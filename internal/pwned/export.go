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
// body the range API serves for that prefix (without padding). Existing
// files of the same names are replaced.
func Export(ctx context.Context, s store.Store, kind store.HashKind, out string, split bool) (Stats, error) {
	if kind.Size() == 0 {
		return Stats{}, fmt.Errorf("unknown hash kind %d", kind)
	}
	if split {
		return exportSplit(ctx, s, kind, out, 0, NumPrefixes)
	}
	return exportSingle(ctx, s, kind, out, 0, NumPrefixes)
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
