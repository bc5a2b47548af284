package pwned

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

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
	return exportRange(ctx, s, kind, out, split, force, 0, NumPrefixes)
}

// exportRange exports the prefixes lo to hi-1 (tests export parts).
func exportRange(ctx context.Context, s store.Store, kind store.HashKind, out string, split, force bool, lo, hi uint32) (Stats, error) {
	var st Stats
	files, n, err := saveCorpus(out, split, force, kind, lo, hi, func(w io.Writer) error {
		var err error
		st, err = writeCorpus(ctx, s, kind, w, lo, hi)
		return err
	})
	st.Files, st.Bytes = files, n
	return st, err
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
