package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// storeDir is where the Pebble files live inside the data directory.
func (e *env) storeDir() string { return filepath.Join(e.data, "store") }

// keyringPath is the key file: --keyring, LEAKWATCH_KEYRING, or a file in
// the data directory beside (not inside) the store.
func (e *env) keyringPath() string {
	if e.keyring != "" {
		return e.keyring
	}
	return filepath.Join(e.data, "keyring.json")
}

// servingStoreOptions keep a server's memory small: range answers come
// from the range packs, so a large block cache buys little.
var servingStoreOptions = pebblestore.Options{CacheSize: 32 << 20}

// openStore opens the data directory's store. With create false, a missing
// data directory is an error rather than a new empty store.
func (e *env) openStore(create bool) (*pebblestore.Store, error) {
	return e.openStoreWith(create, pebblestore.Options{})
}

func (e *env) openStoreWith(create bool, opts pebblestore.Options) (*pebblestore.Store, error) {
	if !create {
		if _, err := os.Stat(e.storeDir()); errors.Is(err, fs.ErrNotExist) {
			return nil, withHint(fmt.Errorf("no leakwatch data in %s", e.data),
				"import a leak first (leakwatch import --breach NAME FILE), or name the data directory with --data or LEAKWATCH_DATA")
		}
	}
	if err := os.MkdirAll(e.data, 0o700); err != nil {
		return nil, err
	}
	s, err := pebblestore.Open(e.storeDir(), opts)
	if errors.Is(err, store.ErrLocked) {
		return nil, withHint(err, "stop the other leakwatch process (serve or import) using this data directory")
	}
	return s, err
}

// openSealed opens the store and its key file, for commands that read or
// write sealed data; create as for openStore and openKeyring. The caller
// closes the store.
func (e *env) openSealed(ctx context.Context, create bool, opts pebblestore.Options) (*pebblestore.Store, *keyring.Keyring, error) {
	st, err := e.openStoreWith(create, opts)
	if err != nil {
		return nil, nil, err
	}
	kr, err := e.openKeyring(ctx, st, create)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, kr, nil
}

// openKeyring loads the key file. It creates one only for a store that has
// never sealed anything: a store written under another key file must not be
// silently paired with a fresh one.
func (e *env) openKeyring(ctx context.Context, st store.Store, create bool) (*keyring.Keyring, error) {
	path := e.keyringPath()
	kr, err := keyring.Load(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return kr, err
	}
	keys, kerr := st.DataKeys(ctx)
	if kerr != nil {
		return nil, kerr
	}
	if !create || len(keys) > 0 {
		return nil, withHint(fmt.Errorf("no key file at %s", path),
			"pass the key file this data directory was written with: --keyring FILE or LEAKWATCH_KEYRING")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	return keyring.Create(path, nil)
}
