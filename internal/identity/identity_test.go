package identity

import (
	"crypto/sha1"
	"errors"
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/keyring"
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
	} {
		kind, norm, err := Parse(tc.in)
		if err != nil || kind != tc.kind || string(norm) != tc.norm {
			t.Errorf("Parse(%q) = %v, %q, %v; want %v, %q", tc.in, kind, norm, err, tc.kind, tc.norm)
		}
	}
	for _, bad := range []string{"", "   ", "a\x00b", "a@b", "not-an-email@"} {
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
