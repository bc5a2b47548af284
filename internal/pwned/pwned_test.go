package pwned

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/pwhash"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// corpus is a seeded store and what it holds, computed independently of
// the renderer: full upper-case hex hash -> count.
type corpus struct {
	s    store.Store
	sha1 map[string]int64
	ntlm map[string]int64
}

func mustHex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newCorpus opens a pebblestore and imports the passwords (one fact per
// occurrence, so repeats count) plus raw SHA-1 hashes chosen to share
// prefixes and to sit at the edges of the hash space.
func newCorpus(t testing.TB, passwords []string, rawSHA1 []string) *corpus {
	t.Helper()
	s, err := pebblestore.Open(t.TempDir(), pebblestore.Options{CacheSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	imp, err := s.BeginImport(ctx, catalog.New("Seed", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	c := &corpus{s: s, sha1: map[string]int64{}, ntlm: map[string]int64{}}
	f := &store.Facts{}
	// Every occurrence is a pair of its own, so repeats count.
	add := func(h [20]byte, n [16]byte) {
		pw := store.Password{SHA1: h, NTLM: n}
		binary.BigEndian.PutUint64(pw.Print[:], uint64(len(f.Passwords)))
		f.Passwords = append(f.Passwords, pw)
		c.sha1[strings.ToUpper(hex.EncodeToString(h[:]))]++
		c.ntlm[strings.ToUpper(hex.EncodeToString(n[:]))]++
	}
	for _, p := range passwords {
		add(pwhash.SHA1([]byte(p)), pwhash.NTLM([]byte(p)))
	}
	for _, r := range rawSHA1 {
		var h [20]byte
		copy(h[:], mustHex(t, r))
		// An NTLM hash of its own, from the SHA-1 (the corpora are apart).
		add(h, pwhash.NTLM(h[:]))
	}
	if err := imp.Add(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{{ID: sha1Sum32("seed"), Name: "seed"}}}); err != nil {
		t.Fatal(err)
	}
	return c
}

func sha1Sum32(s string) [32]byte {
	var id [32]byte
	h := sha1.Sum([]byte(s))
	copy(id[:], h[:])
	return id
}

// wantRange builds the expected range body from the corpus map.
func (c *corpus) wantRange(kind store.HashKind, prefix string) string {
	m := c.sha1
	if kind == store.NTLM {
		m = c.ntlm
	}
	var lines []string
	for h, n := range m {
		if strings.HasPrefix(h, prefix) {
			lines = append(lines, h[5:]+":"+strconv.FormatInt(n, 10))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\r\n")
}

var (
	passwords = []string{"password", "password", "password", "123456", "hunter2", "Summer2024!", "P@ss:w0rd", "qwerty123", "qwerty123", "ünïcödé"}
	// Four hashes in prefix 5BAA6 (the prefix of SHA-1("password")), one at
	// each end of the hash space, twice repeated.
	rawSHA1 = []string{
		"5BAA60000000000000000000000000000000000A",
		"5baa6fffffffffffffffffffffffffffffffffff",
		"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD9", // greater than SHA-1("password")
		"5BAA6000000000000000000000000000000000AB",
		"0000000000000000000000000000000000000000",
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
	}
)

func TestParsePrefix(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"00000", 0, true},
		{"FFFFF", 1<<20 - 1, true},
		{"fffff", 1<<20 - 1, true},
		{"5baa6", 0x5BAA6, true},
		{"5BaA6", 0x5BAA6, true},
		{"", 0, false},
		{"5BAA", 0, false},
		{"5BAA61", 0, false},
		{"5BAAG", 0, false},
		{"5BAA ", 0, false},
		{"+5BAA", 0, false},
		{"0x5BA", 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParsePrefix(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParsePrefix(%q) = %#x, %v; want %#x, %v", tc.in, got, ok, tc.want, tc.ok)
			}
			if ok {
				if back := string(AppendPrefix(nil, got)); back != strings.ToUpper(tc.in) {
					t.Errorf("AppendPrefix(%#x) = %q, want %q", got, back, strings.ToUpper(tc.in))
				}
			}
		})
	}
}

// TestParsePrefixEvery parses every prefix in both cases: the range API
// answers all 16^5 of them.
func TestParsePrefixEvery(t *testing.T) {
	var buf []byte
	for p := uint32(0); p < NumPrefixes; p++ {
		buf = AppendPrefix(buf[:0], p)
		if got, ok := ParsePrefix(string(buf)); !ok || got != p {
			t.Fatalf("ParsePrefix(%q) = %#x, %v", buf, got, ok)
		}
		if got, ok := ParsePrefix(strings.ToLower(string(buf))); !ok || got != p {
			t.Fatalf("ParsePrefix(lower %q) = %#x, %v", buf, got, ok)
		}
	}
}

func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{"00000", "5baa6", "FFFFF", "5BAAG", "", "123456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParsePrefix(s)
		want, err := strconv.ParseUint(s, 16, 32)
		wantOK := err == nil && len(s) == 5 && !strings.ContainsAny(s, "+-_xX")
		if ok != wantOK || (ok && uint64(got) != want) {
			t.Fatalf("ParsePrefix(%q) = %#x, %v; reference %#x, %v", s, got, ok, want, wantOK)
		}
	})
}

func TestAppendRange(t *testing.T) {
	c := newCorpus(t, passwords, rawSHA1)
	ctx := context.Background()
	for _, tc := range []struct {
		kind   store.HashKind
		prefix string
		lines  int
	}{
		{store.SHA1, "5BAA6", 5}, // "password" and four raw hashes
		{store.SHA1, "00000", 1},
		{store.SHA1, "FFFFF", 1},
		{store.SHA1, "12345", 0},
		{store.SHA1, strings.ToUpper(hex.EncodeToString(sha1Of("hunter2")))[:5], 1},
		{store.NTLM, strings.ToUpper(hex.EncodeToString(ntlmOf("password")))[:5], 1},
		{store.NTLM, "00000", 0},
	} {
		t.Run(fmt.Sprintf("kind=%s/prefix=%s", tc.kind, tc.prefix), func(t *testing.T) {
			p, _ := ParsePrefix(tc.prefix)
			// A non-empty dst shows the body is appended, not overwritten.
			got, n, err := AppendRange(ctx, []byte("x"), c.s, tc.kind, p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff("x"+c.wantRange(tc.kind, tc.prefix), string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if n != tc.lines {
				t.Errorf("lines = %d, want %d", n, tc.lines)
			}
		})
	}
	t.Run("exact bytes", func(t *testing.T) {
		got, _, err := AppendRange(ctx, nil, c.s, store.SHA1, 0x5BAA6)
		if err != nil {
			t.Fatal(err)
		}
		want := "0000000000000000000000000000000000A:1\r\n" +
			"000000000000000000000000000000000AB:1\r\n" +
			"1E4C9B93F3F0682250B6CF8331B7EE68FD8:3\r\n" +
			"1E4C9B93F3F0682250B6CF8331B7EE68FD9:1\r\n" +
			"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:1"
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})
	t.Run("bad arguments", func(t *testing.T) {
		if _, _, err := AppendRange(ctx, nil, c.s, store.SHA1, NumPrefixes); err == nil {
			t.Error("prefix 16^5 accepted")
		}
		if _, _, err := AppendRange(ctx, nil, c.s, store.HashKind(9), 0); err == nil {
			t.Error("unknown hash kind accepted")
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := AppendRange(cctx, nil, c.s, store.SHA1, 0); err == nil {
			t.Error("cancelled context ignored")
		}
	})
}

func sha1Of(p string) []byte { h := pwhash.SHA1([]byte(p)); return h[:] }
func ntlmOf(p string) []byte { h := pwhash.NTLM([]byte(p)); return h[:] }

var suffixLine = map[store.HashKind]*regexp.Regexp{
	store.SHA1: regexp.MustCompile(`^[0-9A-F]{35}:[0-9]+$`),
	store.NTLM: regexp.MustCompile(`^[0-9A-F]{27}:[0-9]+$`),
}

func TestPadder(t *testing.T) {
	c := newCorpus(t, passwords, rawSHA1)
	ctx := context.Background()
	for _, tc := range []struct {
		kind   store.HashKind
		prefix uint32
	}{
		{store.SHA1, 0x5BAA6},
		{store.SHA1, 0x12345}, // empty
		{store.NTLM, 0x8846F},
	} {
		t.Run(fmt.Sprintf("kind=%s/prefix=%05X", tc.kind, tc.prefix), func(t *testing.T) {
			body, n, err := AppendRange(ctx, nil, c.s, tc.kind, tc.prefix)
			if err != nil {
				t.Fatal(err)
			}
			sizes := map[int]bool{}
			for seed := range 20 {
				p := NewPadder([32]byte{byte(seed)})
				got := p.Append([]byte("x"), body, n, tc.kind)
				if got[0] != 'x' {
					t.Fatal("dst prefix overwritten")
				}
				checkPadded(t, string(got[1:]), string(body), tc.kind)
				sizes[len(got)] = true
			}
			if len(sizes) < 10 {
				t.Errorf("padded sizes barely vary: %d distinct in 20", len(sizes))
			}
		})
	}
	t.Run("deterministic for a seed", func(t *testing.T) {
		body, n, _ := AppendRange(ctx, nil, c.s, store.SHA1, 0x5BAA6)
		a := NewPadder([32]byte{7}).Append(nil, body, n, store.SHA1)
		b := NewPadder([32]byte{7}).Append(nil, body, n, store.SHA1)
		if !bytes.Equal(a, b) {
			t.Error("same seed, different padding")
		}
	})
	t.Run("large bucket", func(t *testing.T) {
		// A synthetic body of 1234 real lines with distinct suffixes.
		var lines []string
		for i := range 1234 {
			lines = append(lines, fmt.Sprintf("%035X:%d", uint64(i)*0x9E3779B97F4A7C15, i+1))
		}
		slices.Sort(lines)
		body := strings.Join(lines, "\r\n")
		got := NewPadder([32]byte{1}).Append(nil, []byte(body), len(lines), store.SHA1)
		checkPadded(t, string(got), body, store.SHA1)
	})
}

// checkPadded checks that padded holds exactly the real lines plus count-0
// lines, sorted, with the policy's line count.
func checkPadded(t *testing.T, padded, body string, kind store.HashKind) {
	t.Helper()
	if strings.HasSuffix(padded, "\n") || strings.Contains(strings.ReplaceAll(padded, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(padded, "\r\n", ""), "\r") {
		t.Fatal("padded body has a bare CR/LF or a trailing newline")
	}
	got := strings.Split(padded, "\r\n")
	if !slices.IsSorted(got) {
		t.Error("padded lines not sorted")
	}
	var real []string
	if body != "" {
		real = strings.Split(body, "\r\n")
	}
	var kept []string
	zeros := 0
	for _, l := range got {
		if !suffixLine[kind].MatchString(l) {
			t.Fatalf("malformed line %q", l)
		}
		if strings.HasSuffix(l, ":0") {
			zeros++
		} else {
			kept = append(kept, l)
		}
	}
	if diff := cmp.Diff(real, kept); diff != "" {
		t.Errorf("real lines changed by padding (-want +got):\n%s", diff)
	}
	lo := max(MinPaddedLines, (len(real)+MinPaddingLines+PaddingStep-1)/PaddingStep*PaddingStep)
	if len(got) < lo-1 || len(got) > lo+PaddingJitter {
		t.Errorf("%d real lines padded to %d, want %d..%d", len(real), len(got), lo, lo+PaddingJitter)
	}
	if zeros < MinPaddingLines-1 {
		t.Errorf("only %d padding lines", zeros)
	}
}

func TestExportSingle(t *testing.T) {
	c := newCorpus(t, passwords, rawSHA1)
	ctx := context.Background()
	for _, kind := range []store.HashKind{store.SHA1, store.NTLM} {
		t.Run("kind="+kind.String(), func(t *testing.T) {
			m := c.sha1
			if kind == store.NTLM {
				m = c.ntlm
			}
			// The whole prefix space takes a few seconds, minutes under the
			// race detector; then the slices of it that hold the test
			// hashes are exported, in order.
			ranges := [][2]uint32{{0, NumPrefixes}}
			if raceEnabled {
				ranges = nil
				for h := range m {
					p, _ := ParsePrefix(h[:5])
					r := [2]uint32{p &^ 0xFF, p&^0xFF + 0x100}
					if !slices.Contains(ranges, r) {
						ranges = append(ranges, r)
					}
				}
				slices.SortFunc(ranges, func(a, b [2]uint32) int { return int(a[0]) - int(b[0]) })
			}
			out := filepath.Join(t.TempDir(), "pwned.txt")
			var got []byte
			var st Stats
			for _, r := range ranges {
				var s Stats
				var err error
				if r == [2]uint32{0, NumPrefixes} {
					s, err = Export(ctx, c.s, kind, out, false, true)
				} else {
					s, err = exportRange(ctx, c.s, kind, out, false, true, r[0], r[1])
				}
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, b...)
				st.Prefixes += s.Prefixes
				st.Hashes += s.Hashes
				st.Bytes += s.Bytes
				st.Files = s.Files
			}
			var want []string
			for h, n := range m {
				p, _ := ParsePrefix(h[:5])
				for _, r := range ranges {
					if p >= r[0] && p < r[1] {
						want = append(want, h+":"+strconv.FormatInt(n, 10)+"\r\n")
					}
				}
			}
			if len(want) != len(m) {
				t.Fatalf("the exported prefixes miss %d test hashes", len(m)-len(want))
			}
			slices.Sort(want)
			if diff := cmp.Diff(strings.Join(want, ""), string(got)); diff != "" {
				t.Errorf("export (-want +got):\n%s", diff)
			}
			prefixes := 0
			for _, r := range ranges {
				prefixes += int(r[1] - r[0])
			}
			wantSt := Stats{Prefixes: prefixes, Hashes: int64(len(want)), Files: 1, Bytes: int64(len(got))}
			if st != wantSt {
				t.Errorf("stats = %+v, want %+v", st, wantSt)
			}
			// KeePassXC's reader: 40 (or 32) hex digits, ':', digits.
			line := regexp.MustCompile(fmt.Sprintf(`^[0-9A-F]{%d}:[0-9]+\r$`, 2*kind.Size()))
			for l := range strings.Lines(string(got)) {
				if !line.MatchString(strings.TrimSuffix(l, "\n")) {
					t.Fatalf("line %q not in the downloader format", l)
				}
			}
			entries, _ := os.ReadDir(filepath.Dir(out))
			if len(entries) != 1 {
				t.Errorf("temporary files left next to the export: %d entries", len(entries))
			}
		})
	}
	t.Run("unwritable", func(t *testing.T) {
		if _, err := Export(ctx, c.s, store.SHA1, filepath.Join(t.TempDir(), "missing", "x.txt"), false, false); err == nil {
			t.Error("export into a missing directory succeeded")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		dir := t.TempDir()
		if _, err := Export(cctx, c.s, store.SHA1, filepath.Join(dir, "x.txt"), false, false); err == nil {
			t.Error("cancelled export succeeded")
		}
		if _, err := Export(cctx, c.s, store.SHA1, filepath.Join(dir, "ranges"), true, false); err == nil {
			t.Error("cancelled split export succeeded")
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("cancelled export left %d files", len(entries))
		}
	})
	t.Run("existing", func(t *testing.T) {
		dir := t.TempDir()
		keep := filepath.Join(dir, "keyring.json")
		os.WriteFile(keep, []byte("precious"), 0o600)
		if _, err := Export(ctx, c.s, store.SHA1, keep, false, false); !errors.Is(err, ErrExists) {
			t.Errorf("export over an existing file: %v, want ErrExists", err)
		}
		if b, _ := os.ReadFile(keep); string(b) != "precious" {
			t.Error("an existing file was overwritten")
		}
		os.WriteFile(filepath.Join(dir, "other.txt"), nil, 0o600)
		if _, err := Export(ctx, c.s, store.SHA1, dir, true, false); !errors.Is(err, ErrExists) {
			t.Errorf("split export into a non-empty directory: %v, want ErrExists", err)
		}
		if _, err := Export(ctx, c.s, store.SHA1, keep, true, true); err == nil {
			t.Error("split export over a file succeeded")
		}
	})
}

func TestExportSplit(t *testing.T) {
	c := newCorpus(t, passwords, rawSHA1)
	ctx := context.Background()
	// Writing all 16^5 files takes minutes on a small disk; the full export
	// runs with LEAKWATCH_LONG_TESTS=1, slices of the prefix space always.
	ranges := [][2]uint32{{0, 0x100}, {0x5BA00, 0x5BB00}, {NumPrefixes - 0x100, NumPrefixes}}
	if os.Getenv("LEAKWATCH_LONG_TESTS") != "" {
		ranges = append(ranges, [2]uint32{0, NumPrefixes})
	}
	for _, r := range ranges {
		t.Run(fmt.Sprintf("prefixes=%05X-%05X", r[0], r[1]-1), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ranges")
			var st Stats
			var err error
			if r == [2]uint32{0, NumPrefixes} {
				st, err = Export(ctx, c.s, store.SHA1, dir, true, true)
			} else {
				st, err = exportRange(ctx, c.s, store.SHA1, dir, true, true, r[0], r[1])
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			var hashes int64
			for p := r[0]; p < r[1]; p++ {
				want = append(want, string(AppendPrefix(nil, p))+".txt")
			}
			for h := range c.sha1 {
				if p, _ := ParsePrefix(h[:5]); p >= r[0] && p < r[1] {
					hashes++
				}
			}
			d, err := os.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			names, err := d.Readdirnames(-1)
			d.Close()
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(names)
			if diff := cmp.Diff(want, names); diff != "" {
				t.Fatalf("file names (-want +got):\n%s", diff)
			}
			var total int64
			for _, name := range names {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				total += int64(len(got))
				prefix := strings.TrimSuffix(name, ".txt")
				if diff := cmp.Diff(c.wantRange(store.SHA1, prefix), string(got)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", name, diff)
				}
			}
			wantSt := Stats{Prefixes: int(r[1] - r[0]), Hashes: hashes, Files: int(r[1] - r[0]), Bytes: total}
			if st != wantSt {
				t.Errorf("stats = %+v, want %+v", st, wantSt)
			}
		})
	}
	t.Run("unwritable", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, nil, 0o644)
		if _, err := exportRange(ctx, c.s, store.SHA1, f, true, true, 0, 16); err == nil {
			t.Error("export into a regular file succeeded")
		}
	})
}

// BenchmarkAppendRange renders one range of a store holding about 96
// hashes per prefix (100M hashes' worth of density) from a warm cache.
//
//	go test -run '^$' -bench AppendRange ./internal/pwned
func BenchmarkAppendRange(b *testing.B) {
	var raw []string
	// 96 hashes in prefix 5BAA6.
	for i := range 96 {
		raw = append(raw, fmt.Sprintf("5BAA6%035X", uint64(i)*0x9E3779B97F4A7C15))
	}
	c := newCorpus(b, nil, raw)
	ctx := context.Background()
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, _, err = AppendRange(ctx, buf[:0], c.s, store.SHA1, 0x5BAA6)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkPadder(b *testing.B) {
	var raw []string
	for i := range 96 {
		raw = append(raw, fmt.Sprintf("5BAA6%035X", uint64(i)*0x9E3779B97F4A7C15))
	}
	c := newCorpus(b, nil, raw)
	body, n, err := AppendRange(context.Background(), nil, c.s, store.SHA1, 0x5BAA6)
	if err != nil {
		b.Fatal(err)
	}
	p := NewPadder([32]byte{})
	var out []byte
	b.ReportAllocs()
	for b.Loop() {
		out = p.Append(out[:0], body, n, store.SHA1)
	}
	b.SetBytes(int64(len(out)))
}

func TestPack(t *testing.T) {
	c := newCorpus(t, passwords, rawSHA1)
	ctx := context.Background()
	for _, kind := range []store.HashKind{store.SHA1, store.NTLM} {
		t.Run("kind="+kind.String(), func(t *testing.T) {
			m := c.sha1
			if kind == store.NTLM {
				m = c.ntlm
			}
			want := int64(0)
			prefixes := []uint32{0, 1, 0x12345, NumPrefixes - 1}
			for h := range m {
				pr, _ := ParsePrefix(h[:5])
				prefixes = append(prefixes, pr)
				want += int64(recordLen(kind) + 1)
			}
			// Under the race detector only the prefixes compared are read.
			var skip func(uint32) bool
			if raceEnabled {
				skip = func(p uint32) bool { return !slices.Contains(prefixes, p) }
			}
			dir := t.TempDir()
			p, err := buildPack(ctx, c.s, kind, dir, skip)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("the pack's file is visible in its directory: %d entries", len(entries))
			}
			if p.Size() != want || p.Kind() != kind {
				t.Errorf("pack of %d bytes of %s, want %d bytes of %s", p.Size(), p.Kind(), want, kind)
			}
			for _, pr := range prefixes {
				fromStore, n, err := AppendRange(ctx, []byte("x"), c.s, kind, pr)
				if err != nil {
					t.Fatal(err)
				}
				fromPack, m, err := p.AppendRange([]byte("x"), pr)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(string(fromStore), string(fromPack)); diff != "" || n != m {
					t.Errorf("prefix %05X: pack renders %d lines, store %d (-store +pack):\n%s", pr, m, n, diff)
				}
			}
			if _, _, err := p.AppendRange(nil, NumPrefixes); err == nil {
				t.Error("prefix 16^5 accepted")
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := BuildPack(cctx, c.s, store.SHA1, t.TempDir()); err == nil {
			t.Error("cancelled build succeeded")
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		if _, err := BuildPack(ctx, c.s, store.SHA1, filepath.Join(t.TempDir(), "missing")); err == nil {
			t.Error("build into a missing directory succeeded")
		}
	})
}

// BenchmarkPackAppendRange renders one range of about 96 hashes from a
// pack (the page cache holds it).
func BenchmarkPackAppendRange(b *testing.B) {
	var raw []string
	for i := range 96 {
		raw = append(raw, fmt.Sprintf("5BAA6%035X", uint64(i)*0x9E3779B97F4A7C15))
	}
	c := newCorpus(b, nil, raw)
	p, err := BuildPack(context.Background(), c.s, store.SHA1, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _, err = p.AppendRange(buf[:0], 0x5BAA6)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}
