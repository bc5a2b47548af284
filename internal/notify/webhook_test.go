package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" // the Standard Webhooks example

// Known answers, checked independently with
//
//	printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(base64 -d <<<"$key" | xxd -p -c 200) -binary | base64
var signVectors = []struct {
	secret, id string
	ts         int64
	body, want string
}{
	{specSecret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, `{"test": 2432232314}`,
		"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
	{"whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "msg_2", 1700000000, `{"a":"é"}`,
		"v1,+5iNLhz1Vui1fJFONZJwn/8aVV141cG7h9VFOX/LLA8="},
}

func TestSignKnownAnswer(t *testing.T) {
	for _, v := range signVectors {
		key, err := ParseSecret(v.secret)
		if err != nil {
			t.Fatal(err)
		}
		if got := Sign(key, v.id, time.Unix(v.ts, 0), []byte(v.body)); got != v.want {
			t.Errorf("Sign(%s, %d, %s) = %s, want %s", v.id, v.ts, v.body, got, v.want)
		}
		h := http.Header{}
		h.Set(HeaderID, v.id)
		h.Set(HeaderTimestamp, fmt.Sprint(v.ts))
		h.Set(HeaderSignature, v.want)
		if err := Verify(v.secret, h, []byte(v.body), time.Unix(v.ts+10, 0), 0); err != nil {
			t.Errorf("Verify(%s) = %v", v.id, err)
		}
	}
}

func TestVerify(t *testing.T) {
	key, err := ParseSecret(specSecret)
	if err != nil {
		t.Fatal(err)
	}
	otherSecret, err := NewSecret(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1614265330, 0)
	body := []byte(`{"test": 2432232314}`)
	good := Sign(key, "msg_1", now, body)
	rawHeaders := func(id, ts, sig string) http.Header {
		h := http.Header{}
		for k, v := range map[string]string{HeaderID: id, HeaderTimestamp: ts, HeaderSignature: sig} {
			if v != "" {
				h.Set(k, v)
			}
		}
		return h
	}
	headers := func(id string, ts time.Time, sig string) http.Header {
		return rawHeaders(id, fmt.Sprint(ts.Unix()), sig)
	}
	tests := []struct {
		name      string
		secret    string
		h         http.Header
		body      []byte
		tolerance time.Duration
		want      error
	}{
		{"valid", specSecret, headers("msg_1", now, good), body, 0, nil},
		{"one of several", specSecret, headers("msg_1", now, "v1,AAAA v2,xyz "+good+" v1,notbase64!"), body, 0, nil},
		{"just inside tolerance", specSecret, headers("msg_1", now.Add(-5*time.Minute), Sign(key, "msg_1", now.Add(-5*time.Minute), body)), body, 0, nil},
		{"tampered body", specSecret, headers("msg_1", now, good), []byte(`{"test": 2432232315}`), 0, ErrSignature},
		{"other id", specSecret, headers("msg_2", now, good), body, 0, ErrSignature},
		{"wrong secret", otherSecret, headers("msg_1", now, good), body, 0, ErrSignature},
		{"unknown version only", specSecret, headers("msg_1", now, "v2"+strings.TrimPrefix(good, "v1")), body, 0, ErrSignature},
		{"old timestamp", specSecret, headers("msg_1", now.Add(-6*time.Minute), Sign(key, "msg_1", now.Add(-6*time.Minute), body)), body, 0, ErrTimestamp},
		{"future timestamp", specSecret, headers("msg_1", now.Add(6*time.Minute), Sign(key, "msg_1", now.Add(6*time.Minute), body)), body, 0, ErrTimestamp},
		{"old within a longer tolerance", specSecret, headers("msg_1", now.Add(-6*time.Minute), Sign(key, "msg_1", now.Add(-6*time.Minute), body)), body, 10 * time.Minute, nil},
		{"timestamp not an integer", specSecret, rawHeaders("msg_1", "1614265330.0", good), body, 0, ErrTimestamp},
		{"huge timestamp", specSecret, rawHeaders("msg_1", "9223372036854775807", good), body, 0, ErrTimestamp},
		{"missing signature", specSecret, rawHeaders("msg_1", "1614265330", ""), body, 0, ErrSignature},
		{"malformed secret", "whsec_short", headers("msg_1", now, good), body, 0, ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secret, tt.h, tt.body, now, tt.tolerance)
			if tt.want == nil && err != nil || !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewSecret(t *testing.T) {
	s, err := NewSecret(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; s != want {
		t.Errorf("NewSecret(zeros) = %s, want %s", s, want)
	}
	key, err := ParseSecret(s)
	if err != nil || len(key) != 32 {
		t.Errorf("ParseSecret(NewSecret()) = %x, %v", key, err)
	}
	if _, err := NewSecret(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Error("NewSecret with a short reader succeeded")
	}
}

func TestParseSecret(t *testing.T) {
	for _, s := range []string{
		"",
		"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",         // no prefix
		"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!",   // not base64
		"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",   // 22 bytes
		"whsec_" + strings.Repeat("AAAA", 22),      // 66 bytes
		"WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",   // prefix case
		"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", // trailing newline
	} {
		key, err := ParseSecret(s)
		if !errors.Is(err, ErrConfig) {
			t.Errorf("ParseSecret(%q) = %x, %v; want ErrConfig", s, key, err)
			continue
		}
		if len(s) > 10 && strings.Contains(err.Error(), s[6:]) {
			t.Errorf("ParseSecret's error %q quotes the secret", err)
		}
	}
}

// receiver is an httptest server that verifies what it receives, as a
// Standard Webhooks receiver does, and answers status.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	got  []http.Header
	body []byte
}

func startReceiver(t *testing.T, secret string, status int, header http.Header) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.got = append(r.got, req.Header.Clone())
		r.body = body
		r.mu.Unlock()
		if err := Verify(secret, req.Header, body, time.Now(), 0); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func TestWebhookSend(t *testing.T) {
	r := startReceiver(t, specSecret, http.StatusNoContent, nil)
	w := Webhook{URL: r.URL + "/hooks/tok3n", Secret: specSecret, Client: r.Client()}
	body := []byte(`{"type":"breach.added","breach":"Example"}`)
	ts := time.Now()
	if err := w.Send(context.Background(), "msg_42", ts, body); err != nil {
		t.Fatalf("Send: %v", err)
	}
	// A retry is the same message: same id, and the receiver can tell.
	if err := w.Send(context.Background(), "msg_42", ts, body); err != nil {
		t.Fatalf("Send again: %v", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.got) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(r.got))
	}
	h := r.got[0]
	want := map[string]string{
		"Webhook-Id":        "msg_42",
		"Webhook-Timestamp": fmt.Sprint(ts.Unix()),
		"Content-Type":      "application/json",
		"User-Agent":        UserAgent,
	}
	got := map[string]string{}
	for k := range want {
		got[k] = h.Get(k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(r.got[0], r.got[1]); diff != "" {
		t.Errorf("a retry's headers differ (-first +second):\n%s", diff)
	}
	if !bytes.Equal(r.body, body) {
		t.Errorf("receiver got body %q, want %q", r.body, body)
	}
}

func TestWebhookSendFails(t *testing.T) {
	date := "Tue, 01 Dec 2026 00:00:00 GMT"
	tests := []struct {
		name       string
		secret     string // the receiver's
		status     int
		header     http.Header
		permanent  bool
		retryAfter time.Duration
		hasRetry   bool
	}{
		{name: "500", status: 500, permanent: false},
		{name: "502", status: 502, permanent: false},
		{name: "400", status: 400, permanent: true},
		{name: "404", status: 404, permanent: true},
		{name: "408", status: 408, permanent: false},
		{name: "410", status: 410, permanent: true},
		{name: "redirect not followed", status: 308, header: http.Header{"Location": {"https://elsewhere.example/"}}, permanent: true},
		{name: "429 seconds", status: 429, header: http.Header{"Retry-After": {"120"}}, retryAfter: 2 * time.Minute, hasRetry: true},
		{name: "429 without Retry-After", status: 429},
		{name: "429 malformed Retry-After", status: 429, header: http.Header{"Retry-After": {"soon"}}},
		{name: "429 huge Retry-After", status: 429, header: http.Header{"Retry-After": {"99999999999999999"}}, retryAfter: 7 * 24 * time.Hour, hasRetry: true},
		{name: "503 date", status: 503, header: http.Header{"Date": {date}, "Retry-After": {"Tue, 01 Dec 2026 00:01:30 GMT"}}, retryAfter: 90 * time.Second, hasRetry: true},
		{name: "503 date in the past", status: 503, header: http.Header{"Date": {date}, "Retry-After": {"Mon, 30 Nov 2026 00:00:00 GMT"}}, retryAfter: 0, hasRetry: true},
		{name: "500 ignores Retry-After", status: 500, header: http.Header{"Retry-After": {"120"}}},
		{name: "wrong secret", secret: "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", status: 204, permanent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := specSecret
			if tt.secret != "" {
				secret = tt.secret
			}
			r := startReceiver(t, secret, tt.status, tt.header)
			w := Webhook{URL: r.URL + "/hooks/tok3n", Secret: specSecret, Client: r.Client()}
			err := w.Send(context.Background(), "msg_42", time.Now(), []byte(`{"owner":"owner@example.com"}`))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Send = %v, want an *Error", err)
			}
			want := tt.status
			if tt.secret != "" {
				want = http.StatusUnauthorized
			}
			if e.Code != want {
				t.Errorf("Send = %v, want status %d", err, want)
			}
			if got := IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			d, ok := RetryAfter(err)
			if d != tt.retryAfter || ok != tt.hasRetry {
				t.Errorf("RetryAfter(%v) = %v, %v; want %v, %v", err, d, ok, tt.retryAfter, tt.hasRetry)
			}
			t.Log(err)
			for _, secret := range []string{"tok3n", "owner", specSecret[6:]} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains %q", err, secret)
				}
			}
		})
	}
}

func TestWebhookSendRefuses(t *testing.T) {
	tests := []struct {
		name    string
		w       Webhook
		id      string
		ts      time.Time
		body    string
		wantErr error
	}{
		{"http to a remote host", Webhook{URL: "http://hooks.example.com/x", Secret: specSecret}, "msg_1", time.Now(), `{}`, ErrConfig},
		{"ftp", Webhook{URL: "ftp://127.0.0.1/x", Secret: specSecret}, "msg_1", time.Now(), `{}`, ErrConfig},
		{"no host", Webhook{URL: "/relative", Secret: specSecret}, "msg_1", time.Now(), `{}`, ErrConfig},
		{"bad secret", Webhook{URL: "https://hooks.example.com/x", Secret: "whsec_x"}, "msg_1", time.Now(), `{}`, ErrConfig},
		{"id with CRLF", Webhook{URL: "https://hooks.example.com/x", Secret: specSecret}, "msg_1\r\nX: y", time.Now(), `{}`, ErrInvalidMessage},
		{"empty id", Webhook{URL: "https://hooks.example.com/x", Secret: specSecret}, "", time.Now(), `{}`, ErrInvalidMessage},
		{"zero time", Webhook{URL: "https://hooks.example.com/x", Secret: specSecret}, "msg_1", time.Time{}, `{}`, ErrInvalidMessage},
		{"body not JSON", Webhook{URL: "https://hooks.example.com/x", Secret: specSecret}, "msg_1", time.Now(), `{`, ErrInvalidMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Send(context.Background(), tt.id, tt.ts, []byte(tt.body))
			if !errors.Is(err, tt.wantErr) || !IsPermanent(err) {
				t.Errorf("Send = %v, want a permanent %v", err, tt.wantErr)
			}
		})
	}
}

// TestWebhookSendLargeResponse: a receiver that answers 2xx with a large
// body does not make Send read it all.
func TestWebhookSendLargeResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte("x"), 1<<16)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			if err := req.Context().Err(); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	w := Webhook{URL: srv.URL, Secret: specSecret, Client: srv.Client()}
	done := make(chan error, 1)
	go func() { done <- w.Send(context.Background(), "msg_1", time.Now(), []byte(`{}`)) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Send is still reading an endless response")
	}
}

func TestWebhookSendNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/hooks/tok3n"
	srv.Close() // nothing listens any more
	err := Webhook{URL: url, Secret: specSecret, Client: &http.Client{}}.Send(context.Background(), "msg_1", time.Now(), []byte(`{}`))
	if err == nil || IsPermanent(err) {
		t.Fatalf("Send = %v, want a temporary error", err)
	}
	if strings.Contains(err.Error(), "tok3n") {
		t.Errorf("error %q quotes the URL's path", err)
	}
}

// TestWebhookSendRefusesNonPublic: without a Client of the caller's, Send
// does not connect to loopback or private addresses (a subscriber's URL
// must not reach our own network).
func TestWebhookSendRefusesNonPublic(t *testing.T) {
	r := startReceiver(t, specSecret, http.StatusNoContent, nil)
	err := Webhook{URL: r.URL, Secret: specSecret}.Send(context.Background(), "msg_1", time.Now(), []byte(`{}`))
	if !errors.Is(err, ErrConfig) || !IsPermanent(err) {
		t.Errorf("Send to %s = %v, want a permanent ErrConfig", r.URL, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.got) != 0 {
		t.Errorf("receiver got %d requests, want none", len(r.got))
	}
	for _, addr := range []string{"127.0.0.1:443", "[::1]:443", "10.1.2.3:443", "192.168.0.1:443", "172.16.0.1:443",
		"169.254.169.254:80", "100.64.0.1:443", "0.0.0.0:443", "[fd00::1]:443", "[fe80::1]:443", "[::ffff:127.0.0.1]:443", "224.0.0.1:443"} {
		if err := refuseNonPublic("tcp", addr, nil); !errors.Is(err, ErrConfig) {
			t.Errorf("refuseNonPublic(%s) = %v, want ErrConfig", addr, err)
		}
	}
	for _, addr := range []string{"93.184.215.14:443", "[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443", "8.8.8.8:443"} {
		if err := refuseNonPublic("tcp", addr, nil); err != nil {
			t.Errorf("refuseNonPublic(%s) = %v, want nil", addr, err)
		}
	}
}

func ExampleSign() {
	key, err := ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		panic(err)
	}
	fmt.Println(Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`)))
	// Output: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}

// FuzzVerify: Verify never panics on received headers, accepts what Sign
// made, and rejects it once the body changes.
func FuzzVerify(f *testing.F) {
	for _, v := range signVectors {
		f.Add(v.id, fmt.Sprint(v.ts), v.want, v.body)
	}
	f.Add("msg_1", "-1", "v1,=", "")
	f.Add("msg_1", "1614265330", "v1,AAAA v1 v1,, ,", "{}")
	key, err := ParseSecret(specSecret)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id, ts, sig, body string) {
		h := http.Header{}
		h.Set(HeaderID, id)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		now := time.Unix(1614265330, 0)
		Verify(specSecret, h, []byte(body), now, 0)
		if id == "" {
			return
		}
		h.Set(HeaderTimestamp, fmt.Sprint(now.Unix()))
		h.Set(HeaderSignature, sig+" "+Sign(key, id, now, []byte(body)))
		if err := Verify(specSecret, h, []byte(body), now, 0); err != nil {
			t.Fatalf("Verify of a signed message = %v", err)
		}
		if err := Verify(specSecret, h, []byte(body+"x"), now, 0); !errors.Is(err, ErrSignature) {
			t.Fatalf("Verify of a changed body = %v", err)
		}
	})
}
