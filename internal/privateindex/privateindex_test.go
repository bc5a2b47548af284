package privateindex

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/privatecheck"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
	"github.com/leakwatch/leakwatch/internal/vault"
)

var ctx = context.Background()

type fixture struct {
	dir string
	st  store.Store
	kr  *keyring.Keyring
	v   *vault.Vault
	ix  *Index
}

func open(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := pebblestore.Open(filepath.Join(dir, "store"), pebblestore.Options{CacheSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kr, err := keyring.Create(filepath.Join(dir, "keyring.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(st, kr, nil)
	return &fixture{dir: dir, st: st, kr: kr, v: v, ix: New(st, v, nil)}
}

// importPairs commits pairs to the store the way an import does: spooled
// with the import's facts, sealed under the import's own data key.
func (f *fixture) importPairs(t testing.TB, breach string, pairs [][2]string) {
	t.Helper()
	id, err := f.st.NextDataKeyID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := keyring.NewDataKey(id, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.kr.Wrap(dk)
	if err != nil {
		t.Fatal(err)
	}
	s := dk.NewSealer()
	imp, err := f.st.BeginImport(ctx, catalog.New(breach, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	var sp Spool
	var facts store.Facts
	for i, p := range pairs {
		l, err := privatecheck.ParseLogin(p[0])
		if err != nil {
			t.Fatal(err)
		}
		sp.Add(l.Kind, l.Norm, []byte(p[1]))
		if len(pairs) < 100 && i%3 == 2 || sp.Full() { // several segments per import
			facts.Records = append(facts.Records, sp.Record(s.Seal))
		}
	}
	if sp.Len() > 0 {
		facts.Records = append(facts.Records, sp.Record(s.Seal))
	}
	if err := imp.Add(ctx, &facts); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{{Name: breach, Rows: 1}}, DataKey: w}); err != nil {
		t.Fatal(err)
	}
}

type paramsDoc struct {
	Canary struct{ Login, Password string }
	Epochs []struct {
		Epoch     uint32
		State     string
		PublicKey string `json:"public_key"`
		Bits      uint8  `json:"bucket_bits"`
	}
}

func (f *fixture) params(t *testing.T) paramsDoc {
	t.Helper()
	b, err := f.ix.Params(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var d paramsDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// check runs the whole protocol against the index in epoch e (0: the
// current one).
func (f *fixture) check(t *testing.T, e uint32, login, password string) (privatecheck.Result, error) {
	t.Helper()
	d := f.params(t)
	for _, ep := range d.Epochs {
		if e == 0 && ep.State == StateCurrent || ep.Epoch == e {
			pub, err := base64.RawURLEncoding.DecodeString(ep.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			c, err := privatecheck.NewClient(privatecheck.Params{Epoch: ep.Epoch, BucketBits: ep.Bits}, pub)
			if err != nil {
				t.Fatal(err)
			}
			req, st, err := c.Request(login, password)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := f.ix.Answer(ctx, req)
			if err != nil {
				return 0, err
			}
			return st.Answer(resp)
		}
	}
	t.Fatalf("no epoch %d in the params", e)
	return 0, nil
}

func (f *fixture) expect(t *testing.T, e uint32, login, password string, want privatecheck.Result) {
	t.Helper()
	got, err := f.check(t, e, login, password)
	if err != nil {
		t.Fatalf("check %s: %v", login, err)
	}
	if got != want {
		t.Errorf("check %s in epoch %d: %v, want %v", login, e, got, want)
	}
}

var leak = [][2]string{
	{"alice@example.com", "Summer2023"},
	{"bob@example.com", "hunter2"},
	{"carol", "correct horse"},
	{"dave@example.org", "password"},
	{"+1 202 555 0143", "letmein"},
}

func TestAnswers(t *testing.T) {
	f := open(t)
	if _, err := f.ix.Params(ctx); !errors.Is(err, ErrDisabled) {
		t.Fatalf("Params before Enable: %v", err)
	}
	if _, err := f.ix.Enable(ctx, EnableOptions{BucketBits: 2}); err != nil {
		t.Fatal(err)
	}
	f.importPairs(t, "First", leak)
	st, err := f.ix.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != int64(len(leak))+1 { // the canary too
		t.Fatalf("pending %d", st.Pending)
	}
	if st, err = f.ix.Build(ctx, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 || st.Indexed != int64(len(leak))+1 {
		t.Fatalf("after build: %+v", st)
	}
	f.expect(t, 0, "Alice@Example.com", "Summer2023", privatecheck.Leaked)
	f.expect(t, 0, "alice@example.com", " Summer2023\t", privatecheck.Leaked) // imports trim fields
	f.expect(t, 0, "alice@example.com", "summer2023", privatecheck.Similar)
	f.expect(t, 0, "alice@example.com", "Summer2024", privatecheck.Similar)
	f.expect(t, 0, "alice@example.com", "something else", privatecheck.UsernameOnly)
	f.expect(t, 0, "carol", "correct horse", privatecheck.Leaked)
	f.expect(t, 0, "dave@example.org", "p@ssw0rd", privatecheck.Similar)
	f.expect(t, 0, "+12025550143", "letmein", privatecheck.Leaked)
	f.expect(t, 0, "erin@example.com", "Summer2023", privatecheck.NotFound)
	d := f.params(t)
	f.expect(t, 0, d.Canary.Login, d.Canary.Password, privatecheck.Leaked)

	// A malformed request is a bad request, whatever is wrong with it.
	if _, err := f.ix.Answer(ctx, []byte("LWq1")); !errors.Is(err, privatecheck.ErrBadRequest) {
		t.Errorf("short request: %v", err)
	}
	req := make([]byte, privatecheck.RequestLen)
	copy(req, "LWq1")
	req[3+4] = 9 // epoch 9
	if _, err := f.ix.Answer(ctx, req); !errors.Is(err, ErrGone) {
		t.Errorf("request for epoch 9: %v", err)
	}
}

func TestBuildResumesAfterCancel(t *testing.T) {
	defer func(n int) { batchPairs = n }(batchPairs)
	batchPairs = 4
	f := open(t)
	if _, err := f.ix.Enable(ctx, EnableOptions{BucketBits: 3}); err != nil {
		t.Fatal(err)
	}
	var pairs [][2]string
	for i := range 40 {
		pairs = append(pairs, [2]string{fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("secret-%d", i)})
	}
	f.importPairs(t, "Big", pairs)
	// Stop after the second batch: what is built stays, the rest stays
	// spooled, nothing twice.
	cctx, cancel := context.WithCancel(ctx)
	batches := 0
	_, err := f.ix.Build(cctx, BuildOptions{Workers: 2, Progress: func(Progress) {
		if batches++; batches == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: %v", err)
	}
	st, err := f.ix.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending == 0 || st.Indexed == 0 || st.Pending+st.Indexed != 41 {
		t.Fatalf("after a cancelled build: pending %d, indexed %d", st.Pending, st.Indexed)
	}
	if st, err = f.ix.Build(ctx, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 || st.Indexed != 41 {
		t.Fatalf("after resuming: pending %d, indexed %d", st.Pending, st.Indexed)
	}
	for _, i := range []int{0, 7, 39} {
		f.expect(t, 0, pairs[i][0], pairs[i][1], privatecheck.Leaked)
	}
	// Every bucket compacted to one segment.
	n := 0
	for r, err := range f.st.Records(ctx, store.TablePrivateTags, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if binary := r.ID[8:]; !bytes.Equal(binary, make([]byte, 8)) {
			t.Errorf("segment %x left after compaction", r.ID)
		}
		n++
	}
	if n == 0 || n > 8 {
		t.Errorf("%d tag segments for 8 buckets", n)
	}
}

func TestRotateAndRetire(t *testing.T) {
	f := open(t)
	if _, err := f.ix.Enable(ctx, EnableOptions{BucketBits: 1}); err != nil {
		t.Fatal(err)
	}
	f.importPairs(t, "First", leak)
	if _, err := f.ix.Build(ctx, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	old := f.params(t).Epochs[0]
	st, err := f.ix.Rotate(ctx, BuildOptions{Grace: time.Hour, BucketBits: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Epochs) != 2 || st.Epochs[0].State != StateRetiring || st.Epochs[1].State != StateCurrent || st.Epochs[1].BucketBits != 4 {
		t.Fatalf("epochs after rotation: %+v", st.Epochs)
	}
	d := f.params(t)
	if d.Epochs[0].Epoch != 2 || d.Epochs[0].PublicKey == old.PublicKey {
		t.Fatalf("params after rotation: %+v", d.Epochs)
	}
	// Both epochs answer, the new one from the inputs alone.
	f.expect(t, 2, "bob@example.com", "hunter2", privatecheck.Leaked)
	f.expect(t, 2, "bob@example.com", "hunter3", privatecheck.Similar)
	f.expect(t, 2, d.Canary.Login, d.Canary.Password, privatecheck.Leaked)
	f.expect(t, 1, "bob@example.com", "hunter2", privatecheck.Leaked)

	// An import while both are live is built into both.
	f.importPairs(t, "Second", [][2]string{{"frank@example.net", "Tr0ub4dor&3"}})
	if _, err := f.ix.Build(ctx, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	f.expect(t, 1, "frank@example.net", "Tr0ub4dor&3", privatecheck.Leaked)
	f.expect(t, 2, "frank@example.net", "Tr0ub4dor&3", privatecheck.Leaked)

	// Retired: the key and its tags are gone; the epoch is not answered.
	if got, err := f.ix.Retire(ctx, time.Now()); err != nil || len(got) != 0 {
		t.Fatalf("Retire before not-after: %v, %v", got, err)
	}
	got, err := f.ix.Retire(ctx, time.Now().Add(2*time.Hour))
	if err != nil || len(got) != 1 || got[0] != 1 {
		t.Fatalf("Retire: %v, %v", got, err)
	}
	if _, err := f.check(t, 2, "bob@example.com", "hunter2"); err != nil {
		t.Fatal(err)
	}
	for r, err := range f.st.Records(ctx, store.TablePrivateTags, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if r.ID[3] == 1 {
			t.Fatalf("a tag of the retired epoch is left: %x", r.ID)
		}
	}
	c, err := privatecheck.NewClient(privatecheck.Params{Epoch: 1, BucketBits: 1}, mustB64(t, old.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	req, _, err := c.Request("bob@example.com", "hunter2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ix.Answer(ctx, req); !errors.Is(err, ErrGone) {
		t.Errorf("request for the retired epoch: %v", err)
	}
	if len(f.params(t).Epochs) != 1 {
		t.Errorf("retired epoch still in the params")
	}
}

func mustB64(t *testing.T, s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNoPlaintext: after an import and a build, the store's files hold
// no login or password of the leak.
func TestNoPlaintext(t *testing.T) {
	f := open(t)
	if _, err := f.ix.Enable(ctx, EnableOptions{}); err != nil {
		t.Fatal(err)
	}
	f.importPairs(t, "First", leak)
	if _, err := f.ix.Build(ctx, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	err := filepath.Walk(f.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasSuffix(path, "keyring.json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range leak {
			for _, s := range p {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds %q", path, s)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.st, _ = pebblestore.Open(filepath.Join(f.dir, "store"), pebblestore.Options{})
}
