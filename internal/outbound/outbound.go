// Package outbound turns an operator's settings (environment variables
// and serve flags) into how leakwatch reaches the outside world: an SMTP
// server for mailed codes and alerts, webhooks, and the DNS resolver and
// web client that check domain proofs. The server and the command line
// read the same settings, so a code mailed by either goes the same way.
package outbound

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/domainproof"
	"github.com/leakwatch/leakwatch/internal/notify"
)

// Config holds the settings. The zero value mails nothing, posts
// webhooks to public https addresses only, and checks proofs with the
// system's resolver over https.
type Config struct {
	SMTP notify.SMTP
	// SMTPCA is a PEM file of certificates to trust for the SMTP server
	// ("" trusts the system's roots).
	SMTPCA string
	From   string // the From address of mail (required with SMTP.Addr)
	// PublicURL is where users reach the service; messages link to it.
	PublicURL string
	// Resolver is the DNS server ("host:port") that checks TXT proofs;
	// "" uses the first nameserver of /etc/resolv.conf.
	Resolver string
	// ProofURL, if set, replaces https://DOMAIN when checking meta-tag and
	// file proofs (a test site, or a proxy that reaches the sites).
	ProofURL string
	// PrivateWebhooks lets webhooks reach loopback and private addresses
	// (a receiver on the operator's own network).
	PrivateWebhooks bool
}

// Environment variables read by FromEnv.
const (
	EnvSMTPAddr        = "LEAKWATCH_SMTP_ADDR"
	EnvSMTPFrom        = "LEAKWATCH_SMTP_FROM"
	EnvSMTPUser        = "LEAKWATCH_SMTP_USER"
	EnvSMTPPassword    = "LEAKWATCH_SMTP_PASSWORD"
	EnvSMTPTLS         = "LEAKWATCH_SMTP_TLS"
	EnvSMTPCA          = "LEAKWATCH_SMTP_CA"
	EnvSMTPHelo        = "LEAKWATCH_SMTP_HELO"
	EnvPublicURL       = "LEAKWATCH_PUBLIC_URL"
	EnvResolver        = "LEAKWATCH_DNS_RESOLVER"
	EnvProofURL        = "LEAKWATCH_PROOF_URL"
	EnvPrivateWebhooks = "LEAKWATCH_WEBHOOK_PRIVATE"
)

// FromEnv reads the settings from environment variables.
func FromEnv(getenv func(string) string) Config {
	return Config{
		SMTP: notify.SMTP{
			Addr: getenv(EnvSMTPAddr), Username: getenv(EnvSMTPUser), Password: getenv(EnvSMTPPassword),
			TLS: getenv(EnvSMTPTLS), HelloName: getenv(EnvSMTPHelo),
		},
		SMTPCA:          getenv(EnvSMTPCA),
		From:            getenv(EnvSMTPFrom),
		PublicURL:       getenv(EnvPublicURL),
		Resolver:        getenv(EnvResolver),
		ProofURL:        getenv(EnvProofURL),
		PrivateWebhooks: getenv(EnvPrivateWebhooks) == "1",
	}
}

// Outbound returns the control.Outbound of the settings.
func (c Config) Outbound() (control.Outbound, error) {
	var out control.Outbound
	out.Owner.Service = "leakwatch"
	out.Alert.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.PublicURL != "" {
		out.Owner.Service = "leakwatch (" + c.PublicURL + ")"
	}
	if c.SMTP.Addr != "" {
		if c.From == "" {
			return out, fmt.Errorf("%s is set but %s is not: mail needs a From address", EnvSMTPAddr, EnvSMTPFrom)
		}
		smtp := c.SMTP
		if c.SMTPCA != "" {
			pem, err := os.ReadFile(c.SMTPCA)
			if err != nil {
				return out, fmt.Errorf("reading %s: %w", EnvSMTPCA, err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return out, fmt.Errorf("%s: no PEM certificate in %s", EnvSMTPCA, c.SMTPCA)
			}
			smtp.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		mail := func(ctx context.Context, to, subject, text, messageID string) error {
			return smtp.Send(ctx, notify.Mail{From: c.From, To: to, Subject: subject, Text: text, MessageID: messageID, Date: time.Now()})
		}
		out.Owner.Mail, out.Alert.Mail = mail, mail
	}
	var client *http.Client
	if c.PrivateWebhooks {
		// Private and loopback receivers, but never link-local ones: a
		// cloud's metadata service (169.254.169.254) answers there.
		dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
			if ap, err := netip.ParseAddrPort(address); err == nil && (ap.Addr().Unmap().IsLinkLocalUnicast() || ap.Addr().IsLinkLocalMulticast()) {
				return fmt.Errorf("webhook address %s is link-local", ap.Addr())
			}
			return nil
		}}
		client = &http.Client{
			Timeout:       notify.DefaultWebhookTimeout,
			Transport:     &http.Transport{DialContext: dialer.DialContext, Proxy: nil, ForceAttemptHTTP2: true, TLSHandshakeTimeout: 10 * time.Second},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	out.Alert.Post = func(ctx context.Context, url, secret, id string, ts time.Time, body []byte) error {
		return notify.Webhook{URL: url, Secret: secret, Client: client}.Send(ctx, id, ts, body)
	}
	checker := &domainproof.Checker{Resolver: c.Resolver}
	if c.ProofURL != "" {
		base := strings.TrimRight(c.ProofURL, "/")
		checker.SiteURL = func(string) string { return base }
		checker.HTTPClient = &http.Client{Timeout: domainproof.DefaultTimeout}
	}
	out.Owner.Prove = func(ctx context.Context, method, domain, token string) error {
		m, err := domainproof.ParseMethod(method)
		if err != nil {
			return err
		}
		return checker.Check(ctx, m, domain, token)
	}
	return out, nil
}
