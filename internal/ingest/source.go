package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/leakwatch/leakwatch/internal/safetext"
)

// A source is one input the user named or that a named directory holds: a
// regular file, a stream read once as it comes (standard input, a pipe, a
// FIFO, a /dev/fd/N of a shell's process substitution), in any container.
type source struct {
	name string // as the user named it, for messages
	size int64  // bytes on disk; -1 when unknown (streams)
	open func(ctx context.Context) (io.ReadCloser, error)
}

// Skip is an input passed over on purpose, with why.
type Skip struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Failure is an input that could not be read, or not completely: a missing
// or unreadable file, a file that is no leak, a truncated archive. What was
// read of it before the failure is kept.
type Failure struct {
	Name   string `json:"name"`
	Reason string `json:"error"`
}

// Error is the one-line message: the name, quoted if it must be, then why.
func (f Failure) Error() string { return safetext.Quote(f.Name) + ": " + safetext.Escape(f.Reason) }

// stealerPasswords matches the credential files of infostealer log folders.
var stealerPasswords = regexp.MustCompile(`(?i)^(all[ _]?)?passwords?( list)?\.txt$`)

// expansion is what expand found.
type expansion struct {
	exclude []fs.FileInfo
	srcs    []*source
	skipped []Skip
	failed  []Failure
	ignored int // non-credential files of stealer log folders
}

// expand turns command-line paths into sources. A directory is walked: its
// regular files are sources; symbolic links and special files in it are
// skipped (and listed), a subdirectory it cannot enter is a failure, and in
// a folder holding a stealer log's Passwords.txt only credential files are
// taken (System.txt and screenshots are not leaks). A path that does not
// exist or cannot be read is a failure; the other paths go on.
//
// exclude names paths never to read: leakwatch's own data directory and key
// file (an import of "." from the directory that holds them would read its
// keys and store as leaks). They are skipped and listed.
func expand(paths []string, stdin io.Reader, exclude []string) *expansion {
	x := &expansion{}
	for _, e := range exclude {
		if fi, err := os.Stat(e); err == nil {
			x.exclude = append(x.exclude, fi)
		}
	}
	for _, p := range paths {
		if p == "-" {
			x.srcs = append(x.srcs, &source{name: "<stdin>", size: -1, open: func(ctx context.Context) (io.ReadCloser, error) {
				return interruptible(ctx, stdin), nil
			}})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			x.failed = append(x.failed, Failure{p, describeOSError(err)})
			continue
		}
		if x.excluded(info) {
			x.skipped = append(x.skipped, Skip{p, "leakwatch's own data directory or key file"})
			continue
		}
		switch {
		case info.IsDir():
			x.walkDir(p)
		case info.Mode().IsRegular():
			x.srcs = append(x.srcs, fileSource(p, info.Size()))
		default:
			// A FIFO, a pipe (/dev/fd/N), a character device: read once.
			x.srcs = append(x.srcs, streamSource(p))
		}
	}
	return x
}

func (x *expansion) walkDir(root string) {
	var files []string
	sizes := map[string]int64{}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			x.failed = append(x.failed, Failure{path, describeOSError(err)})
			if d != nil && d.IsDir() && path != root {
				return fs.SkipDir
			}
			return nil
		}
		if fi, err := d.Info(); err == nil && path != root && x.excluded(fi) {
			x.skipped = append(x.skipped, Skip{path, "leakwatch's own data directory or key file"})
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case t.IsDir():
		case t.IsRegular():
			fi, err := d.Info()
			if err != nil {
				x.failed = append(x.failed, Failure{path, describeOSError(err)})
				return nil
			}
			files = append(files, path)
			sizes[path] = fi.Size()
		case t&fs.ModeSymlink != 0:
			x.skipped = append(x.skipped, Skip{path, "symbolic link in a directory (name it to import what it points to)"})
		default:
			if t&fs.ModeSocket != 0 {
				x.skipped = append(x.skipped, Skip{path, "socket in a directory (not a file to read)"})
			} else {
				x.skipped = append(x.skipped, Skip{path, "special file in a directory (name it to read it as a stream)"})
			}
		}
		return nil
	})
	sort.Strings(files)
	stealerDirs := map[string]bool{}
	for _, f := range files {
		if stealerPasswords.MatchString(filepath.Base(f)) {
			stealerDirs[filepath.Dir(f)] = true
		}
	}
	for _, f := range files {
		if inStealerDir(f, stealerDirs) && !stealerPasswords.MatchString(filepath.Base(f)) {
			x.ignored++
			continue
		}
		x.srcs = append(x.srcs, fileSource(f, sizes[f]))
	}
}

// excluded reports whether fi is one of the paths never to read.
func (x *expansion) excluded(fi fs.FileInfo) bool {
	for _, e := range x.exclude {
		if os.SameFile(fi, e) {
			return true
		}
	}
	return false
}

// inStealerDir reports whether f lies in (or below) a stealer log folder.
func inStealerDir(f string, dirs map[string]bool) bool {
	for d := filepath.Dir(f); ; d = filepath.Dir(d) {
		if dirs[d] {
			return true
		}
		if parent := filepath.Dir(d); parent == d {
			return false
		}
	}
}

func fileSource(path string, size int64) *source {
	return &source{name: path, size: size, open: func(ctx context.Context) (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, errors.New(describeOSError(err))
		}
		return f, nil
	}}
}

func streamSource(path string) *source {
	return &source{name: path, size: -1, open: func(ctx context.Context) (io.ReadCloser, error) {
		return openStream(ctx, path)
	}}
}

// describeOSError says what went wrong with a path without repeating it.
func describeOSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// inputError marks an error of reading an input (as opposed to one of the
// store or a cancellation): it fails that input, and the import goes on.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// inputReader marks every read error of r but io.EOF as an inputError,
// described by what (such as "truncated gzip data").
type inputReader struct {
	r        io.Reader
	describe func(error) string
}

func (ir *inputReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	if err != nil && err != io.EOF {
		var ie *inputError
		if !errors.As(err, &ie) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			err = &inputError{ir.describe(err)}
		}
	}
	return n, err
}

// readFailure describes a read error of a plain input.
func readFailure(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return fmt.Sprintf("read error: %s", describeOSError(err))
}
