package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/store"
)

// The searches of verified owners: domain search and stealer-log search.
// A key answers them only for what its owner (store.APIKey.Owner)
// verified: an address, or a domain with every address at it and its
// website. Anything else is 403, never "nothing found", so that no key
// learns whether someone else's address or domain is in the data.

// audience returns what the key of a request may see: its owner's
// verified addresses and domains, exposure.Public for a key without owner
// or a server without Config.Owners. It is looked up for every request
// and kept nowhere: a key's audience never serves another key, and a
// verification or a removal takes effect at once.
func (h *Handler) audience(ctx context.Context, q *request) (exposure.Audience, error) {
	if h.cfg.Owners == nil || q.key == nil || q.key.owner == (store.AccountKey{}) {
		return exposure.Public, nil
	}
	return h.cfg.Owners.Audience(ctx, q.key.owner)
}

// ownerError maps the errors of an owner's search: malformed input is
// bad (400), a question about what the key's owner did not verify is
// forbidden (403). Other errors are the server's.
func ownerError(err error, bad, forbidden *clientError) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, exposure.ErrBadAccount):
		return bad
	case errors.Is(err, exposure.ErrNotOwner):
		return forbidden
	}
	return err
}

// ownerParam reads the path parameter of an owner's search: an address
// or a domain, bounded.
func ownerParam(q *request, bad *clientError) (string, error) {
	s, ok := pathParam(q.param)
	if !ok || s == "" || len(s) > maxAccountLen {
		return "", bad
	}
	return s, nil
}

// noiseQuery reads includeNoise, a leakwatch extension: stealer-log
// answers leave out sightings of an address at its own mail provider
// unless it is true.
func noiseQuery(r *http.Request) (bool, error) { return boolQuery(r, "includeNoise", false) }

// serveStealerByEmail answers GET /api/v3/stealerlogsbyemail/{email}: the
// website domains the address was captured signing in to.
func (h *Handler) serveStealerByEmail(w http.ResponseWriter, r *http.Request, q *request) error {
	return h.serveStealer(w, r, q, errBadEmail, errEmailNotOwned, func(ctx context.Context, email string, who exposure.Audience, noise bool) (any, int, error) {
		sites, err := h.x.StealerLogsByEmail(ctx, email, who, noise)
		return sites, len(sites), err
	})
}

// serveStealerByWebsite answers GET
// /api/v3/stealerlogsbywebsitedomain/{domain}: the addresses captured
// signing in to the website.
func (h *Handler) serveStealerByWebsite(w http.ResponseWriter, r *http.Request, q *request) error {
	return h.serveStealer(w, r, q, errBadDomain, errDomainNotOwned, func(ctx context.Context, domain string, who exposure.Audience, noise bool) (any, int, error) {
		emails, err := h.x.StealerLogsByWebsite(ctx, domain, who, noise)
		return emails, len(emails), err
	})
}

// serveStealerByEmailDomain answers GET
// /api/v3/stealerlogsbyemaildomain/{domain}: each alias at the domain with
// the websites it was captured signing in to.
func (h *Handler) serveStealerByEmailDomain(w http.ResponseWriter, r *http.Request, q *request) error {
	return h.serveStealer(w, r, q, errBadDomain, errDomainNotOwned, func(ctx context.Context, domain string, who exposure.Audience, noise bool) (any, int, error) {
		aliases, err := h.x.StealerLogsByEmailDomain(ctx, domain, who, noise)
		return aliases, len(aliases), err
	})
}

// serveStealer answers a stealer-log search: the path's parameter (bad
// when malformed), includeNoise, and the key owner's audience go to ask,
// whose answer is written as JSON, or 404 when it holds nothing; notOwned
// when the owner has not verified what is asked about.
func (h *Handler) serveStealer(w http.ResponseWriter, r *http.Request, q *request, bad, notOwned *clientError,
	ask func(ctx context.Context, param string, who exposure.Audience, noise bool) (any, int, error)) error {
	param, err := ownerParam(q, bad)
	if err != nil {
		return err
	}
	noise, err := noiseQuery(r)
	if err != nil {
		return err
	}
	who, err := h.audience(r.Context(), q)
	if err != nil {
		return err
	}
	answer, n, err := ask(r.Context(), param, who, noise)
	if err := ownerError(err, bad, notOwned); err != nil {
		return err
	}
	if n == 0 {
		return errNotFound
	}
	return h.writeJSON(w, r, answer)
}

// serveBreachedDomain answers GET /api/v3/breacheddomain/{domain}: each
// alias at the domain with the names of its breaches.
func (h *Handler) serveBreachedDomain(w http.ResponseWriter, r *http.Request, q *request) error {
	domain, err := ownerParam(q, errBadDomain)
	if err != nil {
		return err
	}
	who, err := h.audience(r.Context(), q)
	if err != nil {
		return err
	}
	aliases, err := h.x.BreachedDomain(r.Context(), domain, who)
	if err := ownerError(err, errBadDomain, errDomainNotOwned); err != nil {
		return err
	}
	if len(aliases) == 0 {
		return errNotFound
	}
	return h.writeJSON(w, r, aliases)
}

// subscribedDomain is one entry of GET /api/v3/subscribeddomains, in the
// public service's field order.
type subscribedDomain struct {
	DomainName                                          string           `json:"DomainName"`
	PwnCount                                            int64            `json:"PwnCount"`
	PwnCountExcludingSpamLists                          int64            `json:"PwnCountExcludingSpamLists"`
	PwnCountExcludingSpamListsAtLastSubscriptionRenewal int64            `json:"PwnCountExcludingSpamListsAtLastSubscriptionRenewal"`
	NextSubscriptionRenewal                             subscriptionTime `json:"NextSubscriptionRenewal"`
}

// subscriptionTerm is how long a domain's verification holds before it is
// due again, as a subscription renews yearly on the public service.
const subscriptionTerm = 1 // year

// serveSubscribedDomains answers GET /api/v3/subscribeddomains: the
// domains the key's owner verified, by name, with their counts. A key
// whose owner verified none (or that has no owner) has an empty list, as
// a subscription without domains has on the public service.
func (h *Handler) serveSubscribedDomains(w http.ResponseWriter, r *http.Request, q *request) error {
	who, err := h.audience(r.Context(), q)
	if err != nil {
		return err
	}
	out := []subscribedDomain{}
	if len(who.Domains) == 0 {
		return h.writeJSON(w, r, out)
	}
	claims, err := h.cfg.Owners.Domains(r.Context())
	if err != nil {
		return err
	}
	for _, d := range claims {
		if !d.IsVerified() || !slices.Contains(who.Domains, d.Name) {
			continue
		}
		c, err := h.x.CountDomain(r.Context(), d.Name, who)
		if err != nil {
			return err
		}
		out = append(out, subscribedDomain{
			DomainName:                 d.Name,
			PwnCount:                   c.PwnCount,
			PwnCountExcludingSpamLists: c.PwnCountExcludingSpamLists,
			// leakwatch keeps no count from the last renewal (a
			// verification is not re-checked yearly yet): the current
			// count stands for it.
			PwnCountExcludingSpamListsAtLastSubscriptionRenewal: c.PwnCountExcludingSpamLists,
			NextSubscriptionRenewal:                             subscriptionTime{d.Verified.UTC().Truncate(time.Second).AddDate(subscriptionTerm, 0, 0)},
		})
	}
	return h.writeJSON(w, r, out)
}
