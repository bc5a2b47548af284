package privatecheck_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/client/privatecheck"
	"github.com/leakwatch/leakwatch/client/privatecheck/privatechecktest"
)

// paramsDoc is the example of docs/private-check.md section 7 with the
// keys of two test servers; edit replaces strings in it.
func paramsDoc(t *testing.T, edit ...string) (doc string, pub3, pub2 []byte) {
	t.Helper()
	var keys [2][]byte
	for i := range keys {
		s, err := privatechecktest.NewServer()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = s.PublicKey()
	}
	doc = `{"v":1,"suite":"ristretto255-SHA512","mode":"verifiable","elements":12,
 "slow_hash":{"alg":"argon2id","t":1,"m_kib":256,"p":1,"len":32},
 "canary":{"login":"leakwatch-canary@invalid","password":"c4n4ry"},
 "epochs":[{"epoch":3,"state":"current","public_key":"PUB3","bucket_bits":17,"tag_bits":32},
           {"epoch":2,"state":"retiring","not_after":"2027-01-08T00:00:00Z","public_key":"PUB2","bucket_bits":17,"tag_bits":32}],
 "future_field":true}`
	doc = strings.NewReplacer("PUB3", base64.RawURLEncoding.EncodeToString(keys[0]), "PUB2", base64.RawURLEncoding.EncodeToString(keys[1])).Replace(doc)
	doc = strings.NewReplacer(edit...).Replace(doc)
	return doc, keys[0], keys[1]
}

func fetchParams(t *testing.T, doc string) (*privatecheck.Params, error) {
	t.Helper()
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(doc))
	}))
	c := &privatecheck.Client{BaseURL: url}
	return c.Params(context.Background())
}

func TestParams(t *testing.T) {
	doc, pub3, pub2 := paramsDoc(t)
	p, err := fetchParams(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := &privatecheck.Params{
		SlowHash: privatecheck.SlowHash{Alg: "argon2id", T: 1, MemoryKiB: 256, Threads: 1, Len: 32},
		Canary:   &privatecheck.Canary{Login: "leakwatch-canary@invalid", Password: "c4n4ry"},
		Epochs: []privatecheck.Epoch{
			{Epoch: 3, State: privatecheck.StateCurrent, PublicKey: pub3, BucketBits: 17, TagBits: 32},
			{Epoch: 2, State: privatecheck.StateRetiring, PublicKey: pub2, BucketBits: 17, TagBits: 32,
				NotAfter: time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)},
		},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	if cur, err := p.Current(); err != nil || cur.Epoch != 3 {
		t.Errorf("Current: %d, %v", cur.Epoch, err)
	}

	// Two current epochs: the highest is the one.
	doc, _, _ = paramsDoc(t, `"retiring"`, `"current"`, `"epoch":2`, `"epoch":4`)
	if p, err = fetchParams(t, doc); err != nil {
		t.Fatal(err)
	}
	if cur, err := p.Current(); err != nil || cur.Epoch != 4 {
		t.Errorf("Current of two: %d, %v", cur.Epoch, err)
	}
	doc, _, _ = paramsDoc(t, `"current"`, `"building"`)
	if p, err = fetchParams(t, doc); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Current(); err == nil {
		t.Error("Current of none: no error")
	}
}

// TestParamsRefused: a document that asks for anything but the
// protocol's constants, a cheaper slow hash above all, is refused.
func TestParamsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit []string
		want string
	}{
		{"version", []string{`"v":1`, `"v":2`}, "version 2"},
		{"suite", []string{"ristretto255-SHA512", "P256-SHA256"}, "suite"},
		{"mode", []string{`"verifiable"`, `"base"`}, "mode"},
		{"elements", []string{`"elements":12`, `"elements":2`}, "2 elements"},
		{"slow hash passes", []string{`"t":1`, `"t":0`}, "slow hash"},
		{"slow hash memory", []string{`"m_kib":256`, `"m_kib":8`}, "slow hash"},
		{"slow hash alg", []string{`"argon2id"`, `"sha256"`}, "slow hash"},
		{"slow hash missing", []string{`"slow_hash":`, `"slow":`}, "slow hash"},
		{"key length", []string{`"public_key":"`, `"public_key":"AAAA`}, "malformed public key"},
		{"key padding", []string{`","bucket_bits":17,"tag_bits":32},`, `=","bucket_bits":17,"tag_bits":32},`}, "malformed public key"},
		{"tag bits", []string{`"tag_bits":32}`, `"tag_bits":40}`}, "40-bit tags"},
		{"bucket bits", []string{`"bucket_bits":17`, `"bucket_bits":25`}, "25 bucket bits"},
		{"state", []string{`"retiring"`, `"old"`}, "unknown state"},
		{"twice", []string{`"epoch":2`, `"epoch":3`}, "epoch 3 twice"},
		{"not after", []string{`2027-01-08T00:00:00Z`, `next week`}, "not_after"},
		{"empty canary", []string{`"c4n4ry"`, `""`}, "empty canary"},
		{"not JSON", []string{`{"v"`, `<"v"`}, "not a params document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, _, _ := paramsDoc(t, tc.edit...)
			_, err := fetchParams(t, doc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
