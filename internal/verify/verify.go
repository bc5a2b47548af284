// Package verify weighs the evidence that an alleged breach is what it
// claims to be (docs/verify.md). What is built is the recycling signal:
// how much of a breach's accounts and credential pairs other breaches in
// the store already hold, from which it concludes "likely recycled from
// X", "likely combolist" or, when that signal says nothing, "inconclusive".
package verify

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Verdict kinds.
const (
	Genuine      = "likely genuine"
	Recycled     = "likely recycled"
	Combolist    = "likely combolist"
	Fabricated   = "likely fabricated"
	Inconclusive = "inconclusive"
)

// Thresholds of the recycling rules (docs/verify.md), to be calibrated.
const (
	// recycledShare: one earlier breach holding this share of the pairs
	// (or accounts) makes the breach a repackage of it.
	recycledShare = 0.8
	// combolistShare: this share in other breaches, spread over several,
	// each of at least combolistEach, makes a combolist.
	combolistShare = 0.5
	combolistEach  = 0.1
	// minEntities: below this, no verdict from shares.
	minEntities = 20
)

// Report is the evidence about one breach and the verdict drawn from it.
type Report struct {
	Breach string `json:"breach"`
	// Accounts and Pairs are the breach's distinct accounts and credential
	// pairs; the Shared counts are those in at least one other breach.
	Accounts       int64 `json:"accounts"`
	Pairs          int64 `json:"pairs"`
	SharedAccounts int64 `json:"shared_accounts"`
	SharedPairs    int64 `json:"shared_pairs"`
	// Others are the other breaches sharing anything, the largest share
	// first.
	Others []Other `json:"others"`
	// Internal holds the figures of the breach's import profiles
	// (docs/verify.md); nil for a breach imported before profiles were
	// kept, or without the key file.
	Internal *evidence.Signals `json:"internal,omitempty"`
	// DeclaredDomainShare is the share of the addresses at the breach's
	// declared domain (a site's staff and test accounts are; a site's
	// users mostly are not): 0 without a declared domain or a profile.
	DeclaredDomainShare float64 `json:"declared_domain_share"`
	// UnknownDomainShare is the share of the addresses (at the profile's
	// tracked domains) at domains where the store holds no other address
	// than the breach could have brought: made-up domains show here. Exact
	// for a breach that shares no account with others; with shared
	// accounts their domains may be counted as unknown.
	UnknownDomainShare float64 `json:"unknown_domain_share"`
	Verdict            Verdict `json:"verdict"`
	// Signals names the evidence computed; Missing the evidence of
	// docs/verify.md not computed yet.
	Signals []string `json:"signals"`
	Missing []string `json:"missing"`
}

// Other is what one other breach shares with the breach verified.
type Other struct {
	Breach       string  `json:"breach"`
	BreachDate   string  `json:"breach_date"`
	Accounts     int64   `json:"accounts"`
	Pairs        int64   `json:"pairs"`
	AccountShare float64 `json:"account_share"` // of the verified breach's accounts
	PairShare    float64 `json:"pair_share"`    // of its pairs
	Earlier      bool    `json:"earlier"`       // breached (or added) before the verified breach
}

// Verdict is a conclusion, how sure it is, and why.
type Verdict struct {
	Kind       string   `json:"kind"`
	From       string   `json:"from,omitempty"` // Recycled: the breach it was recycled from
	Confidence string   `json:"confidence"`     // low, medium, high
	Reasons    []string `json:"reasons"`
	// Suggest is the catalog flag the evidence suggests ("" for none);
	// verify never sets it.
	Suggest string `json:"suggest,omitempty"`
}

// Opener opens what an import sealed (vault.Vault.Open); nil when the key
// file is not at hand.
type Opener func(ctx context.Context, sealed, aad []byte) ([]byte, error)

// DomainTagger gives the keyed tag of a domain (identity.Deriver.Domain).
type DomainTagger func(domain []byte) store.DomainTag

// Breach verifies a breach already in the store; open, if not nil, reads
// its import profiles, and tag, if not nil, looks their email domains up
// in the rest of the store.
func Breach(ctx context.Context, st store.Store, name string, open Opener, tag DomainTagger) (*Report, error) {
	b, err := st.Breach(ctx, name)
	if err != nil {
		return nil, err
	}
	o, err := st.Overlap(ctx, b.Name)
	if err != nil {
		return nil, err
	}
	r := &Report{Breach: b.Name, Accounts: o.Accounts, Pairs: o.Pairs, SharedAccounts: o.SharedAccounts, SharedPairs: o.SharedPairs,
		Others: []Other{}, Signals: []string{"recycling"}, Missing: []string{"internal evidence", "plausibility"}}
	for _, w := range o.Others {
		ob, err := st.Breach(ctx, w.Breach)
		if err != nil {
			return nil, err
		}
		r.Others = append(r.Others, Other{Breach: w.Breach, BreachDate: ob.BreachDate, Accounts: w.Accounts, Pairs: w.Pairs,
			AccountShare: share(w.Accounts, o.Accounts), PairShare: share(w.Pairs, o.Pairs), Earlier: earlier(ob, b)})
	}
	usePairs := o.Pairs >= minEntities
	slices.SortFunc(r.Others, func(a, b Other) int {
		if usePairs {
			return cmp.Or(cmp.Compare(b.PairShare, a.PairShare), cmp.Compare(b.AccountShare, a.AccountShare), cmp.Compare(a.Breach, b.Breach))
		}
		return cmp.Or(cmp.Compare(b.AccountShare, a.AccountShare), cmp.Compare(a.Breach, b.Breach))
	})
	if open != nil {
		prof, err := loadProfile(ctx, st, b.Name, open)
		if err != nil {
			return nil, err
		}
		if prof != nil {
			sig := prof.Signals()
			r.Internal = &sig
			if b.Domain != "" {
				r.DeclaredDomainShare = share(prof.Domains[strings.ToLower(b.Domain)], prof.Emails)
			}
			if tag != nil {
				if r.UnknownDomainShare, err = unknownDomains(ctx, st, prof, tag); err != nil {
					return nil, err
				}
			}
			r.Signals = append(r.Signals, "internal evidence (figures)", "plausibility (figures)")
			r.Missing = []string{"verdicts from the internal and plausibility figures (not calibrated yet)"}
		}
	}
	r.Verdict = decide(r, usePairs)
	return r, nil
}

// loadProfile merges the profiles of a breach's imports; nil if none.
func loadProfile(ctx context.Context, st store.Store, breach string, open Opener) (*evidence.Profile, error) {
	var prof *evidence.Profile
	for rec, err := range st.Records(ctx, store.TableProfiles, evidence.RecordPrefix(breach)) {
		if err != nil {
			return nil, err
		}
		b, err := open(ctx, rec.Value, rec.ID)
		if err != nil {
			return nil, fmt.Errorf("opening an import profile: %w", err)
		}
		p := evidence.New()
		if err := json.Unmarshal(b, p); err != nil {
			return nil, fmt.Errorf("reading an import profile: %w", err)
		}
		if prof == nil {
			prof = evidence.New()
		}
		prof.Merge(p)
	}
	return prof, nil
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// earlier reports whether a was breached before b: by breach date when
// both have one, else by the date added.
func earlier(a, b catalog.Breach) bool {
	if a.BreachDate != "" && b.BreachDate != "" {
		return a.BreachDate < b.BreachDate // the same day: neither
	}
	return a.AddedDate.Before(b.AddedDate.Time)
}

// decide applies the recycling rules of docs/verify.md.
func decide(r *Report, usePairs bool) Verdict {
	what, total, shared := "credential pairs", r.Pairs, r.SharedPairs
	shareOf := func(o Other) float64 { return o.PairShare }
	if !usePairs {
		what, total, shared = "accounts", r.Accounts, r.SharedAccounts
		shareOf = func(o Other) float64 { return o.AccountShare }
	}
	overall := share(shared, total)
	reasons := []string{fmt.Sprintf("%.1f%% of its %d %s are in other breaches", 100*overall, total, what)}
	if total < minEntities {
		return Verdict{Kind: Inconclusive, Confidence: "low", Reasons: append(reasons, fmt.Sprintf("fewer than %d %s: too few to weigh", minEntities, what))}
	}
	for _, o := range r.Others {
		if o.Earlier && shareOf(o) >= recycledShare {
			return Verdict{Kind: Recycled, From: o.Breach, Confidence: confidence(shareOf(o), total), Suggest: "fabricated",
				Reasons: append(reasons, fmt.Sprintf("%.1f%% of them are in %s, breached earlier (%s)", 100*shareOf(o), o.Breach, cmp.Or(o.BreachDate, "date unknown")))}
		}
	}
	// A combolist is stitched from older leaks: only earlier breaches
	// count (a later repackage of this breach shares as much with it).
	var big []string
	earlierShare := 0.0
	for _, o := range r.Others {
		if !o.Earlier {
			continue
		}
		earlierShare += shareOf(o)
		if shareOf(o) >= combolistEach {
			big = append(big, fmt.Sprintf("%s %.1f%%", o.Breach, 100*shareOf(o)))
		}
	}
	earlierShare = min(earlierShare, overall)
	if earlierShare >= combolistShare && len(big) >= 2 {
		return Verdict{Kind: Combolist, Confidence: confidence(earlierShare, total), Suggest: "spam-list",
			Reasons: append(reasons, fmt.Sprintf("about %.1f%% are in earlier breaches, spread over %d holding %s each or more: %v", 100*earlierShare, len(big), pct(combolistEach), big))}
	}
	reasons = append(reasons, "no earlier breach holds most of them, and they are not spread over several")
	if in := r.Internal; in != nil {
		return internalVerdict(in, reasons)
	}
	return Verdict{Kind: Inconclusive, Confidence: "low", Reasons: append(reasons, "the breach has no import profile to weigh")}
}

// Thresholds of the internal rules (docs/verify.md), set before the
// calibration of bench/verify.sh and not tuned to it (its results are in
// the README).
const (
	minPasswords    = 200   // fewer: the password figures say nothing
	flatSlope       = -0.2  // a rank-frequency slope above this is flat
	flatTop10       = 0.02  // and the ten most common this rare
	realSlope       = -0.3  // genuine leaks have a heavy head
	realTop10       = 0.03  //
	providerShare   = 0.05  // the most common mail domain of a real user base
	scatteredDomain = 0.005 // below this, no domain is common: made up
)

// internalVerdict weighs a breach that shares little with earlier ones by
// its own figures: real leaks have a heavy head of common passwords and
// their users at the big mail providers; made-up ones are flat.
func internalVerdict(in *evidence.Signals, reasons []string) Verdict {
	if in.Passwords < minPasswords {
		return Verdict{Kind: Inconclusive, Confidence: "low", Reasons: append(reasons, fmt.Sprintf("only %d passwords: too few to weigh their distribution", in.Passwords))}
	}
	topDomain := 0.0
	if len(in.TopDomains) > 0 {
		topDomain = in.TopDomains[0].Share
	}
	pw := fmt.Sprintf("rank-frequency slope %.2f, the 10 most common passwords %.1f%% of %d", in.ZipfSlope, 100*in.Top10Share, in.Passwords)
	if in.KnownSampled > 0 {
		pw += fmt.Sprintf("; %.0f%% of a sample of %d already in the Pwned Passwords corpus", 100*in.KnownShare, in.KnownSampled)
	}
	if in.MixedStorage {
		reasons = append(reasons, "passwords stored in several schemes in one dump ("+schemeList(in.Schemes)+"), which one site's database rarely holds")
	}
	dom := fmt.Sprintf("the most common email domain %.1f%% of the addresses", 100*topDomain)
	switch {
	case in.ZipfSlope > flatSlope && in.Top10Share < flatTop10:
		conf := "medium"
		if topDomain < scatteredDomain {
			conf = "high"
		}
		return Verdict{Kind: Fabricated, Confidence: conf, Suggest: "fabricated",
			Reasons: append(reasons, "passwords without the heavy head real leaks have: "+pw, dom)}
	case in.ZipfSlope <= realSlope && in.Top10Share >= realTop10 && topDomain >= providerShare:
		return Verdict{Kind: Genuine, Confidence: "medium", Suggest: "verified",
			Reasons: append(reasons, "passwords with the heavy head real leaks have: "+pw, dom+", as a real user base")}
	}
	return Verdict{Kind: Inconclusive, Confidence: "low", Reasons: append(reasons, pw, dom)}
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// confidence grows with the share and with the number of entities.
func confidence(s float64, n int64) string {
	switch {
	case s >= 0.95 && n >= 1000:
		return "high"
	case s >= 0.85 && n >= 100:
		return "medium"
	}
	return "low"
}

// Stored is a breach's last verification, kept as its provenance.
type Stored struct {
	At     time.Time `json:"at"`
	Report *Report   `json:"report"`
}

// StoredID is the id of a breach's last verification in
// store.TableVerdicts.
func StoredID(breach string) []byte { return []byte(strings.ToLower(breach)) }

// unknownDomains returns the share of the profile's addresses at domains
// where the store holds no more addresses than the breach has there.
func unknownDomains(ctx context.Context, st store.Store, prof *evidence.Profile, tag DomainTagger) (float64, error) {
	var tracked, unknown int64
	for d, c := range prof.Domains {
		tracked += c
		n, err := st.CountDomain(ctx, tag([]byte(d)), c+1)
		if err != nil {
			return 0, err
		}
		if n <= c {
			unknown += c
		}
	}
	return share(unknown, tracked), nil
}

func schemeList(ss []evidence.Share) string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s %.0f%%", s.Value, 100*s.Share))
	}
	return strings.Join(out, ", ")
}
