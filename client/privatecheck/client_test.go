package privatecheck_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/client/privatecheck"
	"github.com/leakwatch/leakwatch/client/privatecheck/privatechecktest"
)

// newServer returns a test server holding leaks (login, password, ...)
// and its URL.
func newServer(t *testing.T, leaks ...string) (*privatechecktest.Server, string) {
	t.Helper()
	s, err := privatechecktest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(leaks); i += 2 {
		if err := s.Add(leaks[i], leaks[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s, serve(t, s)
}

func serve(t *testing.T, h http.Handler) string {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// noSecret fails the test if an error's text holds the password.
func noSecret(t *testing.T, err error, password string) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), password) {
		t.Errorf("error %q holds the password", err)
	}
}

func TestCheckResults(t *testing.T) {
	s, url := newServer(t, "jdoe@example.com", "Summer2023", "alice", "hunter2")
	c := &privatecheck.Client{BaseURL: url + "/"}
	fp := privatecheck.Fingerprint(s.PublicKey())
	for _, tc := range []struct {
		login, password string
		want            privatecheck.Result
		similarTo       string
	}{
		{"jdoe@example.com", "Summer2023", privatecheck.Leaked, ""},
		{" JDoe@Example.COM", "summer2023", privatecheck.Similar, "Summer2023"},
		{"jdoe@example.com", "winter", privatecheck.UsernameOnly, ""},
		{"alice", "hunter2", privatecheck.Leaked, ""},
		{"bob@example.com", "Summer2023", privatecheck.NotFound, ""},
	} {
		t.Run(tc.login+"/"+tc.want.String(), func(t *testing.T) {
			a, err := c.Check(context.Background(), tc.login, tc.password)
			if err != nil {
				t.Fatal(err)
			}
			want := privatecheck.Answer{Result: tc.want, Epoch: 1, KeyFingerprint: fp, SimilarTo: tc.similarTo}
			if diff := cmp.Diff(want, a); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
	if len(fp) != 32 {
		t.Errorf("fingerprint %q: want 32 hex digits", fp)
	}
}

func TestCheckCanary(t *testing.T) {
	s, url := newServer(t)
	c := &privatecheck.Client{BaseURL: url}
	if err := c.CheckCanary(context.Background()); err != nil {
		t.Errorf("CheckCanary: %v", err)
	}

	// A server whose params name a canary its index does not hold: as if
	// it sent wrong tag lists.
	lying := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != privatecheck.ParamsPath {
			s.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		doc := bytes.Replace(rec.Body.Bytes(), []byte(`"password":"`), []byte(`"password":"x`), 1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	})
	c = &privatecheck.Client{BaseURL: serve(t, lying)}
	if err := c.CheckCanary(context.Background()); !errors.Is(err, privatecheck.ErrCanary) {
		t.Errorf("CheckCanary of a lying server: %v, want ErrCanary", err)
	}
}

// TestRequest captures what the client sends: headers, and a 400-byte
// body whose bucket depends on the login only.
func TestRequest(t *testing.T) {
	s, _ := newServer(t)
	s.APIKey = "k3y"
	var mu sync.Mutex
	var bodies [][]byte
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == privatecheck.CheckPath {
			if got := r.Header.Get("Content-Type"); got != privatecheck.ContentType {
				t.Errorf("Content-Type %q", got)
			}
			if got := r.Header.Get("User-Agent"); got != "test-agent" {
				t.Errorf("User-Agent %q", got)
			}
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, b)
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		s.ServeHTTP(w, r)
	}))
	c := &privatecheck.Client{BaseURL: url, APIKey: "k3y", UserAgent: "test-agent"}
	checks := []struct{ login, password string }{
		{"jdoe@example.com", "Summer2023"},
		{"jdoe@example.com", "correct horse battery staple"},
		{"someone.else@example.org", "Summer2023"},
	}
	for _, ch := range checks {
		if _, err := c.Check(context.Background(), ch.login, ch.password); err != nil {
			t.Fatal(err)
		}
	}
	if len(bodies) != len(checks) {
		t.Fatalf("%d requests, want %d", len(bodies), len(checks))
	}
	bucket := func(b []byte) uint32 { return binary.BigEndian.Uint32(b[8:12]) }
	for i, b := range bodies {
		if len(b) != 400 {
			t.Errorf("request %d: %d bytes, want 400", i, len(b))
		}
		if bytes.Contains(b, []byte(checks[i].password)) {
			t.Errorf("request %d holds the password", i)
		}
	}
	if bucket(bodies[0]) != bucket(bodies[1]) {
		t.Errorf("one login, two passwords: buckets %d and %d", bucket(bodies[0]), bucket(bodies[1]))
	}
	// Fixed inputs: the two logins fall in different buckets of 8 bits.
	if bucket(bodies[0]) == bucket(bodies[2]) {
		t.Errorf("two logins share bucket %d", bucket(bodies[0]))
	}
	if bytes.Equal(bodies[0][16:], bodies[1][16:]) {
		t.Error("two requests have the same blinded elements")
	}

	// Without the key, the server's refusal comes back with its message.
	c = &privatecheck.Client{BaseURL: url, UserAgent: "test-agent"}
	_, err := c.Check(context.Background(), "jdoe@example.com", "Summer2023")
	var se *privatecheck.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusUnauthorized || !strings.Contains(err.Error(), "hibp-api-key") {
		t.Errorf("no API key: %v", err)
	}
	noSecret(t, err, "Summer2023")
}

// TestGone: a check of an epoch the server has dropped gets 410; the
// client fetches the params again and retries once.
func TestGone(t *testing.T) {
	s, _ := newServer(t, "jdoe@example.com", "Summer2023")
	var gone atomic.Int32
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code == http.StatusGone {
			gone.Add(1)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	c := &privatecheck.Client{BaseURL: url}
	if a, err := c.Check(context.Background(), "jdoe@example.com", "Summer2023"); err != nil || a.Epoch != 1 {
		t.Fatalf("before rotation: %+v, %v", a, err)
	}
	if err := s.Rotate(); err != nil {
		t.Fatal(err)
	}
	a, err := c.Check(context.Background(), "jdoe@example.com", "Summer2023")
	if err != nil || a.Epoch != 2 || a.Result != privatecheck.Leaked || a.KeyFingerprint != privatecheck.Fingerprint(s.PublicKey()) {
		t.Fatalf("after rotation: %+v, %v", a, err)
	}
	if gone.Load() != 1 {
		t.Errorf("%d answers 410, want 1", gone.Load())
	}

	// A server that answers 410 and still publishes the epoch: one retry,
	// then an error.
	var checks atomic.Int32
	url = serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == privatecheck.CheckPath {
			checks.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusGone)
			w.Write([]byte(`{"error":"bad request"}`))
			return
		}
		s.ServeHTTP(w, r)
	}))
	c = &privatecheck.Client{BaseURL: url}
	_, err = c.Check(context.Background(), "jdoe@example.com", "Summer2023")
	if err == nil || !strings.Contains(err.Error(), "gone") || checks.Load() != 1 {
		t.Errorf("stuck epoch: %v after %d checks", err, checks.Load())
	}
}

// TestKeys: a key other than the pinned one is refused, and an answer
// computed under a key other than the published one fails its proof.
func TestKeys(t *testing.T) {
	s, url := newServer(t, "jdoe@example.com", "Summer2023")
	other, _ := newServer(t, "jdoe@example.com", "Summer2023") // also epoch 1

	c := &privatecheck.Client{BaseURL: url, PinnedKeys: map[uint32][]byte{1: other.PublicKey()}}
	_, err := c.Check(context.Background(), "jdoe@example.com", "Summer2023")
	if !errors.Is(err, privatecheck.ErrKeyMismatch) {
		t.Errorf("pinned another key: %v, want ErrKeyMismatch", err)
	}
	noSecret(t, err, "Summer2023")
	c = &privatecheck.Client{BaseURL: url, PinnedKeys: map[uint32][]byte{1: s.PublicKey()}}
	if _, err := c.Check(context.Background(), "jdoe@example.com", "Summer2023"); err != nil {
		t.Errorf("pinned the right key: %v", err)
	}

	// Pinned on first use: the same epoch under another key later is
	// refused.
	var which atomic.Pointer[privatechecktest.Server]
	which.Store(s)
	switching := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { which.Load().ServeHTTP(w, r) }))
	c = &privatecheck.Client{BaseURL: switching}
	if _, err := c.Params(context.Background()); err != nil {
		t.Fatal(err)
	}
	which.Store(other)
	if _, err := c.Params(context.Background()); !errors.Is(err, privatecheck.ErrKeyMismatch) {
		t.Errorf("a new key for a seen epoch: %v, want ErrKeyMismatch", err)
	}

	// Params from one server, answers from another: the proof fails.
	mixed := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == privatecheck.CheckPath {
			other.ServeHTTP(w, r)
			return
		}
		s.ServeHTTP(w, r)
	}))
	c = &privatecheck.Client{BaseURL: mixed}
	_, err = c.Check(context.Background(), "jdoe@example.com", "Summer2023")
	if !errors.Is(err, privatecheck.ErrProof) {
		t.Errorf("answer under another key: %v, want ErrProof", err)
	}
	noSecret(t, err, "Summer2023")
}

// TestBadAnswers: answers that are not the protocol's are errors that
// hold neither the password nor the answer.
func TestBadAnswers(t *testing.T) {
	s, _ := newServer(t, "jdoe@example.com", "Summer2023")
	for _, tc := range []struct {
		name   string
		status int
		ctype  string
		body   []byte
		want   string
	}{
		{"garbage", 200, privatecheck.ContentType, bytes.Repeat([]byte{0xa5}, 600), "malformed"},
		{"oversized", 200, privatecheck.ContentType, make([]byte, 2<<20), "larger than"},
		{"empty", 200, privatecheck.ContentType, nil, "malformed"},
		{"html", 200, "text/html", []byte("<html>"), "content type"},
		{"rate limited", 429, "application/json", []byte(`{"statusCode":429,"message":"Rate limit is exceeded. Try again in 3 seconds."}`), "429 Too Many Requests: Rate limit is exceeded"},
		{"bad request", 400, "application/json", []byte(`{"error":"bad request"}`), "400 Bad Request: bad request"},
		{"terminal escapes", 500, "text/plain", []byte("oops\x1b[31m\nred"), "500 Internal Server Error: oops[31m red"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == privatecheck.CheckPath {
					w.Header().Set("Content-Type", tc.ctype)
					w.WriteHeader(tc.status)
					w.Write(tc.body)
					return
				}
				s.ServeHTTP(w, r)
			}))
			c := &privatecheck.Client{BaseURL: url}
			_, err := c.Check(context.Background(), "jdoe@example.com", "Summer2023")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			noSecret(t, err, "Summer2023")
		})
	}
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{"", "leaks.example", "ftp://leaks.example", "https://leaks.example/?q=1"} {
		c := &privatecheck.Client{BaseURL: u}
		if _, err := c.Params(context.Background()); err == nil || !strings.Contains(err.Error(), "server URL") {
			t.Errorf("BaseURL %q: %v", u, err)
		}
	}
}

func TestContextCancel(t *testing.T) {
	block := make(chan struct{})
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer close(block)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &privatecheck.Client{BaseURL: url}
	if _, err := c.Check(ctx, "jdoe@example.com", "Summer2023"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestConcurrent runs checks from several goroutines on one Client, for
// the race detector.
func TestConcurrent(t *testing.T) {
	_, url := newServer(t, "jdoe@example.com", "Summer2023")
	c := &privatecheck.Client{BaseURL: url}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			a, err := c.Check(context.Background(), "jdoe@example.com", "Summer2023")
			if err != nil || a.Result != privatecheck.Leaked {
				t.Errorf("%+v, %v", a, err)
			}
		})
	}
	wg.Wait()
}
