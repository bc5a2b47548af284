package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	hibp "github.com/wneessen/go-hibp"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// toServer is the transport of the go-hibp clients: go-hibp has no base-URL
// option, so every request, whether for haveibeenpwned.com/api/v3 or
// api.pwnedpasswords.com, is sent to the test server instead. It records
// the hosts the client meant.
type toServer struct {
	addr string
	base http.RoundTripper

	mu    sync.Mutex
	hosts map[string]int
}

func (t *toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.hosts[r.URL.Host]++
	t.mu.Unlock()
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = "http", t.addr, ""
	return t.base.RoundTrip(r)
}

// goHIBPBreach is what go-hibp should decode from a breach of the store.
func goHIBPBreach(t *testing.T, b catalog.Breach) hibp.Breach {
	t.Helper()
	d, err := time.Parse(time.DateOnly, b.BreachDate)
	if err != nil {
		t.Fatal(err)
	}
	return hibp.Breach{
		Name: b.Name, Title: b.Title, Domain: b.Domain,
		BreachDate: &hibp.APIDate{Time: d}, AddedDate: b.AddedDate.Time, ModifiedDate: b.ModifiedDate.Time,
		PwnCount: int(b.PwnCount), Description: b.Description, DataClasses: b.DataClasses,
		IsVerified: b.IsVerified, IsFabricated: b.IsFabricated, IsSensitive: b.IsSensitive,
		IsRetired: b.IsRetired, IsSpamList: b.IsSpamList, LogoPath: b.LogoPath,
	}
}

// TestGoHIBPCompat runs github.com/wneessen/go-hibp, the Go client of the
// HIBP API, against a server over the seeded store: every function of the
// pinned version that calls an endpoint, with each of its options, and the
// results checked against the fixture.
func TestGoHIBPCompat(t *testing.T) {
	f := newFixture(t)
	addr, stop := serve(t, f.cfg, f.st, f.x)
	tr := &toServer{addr: addr, base: &http.Transport{}, hosts: map[string]int{}}
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	// A client per call: go-hibp keeps breach options and the hash mode
	// in the client after a call.
	client := func(opts ...hibp.Option) hibp.Client {
		return hibp.New(append([]hibp.Option{hibp.WithHTTPClient(hc), hibp.WithUserAgent("leakwatch-test go-hibp")}, opts...)...)
	}
	key := hibp.WithAPIKey(f.keys["main"])

	called := map[string]bool{}
	call := func(name string) { called[name] = true }
	// wantStatus checks that a call failed on the given answer.
	wantStatus := func(t *testing.T, hr *http.Response, err error, status int) {
		t.Helper()
		if !errors.Is(err, hibp.ErrNonPositiveResponse) || hr == nil || hr.StatusCode != status {
			code := 0
			if hr != nil {
				code = hr.StatusCode
			}
			t.Errorf("error %v, status %d; want %d", err, code, status)
		}
	}
	ignore := cmpopts.IgnoreUnexported(hibp.Breach{}, hibp.Match{}, hibp.SubscriptionStatus{})
	breaches := func(names ...string) []hibp.Breach {
		var out []hibp.Breach
		for _, b := range mustBreaches(t, f, names...) {
			out = append(out, goHIBPBreach(t, b))
		}
		return out
	}
	names := func(names ...string) []hibp.Breach {
		var out []hibp.Breach
		for _, n := range names {
			out = append(out, hibp.Breach{Name: n})
		}
		return out
	}
	checkBreaches := func(t *testing.T, want, got []hibp.Breach, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, ignore); diff != "" {
			t.Errorf("breaches (-want +got):\n%s", diff)
		}
		for _, b := range got {
			if !b.Present() {
				t.Errorf("breach %s not Present", b.Name)
			}
		}
	}

	t.Run("Breaches", func(t *testing.T) {
		call("Breaches")
		got, _, err := client().BreachAPI.Breaches()
		checkBreaches(t, breaches("Adobe", "Gone", "Latest", "Secret", "Spammy", "Stealer", "Unverified"), got, err)
		got, _, err = client().BreachAPI.Breaches(hibp.WithDomain("adobe.com"))
		checkBreaches(t, breaches("Adobe"), got, err)
	})
	t.Run("BreachByName", func(t *testing.T) {
		call("BreachByName")
		got, _, err := client().BreachAPI.BreachByName("adobe")
		checkBreaches(t, breaches("Adobe"), []hibp.Breach{got}, err)
		_, hr, err := client().BreachAPI.BreachByName("Nonexistent")
		wantStatus(t, hr, err, 404)
	})
	t.Run("LatestBreach", func(t *testing.T) {
		call("LatestBreach")
		got, _, err := client().BreachAPI.LatestBreach()
		checkBreaches(t, breaches("Latest"), []hibp.Breach{got}, err)
	})
	t.Run("DataClasses", func(t *testing.T) {
		call("DataClasses")
		got, _, err := client().BreachAPI.DataClasses()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		if err := json.Unmarshal(f.h.dataClasses, &want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" || len(got) == 0 {
			t.Errorf("data classes (-want +got):\n%s", diff)
		}
	})
	t.Run("BreachedAccount", func(t *testing.T) {
		call("BreachedAccount")
		for _, tc := range []struct {
			name    string
			account string
			opts    []hibp.BreachOption
			want    []hibp.Breach
		}{
			{"truncated", "alice@example.com", nil, names("Adobe", "Unverified")},
			{"full", "alice@example.com", []hibp.BreachOption{hibp.WithoutTruncate()}, breaches("Adobe", "Unverified")},
			{"verified only", "alice@example.com", []hibp.BreachOption{hibp.WithoutUnverified()}, names("Adobe")},
			{"domain", "alice@example.com", []hibp.BreachOption{hibp.WithDomain("adobe.com"), hibp.WithoutTruncate()}, breaches("Adobe")},
			{"case folded", "Carol@Example.org", nil, names("Adobe", "Spammy")},
			{"only retired", "frank@example.com", nil, nil},
			{"clean", "nobody@example.com", nil, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, _, err := client(key).BreachAPI.BreachedAccount(tc.account, tc.opts...)
				checkBreaches(t, tc.want, got, err)
			})
		}
		t.Run("malformed", func(t *testing.T) {
			_, hr, err := client(key).BreachAPI.BreachedAccount(" ")
			wantStatus(t, hr, err, 400)
		})
		t.Run("bad key", func(t *testing.T) {
			_, hr, err := client(hibp.WithAPIKey(strings.Repeat("0", 32))).BreachAPI.BreachedAccount("alice@example.com")
			wantStatus(t, hr, err, 401)
		})
		t.Run("rate limit", func(t *testing.T) {
			slow := client(hibp.WithAPIKey(f.keys["slow"]))
			for i := range slowRPM {
				if _, _, err := slow.BreachAPI.BreachedAccount("alice@example.com"); err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
			}
			_, hr, err := slow.BreachAPI.BreachedAccount("alice@example.com")
			wantStatus(t, hr, err, 429)
			// How go-hibp's WithRateLimitSleep reads the header (it would
			// then sleep for real, so the option is not used here).
			if d, err := time.ParseDuration(hr.Header.Get("Retry-After") + "s"); err != nil || d != time.Minute {
				t.Errorf("Retry-After %q: %v, %v", hr.Header.Get("Retry-After"), d, err)
			}
		})
	})
	t.Run("PastedAccount", func(t *testing.T) {
		call("PastedAccount")
		got, hr, err := client(key).PasteAPI.PastedAccount("alice@example.com")
		if err != nil || len(got) != 0 || hr == nil || hr.StatusCode != 404 {
			t.Errorf("pastes %v, %v", got, err)
		}
	})
	t.Run("Status", func(t *testing.T) {
		call("Status")
		got, _, err := client(key).SubscriptionAPI.Status()
		if err != nil {
			t.Fatal(err) // before the fix: unknown date format
		}
		want := hibp.SubscriptionStatus{
			SubscriptionName: "leakwatch",
			Description:      `Self-hosted leakwatch key "main": breach and email range searches, 1000 requests per minute; no domain or stealer-log search (the key has no owner).`,
			SubscribedUntil:  hibp.APIDate{Time: neverExpires},
			Rpm:              defaultRPM,
		}
		if diff := cmp.Diff(want, got, ignore, cmpopts.IgnoreFields(want, "DomainSearchMaxBreachedAccounts")); diff != "" || !got.Present() {
			t.Errorf("status (-want +got):\n%s", diff)
		}
		if n := got.DomainSearchMaxBreachedAccounts; n.IsNil() || n.Value() != 0 {
			t.Errorf("DomainSearchMaxBreachedAccounts nil %t, %d; want 0", n.IsNil(), n.Value())
		}
	})
	t.Run("domain search", func(t *testing.T) {
		ownerKey := hibp.WithAPIKey(f.keys["owner"])
		call("SubscribedDomains")
		subs, _, err := client(ownerKey).BreachAPI.SubscribedDomains()
		if err != nil {
			t.Fatal(err)
		}
		type sub struct {
			Name                    string
			Pwn, NotSpam, AtRenewal int
			Renewal                 time.Time
		}
		var got []sub
		for _, d := range subs {
			got = append(got, sub{d.DomainName, d.PwnCount.Value(), d.PwnCountExcludingSpamLists.Value(),
				d.PwnCountExcludingSpamListsAtLastSubscriptionRenewal.Value(), d.NextSubscriptionRenewal.Time})
		}
		renewal := ownerVerified.AddDate(1, 0, 0)
		if diff := cmp.Diff([]sub{{"empty.example", 0, 0, 0, renewal}, {"example.com", 7, 7, 7, renewal}}, got); diff != "" {
			t.Errorf("subscribed domains (-want +got):\n%s", diff)
		}
		if subs, _, err := client(key).BreachAPI.SubscribedDomains(); err != nil || len(subs) != 0 {
			t.Errorf("subscribed domains of a key without owner: %v, %v", subs, err)
		}
		call("BreachedDomain")
		aliases, _, err := client(ownerKey).BreachAPI.BreachedDomain("example.com")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(exampleComBreaches, aliases); diff != "" {
			t.Errorf("breached domain (-want +got):\n%s", diff)
		}
		if aliases, _, err := client(ownerKey).BreachAPI.BreachedDomain("empty.example"); err != nil || len(aliases) != 0 {
			t.Errorf("breached domain with nothing: %v, %v", aliases, err)
		}
		_, hr, err := client(key).BreachAPI.BreachedDomain("example.com")
		wantStatus(t, hr, err, 403)
		_, hr, err = client(hibp.WithAPIKey(f.keys["other"])).BreachAPI.BreachedDomain("example.com")
		wantStatus(t, hr, err, 403)
	})
	t.Run("Status of an owner's key", func(t *testing.T) {
		got, _, err := client(hibp.WithAPIKey(f.keys["owner"])).SubscriptionAPI.Status()
		if err != nil {
			t.Fatal(err)
		}
		if got.DomainSearchMaxBreachedAccounts.Value() != noDomainLimit {
			t.Errorf("status %+v: want no domain limit", got)
		}
	})

	pw, nt := strings.ToLower(sha1Hex("password")), strings.ToLower(ntlmHex("password"))
	hunter := strings.ToLower(sha1Hex("hunter2"))
	match := func(t *testing.T, want hibp.Match, got hibp.Match, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, ignore); diff != "" || got.Present() != (want.Hash != "") {
			t.Errorf("match (-want +got):\n%s\npresent %t", diff, got.Present())
		}
	}
	matches := func(t *testing.T, want []hibp.Match, got []hibp.Match, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, ignore); diff != "" {
			t.Errorf("matches (-want +got):\n%s", diff)
		}
	}
	t.Run("passwords SHA-1", func(t *testing.T) {
		call("CheckPassword")
		m, _, err := client().PwnedPassAPI.CheckPassword("password")
		match(t, hibp.Match{Hash: pw, Count: 3}, m, err)
		m, _, err = client().PwnedPassAPI.CheckPassword("correct horse battery staple leakwatch")
		match(t, hibp.Match{}, m, err)
		call("CheckSHA1")
		m, _, err = client().PwnedPassAPI.CheckSHA1(strings.ToUpper(hunter))
		match(t, hibp.Match{Hash: hunter, Count: 1}, m, err)
		call("ListHashesPassword")
		ms, _, err := client().PwnedPassAPI.ListHashesPassword("password")
		matches(t, []hibp.Match{{Hash: pw, Count: 3}}, ms, err)
		call("ListHashesSHA1")
		ms, _, err = client().PwnedPassAPI.ListHashesSHA1(pw)
		matches(t, []hibp.Match{{Hash: pw, Count: 3}}, ms, err)
		call("ListHashesPrefix")
		ms, _, err = client().PwnedPassAPI.ListHashesPrefix(pw[:5])
		matches(t, []hibp.Match{{Hash: pw, Count: 3}}, ms, err)
		ms, _, err = client().PwnedPassAPI.ListHashesPrefix("00000")
		matches(t, nil, ms, err)
		_, hr, err := client().PwnedPassAPI.ListHashesPrefix("XYZ12")
		wantStatus(t, hr, err, 400)
	})
	t.Run("passwords NTLM", func(t *testing.T) {
		ntlm := hibp.WithPwnedNTLMHash()
		m, _, err := client(ntlm).PwnedPassAPI.CheckPassword("password")
		match(t, hibp.Match{Hash: nt, Count: 3}, m, err)
		call("CheckNTLM")
		m, _, err = client().PwnedPassAPI.CheckNTLM(nt)
		match(t, hibp.Match{Hash: nt, Count: 3}, m, err)
		ms, _, err := client(ntlm).PwnedPassAPI.ListHashesPassword("password")
		matches(t, []hibp.Match{{Hash: nt, Count: 3}}, ms, err)
		call("ListHashesNTLM")
		ms, _, err = client().PwnedPassAPI.ListHashesNTLM(strings.ToUpper(nt))
		matches(t, []hibp.Match{{Hash: nt, Count: 3}}, ms, err)
		ms, _, err = client(ntlm).PwnedPassAPI.ListHashesPrefix(nt[:5])
		matches(t, []hibp.Match{{Hash: nt, Count: 3}}, ms, err)
	})
	t.Run("passwords padded", func(t *testing.T) {
		// go-hibp drops the count-0 lines; a weak ETag shows the answer
		// was padded.
		for _, opts := range [][]hibp.Option{{hibp.WithPwnedPadding()}, {hibp.WithPwnedPadding(), hibp.WithPwnedNTLMHash()}} {
			c := client(opts...)
			want := hibp.Match{Hash: pw, Count: 3}
			if c.PwnedPassAPIOpts.HashMode == hibp.HashModeNTLM {
				want.Hash = nt
			}
			m, hr, err := c.PwnedPassAPI.CheckPassword("password")
			match(t, want, m, err)
			if tag := hr.Header.Get("Etag"); !strings.HasPrefix(tag, "W/") {
				t.Errorf("ETag %q of a padded answer is not weak", tag)
			}
			ms, _, err := c.PwnedPassAPI.ListHashesPrefix(want.Hash[:5])
			matches(t, []hibp.Match{want}, ms, err)
		}
	})

	t.Run("every function called", func(t *testing.T) {
		c := client()
		var exported, got []string
		for _, api := range []any{c.BreachAPI, c.PasteAPI, c.PwnedPassAPI, c.SubscriptionAPI} {
			typ := reflect.TypeOf(api)
			for i := range typ.NumMethod() {
				exported = append(exported, typ.Method(i).Name)
			}
		}
		for name := range called {
			got = append(got, name)
		}
		slices.Sort(exported)
		slices.Sort(got)
		if diff := cmp.Diff(exported, got); diff != "" {
			t.Errorf("go-hibp methods not called (-exported +called):\n%s", diff)
		}
	})
	t.Run("both base URLs", func(t *testing.T) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		if tr.hosts["haveibeenpwned.com"] == 0 || tr.hosts["api.pwnedpasswords.com"] == 0 || len(tr.hosts) != 2 {
			t.Errorf("hosts asked for: %v", tr.hosts)
		}
	})
	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
}
