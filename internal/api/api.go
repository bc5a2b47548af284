// Package api serves the Have I Been Pwned API v3 and the Pwned Passwords
// range API from a leakwatch store, wire-compatible with the public
// service: clients written for haveibeenpwned.com and api.pwnedpasswords.com
// work against leakwatch by changing only their base URLs (the breach API
// under /api/v3/, the range API at /range/ on the same listener).
//
// Serve runs the server (TLS 1.3 with the hybrid post-quantum key exchange
// X25519MLKEM768 preferred, graceful shutdown); NewHandler returns the
// http.Handler alone for tests and embedding. CreateKey, ListKeys and
// RevokeKey manage the API keys that keyed endpoints require. A key may
// have an owner (Config.Owners tells what it verified): domain search,
// subscribed domains and stealer-log search answer such a key about the
// addresses and domains its owner verified, and 403 about anything else.
//
// What a client sends is protected: no account, range prefix or API key
// ever appears in a log line, a metric label or an error body. Clients see
// a short message and a request id (header X-Request-Id); the cause goes to
// the injected logger under that id.
package api

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Exposure answers the account questions of the breach API. The handler
// uses *exposure.Service, which decides which breaches an audience may
// see and what an owner may search; errors wrapping exposure.ErrBadAccount
// become 400 answers, exposure.ErrNotOwner 403. Implementations are safe
// for concurrent use.
type Exposure interface {
	AccountBreaches(ctx context.Context, account string, who exposure.Audience) ([]catalog.Breach, error)
	EmailRange(ctx context.Context, prefix string, who exposure.Audience) ([]exposure.RangeMatch, error)

	// The searches of verified owners: they fail with exposure.ErrNotOwner
	// when who has not verified the address or domain asked about.
	StealerLogsByEmail(ctx context.Context, email string, who exposure.Audience, withNoise bool) ([]string, error)
	StealerLogsByWebsite(ctx context.Context, domain string, who exposure.Audience, withNoise bool) ([]string, error)
	StealerLogsByEmailDomain(ctx context.Context, domain string, who exposure.Audience, withNoise bool) (map[string][]string, error)
	BreachedDomain(ctx context.Context, domain string, who exposure.Audience) (map[string][]string, error)
	CountDomain(ctx context.Context, domain string, who exposure.Audience) (exposure.DomainCounts, error)
}

var _ Exposure = (*exposure.Service)(nil)

// UI is a web interface served beside the API (webui.Handler).
type UI interface {
	http.Handler
	// Serves reports whether the interface serves a path.
	Serves(path string) bool
}

// Owners tells what the holder of an API key verified. The handler uses
// *owner.Service. Audience of the zero key is exposure.Public; Domains
// lists every domain claim, verified or not. Implementations are safe for
// concurrent use; errors are the server's (500) and never name an address
// or a domain.
type Owners interface {
	Audience(ctx context.Context, owner store.AccountKey) (exposure.Audience, error)
	Domains(ctx context.Context) ([]owner.Domain, error)
}

var _ Owners = (*owner.Service)(nil)

// Config configures the server. The zero value of every field but Addr
// selects a default; Logger nil discards logs.
type Config struct {
	// Addr is the TCP address to listen on (default "127.0.0.1:8080");
	// port 0 picks a free port, which Serve reports to its ready callback.
	Addr string
	// TLSCert and TLSKey are PEM files of the certificate chain and its
	// key. With them, or with TLSSelfSigned, the server speaks TLS 1.3 only.
	TLSCert, TLSKey string
	// TLSSelfSigned serves a certificate generated in memory at start for
	// localhost, 127.0.0.1 and ::1 (tests and trials; clients must be told
	// to trust it).
	TLSSelfSigned bool

	// RangeCache, if set, is a directory where Serve builds a range pack
	// per hash kind (pwned.BuildPack) in the background at start, about 19
	// bytes per SHA-1 hash and 15 per NTLM hash in unlinked files freed at
	// exit; once built, ranges are served from the packs, several times
	// cheaper than from the store. Empty serves every range from the store.
	RangeCache string
	// PackShare is the CPU share of range pack builds: with Low, packs are
	// built on an OS thread of the lowest priority (cpushare), as a server
	// that imports at low priority rebuilds them after each commit.
	PackShare cpushare.Share

	// Owners tells what the owner of an API key verified: keys with an
	// owner search the stealer logs and breaches of those addresses and
	// domains, and see their sensitive breaches. Nil means no key has a
	// verified owner: those searches answer 403 to every key.
	Owners Owners

	// UI serves the web interface's paths (Serves tells which); nil: none.
	UI UI

	// Private answers the private credential check (docs/private-check.md);
	// nil: its endpoints answer 404.
	Private Private

	// DefaultRPM is the rate limit, in requests per minute, of keys created
	// without one (default 60).
	DefaultRPM int
	// KeyRefresh is how often the API key table is re-read from the store
	// (default 10s).
	KeyRefresh time.Duration

	// Timeouts of the HTTP server (defaults 5s, 15s, 30s, 120s) and of a
	// graceful shutdown before connections are cut (default 10s).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout, ShutdownTimeout time.Duration
	// MaxHeaderBytes bounds request headers (default 16 KiB).
	MaxHeaderBytes int
	// MaxBodyBytes bounds request bodies (default 4 KiB): every endpoint is
	// a GET, so a larger body is refused with 413.
	MaxBodyBytes int64

	// Logger receives errors and, at debug level, one line per request
	// (route template, status, duration, request id; never the path).
	Logger *slog.Logger
	// Now is the clock of rate limits and key refreshes (default time.Now).
	Now func() time.Time
	// Rand seeds padding and request ids (default crypto/rand.Reader).
	Rand io.Reader
}

// MaxRPM is the highest per-key rate limit.
const MaxRPM = 100_000

func (c *Config) defaults() error {
	c.Addr = cmp.Or(c.Addr, "127.0.0.1:8080")
	c.DefaultRPM = cmp.Or(c.DefaultRPM, 60)
	if c.DefaultRPM < 0 || c.DefaultRPM > MaxRPM {
		return fmt.Errorf("default rate limit %d is not between 1 and %d requests per minute", c.DefaultRPM, MaxRPM)
	}
	c.KeyRefresh = cmp.Or(c.KeyRefresh, 10*time.Second)
	c.ReadHeaderTimeout = cmp.Or(c.ReadHeaderTimeout, 5*time.Second)
	c.ReadTimeout = cmp.Or(c.ReadTimeout, 15*time.Second)
	c.WriteTimeout = cmp.Or(c.WriteTimeout, 30*time.Second)
	c.IdleTimeout = cmp.Or(c.IdleTimeout, 120*time.Second)
	c.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, 10*time.Second)
	c.MaxHeaderBytes = cmp.Or(c.MaxHeaderBytes, 16<<10)
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, 4<<10)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("a TLS certificate needs its key and a key its certificate")
	}
	if c.TLSSelfSigned && c.TLSCert != "" {
		return errors.New("choose a TLS certificate or a self-signed one, not both")
	}
	return nil
}

// Serve serves the API on cfg.Addr until ctx is cancelled, then shuts down
// gracefully: it stops accepting, lets requests in flight finish for up to
// cfg.ShutdownTimeout, and returns nil. ready, if not nil, is called with
// the bound address once the listener accepts connections.
func Serve(ctx context.Context, cfg Config, s store.Store, x Exposure, ready func(addr string)) error {
	srv, err := NewServer(ctx, cfg, s, x)
	if err != nil {
		return err
	}
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	return srv.Serve(ctx, ln, ready)
}

// Server is the API server: its handler, its TLS certificate and the
// configuration of its listener.
type Server struct {
	cfg   Config
	h     *Handler
	certs *Certs
}

// NewServer prepares a server: the handler (see NewHandler) and the TLS
// certificate, if cfg asks for one.
func NewServer(ctx context.Context, cfg Config, s store.Store, x Exposure) (*Server, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	certs, err := cfg.certs()
	if err != nil {
		return nil, err
	}
	h, err := NewHandler(ctx, cfg, s, x)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, h: h, certs: certs}, nil
}

// Handler returns the server's handler, to tell it of changes.
func (srv *Server) Handler() *Handler { return srv.h }

// Certs returns the server's certificate, nil without TLS.
func (srv *Server) Certs() *Certs { return srv.certs }

// URL returns the base URL of the API at addr.
func (srv *Server) URL(addr string) string {
	if srv.certs != nil {
		return "https://" + addr
	}
	return "http://" + addr
}

// Listen opens the server's TCP listener on cfg.Addr.
func (srv *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", srv.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", srv.cfg.Addr, err)
	}
	return ln, nil
}

// Serve serves the API on ln until ctx is cancelled, building the range
// packs in the background, then shuts down gracefully (see the function
// Serve). It closes ln.
func (srv *Server) Serve(ctx context.Context, ln net.Listener, ready func(addr string)) error {
	cfg, h := &srv.cfg, srv.h
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	if srv.certs != nil {
		hs.TLSConfig = srv.certs.Config()
	}
	errc := make(chan error, 1)
	go func() {
		if hs.TLSConfig != nil {
			// Certificates come from TLSConfig; ServeTLS also enables HTTP/2.
			errc <- hs.ServeTLS(ln, "", "")
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	bctx, stopBuild := context.WithCancel(ctx)
	var building sync.WaitGroup
	if cfg.RangeCache != "" {
		building.Go(func() {
			cpushare.Enter(cpushare.With(bctx, cfg.PackShare)) // the thread ends with this goroutine
			h.buildPacks(bctx, cfg.RangeCache)
		})
	}
	defer func() {
		stopBuild()
		building.Wait()
		h.closePacks() // no request runs any more
	}()
	addr := ln.Addr().String()
	cfg.Logger.Info("serving", "addr", addr, "tls", srv.certs != nil)
	if ready != nil {
		ready(addr)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		hs.Close()
		err = fmt.Errorf("shutting down: %w", err)
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("serving: %w", serr)
	}
	cfg.Logger.Info("stopped", "addr", addr)
	return err
}
