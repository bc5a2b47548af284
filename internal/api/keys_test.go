package api

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func TestKeys(t *testing.T) {
	st, err := pebblestore.Open(t.TempDir(), pebblestore.Options{CacheSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	secret, err := CreateKey(ctx, st, "ops@example", 50, store.AccountKey{}, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(secret) {
		t.Errorf("secret %q is not 32 lower-case hex digits", secret)
	}
	stored, err := st.APIKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].Hash != sha256.Sum256([]byte(secret)) || stored[0].RPM != 50 {
		t.Fatalf("stored key %+v is not the SHA-256 of the secret with RPM 50", stored)
	}
	owner := store.AccountKey{0xb0}
	if other, err := CreateKey(ctx, st, "b", 0, owner, rand.Reader); err != nil || other == secret {
		t.Fatalf("second key: %q, %v", other, err)
	}
	for _, tc := range []struct {
		name string
		key  string
		rpm  int
		want error
	}{
		{"taken", "ops@example", 1, ErrKeyExists},
		{"empty name", "", 1, ErrBadKeyName},
		{"space", "a b", 1, ErrBadKeyName},
		{"long name", strings.Repeat("a", 65), 1, ErrBadKeyName},
		{"negative rpm", "c", -1, ErrBadRPM},
		{"huge rpm", "c", MaxRPM + 1, ErrBadRPM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := CreateKey(ctx, st, tc.key, tc.rpm, store.AccountKey{}, rand.Reader); !errors.Is(err, tc.want) {
				t.Errorf("CreateKey: %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := CreateKey(ctx, st, "c", 1, store.AccountKey{}, bytes.NewReader(nil)); err == nil {
		t.Error("CreateKey with an empty random source succeeded")
	}
	list, err := ListKeys(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var owners []store.AccountKey
	for _, k := range list {
		names, owners = append(names, k.Name), append(owners, k.Owner)
		if k.Created.IsZero() {
			t.Errorf("key %s has no creation time", k.Name)
		}
	}
	if diff := cmp.Diff([]string{"b", "ops@example"}, names); diff != "" {
		t.Errorf("ListKeys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]store.AccountKey{owner, {}}, owners); diff != "" {
		t.Errorf("ListKeys owners (-want +got):\n%s", diff)
	}
	if err := RevokeKey(ctx, st, "b"); err != nil {
		t.Fatal(err)
	}
	if err := RevokeKey(ctx, st, "b"); !errors.Is(err, ErrNoSuchKey) {
		t.Errorf("second RevokeKey: %v, want ErrNoSuchKey", err)
	}
	if list, _ := ListKeys(ctx, st); len(list) != 1 {
		t.Errorf("%d keys after revoking one of two", len(list))
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t)
	slow := "hibp-api-key: " + f.keys["slow"]
	get := func() (int, string, string) {
		resp := f.do("GET", "/api/v3/breachedaccount/alice@example.com", slow)
		return resp.StatusCode, resp.Header.Get("Retry-After"), readBody(t, resp)
	}
	for i := range slowRPM {
		if code, _, _ := get(); code != 200 {
			t.Fatalf("request %d of %d: status %d", i+1, slowRPM, code)
		}
		f.clock.Advance(10 * time.Second)
	}
	// The first request was 30 s ago: the next is admitted in 30 s.
	for _, tc := range []struct {
		advance time.Duration
		code    int
		retry   string
	}{
		{0, 429, "30"},
		{500 * time.Millisecond, 429, "30"}, // 29.5 s rounds up
		{29 * time.Second, 429, "1"},        // 0.5 s rounds up to 1
		{500 * time.Millisecond, 200, ""},   // the first request left the window
		{0, 429, "10"},                      // the second is 50 s old
		{10 * time.Second, 200, ""},
	} {
		f.clock.Advance(tc.advance)
		code, retry, body := get()
		if code != tc.code || retry != tc.retry {
			t.Fatalf("after %v: status %d, retry-after %q; want %d, %q", tc.advance, code, retry, tc.code, tc.retry)
		}
		if code == 429 {
			want := `{"statusCode":429,"message":"Rate limit is exceeded. Try again in ` + retry + ` seconds."}`
			if body != want {
				t.Errorf("429 body %q, want %q", body, want)
			}
		}
	}
	// Another key has its own limit; public endpoints have none.
	if resp := f.do("GET", "/api/v3/subscription/status", "hibp-api-key: "+f.keys["main"]); resp.StatusCode != 200 {
		t.Errorf("other key limited too: %d", resp.StatusCode)
	}
	for range 2 * slowRPM {
		if resp := f.do("GET", "/api/v3/breaches", slow); resp.StatusCode != 200 {
			t.Fatalf("public endpoint rate limited: %d", resp.StatusCode)
		}
	}
}

func TestKeyRefresh(t *testing.T) {
	f := newFixture(t)
	main := "hibp-api-key: " + f.keys["main"]
	if resp := f.do("GET", "/api/v3/subscription/status", main); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if err := RevokeKey(ctx, f.st, "main"); err != nil {
		t.Fatal(err)
	}
	secret, err := CreateKey(ctx, f.st, "new", 7, store.AccountKey{}, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// Until the refresh interval passes, the server's copy is used.
	if resp := f.do("GET", "/api/v3/subscription/status", main); resp.StatusCode != 200 {
		t.Errorf("revoked key refused before the refresh: %d", resp.StatusCode)
	}
	f.clock.Advance(11 * time.Second)
	if body := readBody(t, f.do("GET", "/api/v3/subscription/status", main)); body != "Access denied due to invalid hibp-api-key." {
		t.Errorf("revoked key after the refresh: %q", body)
	}
	if body := readBody(t, f.do("GET", "/api/v3/subscription/status", "hibp-api-key: "+secret)); !strings.Contains(body, `"Rpm":7`) {
		t.Errorf("new key after the refresh: %q", body)
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(2)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Duration
		ok   bool
		wait time.Duration
	}{
		{0, true, 0},
		{time.Second, true, 0},
		{2 * time.Second, false, 58 * time.Second},
		{60 * time.Second, true, 0},            // the request at 0 is a minute old
		{60 * time.Second, false, time.Second}, // the one at 1s is not
		{61 * time.Second, true, 0},
		{62 * time.Second, false, 58 * time.Second},
	}
	for _, s := range steps {
		ok, wait := l.allow(t0.Add(s.at))
		if ok != s.ok || wait != s.wait {
			t.Errorf("at %v: allow = %v, %v; want %v, %v", s.at, ok, wait, s.ok, s.wait)
		}
	}
}
