package identity

import (
	"crypto/sha1"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind account.Kind
		norm string
	}{
		{"  Alice@Example.COM ", account.KindEmail, "alice@example.com"},
		{"+44 20 7946 0958", account.KindPhone, "+442079460958"},
		{"JDoe", account.KindUsername, "jdoe"},
		{"@JDoe", account.KindUsername, "@jdoe"},
		{"+bob", account.KindUsername, "+bob"},
		// What an import keeps as a login, lookup finds: a local mail
		// domain is an email, a half address a username.
		{"walter@localhost", account.KindEmail, "walter@localhost"},
		{"a@b", account.KindEmail, "a@b"},
		{"not-an-email@", account.KindUsername, "not-an-email@"},
	} {
		kind, norm, err := Parse(tc.in)
		if err != nil || kind != tc.kind || string(norm) != tc.norm {
			t.Errorf("Parse(%q) = %v, %q, %v; want %v, %q", tc.in, kind, norm, err, tc.kind, tc.norm)
		}
	}
	for _, bad := range []string{"", "   ", "a\x00b"} {
		if _, _, err := Parse(bad); !errors.Is(err, ErrBadAccount) {
			t.Errorf("Parse(%q) error = %v, want ErrBadAccount", bad, err)
		}
	}
}

func TestDeriver(t *testing.T) {
	kr1, err := keyring.Create(filepath.Join(t.TempDir(), "k1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	kr2, _ := keyring.Create(filepath.Join(t.TempDir(), "k2"), nil)
	d1, d1b, d2 := New(kr1), New(kr1), New(kr2)
	email := []byte("alice@example.com")
	if d1.Account(account.KindEmail, email) != d1b.Account(account.KindEmail, email) {
		t.Error("account keys of one keyring differ")
	}
	if d1.Account(account.KindEmail, email) == d2.Account(account.KindEmail, email) {
		t.Error("two keyrings give the same account key")
	}
	if d1.Account(account.KindEmail, email) == d1.Account(account.KindUsername, email) {
		t.Error("kinds are not separated")
	}
	// The bucket of an email is the bucket of its SHA-1 prefix.
	h := sha1.Sum(email)
	if d1.EmailRangeOf(email) != d1.EmailRange([3]byte(h[:3])) {
		t.Error("EmailRangeOf disagrees with EmailRange of the prefix")
	}
	if d1.EmailRange([3]byte{1, 2, 3}) == d1.EmailRange([3]byte{1, 2, 4}) {
		t.Error("different prefixes share a bucket tag")
	}
}

func TestPairPrint(t *testing.T) {
	kr1, err := keyring.Create(filepath.Join(t.TempDir(), "k1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	kr2, _ := keyring.Create(filepath.Join(t.TempDir(), "k2"), nil)
	d1, d1b, d2 := New(kr1), New(kr1), New(kr2)
	a := d1.Account(account.KindEmail, []byte("alice@example.com"))
	b := d1.Account(account.KindEmail, []byte("bob@example.com"))
	pw1, pw2 := sha1.Sum([]byte("Summer2024!")), sha1.Sum([]byte("hunter22"))
	if d1.Pair(a, pw1) != d1b.Pair(a, pw1) {
		t.Error("prints of one pair differ")
	}
	distinct := map[[16]byte]string{}
	for name, p := range map[string][16]byte{
		"a pw1": d1.Pair(a, pw1), "a pw2": d1.Pair(a, pw2), "b pw1": d1.Pair(b, pw1),
		"other keyring": d2.Pair(a, pw1), "unpaired a pw1": d1.Unpaired(a, pw1),
	} {
		if other, dup := distinct[p]; dup {
			t.Errorf("%s and %s have the same print", name, other)
		}
		distinct[p] = name
	}
	rec := func(vals ...string) [16]byte {
		return RecordDigest(func(yield func(uint8, []byte) bool) {
			for _, v := range vals {
				if !yield(1, []byte(v)) {
					return
				}
			}
		})
	}
	if rec("ab", "c") == rec("a", "bc") {
		t.Error("RecordDigest is ambiguous about field boundaries")
	}
}

func TestDomainTag(t *testing.T) {
	kr, err := keyring.Create(filepath.Join(t.TempDir(), "keyring.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	d := New(kr)
	seen := map[store.DomainTag]string{}
	// Names that differ only past the first block, by length, or by a
	// trailing zero byte get different tags; the same name the same tag.
	for _, name := range []string{"", "a", "example.com", "example.co", "example.com\x00",
		"a-very-long-subdomain-name.example.com", "a-very-long-subdomain-name.example.org",
		"xxxxxxxx.example", strings.Repeat("a", 253), strings.Repeat("a", 252)} {
		tag := d.Domain([]byte(name))
		if other, ok := seen[tag]; ok {
			t.Errorf("%q and %q share a tag", name, other)
		}
		seen[tag] = name
		if New(kr).Domain([]byte(name)) != tag {
			t.Errorf("the tag of %q differs between derivers", name)
		}
	}
}
