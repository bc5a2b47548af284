package leakgen

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// readTree returns the files under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateStealerTree(t *testing.T) {
	ctx := context.Background()
	opts := Options{Rows: 600, Seed: 3, JunkEvery: 25}
	dir := t.TempDir()
	st, err := GenerateStealerTree(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	files := readTree(t, dir)

	opts.Format = leakparse.FormatStealer
	stream, streamStats := generate(t, opts)
	if st.Rows != streamStats.Rows || st.JunkLines != streamStats.JunkLines {
		t.Errorf("tree stats %+v, stream stats %+v: want the same rows and junk", st, streamStats)
	}

	reFolder := regexp.MustCompile(`^\[[A-Z]{2}\]\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(_\d+)?$`)
	folders := map[string][]string{}
	var total, passwordBytes int64
	creds, junk := 0, 0
	for path, b := range files {
		total += int64(len(b))
		folder, name, ok := strings.Cut(path, "/")
		if !ok || strings.Contains(name, "/") || !reFolder.MatchString(folder) {
			t.Errorf("unexpected file %q", path)
			continue
		}
		folders[folder] = append(folders[folder], name)
		switch name {
		case "System.txt":
			ip := folder[4:]
			if i := strings.IndexByte(ip, '_'); i >= 0 {
				ip = ip[:i]
			}
			if !bytes.Contains(b, []byte("IP: "+ip)) || !bytes.Contains(b, []byte("Country: "+folder[1:3])) {
				t.Errorf("%s does not describe its victim:\n%s", path, b)
			}
			if bytes.Contains(b, []byte("Password")) {
				t.Errorf("%s holds credentials", path)
			}
		case "Passwords.txt", "All Passwords.txt":
			passwordBytes += int64(len(b))
			if !bytes.Contains(stream, b) {
				t.Errorf("%s is not a piece of the stealer stream of the same options", path)
			}
			for _, blk := range stealerBlocks(b) {
				if blk["password"] != "" {
					creds++
				} else {
					junk++
				}
			}
		default:
			t.Errorf("unexpected file %q", path)
		}
	}
	for f, names := range folders {
		if len(names) != 2 {
			t.Errorf("folder %q holds %v, want System.txt and one credentials file", f, names)
		}
	}
	if len(folders) < 10 {
		t.Errorf("%d victim folders for %d rows, want many", len(folders), opts.Rows)
	}
	if total != st.Bytes {
		t.Errorf("files hold %d bytes, Stats.Bytes = %d", total, st.Bytes)
	}
	if passwordBytes != int64(len(stream)) {
		t.Errorf("credentials files hold %d bytes, the stream %d", passwordBytes, len(stream))
	}
	if int64(creds) != opts.Rows || int64(junk) != st.JunkLines {
		t.Errorf("%d credential and %d junk blocks, want %d and %d", creds, junk, opts.Rows, st.JunkLines)
	}

	// Same options, same tree.
	dir2 := t.TempDir()
	if _, err := GenerateStealerTree(ctx, dir2, opts); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(files, readTree(t, dir2)); diff != "" {
		t.Errorf("second tree differs (-first +second):\n%s", diff)
	}
}

func TestGenerateStealerTreeErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := GenerateStealerTree(ctx, t.TempDir(), Options{Format: leakparse.FormatCombo, Rows: 5}); err == nil {
		t.Error("combo format accepted")
	}
	if _, err := GenerateStealerTree(ctx, t.TempDir(), Options{Rows: -5}); err == nil {
		t.Error("negative rows accepted")
	}
	// A file where the folder should go.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateStealerTree(ctx, file, Options{Rows: 5}); err == nil {
		t.Error("tree written into a regular file")
	}
	// Generating twice into one folder collides on the first victim.
	dir := t.TempDir()
	if _, err := GenerateStealerTree(ctx, dir, Options{Rows: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateStealerTree(ctx, dir, Options{Rows: 5}); err == nil {
		t.Error("second tree overwrote the first")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := GenerateStealerTree(cctx, t.TempDir(), Options{Rows: 5}); err == nil {
		t.Error("cancelled context ignored")
	}
}
