// Package daemon runs leakwatch as a service: the public API of a data
// directory and, beside it, the admin API that every other command talks to
// while the server holds the store. The admin API listens on a Unix socket
// in the data directory, which only the directory's owner can open, and
// optionally on a TLS listener for remote operators, where every request
// needs an admin token. Imports, catalog edits, API keys and key rotations
// go through it while the public API answers; a commit reaches account
// lookups at once and the range packs after a background rebuild.
package daemon

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/privateindex"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/webui"
)

// Config configures a server.
type Config struct {
	// Data names the data directory and its key file; the key file must
	// be there.
	Data datadir.Options
	// API configures the public API (its Logger is Logger's when nil).
	API api.Config
	// AdminAddr, if not empty, also serves the admin API over TLS on this
	// address, with the public API's certificate (so the API must be
	// configured for TLS); every request must carry an admin token.
	AdminAddr string
	// Import configures imports run by the server (workers, priority).
	Import control.ImportLimits
	// Outbound is how the server mails, posts webhooks and checks domain
	// proofs; the server delivers alerts with it.
	Outbound control.Outbound
	// AlertPoll is how often the server looks for alerts to deliver when
	// no import woke it (default 5s).
	AlertPoll time.Duration
	// NoUI turns the web interface off; UIOperator shows the operator's
	// figures (imported files, quarantine counts) on its breach pages.
	NoUI, UIOperator bool
	// Logger receives the server's logs (nil discards them).
	Logger *slog.Logger
}

// Ready is where a started server listens.
type Ready struct {
	URL      string // the public API's base URL
	Socket   string // the admin socket's path
	AdminURL string // the admin TLS listener's base URL, if any
}

// ErrRunning reports a data directory a server already serves.
var ErrRunning = errors.New("a leakwatch server is already running on this data directory")

// lockWait is how long a starting server waits for a store another
// process holds.
const lockWait = 3 * time.Second

// maxSocketPath is the longest path a Unix socket address holds on Linux.
const maxSocketPath = 107

// adminShutdown bounds how long admin calls may take to end at shutdown
// (imports are aborted at once; a backup or an export stream is cut).
const adminShutdown = 10 * time.Second

// Run serves until ctx ends, then shuts down: it stops accepting, aborts a
// running import with nothing committed (its client is told the server is
// shutting down), lets other requests finish for a bounded time, removes
// the admin socket and closes the store. A value on reload reads the TLS
// certificate files again. ready, if not nil, is called once every
// listener accepts.
func Run(ctx context.Context, cfg Config, reload <-chan struct{}, ready func(Ready)) error {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.API.Logger == nil {
		cfg.API.Logger = log
	}
	cfg.Data.NeedKeys = true
	sock := cfg.Data.SocketPath()
	if abs, err := filepath.Abs(sock); err == nil && len(abs) > maxSocketPath {
		return fmt.Errorf("the admin socket's path %s is too long for a Unix socket: use a data directory with a shorter path", sock)
	}
	if answers(sock) {
		return fmt.Errorf("%w (%s answers)", ErrRunning, sock)
	}
	d, err := datadir.Open(ctx, cfg.Data)
	// A command that opened the store for a moment (status, breaches)
	// lets go soon; an import or another server does not.
	for wait := time.Now().Add(lockWait); errors.Is(err, store.ErrLocked) && !answers(sock) && time.Now().Before(wait); {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		d, err = datadir.Open(ctx, cfg.Data)
	}
	if errors.Is(err, store.ErrLocked) && answers(sock) {
		return fmt.Errorf("%w (%s answers)", ErrRunning, sock)
	}
	if err != nil {
		return err
	}
	s := &server{cfg: cfg, log: log, stop: make(chan struct{}), wake: make(chan struct{}, 1), privateWake: make(chan struct{}, 1)}
	s.local = control.NewLocal(d, cfg.Data.Dir, control.Hooks{
		KeysChanged: s.keysChanged,
		Committed:   s.committed,
		Status:      s.status,
	})
	s.local.SetImportLimits(cfg.Import)
	s.local.SetOutbound(cfg.Outbound)
	defer s.local.Close()
	// With imports at low priority, the Go scheduler keeps a P for every
	// core for requests beside the Ps the import's threads and the range
	// pack builder's hold (set after opening the store, whose memory
	// budgets follow GOMAXPROCS).
	if procs := cfg.Import.Share(0).Procs(runtime.GOMAXPROCS(0)); procs > runtime.GOMAXPROCS(0) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs + 1))
	}

	cfg.API.PackShare = cpushare.Share{Low: cfg.Import.Low}
	if o := s.local.Owners(); o != nil {
		cfg.API.Owners = o
	}
	if p := s.local.Private(); p != nil {
		cfg.API.Private = p
	}
	if s.local.Owners() != nil && !cfg.NoUI {
		uc := webui.Config{Backend: uiBackend{s.local}, Operator: cfg.UIOperator, Logger: log}
		if p := s.local.Private(); p != nil {
			uc.PrivateCheck = api.PrivateCheckHandler(p, log)
		}
		ui, err := webui.New(uc)
		if err != nil {
			return err
		}
		cfg.API.UI = ui
	}
	s.api, err = api.NewServer(ctx, cfg.API, d.Store, s.local.Exposure())
	if err != nil {
		return err
	}
	if cfg.AdminAddr != "" && s.api.Certs() == nil {
		return errors.New("the admin listener needs TLS: give the server a certificate (--tls-cert and --tls-key, or --tls-self-signed)")
	}
	ln, err := s.api.Listen()
	if err != nil {
		return err
	}
	defer ln.Close()
	var adminLn net.Listener
	if cfg.AdminAddr != "" {
		if adminLn, err = net.Listen("tcp", cfg.AdminAddr); err != nil {
			return fmt.Errorf("listening on %s: %w", cfg.AdminAddr, err)
		}
		defer adminLn.Close()
	}
	sockLn, err := listenSocket(sock)
	if err != nil {
		return err
	}
	defer removeSocket(sock, sockLn)
	return s.run(ctx, ln, sockLn, adminLn, reload, ready)
}

// server is a running daemon.
type server struct {
	cfg   Config
	log   *slog.Logger
	local *control.Local
	api   *api.Server
	// stop is closed at shutdown: running imports abort.
	stop chan struct{}
	// calls counts admin requests in progress: the store closes after the
	// last.
	calls sync.WaitGroup
	// wake tells the alert deliverer that an import committed, and
	// privateWake the private index's builder.
	wake, privateWake chan struct{}
}

func (s *server) run(ctx context.Context, ln, sockLn, adminLn net.Listener, reload <-chan struct{}, ready func(Ready)) error {
	admin := control.NewHandler(s.local, s.log, nil, s.stop)
	errc := make(chan error, 3)
	var servers []*http.Server
	serveAdmin := func(l net.Listener, h http.Handler, tlsConf *tls.Config) {
		hs := &http.Server{
			Handler:           s.counted(h),
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
			TLSConfig:         tlsConf,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		}
		servers = append(servers, hs)
		go func() {
			var err error
			if tlsConf != nil {
				err = hs.ServeTLS(l, "", "")
			} else {
				err = hs.Serve(l)
			}
			if !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("admin API: %w", err)
			}
		}()
	}
	serveAdmin(sockLn, admin, nil)
	r := Ready{Socket: sockLn.Addr().String()}
	if adminLn != nil {
		remote := control.NewHandler(s.local, s.log, control.StoreTokens{Store: s.local.Store()}, s.stop)
		serveAdmin(adminLn, remote, s.api.Certs().Config())
		r.AdminURL = "https://" + adminLn.Addr().String()
	}

	apiCtx, stopAPI := context.WithCancel(context.WithoutCancel(ctx))
	defer stopAPI()
	apiDone := make(chan error, 1)
	apiReady := make(chan string, 1)
	go func() { apiDone <- s.api.Serve(apiCtx, ln, func(addr string) { apiReady <- addr }) }()
	select {
	case addr := <-apiReady:
		r.URL = s.api.URL(addr)
	case err := <-apiDone:
		s.shutdown(servers)
		return err
	}
	s.log.Info("admin API listening", "socket", r.Socket, "remote", r.AdminURL)
	var alertsDone sync.WaitGroup
	if alerts := s.local.Alerts(); alerts != nil {
		poll := s.cfg.AlertPoll
		if poll <= 0 {
			poll = 5 * time.Second
		}
		alertsDone.Go(func() { alerts.Run(apiCtx, s.wake, poll, s.log) })
		alertsDone.Go(func() { s.renewDomains(apiCtx) })
		alertsDone.Go(func() { s.buildPrivate(apiCtx) })
	}
	defer alertsDone.Wait()
	if ready != nil {
		ready(r)
	}

	var err error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err = <-apiDone:
			apiDone = nil
			break loop
		case err = <-errc:
			break loop
		case <-reload:
			if c := s.api.Certs(); c != nil {
				if rerr := c.Reload(); rerr != nil {
					s.log.Error("reloading the TLS certificate failed; the old one stays", "err", rerr)
				} else {
					s.log.Info("TLS certificate reloaded", "sha256", c.Fingerprint())
				}
			}
		}
	}
	s.log.Info("shutting down")
	s.shutdown(servers)
	stopAPI()
	if apiDone != nil {
		if aerr := <-apiDone; err == nil {
			err = aerr
		}
	}
	return err
}

// shutdown aborts imports, closes the admin listeners and waits for the
// admin calls in progress.
func (s *server) shutdown(servers []*http.Server) {
	close(s.stop)
	sctx, cancel := context.WithTimeout(context.Background(), adminShutdown)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(sctx); err != nil {
			hs.Close() // cuts the connections, which cancels their calls
		}
	}
	s.calls.Wait()
}

// counted counts the calls of h in progress.
func (s *server) counted(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		defer s.calls.Done()
		h.ServeHTTP(w, r)
	})
}

func (s *server) keysChanged() {
	if err := s.api.Handler().KeysChanged(context.Background()); err != nil {
		s.log.Error("re-reading the API keys failed", "err", err)
	}
}

// renewEvery is how often the server looks for domain proofs to check again.
const renewEvery = time.Hour

// renewDomains checks again, at start and then hourly, the proofs of
// domains verified a year ago or more (owner.Service.Renew).
func (s *server) renewDomains(ctx context.Context) {
	t := time.NewTicker(renewEvery)
	defer t.Stop()
	for {
		rs, err := s.local.Owners().Renew(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("renewing domain proofs", "err", err)
		}
		for _, r := range rs {
			if r.Renewed {
				s.log.Info("domain proof renewed", "domain", r.Domain)
			} else {
				s.log.Warn("domain proof lapsed: its owner must verify it again", "domain", r.Domain, "err", r.Err)
				if r.MailErr != nil {
					s.log.Error("telling a domain's owner of a lapsed proof failed", "domain", r.Domain, "err", r.MailErr)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *server) committed() {
	s.api.Handler().DataChanged()
	for _, c := range []chan struct{}{s.wake, s.privateWake} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// privateEvery is how often the server looks for private-check work that
// no commit announced: pairs spooled before it started, epochs to retire.
const privateEvery = time.Minute

// buildPrivate builds the pairs imports spooled into the private index,
// in the background, on one core, after each commit and every
// privateEvery; it retires expired epochs too.
func (s *server) buildPrivate(ctx context.Context) {
	ix := s.local.Private()
	t := time.NewTicker(privateEvery)
	defer t.Stop()
	indexed := int64(-1)
	for {
		if on, err := ix.Enabled(ctx); on && err == nil {
			st, err := ix.Build(ctx, privateindex.BuildOptions{Workers: 1})
			if err != nil && ctx.Err() == nil {
				s.log.Error("building the private index", "err", err)
			} else if err == nil && st.Indexed != indexed {
				indexed = st.Indexed
				s.log.Debug("private index built", "indexed", st.Indexed)
			}
			if gone, err := ix.Retire(ctx, time.Now()); err != nil && ctx.Err() == nil {
				s.log.Error("retiring private-check epochs", "err", err)
			} else if len(gone) > 0 {
				s.log.Info("private-check epochs retired", "epochs", gone)
			}
		} else if err != nil && ctx.Err() == nil {
			s.log.Error("reading the private check's epochs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.privateWake:
		}
	}
}

func (s *server) status(st *control.Status) {
	h := s.api.Handler()
	ps := h.PackStatus()
	st.Packs = &control.PackState{State: ps.State, Bytes: ps.Bytes, Built: ps.Built}
	st.Requests = h.RequestRate()
}

// answers reports whether a server answers on the socket.
func answers(sock string) bool {
	conn, err := net.DialTimeout("unix", sock, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// listenSocket listens on the admin socket: made in a private directory,
// so that nobody can connect before its mode is 0600, then renamed over
// the path (replacing a stale socket of a server that died).
func listenSocket(sock string) (net.Listener, error) {
	dir, err := os.MkdirTemp(filepath.Dir(sock), ".a")
	if err != nil {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "s")
	if abs, err := filepath.Abs(tmp); err == nil && len(abs) > maxSocketPath {
		return nil, fmt.Errorf("the admin socket's path %s is too long for a Unix socket: use a data directory with a shorter path", sock)
	}
	ln, err := net.Listen("unix", tmp)
	if err != nil {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	if fi, err := os.Lstat(sock); err == nil && fi.Mode().Type() != os.ModeSocket {
		ln.Close()
		return nil, fmt.Errorf("admin socket: %s exists and is not a socket", sock)
	}
	if err := os.Rename(tmp, sock); err != nil {
		ln.Close()
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	return &socketListener{Listener: ln, path: sock}, nil
}

// socketListener reports the socket's final path as its address.
type socketListener struct {
	net.Listener
	path string
}

func (l *socketListener) Addr() net.Addr { return &net.UnixAddr{Name: l.path, Net: "unix"} }

// removeSocket closes the socket and removes its path unless another
// server has replaced it since.
func removeSocket(sock string, ln net.Listener) {
	ln.Close()
	if !answers(sock) {
		os.Remove(sock)
	}
}
