package api

import (
	"context"
	"errors"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
)

// failingStore fails every catalog and password read.
type failingStore struct{ store.Store }

var errDisk = errors.New("disk on fire")

func (failingStore) Breaches(context.Context) ([]catalog.Breach, error) { return nil, errDisk }
func (failingStore) Breach(context.Context, string) (catalog.Breach, error) {
	return catalog.Breach{}, errDisk
}
func (failingStore) AccountBreaches(context.Context, store.AccountKey) ([]catalog.Breach, error) {
	return nil, errDisk
}
func (failingStore) PasswordRange(context.Context, store.HashKind, uint32) iter.Seq2[store.PasswordHash, error] {
	return func(yield func(store.PasswordHash, error) bool) { yield(store.PasswordHash{}, errDisk) }
}

func TestInternalErrors(t *testing.T) {
	f := newFixture(t)
	h, err := NewHandler(ctx, f.cfg, failingStore{f.st}, exposure.New(failingStore{f.st}, f.kr))
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	for _, tc := range []struct{ target, ctype string }{
		{"/range/5BAA6", ctypeText},
		{"/api/v3/breaches", ctypeJSON},
		{"/api/v3/breachedaccount/alice@example.com", ctypeJSON},
		{"/healthz", ctypeText},
	} {
		t.Run(tc.target, func(t *testing.T) {
			resp := f.do("GET", tc.target, "hibp-api-key: "+f.keys["main"])
			body := readBody(t, resp)
			id := resp.Header.Get("X-Request-Id")
			if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != tc.ctype || !strings.Contains(body, "Request id "+id+".") {
				t.Errorf("status %d, %s, body %q; want 500 with request id %s", resp.StatusCode, resp.Header.Get("Content-Type"), body, id)
			}
			if strings.Contains(body, "fire") {
				t.Errorf("the cause reached the client: %q", body)
			}
			if !regexp.MustCompile(`level=ERROR msg="request failed" id=` + regexp.QuoteMeta(id) + ` route=\S+ err=".*disk on fire"`).MatchString(f.logs.String()) {
				t.Errorf("cause not logged under the request id; log:\n%s", f.logs.String())
			}
			if resp.Header.Get("Etag") != "" || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("error answer is cacheable: ETag %q, Cache-Control %q", resp.Header.Get("Etag"), resp.Header.Get("Cache-Control"))
			}
		})
	}
}

// TestNothingSensitiveLeaks sends accounts, prefixes and keys, good and
// bad, and then reads every log line and the metrics: none of them may
// appear, in any case.
func TestNothingSensitiveLeaks(t *testing.T) {
	f := newFixture(t)
	alicePrefix, aliceSuffix := emailHash("alice@example.com")
	pw := sha1Hex("password")
	badKey := "0123456789abcdef0123456789abcdef"
	secrets := []string{"alice", "example.com", "example.org", "zed@", "frank", "a@b", pw[:5], alicePrefix, aliceSuffix, "bogus", badKey, f.keys["main"], f.keys["slow"], "c0ffee",
		"heidi", "trent", "netflix", "empty.example", "localhost", f.keys["owner"]}
	keyHdr := "hibp-api-key: " + f.keys["main"]
	ownerHdr := "hibp-api-key: " + f.keys["owner"]
	requests := [][]string{
		{"/api/v3/breachedaccount/alice@example.com", keyHdr},
		{"/api/v3/breachedaccount/zed@example.com", keyHdr},
		{"/api/v3/breachedaccount/a@b", keyHdr},
		{"/api/v3/breachedaccount/frank@example.com?domain=example.org", keyHdr},
		{"/api/v3/breachedaccount/alice@example.com", "hibp-api-key: " + badKey},
		{"/api/v3/breachedaccount/alice@example.com", "hibp-api-key: bogus"},
		{"/api/v3/breachedaccount/range/" + alicePrefix, keyHdr},
		{"/api/v3/breachedaccount/range/c0ffee", keyHdr},
		{"/api/v3/pasteaccount/alice@example.com", keyHdr},
		{"/api/v3/breacheddomain/example.com", ownerHdr},
		{"/api/v3/breacheddomain/example.com", keyHdr},
		{"/api/v3/breacheddomain/localhost", ownerHdr},
		{"/api/v3/breacheddomain/empty.example", ownerHdr},
		{"/api/v3/subscribeddomains", ownerHdr},
		{"/api/v3/stealerlogsbyemail/heidi@example.com?includeNoise=true", ownerHdr},
		{"/api/v3/stealerlogsbyemail/trent@example.net", ownerHdr},
		{"/api/v3/stealerlogsbyemail/heidi", ownerHdr},
		{"/api/v3/stealerlogsbywebsitedomain/netflix.com", ownerHdr},
		{"/api/v3/stealerlogsbywebsitedomain/example.com", ownerHdr},
		{"/api/v3/stealerlogsbyemaildomain/example.com", ownerHdr},
		{"/range/" + pw[:5]},
		{"/range/" + strings.ToLower(pw[:5]), "Add-Padding: true"},
		{"/range/" + pw[:5] + "?mode=bogus"},
		{"/range/bogus"},
		{"/alice@example.com"},
	}
	for range slowRPM + 1 {
		requests = append(requests, []string{"/api/v3/breachedaccount/alice@example.com", "hibp-api-key: " + f.keys["slow"]})
	}
	for _, r := range requests {
		f.do("GET", r[0], r[1:]...)
	}
	metrics := readBody(t, f.do("GET", "/metrics"))
	logs := f.logs.String()
	for _, s := range secrets {
		for name, text := range map[string]string{"log": logs, "metrics": metrics} {
			if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
				t.Errorf("%s holds %q:\n%s", name, s, text)
			}
		}
	}
	if !strings.Contains(logs, `route=/api/v3/breachedaccount/{account}`) {
		t.Errorf("request log lacks route templates:\n%s", logs)
	}

	// The metrics are well-formed text exposition with only the labels
	// route, code, le and kind, and they count what was sent.
	line := regexp.MustCompile(`^[a-z_]+(\{(route|code|le|kind)="[^"]*"(,(route|code|le)="[^"]*")*\})? [0-9.e+-]+$`)
	values := map[string]float64{}
	for l := range strings.Lines(metrics) {
		l = strings.TrimSuffix(l, "\n")
		if strings.HasPrefix(l, "# HELP ") || strings.HasPrefix(l, "# TYPE ") {
			continue
		}
		if !line.MatchString(l) {
			t.Errorf("malformed metrics line %q", l)
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, _ := strconv.ParseFloat(l[i+1:], 64)
		values[l[:i]] = v
	}
	for series, want := range map[string]float64{
		`leakwatch_http_requests_total{route="/range/{prefix}",code="200"}`:                   2,
		`leakwatch_http_requests_total{route="/range/{prefix}",code="400"}`:                   2,
		`leakwatch_http_requests_total{route="/api/v3/breachedaccount/{account}",code="429"}`: 1,
		`leakwatch_http_requests_total{route="/api/v3/breachedaccount/{account}",code="401"}`: 2,
		`leakwatch_http_requests_total{route="other",code="404"}`:                             1,
		`leakwatch_http_request_duration_seconds_count{route="/range/{prefix}"}`:              4,
		`leakwatch_rate_limited_total`:                                                        1,
		`leakwatch_api_key_rejections_total`:                                                  2,
	} {
		if values[series] != want {
			t.Errorf("%s = %v, want %v", series, values[series], want)
		}
	}
	if values["process_resident_memory_bytes"] <= 0 || values["go_goroutines"] <= 0 {
		t.Error("process metrics missing")
	}
}
