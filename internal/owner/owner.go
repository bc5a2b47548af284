// Package owner keeps who has proved what: domains whose owners verified
// them (by HIBP's four ways: a DNS TXT record, a <meta> tag on the home
// page, a file at the site's root, or a code mailed to a standard address
// at the domain) and addresses whose holders confirmed a mailed code. The
// audience of an API key's owner (exposure.Audience) comes from here.
//
// Records are sealed (package vault) under ids that are keyed hashes: the
// store learns neither the domains nor the addresses.
package owner

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/domainproof"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/vault"
)

// The ways to prove a domain.
const (
	MethodDNS   = "dns"   // a TXT record of the domain holds the token
	MethodMeta  = "meta"  // <meta name="leakwatch-verification" content="token"> on the home page
	MethodFile  = "file"  // /leakwatch-verification.txt at the site's root holds the token
	MethodEmail = "email" // a code mailed to a standard address at the domain
)

// Methods lists the ways to prove a domain.
var Methods = []string{MethodDNS, MethodMeta, MethodFile, MethodEmail}

// Mailboxes are the local parts of the standard addresses a domain's code
// may be mailed to (domainproof.StandardAddresses).
var Mailboxes = []string{"security", "hostmaster", "postmaster", "webmaster"}

// Limits of mailed codes.
const (
	codeTTL     = 24 * time.Hour
	maxAttempts = 5
)

// RenewAfter is how long a domain's proof holds: then it is checked again
// (Renew), as HIBP re-checks ownership when a subscription renews.
const RenewAfter = 365 * 24 * time.Hour

// Errors callers branch on.
var (
	ErrNotFound    = errors.New("no such domain or address")
	ErrWrongCode   = errors.New("wrong or expired code")
	ErrNotProven   = domainproof.ErrNotProven
	ErrOwned       = errors.New("domain is verified by another owner")
	ErrNeedsMailer = errors.New("no mail server is configured")
)

// Config is what a Service needs besides the store.
type Config struct {
	// Prove checks a published proof of a domain (a token in DNS, a meta
	// tag or a file); domainproof.Checker.Check does it for real. An
	// error wrapping ErrNotProven, or any other, means not proven.
	Prove func(ctx context.Context, method, domain, token string) error
	// Mail sends a message; nil refuses the mailed methods. messageID is
	// stable for one message.
	Mail func(ctx context.Context, to, subject, text, messageID string) error
	// Service names leakwatch in messages, with the URL users reach it at.
	Service string
	Now     func() time.Time
	Rand    io.Reader
}

// Domain is a domain claim.
type Domain struct {
	Name     string    `json:"name"`
	Owner    string    `json:"owner"`
	Method   string    `json:"method"`
	Token    string    `json:"token,omitempty"`   // dns, meta, file: what to publish
	Mailbox  string    `json:"mailbox,omitempty"` // email: the address the code went to
	Created  time.Time `json:"created"`
	Verified time.Time `json:"verified,omitzero"`

	CodeHash []byte    `json:"code_hash,omitempty"`
	CodeSent time.Time `json:"code_sent,omitzero"`
	Attempts int       `json:"attempts,omitempty"`
}

// IsVerified reports whether the claim was proven.
func (d Domain) IsVerified() bool { return !d.Verified.IsZero() }

// Instructions tells the owner what to publish, or where the code went.
func (d Domain) Instructions() string {
	switch d.Method {
	case MethodDNS:
		return fmt.Sprintf("add a TXT record to %s holding %s", d.Name, d.Token)
	case MethodMeta:
		return fmt.Sprintf(`put <meta name="leakwatch-verification" content="%s"> in the <head> of https://%s/`, d.Token, d.Name)
	case MethodFile:
		return fmt.Sprintf("serve %s as https://%s/leakwatch-verification.txt", d.Token, d.Name)
	case MethodEmail:
		return fmt.Sprintf("a code was mailed to %s@%s", d.Mailbox, d.Name)
	}
	return ""
}

// Address is an address its holder is confirming or confirmed.
type Address struct {
	Email    string    `json:"email"`
	Created  time.Time `json:"created"`
	Verified time.Time `json:"verified,omitzero"`
	CodeHash []byte    `json:"code_hash,omitempty"`
	CodeSent time.Time `json:"code_sent,omitzero"`
	Attempts int       `json:"attempts,omitempty"`
}

// Service manages domain claims and verified addresses. It is safe for
// concurrent use.
type Service struct {
	st  store.Store
	kr  *keyring.Keyring
	v   *vault.Vault
	cfg Config

	mu       sync.Mutex
	cache    []Domain // verified domains; nil when stale
	cachedAt time.Time
}

// New returns a Service.
func New(st store.Store, kr *keyring.Keyring, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Service == "" {
		cfg.Service = "leakwatch"
	}
	return &Service{st: st, kr: kr, v: vault.New(st, kr, cfg.Rand), cfg: cfg}
}

// ownerTag is the id prefix of records, an 8-byte tag of a domain.
func (s *Service) domainID(name string) []byte {
	d := identity.New(s.kr)
	t := d.Domain([]byte(name))
	return t[:]
}

func (s *Service) addressID(email []byte) []byte {
	k := s.kr.AccountKey(account.KindEmail, email)
	return k[:]
}

// AccountKey returns the key of an owner's address, as API keys record
// it; an error for an address that is not one.
func (s *Service) AccountKey(email string) (store.AccountKey, string, error) {
	norm, ok := account.Email([]byte(email))
	if !ok {
		return store.AccountKey{}, "", fmt.Errorf("owner: %w", identity.ErrBadAccount)
	}
	return s.kr.AccountKey(account.KindEmail, norm), string(norm), nil
}

// AddDomain starts the verification of a domain for an owner by method.
// For the mailed method the code goes to mailbox@domain (mailbox one of
// Mailboxes; "" means security). A claim not yet verified is replaced; a
// verified one is returned as it is to its owner and refused to another
// (ErrOwned): its owner removes it first.
func (s *Service) AddDomain(ctx context.Context, domain, ownerEmail, method, mailbox string) (Domain, error) {
	name, err := domainName(domain)
	if err != nil {
		return Domain{}, err
	}
	_, owner, err := s.AccountKey(ownerEmail)
	if err != nil {
		return Domain{}, err
	}
	if !slices.Contains(Methods, method) {
		return Domain{}, fmt.Errorf("unknown verification method %q (want %s)", method, strings.Join(Methods, ", "))
	}
	if old, err := s.domain(ctx, name); err == nil && old.IsVerified() {
		if old.Owner != owner {
			return Domain{}, ErrOwned
		}
		return old, nil // verified already: adding it again changes nothing
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return Domain{}, err
	}
	d := Domain{Name: name, Owner: owner, Method: method, Created: s.cfg.Now().UTC()}
	if method == MethodEmail {
		if mailbox == "" {
			mailbox = Mailboxes[0]
		}
		if !slices.Contains(Mailboxes, mailbox) {
			return Domain{}, fmt.Errorf("mailbox %q is not a standard address (want %s)", mailbox, strings.Join(Mailboxes, ", "))
		}
		d.Mailbox = mailbox
		if err := s.mailCode(ctx, &d.CodeHash, &d.CodeSent, mailbox+"@"+name, "verify "+name,
			fmt.Sprintf("Someone asked %s to confirm that %s may see what leaked about %s.", s.cfg.Service, owner, name)); err != nil {
			return Domain{}, err
		}
	} else {
		d.Token = domainproof.NewToken(s.cfg.Rand)
	}
	return d, s.putDomain(ctx, d)
}

// VerifyDomain checks a claim's proof: the published token, or the code
// that was mailed (code is ignored for the other methods).
func (s *Service) VerifyDomain(ctx context.Context, domain, code string) (Domain, error) {
	name, err := domainName(domain)
	if err != nil {
		return Domain{}, err
	}
	d, err := s.domain(ctx, name)
	if err != nil {
		return Domain{}, err
	}
	if d.IsVerified() {
		return d, nil
	}
	if d.Method == MethodEmail {
		err = s.checkCode(d.CodeHash, d.CodeSent, &d.Attempts, code)
		if errors.Is(err, ErrWrongCode) {
			if perr := s.putDomain(ctx, d); perr != nil {
				return Domain{}, perr
			}
		}
	} else if s.cfg.Prove == nil {
		err = fmt.Errorf("%w: no proof checker configured", ErrNotProven)
	} else {
		err = s.cfg.Prove(ctx, d.Method, d.Name, d.Token)
	}
	if err != nil {
		return Domain{}, err
	}
	d.Verified, d.CodeHash = s.cfg.Now().UTC(), nil
	return d, s.putDomain(ctx, d)
}

// Renewal is what Renew did to one domain.
type Renewal struct {
	Domain  string
	Renewed bool  // proven again: verified for another RenewAfter
	Err     error // why not: the claim lapsed and must be verified again
	MailErr error // telling the owner of the lapse failed
}

// Renew checks again the published proof of every domain verified more
// than RenewAfter ago: a domain still proven stays verified; one whose
// proof is gone, or that was proven by a mailed code, lapses to pending
// (its owner runs domains verify again, or for a mailed code domains add,
// which mails a new one).
// A check that could not run (a network error) leaves the claim alone.
func (s *Service) Renew(ctx context.Context) ([]Renewal, error) {
	all, err := s.Domains(ctx)
	if err != nil {
		return nil, err
	}
	var out []Renewal
	now := s.cfg.Now().UTC()
	for _, d := range all {
		if !d.IsVerified() || now.Sub(d.Verified) < RenewAfter {
			continue
		}
		r := Renewal{Domain: d.Name}
		switch {
		case d.Method == MethodEmail:
			r.Err = errors.New("a mailed code proves a domain once: verify it again")
		case s.cfg.Prove == nil:
			continue
		default:
			r.Err = s.cfg.Prove(ctx, d.Method, d.Name, d.Token)
			if r.Err != nil && !errors.Is(r.Err, ErrNotProven) {
				continue // could not check: try again later
			}
		}
		if r.Err == nil {
			d.Verified, r.Renewed = now, true
		} else {
			d.Verified = time.Time{}
		}
		if err := s.putDomain(ctx, d); err != nil {
			return out, err
		}
		if !r.Renewed && s.cfg.Mail != nil {
			// Its owner is told, or its alerts would stop unexplained.
			text := fmt.Sprintf("The proof that you control %s could not be found again a year after it was verified (%v).\n\n"+
				"Until you verify it again, %s stops answering domain searches about it and sending its alerts.\n", d.Name, r.Err, s.cfg.Service)
			id := fmt.Sprintf("<lapse-%x-%s@leakwatch>", s.domainID(d.Name), now.Format("20060102"))
			r.MailErr = s.cfg.Mail(ctx, d.Owner, s.cfg.Service+": verify "+d.Name+" again", text, id)
		}
		out = append(out, r)
	}
	return out, nil
}

// Domains returns every claim, ordered by name.
func (s *Service) Domains(ctx context.Context) ([]Domain, error) {
	out := []Domain{}
	for r, err := range s.st.Records(ctx, store.TableDomains, nil) {
		if err != nil {
			return nil, err
		}
		var d Domain
		if err := s.v.OpenJSON(ctx, r, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Domain) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// RemoveDomain forgets a claim; ErrNotFound if there is none.
func (s *Service) RemoveDomain(ctx context.Context, domain string) error {
	name, err := domainName(domain)
	if err != nil {
		return err
	}
	if _, err := s.domain(ctx, name); err != nil {
		return err
	}
	s.invalidate()
	return s.st.WriteRecords(ctx, store.RecordOp{Table: store.TableDomains, ID: s.domainID(name), Delete: true})
}

// domainName validates a domain a user typed (domainproof.ValidDomain:
// no address, public suffix or single label) and returns it in the form
// emails' domains are tagged in (identity.DomainName).
func domainName(s string) (string, error) {
	ascii, err := domainproof.ValidDomain(s)
	if err != nil {
		return "", identity.BadDomain(err.Error())
	}
	return identity.DomainName(ascii)
}

// Domain returns one claim; ErrNotFound if there is none.
func (s *Service) Domain(ctx context.Context, domain string) (Domain, error) {
	name, err := domainName(domain)
	if err != nil {
		return Domain{}, err
	}
	return s.domain(ctx, name)
}

func (s *Service) domain(ctx context.Context, name string) (Domain, error) {
	id := s.domainID(name)
	v, err := s.st.Record(ctx, store.TableDomains, id)
	if errors.Is(err, store.ErrNotFound) {
		return Domain{}, ErrNotFound
	} else if err != nil {
		return Domain{}, err
	}
	var d Domain
	if err := s.v.OpenJSON(ctx, store.Record{ID: id, Value: v}, &d); err != nil {
		return Domain{}, err
	}
	if d.Name != name {
		return Domain{}, ErrNotFound // a tag collision; vanishingly rare
	}
	return d, nil
}

func (s *Service) putDomain(ctx context.Context, d Domain) error {
	id := s.domainID(d.Name)
	sealed, err := s.v.SealJSON(ctx, id, d)
	if err != nil {
		return err
	}
	s.invalidate()
	return s.st.WriteRecords(ctx, store.RecordOp{Table: store.TableDomains, ID: id, Value: sealed})
}

// StartAddress mails a code to an address whose holder wants to prove it
// (to see its sensitive breaches and stealer-log sightings, or to be sent
// alerts). A verified address stays verified.
func (s *Service) StartAddress(ctx context.Context, email string) (Address, error) {
	_, norm, err := s.AccountKey(email)
	if err != nil {
		return Address{}, err
	}
	a, err := s.address(ctx, norm)
	if errors.Is(err, ErrNotFound) {
		a = Address{Email: norm, Created: s.cfg.Now().UTC()}
	} else if err != nil {
		return Address{}, err
	}
	// A verified address gets a code too: whoever asks again must show
	// again that they read its mail (the web UI's alert sign-up relies on
	// it); it stays verified meanwhile.
	a.Attempts = 0
	if err := s.mailCode(ctx, &a.CodeHash, &a.CodeSent, norm, "confirm your address",
		fmt.Sprintf("Someone asked %s to confirm that this address is yours.", s.cfg.Service)); err != nil {
		return Address{}, err
	}
	return a, s.putAddress(ctx, a)
}

// ConfirmAddress checks a mailed code.
func (s *Service) ConfirmAddress(ctx context.Context, email, code string) (Address, error) {
	_, norm, err := s.AccountKey(email)
	if err != nil {
		return Address{}, err
	}
	a, err := s.address(ctx, norm)
	if err != nil {
		return Address{}, err
	}
	// No code pending (a verified address whose code was used) is a
	// wrong code too: only the mail of a code asked for now proves the
	// address again (the web UI subscribes on this answer).
	if err := s.checkCode(a.CodeHash, a.CodeSent, &a.Attempts, code); err != nil {
		if perr := s.putAddress(ctx, a); perr != nil {
			return Address{}, perr
		}
		return Address{}, err
	}
	if !a.IsVerified() {
		a.Verified = s.cfg.Now().UTC()
	}
	a.CodeHash = nil
	return a, s.putAddress(ctx, a)
}

// IsVerified reports whether the address was confirmed.
func (a Address) IsVerified() bool { return !a.Verified.IsZero() }

// Address returns an address's state; ErrNotFound if none was started.
func (s *Service) Address(ctx context.Context, email string) (Address, error) {
	_, norm, err := s.AccountKey(email)
	if err != nil {
		return Address{}, err
	}
	return s.address(ctx, norm)
}

func (s *Service) address(ctx context.Context, norm string) (Address, error) {
	id := s.addressID([]byte(norm))
	v, err := s.st.Record(ctx, store.TableAddresses, id)
	if errors.Is(err, store.ErrNotFound) {
		return Address{}, ErrNotFound
	} else if err != nil {
		return Address{}, err
	}
	var a Address
	return a, s.v.OpenJSON(ctx, store.Record{ID: id, Value: v}, &a)
}

func (s *Service) putAddress(ctx context.Context, a Address) error {
	id := s.addressID([]byte(a.Email))
	sealed, err := s.v.SealJSON(ctx, id, a)
	if err != nil {
		return err
	}
	return s.st.WriteRecords(ctx, store.RecordOp{Table: store.TableAddresses, ID: id, Value: sealed})
}

// Audience returns what the holder of an API key owned by owner may see:
// its address once confirmed, and the domains it verified. The zero key
// is the public.
func (s *Service) Audience(ctx context.Context, owner store.AccountKey) (exposure.Audience, error) {
	if owner == (store.AccountKey{}) {
		return exposure.Public, nil
	}
	var who exposure.Audience
	v, err := s.st.Record(ctx, store.TableAddresses, owner[:])
	switch {
	case err == nil:
		var a Address
		if err := s.v.OpenJSON(ctx, store.Record{ID: owner[:], Value: v}, &a); err != nil {
			return who, err
		}
		if a.IsVerified() {
			who.Emails = append(who.Emails, a.Email)
		}
	case !errors.Is(err, store.ErrNotFound):
		return who, err
	}
	domains, err := s.verified(ctx)
	if err != nil {
		return who, err
	}
	for _, d := range domains {
		if k, _, err := s.AccountKey(d.Owner); err == nil && k == owner {
			who.Domains = append(who.Domains, d.Name)
		}
	}
	return who, nil
}

// cacheFor is how long a server trusts its list of verified domains when
// another process may change it.
const cacheFor = 5 * time.Second

// verified returns the verified domains, cached briefly.
func (s *Service) verified(ctx context.Context) ([]Domain, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache != nil && s.cfg.Now().Sub(s.cachedAt) < cacheFor {
		return s.cache, nil
	}
	all, err := s.Domains(ctx)
	if err != nil {
		return nil, err
	}
	s.cache = slices.DeleteFunc(all, func(d Domain) bool { return !d.IsVerified() })
	s.cachedAt = s.cfg.Now()
	return s.cache, nil
}

func (s *Service) invalidate() {
	s.mu.Lock()
	s.cache = nil
	s.mu.Unlock()
}

// mailCode makes a code, mails it to to, and records its hash.
func (s *Service) mailCode(ctx context.Context, hash *[]byte, sent *time.Time, to, subject, why string) error {
	if s.cfg.Mail == nil {
		return ErrNeedsMailer
	}
	code := domainproof.NewCode(s.cfg.Rand)
	salt := make([]byte, 16)
	if _, err := io.ReadFull(s.cfg.Rand, salt); err != nil {
		return err
	}
	sum := domainproof.HashCode(code, salt)
	*hash = append(salt, sum[:]...)
	*sent = s.cfg.Now().UTC()
	text := fmt.Sprintf("%s\n\nYour code is %s. It expires in a day.\n\nIf you did not ask for this, ignore this message.\n", why, code)
	id := fmt.Sprintf("<code-%x@leakwatch>", (*hash)[:12])
	return s.cfg.Mail(ctx, to, s.cfg.Service+": "+subject, text, id)
}

// checkCode compares a code with a recorded hash, counting the attempt.
func (s *Service) checkCode(hash []byte, sent time.Time, attempts *int, code string) error {
	if len(hash) != 16+32 || *attempts >= maxAttempts || s.cfg.Now().Sub(sent) > codeTTL {
		return fmt.Errorf("%w: ask for a new one", ErrWrongCode)
	}
	if strings.TrimSpace(code) == "" {
		return fmt.Errorf("%w: no code was given", ErrWrongCode) // not a try
	}
	*attempts++
	if !domainproof.CodeMatches(code, hash[:16], [32]byte(hash[16:])) {
		return ErrWrongCode
	}
	return nil
}
