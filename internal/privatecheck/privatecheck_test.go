package privatecheck

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cloudflare/circl/oprf"
	"github.com/google/go-cmp/cmp"
)

// testParams are the parameters of the test epoch: 17 bucket bits, as
// for the 184M-pair seed.
var testParams = Params{Epoch: 3, BucketBits: 17}

// testKey returns a key derived from a fixed seed, so that the
// known-answer tests can pin tags.
func testKey(t testing.TB, p Params, seed byte) *Key {
	t.Helper()
	k, err := oprf.DeriveKey(suite, oprf.VerifiableMode, bytes.Repeat([]byte{seed}, 32), []byte("leakwatch test"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := keyFrom(p, k)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// leaks is the test index: (login as leaked, password).
var leaks = [][2]string{
	{"alice@example.com", "Password"},
	{"bob", "monkey"},
	{"carol", "dragon"},
	{"dave", "password"},
	{"erin", "sunshine1"},
	{"frank", "summer2023"},
	{"+16502530000", "hunter2"},
}

var (
	indexOnce sync.Once
	testIndex *Index
	indexErr  error
)

func index(t testing.TB) *Index {
	t.Helper()
	indexOnce.Do(func() {
		testIndex = NewIndex(testKey(t, testParams, 1))
		for _, lp := range leaks {
			l, err := ParseLogin(lp[0])
			if err != nil {
				indexErr = err
				return
			}
			if indexErr = testIndex.Add(l, []byte(lp[1])); indexErr != nil {
				return
			}
		}
	})
	if indexErr != nil {
		t.Fatal(indexErr)
	}
	return testIndex
}

func testClient(t testing.TB, k *Key) *Client {
	t.Helper()
	c, err := NewClient(k.Params(), k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCheck(t *testing.T) {
	ix := index(t)
	c := testClient(t, ix.key)
	for _, tc := range []struct {
		name, login, password string
		want                  Result
		similar               string
	}{
		{"exact", "alice@example.com", "Password", Leaked, ""},
		{"exact/login not canonical", " Alice@EXAMPLE.com", "Password", Leaked, ""},
		{"exact/phone", "+1 650 253 0000", "hunter2", Leaked, ""},
		{"case/first letter", "alice@example.com", "password", Similar, "Password"},
		{"case/caps lock", "alice@example.com", "pASSWORD", Similar, "Password"},
		{"digits/appended", "bob", "monkey123", Similar, "monkey"},
		{"digits/removed", "erin", "sunshine", Similar, "sunshine1"},
		{"digits/number+1", "frank", "summer2022", Similar, "summer2023"},
		{"digits/number-1", "frank", "summer2024", Similar, "summer2023"},
		{"symbol/appended", "carol", "dragon!!", Similar, "dragon"},
		{"leet", "dave", "p@ssw0rd", Similar, "password"},
		{"username only", "bob", "correct horse battery staple", UsernameOnly, ""},
		{"username only/password of another", "bob", "dragon", UsernameOnly, ""},
		{"not found", "zelda@example.org", "Password", NotFound, ""},
		{"not found/random", rand.Text(), rand.Text(), NotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, st, err := c.Request(tc.login, tc.password)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := ix.Answer(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.Answer(resp)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || st.Similar() != tc.similar {
				t.Errorf("got %v (similar %q), want %v (similar %q)", got, st.Similar(), tc.want, tc.similar)
			}
		})
	}
}

func TestAnswerUnderAnotherKey(t *testing.T) {
	ix := index(t)
	c := testClient(t, ix.key)
	other := NewIndex(testKey(t, testParams, 2))
	req, st, err := c.Request("alice@example.com", "Password")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := other.Answer(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Answer(resp); !errors.Is(err, ErrProof) {
		t.Fatalf("answer under another key: got %v, want ErrProof", err)
	}

	// A response altered after the proof fails too.
	resp, err = ix.Answer(req)
	if err != nil {
		t.Fatal(err)
	}
	resp[16] ^= 1
	if _, err := st.Answer(resp); err == nil {
		t.Fatal("altered response accepted")
	}
}

func TestAnswerMalformed(t *testing.T) {
	ix := index(t)
	c := testClient(t, ix.key)
	req, st, err := c.Request("bob", "monkey")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ix.Answer(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func([]byte) []byte
	}{
		{"short", func(b []byte) []byte { return b[:ResponseHeaderLen-1] }},
		{"no tags", func(b []byte) []byte { return b[:ResponseHeaderLen] }},
		{"trailing byte", func(b []byte) []byte { return append(b, 0) }},
		{"magic", func(b []byte) []byte { b[0] = 'X'; return b }},
		{"epoch", func(b []byte) []byte { b[7]++; return b }},
		{"bucket", func(b []byte) []byte { b[11] ^= 1; return b }},
		{"tag bits", func(b []byte) []byte { b[13] = 40; return b }},
		{"identity element", func(b []byte) []byte { clear(b[16:48]); return b }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := st.Answer(tc.edit(bytes.Clone(resp))); !errors.Is(err, ErrBadResponse) {
				t.Errorf("got %v, want ErrBadResponse", err)
			}
		})
	}
}

// validRequest returns a well-formed request of the test epoch.
func validRequest(t testing.TB) []byte {
	t.Helper()
	req, _, err := testClient(t, index(t).key).Request("alice@example.com", "x")
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestEvaluateRejects(t *testing.T) {
	ix := index(t)
	valid := validRequest(t)
	if _, _, err := ix.key.Evaluate(valid); err != nil {
		t.Fatalf("valid request: %v", err)
	}
	nonCanonical := bytes.Repeat([]byte{0xff}, 32)
	for _, tc := range []struct {
		name string
		edit func([]byte) []byte
		want error
	}{
		{"empty", func([]byte) []byte { return nil }, ErrBadRequest},
		{"short", func(b []byte) []byte { return b[:RequestLen-1] }, ErrBadRequest},
		{"long", func(b []byte) []byte { return append(b, 0) }, ErrBadRequest},
		{"1 KiB", func(b []byte) []byte { return append(b, make([]byte, 1024-len(b))...) }, ErrBadRequest},
		{"magic", func(b []byte) []byte { b[3] = '2'; return b }, ErrBadRequest},
		{"n=11", func(b []byte) []byte { b[13] = 11; return b }, ErrBadRequest},
		{"reserved", func(b []byte) []byte { b[15] = 1; return b }, ErrBadRequest},
		{"bits of another epoch", func(b []byte) []byte { b[12] = 16; return b }, ErrBadRequest},
		{"bits too many", func(b []byte) []byte { b[12] = 32; return b }, ErrBadRequest},
		{"bucket out of range", func(b []byte) []byte { b[8] = 0x80; return b }, ErrBadRequest},
		{"identity element", func(b []byte) []byte { clear(b[16+5*32 : 16+6*32]); return b }, ErrBadRequest},
		{"non-canonical element", func(b []byte) []byte { copy(b[16:], nonCanonical); return b }, ErrBadRequest},
		{"another epoch", func(b []byte) []byte { b[7]++; return b }, ErrWrongEpoch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _, err := ix.key.Evaluate(tc.edit(bytes.Clone(valid)))
			if !errors.Is(err, tc.want) || resp != nil {
				t.Fatalf("got %v, %d bytes; want %v", err, len(resp), tc.want)
			}
			if tc.want == ErrBadRequest && err.Error() != "bad request" {
				t.Errorf("error %q says more than \"bad request\"", err)
			}
		})
	}
}

// TestRequestShape checks what the server sees in the clear: a request of
// RequestLen bytes whatever the password, whose header (epoch, bucket,
// bits) depends on the login only.
func TestRequestShape(t *testing.T) {
	c := testClient(t, index(t).key)
	header := func(login, password string) []byte {
		req, _, err := c.Request(login, password)
		if err != nil {
			t.Fatal(err)
		}
		if len(req) != RequestLen {
			t.Fatalf("password of %d bytes: request of %d bytes, want %d", len(password), len(req), RequestLen)
		}
		return req[:16]
	}
	for _, login := range []string{"alice@example.com", "bob", "+16502530000"} {
		want := header(login, "Password")
		for _, pw := range []string{"", "a", "Password1!", strings.Repeat("x", 4096)} {
			if got := header(login, pw); !bytes.Equal(got, want) {
				t.Errorf("%s: header %x for a password of %d bytes, %x for another", login, got, len(pw), want)
			}
		}
	}

	// Different logins mostly fall in different buckets.
	seen := make(map[uint32]bool)
	const n = 200
	for i := range n {
		l, err := ParseLogin(fmt.Sprintf("user%d@example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		seen[testParams.BucketOf(l)] = true
	}
	if len(seen) < n-5 {
		t.Errorf("%d logins in %d buckets of 2^17", n, len(seen))
	}
}

func TestKeyMarshal(t *testing.T) {
	k, err := GenerateKey(Params{Epoch: 7, BucketBits: 9}, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, err := k.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != keyLen {
		t.Fatalf("key of %d bytes, want %d", len(b), keyLen)
	}
	k2, err := UnmarshalKey(b)
	if err != nil {
		t.Fatal(err)
	}
	if k2.Params() != k.Params() || !bytes.Equal(k2.PublicKey(), k.PublicKey()) {
		t.Fatal("key changed in a round trip")
	}
	l := Login{Kind: 2, Norm: []byte("bob")}
	t1, _ := k.UsernameTag(l)
	t2, _ := k2.UsernameTag(l)
	if t1 != t2 {
		t.Fatal("tags differ after a round trip")
	}
	for _, bad := range [][]byte{nil, b[:len(b)-1], append(bytes.Clone(b), 0), append([]byte("LWk1\x00\x00\x00\x07\x09"), make([]byte, 32)...)} {
		if _, err := UnmarshalKey(bad); err == nil {
			t.Errorf("UnmarshalKey(%x) accepted", bad)
		}
	}
	if _, err := GenerateKey(Params{BucketBits: 25}, rand.Reader); err == nil {
		t.Error("GenerateKey accepted 25 bucket bits")
	}
}

func TestBucketMarshal(t *testing.T) {
	b := Bucket{Pairs: []Tag{1, 5, 0xffffffff}, Usernames: []Tag{7}}
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := hex.DecodeString("00000003" + "00000001" + "00000001" + "00000005" + "ffffffff" + "00000007")
	if !bytes.Equal(data, want) {
		t.Fatalf("encoding %x, want %x", data, want)
	}
	var got Bucket
	if err := got.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if _, err := (Bucket{Pairs: []Tag{2, 1}}).MarshalBinary(); err == nil {
		t.Error("unsorted tags encoded")
	}
	for _, bad := range [][]byte{nil, data[:len(data)-1], append(bytes.Clone(data), 0), {0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1}} {
		if err := new(Bucket).UnmarshalBinary(bad); err == nil {
			t.Errorf("UnmarshalBinary(%x) accepted", bad)
		}
	}
}

func TestSimilarPasswords(t *testing.T) {
	for _, tc := range []struct {
		password string
		want     []string
	}{
		{"Password", []string{"password", "pASSWORD", "Password1", "Password!"}},
		{"summer2023", []string{"Summer2023", "SUMMER2023", "summer", "summer20231", "summer2023!", "summer2024", "summer2022", "summer2o2e"}},
		{"p@ssw0rd09!", []string{"P@ssw0rd09!", "P@SSW0RD09!", "p@ssw0rd09", "p@ssw0rd09!1", "p@ssw0rd09!!", "passwordo9!"}},
		{"pw10", []string{"Pw10", "PW10", "pw", "pw101", "pw10!", "pw11", "pw09", "pwio"}},
		{"", []string{"1", "!"}},
		{"Ölçü", []string{"ölçü", "öLÇÜ", "Ölçü1", "Ölçü!"}},
	} {
		t.Run(tc.password, func(t *testing.T) {
			got := SimilarPasswords(tc.password)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SimilarPasswords(%q) (-want +got):\n%s", tc.password, diff)
			}
			if len(got) > Variants {
				t.Errorf("%d variants, more than %d", len(got), Variants)
			}
		})
	}
}

// TestConcurrent runs requests and evaluations on shared Client and Key
// values, which are documented as safe for concurrent use (run with -race).
func TestConcurrent(t *testing.T) {
	ix := index(t)
	c := testClient(t, ix.key)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			req, st, err := c.Request("bob", fmt.Sprintf("monkey%d", i))
			if err != nil {
				t.Error(err)
				return
			}
			head, id, err := ix.key.Evaluate(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp, err := ix.Bucket(id).AppendBinary(head)
			if err != nil {
				t.Error(err)
				return
			}
			if got, err := st.Answer(resp); err != nil || got != Similar {
				t.Errorf("monkey%d: %v, %v; want similar", i, got, err)
			}
		})
	}
	wg.Wait()
}

// TestEpochs checks that epochs are independent: a new epoch's key gives
// other tags for the same pair, a server routes a request by
// RequestEpoch, and a key refuses a request of another epoch.
func TestEpochs(t *testing.T) {
	old := index(t).key
	next, err := GenerateKey(Params{Epoch: testParams.Epoch + 1, BucketBits: testParams.BucketBits}, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseLogin("alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	t1, _ := old.PairTag(l, []byte("Password"))
	t2, _ := next.PairTag(l, []byte("Password"))
	if t1 == t2 {
		t.Errorf("pair tag %#x in both epochs", uint32(t1))
	}
	req := validRequest(t)
	if e, ok := RequestEpoch(req); !ok || e != testParams.Epoch {
		t.Errorf("RequestEpoch = %d, %v; want %d, true", e, ok, testParams.Epoch)
	}
	if _, ok := RequestEpoch(req[1:]); ok {
		t.Error("RequestEpoch accepted a short request")
	}
	if _, _, err := next.Evaluate(req); !errors.Is(err, ErrWrongEpoch) {
		t.Errorf("evaluating under the next epoch: %v, want ErrWrongEpoch", err)
	}
}
