package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// seedBreach is one breach of the test data: its metadata and the lines of
// a combolist imported into it through the real ingest pipeline.
type seedBreach struct {
	meta  catalog.Breach
	lines []string
}

func day(s string) catalog.Timestamp {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return catalog.Timestamp{Time: t}
}

// seedData: alice is in Adobe (verified), Unverified and Gone (retired);
// carol in Adobe and a spam list; frank only in Gone; dave only in
// Latest, added last; grace only in Secret (sensitive), with alice. The
// password "password" is in three breaches.
var seedData = []seedBreach{
	{catalog.Breach{Name: "Adobe", Title: "Adobe", Domain: "adobe.com", BreachDate: "2013-10-04", AddedDate: day("2013-12-04"), ModifiedDate: day("2022-05-15"),
		Description: `In October 2013, 153 million Adobe accounts were breached. <a href="https://example.com/" target="_blank">More</a>`, LogoPath: "https://example.com/Adobe.png", IsVerified: true},
		[]string{"alice@example.com:password", "bob@example.net:hunter2", "Carol@Example.org:Summer2024!"}},
	{catalog.Breach{Name: "Unverified", Title: "Unverified", Domain: "unverified.example", BreachDate: "2019-03-01", AddedDate: day("2020-01-01"), ModifiedDate: day("2020-01-01")},
		[]string{"alice@example.com:qwerty123", "erin@example.com:qwerty123"}},
	{catalog.Breach{Name: "Spammy", Title: "Spammy", Domain: "spam.example", BreachDate: "2020-02-02", AddedDate: day("2021-01-01"), ModifiedDate: day("2021-01-01"), IsVerified: true, IsSpamList: true},
		[]string{"carol@example.org:password"}},
	{catalog.Breach{Name: "Gone", Title: "Gone", Domain: "gone.example", BreachDate: "2010-01-01", AddedDate: day("2022-01-01"), ModifiedDate: day("2022-01-01"), IsVerified: true, IsRetired: true},
		[]string{"alice@example.com:letmein", "frank@example.com:letmein"}},
	{catalog.Breach{Name: "Secret", Title: "Secret", Domain: "secret.example", BreachDate: "2015-07-01", AddedDate: day("2015-08-01"), ModifiedDate: day("2015-08-01"), IsVerified: true, IsSensitive: true},
		[]string{"alice@example.com:dating1", "grace@example.com:dating2"}},
	{catalog.Breach{Name: "Latest", Title: "Latest", Domain: "latest.example", BreachDate: "2024-05-01", AddedDate: day("2024-06-01"), ModifiedDate: day("2024-06-02"), IsVerified: true},
		[]string{"dave@example.com:password"}},
}

// fakeClock is a settable clock for rate limits.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a real pebblestore seeded through ingest, the real exposure
// service over it, API keys, and the handler.
type fixture struct {
	st    *pebblestore.Store
	kr    *keyring.Keyring
	x     *exposure.Service
	clock *fakeClock
	logs  *syncBuffer
	keys  map[string]string // name -> secret
	cfg   Config
	h     *Handler
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var ctx = context.Background()

// Test key rate limits: "slow" is limited to 3 requests a minute, "main"
// to the server default of 1000.
const (
	slowRPM    = 3
	defaultRPM = 1000
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := pebblestore.Open(filepath.Join(dir, "store"), pebblestore.Options{CacheSize: 16 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kr, err := keyring.Create(filepath.Join(dir, "keyring.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range seedData {
		p := filepath.Join(dir, b.meta.Name+".txt")
		if err := os.WriteFile(p, []byte(strings.Join(b.lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ingest.Import(ctx, st, kr, []string{p}, ingest.Options{Breach: b.meta, TempDir: dir, Workers: 1}); err != nil {
			t.Fatalf("importing seed breach %d: %v", i, err)
		}
	}
	f := &fixture{
		st:    st,
		kr:    kr,
		x:     exposure.New(st, kr),
		clock: &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)},
		logs:  &syncBuffer{},
		keys:  map[string]string{},
	}
	for _, k := range []struct {
		name string
		rpm  int
	}{{"main", 0}, {"slow", slowRPM}} {
		secret, err := CreateKey(ctx, st, k.name, k.rpm, store.AccountKey{}, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		f.keys[k.name] = secret
	}
	f.cfg = Config{
		DefaultRPM: defaultRPM,
		Logger:     slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:        f.clock.Now,
	}
	f.h, err = NewHandler(ctx, f.cfg, st, f.x)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// do sends a request through the handler. Headers are given as "Name:
// value" strings; a User-Agent is sent unless headers set one (even
// empty).
func (f *fixture) do(method, target string, headers ...string) *http.Response {
	r := httptest.NewRequest(method, target, nil)
	r.Header.Set("User-Agent", "leakwatch-test")
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		r.Header.Set(k, strings.TrimSpace(v))
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w.Result()
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
