package domainproof

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"
)

// resolvConf is where the system's nameservers are listed.
const resolvConf = "/etc/resolv.conf"

// ednsSize is the UDP payload size offered to the resolver, the value of
// DNS Flag Day 2020: larger answers come back truncated and are asked for
// again over TCP.
const ednsSize = 1232

// CheckDNS looks for token among the TXT records of domain itself (not of a
// subdomain), asked of [Checker.Resolver] over UDP and again over TCP when
// the answer is truncated. The strings of one TXT record are joined without
// separators, as RFC 7208 joins an SPF record's, and compared with token
// after trimming surrounding white space. CNAME records are followed only as
// far as the resolver followed them in its answer.
//
// A domain that does not exist (NXDOMAIN) or has no TXT record holding
// token yields an error wrapping [ErrNotProven].
func (c *Checker) CheckDNS(ctx context.Context, domain, token string) error {
	domain, err := prepare(domain, token)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	server, err := c.resolver()
	if err != nil {
		return err
	}

	q := new(dns.Msg)
	q.SetQuestion(dns.Fqdn(domain), dns.TypeTXT)
	q.SetEdns0(ednsSize, false)
	cl := &dns.Client{Net: "udp", Timeout: c.timeout()}
	r, _, err := cl.ExchangeContext(ctx, q, server)
	if err == nil && r.Truncated {
		cl.Net = "tcp"
		r, _, err = cl.ExchangeContext(ctx, q, server)
	}
	if err != nil {
		return fmt.Errorf("TXT query for %s at %s over %s: %w", domain, server, cl.Net, err)
	}
	switch r.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		return fmt.Errorf("no TXT record of %s holds the token: %s does not exist (NXDOMAIN from %s): %w", domain, domain, server, ErrNotProven)
	default:
		return fmt.Errorf("TXT query for %s at %s: %s", domain, server, dns.RcodeToString[r.Rcode])
	}
	if r.Truncated {
		return fmt.Errorf("TXT query for %s at %s: answer truncated over tcp", domain, server)
	}

	// miekg/dns gives TXT strings in presentation form, with quotes,
	// backslashes and unprintable bytes escaped by a backslash; a token
	// holds none of them (see checkToken), so only an unescaped string can
	// equal it.
	for _, txt := range answerTXT(r, q.Question[0].Name) {
		if strings.TrimSpace(txt) == token {
			return nil
		}
	}
	return fmt.Errorf("no TXT record of %s holds the token: %w", domain, ErrNotProven)
}

// answerTXT returns the TXT records, each with its strings joined, that r's
// answer section holds for name, following the CNAME chain the answer itself
// holds (in any order, at most as many links as it has records).
func answerTXT(r *dns.Msg, name string) []string {
	owners := map[string]bool{strings.ToLower(name): true}
	for range r.Answer {
		grown := false
		for _, rr := range r.Answer {
			if cn, ok := rr.(*dns.CNAME); ok && owners[strings.ToLower(cn.Hdr.Name)] && !owners[strings.ToLower(cn.Target)] {
				owners[strings.ToLower(cn.Target)] = true
				grown = true
			}
		}
		if !grown {
			break
		}
	}
	var out []string
	for _, rr := range r.Answer {
		if t, ok := rr.(*dns.TXT); ok && owners[strings.ToLower(t.Hdr.Name)] {
			out = append(out, strings.Join(t.Txt, ""))
		}
	}
	return out
}

// resolver returns the DNS server to ask: Checker.Resolver, or the first
// nameserver of /etc/resolv.conf.
func (c *Checker) resolver() (string, error) {
	if c.Resolver != "" {
		if _, _, err := net.SplitHostPort(c.Resolver); err != nil {
			return net.JoinHostPort(strings.Trim(c.Resolver, "[]"), "53"), nil
		}
		return c.Resolver, nil
	}
	conf, err := dns.ClientConfigFromFile(resolvConf)
	if err != nil {
		return "", fmt.Errorf("finding a DNS resolver: %w", err)
	}
	if len(conf.Servers) == 0 {
		return "", fmt.Errorf("finding a DNS resolver: no nameserver in %s", resolvConf)
	}
	return net.JoinHostPort(conf.Servers[0], conf.Port), nil
}
