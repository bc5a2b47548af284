package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
)

// maxAccountLen bounds the account parameter before it reaches the
// exposure service (an email is at most 254 bytes).
const maxAccountLen = 512

// writeJSON sends v as compact JSON without HTML escaping (Description
// holds HTML, which the public service sends as is).
func (h *Handler) writeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	buf := h.bufs.Get().(*bytes.Buffer)
	defer h.bufs.Put(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding answer: %w", err)
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Cache-Control", "no-store")
	return h.writeBody(w, r, ctypeJSON, body)
}

// pathParam unescapes a path parameter; a malformed escape is bad input.
func pathParam(p string) (string, bool) {
	s, err := url.PathUnescape(p)
	return s, err == nil
}

// boolQuery reads an optional boolean query parameter.
func boolQuery(r *http.Request, name string, def bool) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def, badQuery(name)
	}
	return b, nil
}

// breachName is the truncated form of a breach in account answers.
type breachName struct {
	Name string `json:"Name"`
}

// serveBreachedAccount answers GET /api/v3/breachedaccount/{account}.
func (h *Handler) serveBreachedAccount(w http.ResponseWriter, r *http.Request, q *request) error {
	acct, ok := pathParam(q.param)
	if !ok || acct == "" || len(acct) > maxAccountLen {
		return errBadAccount
	}
	truncate, err := boolQuery(r, "truncateResponse", true)
	if err != nil {
		return err
	}
	unverified, err := boolQuery(r, "includeUnverified", true)
	if err != nil {
		return err
	}
	domain := r.URL.Query().Get("domain")
	// Nobody sees retired breaches here, and only the verified owner of
	// the address or of its domain sensitive ones (the catalog endpoints
	// list them with their flags).
	who, err := h.audience(r.Context(), q)
	if err != nil {
		return err
	}
	all, err := h.x.AccountBreaches(r.Context(), acct, who)
	if err != nil {
		return err
	}
	full := all[:0]
	for _, b := range all {
		if (!unverified && !b.IsVerified) || (domain != "" && !strings.EqualFold(b.Domain, domain)) {
			continue
		}
		full = append(full, b)
	}
	if len(full) == 0 {
		return errNotFound
	}
	if !truncate {
		return h.writeJSON(w, r, full)
	}
	short := make([]breachName, len(full))
	for i, b := range full {
		short[i].Name = b.Name
	}
	return h.writeJSON(w, r, short)
}

// rangeMatch is one entry of the email k-anonymity answer.
type rangeMatch struct {
	HashSuffix string   `json:"hashSuffix"`
	Websites   []string `json:"websites"`
}

// serveEmailRange answers GET /api/v3/breachedaccount/range/{prefix}: the
// breached emails whose SHA-1 starts with the 6 hex digits.
func (h *Handler) serveEmailRange(w http.ResponseWriter, r *http.Request, q *request) error {
	p := q.param
	if len(p) != 6 || strings.Trim(p, "0123456789abcdefABCDEF") != "" {
		return errBadEmailPrefix
	}
	who, err := h.audience(r.Context(), q)
	if err != nil {
		return err
	}
	matches, err := h.x.EmailRange(r.Context(), p, who)
	if err != nil {
		return err
	}
	if len(matches) == 0 {
		return errNotFound
	}
	out := make([]rangeMatch, len(matches))
	for i, m := range matches {
		out[i] = rangeMatch{HashSuffix: m.HashSuffix, Websites: make([]string, len(m.Breaches))}
		for j, b := range m.Breaches {
			out[i].Websites[j] = b.Name
		}
	}
	return h.writeJSON(w, r, out)
}

// servePasteAccount answers GET /api/v3/pasteaccount/{account}. leakwatch
// holds no pastes, so a well-formed email is never found (404), which is
// what the public service answers for an account in no paste.
func (h *Handler) servePasteAccount(w http.ResponseWriter, r *http.Request, q *request) error {
	acct, ok := pathParam(q.param)
	if !ok || len(acct) > maxAccountLen {
		return errBadAccount
	}
	local, domain, ok := strings.Cut(strings.TrimSpace(acct), "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(domain, "@ ") {
		return errBadAccount
	}
	return errNotFound
}

// serveBreaches answers GET /api/v3/breaches with the catalog, filtered by
// domain and isSpamList.
func (h *Handler) serveBreaches(w http.ResponseWriter, r *http.Request, q *request) error {
	query := r.URL.Query()
	spamFilter := query.Get("isSpamList")
	var spamWant bool
	if spamFilter != "" {
		var err error
		if spamWant, err = strconv.ParseBool(spamFilter); err != nil {
			return badQuery("isSpamList")
		}
	}
	domain := query.Get("domain")
	all, err := h.st.Breaches(r.Context())
	if err != nil {
		return err
	}
	out := make([]catalog.Breach, 0, len(all))
	for _, b := range all {
		if domain != "" && !strings.EqualFold(b.Domain, domain) {
			continue
		}
		if spamFilter != "" && b.IsSpamList != spamWant {
			continue
		}
		out = append(out, b)
	}
	return h.writeJSON(w, r, out)
}

// serveBreach answers GET /api/v3/breach/{name}.
func (h *Handler) serveBreach(w http.ResponseWriter, r *http.Request, q *request) error {
	name, ok := pathParam(q.param)
	if !ok || !catalog.ValidName(name) {
		return errNotFound
	}
	b, err := h.st.Breach(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	return h.writeJSON(w, r, b)
}

// serveLatestBreach answers GET /api/v3/latestbreach: the breach added
// last (ties: the one modified last, then by name).
func (h *Handler) serveLatestBreach(w http.ResponseWriter, r *http.Request, q *request) error {
	all, err := h.st.Breaches(r.Context())
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return errNotFound
	}
	latest := slices.MaxFunc(all, func(a, b catalog.Breach) int {
		if c := a.AddedDate.Compare(b.AddedDate.Time); c != 0 {
			return c
		}
		if c := a.ModifiedDate.Compare(b.ModifiedDate.Time); c != 0 {
			return c
		}
		return strings.Compare(b.Name, a.Name)
	})
	return h.writeJSON(w, r, latest)
}

// dataClassesBody renders the /dataclasses answer: every data class
// leakwatch records, in alphabetical order.
func dataClassesBody() ([]byte, error) {
	var names []string
	for _, c := range catalog.AllDataClasses() {
		if c != catalog.ClassUnknown {
			names = append(names, c.String())
		}
	}
	slices.Sort(names)
	return json.Marshal(names)
}

func (h *Handler) serveDataClasses(w http.ResponseWriter, r *http.Request, q *request) error {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	return h.writeBody(w, r, ctypeJSON, h.dataClasses)
}

// subscriptionStatus is the answer of GET /api/v3/subscription/status, in
// the public service's field order.
type subscriptionStatus struct {
	SubscriptionName                string           `json:"SubscriptionName"`
	Description                     string           `json:"Description"`
	SubscribedUntil                 subscriptionTime `json:"SubscribedUntil"`
	Rpm                             int              `json:"Rpm"`
	DomainSearchMaxBreachedAccounts int              `json:"DomainSearchMaxBreachedAccounts"`
	IncludesStealerLogs             bool             `json:"IncludesStealerLogs"`
}

// subscriptionTime is a UTC time as the public service writes the times
// of a subscription (SubscribedUntil, NextSubscriptionRenewal): no zone
// designator, "2024-04-02T12:34:56". Unlike a breach's AddedDate
// (catalog.Timestamp, with "Z"), clients parse it by that exact shape:
// go-hibp's APIDate accepts 10 or 19 characters only.
type subscriptionTime struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t subscriptionTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05") + `"`), nil
}

// neverExpires is the SubscribedUntil of self-hosted keys, which do not
// expire.
var neverExpires = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// noDomainLimit is the DomainSearchMaxBreachedAccounts of keys with an
// owner: leakwatch does not cap a domain search, and clients read the
// field as an integer (go-hibp, the npm hibp package; 0 would read as "no
// domain search"), so it is the largest a 32-bit client holds.
const noDomainLimit = math.MaxInt32

func (h *Handler) serveSubscription(w http.ResponseWriter, r *http.Request, q *request) error {
	st := subscriptionStatus{
		SubscriptionName: "leakwatch",
		Description: fmt.Sprintf("Self-hosted leakwatch key %q: breach and email range searches, %d requests per minute; no domain or stealer-log search (the key has no owner).",
			q.key.name, q.key.rpm),
		SubscribedUntil: subscriptionTime{neverExpires},
		Rpm:             q.key.rpm,
	}
	// A key with an owner searches what the owner verified; whether it
	// verified anything yet is for subscribeddomains to say.
	if q.key.owner != (store.AccountKey{}) {
		st.Description = fmt.Sprintf("Self-hosted leakwatch key %q: breach and email range searches, domain and stealer-log searches of the addresses and domains its owner verified, %d requests per minute.",
			q.key.name, q.key.rpm)
		st.DomainSearchMaxBreachedAccounts = noDomainLimit
		st.IncludesStealerLogs = true
	}
	return h.writeJSON(w, r, st)
}
