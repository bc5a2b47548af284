package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/safetext"

	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/outbound"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// servingStoreOptions keep a server's memory small: range answers come
// from the range packs, so a large block cache buys little.
var servingStoreOptions = pebblestore.Options{CacheSize: 32 << 20}

// dirOptions says where this invocation's data directory and key file are.
func (e *env) dirOptions(needKeys bool, opts pebblestore.Options) datadir.Options {
	return datadir.Options{Dir: e.data, Keyring: e.keyring, Store: opts, NeedKeys: needKeys}
}

// open opens the existing data directory; needKeys for commands that read
// or write sealed data or account keys. A key file that is there is always
// verified against the store.
func (e *env) open(ctx context.Context, needKeys bool, opts pebblestore.Options) (*datadir.Dir, error) {
	d, err := datadir.Open(ctx, e.dirOptions(needKeys, opts))
	return d, explainOpen(err)
}

// create opens the data directory, creating it when there is none (an
// import, the demo, init). Discard undoes the creation.
func (e *env) create(ctx context.Context, opts pebblestore.Options) (*datadir.Dir, error) {
	d, err := datadir.Create(ctx, e.dirOptions(true, opts))
	return d, explainOpen(err)
}

const keyringHint = "pass the key file this data directory was written with: --keyring FILE or LEAKWATCH_KEYRING"

// explainOpen adds the hint a user needs to the errors of opening a data
// directory; a key file that does not match is exit status 2.
func explainOpen(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, datadir.ErrNoData):
		return withHint(err, "leakwatch init creates one, and so does an import (leakwatch import --breach NAME FILE); name another with --data DIR or LEAKWATCH_DATA")
	case errors.Is(err, datadir.ErrNoKeyFile):
		return exitError{2, withHint(err, keyringHint)}
	case errors.Is(err, keyring.ErrKeyMismatch):
		return exitError{2, withHint(err, keyringHint)}
	case errors.Is(err, store.ErrUnknownSchema):
		return withHint(err, "a store of schema version 1 (leakwatch before counting passwords once per credential) cannot be upgraded in place: import the leaks again into a new data directory")
	case errors.Is(err, store.ErrLocked):
		return withHint(err, "stop the other leakwatch process (serve or import) using this data directory")
	}
	return err
}

// access is what a command needs of a data directory it opens itself.
type access int

const (
	readStore  access = iota // the store
	useKeys                  // the store and the key file
	createData               // both, creating the data directory if there is none
)

// session is the Service a command works through: a running server's
// admin API, or the data directory opened in this process.
type session struct {
	control.Service
	dir *datadir.Dir // opened here; nil when a server answers
}

// connect finds the Service of this invocation: the server named by
// --server (LEAKWATCH_SERVER), else the server listening on the data
// directory's socket, else the data directory itself, opened here as
// access says. Close the session with end.
func (e *env) connect(ctx context.Context, acc access) (*session, error) {
	if e.server != "" {
		return e.dialServer()
	}
	o := e.dirOptions(false, pebblestore.Options{})
	if fi, err := os.Lstat(o.SocketPath()); err == nil && fi.Mode()&os.ModeSocket != 0 {
		c, err := control.DialSocket(ctx, o.SocketPath(), []string{e.data, o.KeyringPath()})
		if err == nil {
			return &session{Service: c}, nil
		}
		if !errors.Is(err, control.ErrNoServer) {
			return nil, err
		}
		// A stale socket: no server runs; the store is ours.
	}
	var d *datadir.Dir
	var err error
	if acc == createData {
		d, err = e.create(ctx, pebblestore.Options{})
	} else {
		d, err = e.open(ctx, acc == useKeys, pebblestore.Options{})
	}
	if err != nil {
		return nil, err
	}
	out, err := outbound.FromEnv(e.getenv).Outbound()
	if err != nil {
		d.Close()
		return nil, err
	}
	l := control.NewLocal(d, e.data, control.Hooks{})
	l.SetOutbound(out)
	return &session{Service: l, dir: d}, nil
}

// dialServer connects to a remote server's TLS admin listener.
func (e *env) dialServer() (*session, error) {
	token := e.getenv("LEAKWATCH_ADMIN_TOKEN")
	if token == "" {
		return nil, withHint(errors.New("--server needs an admin token in LEAKWATCH_ADMIN_TOKEN"),
			"create one on the server: leakwatch admin token create NAME")
	}
	var roots *tls.Config
	if e.serverCA != "" {
		pem, err := os.ReadFile(e.serverCA)
		if err != nil {
			return nil, fmt.Errorf("--server-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--server-ca %s: no PEM certificate in it", safetext.Quote(e.serverCA))
		}
		roots = &tls.Config{RootCAs: pool}
	}
	c, err := control.DialURL(e.server, token, roots)
	if err != nil {
		return nil, err
	}
	return &session{Service: c}, nil
}

// local reports whether the session opened the data directory here.
func (s *session) local() bool { return s.dir != nil }

// end closes the session; keep false undoes a data directory this
// command created (an import that committed nothing).
func (s *session) end(keep bool) error {
	if s.dir != nil && !keep {
		return s.dir.Discard()
	}
	return s.Close()
}
