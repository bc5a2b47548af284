// Package exposure answers "was I exposed?" from a store and a keyring:
// the breaches of an account, the email k-anonymity buckets, and password
// counts. It is what the HTTP API and the offline CLI checks share, and
// the one place that decides which breaches an answer may show.
package exposure

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/pwhash"
	"github.com/leakwatch/leakwatch/internal/store"
)

// ErrBadAccount wraps input that is no valid account identifier or bucket
// prefix.
var ErrBadAccount = identity.ErrBadAccount

// Audience is who asks, which decides what an answer shows. As on Have I
// Been Pwned, a retired breach is never in an account's answer, and a
// breach flagged sensitive only in the answers to the verified owner of the
// address or of its domain. The zero value is the public.
type Audience struct {
	// Owner is set for the verified owner of the address (or of its
	// domain) asked about: sensitive breaches are shown to them. Answers
	// set it themselves from Emails and Domains.
	Owner bool
	// Emails and Domains are the addresses and domains the asker proved
	// to hold, normalised (account.Email, identity.DomainName). A
	// verified domain covers every address at it, and its websites.
	Emails  []string
	Domains []string
}

// Public is the audience of the public API and of the offline checks.
var Public = Audience{}

// Shows reports whether an answer to a may list breach b.
func (a Audience) Shows(b catalog.Breach) bool {
	return !b.IsRetired && (!b.IsSensitive || a.Owner)
}

// OwnsDomain reports whether a verified the normalised domain d.
func (a Audience) OwnsDomain(d string) bool { return slices.Contains(a.Domains, d) }

// OwnsEmail reports whether a verified the normalised address email or
// its domain.
func (a Audience) OwnsEmail(email string) bool {
	return slices.Contains(a.Emails, email) || a.OwnsDomain(string(account.Domain([]byte(email))))
}

// about returns a as the audience of an answer about the normalised
// address email: its owner sees sensitive breaches.
func (a Audience) about(email []byte) Audience {
	if !a.Owner && email != nil && a.OwnsEmail(string(email)) {
		a.Owner = true
	}
	return a
}

func (a Audience) filter(bs []catalog.Breach) []catalog.Breach {
	out := bs[:0]
	for _, b := range bs {
		if a.Shows(b) {
			out = append(out, b)
		}
	}
	return out
}

// Service answers exposure questions. It is safe for concurrent use.
type Service struct {
	st     store.Store
	opener *keyring.Opener

	derivers sync.Pool
}

// New returns a Service over a store and the keyring it was written with.
func New(st store.Store, kr *keyring.Keyring) *Service {
	x := &Service{st: st, opener: keyring.NewOpener(kr, st)}
	x.derivers.New = func() any { return identity.New(kr) }
	return x
}

func (x *Service) deriver() *identity.Deriver { return x.derivers.Get().(*identity.Deriver) }

// AccountBreaches returns the breaches an account appears in that who may
// see, ordered by name: an email address, a phone number or a username
// (account.Login decides which). None is an empty slice.
func (x *Service) AccountBreaches(ctx context.Context, acct string, who Audience) ([]catalog.Breach, error) {
	kind, norm, err := identity.Parse(acct)
	if err != nil {
		return nil, err
	}
	d := x.deriver()
	k := d.Account(kind, norm)
	x.derivers.Put(d)
	bs, err := x.st.AccountBreaches(ctx, k)
	if err != nil {
		return nil, err
	}
	if kind == account.KindEmail {
		who = who.about(norm)
	}
	return who.filter(bs), nil
}

// RangeMatch is one email of a k-anonymity bucket.
type RangeMatch struct {
	HashSuffix string           // the 34 upper-case hex digits after the prefix
	Breaches   []catalog.Breach // ordered by name
}

// EmailRange returns the emails whose SHA-1 starts with prefix (6 hex
// digits, any case), ordered by suffix, each with the breaches who may
// see; an email in no such breach is left out.
func (x *Service) EmailRange(ctx context.Context, prefix string, who Audience) ([]RangeMatch, error) {
	p, err := hex.DecodeString(prefix)
	if err != nil || len(p) != 3 {
		return nil, fmt.Errorf("range prefix must be 6 hex digits: %w", ErrBadAccount)
	}
	d := x.deriver()
	defer x.derivers.Put(d)
	sealed, err := x.st.EmailRange(ctx, d.EmailRange([3]byte(p)))
	if err != nil {
		return nil, err
	}
	out := []RangeMatch{}
	for _, s := range sealed {
		email, err := x.opener.Open(ctx, s)
		if err != nil {
			return nil, err
		}
		h := sha1.Sum(email)
		if [3]byte(h[:3]) != [3]byte(p) {
			continue // a tag collision; vanishingly rare
		}
		bs, err := x.st.AccountBreaches(ctx, d.Account(account.KindEmail, email))
		if err != nil {
			return nil, err
		}
		if bs = who.about(email).filter(bs); len(bs) > 0 {
			out = append(out, RangeMatch{HashSuffix: strings.ToUpper(hex.EncodeToString(h[3:])), Breaches: bs})
		}
	}
	slices.SortFunc(out, func(a, b RangeMatch) int { return strings.Compare(a.HashSuffix, b.HashSuffix) })
	return out, nil
}

// PasswordCount returns how often a password was seen in breaches.
func (x *Service) PasswordCount(ctx context.Context, password []byte) (int64, error) {
	h := pwhash.SHA1(password)
	return x.st.PasswordCount(ctx, store.SHA1, h[:])
}
