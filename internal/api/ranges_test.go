package api

import (
	"compress/gzip"
	cryptorand "crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/pwhash"
	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func decode(t testing.TB, enc string, resp *http.Response) string {
	t.Helper()
	var r io.Reader
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(resp.Body)
	default:
		r = resp.Body
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	return string(b)
}

// denseStore is a store holding perPrefix random SHA-1 hashes in each of
// the given prefixes (counts 1 to 3), and a handler over it; it returns
// the expected range bodies, built independently of the renderer.
func denseStore(t testing.TB, perPrefix int, prefixes ...uint32) (*Handler, map[uint32]string) {
	t.Helper()
	st, err := pebblestore.Open(t.TempDir(), pebblestore.Options{CacheSize: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	imp, err := st.BeginImport(ctx, catalog.New("Dense", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[uint32]string{}
	f := &store.Facts{}
	for _, p := range prefixes {
		var lines []string
		for range perPrefix {
			var h [20]byte
			for i := range h {
				h[i] = byte(rng.Uint32())
			}
			h[0], h[1], h[2] = byte(p>>12), byte(p>>4), byte(p<<4)|h[2]&15
			n := 1 + rng.IntN(3)
			for range n {
				pw := store.Password{SHA1: h}
				binary.BigEndian.PutUint64(pw.Print[:], uint64(len(f.Passwords)))
				f.Passwords = append(f.Passwords, pw)
			}
			lines = append(lines, fmt.Sprintf("%X:%d", h[:], n)[5:])
		}
		slices.Sort(lines)
		want[p] = strings.Join(lines, "\r\n")
	}
	if err := imp.Add(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{{Name: "dense"}}}); err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(ctx, Config{Logger: slog.New(slog.DiscardHandler)}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h, want
}

func sha1Hex(p string) string {
	h := pwhash.SHA1([]byte(p))
	return fmt.Sprintf("%X", h[:])
}

func ntlmHex(p string) string {
	h := pwhash.NTLM([]byte(p))
	return fmt.Sprintf("%X", h[:])
}

func TestRange(t *testing.T) {
	f := newFixture(t)
	pw, hunter, ntlm := sha1Hex("password"), sha1Hex("hunter2"), ntlmHex("password")
	tests := []struct {
		name   string
		target string
		status int
		body   string
	}{
		{"sha1", "/range/" + pw[:5], 200, pw[5:] + ":3"},
		{"lower-case prefix", "/range/" + strings.ToLower(pw[:5]), 200, pw[5:] + ":3"},
		{"mode sha1", "/range/" + pw[:5] + "?mode=sha1", 200, pw[5:] + ":3"},
		{"mode SHA1", "/range/" + pw[:5] + "?mode=SHA1", 200, pw[5:] + ":3"},
		{"mode empty", "/range/" + pw[:5] + "?mode=", 200, pw[5:] + ":3"},
		{"other parameter", "/range/" + hunter[:5] + "?x=1&mode=sha1", 200, hunter[5:] + ":1"},
		{"ntlm", "/range/" + ntlm[:5] + "?mode=ntlm", 200, ntlm[5:] + ":3"},
		{"ntlm of a sha1 prefix", "/range/" + pw[:5] + "?mode=ntlm", 200, ""},
		{"empty range", "/range/00000", 200, ""},
		{"last range", "/range/FFFFF", 200, ""},
		{"short", "/range/5BAA", 400, "The hash was not in a valid format"},
		{"long", "/range/5BAA61", 400, "The hash was not in a valid format"},
		{"not hex", "/range/5BAAG", 400, "The hash was not in a valid format"},
		{"empty", "/range/", 400, "The hash was not in a valid format"},
		{"escaped", "/range/5BA%41", 400, "The hash was not in a valid format"},
		{"full hash", "/range/" + pw, 400, "The hash was not in a valid format"},
		{"unknown mode", "/range/" + pw[:5] + "?mode=md5", 400, "*"},
		{"nested", "/range/5BAA6/x", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do("GET", tc.target)
			body := readBody(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %q", resp.StatusCode, tc.status, body)
			}
			if tc.body == "*" {
				if !strings.Contains(body, resp.Header.Get("X-Request-Id")) {
					t.Errorf("error body %q lacks the request id", body)
				}
			} else if diff := cmp.Diff(tc.body, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); tc.status != 404 && got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q", got)
			}
			if tc.status != 200 {
				return
			}
			for k, want := range map[string]string{
				"Content-Type":   "text/plain",
				"Cache-Control":  "public, max-age=2678400",
				"Content-Length": strconv.Itoa(len(tc.body)),
				"Last-Modified":  f.clock.Now().Format(http.TimeFormat),
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if !regexp.MustCompile(`^"[sn][0-9a-z]+-[0-9a-z]+"$`).MatchString(resp.Header.Get("Etag")) {
				t.Errorf("ETag %q", resp.Header.Get("Etag"))
			}
		})
	}
}

func TestRangeConditional(t *testing.T) {
	f := newFixture(t)
	pw := sha1Hex("password")[:5]
	first := f.do("GET", "/range/"+pw)
	tag := first.Header.Get("Etag")
	other := f.do("GET", "/range/00000").Header.Get("Etag")
	ntlmTag := f.do("GET", "/range/"+pw+"?mode=ntlm").Header.Get("Etag")
	if tag == "" || tag == other || tag == ntlmTag {
		t.Fatalf("ETags not distinct: %q, %q, %q", tag, other, ntlmTag)
	}
	if again := f.do("GET", "/range/"+strings.ToLower(pw)).Header.Get("Etag"); again != tag {
		t.Errorf("ETag not stable: %q then %q", tag, again)
	}
	lm := first.Header.Get("Last-Modified")
	earlier := f.clock.Now().Add(-time.Hour).Format(http.TimeFormat)
	for _, tc := range []struct {
		name   string
		hdr    []string
		status int
	}{
		{"if-none-match", []string{"If-None-Match: " + tag}, 304},
		{"if-none-match weak", []string{"If-None-Match: W/" + tag}, 304},
		{"if-none-match list", []string{"If-None-Match: \"x\", " + tag}, 304},
		{"if-none-match star", []string{"If-None-Match: *"}, 304},
		{"if-none-match other", []string{"If-None-Match: " + other}, 200},
		{"if-none-match gzip variant", []string{"If-None-Match: " + tag, "Accept-Encoding: gzip", "Add-Padding: true"}, 200},
		{"if-modified-since same", []string{"If-Modified-Since: " + lm}, 304},
		{"if-modified-since earlier", []string{"If-Modified-Since: " + earlier}, 200},
		{"if-none-match wins", []string{"If-None-Match: " + other, "If-Modified-Since: " + lm}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do("GET", "/range/"+pw, tc.hdr...)
			body := readBody(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.status == 304 && (body != "" || resp.Header.Get("Etag") != tag || resp.Header.Get("Cache-Control") == "") {
				t.Errorf("304 with body %q, ETag %q, Cache-Control %q", body, resp.Header.Get("Etag"), resp.Header.Get("Cache-Control"))
			}
		})
	}
}

var paddedLine = regexp.MustCompile(`^[0-9A-F]{35}:[0-9]+$`)

func TestRangePadding(t *testing.T) {
	f := newFixture(t)
	pw := sha1Hex("password")
	for _, enc := range []string{"", "gzip", "br"} {
		t.Run("encoding="+enc, func(t *testing.T) {
			hdr := []string{"Add-Padding: true"}
			if enc != "" {
				hdr = append(hdr, "Accept-Encoding: "+enc)
			}
			resp := f.do("GET", "/range/"+pw[:5], hdr...)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Encoding"); got != enc {
				t.Errorf("Content-Encoding %q, want %q", got, enc)
			}
			if tag := resp.Header.Get("Etag"); !strings.HasPrefix(tag, "W/") {
				t.Errorf("padded answer has a strong ETag %q", tag)
			}
			body := decode(t, enc, resp)
			checkRangeBody(t, body)
			lines := strings.Split(body, "\r\n")
			if len(lines) < pwned.MinPaddedLines {
				t.Errorf("%d lines, want at least %d", len(lines), pwned.MinPaddedLines)
			}
			real := 0
			for _, l := range lines {
				if !strings.HasSuffix(l, ":0") {
					real++
					if l != pw[5:]+":3" {
						t.Errorf("unexpected real line %q", l)
					}
				}
			}
			if real != 1 {
				t.Errorf("%d real lines, want 1", real)
			}
		})
	}
	a := readBody(t, f.do("GET", "/range/00000", "Add-Padding: true"))
	b := readBody(t, f.do("GET", "/range/00000", "Add-Padding: TRUE"))
	if a == b {
		t.Error("two padded answers are identical")
	}
	if plain := readBody(t, f.do("GET", "/range/00000", "Add-Padding: false")); plain != "" {
		t.Errorf("Add-Padding: false padded the answer")
	}
}

// checkRangeBody checks the range format: CRLF between lines, no trailing
// newline, upper-case suffixes, sorted.
func checkRangeBody(t testing.TB, body string) {
	t.Helper()
	if body == "" {
		return
	}
	if strings.HasSuffix(body, "\n") || strings.HasSuffix(body, "\r") {
		t.Error("trailing newline")
	}
	lines := strings.Split(body, "\r\n")
	for _, l := range lines {
		if !paddedLine.MatchString(l) {
			t.Fatalf("malformed line %q", l)
		}
	}
	if !slices.IsSorted(lines) {
		t.Error("lines not sorted")
	}
}

func TestRangeCORSPreflight(t *testing.T) {
	f := newFixture(t)
	resp := f.do("OPTIONS", "/range/5BAA6", "Origin: https://example.com", "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: add-padding")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("preflight status %d", resp.StatusCode)
	}
	for k, want := range map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Headers": "Add-Padding",
		"Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

func TestRangeDense(t *testing.T) {
	prefixes := []uint32{0, 0x5BAA6, 0xFFFFF}
	h, want := denseStore(t, 300, prefixes...)
	t.Run("store", func(t *testing.T) { testDense(t, h, prefixes, want) })
	t.Run("no exposure service", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/api/v3/breachedaccount/alice@example.com", nil)
		r.Header.Set("User-Agent", "test")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		// No key exists in this store: the key check answers first.
		if w.Code != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", w.Code)
		}
		secret, err := CreateKey(ctx, h.st, "k", 0, store.AccountKey{}, cryptorand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.keys.load(ctx); err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Hibp-Api-Key", secret)
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("account search without an exposure service: status %d, want 503", w.Code)
		}
	})
	if raceEnabled {
		return // building a pack reads 16^5 ranges: minutes under the race detector
	}
	pack, err := pwned.BuildPack(ctx, h.st, store.SHA1, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer pack.Close()
	h.packs[store.SHA1].Store(pack)
	t.Run("pack", func(t *testing.T) { testDense(t, h, prefixes, want) })
}

func testDense(t *testing.T, h *Handler, prefixes []uint32, want map[uint32]string) {
	for _, p := range prefixes {
		for _, enc := range []string{"", "gzip", "br", "gzip;q=0.5, br;q=0.1", "br;q=0, gzip", "gzip;q=0.5, br", "gzip, deflate, br, zstd", "*", "identity", "gzip;q=0, br;q=0"} {
			name := fmt.Sprintf("prefix=%05X/enc=%s", p, enc)
			t.Run(name, func(t *testing.T) {
				r := httptest.NewRequest("GET", fmt.Sprintf("/range/%05x", p), nil)
				if enc != "" {
					r.Header.Set("Accept-Encoding", enc)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				resp := w.Result()
				got := resp.Header.Get("Content-Encoding")
				wantEnc := map[string]string{"": "", "gzip": "gzip", "br": "br", "gzip;q=0.5, br;q=0.1": "gzip", "br;q=0, gzip": "gzip",
					"gzip;q=0.5, br": "br", "gzip, deflate, br, zstd": "gzip", "gzip;q=0, br;q=0": "", "*": "gzip", "identity": ""}[enc]
				if got != wantEnc {
					t.Errorf("Content-Encoding %q, want %q", got, wantEnc)
				}
				body := decode(t, got, resp)
				if diff := cmp.Diff(want[p], body); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				checkRangeBody(t, body)
			})
		}
	}
}

// TestRangeEveryPrefix asks for a spread of prefixes (every one with
// LEAKWATCH_LONG_TESTS=1): each answers 200 with a well-formed body.
func TestRangeEveryPrefix(t *testing.T) {
	f := newFixture(t)
	step := uint32(97)
	if os.Getenv("LEAKWATCH_LONG_TESTS") != "" {
		step = 1
	}
	var buf []byte
	for p := uint32(0); p < pwned.NumPrefixes; p += step {
		buf = pwned.AppendPrefix(buf[:0], p)
		r := httptest.NewRequest("GET", "/range/"+string(buf), nil)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("prefix %05X: status %d", p, w.Code)
		}
		checkRangeBody(t, w.Body.String())
	}
}

// BenchmarkRangeHandler measures the /range handler in process (no
// network) over a store with the density of a 100M-hash corpus (about 96
// hashes per prefix), cycling over 256 prefixes that fit the block cache;
// source=pack serves them from a range pack instead of the store.
//
//	go test -run '^$' -bench RangeHandler -benchtime 3s ./internal/api
func BenchmarkRangeHandler(b *testing.B) {
	var prefixes []uint32
	for i := range 256 {
		prefixes = append(prefixes, uint32(i)*4093%pwned.NumPrefixes)
	}
	h, _ := denseStore(b, 96, prefixes...)
	pack, err := pwned.BuildPack(ctx, h.st, store.SHA1, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer pack.Close()
	for _, source := range []string{"store", "pack"} {
		if source == "pack" {
			h.packs[store.SHA1].Store(pack)
		}
		for _, bc := range []struct{ name, enc, pad string }{
			{"enc=identity", "", ""},
			{"enc=gzip", "gzip", ""},
			{"enc=br", "br", ""},
			{"enc=identity/padding=true", "", "true"},
		} {
			b.Run("source="+source+"/"+bc.name, func(b *testing.B) {
				reqs := make([]*http.Request, len(prefixes))
				for i, p := range prefixes {
					reqs[i] = httptest.NewRequest("GET", fmt.Sprintf("/range/%05X", p), nil)
					if bc.enc != "" {
						reqs[i].Header.Set("Accept-Encoding", bc.enc)
					}
					if bc.pad != "" {
						reqs[i].Header.Set("Add-Padding", bc.pad)
					}
				}
				w := &discardWriter{h: http.Header{}}
				b.ReportAllocs()
				i := 0
				start := time.Now()
				for b.Loop() {
					clear(w.h)
					w.n = 0
					h.ServeHTTP(w, reqs[i%len(reqs)])
					i++
				}
				b.ReportMetric(float64(i)/time.Since(start).Seconds(), "req/s")
				b.SetBytes(int64(w.n))
			})
		}
	}
	h.packs[store.SHA1].Store(nil)
}

// BenchmarkRangeHandlerParallel runs the handler on every core.
func BenchmarkRangeHandlerParallel(b *testing.B) {
	var prefixes []uint32
	for i := range 256 {
		prefixes = append(prefixes, uint32(i)*4093%pwned.NumPrefixes)
	}
	h, _ := denseStore(b, 96, prefixes...)
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		reqs := make([]*http.Request, len(prefixes))
		for i, p := range prefixes {
			reqs[i] = httptest.NewRequest("GET", fmt.Sprintf("/range/%05X", p), nil)
		}
		i := 0
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, reqs[i%len(reqs)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// discardWriter is a ResponseWriter that counts and drops the body.
type discardWriter struct {
	h    http.Header
	n    int
	code int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(c int)   { w.code = c }
func (w *discardWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	return len(b), nil
}
