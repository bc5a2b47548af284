package ingest

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// Default limits of containers; see Options.
const (
	DefaultMaxDepth = 16
	DefaultMaxRatio = 1000
	// ratioSlack is what any container may expand to whatever its ratio:
	// small inputs compress far better than large ones.
	ratioSlack = 64 << 20
)

// Container kinds recognised by their first bytes.
const (
	kindPlain = iota
	kindGzip
	kindZstd
	kindBzip2
	kindZip
	kindTar
	kindXz
	kindLz4
	kind7z
	kindRar
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
	case bytes.HasPrefix(head, []byte("\xfd7zXZ\x00")):
		return kindXz
	case bytes.HasPrefix(head, []byte{0x04, 0x22, 0x4d, 0x18}), bytes.HasPrefix(head, []byte{0x02, 0x21, 0x4c, 0x18}):
		return kindLz4 // a frame, or the legacy format of lz4 -l
	case bytes.HasPrefix(head, []byte("7z\xbc\xaf\x27\x1c")):
		return kind7z
	case bytes.HasPrefix(head, []byte("Rar!\x1a\x07\x00")), bytes.HasPrefix(head, []byte("Rar!\x1a\x07\x01\x00")):
		return kindRar
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return kindTar
	}
	return kindPlain
}

// leakFile is one file of leaked data inside a source, decompressed.
type leakFile struct {
	name   string // for messages: the source's name, plus "!member" inside archives
	hint   string // the name that tells its format (".csv"), without ".gz" and the like
	ledger string // for the ledger: base names only ("dump.zip!users.csv")
	r      io.Reader
}

// maxMembers bounds how many members of one archive are read.
const maxMembers = 1 << 20

// errReported stops the walk of a container after fn reported a failure
// of one of its members that makes the rest unreadable (a truncated tar).
var errReported = errors.New("failure reported")

// walker unpacks containers down to leak files.
type walker struct {
	tmpDir   string
	maxDepth int
	maxRatio int64
	slack    int64 // ratioSlack, but in tests
	skip     func(Skip)
	ignore   func() // a member of a stealer log folder that is no credential file; may be nil
	fn       func(ctx context.Context, lf leakFile) error
	// passwords are tried in order on encrypted archives; lastPassword
	// is the one that opened the last, tried first.
	passwords    []string
	lastPassword string
	file         *randomFile // the source, when a regular file (database.go)

	// The budget of the source being walked: its leak files together may
	// hold at most maxRatio times the bytes read from it, plus ratioSlack,
	// however many members share them (a tar of many small bombs).
	in        *countingReader
	out       int64
	exhausted bool
}

// ignored counts a member passed over as a stealer log's non-credential
// file.
func (w *walker) ignored() {
	if w.ignore != nil {
		w.ignore()
	}
}

// source starts the walk of a source read from r: it resets the budget
// and returns r counted.
func (w *walker) source(r io.Reader) io.Reader {
	w.in = &countingReader{r: bufio.NewReaderSize(r, 64<<10)}
	w.out, w.exhausted = 0, false
	return w.in
}

// budgetReader charges the bytes of a leak file to its source's budget.
type budgetReader struct {
	r io.Reader
	w *walker
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	w := b.w
	w.out += int64(n)
	if w.in != nil && w.out > w.maxRatio*w.in.count()+w.slack {
		w.exhausted = true
		return n, &inputError{fmt.Sprintf("the source's contents expand to more than %d times its size (a decompression bomb?); raise the limit with --max-ratio", w.maxRatio)}
	}
	return n, err
}

// walk calls fn for each leak file of a source, decompressing and
// unpacking as needed (zip archives are spooled, encrypted, in tmpDir). A
// container that cannot be read fails with an *inputError; fn's errors are
// returned as they are.
func (w *walker) walk(ctx context.Context, lf leakFile, depth int) error {
	name, hint, r := lf.name, lf.hint, lf.r
	if depth > w.maxDepth {
		return &inputError{fmt.Sprintf("containers nested more than %d deep (raise the limit with --max-depth)", w.maxDepth)}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		var ie *inputError
		if errors.As(err, &ie) || ctx.Err() != nil {
			return err
		}
		return &inputError{readFailure(err)}
	}
	switch sniffContainer(head) {
	case kindGzip:
		in := &countingReader{r: br}
		zr, err := gzip.NewReader(in)
		if err != nil {
			return &inputError{"bad gzip header"}
		}
		defer zr.Close()
		zr.Multistream(false)
		gz := &gzipMembers{zr: zr, in: in}
		return w.walk(ctx, leakFile{name, strings.TrimSuffix(hint, ".gz"), lf.ledger, w.limit(gz, in.count, "gzip")}, depth+1)
	case kindZstd:
		in := &countingReader{r: br}
		zr, err := zstd.NewReader(in, zstd.WithDecoderMaxMemory(1<<30), zstd.WithDecoderConcurrency(1))
		if err != nil {
			return &inputError{"bad zstd data"}
		}
		defer zr.Close()
		return w.walk(ctx, leakFile{name, strings.TrimSuffix(hint, ".zst"), lf.ledger, w.limit(zr, in.count, "zstd")}, depth+1)
	case kindBzip2:
		in := &countingReader{r: br}
		return w.walk(ctx, leakFile{name, strings.TrimSuffix(hint, ".bz2"), lf.ledger, w.limit(bzip2.NewReader(in), in.count, "bzip2")}, depth+1)
	case kindXz:
		in := &countingReader{r: br}
		zr, err := xz.NewReader(in)
		if err != nil {
			return &inputError{describeDecompress("xz", err)}
		}
		return w.walk(ctx, leakFile{name, strings.TrimSuffix(hint, ".xz"), lf.ledger, w.limit(zr, in.count, "xz")}, depth+1)
	case kindLz4:
		in := &countingReader{r: br}
		zr := lz4.NewReader(in)
		return w.walk(ctx, leakFile{name, strings.TrimSuffix(hint, ".lz4"), lf.ledger, w.limit(zr, in.count, "lz4")}, depth+1)
	case kind7z:
		return w.walk7z(ctx, lf, br, depth)
	case kindRar:
		return w.walkRar(ctx, lf, br, depth)
	case kindTar:
		return w.walkTar(ctx, lf, br, depth)
	case kindZip:
		return w.walkZip(ctx, lf, br, depth)
	}
	if leakparse.IsDatabase(head) {
		return w.walkDatabase(ctx, lf, br, depth)
	}
	lf.r = &budgetReader{r: br, w: w}
	return w.fn(ctx, lf)
}

// member returns the leak file of an archive's member.
func member(archive leakFile, name string, r io.Reader) leakFile {
	return leakFile{name: archive.name + "!" + name, hint: name, ledger: archive.ledger + "!" + memberBase(name), r: r}
}

func (w *walker) walkTar(ctx context.Context, archive leakFile, r io.Reader, depth int) error {
	tr := tar.NewReader(&inputReader{r: r, describe: func(err error) string { return describeDecompress("tar", err) }})
	for n := 0; ; n++ {
		if n >= maxMembers {
			return &inputError{fmt.Sprintf("more than %d archive members", maxMembers)}
		}
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var ie *inputError
			if errors.As(err, &ie) || ctx.Err() != nil {
				return err
			}
			return &inputError{describeDecompress("tar", err)}
		}
		m := member(archive, h.Name, &inputReader{r: tr, describe: func(err error) string { return describeDecompress("tar", err) }})
		switch h.Typeflag {
		case tar.TypeReg:
		case tar.TypeDir:
			continue
		case tar.TypeSymlink, tar.TypeLink:
			w.skip(Skip{m.name, "link in an archive"})
			continue
		default:
			w.skip(Skip{m.name, "special file in an archive"})
			continue
		}
		if err := w.walk(ctx, m, depth+1); err != nil {
			return err
		}
	}
}

// walkZip unpacks a zip archive. Zip needs random access, so the archive
// is spooled first (encrypted: see spool).
func (w *walker) walkZip(ctx context.Context, archive leakFile, r io.Reader, depth int) error {
	sp, err := w.spoolAll(ctx, r)
	if err != nil {
		return err
	}
	defer sp.Close()
	zr, err := zip.NewReader(sp, sp.size)
	if err != nil {
		return &inputError{describeDecompress("zip", err)}
	}
	if leakparse.IsWorkbook(zr) {
		// A workbook is a zip of XML parts, read as one file (leakparse
		// decides from the whole archive what to make of it).
		archive.r = io.NewSectionReader(sp, 0, sp.size)
		return w.fn(ctx, archive)
	}
	if len(zr.File) > maxMembers {
		return &inputError{fmt.Sprintf("more than %d archive members", maxMembers)}
	}
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		names[i] = f.Name
	}
	stealer := newStealerIndex(names)
	for _, f := range zr.File {
		m := member(archive, f.Name, nil)
		if !w.admit(m, f.Name, f.FileInfo().Mode(), stealer) {
			continue
		}
		var rc io.ReadCloser
		var err error
		if f.Flags&1 != 0 {
			rc, err = w.openEncryptedZip(ctx, f)
		} else {
			rc, err = f.Open()
		}
		if err != nil {
			msg := describeDecompress("zip", err)
			var ie *inputError
			if errors.As(err, &ie) {
				msg = ie.msg
			}
			if err := w.failFile(ctx, m, msg); err != nil {
				return err
			}
			continue
		}
		compressed := int64(f.CompressedSize64)
		m.r = w.limit(rc, func() int64 { return compressed }, "zip")
		err = w.walkMember(ctx, m, depth)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// openEncryptedZip opens an encrypted zip member with the first password
// that reads it.
func (w *walker) openEncryptedZip(ctx context.Context, f *zip.File) (io.ReadCloser, error) {
	probe := int64(probeSize)
	if zipStored(f) {
		probe = -1
	}
	pw, ok := w.choosePassword(ctx, probe, func(pw string) (io.ReadCloser, error) { return openEncryptedZip(f, pw) })
	if !ok {
		return nil, w.noPassword()
	}
	return openEncryptedZip(f, pw)
}

// limit returns the output of a decompressor, its read errors described,
// and failing once it has expanded more than maxRatio times the input it
// consumed (plus a little): a decompression bomb ends in an error instead
// of filling the disk or running forever.
func (w *walker) limit(r io.Reader, consumed func() int64, kind string) io.Reader {
	return w.limitDescribed(r, consumed, kind, func(err error) string { return describeDecompress(kind, err) })
}

// limitDescribed is limit with the read errors of r described by describe.
func (w *walker) limitDescribed(r io.Reader, consumed func() int64, kind string, describe func(error) string) io.Reader {
	return &inputReader{r: &ratioReader{r: r, consumed: consumed, ratio: w.maxRatio, slack: w.slack, kind: kind}, describe: describe}
}

type ratioReader struct {
	r        io.Reader
	consumed func() int64
	ratio    int64
	slack    int64
	kind     string
	out      int64
}

func (l *ratioReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.out += int64(n)
	if l.out > l.ratio*l.consumed()+l.slack {
		return n, &inputError{fmt.Sprintf("%s data expands more than %d times (a decompression bomb?); raise the limit with --max-ratio", l.kind, l.ratio)}
	}
	return n, err
}

// countingReader counts the bytes read through it. It is an io.ByteReader
// when its reader is, so that decompressors read no further than they need.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

func (c *countingReader) count() int64 { return c.n }

// gzipMembers reads the members of a gzip file one after the other, as
// gzip -d does, and ends at anything after a member that is not another
// member: the zero padding some tools and tape blocks leave, or trailing
// garbage (gzip -d warns and keeps what it decompressed; so do we).
type gzipMembers struct {
	zr   *gzip.Reader
	in   *countingReader
	done bool
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	for {
		if g.done {
			return 0, io.EOF
		}
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		if next, _ := g.in.r.Peek(2); len(next) < 2 || next[0] != 0x1f || next[1] != 0x8b {
			g.done = true
		} else if err := g.zr.Reset(g.in); err != nil {
			return n, err
		} else {
			g.zr.Multistream(false)
		}
		if n > 0 {
			return n, nil
		}
	}
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (f *failingReader) Read([]byte) (int, error) { return 0, f.err }

// describeDecompress says what a decompressor's or archive reader's error
// means for the user.
func describeDecompress(kind string, err error) string {
	var ce flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("truncated %s data", kind)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, zip.ErrChecksum):
		return fmt.Sprintf("corrupt %s data (checksum mismatch)", kind)
	case errors.As(err, &ce), errors.Is(err, gzip.ErrHeader), errors.Is(err, zip.ErrFormat), errors.Is(err, tar.ErrHeader):
		return fmt.Sprintf("corrupt %s data", kind)
	case errors.Is(err, zip.ErrAlgorithm):
		return "zip member compressed with an unsupported method"
	}
	var se bzip2.StructuralError
	if errors.As(err, &se) {
		return fmt.Sprintf("corrupt %s data", kind)
	}
	msg := err.Error()
	if kind == "zstd" {
		return "corrupt or truncated zstd data: " + msg
	}
	return fmt.Sprintf("reading %s data: %s", kind, msg)
}

// memberBase is the last element of a member or file name, for the ledger.
func memberBase(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	return path.Base(name)
}
