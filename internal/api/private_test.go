package api

import (
	"bytes"
	"crypto/rand"
	"time"

	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/oprf"
	"github.com/leakwatch/leakwatch/internal/store"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
)

// privateRequest builds a check request for the current epoch of the
// fixture's private index.
func (f *fixture) privateRequest(t testing.TB, login, password string) ([]byte, *privatecheck.State) {
	t.Helper()
	doc, err := f.private.Params(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Epochs []struct {
			Epoch     uint32
			State     string
			PublicKey string `json:"public_key"`
			Bits      uint8  `json:"bucket_bits"`
		}
	}
	if err := json.Unmarshal(doc, &p); err != nil {
		t.Fatal(err)
	}
	e := p.Epochs[0]
	pub, err := base64.RawURLEncoding.DecodeString(e.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := privatecheck.NewClient(privatecheck.Params{Epoch: e.Epoch, BucketBits: e.Bits}, pub)
	if err != nil {
		t.Fatal(err)
	}
	req, st, err := c.Request(login, password)
	if err != nil {
		t.Fatal(err)
	}
	return req, st
}

func (f *fixture) postPrivate(t *testing.T, body []byte, ctype string) (int, []byte) {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/private/v1/check", bytes.NewReader(body))
	r.Header.Set("hibp-api-key", f.keys["main"])
	r.Header.Set("Content-Type", ctype)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Code, b
}

// TestPrivateCheck runs the private check through the HTTP API over the
// seed breaches, whose pairs the import spooled and the build indexed.
func TestPrivateCheck(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		login, password string
		want            privatecheck.Result
	}{
		{"alice@example.com", "password", privatecheck.Leaked},
		{"ALICE@example.com", "qwerty123", privatecheck.Leaked},
		{"alice@example.com", "Password", privatecheck.Similar},
		{"carol@example.org", "Summer2024", privatecheck.Similar}, // leaked "Summer2024!"
		{"bob@example.net", "correct horse battery", privatecheck.UsernameOnly},
		{"nobody@example.com", "password", privatecheck.NotFound},
	} {
		for _, asJSON := range []bool{false, true} {
			req, st := f.privateRequest(t, tc.login, tc.password)
			body, ctype := req, ctypePrivate
			if asJSON {
				var err error
				if body, err = privatecheck.RequestToJSON(req); err != nil {
					t.Fatal(err)
				}
				ctype = "application/json"
			}
			code, resp := f.postPrivate(t, body, ctype)
			if code != 200 {
				t.Fatalf("%s: %d %s", tc.login, code, resp)
			}
			if asJSON {
				var err error
				if resp, err = privatecheck.ResponseFromJSON(resp); err != nil {
					t.Fatal(err)
				}
			}
			got, err := st.Answer(resp)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s (json %t): %v, want %v", tc.login, asJSON, got, tc.want)
			}
		}
	}
}

// TestPrivateCheckBadRequests: whatever is wrong with a request, the
// answer is the same fixed body and carries no bucket data.
func TestPrivateCheckBadRequests(t *testing.T) {
	f := newFixture(t)
	req, _ := f.privateRequest(t, "alice@example.com", "password")
	identity := bytes.Clone(req)
	clear(identity[16:48]) // the all-zero encoding of the identity element
	badBucket := bytes.Clone(req)
	binary.BigEndian.PutUint32(badBucket[8:], 4) // 2 bucket bits: at most 3
	badBits := bytes.Clone(req)
	badBits[12]++
	badN := bytes.Clone(req)
	badN[13]--
	notPoint := bytes.Clone(req)
	for i := 16; i < 48; i++ {
		notPoint[i] = 0xff
	}
	for name, body := range map[string][]byte{
		"empty": nil, "short": req[:399], "long": append(bytes.Clone(req), 0), "magic": append([]byte("LWq2"), req[4:]...),
		"identity": identity, "bucket": badBucket, "bits": badBits, "n": badN, "not a point": notPoint,
	} {
		code, resp := f.postPrivate(t, body, ctypePrivate)
		if code != http.StatusBadRequest || string(resp) != `{"error":"bad request"}` {
			t.Errorf("%s: %d %q", name, code, resp)
		}
	}
	for name, body := range map[string]string{
		"not json": "{", "unknown field": `{"v":1,"x":2}`, "few elements": `{"v":1,"epoch":1,"bits":2,"bucket":0,"elements":["AA"]}`,
	} {
		code, resp := f.postPrivate(t, []byte(body), "application/json")
		if code != http.StatusBadRequest || string(resp) != `{"error":"bad request"}` {
			t.Errorf("%s: %d %q", name, code, resp)
		}
	}
	code, resp := f.postPrivate(t, bytes.Repeat(req, 3), ctypePrivate)
	if code != http.StatusRequestEntityTooLarge || strings.Contains(string(resp), "LWr1") {
		t.Errorf("oversized: %d %q", code, resp)
	}
}

// BenchmarkPrivateCheck is the server's whole cost of a check through the
// HTTP handler (body limits, API key and rate limit, parsing, the
// verifiable evaluation, reading the bucket's tags from the store,
// writing the answer) against a bare circl VerifiableServer.Evaluate of
// the same 12 elements, alternating in one loop; ratio is their quotient.
//
//	go test -run XXX -bench PrivateCheck ./internal/api/
func BenchmarkPrivateCheck(b *testing.B) {
	f := newFixture(b)
	cfg := f.cfg
	cfg.DefaultRPM = 100000
	h, err := NewHandler(ctx, cfg, f.st, f.x)
	if err != nil {
		b.Fatal(err)
	}
	secret, err := CreateKey(ctx, f.st, "bench", 100000, store.AccountKey{}, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	if err := h.KeysChanged(ctx); err != nil {
		b.Fatal(err)
	}
	req, _ := f.privateRequest(b, "alice@example.com", "password")
	var elems []group.Element
	for i := range privatecheck.Elements {
		e := group.Ristretto255.NewElement()
		if err := e.UnmarshalBinary(req[16+32*i : 48+32*i]); err != nil {
			b.Fatal(err)
		}
		elems = append(elems, e)
	}
	k, err := oprf.GenerateKey(oprf.SuiteRistretto255, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	bare := oprf.NewVerifiableServer(oprf.SuiteRistretto255, k)
	creq := &oprf.EvaluationRequest{Elements: elems}
	var tHTTP, tBare time.Duration
	size := 0
	for b.Loop() {
		r := httptest.NewRequest("POST", "/api/private/v1/check", bytes.NewReader(req))
		r.Header.Set("hibp-api-key", secret)
		r.Header.Set("Content-Type", ctypePrivate)
		w := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(w, r)
		t1 := time.Now()
		if _, err := bare.Evaluate(creq); err != nil {
			b.Fatal(err)
		}
		tHTTP, tBare = tHTTP+t1.Sub(t0), tBare+time.Since(t1)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		size = w.Body.Len()
	}
	n := float64(b.N)
	b.ReportMetric(n/tHTTP.Seconds(), "checks/s/core")
	b.ReportMetric(n/tBare.Seconds(), "bare-evaluate/s/core")
	b.ReportMetric(float64(tHTTP)/float64(tBare), "ratio")
	b.ReportMetric(float64(size), "answer-bytes")
}

// TestPrivateCheckHandler: the key-less handler the web page uses answers
// like the keyed endpoint, fixed bodies included.
func TestPrivateCheckHandler(t *testing.T) {
	f := newFixture(t)
	h := PrivateCheckHandler(f.private, f.cfg.Logger)
	post := func(body []byte, ctype string) (int, string, []byte) {
		r := httptest.NewRequest("POST", "/private-check", bytes.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Result().Body)
		return w.Code, w.Header().Get("Content-Type"), b
	}
	req, st := f.privateRequest(t, "alice@example.com", "password")
	code, ct, resp := post(req, ctypePrivate)
	if code != 200 || ct != ctypePrivate {
		t.Fatalf("a check: %d %s", code, ct)
	}
	if got, err := st.Answer(resp); err != nil || got != privatecheck.Leaked {
		t.Errorf("answer %v, %v", got, err)
	}
	if code, _, b := post(req[:100], ctypePrivate); code != 400 || string(b) != `{"error":"bad request"}` {
		t.Errorf("malformed: %d %s", code, b)
	}
	if code, _, _ := post(req, "text/plain"); code != 415 {
		t.Errorf("another type: %d", code)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/private-check", nil))
	if w.Code != 405 || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET: %d", w.Code)
	}
}
