package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/pwned"
)

// compatDir holds the npm project of the compatibility test.
const compatDir = "../../test/hibpcompat"

// hibpFunctions are the functions of the npm hibp package (15.x) that talk
// to the endpoints leakwatch serves or refuses; the script must call each.
var hibpFunctions = []string{
	"breach", "breachedAccount", "breachedDomain", "breaches", "dataClasses", "latestBreach", "pasteAccount",
	"pwnedPassword", "pwnedPasswordRange", "search", "stealerLogsByEmail", "stealerLogsByEmailDomain",
	"stealerLogsByWebsiteDomain", "subscribedDomains", "subscriptionStatus",
}

// needNode finds node and the npm package pkg installed in the npm project
// dir, which test needs. Without them the test fails under CI and is
// skipped elsewhere.
func needNode(t *testing.T, dir, pkg, test string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json"))
	}
	if err != nil {
		skipOrFail(t, fmt.Sprintf("%s needs node (>= 20.19) and the npm package %s: run `npm ci --prefix %s` (%v)", test, pkg, strings.TrimPrefix(dir, "../../"), err))
	}
	return node
}

// skipOrFail fails the test under CI, where everything it needs is
// installed, and skips it elsewhere.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

type sdkOutcome struct {
	OK                json.RawMessage `json:"ok"`
	Error             string          `json:"error"`
	RateLimitError    bool            `json:"rateLimitError"`
	RetryAfterSeconds *int            `json:"retryAfterSeconds"`
}

// TestHIBPCompat runs the real npm hibp SDK against a server over a seeded
// pebblestore, then checks the range format byte for byte over the wire.
// Domain and stealer-log searches go with the key of an owner who verified
// example.com (see newOwners) and with a key without owner.
func TestHIBPCompat(t *testing.T) {
	node := needNode(t, compatDir, "hibp", "the hibp compatibility test")
	f := newFixture(t)
	addr, stop := serve(t, f.cfg, f.st, f.x)
	base := "http://" + addr

	cmd := exec.Command(node, "compat.mjs", base+"/api/v3", base, f.keys["main"], f.keys["slow"], strconv.Itoa(slowRPM), ntlmHex("password"), f.keys["owner"])
	cmd.Dir = compatDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node compat.mjs: %v\n%s", err, stderr.String())
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("script output is not JSON: %v\n%s", err, stdout)
	}
	var exported, called []string
	json.Unmarshal(out["exported"], &exported)
	json.Unmarshal(out["called"], &called)
	if diff := cmp.Diff(hibpFunctions, exported); diff != "" {
		t.Errorf("functions of the hibp package (-known +exported): the script or this list needs updating\n%s", diff)
	}
	if diff := cmp.Diff(exported, called); diff != "" {
		t.Errorf("hibp functions not called (-exported +called):\n%s", diff)
	}

	get := func(label string) sdkOutcome {
		t.Helper()
		raw, ok := out[label]
		if !ok {
			t.Fatalf("no outcome %q", label)
		}
		var o sdkOutcome
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	pw, nt := sha1Hex("password"), ntlmHex("password")
	breaches := func(names ...string) string { return mustJSON(t, mustBreaches(t, f, names...)) }
	one := func(name string) string { return mustJSON(t, mustBreaches(t, f, name)[0]) }
	forbidden := "Forbidden - access denied."
	renewal := `"NextSubscriptionRenewal":"2026-03-01T12:00:00"`
	for _, tc := range []struct {
		label string
		ok    string // the JSON result
		err   string // or the error message
	}{
		{"breachedAccount", `[{"Name":"Adobe"},{"Name":"Unverified"}]`, ""},
		{"breachedAccount full", breaches("Adobe", "Unverified"), ""},
		{"breachedAccount verified", `[{"Name":"Adobe"}]`, ""},
		{"breachedAccount domain", `[{"Name":"Adobe"}]`, ""},
		{"breachedAccount clean", `null`, ""},
		{"breachedAccount malformed", "", "Bad request — the account does not comply with an acceptable format."},
		{"breachedAccount no key", "", "Access denied due to missing hibp-api-key."},
		{"breachedAccount bad key", "", "Access denied due to invalid hibp-api-key."},
		{"breaches", breaches("Adobe", "Gone", "Latest", "Secret", "Spammy", "Stealer", "Unverified"), ""},
		{"breaches domain", breaches("Adobe"), ""},
		{"breach", one("Adobe"), ""},
		{"breach missing", `null`, ""},
		{"dataClasses", string(f.h.dataClasses), ""},
		{"latestBreach", one("Latest"), ""},
		{"pasteAccount", `null`, ""},
		{"search", `{"breaches":[{"Name":"Adobe"},{"Name":"Unverified"}],"pastes":null}`, ""},
		{"search username", `{"breaches":null,"pastes":null}`, ""},
		{"subscriptionStatus", `{"SubscriptionName":"leakwatch","Description":"Self-hosted leakwatch key \"main\": breach and email range searches, 1000 requests per minute; no domain or stealer-log search (the key has no owner).","SubscribedUntil":"9999-12-31T23:59:59","Rpm":1000,"DomainSearchMaxBreachedAccounts":0,"IncludesStealerLogs":false}`, ""},
		{"subscriptionStatus owner", `{"SubscriptionName":"leakwatch","Description":"Self-hosted leakwatch key \"owner\": breach and email range searches, domain and stealer-log searches of the addresses and domains its owner verified, 1000 requests per minute.","SubscribedUntil":"9999-12-31T23:59:59","Rpm":1000,"DomainSearchMaxBreachedAccounts":2147483647,"IncludesStealerLogs":true}`, ""},
		{"breachedAccount owner", `[{"Name":"Secret"}]`, ""},
		{"breachedAccount sensitive", `null`, ""},
		{"breachedDomain", mustJSON(t, exampleComBreaches), ""},
		{"breachedDomain empty", `null`, ""},
		{"breachedDomain no owner", "", forbidden},
		{"breachedDomain malformed", "", "Bad request — the account does not comply with an acceptable format."},
		{"subscribedDomains", `[{"DomainName":"empty.example","PwnCount":0,"PwnCountExcludingSpamLists":0,"PwnCountExcludingSpamListsAtLastSubscriptionRenewal":0,` + renewal + `},` +
			`{"DomainName":"example.com","PwnCount":7,"PwnCountExcludingSpamLists":7,"PwnCountExcludingSpamListsAtLastSubscriptionRenewal":7,` + renewal + `}]`, ""},
		{"subscribedDomains no owner", `[]`, ""},
		{"stealerLogsByEmail", `["netflix.com","spotify.com"]`, ""},
		{"stealerLogsByEmail clean", `null`, ""},
		{"stealerLogsByEmail not owned", "", forbidden},
		{"stealerLogsByEmail no owner", "", forbidden},
		{"stealerLogsByEmailDomain", `{"heidi":["netflix.com","spotify.com"],"ivan":["netflix.com"]}`, ""},
		{"stealerLogsByEmailDomain empty", `null`, ""},
		{"stealerLogsByEmailDomain no owner", "", forbidden},
		{"stealerLogsByWebsiteDomain", `["mallory@example.org","trent@example.net"]`, ""},
		{"stealerLogsByWebsiteDomain not owned", "", forbidden},
		{"stealerLogsByWebsiteDomain no key", "", "Access denied due to missing hibp-api-key."},
		{"pwnedPassword", `3`, ""},
		{"pwnedPassword padded", `3`, ""},
		{"pwnedPassword clean", `0`, ""},
		{"pwnedPasswordRange", `{"` + pw[5:] + `":3}`, ""},
		{"pwnedPasswordRange lower", `{"` + pw[5:] + `":3}`, ""},
		{"pwnedPasswordRange ntlm", `{"` + nt[5:] + `":3}`, ""},
		{"pwnedPasswordRange empty", `{}`, ""},
		{"pwnedPasswordRange bad", "", "The hash was not in a valid format"},
	} {
		t.Run(tc.label, func(t *testing.T) {
			o := get(tc.label)
			if o.Error != tc.err {
				t.Fatalf("error %q, want %q", o.Error, tc.err)
			}
			if tc.err != "" {
				return
			}
			if diff := cmp.Diff(canonJSON(t, tc.ok), canonJSON(t, string(o.OK))); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("rate limit", func(t *testing.T) {
		for i := range slowRPM {
			if o := get(fmt.Sprintf("breachedAccount slow %d", i)); o.Error != "" {
				t.Errorf("request %d: %s", i, o.Error)
			}
		}
		o := get(fmt.Sprintf("breachedAccount slow %d", slowRPM))
		if !o.RateLimitError || o.RetryAfterSeconds == nil || *o.RetryAfterSeconds != 60 || o.Error != "Rate limit is exceeded. Try again in 60 seconds." {
			t.Errorf("request over the limit: %+v", o)
		}
	})
	t.Run("padded range", func(t *testing.T) {
		var r struct {
			Lines, Zeros int
			Real         map[string]int
		}
		if err := json.Unmarshal(get("pwnedPasswordRange padded").OK, &r); err != nil {
			t.Fatal(err)
		}
		if r.Lines < pwned.MinPaddedLines || r.Zeros != r.Lines-1 || !cmp.Equal(r.Real, map[string]int{pw[5:]: 3}) {
			t.Errorf("padded range as hibp parsed it: %+v", r)
		}
	})

	// Byte-level checks of the range API over the same socket.
	client := &http.Client{}
	fetch := func(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for _, h := range hdr {
			k, v, _ := strings.Cut(h, ":")
			req.Header.Set(k, strings.TrimSpace(v))
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	t.Run("raw range", func(t *testing.T) {
		resp, b := fetch(t, "/range/"+strings.ToLower(pw[:5]))
		if resp.StatusCode != 200 || string(b) != pw[5:]+":3" || resp.Header.Get("Content-Type") != "text/plain" {
			t.Errorf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	})
	t.Run("raw padded range", func(t *testing.T) {
		resp, b := fetch(t, "/range/"+pw[:5], "Add-Padding: true")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if bytes.HasSuffix(b, []byte("\n")) || bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) || bytes.Count(b, []byte("\r")) != bytes.Count(b, []byte("\r\n")) {
			t.Error("line ends are not CRLF, or there is a trailing newline")
		}
		lines := strings.Split(string(b), "\r\n")
		if !slices.IsSorted(lines) || len(lines) < pwned.MinPaddedLines {
			t.Errorf("%d lines, sorted %v", len(lines), slices.IsSorted(lines))
		}
		upper := regexp.MustCompile(`^[0-9A-F]{35}:(0|[1-9][0-9]*)$`)
		zeros := 0
		for _, l := range lines {
			if !upper.MatchString(l) {
				t.Fatalf("line %q", l)
			}
			if strings.HasSuffix(l, ":0") {
				zeros++
			}
		}
		if zeros != len(lines)-1 {
			t.Errorf("%d padding lines of %d", zeros, len(lines))
		}
	})
	t.Run("raw bad prefix", func(t *testing.T) {
		for _, p := range []string{"XYZ12", "5BAA", "5BAA61"} {
			resp, b := fetch(t, "/range/"+p)
			if resp.StatusCode != 400 || string(b) != "The hash was not in a valid format" {
				t.Errorf("/range/%s: %d %q", p, resp.StatusCode, b)
			}
		}
	})
	t.Run("raw every prefix", func(t *testing.T) {
		// A spread over the wire (every prefix with LEAKWATCH_LONG_TESTS=1;
		// TestRangeEveryPrefix covers more in process).
		step := uint32(1021)
		if os.Getenv("LEAKWATCH_LONG_TESTS") != "" {
			step = 1
		}
		for p := uint32(0); p < pwned.NumPrefixes; p += step {
			resp, b := fetch(t, "/range/"+string(pwned.AppendPrefix(nil, p)))
			if resp.StatusCode != 200 {
				t.Fatalf("prefix %05X: status %d", p, resp.StatusCode)
			}
			checkRangeBody(t, string(b))
		}
	})
	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// canonJSON re-encodes JSON so that equal values compare equal.
func canonJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %q: %v", s, err)
	}
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}
