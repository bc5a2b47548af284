package exposure

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/website"
)

// ErrNotOwner is returned for a question about an address, a domain or a
// website the asker has not verified: the answers below are for owners.
var ErrNotOwner = errors.New("not a verified owner")

// StealerLogsByEmail returns the website domains an address was captured
// signing in to by infostealer malware, sorted, for the verified owner of
// the address or of its domain. Sightings at the address's own mail
// provider are left out as noise unless withNoise.
func (x *Service) StealerLogsByEmail(ctx context.Context, email string, who Audience, withNoise bool) ([]string, error) {
	norm, ok := account.Email([]byte(email))
	if !ok {
		return nil, ErrBadAccount
	}
	if !who.OwnsEmail(string(norm)) {
		return nil, ErrNotOwner
	}
	d := x.deriver()
	k := d.Account(account.KindEmail, norm)
	x.derivers.Put(d)
	return x.sites(ctx, k, withNoise)
}

// sites returns the sorted, opened websites of an account's sightings.
func (x *Service) sites(ctx context.Context, k store.AccountKey, withNoise bool) ([]string, error) {
	sites, err := x.st.AccountSites(ctx, k)
	if err != nil {
		return nil, err
	}
	out := []string{}
	retired := retiredBreaches{x: x}
	for _, s := range sites {
		if s.Noise && !withNoise {
			continue
		}
		if r, err := retired.is(ctx, s.Breach); err != nil || r {
			if err != nil {
				return nil, err
			}
			continue
		}
		name, err := x.opener.Open(ctx, s.Sealed)
		if err != nil {
			return nil, err
		}
		out = append(out, string(name))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// StealerLogsByWebsite returns the addresses captured signing in to a
// website, sorted, for the verified owner of the website's domain.
func (x *Service) StealerLogsByWebsite(ctx context.Context, domain string, who Audience, withNoise bool) ([]string, error) {
	name, err := identity.DomainName(domain)
	if err != nil {
		return nil, err
	}
	if !who.OwnsDomain(name) {
		return nil, ErrNotOwner
	}
	out := []string{}
	// Sightings are by registrable domain: a subdomain has none of its own.
	if reg, ok := website.Domain(nil, []byte(name)); !ok {
		return out, nil
	} else if u, err := identity.DomainName(string(reg)); err != nil || u != name {
		return out, nil
	}
	d := x.deriver()
	tag := d.Domain([]byte(name))
	x.derivers.Put(d)
	retired := retiredBreaches{x: x}
	for a, err := range x.st.WebsiteAccounts(ctx, tag) {
		if err != nil {
			return nil, err
		}
		if a.Noise && !withNoise {
			continue
		}
		if r, err := retired.is(ctx, a.Breach); err != nil || r {
			if err != nil {
				return nil, err
			}
			continue
		}
		email, err := x.opener.Open(ctx, a.Sealed)
		if err != nil {
			return nil, err
		}
		out = append(out, string(email))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// retiredBreaches tells, once per breach, whether a breach is retired:
// its sightings answer nothing, as its accounts answer nothing.
type retiredBreaches struct {
	x    *Service
	seen map[string]bool
}

func (r *retiredBreaches) is(ctx context.Context, name string) (bool, error) {
	if v, ok := r.seen[name]; ok {
		return v, nil
	}
	b, err := r.x.st.Breach(ctx, name)
	if err != nil {
		return false, err
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	r.seen[name] = b.IsRetired
	return b.IsRetired, nil
}

// StealerLogsByEmailDomain returns, for the verified owner of an email
// domain, each alias (local part) at it that stealer logs hold with the
// websites it was captured signing in to. Aliases with no websites are
// left out.
func (x *Service) StealerLogsByEmailDomain(ctx context.Context, domain string, who Audience, withNoise bool) (map[string][]string, error) {
	out := map[string][]string{}
	err := x.domainEmails(ctx, domain, who, func(alias string, k store.AccountKey) error {
		sites, err := x.sites(ctx, k, withNoise)
		if err == nil && len(sites) > 0 {
			out[alias] = sites
		}
		return err
	})
	return out, err
}

// BreachedDomain returns, for the verified owner of a domain, each alias
// at it that is in a breach with the names of its breaches (sensitive
// ones included, retired ones not).
func (x *Service) BreachedDomain(ctx context.Context, domain string, who Audience) (map[string][]string, error) {
	out := map[string][]string{}
	err := x.domainEmails(ctx, domain, who, func(alias string, k store.AccountKey) error {
		bs, err := x.st.AccountBreaches(ctx, k)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if !b.IsRetired {
				out[alias] = append(out[alias], b.Name)
			}
		}
		return nil
	})
	return out, err
}

// DomainCounts is what a domain's owner is told of it: the addresses at
// it found in breaches.
type DomainCounts struct {
	PwnCount                   int64 // addresses in any breach shown to the owner
	PwnCountExcludingSpamLists int64 // addresses in a breach that is no spam list
}

// CountDomain counts the breached addresses of a verified domain.
func (x *Service) CountDomain(ctx context.Context, domain string, who Audience) (DomainCounts, error) {
	var c DomainCounts
	err := x.domainEmails(ctx, domain, who, func(alias string, k store.AccountKey) error {
		bs, err := x.st.AccountBreaches(ctx, k)
		if err != nil {
			return err
		}
		any, notSpam := false, false
		for _, b := range bs {
			if !b.IsRetired {
				any = true
				notSpam = notSpam || !b.IsSpamList
			}
		}
		if any {
			c.PwnCount++
		}
		if notSpam {
			c.PwnCountExcludingSpamLists++
		}
		return nil
	})
	return c, err
}

// domainEmails calls fn with the alias and key of every address at a
// domain the asker verified.
func (x *Service) domainEmails(ctx context.Context, domain string, who Audience, fn func(alias string, k store.AccountKey) error) error {
	name, err := identity.DomainName(domain)
	if err != nil {
		return err
	}
	if !who.OwnsDomain(name) {
		return ErrNotOwner
	}
	d := x.deriver()
	tag := d.Domain([]byte(name))
	x.derivers.Put(d)
	for a, err := range x.st.DomainAccounts(ctx, tag) {
		if err != nil {
			return err
		}
		email, err := x.opener.Open(ctx, a.Sealed)
		if err != nil {
			return err
		}
		alias, at, ok := strings.Cut(string(email), "@")
		if !ok || at != name {
			continue // a tag collision; vanishingly rare
		}
		if err := fn(alias, a.Key); err != nil {
			return err
		}
	}
	return nil
}
