package exposure_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

var ctx = context.Background()

// newService imports combolists into breaches with the given flags and
// returns the service over them.
func newService(t *testing.T) *exposure.Service {
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
	for _, b := range []struct {
		name               string
		sensitive, retired bool
		lines              string
	}{
		{"Public", false, false, "alice@example.com:pw1\nbob@example.com:pw2\nWalter@localhost:pw3\n+447946000111:pw4\n@jdoe:pw5\n"},
		{"Dating", true, false, "alice@example.com:pw6\ncarol@example.com:password\n"},
		{"Old", false, true, "alice@example.com:password\ndave@example.com:pw7\n"},
	} {
		p := filepath.Join(dir, b.name+".txt")
		os.WriteFile(p, []byte(b.lines), 0o600)
		meta := catalog.New(b.name, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		meta.IsSensitive, meta.IsRetired = b.sensitive, b.retired
		if _, err := ingest.Import(ctx, st, kr, []string{p}, ingest.Options{Breach: meta, TempDir: dir}); err != nil {
			t.Fatal(err)
		}
	}
	return exposure.New(st, kr)
}

func names(bs []catalog.Breach) []string {
	out := []string{}
	for _, b := range bs {
		out = append(out, b.Name)
	}
	return out
}

func TestAccountBreaches(t *testing.T) {
	x := newService(t)
	owner := exposure.Audience{Owner: true}
	for _, tc := range []struct {
		account      string
		public, mine []string
	}{
		{"alice@example.com", []string{"Public"}, []string{"Dating", "Public"}},
		{" ALICE@Example.COM ", []string{"Public"}, []string{"Dating", "Public"}},
		{"carol@example.com", []string{}, []string{"Dating"}},
		{"dave@example.com", []string{}, []string{}}, // retired: for nobody
		{"walter@localhost", []string{"Public"}, []string{"Public"}},
		{"+44 7946 000111", []string{"Public"}, []string{"Public"}},
		{"@JDoe", []string{"Public"}, []string{"Public"}},
		{"nobody@example.com", []string{}, []string{}},
	} {
		for _, who := range []struct {
			a    exposure.Audience
			want []string
		}{{exposure.Public, tc.public}, {owner, tc.mine}} {
			bs, err := x.AccountBreaches(ctx, tc.account, who.a)
			if err != nil {
				t.Fatalf("%q: %v", tc.account, err)
			}
			if diff := cmp.Diff(who.want, names(bs)); diff != "" {
				t.Errorf("%q as %+v (-want +got):\n%s", tc.account, who.a, diff)
			}
			for _, b := range bs {
				if b.PwnCount == 0 || len(b.DataClasses) == 0 {
					t.Errorf("%q: breach %s without its counts", tc.account, b.Name)
				}
			}
		}
	}
	if _, err := x.AccountBreaches(ctx, "  ", exposure.Public); !errors.Is(err, exposure.ErrBadAccount) {
		t.Errorf("blank account: %v, want ErrBadAccount", err)
	}
}

func TestEmailRange(t *testing.T) {
	x := newService(t)
	prefixOf := func(email string) (string, string) {
		h := sha1.Sum([]byte(email))
		s := strings.ToUpper(hex.EncodeToString(h[:]))
		return s[:6], s[6:]
	}
	p, suffix := prefixOf("alice@example.com")
	got, err := x.EmailRange(ctx, strings.ToLower(p), exposure.Public)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].HashSuffix != suffix || !cmp.Equal(names(got[0].Breaches), []string{"Public"}) {
		t.Errorf("range of alice = %+v", got)
	}
	// carol is only in a sensitive breach: not in the public's answer.
	p, _ = prefixOf("carol@example.com")
	if got, _ := x.EmailRange(ctx, p, exposure.Public); len(got) != 0 {
		t.Errorf("range of carol for the public = %+v", got)
	}
	if got, _ := x.EmailRange(ctx, p, exposure.Audience{Owner: true}); len(got) != 1 {
		t.Errorf("range of carol for her = %+v", got)
	}
	for _, bad := range []string{"", "12345", "1234567", "12345G"} {
		if _, err := x.EmailRange(ctx, bad, exposure.Public); !errors.Is(err, exposure.ErrBadAccount) {
			t.Errorf("EmailRange(%q) = %v", bad, err)
		}
	}
}

func TestPasswordCount(t *testing.T) {
	x := newService(t)
	// "password" is in a sensitive and a retired breach: counts are
	// anonymous and keep them.
	if n, err := x.PasswordCount(ctx, []byte("password")); err != nil || n != 2 {
		t.Errorf("count of password = %d, %v; want 2", n, err)
	}
	if n, _ := x.PasswordCount(ctx, []byte("never-seen")); n != 0 {
		t.Errorf("count of an unseen password = %d", n)
	}
}
