package api

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// emailPrefix returns the first 6 hex digits of the SHA-1 of an email and
// the 34 after them, upper case.
func emailHash(email string) (string, string) {
	h := sha1.Sum([]byte(email))
	s := strings.ToUpper(hex.EncodeToString(h[:]))
	return s[:6], s[6:]
}

func TestBreachAPI(t *testing.T) {
	f := newFixture(t)
	key := "hibp-api-key: " + f.keys["main"]
	alicePrefix, aliceSuffix := emailHash("alice@example.com")
	type tc struct {
		name   string
		method string
		target string
		hdr    []string
		status int
		body   string // exact; "*" checks only that it is JSON {"statusCode":status,...}
		ctype  string
	}
	j := ctypeJSON
	tests := []tc{
		{"account truncated", "GET", "/api/v3/breachedaccount/alice@example.com", []string{key}, 200, `[{"Name":"Adobe"},{"Name":"Unverified"}]`, j},
		{"account case-insensitive", "GET", "/api/v3/breachedaccount/ALICE@Example.COM", []string{key}, 200, `[{"Name":"Adobe"},{"Name":"Unverified"}]`, j},
		{"account escaped", "GET", "/api/v3/breachedaccount/alice%40example.com?", []string{key}, 200, `[{"Name":"Adobe"},{"Name":"Unverified"}]`, j},
		{"account service case", "GET", "/api/v3/breachedAccount/alice@example.com", []string{key}, 200, `[{"Name":"Adobe"},{"Name":"Unverified"}]`, j},
		{"account verified only", "GET", "/api/v3/breachedaccount/alice@example.com?includeUnverified=false", []string{key}, 200, `[{"Name":"Adobe"}]`, j},
		{"account domain", "GET", "/api/v3/breachedaccount/alice@example.com?domain=ADOBE.com", []string{key}, 200, `[{"Name":"Adobe"}]`, j},
		{"account domain none", "GET", "/api/v3/breachedaccount/alice@example.com?domain=other.example", []string{key}, 404, "", ""},
		{"account full", "GET", "/api/v3/breachedaccount/alice@example.com?truncateResponse=false", []string{key}, 200, mustJSON(t, mustBreaches(t, f, "Adobe", "Unverified")), j},
		{"account spam list", "GET", "/api/v3/breachedaccount/carol@example.org", []string{key}, 200, `[{"Name":"Adobe"},{"Name":"Spammy"}]`, j},
		{"account only retired", "GET", "/api/v3/breachedaccount/frank@example.com", []string{key}, 404, "", ""},
		{"account only sensitive", "GET", "/api/v3/breachedaccount/grace@example.com", []string{key}, 404, "", ""},
		{"email range only sensitive", "GET", "/api/v3/breachedaccount/range/" + must6(emailHash("grace@example.com")), []string{key}, 404, "", ""},
		{"sensitive in the catalog", "GET", "/api/v3/breach/Secret", nil, 200, mustJSON(t, mustBreaches(t, f, "Secret")[0]), j},
		{"account not pwned", "GET", "/api/v3/breachedaccount/zed@example.com", []string{key}, 404, "", ""},
		{"account malformed", "GET", "/api/v3/breachedaccount/%20%09", []string{key}, 400, "*", j},
		{"account with a local mail domain", "GET", "/api/v3/breachedaccount/a@b", []string{key}, 404, "", ""},
		{"account bad bool", "GET", "/api/v3/breachedaccount/alice@example.com?truncateResponse=maybe", []string{key}, 400, "*", j},
		{"account too long", "GET", "/api/v3/breachedaccount/" + strings.Repeat("a", 600) + "@example.com", []string{key}, 400, "*", j},
		{"no key", "GET", "/api/v3/breachedaccount/alice@example.com", nil, 401, "Access denied due to missing hibp-api-key.", ctypeText},
		{"short key", "GET", "/api/v3/breachedaccount/alice@example.com", []string{"hibp-api-key: abc"}, 401, "Access denied due to improperly formed hibp-api-key.", ctypeText},
		{"non-hex key", "GET", "/api/v3/breachedaccount/alice@example.com", []string{"hibp-api-key: " + strings.Repeat("z", 32)}, 401, "Access denied due to improperly formed hibp-api-key.", ctypeText},
		{"unknown key", "GET", "/api/v3/breachedaccount/alice@example.com", []string{"hibp-api-key: " + strings.Repeat("0", 32)}, 401, "Access denied due to invalid hibp-api-key.", ctypeText},
		{"upper-case key", "GET", "/api/v3/breachedaccount/alice@example.com", []string{"HIBP-API-KEY: " + strings.ToUpper(f.keys["main"])}, 200, `[{"Name":"Adobe"},{"Name":"Unverified"}]`, j},
		{"no user agent", "GET", "/api/v3/breachedaccount/alice@example.com", []string{key, "User-Agent:"}, 403, "*", j},
		{"no user agent public", "GET", "/api/v3/breaches", []string{"User-Agent:"}, 403, "*", j},

		{"email range", "GET", "/api/v3/breachedaccount/range/" + alicePrefix, []string{key}, 200, `[{"hashSuffix":"` + aliceSuffix + `","websites":["Adobe","Unverified"]}]`, j},
		{"email range lower case", "GET", "/api/v3/breachedaccount/range/" + strings.ToLower(alicePrefix), []string{key}, 200, `[{"hashSuffix":"` + aliceSuffix + `","websites":["Adobe","Unverified"]}]`, j},
		{"email range only retired", "GET", "/api/v3/breachedaccount/range/" + must6(emailHash("frank@example.com")), []string{key}, 404, "", ""},
		{"email range empty", "GET", "/api/v3/breachedaccount/range/000000", []string{key}, 404, "", ""},
		{"email range bad", "GET", "/api/v3/breachedaccount/range/00000G", []string{key}, 400, "*", j},
		{"email range short", "GET", "/api/v3/breachedaccount/range/00000", []string{key}, 400, "*", j},
		{"email range no key", "GET", "/api/v3/breachedaccount/range/" + alicePrefix, nil, 401, "Access denied due to missing hibp-api-key.", ctypeText},

		{"breaches", "GET", "/api/v3/breaches", nil, 200, mustJSON(t, mustBreaches(t, f, "Adobe", "Gone", "Latest", "Secret", "Spammy", "Stealer", "Unverified")), j},
		{"breaches domain", "GET", "/api/v3/breaches?domain=adobe.com", nil, 200, mustJSON(t, mustBreaches(t, f, "Adobe")), j},
		{"breaches no domain match", "GET", "/api/v3/breaches?domain=nothing.example", nil, 200, `[]`, j},
		{"breaches spam", "GET", "/api/v3/breaches?isSpamList=true", nil, 200, mustJSON(t, mustBreaches(t, f, "Spammy")), j},
		{"breaches not spam", "GET", "/api/v3/breaches?isSpamList=false", nil, 200, mustJSON(t, mustBreaches(t, f, "Adobe", "Gone", "Latest", "Secret", "Stealer", "Unverified")), j},
		{"breaches bad spam", "GET", "/api/v3/breaches?isSpamList=perhaps", nil, 400, "*", j},
		{"breach", "GET", "/api/v3/breach/adobe", nil, 200, mustJSON(t, mustBreaches(t, f, "Adobe")[0]), j},
		{"breach missing", "GET", "/api/v3/breach/Nope", nil, 404, "", ""},
		{"breach bad name", "GET", "/api/v3/breach/%3Cscript%3E", nil, 404, "", ""},
		{"latest", "GET", "/api/v3/latestbreach", nil, 200, mustJSON(t, mustBreaches(t, f, "Latest")[0]), j},
		{"data classes", "GET", "/api/v3/dataclasses", nil, 200, `["Auth tokens","Bank account numbers","Browser cookies","Browser user agent details","Credit cards","Dates of birth","Device information","Email addresses","Employers","Genders","Geographic locations","Government issued IDs","IP addresses","Job titles","Names","Password hashes","Passwords","Phone numbers","Physical addresses","Security questions and answers","Software installed","Usernames","Website activity"]`, j},
		{"subscription", "GET", "/api/v3/subscription/status", []string{key}, 200, `{"SubscriptionName":"leakwatch","Description":"Self-hosted leakwatch key \"main\": breach and email range searches, 1000 requests per minute; no domain or stealer-log search (the key has no owner).","SubscribedUntil":"9999-12-31T23:59:59","Rpm":1000,"DomainSearchMaxBreachedAccounts":0,"IncludesStealerLogs":false}`, j},
		{"subscription no key", "GET", "/api/v3/subscription/status", nil, 401, "Access denied due to missing hibp-api-key.", ctypeText},
		{"paste account", "GET", "/api/v3/pasteaccount/alice@example.com", []string{key}, 404, "", ""},
		{"paste account not email", "GET", "/api/v3/pasteaccount/alice", []string{key}, 400, "*", j},
		{"paste account no key", "GET", "/api/v3/pasteaccount/alice@example.com", nil, 401, "Access denied due to missing hibp-api-key.", ctypeText},
		{"domain search without owner", "GET", "/api/v3/breacheddomain/example.com", []string{key}, 403, "*", j},
		{"stealer logs without owner", "GET", "/api/v3/stealerlogsbyemail/alice@example.com", []string{key}, 403, "*", j},
		{"subscribed domains without owner", "GET", "/api/v3/subscribeddomains", []string{key}, 200, "[]", j},
		{"unknown service", "GET", "/api/v3/nothing", nil, 404, "", ""},
		{"unknown path", "GET", "/nothing", nil, 404, "", ""},
		{"wrong version", "GET", "/api/v2/breaches", nil, 404, "", ""},
		{"post", "POST", "/api/v3/breaches", nil, 405, "*", j},
		{"delete keyed", "DELETE", "/api/v3/breachedaccount/alice@example.com", []string{key}, 405, "*", j},
		{"options keyed", "OPTIONS", "/api/v3/breachedaccount/alice@example.com", nil, 405, "*", j},
		{"health", "GET", "/healthz", nil, 200, "ok\n", ctypeText},
		{"head", "HEAD", "/api/v3/latestbreach", nil, 200, "", j},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do(tc.method, tc.target, tc.hdr...)
			body := readBody(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %q", resp.StatusCode, tc.status, body)
			}
			if got := resp.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if tc.body == "*" {
				var e struct {
					StatusCode int    `json:"statusCode"`
					Message    string `json:"message"`
				}
				if err := json.Unmarshal([]byte(body), &e); err != nil {
					t.Fatalf("error body %q is not JSON: %v", body, err)
				}
				id := resp.Header.Get("X-Request-Id")
				if e.StatusCode != tc.status || id == "" || !strings.Contains(e.Message, id) {
					t.Errorf("error body %q: want statusCode %d and request id %q", body, tc.status, id)
				}
			} else if diff := cmp.Diff(tc.body, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if resp.StatusCode == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Security-Policy") == "" {
				t.Error("security headers missing")
			}
			cors := resp.Header.Get("Access-Control-Allow-Origin")
			lower := strings.ToLower(tc.target)
			keyed := strings.Contains(lower, "breachedaccount") || strings.Contains(lower, "subscription") || strings.Contains(lower, "pasteaccount") ||
				strings.Contains(lower, "breacheddomain") || strings.Contains(lower, "subscribeddomains") || strings.Contains(lower, "stealer")
			if keyed && cors != "" {
				t.Errorf("keyed endpoint answers CORS %q", cors)
			}
			if !keyed && resp.StatusCode == 200 && strings.HasPrefix(tc.target, "/api/") && cors != "*" {
				t.Errorf("public endpoint answers CORS %q, want *", cors)
			}
		})
	}
}

func must6(prefix, _ string) string { return prefix }

func mustBreaches(t *testing.T, f *fixture, names ...string) []catalog.Breach {
	t.Helper()
	var out []catalog.Breach
	for _, n := range names {
		b, err := f.st.Breach(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func TestBodyLimit(t *testing.T) {
	f := newFixture(t)
	r := httptest.NewRequest("GET", "/range/5BAA6", strings.NewReader(strings.Repeat("x", 5000)))
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("GET with a 5000-byte body: status %d, want 413", w.Code)
	}
}

func TestCompressedJSON(t *testing.T) {
	f := newFixture(t)
	for _, enc := range []string{"gzip", "br"} {
		t.Run(enc, func(t *testing.T) {
			plain := readBody(t, f.do("GET", "/api/v3/breaches"))
			resp := f.do("GET", "/api/v3/breaches", "Accept-Encoding: "+enc)
			if got := resp.Header.Get("Content-Encoding"); got != enc {
				t.Fatalf("Content-Encoding %q, want %q", got, enc)
			}
			if diff := cmp.Diff(plain, decode(t, enc, resp)); diff != "" {
				t.Errorf("decoded body (-plain +decoded):\n%s", diff)
			}
		})
	}
}
