package api

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
)

// privateRequest builds a check request for the current epoch of the
// fixture's private index.
func (f *fixture) privateRequest(t *testing.T, login, password string) ([]byte, *privatecheck.State) {
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
