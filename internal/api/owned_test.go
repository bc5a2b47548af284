package api

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/exposure"
)

// exampleComBreaches is the breached-domain answer of example.com: frank,
// only in a retired breach, is not in it; grace's sensitive breach is.
var exampleComBreaches = map[string][]string{
	"alice": {"Adobe", "Secret", "Unverified"},
	"dave":  {"Latest"},
	"erin":  {"Unverified"},
	"grace": {"Secret"},
	"heidi": {"Stealer"},
	"ivan":  {"Stealer"},
	"zoe":   {"Stealer"},
}

// TestOwnerAPI checks the searches of verified owners (domain search,
// stealer logs, subscribed domains) and what an owner's key sees of the
// account searches, with the keys of the fixture: "owner" verified
// example.com and empty.example, "other" example.org, "grace" her
// address; "main" has no owner.
func TestOwnerAPI(t *testing.T) {
	f := newFixture(t)
	key := func(name string) []string { return []string{"hibp-api-key: " + f.keys[name]} }
	main, own, other, grace := key("main"), key("owner"), key("other"), key("grace")
	gracePrefix, graceSuffix := emailHash("grace@example.com")
	const (
		forbidDomain = "Forbidden: the domain must be verified by the owner of this API key."
		forbidEmail  = "Forbidden: the address, or its domain, must be verified by the owner of this API key."
		bad          = "bad" // a 400 JSON error
		missing      = "Access denied due to missing hibp-api-key."
	)
	renewal := `"NextSubscriptionRenewal":"2026-03-01T12:00:00"`
	for _, tc := range []struct {
		name   string
		target string
		hdr    []string
		status int
		body   string // exact; a 403 or 400 message is checked in its JSON error
	}{
		{"stealer by email", "/api/v3/stealerlogsbyemail/heidi@example.com", own, 200, `["netflix.com","spotify.com"]`},
		{"stealer by email case", "/api/v3/stealerlogsbyemail/Heidi@EXAMPLE.com", own, 200, `["netflix.com","spotify.com"]`},
		{"stealer by email noise", "/api/v3/stealerlogsbyemail/heidi@example.com?includeNoise=true", own, 200, `["example.com","netflix.com","spotify.com"]`},
		{"stealer by email no noise", "/api/v3/stealerlogsbyemail/heidi@example.com?includeNoise=false", own, 200, `["netflix.com","spotify.com"]`},
		{"stealer by email bad noise", "/api/v3/stealerlogsbyemail/heidi@example.com?includeNoise=maybe", own, 400, bad},
		{"stealer by email nothing", "/api/v3/stealerlogsbyemail/dave@example.com", own, 404, ""},
		{"stealer by email other domain", "/api/v3/stealerlogsbyemail/trent@example.net", own, 403, forbidEmail},
		{"stealer by email no owner", "/api/v3/stealerlogsbyemail/heidi@example.com", main, 403, forbidEmail},
		{"stealer by email other owner", "/api/v3/stealerlogsbyemail/heidi@example.com", other, 403, forbidEmail},
		{"stealer by email own address", "/api/v3/stealerlogsbyemail/grace@example.com", grace, 404, ""},
		{"stealer by email not own address", "/api/v3/stealerlogsbyemail/heidi@example.com", grace, 403, forbidEmail},
		{"stealer by email malformed", "/api/v3/stealerlogsbyemail/heidi", own, 400, bad},
		{"stealer by email no key", "/api/v3/stealerlogsbyemail/heidi@example.com", nil, 401, missing},

		{"stealer by website", "/api/v3/stealerlogsbywebsitedomain/example.com", own, 200, `["mallory@example.org","trent@example.net"]`},
		{"stealer by website case", "/api/v3/stealerlogsbywebsitedomain/EXAMPLE.com.", own, 200, `["mallory@example.org","trent@example.net"]`},
		{"stealer by website noise", "/api/v3/stealerlogsbywebsitedomain/example.com?includeNoise=true", own, 200, `["heidi@example.com","mallory@example.org","trent@example.net","zoe@example.com"]`},
		{"stealer by website not owned", "/api/v3/stealerlogsbywebsitedomain/netflix.com", own, 403, forbidDomain},
		{"stealer by website no owner", "/api/v3/stealerlogsbywebsitedomain/example.com", main, 403, forbidDomain},
		{"stealer by website nothing", "/api/v3/stealerlogsbywebsitedomain/empty.example", own, 404, ""},
		{"stealer by website one label", "/api/v3/stealerlogsbywebsitedomain/localhost", own, 400, bad},
		{"stealer by website email", "/api/v3/stealerlogsbywebsitedomain/a@example.com", own, 400, bad},
		{"stealer by website no key", "/api/v3/stealerlogsbywebsitedomain/example.com", nil, 401, missing},

		{"stealer by email domain", "/api/v3/stealerlogsbyemaildomain/example.com", own, 200, `{"heidi":["netflix.com","spotify.com"],"ivan":["netflix.com"]}`},
		{"stealer by email domain noise", "/api/v3/stealerlogsbyemaildomain/example.com?includeNoise=1", own, 200, `{"heidi":["example.com","netflix.com","spotify.com"],"ivan":["netflix.com"],"zoe":["example.com"]}`},
		{"stealer by email domain other owner", "/api/v3/stealerlogsbyemaildomain/example.com", other, 403, forbidDomain},
		{"stealer by email domain address owner", "/api/v3/stealerlogsbyemaildomain/example.com", grace, 403, forbidDomain},
		{"stealer by email domain no owner", "/api/v3/stealerlogsbyemaildomain/example.com", main, 403, forbidDomain},
		{"stealer by email domain nothing", "/api/v3/stealerlogsbyemaildomain/empty.example", own, 404, ""},
		{"stealer by email domain of another owner", "/api/v3/stealerlogsbyemaildomain/example.org", other, 200, `{"mallory":["example.com"]}`},
		{"stealer by email domain malformed", "/api/v3/stealerlogsbyemaildomain/%20", own, 400, bad},

		{"breached domain", "/api/v3/breacheddomain/example.com", own, 200, mustJSON(t, exampleComBreaches)},
		{"breached domain other", "/api/v3/breacheddomain/example.org", other, 200, `{"carol":["Adobe","Spammy"],"mallory":["Stealer"]}`},
		{"breached domain other owner", "/api/v3/breacheddomain/example.com", other, 403, forbidDomain},
		{"breached domain no owner", "/api/v3/breacheddomain/example.com", main, 403, forbidDomain},
		{"breached domain address owner", "/api/v3/breacheddomain/example.com", grace, 403, forbidDomain},
		{"breached domain nothing", "/api/v3/breacheddomain/empty.example", own, 404, ""},
		{"breached domain malformed", "/api/v3/breacheddomain/x", own, 400, bad},
		{"breached domain no key", "/api/v3/breacheddomain/example.com", nil, 401, missing},
		{"breached domain without domain", "/api/v3/breacheddomain", own, 404, ""},

		{"subscribed domains", "/api/v3/subscribeddomains", own, 200, `[{"DomainName":"empty.example","PwnCount":0,"PwnCountExcludingSpamLists":0,"PwnCountExcludingSpamListsAtLastSubscriptionRenewal":0,` + renewal + `},` +
			`{"DomainName":"example.com","PwnCount":7,"PwnCountExcludingSpamLists":7,"PwnCountExcludingSpamListsAtLastSubscriptionRenewal":7,` + renewal + `}]`},
		{"subscribed domains other", "/api/v3/subscribeddomains", other, 200, `[{"DomainName":"example.org","PwnCount":2,"PwnCountExcludingSpamLists":2,"PwnCountExcludingSpamListsAtLastSubscriptionRenewal":2,` + renewal + `}]`},
		{"subscribed domains address owner", "/api/v3/subscribeddomains", grace, 200, `[]`},
		{"subscribed domains no owner", "/api/v3/subscribeddomains", main, 200, `[]`},
		{"subscribed domains no key", "/api/v3/subscribeddomains", nil, 401, missing},

		// Sensitive breaches show to the verified owner of the address or
		// of its domain only.
		{"sensitive to no owner", "/api/v3/breachedaccount/grace@example.com", main, 404, ""},
		{"sensitive to the address owner", "/api/v3/breachedaccount/grace@example.com", grace, 200, `[{"Name":"Secret"}]`},
		{"sensitive to the domain owner", "/api/v3/breachedaccount/grace@example.com", own, 200, `[{"Name":"Secret"}]`},
		{"sensitive to another owner", "/api/v3/breachedaccount/grace@example.com", other, 404, ""},
		{"sensitive with others", "/api/v3/breachedaccount/alice@example.com", own, 200, `[{"Name":"Adobe"},{"Name":"Secret"},{"Name":"Unverified"}]`},
		{"sensitive with others to no owner", "/api/v3/breachedaccount/alice@example.com", main, 200, `[{"Name":"Adobe"},{"Name":"Unverified"}]`},
		{"sensitive in range", "/api/v3/breachedaccount/range/" + gracePrefix, own, 200, `[{"hashSuffix":"` + graceSuffix + `","websites":["Secret"]}]`},
		{"sensitive in range to no owner", "/api/v3/breachedaccount/range/" + gracePrefix, main, 404, ""},
		{"stealer breach", "/api/v3/breachedaccount/heidi@example.com", main, 200, `[{"Name":"Stealer"}]`},

		{"status of an owner's key", "/api/v3/subscription/status", own, 200, `{"SubscriptionName":"leakwatch","Description":"Self-hosted leakwatch key \"owner\": breach and email range searches, domain and stealer-log searches of the addresses and domains its owner verified, 1000 requests per minute.","SubscribedUntil":"9999-12-31T23:59:59","Rpm":1000,"DomainSearchMaxBreachedAccounts":2147483647,"IncludesStealerLogs":true}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do("GET", tc.target, tc.hdr...)
			body := readBody(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %q", resp.StatusCode, tc.status, body)
			}
			switch {
			case tc.status == 400 || tc.status == 403:
				var e struct {
					StatusCode int    `json:"statusCode"`
					Message    string `json:"message"`
				}
				if err := json.Unmarshal([]byte(body), &e); err != nil || resp.Header.Get("Content-Type") != ctypeJSON {
					t.Fatalf("error body %q (%s) is not JSON: %v", body, resp.Header.Get("Content-Type"), err)
				}
				id := resp.Header.Get("X-Request-Id")
				want := tc.body + " Request id " + id + "."
				if e.StatusCode != tc.status || (tc.body != bad && e.Message != want) || (tc.body == bad && !strings.HasPrefix(e.Message, "Bad request")) {
					t.Errorf("error %d %q, want %d %q", e.StatusCode, e.Message, tc.status, want)
				}
				param := tc.target[strings.LastIndexByte(tc.target, '/')+1:]
				param, _, _ = strings.Cut(param, "?")
				if strings.Contains(strings.ToLower(body), strings.ToLower(param)) {
					t.Errorf("error body %q echoes %q", body, param)
				}
			default:
				if diff := cmp.Diff(tc.body, body); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				ctype := ""
				if tc.status == 200 {
					ctype = ctypeJSON
				} else if tc.status == 401 {
					ctype = ctypeText
				}
				if got := resp.Header.Get("Content-Type"); got != ctype {
					t.Errorf("Content-Type %q, want %q", got, ctype)
				}
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Error("keyed endpoint answers CORS")
			}
			if tc.status == 200 && resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", resp.Header.Get("Cache-Control"))
			}
		})
	}
}

// TestOwnerWithoutOwners checks a server that knows no owners (Config.Owners
// nil): a key with an owner is a key of the public lookups.
func TestOwnerWithoutOwners(t *testing.T) {
	f := newFixture(t)
	cfg := f.cfg
	cfg.Owners = nil
	h, err := NewHandler(ctx, cfg, f.st, f.x)
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	own := "hibp-api-key: " + f.keys["owner"]
	for target, status := range map[string]int{
		"/api/v3/breacheddomain/example.com":              403,
		"/api/v3/stealerlogsbyemail/heidi@example.com":    403,
		"/api/v3/stealerlogsbywebsitedomain/example.com":  403,
		"/api/v3/stealerlogsbyemaildomain/example.com":    403,
		"/api/v3/breachedaccount/grace@example.com":       404,
		"/api/v3/stealerlogsbyemaildomain/not-a-domain@x": 400,
	} {
		if resp := f.do("GET", target, own); resp.StatusCode != status {
			t.Errorf("%s: status %d, want %d", target, resp.StatusCode, status)
		}
	}
	if body := readBody(t, f.do("GET", "/api/v3/subscribeddomains", own)); body != "[]" {
		t.Errorf("subscribed domains %q, want []", body)
	}
}

// TestOwnerKeyChange checks that what a key may search follows its owner
// at the next key refresh: the server keeps no audience of a key.
func TestOwnerKeyChange(t *testing.T) {
	f := newFixture(t)
	main := "hibp-api-key: " + f.keys["main"]
	target := "/api/v3/breacheddomain/example.com"
	if resp := f.do("GET", target, main); resp.StatusCode != 403 {
		t.Fatalf("before: status %d, want 403", resp.StatusCode)
	}
	ownerKey, _, err := f.owners.AccountKey(ownerEmail)
	if err != nil {
		t.Fatal(err)
	}
	setOwner := func(o [16]byte) {
		t.Helper()
		keys, err := f.st.APIKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.Name == "main" {
				k.Owner = o
				if err := f.st.PutAPIKey(ctx, k); err != nil {
					t.Fatal(err)
				}
			}
		}
		f.clock.Advance(11 * time.Second)
	}
	setOwner(ownerKey)
	if body := readBody(t, f.do("GET", target, main)); body != mustJSON(t, exampleComBreaches) {
		t.Errorf("after the owner was set: %q", body)
	}
	setOwner([16]byte{})
	if resp := f.do("GET", target, main); resp.StatusCode != 403 {
		t.Errorf("after the owner was removed: status %d, want 403", resp.StatusCode)
	}
}

// TestOwnerErrors checks that a failing store gives 500 answers whose
// cause is logged under the request id, without the address or domain
// asked about.
func TestOwnerErrors(t *testing.T) {
	f := newFixture(t)
	errStore := errors.New("index unreadable")
	broken := catalogStore{f.st, errStore}
	h, err := NewHandler(ctx, f.cfg, broken, exposure.New(broken, f.kr))
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	own := "hibp-api-key: " + f.keys["owner"]
	for _, target := range []string{
		"/api/v3/subscribeddomains",
		"/api/v3/breacheddomain/example.com",
		"/api/v3/stealerlogsbyemail/heidi@example.com",
		"/api/v3/stealerlogsbywebsitedomain/example.com",
		"/api/v3/stealerlogsbyemaildomain/example.com",
	} {
		resp := f.do("GET", target, own)
		body := readBody(t, resp)
		id := resp.Header.Get("X-Request-Id")
		if resp.StatusCode != 500 || !strings.Contains(body, "Request id "+id+".") || strings.Contains(body, errStore.Error()) {
			t.Errorf("%s: %d %q; want 500 with the request id alone", target, resp.StatusCode, body)
		}
		if !strings.Contains(f.logs.String(), "id="+id+" ") {
			t.Errorf("%s: cause not logged under the request id", target)
		}
	}
	logs := f.logs.String()
	if !strings.Contains(logs, errStore.Error()) {
		t.Error("the store's error was not logged")
	}
	for _, s := range []string{"example.com", "heidi"} {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q:\n%s", s, logs)
		}
	}
}
