package datadir

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

const perBreach = 30

// importBreach imports perBreach combo lines into the breach B<k>: the
// accounts user<k>-<i>@example.com, the passwords pw<k>-<i>, and the
// account shared@example.com with a password of its own.
func importBreach(d *Dir, tmp string, k int) error {
	var b strings.Builder
	for i := range perBreach {
		fmt.Fprintf(&b, "user%d-%d@example.com:pw%d-%d\n", k, i, k, i)
	}
	fmt.Fprintf(&b, "shared@example.com:shared%d\n", k)
	p := filepath.Join(tmp, fmt.Sprintf("leak%d.txt", k))
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		return err
	}
	_, err := ingest.Import(ctx, d.Store, d.Keyring, []string{p}, ingest.Options{
		Breach:  catalog.New(fmt.Sprintf("B%02d", k), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		TempDir: tmp,
	})
	return err
}

// answers is what a data directory answers about the first n breaches'
// data, through the same services the API uses: the catalog, account
// lookups, the email k-anonymity ranges, password counts and ranges.
// The set names the breaches B00 to B<n-1>; breaches beyond them (up to
// B<upto-1>) are filtered out, so that a source that went on importing
// answers as it did at the snapshot.
func answers(t *testing.T, d *Dir, breaches map[string]bool, n, upto int) map[string]any {
	t.Helper()
	later := map[string]bool{}
	for k := n; k < upto; k++ {
		for i := range perBreach {
			sum := sha1.Sum(fmt.Appendf(nil, "pw%d-%d", k, i))
			later[fmt.Sprintf("%X", sum)] = true
		}
		sum := sha1.Sum(fmt.Appendf(nil, "shared%d", k))
		later[fmt.Sprintf("%X", sum)] = true
	}
	keep := func(bs []catalog.Breach) []string {
		out := []string{}
		for _, b := range bs {
			if breaches[b.Name] {
				out = append(out, fmt.Sprintf("%s:%d:%v", b.Name, b.PwnCount, b.DataClasses))
			}
		}
		return out
	}
	x := exposure.New(d.Store, d.Keyring)
	got := map[string]any{}
	all, err := d.Store.Breaches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got["catalog"] = keep(all)
	accounts := []string{"shared@example.com", "nobody@example.com"}
	for k := range n {
		accounts = append(accounts, fmt.Sprintf("user%d-0@example.com", k), fmt.Sprintf("user%d-%d@example.com", k, perBreach-1))
	}
	for _, a := range accounts {
		bs, err := x.AccountBreaches(ctx, a, exposure.Public)
		if err != nil {
			t.Fatal(err)
		}
		got["account "+a] = keep(bs)
		sum := sha1.Sum([]byte(a))
		prefix := fmt.Sprintf("%X", sum[:3])
		ms, err := x.EmailRange(ctx, prefix, exposure.Public)
		if err != nil {
			t.Fatal(err)
		}
		var rs []string
		for _, m := range ms {
			if k := keep(m.Breaches); len(k) > 0 {
				rs = append(rs, m.HashSuffix+"="+strings.Join(k, ","))
			}
		}
		got["range "+prefix] = rs
	}
	for k := range n {
		for _, pw := range []string{fmt.Sprintf("pw%d-0", k), fmt.Sprintf("shared%d", k)} {
			c, err := x.PasswordCount(ctx, []byte(pw))
			if err != nil {
				t.Fatal(err)
			}
			got["password "+pw] = c
			sum := sha1.Sum([]byte(pw))
			prefix := uint32(sum[0])<<12 | uint32(sum[1])<<4 | uint32(sum[2])>>4
			var hs []string
			for ph, err := range d.Store.PasswordRange(ctx, store.SHA1, prefix) {
				if err != nil {
					t.Fatal(err)
				}
				if h := fmt.Sprintf("%X", ph.Hash); !later[h] {
					hs = append(hs, fmt.Sprintf("%s:%d", h, ph.Count))
				}
			}
			got[fmt.Sprintf("password range %05X", prefix)] = hs
		}
	}
	return got
}

// TestBackupOfALiveStore backs up a data directory while imports commit,
// restores it into an empty directory, and finds the restored one answers
// exactly as the source did at the snapshot: the breaches committed before
// it, whole, and nothing of the others.
func TestBackupOfALiveStore(t *testing.T) {
	root := t.TempDir()
	o := Options{Dir: filepath.Join(root, "src"), Keyring: filepath.Join(root, "keys", "keyring.json")}
	d, err := Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := importBreach(d, root, 0); err != nil {
		t.Fatal(err)
	}
	const imports = 8
	committed := make(chan int, imports)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(committed)
		for k := 1; k <= imports; k++ {
			if err := importBreach(d, root, k); err != nil {
				t.Errorf("import %d: %v", k, err)
				return
			}
			committed <- k
		}
	})
	<-committed // one commit before, most during or after the backup
	var archive bytes.Buffer
	m, err := Backup(ctx, d, &archive, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if m.Keys || m.Format != BackupFormat || m.Schema != store.SchemaVersion || len(m.Files) == 0 {
		t.Errorf("manifest = %+v", m)
	}
	for _, f := range m.Files {
		if f.Name == keyringName {
			t.Error("the backup holds the key file without IncludeKeys")
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(o.Dir, ".backup-*")); len(entries) > 0 {
		t.Errorf("Backup left %v", entries)
	}

	// The key file is the operator's, not the backup's.
	dst := Options{Dir: filepath.Join(root, "restored", "data"), Keyring: o.Keyring}
	rm, err := Restore(ctx, dst, bytes.NewReader(archive.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, rm); diff != "" {
		t.Errorf("Restore's manifest (-backup +restore):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dst.Dir, keyringName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Restore wrote a key file into the data directory: %v", err)
	}
	dst.NeedKeys = true
	r, err := Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	bs, err := r.Store.Breaches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, b := range bs {
		in[b.Name] = true
	}
	n := len(bs)
	for k := range n {
		if !in[fmt.Sprintf("B%02d", k)] {
			t.Fatalf("the restored catalog %v is not the first %d commits", in, n)
		}
	}
	if n < 2 || n > imports+1 {
		t.Fatalf("restored %d breaches, want 2 to %d", n, imports+1)
	}
	t.Logf("the snapshot holds %d of %d commits", n, imports+1)
	want := answers(t, d, in, n, imports+1)
	got := answers(t, r, in, n, imports+1)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("restored answers differ from the source's at the snapshot (-source +restored):\n%s", diff)
	}
	// Of the commits after the snapshot, nothing.
	x := exposure.New(r.Store, r.Keyring)
	for k := n; k <= imports; k++ {
		for _, pw := range []string{fmt.Sprintf("pw%d-0", k), fmt.Sprintf("shared%d", k)} {
			if c, err := x.PasswordCount(ctx, []byte(pw)); err != nil || c != 0 {
				t.Errorf("password of commit %d after the snapshot: count %d, %v", k, c, err)
			}
		}
		if bs, err := x.AccountBreaches(ctx, fmt.Sprintf("user%d-0@example.com", k), exposure.Public); err != nil || len(bs) != 0 {
			t.Errorf("account of commit %d after the snapshot: %v, %v", k, bs, err)
		}
	}
	// The shared account is in every breach of the snapshot, once each.
	if acc := got["account shared@example.com"].([]string); len(acc) != n {
		t.Errorf("shared account in %d breaches, want %d", len(acc), n)
	}
	// The restored directory is a data directory of its own: it imports.
	if err := importBreach(r, root, imports+1); err != nil {
		t.Errorf("import into the restored directory: %v", err)
	}
}

// TestBackupWithKeys: an offline backup with the key file restores into a
// directory that opens with nothing else.
func TestBackupWithKeys(t *testing.T) {
	root := t.TempDir()
	o := Options{Dir: filepath.Join(root, "src")}
	d, err := Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := importBreach(d, root, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := BackupDir(ctx, o, io.Discard, BackupOptions{}); !errors.Is(err, store.ErrLocked) {
		t.Errorf("BackupDir of a directory in use: %v, want ErrLocked", err)
	}
	d.Close()
	if _, err := BackupDir(ctx, Options{Dir: filepath.Join(root, "nothing")}, io.Discard, BackupOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("BackupDir of no data directory: %v, want ErrNoData", err)
	}
	var archive bytes.Buffer
	created := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)
	m, err := BackupDir(ctx, o, &archive, BackupOptions{IncludeKeys: true, Now: func() time.Time { return created }})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Keys || m.Files[0].Name != keyringName || !m.Created.Equal(created) {
		t.Errorf("manifest = %+v", m)
	}
	dst := Options{Dir: filepath.Join(root, "empty")}
	if err := os.Mkdir(dst.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A key file named besides the backup's own is refused.
	other := Options{Dir: dst.Dir, Keyring: filepath.Join(root, "src", keyringName)}
	if _, err := Restore(ctx, other, bytes.NewReader(archive.Bytes())); err == nil {
		t.Error("Restore of a backup with keys and another key file succeeded")
	}
	assertEmpty(t, dst.Dir)
	if _, err := Restore(ctx, dst, bytes.NewReader(archive.Bytes())); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dst.Dir, keyringName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("restored key file: %v, %v", fi, err)
	}
	dst.NeedKeys = true
	r, err := Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	src, err := Open(ctx, Options{Dir: o.Dir, NeedKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	all := map[string]bool{"B00": true}
	if diff := cmp.Diff(answers(t, src, all, 1, 1), answers(t, r, all, 1, 1)); diff != "" {
		t.Errorf("restored answers (-source +restored):\n%s", diff)
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %v after a failed restore", dir, names)
	}
}

// entry is one entry of a backup archive, for tests that forge them.
type entry struct {
	hdr  tar.Header
	data []byte
}

func readArchive(t *testing.T, archive []byte) []entry {
	t.Helper()
	zr, err := zstd.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var out []entry
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{*hdr, data})
	}
}

func writeArchiveOf(t *testing.T, entries []entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := zstd.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		hdr := e.hdr
		if hdr.Typeflag == tar.TypeReg {
			hdr.Size = int64(len(e.data))
		}
		if err := tw.WriteHeader(&hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return b.Bytes()
}

// withFile adds an entry named name to the archive and its manifest.
func withFile(t *testing.T, entries []entry, hdr tar.Header, data []byte) []entry {
	t.Helper()
	entries = slices.Clone(entries)
	m, err := parseManifest(bytes.NewReader(entries[0].data))
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := hashBytes(data)
	m.Files = append(m.Files, BackupFile{Name: hdr.Name, Size: int64(len(data)), SHA256: sum})
	entries[0].data = mustJSON(t, m)
	return append(entries, entry{hdr, data})
}

// TestRestoreRefuses: what a restore refuses, it refuses before the data
// directory appears, and it leaves nothing behind.
func TestRestoreRefuses(t *testing.T) {
	root := t.TempDir()
	o := Options{Dir: filepath.Join(root, "src")}
	d, err := Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := importBreach(d, root, 0); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Backup(ctx, d, &buf, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	good := buf.Bytes()
	entries := readArchive(t, good)
	if entries[0].hdr.Name != manifestName {
		t.Fatalf("first entry %q", entries[0].hdr.Name)
	}
	// The store's largest table, whose content a forgery alters.
	big := 1
	for i := 1; i < len(entries); i++ {
		if strings.HasSuffix(entries[i].hdr.Name, ".sst") && len(entries[i].data) > len(entries[big].data) {
			big = i
		}
	}

	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	altered := slices.Clone(entries)
	altered[big].data = bytes.Clone(altered[big].data)
	altered[big].data[len(altered[big].data)/2] ^= 1
	reg := func(name string) tar.Header {
		return tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o600}
	}
	link := tar.Header{Typeflag: tar.TypeSymlink, Name: "store/link", Linkname: "/etc/passwd"}
	dirEntry := tar.Header{Typeflag: tar.TypeDir, Name: "store/sub/", Mode: 0o700}
	unlisted := append(slices.Clone(entries), entry{reg("store/000999.sst"), []byte("x")})
	repeated := append(slices.Clone(entries), entries[big])
	missing := slices.Delete(slices.Clone(entries), big, big+1)
	noManifest := slices.Clone(entries[1:])

	for _, tc := range []struct {
		name    string
		archive []byte
		opts    func(o *Options)
		want    error
	}{
		{"FlippedByte", flipped, nil, ErrCorrupt},
		{"Truncated", good[:len(good)*2/3], nil, ErrCorrupt},
		{"NotABackup", []byte("hello"), nil, ErrCorrupt},
		{"AlteredFile", writeArchiveOf(t, altered), nil, ErrCorrupt},
		{"Traversal", writeArchiveOf(t, withFile(t, entries, reg("store/../../evil"), []byte("x"))), nil, ErrCorrupt},
		{"TraversalNotListed", writeArchiveOf(t, append(slices.Clone(entries), entry{reg("../evil"), []byte("x")})), nil, ErrCorrupt},
		{"Absolute", writeArchiveOf(t, withFile(t, entries, reg("/tmp/evil"), []byte("x"))), nil, ErrCorrupt},
		{"OtherPlace", writeArchiveOf(t, withFile(t, entries, reg("admin.sock"), []byte("x"))), nil, ErrCorrupt},
		{"Symlink", writeArchiveOf(t, withFile(t, entries, link, nil)), nil, ErrCorrupt},
		{"Directory", writeArchiveOf(t, append(slices.Clone(entries), entry{dirEntry, nil})), nil, ErrCorrupt},
		{"Unlisted", writeArchiveOf(t, unlisted), nil, ErrCorrupt},
		{"Repeated", writeArchiveOf(t, repeated), nil, ErrCorrupt},
		{"Missing", writeArchiveOf(t, missing), nil, ErrCorrupt},
		{"NoManifest", writeArchiveOf(t, noManifest), nil, ErrCorrupt},
		{"NoKeyFile", good, func(o *Options) { o.Keyring = "" }, ErrNoKeyFile},
		{"WrongKeyFile", good, func(o *Options) {
			other, err := keyring.Create(filepath.Join(t.TempDir(), "other.json"), nil)
			if err != nil {
				t.Fatal(err)
			}
			o.Keyring = other.Path()
		}, keyring.ErrKeyMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dst := Options{Dir: filepath.Join(parent, "data"), Keyring: o.KeyringPath()}
			if tc.opts != nil {
				tc.opts(&dst)
			}
			_, err := Restore(ctx, dst, bytes.NewReader(tc.archive))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Restore: %v, want %v", err, tc.want)
			}
			t.Logf("%v", err)
			assertEmpty(t, parent)
			if _, err := os.Stat(filepath.Join(root, "evil")); err == nil {
				t.Fatal("an entry was written outside the data directory")
			}
		})
	}

	t.Run("NotEmpty", func(t *testing.T) {
		dst := Options{Dir: t.TempDir(), Keyring: o.KeyringPath()}
		mine := filepath.Join(dst.Dir, "mine.txt")
		os.WriteFile(mine, []byte("keep"), 0o600)
		if _, err := Restore(ctx, dst, bytes.NewReader(good)); !errors.Is(err, ErrNotEmpty) {
			t.Fatalf("Restore into a directory with a file: %v, want ErrNotEmpty", err)
		}
		if b, _ := os.ReadFile(mine); string(b) != "keep" {
			t.Error("Restore changed a file of a non-empty directory")
		}
		// Nor over the source data directory itself.
		if _, err := Restore(ctx, o, bytes.NewReader(good)); !errors.Is(err, ErrNotEmpty) {
			t.Fatalf("Restore over a data directory: %v, want ErrNotEmpty", err)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		parent := t.TempDir()
		dst := Options{Dir: filepath.Join(parent, "a", "data"), Keyring: o.KeyringPath()}
		if _, err := Restore(cctx, dst, bytes.NewReader(good)); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled Restore: %v", err)
		}
		assertEmpty(t, parent)
	})
	t.Run("ThroughASymlink", func(t *testing.T) {
		// A state directory that is a link to an empty directory (as
		// systemd makes for a DynamicUser): the link stays a link.
		real := filepath.Join(t.TempDir(), "private", "data")
		if err := os.MkdirAll(real, 0o750); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(t.TempDir(), "data")
		if err := os.Symlink(real, link); err != nil {
			t.Skip(err)
		}
		if _, err := Restore(ctx, Options{Dir: link, Keyring: o.KeyringPath()}, bytes.NewReader(good)); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced: %v, %v", fi, err)
		}
		if fi, err := os.Stat(real); err != nil || fi.Mode().Perm() != 0o750 {
			t.Errorf("restored directory: %v, %v; want the mode of the one it replaced", fi, err)
		}
		if _, err := os.Stat(filepath.Join(real, storeDir)); err != nil {
			t.Errorf("nothing restored behind the link: %v", err)
		}
	})
	t.Run("EmptyDirectory", func(t *testing.T) {
		dst := Options{Dir: t.TempDir(), Keyring: o.KeyringPath()}
		if _, err := Restore(ctx, dst, bytes.NewReader(good)); err != nil {
			t.Fatal(err)
		}
		dst.NeedKeys = true
		r, err := Open(ctx, dst)
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
	})
}

func hashBytes(b []byte) (string, int64) {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), int64(len(b))
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBackupKeyFileChanged: a key file that no longer matches the
// snapshot (a rotation retired a pair meanwhile; here, another key file
// altogether) fails a backup with keys, which leaves nothing behind.
func TestBackupKeyFileChanged(t *testing.T) {
	root := t.TempDir()
	o := Options{Dir: filepath.Join(root, "src")}
	d, err := Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := os.Rename(o.KeyringPath(), filepath.Join(root, "old.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Create(o.KeyringPath(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Backup(ctx, d, io.Discard, BackupOptions{IncludeKeys: true}); !errors.Is(err, keyring.ErrKeyMismatch) {
		t.Errorf("Backup with a key file that changed: %v, want ErrKeyMismatch", err)
	}
	// Without the key file the backup does not look at it.
	if _, err := Backup(ctx, d, io.Discard, BackupOptions{}); err != nil {
		t.Errorf("Backup without keys: %v", err)
	}
	entries, _ := os.ReadDir(o.Dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), backupTemp) {
			t.Errorf("Backup left %s", e.Name())
		}
	}
}

// TestStaleBackupRemoved: the temporary files of a backup killed before
// it ended go at the next Open.
func TestStaleBackupRemoved(t *testing.T) {
	o := Options{Dir: t.TempDir()}
	d, err := Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(o.Dir, backupTemp+"123")
	if err := d.Store.Checkpoint(ctx, filepath.Join(stale, storeDir)); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if d, err = Open(ctx, o); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale backup files survive Open: %v", err)
	}
}

func TestManifestVersions(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name string
		m    Manifest
		want error
	}{
		{"Good", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: "store/a", SHA256: sum}}}, nil},
		{"Keys", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Keys: true, Files: []BackupFile{{Name: "keyring.json", SHA256: sum}}}, nil},
		{"KeysNotListed", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Keys: true}, ErrCorrupt},
		{"NewerFormat", Manifest{Format: BackupFormat + 1, Schema: store.SchemaVersion}, errAny},
		{"OtherSchema", Manifest{Format: BackupFormat, Schema: store.SchemaVersion + 1}, store.ErrUnknownSchema},
		{"UpperHex", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: "store/a", SHA256: strings.ToUpper(sum)}}}, ErrCorrupt},
		{"ShortSum", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: "store/a", SHA256: "ab"}}}, ErrCorrupt},
		{"NegativeSize", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: "store/a", Size: -1, SHA256: sum}}}, ErrCorrupt},
		{"Twice", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: "store/a", SHA256: sum}, {Name: "store/a", SHA256: sum}}}, ErrCorrupt},
		{"Nested", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: "store/a/b", SHA256: sum}}}, ErrCorrupt},
		{"Backslash", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: `store/..\..\x`, SHA256: sum}}}, ErrCorrupt},
		{"Dot", Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Files: []BackupFile{{Name: "store/..", SHA256: sum}}}, ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseManifest(bytes.NewReader(mustJSON(t, tc.m)))
			switch {
			case tc.want == nil && err != nil:
				t.Errorf("parseManifest: %v", err)
			case tc.want == errAny && err == nil, tc.want != nil && tc.want != errAny && !errors.Is(err, tc.want):
				t.Errorf("parseManifest: %v, want %v", err, tc.want)
			}
		})
	}
}

var errAny = errors.New("any error")

// FuzzManifest: whatever a manifest says, every name it gets accepted
// with is a file right inside the directory restored into, or its store.
func FuzzManifest(f *testing.F) {
	sum := strings.Repeat("0f", 32)
	for _, name := range []string{"store/000001.sst", "keyring.json", "store/../x", "/etc/passwd", "store/", "store/a/b"} {
		m := Manifest{Format: BackupFormat, Schema: store.SchemaVersion, Keys: name == "keyring.json", Files: []BackupFile{{Name: name, SHA256: sum}}}
		b, _ := json.Marshal(m)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseManifest(bytes.NewReader(data))
		if err != nil {
			return
		}
		root := filepath.Join(string(filepath.Separator), "restore")
		for _, bf := range m.Files {
			p := filepath.Join(root, filepath.FromSlash(bf.Name))
			if dir := filepath.Dir(p); dir != root && dir != filepath.Join(root, storeDir) {
				t.Errorf("accepted %q, which lands in %s", bf.Name, dir)
			}
		}
	})
}
