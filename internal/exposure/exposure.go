// Package exposure answers "was I exposed?" from a store and a keyring:
// the breaches of an account, the email k-anonymity buckets, and password
// counts. It is what the HTTP API and the offline CLI checks share.
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
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/pwhash"
	"github.com/leakwatch/leakwatch/internal/store"
)

// ErrBadAccount wraps input that is no valid account identifier or bucket
// prefix.
var ErrBadAccount = identity.ErrBadAccount

// Service answers exposure questions. It is safe for concurrent use.
type Service struct {
	st store.Store
	kr *keyring.Keyring

	derivers sync.Pool
	mu       sync.Mutex
	dataKeys map[uint32]*keyring.DataKey
}

// New returns a Service over a store and the keyring it was written with.
func New(st store.Store, kr *keyring.Keyring) *Service {
	x := &Service{st: st, kr: kr, dataKeys: map[uint32]*keyring.DataKey{}}
	x.derivers.New = func() any { return identity.New(kr) }
	return x
}

func (x *Service) deriver() *identity.Deriver { return x.derivers.Get().(*identity.Deriver) }

// AccountBreaches returns the names of the breaches an account appears in:
// an email address, a '+' phone number or a username.
func (x *Service) AccountBreaches(ctx context.Context, acct string) ([]string, error) {
	kind, norm, err := identity.Parse(acct)
	if err != nil {
		return nil, err
	}
	d := x.deriver()
	k := d.Account(kind, norm)
	x.derivers.Put(d)
	return x.st.AccountBreaches(ctx, k)
}

// RangeMatch is one email of a k-anonymity bucket.
type RangeMatch struct {
	HashSuffix string   // the 34 upper-case hex digits after the prefix
	Websites   []string // breach names
}

// EmailRange returns the emails whose SHA-1 starts with prefix (6 hex
// digits, any case), ordered by suffix.
func (x *Service) EmailRange(ctx context.Context, prefix string) ([]RangeMatch, error) {
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
		email, err := x.open(ctx, s)
		if err != nil {
			return nil, err
		}
		h := sha1.Sum(email)
		if [3]byte(h[:3]) != [3]byte(p) {
			continue // a tag collision; vanishingly rare
		}
		names, err := x.st.AccountBreaches(ctx, d.Account(account.KindEmail, email))
		if err != nil {
			return nil, err
		}
		out = append(out, RangeMatch{HashSuffix: strings.ToUpper(hex.EncodeToString(h[3:])), Websites: names})
	}
	slices.SortFunc(out, func(a, b RangeMatch) int { return strings.Compare(a.HashSuffix, b.HashSuffix) })
	return out, nil
}

// open unseals a stored blob, unwrapping its data key on first use.
func (x *Service) open(ctx context.Context, sealed []byte) ([]byte, error) {
	id, err := keyring.SealedKeyID(sealed)
	if err != nil {
		return nil, err
	}
	dk, err := x.dataKey(ctx, id)
	if err != nil {
		return nil, err
	}
	return dk.Open(nil, sealed, nil)
}

// Open unseals a blob sealed under one of the store's data keys.
func (x *Service) Open(ctx context.Context, sealed []byte) ([]byte, error) {
	return x.open(ctx, sealed)
}

func (x *Service) dataKey(ctx context.Context, id uint32) (*keyring.DataKey, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if dk, ok := x.dataKeys[id]; ok {
		return dk, nil
	}
	wrapped, err := x.st.DataKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range wrapped {
		if w.ID != id {
			continue
		}
		var kw keyring.Wrapped
		if err := kw.UnmarshalBinary(w.Wrapped); err != nil {
			return nil, fmt.Errorf("data key %d: %w", id, err)
		}
		dk, err := x.kr.UnwrapDataKey(kw)
		if err != nil {
			return nil, fmt.Errorf("data key %d: %w", id, err)
		}
		x.dataKeys[id] = dk
		return dk, nil
	}
	return nil, fmt.Errorf("data key %d is not in the store", id)
}

// PasswordCount returns how often a password was seen in breaches.
func (x *Service) PasswordCount(ctx context.Context, password []byte) (int64, error) {
	h := pwhash.SHA1(password)
	return x.st.PasswordCount(ctx, store.SHA1, h[:])
}
