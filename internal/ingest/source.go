package ingest

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// A source is one unit of input that the ledger records: a file given on
// the command line or found in a walked directory, or standard input. An
// archive is one source holding several leak files.
type source struct {
	name string // as the user named it, for messages
	path string // "" for standard input
	size int64  // bytes on disk; -1 when unknown
	id   [32]byte
	open func() (io.ReadCloser, error)
}

// stealerPasswords matches the credential files of infostealer log folders.
var stealerPasswords = regexp.MustCompile(`(?i)^(all[ _]?)?passwords?( list)?\.txt$`)

// expand turns command-line paths into sources. A directory is walked; in a
// folder holding a stealer log's Passwords.txt, only credential files are
// taken (System.txt and screenshots are not leaks). skipped counts files
// passed over that way.
func expand(paths []string, stdin io.Reader) (srcs []*source, skipped int, err error) {
	for _, p := range paths {
		if p == "-" {
			srcs = append(srcs, &source{name: "<stdin>", size: -1, open: func() (io.ReadCloser, error) {
				return io.NopCloser(stdin), nil
			}})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", p, unwrapPathError(err))
		}
		if !info.IsDir() {
			srcs = append(srcs, fileSource(p, info.Size()))
			continue
		}
		var files []string
		sizes := map[string]int64{}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				fi, err := d.Info()
				if err != nil {
					return err
				}
				files = append(files, path)
				sizes[path] = fi.Size()
			}
			return nil
		})
		if err != nil {
			return nil, 0, fmt.Errorf("walking %s: %w", p, err)
		}
		sort.Strings(files)
		stealerDirs := map[string]bool{}
		for _, f := range files {
			if stealerPasswords.MatchString(filepath.Base(f)) {
				stealerDirs[filepath.Dir(f)] = true
			}
		}
		for _, f := range files {
			if inStealerDir(f, stealerDirs) && !stealerPasswords.MatchString(filepath.Base(f)) {
				skipped++
				continue
			}
			srcs = append(srcs, fileSource(f, sizes[f]))
		}
	}
	return srcs, skipped, nil
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

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileSource(path string, size int64) *source {
	return &source{name: path, path: path, size: size, open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// fingerprint computes the content digest of a source (standard input is
// spooled before this).
func (s *source) fingerprint(ctx context.Context) error {
	f, err := s.open()
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		return err
	}
	h.Sum(s.id[:0])
	return nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Container kinds recognised by their first bytes.
const (
	kindPlain = iota
	kindGzip
	kindZstd
	kindBzip2
	kindZip
	kindTar
)

func sniffContainer(head []byte) int {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return kindGzip
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return kindZstd
	case bytes.HasPrefix(head, []byte("BZh")) && len(head) > 3 && head[3] >= '1' && head[3] <= '9':
		return kindBzip2
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return kindZip
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return kindTar
	}
	return kindPlain
}

// leakFile is one file of leaked data inside a source, decompressed.
type leakFile struct {
	name string // for messages: source name, plus "!member" inside archives
	r    io.Reader
}

// maxMembers bounds how many members of one archive are read.
const maxMembers = 1 << 20

// walk calls fn for each leak file of a source, decompressing and
// unpacking as needed; zip archives are spooled (encrypted) in tmpDir.
func walk(name string, r io.Reader, tmpDir string, fn func(leakFile) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(512)
	switch sniffContainer(head) {
	case kindGzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: bad gzip data: %w", name, err)
		}
		defer zr.Close()
		return walk(strings.TrimSuffix(name, ".gz"), zr, tmpDir, fn)
	case kindZstd:
		zr, err := zstd.NewReader(br, zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return fmt.Errorf("%s: bad zstd data: %w", name, err)
		}
		defer zr.Close()
		return walk(strings.TrimSuffix(name, ".zst"), zr, tmpDir, fn)
	case kindBzip2:
		return walk(strings.TrimSuffix(name, ".bz2"), bzip2.NewReader(br), tmpDir, fn)
	case kindTar:
		tr := tar.NewReader(br)
		for n := 0; n < maxMembers; n++ {
			h, err := tr.Next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: bad tar archive: %w", name, err)
			}
			if h.Typeflag != tar.TypeReg {
				continue
			}
			if err := walk(name+"!"+h.Name, tr, tmpDir, fn); err != nil {
				return err
			}
		}
		return fmt.Errorf("%s: more than %d archive members", name, maxMembers)
	case kindZip:
		return walkZip(name, br, tmpDir, fn)
	}
	return fn(leakFile{name: name, r: br})
}

// walkZip unpacks a zip archive. Zip needs random access, so the archive
// is spooled first (encrypted: see spool).
func walkZip(name string, r io.Reader, tmpDir string, fn func(leakFile) error) error {
	sp, err := newSpool(tmpDir)
	if err != nil {
		return err
	}
	defer sp.Close()
	if _, err := io.Copy(sp, r); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	zr, err := zip.NewReader(sp, sp.size)
	if err != nil {
		return fmt.Errorf("%s: bad zip archive: %w", name, err)
	}
	for i, f := range zr.File {
		if i >= maxMembers {
			return fmt.Errorf("%s: more than %d archive members", name, maxMembers)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%s!%s: %w", name, f.Name, err)
		}
		err = walk(name+"!"+f.Name, rc, tmpDir, fn)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
