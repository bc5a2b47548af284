package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/privateindex"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
	"github.com/leakwatch/leakwatch/internal/vault"
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

// stealerBreach is the stealer-log breach of the test data, and
// stealerSightings its sightings, "email website": heidi@example.com at
// two websites and at her own mail provider (noise); ivan@example.com at
// one; trent and mallory, at other domains, at example.com, where
// zoe@example.com was only seen at her own provider (noise). They are in
// no other breach. It is
// written through the store as the ingest worker writes facts (ingest
// does not read stealer logs yet): keys, tags and sealed blobs from the
// keyring, under a data key of the import.
var (
	stealerBreach = catalog.Breach{Name: "Stealer", Title: "Stealer", Domain: "", BreachDate: "2024-01-15", AddedDate: day("2024-02-01"), ModifiedDate: day("2024-02-01"),
		Description: "Stealer logs.", IsVerified: true, IsStealerLog: true}
	stealerSightings = []string{
		"heidi@example.com netflix.com", "heidi@example.com spotify.com", "heidi@example.com example.com",
		"ivan@example.com netflix.com",
		"trent@example.net example.com", "mallory@example.org example.com",
		"zoe@example.com example.com",
	}
)

// The owners of the test data, each with the key named after it: "owner"
// verified example.com (where alice, dave, erin, frank, grace and zoe
// are) and empty.example (nothing there) by a mailed code; "other"
// verified example.org; "grace" confirmed her address grace@example.com.
// The keys "main" and "slow" have no owner.
const (
	ownerEmail = "owner@example.com"
	otherEmail = "other@example.org"
	graceEmail = "grace@example.com"
)

// ownerVerified is when the owners verified, the fixture clock's start.
var ownerVerified = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// importStealer writes the stealer-log breach.
func importStealer(t testing.TB, st store.Store, kr *keyring.Keyring) {
	t.Helper()
	id, err := st.NextDataKeyID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := keyring.NewDataKey(id, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := kr.Wrap(dk)
	if err != nil {
		t.Fatal(err)
	}
	d, sealer := identity.New(kr), dk.NewSealer()
	var f store.Facts
	seen := map[string]bool{}
	for _, s := range stealerSightings {
		email, site, _ := strings.Cut(s, " ")
		norm, ok := account.Email([]byte(email))
		if !ok {
			t.Fatalf("%s is no email", email)
		}
		key, rng := d.Account(account.KindEmail, norm), d.EmailRangeOf(norm)
		if !seen[email] {
			seen[email] = true
			f.Accounts = append(f.Accounts, store.Account{Key: key, Email: true, Range: rng,
				Sealed: sealer.Seal(nil, norm, nil), Domain: d.EmailDomain(norm)})
		}
		f.Sightings = append(f.Sightings, store.Sighting{Account: key, Range: rng, Website: d.Domain([]byte(site)),
			Noise: site == string(account.Domain(norm)), Sealed: sealer.Seal(nil, []byte(site), nil)})
	}
	imp, err := st.BeginImport(ctx, stealerBreach)
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Abort()
	if err := imp.Add(ctx, &f); err != nil {
		t.Fatal(err)
	}
	classes := catalog.ClassSet(0).Add(catalog.ClassEmail).Add(catalog.ClassWebsite)
	if _, err := imp.Commit(ctx, store.Manifest{DataClasses: classes, DataKey: wrapped}); err != nil {
		t.Fatal(err)
	}
}

// newOwners verifies the domains and the address of the test owners
// through the real owner service, reading the mailed codes.
func newOwners(t testing.TB, st store.Store, kr *keyring.Keyring, now func() time.Time) *owner.Service {
	t.Helper()
	var mu sync.Mutex
	var last string
	mail := func(ctx context.Context, to, subject, text, messageID string) error {
		m := regexp.MustCompile(`Your code is ([0-9]+)\.`).FindStringSubmatch(text)
		if m == nil {
			return fmt.Errorf("no code in %q", text)
		}
		mu.Lock()
		last = m[1]
		mu.Unlock()
		return nil
	}
	code := func() string {
		mu.Lock()
		defer mu.Unlock()
		return last
	}
	o := owner.New(st, kr, owner.Config{Mail: mail, Now: now})
	for _, c := range []struct{ domain, by string }{
		{"example.com", ownerEmail}, {"empty.example", ownerEmail}, {"example.org", otherEmail},
	} {
		if _, err := o.AddDomain(ctx, c.domain, c.by, owner.MethodEmail, "security"); err != nil {
			t.Fatal(err)
		}
		if d, err := o.VerifyDomain(ctx, c.domain, code()); err != nil || !d.IsVerified() {
			t.Fatalf("verifying %s: %v", c.domain, err)
		}
	}
	if _, err := o.StartAddress(ctx, graceEmail); err != nil {
		t.Fatal(err)
	}
	if a, err := o.ConfirmAddress(ctx, graceEmail, code()); err != nil || !a.IsVerified() {
		t.Fatalf("confirming %s: %v", graceEmail, err)
	}
	return o
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

// fixture is a real pebblestore seeded through ingest (and the stealer
// logs as ingest would write them), the real exposure and owner services
// over it, API keys, and the handler.
type fixture struct {
	st     *pebblestore.Store
	kr     *keyring.Keyring
	x      *exposure.Service
	owners *owner.Service
	clock  *fakeClock
	logs   *syncBuffer
	keys   map[string]string // name -> secret
	cfg    Config
	h      *Handler
	// private is the private check's index of the seed breaches (2
	// bucket bits).
	private *privateindex.Index
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
	private := privateindex.New(st, vault.New(st, kr, nil), nil)
	if _, err := private.Enable(ctx, privateindex.EnableOptions{BucketBits: 2}); err != nil {
		t.Fatal(err)
	}
	for i, b := range seedData {
		p := filepath.Join(dir, b.meta.Name+".txt")
		if err := os.WriteFile(p, []byte(strings.Join(b.lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ingest.Import(ctx, st, kr, []string{p}, ingest.Options{Breach: b.meta, TempDir: dir, Workers: 1, Private: true}); err != nil {
			t.Fatalf("importing seed breach %d: %v", i, err)
		}
	}
	importStealer(t, st, kr)
	if _, err := private.Build(ctx, privateindex.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		private: private,
		st:      st,
		kr:      kr,
		x:       exposure.New(st, kr),
		clock:   &fakeClock{t: ownerVerified},
		logs:    &syncBuffer{},
		keys:    map[string]string{},
	}
	f.owners = newOwners(t, st, kr, f.clock.Now)
	for _, k := range []struct {
		name  string
		rpm   int
		owner string
	}{{"main", 0, ""}, {"slow", slowRPM, ""}, {"owner", 0, ownerEmail}, {"other", 0, otherEmail}, {"grace", 0, graceEmail}} {
		var ok store.AccountKey
		if k.owner != "" {
			if ok, _, err = f.owners.AccountKey(k.owner); err != nil {
				t.Fatal(err)
			}
		}
		secret, err := CreateKey(ctx, st, k.name, k.rpm, ok, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		f.keys[k.name] = secret
	}
	f.cfg = Config{
		Owners:     f.owners,
		Private:    private,
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
