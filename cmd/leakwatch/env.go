package main

import (
	"context"
	"errors"

	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/keyring"
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
