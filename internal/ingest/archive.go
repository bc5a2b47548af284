package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/bodgit/sevenzip"
	"github.com/nwaples/rardecode/v2"
)

// 7-Zip and RAR archives, and the passwords of encrypted archives.
//
// Both are spooled (encrypted, see spool) before they are read: 7-Zip
// keeps its index at the end and needs random access, and an encrypted
// RAR archive is read once per password tried. Their members are walked
// like those of a zip archive.
//
// A password is chosen by probing: the first encrypted member is opened
// with each given password in turn (the one that opened the last archive
// first) and up to probeSize bytes of it are decrypted and decompressed; the
// first password that reads without error opens the archive. RAR 5 and
// WinZip AES carry a password check value, so a wrong password fails at
// once; ZipCrypto has a one-byte check, and 7-Zip and RAR 4 none, so a
// wrong password there shows as corrupt compressed data (or, for a member
// smaller than probeSize, a checksum mismatch).

// probeSize is how much of an encrypted member is read to tell whether a
// password opens it.
const probeSize = 256 << 10

// msgNoPassword is the failure of an encrypted archive no password opens.
const msgNoPassword = "encrypted archive: no given password opens it"

// noPassword is the failure of an encrypted archive or member that none of
// the passwords opens.
func (w *walker) noPassword() *inputError {
	if len(w.passwords) == 0 {
		return &inputError{msgNoPassword + " (none was given: --archive-password)"}
	}
	return &inputError{msgNoPassword}
}

// candidates are the passwords to try, the last that opened an archive
// first.
func (w *walker) candidates() []string {
	if w.lastPassword == "" {
		return w.passwords
	}
	c := []string{w.lastPassword}
	for _, p := range w.passwords {
		if p != w.lastPassword {
			c = append(c, p)
		}
	}
	return c
}

// choosePassword returns the first candidate password with which open
// gives a reader of which probe bytes read without error; a probe below
// zero reads it all, for data stored without compression, whose wrong
// decryption only its checksum at the end reveals.
func (w *walker) choosePassword(ctx context.Context, probe int64, open func(pw string) (io.ReadCloser, error)) (string, bool) {
	for _, pw := range w.candidates() {
		if ctx.Err() != nil {
			return "", false
		}
		rc, err := open(pw)
		if err != nil {
			continue
		}
		if probe < 0 {
			_, err = io.Copy(io.Discard, rc)
		} else {
			_, err = io.CopyN(io.Discard, rc, probe)
		}
		rc.Close()
		if err == nil || err == io.EOF {
			w.lastPassword = pw
			return pw, true
		}
	}
	return "", false
}

// failFile reports lf as failed with msg, as a member that cannot be read
// is (the container it is in goes on).
func (w *walker) failFile(ctx context.Context, lf leakFile, msg string) error {
	lf.r = &failingReader{&inputError{msg}}
	if err := w.fn(ctx, lf); err != nil && !errors.Is(err, errReported) {
		return err
	}
	return nil
}

// spoolAll copies r into a new spool.
func (w *walker) spoolAll(ctx context.Context, r io.Reader) (*spool, error) {
	sp, err := newSpool(w.tmpDir)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(sp, r); err != nil {
		sp.Close()
		var ie *inputError
		if errors.As(err, &ie) || ctx.Err() != nil {
			return nil, err
		}
		return nil, &inputError{readFailure(err)}
	}
	return sp, nil
}

// walkMember walks the member m of an archive whose members are read
// apart (zip, 7z, RAR): a member that cannot be read, a corrupt archive
// nested in it included, is a failure of that member, and the archive
// goes on unless the source's budget is spent.
func (w *walker) walkMember(ctx context.Context, m leakFile, depth int) error {
	err := w.walk(ctx, m, depth+1)
	if w.exhausted || ctx.Err() != nil {
		return err
	}
	var ie *inputError
	switch {
	case errors.Is(err, errReported):
		return nil
	case errors.As(err, &ie):
		return w.failFile(ctx, m, ie.msg)
	}
	return err
}

// errLibraryPanic is what a panic of an archive library on a hostile or
// corrupt archive becomes: a failure of that archive, not of the import.
var errLibraryPanic = errors.New("the archive reader failed on corrupt data")

// guarded calls fn of an archive library, turning a panic into an error.
func guarded[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if recover() != nil {
			err = errLibraryPanic
		}
	}()
	return fn()
}

// guardedReader reads an archive library's reader, turning a panic into an
// error.
type guardedReader struct{ r io.Reader }

func (g guardedReader) Read(p []byte) (n int, err error) {
	defer func() {
		if recover() != nil {
			n, err = 0, errLibraryPanic
		}
	}()
	return g.r.Read(p)
}

// walk7z unpacks a 7-Zip archive.
func (w *walker) walk7z(ctx context.Context, archive leakFile, r io.Reader, depth int) error {
	sp, err := w.spoolAll(ctx, r)
	if err != nil {
		return err
	}
	defer sp.Close()
	new7z := func(pw string) (*sevenzip.Reader, error) {
		return guarded(func() (*sevenzip.Reader, error) { return sevenzip.NewReaderWithPassword(sp, sp.size, pw) })
	}
	open7z := func(f *sevenzip.File) (io.ReadCloser, error) {
		rc, err := guarded(f.Open)
		if err != nil {
			return nil, err
		}
		return struct {
			io.Reader
			io.Closer
		}{guardedReader{rc}, rc}, nil
	}
	zr, err := new7z("")
	encrypted := false
	if err != nil {
		// Encrypted headers (7z -mhe=on) cannot be read without the
		// password; nor can a corrupt or truncated archive be read with
		// one.
		if !sevenzipEncrypted(err) {
			return w.failFile(ctx, archive, describe7z(err))
		}
		encrypted = true
	} else if f := first7z(zr); f != nil {
		rc, err := open7z(f)
		if err == nil {
			_, err = io.CopyN(io.Discard, rc, probeSize)
			rc.Close()
		}
		encrypted = err != nil && err != io.EOF && sevenzipEncrypted(err)
		if !encrypted {
			// A fresh reader: one whose member was read cannot always read
			// it again (sevenzip v1.6.1 reuses the spent decompressor).
			if zr, err = new7z(""); err != nil {
				return w.failFile(ctx, archive, describe7z(err))
			}
		}
	}
	if encrypted {
		pw, ok := w.choosePassword(ctx, probeSize, func(pw string) (io.ReadCloser, error) {
			zr, err := new7z(pw)
			if err != nil {
				return nil, err
			}
			f := first7z(zr)
			if f == nil {
				return io.NopCloser(strings.NewReader("")), nil
			}
			return open7z(f)
		})
		if !ok {
			return w.failFile(ctx, archive, w.noPassword().msg)
		}
		if zr, err = new7z(pw); err != nil {
			return w.failFile(ctx, archive, describe7z(err))
		}
	}
	if len(zr.File) > maxMembers {
		return w.failFile(ctx, archive, fmt.Sprintf("more than %d archive members", maxMembers))
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
		rc, err := open7z(f)
		if err != nil {
			if err := w.failFile(ctx, m, describe7z(err)); err != nil {
				return err
			}
			continue
		}
		m.r = w.limitDescribed(rc, func() int64 { return sp.size }, "7z", describe7z)
		err = w.walkMember(ctx, m, depth)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// first7z is the first member of a 7-Zip archive that holds data.
func first7z(zr *sevenzip.Reader) *sevenzip.File {
	for _, f := range zr.File {
		if f.FileInfo().Mode().IsRegular() && f.UncompressedSize > 0 {
			return f
		}
	}
	return nil
}

// sevenzipEncrypted reports whether err of reading a 7-Zip archive comes
// of its encryption: no password, or a wrong one.
func sevenzipEncrypted(err error) bool {
	var re *sevenzip.ReadError
	if errors.As(err, &re) && re.Encrypted {
		return true
	}
	return strings.Contains(err.Error(), "aes7z")
}

// describe7z says what an error of the 7-Zip reader means for the user.
func describe7z(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "truncated 7z archive"
	}
	if errors.Is(err, errLibraryPanic) {
		return "corrupt 7z archive"
	}
	msg := strings.TrimPrefix(err.Error(), "sevenzip: ")
	return "corrupt or truncated 7z archive: " + msg
}

// walkRar unpacks a RAR archive (RAR 1.5 to 4, and 5).
func (w *walker) walkRar(ctx context.Context, archive leakFile, r io.Reader, depth int) error {
	sp, err := w.spoolAll(ctx, r)
	if err != nil {
		return err
	}
	defer sp.Close()
	open := func(pw string) (*rardecode.Reader, error) {
		opts := []rardecode.Option{rardecode.MaxDictionarySize(maxRarDictionary)}
		if pw != "" {
			opts = append(opts, rardecode.Password(pw))
		}
		return guarded(func() (*rardecode.Reader, error) { return rardecode.NewReader(sp.Reader(), opts...) })
	}
	next := func(rr *rardecode.Reader) (*rardecode.FileHeader, error) { return guarded(rr.Next) }
	// The first pass lists the members (and their encryption); with
	// encrypted headers it needs the password.
	list := func(pw string) ([]string, bool, error) {
		rr, err := open(pw)
		if err != nil {
			return nil, false, err
		}
		var names []string
		enc := false
		for len(names) <= maxMembers {
			h, err := next(rr)
			if err == io.EOF {
				return names, enc, nil
			}
			if err != nil {
				return names, enc, err
			}
			names = append(names, h.Name)
			enc = enc || (h.Encrypted && !h.IsDir && h.UnPackedSize > 0)
		}
		return names, enc, nil
	}
	pw := ""
	names, encrypted, err := list("")
	if errors.Is(err, rardecode.ErrArchiveEncrypted) {
		encrypted, err = true, nil
	}
	if err != nil {
		return w.failFile(ctx, archive, describeRar(err))
	}
	if encrypted {
		var ok bool
		pw, ok = w.choosePassword(ctx, probeSize, func(pw string) (io.ReadCloser, error) {
			rr, err := open(pw)
			if err != nil {
				return nil, err
			}
			for {
				h, err := next(rr)
				if err == io.EOF {
					return io.NopCloser(strings.NewReader("")), nil
				}
				if err != nil {
					return nil, err
				}
				if h.Encrypted && !h.IsDir && h.UnPackedSize > 0 || h.HeaderEncrypted {
					return io.NopCloser(guardedReader{rr}), nil
				}
			}
		})
		if !ok {
			return w.failFile(ctx, archive, w.noPassword().msg)
		}
		if names, _, err = list(pw); err != nil {
			return w.failFile(ctx, archive, describeRar(err))
		}
	}
	if len(names) > maxMembers {
		return w.failFile(ctx, archive, fmt.Sprintf("more than %d archive members", maxMembers))
	}
	stealer := newStealerIndex(names)
	rr, err := open(pw)
	if err != nil {
		return w.failFile(ctx, archive, describeRar(err))
	}
	for {
		h, err := next(rr)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return w.failFile(ctx, archive, describeRar(err))
		}
		m := member(archive, h.Name, nil)
		mode := h.Mode()
		if h.IsDir {
			mode |= fs.ModeDir
		}
		if !w.admit(m, h.Name, mode, stealer) {
			continue
		}
		packed := h.PackedSize
		m.r = w.limitDescribed(guardedReader{rr}, func() int64 { return packed }, "rar", describeRar)
		if err := w.walkMember(ctx, m, depth); err != nil {
			return err
		}
	}
}

// maxRarDictionary bounds the memory of decompressing a RAR member:
// archives made with larger dictionaries (WinRAR 7's -md up to 64 GiB) are
// refused. RAR 5's default is 32 MiB.
const maxRarDictionary = 256 << 20

// describeRar says what an error of the RAR reader means for the user.
func describeRar(err error) string {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, rardecode.ErrDecoderOutOfData):
		return "truncated rar archive"
	case errors.Is(err, errLibraryPanic):
		return "corrupt rar archive"
	case errors.Is(err, rardecode.ErrDictionaryTooLarge):
		return fmt.Sprintf("rar archive made with a dictionary larger than %d MiB: not read, to keep memory bounded", maxRarDictionary>>20)
	case errors.Is(err, rardecode.ErrMultiVolume):
		return "multi-volume rar archive: its other volumes are not read (extract them with unrar and import what they hold)"
	}
	return "corrupt or truncated rar archive: " + strings.TrimPrefix(err.Error(), "rardecode: ")
}

// admit reports whether the member name of an archive, of mode mode, is
// read: folders are not, links and special files are skipped, and the side
// files of a stealer log folder are counted as ignored.
func (w *walker) admit(m leakFile, name string, mode fs.FileMode, stealer stealerIndex) bool {
	switch {
	case mode.IsDir():
		return false
	case !mode.IsRegular():
		w.skip(Skip{m.name, "link or special file in an archive"})
		return false
	case stealer.ignored(name):
		w.ignored()
		return false
	}
	return true
}

// stealerIndex knows the stealer log folders of an archive: the folders
// holding a credential file (Passwords.txt). Their other files (System.txt,
// screenshots, cookies) are no leaks and are passed over, as in a folder
// named on the command line.
type stealerIndex map[string]bool

func newStealerIndex(names []string) stealerIndex {
	s := stealerIndex{}
	for _, n := range names {
		n = strings.ReplaceAll(n, "\\", "/")
		if stealerPasswords.MatchString(path.Base(n)) {
			s[path.Dir(n)] = true
		}
	}
	return s
}

// ignored reports whether the member name lies in a stealer log folder
// and is not a credential file.
func (s stealerIndex) ignored(name string) bool {
	if len(s) == 0 {
		return false
	}
	name = strings.ReplaceAll(name, "\\", "/")
	if stealerPasswords.MatchString(path.Base(name)) {
		return false
	}
	for d := path.Dir(name); ; d = path.Dir(d) {
		if s[d] {
			return true
		}
		if d == "." || d == "/" {
			return false
		}
	}
}
