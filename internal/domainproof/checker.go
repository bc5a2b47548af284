package domainproof

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// DefaultTimeout bounds a check when [Checker.Timeout] is zero.
const DefaultTimeout = 10 * time.Second

// DefaultMaxBody bounds the bytes read of a page or file when
// [Checker.MaxBody] is zero.
const DefaultMaxBody = 1 << 20

// A Checker looks for the proofs of the DNS, meta and file methods. The zero
// Checker is ready to use, with the defaults given for each field. A Checker
// is safe for concurrent use as long as its fields are not changed.
type Checker struct {
	// Resolver is the DNS server ("host:port", or a host for port 53) asked
	// for TXT records. Empty means the first nameserver of
	// /etc/resolv.conf, read at each check.
	Resolver string

	// HTTPClient fetches home pages and files. Nil means a client that
	// connects only to public IP addresses (no loopback, private, shared,
	// link-local or multicast ones) and uses no proxy. Its CheckRedirect is
	// replaced: a check follows at most 10 redirects, only to hosts of the
	// same registrable domain (eTLD+1) as the domain checked, and never
	// from https to http.
	HTTPClient *http.Client

	// SiteURL returns the base URL of domain's web site. Nil means
	// "https://" + domain.
	SiteURL func(domain string) string

	// Timeout bounds each check, on top of the context's deadline. Zero
	// means DefaultTimeout.
	Timeout time.Duration

	// MaxBody bounds the bytes read of a home page or verification file.
	// Zero means DefaultMaxBody.
	MaxBody int64
}

func (c *Checker) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Checker) maxBody() int64 {
	if c.MaxBody > 0 {
		return c.MaxBody
	}
	return DefaultMaxBody
}

func (c *Checker) siteURL(domain string) string {
	if c.SiteURL != nil {
		return c.SiteURL(domain)
	}
	return "https://" + domain
}

// Check looks for the proof of method that token is published at domain:
// it calls [Checker.CheckDNS], [Checker.CheckMeta] or [Checker.CheckFile].
// [MethodEmail] is not checked here, since the mailed code decides: Check
// returns an error for it.
func (c *Checker) Check(ctx context.Context, method Method, domain, token string) error {
	switch method {
	case MethodDNS:
		return c.CheckDNS(ctx, domain, token)
	case MethodMeta:
		return c.CheckMeta(ctx, domain, token)
	case MethodFile:
		return c.CheckFile(ctx, domain, token)
	case MethodEmail:
		return errors.New("the email method is not checked at the domain: the mailed code decides (see CodeMatches)")
	}
	return fmt.Errorf("unknown domain verification method %v", method)
}

// prepare validates the arguments every check takes and returns the
// canonical domain.
func prepare(domain, token string) (string, error) {
	d, err := ValidDomain(domain)
	if err != nil {
		return "", err
	}
	if err := checkToken(token); err != nil {
		return "", err
	}
	return d, nil
}
