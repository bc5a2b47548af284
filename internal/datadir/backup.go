package datadir

// Backups.
//
// A backup is a zstd-compressed tar archive of a data directory: first
// manifest.json (see Manifest), then, if the backup holds it, the key file
// as keyring.json, then the files of a checkpoint of the store under
// store/. Range packs are left out: a server builds them again from the
// store. The admin socket is left out: it belongs to a running server.
//
// The key file is left out unless asked for (BackupOptions.IncludeKeys).
// The store holds keyed hashes of accounts and emails sealed under data
// keys that the key file's KEM keys wrap: whoever holds both can test
// guesses against every account and open every email. Kept apart, a stolen
// backup reveals neither; the key file is backed up once, to a different
// place, and only changes at a key rotation. A restore then needs the
// operator's key file, which the restored store's key check value
// verifies (a key file of another installation, or an old one, is
// refused before anything is restored).

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// BackupFormat is the version of the backup layout this build writes and
// restores.
const BackupFormat = 1

// Names inside a backup.
const (
	manifestName = "manifest.json"
	keyringName  = "keyring.json"
	storeDir     = "store"
	// maxManifest bounds the manifest a restore reads.
	maxManifest = 16 << 20
)

// Errors callers branch on.
var (
	// ErrCorrupt reports a backup that does not restore as it was made:
	// truncated, altered (a file whose SHA-256 differs from the
	// manifest's), or holding an entry a backup never has (a link, a path
	// outside the data directory).
	ErrCorrupt = errors.New("backup is damaged or not a leakwatch backup")
	// ErrNotEmpty reports a restore into a directory that holds files.
	ErrNotEmpty = errors.New("not an empty directory")
)

// BackupOptions configure a backup. The zero value backs up the store
// without the key file.
type BackupOptions struct {
	// IncludeKeys puts the key file in the backup, making it
	// self-contained: whoever reads it can test guesses against the
	// accounts and open the emails. Leave it unset and keep the key file
	// (which only changes at a key rotation) apart.
	IncludeKeys bool
	// Now is the clock of Manifest.Created (default time.Now).
	Now func() time.Time
}

// Manifest describes a backup; it is the archive's first entry.
type Manifest struct {
	Format  int          `json:"format"`  // BackupFormat
	Created time.Time    `json:"created"` // when the snapshot was taken, UTC
	Schema  int          `json:"schema"`  // store.SchemaVersion of the store
	Keys    bool         `json:"keys"`    // the key file is in the backup
	Files   []BackupFile `json:"files"`   // every other entry, in archive order
}

// BackupFile is one file of a backup.
type BackupFile struct {
	Name   string `json:"name"` // slash-separated, relative to the data directory
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// Size returns the bytes of the backup's files, uncompressed.
func (m Manifest) Size() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// Backup writes a consistent snapshot of the open data directory d to w
// while d goes on serving: imports, catalog edits and key changes may run
// meanwhile, and the backup holds each of them entirely or not at all. It
// is what a server calls on the Dir it holds; BackupDir is the offline
// form. With o.IncludeKeys the key file d was opened with goes in too, and
// it must match the snapshot (a key rotation that ran during the backup
// fails it: run it again). The snapshot's files are hard linked in a
// temporary directory inside the data directory, removed before Backup
// returns. Backup does not close w.
func Backup(ctx context.Context, d *Dir, w io.Writer, o BackupOptions) (Manifest, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	tmp, err := os.MkdirTemp(d.opts.Dir, backupTemp)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	m := Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Keys: o.IncludeKeys}
	m.Created = o.Now().UTC().Truncate(time.Second)
	if err := d.Store.Checkpoint(ctx, filepath.Join(tmp, storeDir)); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	var keyData []byte // the key file, in memory only
	if o.IncludeKeys {
		if keyData, err = readKeyFile(ctx, d.opts.keyringPath(), tmp, d.opts.Store); err != nil {
			return Manifest{}, fmt.Errorf("backup: %w", err)
		}
		sum := sha256.Sum256(keyData)
		m.Files = append(m.Files, BackupFile{Name: keyringName, Size: int64(len(keyData)), SHA256: hex.EncodeToString(sum[:])})
	}

	var names []string
	entries, err := os.ReadDir(filepath.Join(tmp, storeDir))
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			return Manifest{}, fmt.Errorf("backup: the store's checkpoint holds %s, which is not a file", e.Name())
		}
		names = append(names, storeDir+"/"+e.Name())
	}
	// The checkpoint's files do not change: hash them first, so that the
	// manifest can lead the archive and a restore checks every entry
	// against it as it reads.
	for _, name := range names {
		f, err := hashFile(ctx, filepath.Join(tmp, filepath.FromSlash(name)))
		if err != nil {
			return Manifest{}, fmt.Errorf("backup: %w", err)
		}
		f.Name = name
		m.Files = append(m.Files, f)
	}
	if err := writeArchive(ctx, w, tmp, keyData, m); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// backupTemp is the pattern of the temporary directories of Backup.
const backupTemp = ".backup-"

// removeStaleBackups removes what backups killed before they ended left
// in the data directory. The caller holds the store.
func removeStaleBackups(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), backupTemp) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// BackupDir backs up the data directory o offline: it opens it (the key
// file is needed only with bo.IncludeKeys, and verified when it is
// there), writes the backup to w and closes it. It fails with
// store.ErrLocked while a server holds the directory: back up through the
// server then.
func BackupDir(ctx context.Context, o Options, w io.Writer, bo BackupOptions) (Manifest, error) {
	o.NeedKeys = bo.IncludeKeys
	d, err := Open(ctx, o)
	if err != nil {
		return Manifest{}, err
	}
	m, err := Backup(ctx, d, w, bo)
	if cerr := d.Close(); err == nil && cerr != nil {
		return Manifest{}, cerr
	}
	return m, err
}

// readKeyFile reads the key file at path and checks it against the store
// checkpointed in dir (the key file may have changed since the store was
// opened). It returns the bytes checked: they go into the backup as they
// are, and no copy of the key file is written.
func readKeyFile(ctx context.Context, path, dir string, so pebblestore.Options) ([]byte, error) {
	kr, data, err := keyring.LoadBytes(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoKeyFile, path)
	}
	if err != nil {
		return nil, err
	}
	so.ReadOnly, so.CacheSize = true, 1<<20
	st, err := pebblestore.Open(filepath.Join(dir, storeDir), so)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := verifyOnly(ctx, st, kr); err != nil {
		return nil, fmt.Errorf("the key file changed while the snapshot was taken (a key rotation?), run the backup again: %w", err)
	}
	return data, nil
}

func hashFile(ctx context.Context, path string) (BackupFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return BackupFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	if err != nil {
		return BackupFile{}, err
	}
	return BackupFile{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeArchive(ctx context.Context, w io.Writer, dir string, keyData []byte, m Manifest) error {
	zw, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	mj = append(mj, '\n')
	header := func(name string, size int64) *tar.Header {
		return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: m.Created, Format: tar.FormatPAX}
	}
	if err := tw.WriteHeader(header(manifestName, int64(len(mj)))); err != nil {
		return err
	}
	if _, err := tw.Write(mj); err != nil {
		return err
	}
	for _, bf := range m.Files {
		if err := tw.WriteHeader(header(bf.Name, bf.Size)); err != nil {
			return err
		}
		var r io.ReadCloser = io.NopCloser(bytes.NewReader(keyData))
		if bf.Name != keyringName {
			f, err := os.Open(filepath.Join(dir, filepath.FromSlash(bf.Name)))
			if err != nil {
				return err
			}
			r = f
		}
		// Hash again what goes out: a file that changed since the
		// manifest was made fails the backup, not its restore.
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(tw, h), ctxReader{ctx, io.LimitReader(r, bf.Size)})
		r.Close()
		if err != nil {
			return err
		}
		if n != bf.Size || hex.EncodeToString(h.Sum(nil)) != bf.SHA256 {
			return fmt.Errorf("%s changed while it was backed up", bf.Name)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// Restore restores a backup read from r into the data directory o.Dir,
// which must be empty or not exist (ErrNotEmpty otherwise; its missing
// parents are made). Every entry is checked against the manifest (name,
// size, SHA-256) and anything else is refused with ErrCorrupt. The
// restored store is checked against the key file before the data
// directory appears: the backup's own when it holds one (o.Keyring must
// then be empty or Dir/keyring.json, where it is restored), else the
// operator's at o.KeyringPath(), which stays where it is (ErrNoKeyFile if
// it is missing, an error wrapping keyring.ErrKeyMismatch if it is not
// the store's). The files are written to a temporary directory beside
// o.Dir and renamed into place at the end: a restore that fails or is
// cancelled leaves nothing behind. Open the data directory with o
// afterwards.
func Restore(ctx context.Context, o Options, r io.Reader) (Manifest, error) {
	m, err := restore(ctx, o, r)
	if err != nil {
		return Manifest{}, fmt.Errorf("restoring into %s: %w", o.Dir, err)
	}
	return m, nil
}

func restore(ctx context.Context, o Options, r io.Reader) (m Manifest, err error) {
	if o.Dir == "" {
		return m, errors.New("no data directory")
	}
	target := filepath.Clean(o.Dir)
	existing, err := emptyDir(target)
	if err != nil {
		return m, err
	}
	if existing != nil {
		// Restore into the directory a symbolic link names (systemd's
		// StateDirectory of a DynamicUser is one), not over the link.
		if target, err = filepath.EvalSymlinks(target); err != nil {
			return m, err
		}
	}
	inDir := filepath.Join(o.Dir, keyringName)
	if o.Keyring != "" && filepath.Clean(o.Keyring) == filepath.Clean(inDir) {
		o.Keyring = ""
	}
	parents := &Dir{}
	if err := parents.mkdirAll(filepath.Dir(target)); err != nil {
		return m, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(target), "."+filepath.Base(target)+".restore-")
	if err != nil {
		parents.removeCreated()
		return m, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
			parents.removeCreated()
		}
	}()

	if m, err = extract(ctx, r, tmp); err != nil {
		return m, err
	}
	if m.Keys && o.Keyring != "" {
		return m, fmt.Errorf("the backup holds its key file, which is restored as %s: give no other key file", inDir)
	}
	krPath := filepath.Join(tmp, keyringName)
	if !m.Keys {
		krPath = o.keyringPath()
	}
	kr, err := loadKeyring(krPath)
	if errors.Is(err, ErrNoKeyFile) && !m.Keys {
		return m, fmt.Errorf("%w: the backup holds none, so the restore needs the key file the store was written with: %w", ErrNoKeyFile, err)
	}
	if err != nil {
		return m, err
	}
	so := o.Store
	so.ReadOnly, so.CacheSize = true, 1<<20
	st, err := pebblestore.Open(filepath.Join(tmp, storeDir), so)
	if err != nil {
		return m, fmt.Errorf("%w: its store does not open: %w", ErrCorrupt, err)
	}
	err = verifyOnly(ctx, st, kr)
	st.Close()
	if err != nil {
		return m, err
	}
	for _, d := range []string{filepath.Join(tmp, storeDir), tmp} {
		if err := syncDir(d); err != nil {
			return m, err
		}
	}
	if existing != nil {
		keepOwner(tmp, existing)
		// A directory that filled up meanwhile is not replaced.
		if err := os.Remove(target); err != nil {
			return m, fmt.Errorf("%w: %w", ErrNotEmpty, err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return m, err
	}
	return m, syncDir(filepath.Dir(target))
}

// emptyDir checks that dir is an empty directory (returning its
// information) or does not exist (returning nil).
func emptyDir(dir string) (fs.FileInfo, error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	}
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if names, _ := f.Readdirnames(1); len(names) > 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	}
	return fi, nil
}

// extract reads the archive into dir, checking every entry against the
// manifest.
func extract(ctx context.Context, r io.Reader, dir string) (Manifest, error) {
	var m Manifest
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return m, err
	}
	defer zr.Close()
	corrupt := func(err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	tr := tar.NewReader(zr)
	hdr, err := tr.Next()
	if err != nil {
		return m, corrupt(err)
	}
	if hdr.Name != manifestName || !regular(hdr) || hdr.Size > maxManifest {
		return m, corrupt(errors.New("it does not begin with its manifest"))
	}
	if m, err = parseManifest(io.LimitReader(tr, maxManifest)); err != nil {
		return m, err
	}
	want := map[string]BackupFile{}
	for _, f := range m.Files {
		want[f.Name] = f
	}
	if err := os.Mkdir(filepath.Join(dir, storeDir), 0o700); err != nil {
		return m, err
	}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, corrupt(err)
		}
		f, ok := want[hdr.Name]
		switch {
		case !regular(hdr):
			return m, corrupt(fmt.Errorf("entry %q is not a regular file", hdr.Name))
		case !ok:
			return m, corrupt(fmt.Errorf("entry %q is not in the manifest (or repeats)", hdr.Name))
		case hdr.Size != f.Size:
			return m, corrupt(fmt.Errorf("%s: %d bytes, the manifest says %d", f.Name, hdr.Size, f.Size))
		}
		delete(want, hdr.Name)
		if err := extractFile(ctx, tr, dir, f); err != nil {
			return m, corrupt(err)
		}
	}
	if len(want) > 0 {
		missing := slices.Sorted(func(yield func(string) bool) {
			for name := range want {
				if !yield(name) {
					return
				}
			}
		})
		if len(missing) > 1 {
			return m, corrupt(fmt.Errorf("%s and %d other files missing", missing[0], len(missing)-1))
		}
		return m, corrupt(fmt.Errorf("%s missing", missing[0]))
	}
	// Read to the end of the stream: zstd checks its checksum there.
	if _, err := io.Copy(io.Discard, ctxReader{ctx, zr}); err != nil {
		return m, corrupt(err)
	}
	return m, nil
}

func regular(hdr *tar.Header) bool {
	return hdr.Typeflag == tar.TypeReg
}

// parseManifest reads and validates a manifest.
func parseManifest(r io.Reader) (Manifest, error) {
	var m Manifest
	data, err := io.ReadAll(r)
	if err != nil {
		return m, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%w: its manifest: %w", ErrCorrupt, err)
	}
	if m.Format != BackupFormat {
		return m, fmt.Errorf("backup format %d, this leakwatch restores format %d", m.Format, BackupFormat)
	}
	if m.Schema != store.SchemaVersion {
		return m, fmt.Errorf("the backup's store has schema version %d, this leakwatch reads version %d: %w", m.Schema, store.SchemaVersion, store.ErrUnknownSchema)
	}
	seen := map[string]bool{}
	keys := false
	for _, f := range m.Files {
		if !validName(f.Name) {
			return m, fmt.Errorf("%w: its manifest names %q, which is no file of a data directory", ErrCorrupt, f.Name)
		}
		if seen[f.Name] {
			return m, fmt.Errorf("%w: its manifest names %s twice", ErrCorrupt, f.Name)
		}
		seen[f.Name] = true
		if sum, err := hex.DecodeString(f.SHA256); err != nil || len(sum) != sha256.Size || hex.EncodeToString(sum) != f.SHA256 || f.Size < 0 {
			return m, fmt.Errorf("%w: its manifest's entry of %s is malformed", ErrCorrupt, f.Name)
		}
		keys = keys || f.Name == keyringName
	}
	if keys != m.Keys {
		return m, fmt.Errorf("%w: its manifest says keys %v but lists %v", ErrCorrupt, m.Keys, keys)
	}
	return m, nil
}

// validName reports whether name is a file a backup holds: the key file
// or a file right under store/. Nothing else is ever written, so no entry
// can reach outside the directory restored into.
func validName(name string) bool {
	if name == keyringName {
		return true
	}
	base, ok := strings.CutPrefix(name, storeDir+"/")
	return ok && base != "" && base != "." && base != ".." &&
		!strings.ContainsAny(base, "/\\:\x00") && filepath.IsLocal(base)
}

// extractFile writes one entry, created new, and checks its digest.
func extractFile(ctx context.Context, r io.Reader, dir string, bf BackupFile) (err error) {
	path := filepath.Join(dir, filepath.FromSlash(bf.Name))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, io.LimitReader(r, bf.Size)})
	if err != nil {
		return err
	}
	if n != bf.Size {
		return fmt.Errorf("%s: %w", bf.Name, io.ErrUnexpectedEOF)
	}
	if hex.EncodeToString(h.Sum(nil)) != bf.SHA256 {
		return fmt.Errorf("%s: SHA-256 differs from the manifest's", bf.Name)
	}
	return f.Sync()
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// removeCreated removes the directories mkdirAll made, newest first.
func (d *Dir) removeCreated() {
	for i := len(d.created) - 1; i >= 0; i-- {
		os.Remove(d.created[i])
	}
	d.created = nil
}

// ctxReader stops a copy when its context ends.
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
