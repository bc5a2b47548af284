// Package datadir opens a leakwatch data directory: the store and the key
// file it was written with, checked against each other before anything is
// read or written through them. A key file that is not the store's (another
// installation's, or one with a flipped bit) would answer "not found" for
// accounts that are there and write data nobody could find again; it is
// refused with keyring.ErrKeyMismatch.
//
// Backup writes a consistent snapshot of a data directory, open and
// serving or not, and Restore makes a new data directory of one (see
// backup.go for the format and why the key file stays out by default).
package datadir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// Errors callers branch on.
var (
	// ErrNoData reports a data directory without a store.
	ErrNoData = errors.New("no leakwatch data")
	// ErrNoKeyFile reports a store whose key file is not where it was
	// looked for.
	ErrNoKeyFile = errors.New("no key file")
	// ErrExists reports an Init of a directory that holds a store.
	ErrExists = errors.New("already a leakwatch data directory")
)

// Options say where a data directory and its key file are.
type Options struct {
	// Dir is the data directory; the store lives in Dir/store.
	Dir string
	// Keyring is the key file (default Dir/keyring.json).
	Keyring string
	// Store configures the store.
	Store pebblestore.Options
	// NeedKeys says that the caller reads or writes sealed data or account
	// keys, so the key file must be there. Without it a missing key file
	// is fine (listing the catalog needs none); a key file that is there
	// is always verified.
	NeedKeys bool
}

func (o Options) storeDir() string { return filepath.Join(o.Dir, "store") }

// SocketPath returns the path of the admin socket a server of the data
// directory listens on.
func (o Options) SocketPath() string { return filepath.Join(o.Dir, "admin.sock") }

// KeyringPath returns the key file's path: Keyring, or its default.
func (o Options) KeyringPath() string { return o.keyringPath() }

func (o Options) keyringPath() string {
	if o.Keyring != "" {
		return o.Keyring
	}
	return filepath.Join(o.Dir, "keyring.json")
}

// Dir is an open data directory. Close it; Store and Keyring are valid
// until then. Keyring is nil when it was not needed and is not there.
type Dir struct {
	Store   *pebblestore.Store
	Keyring *keyring.Keyring
	created []string // what Create made, newest last
	dir     string   // the data directory, when Create made something
	opts    Options  // how it was opened (Backup finds the key file)
}

// Open opens an existing data directory: ErrNoData if it holds no store,
// ErrNoKeyFile if the key file is needed and missing, an error wrapping
// keyring.ErrKeyMismatch if the key file is not the store's, and
// store.ErrLocked if another process has the store open.
func Open(ctx context.Context, o Options) (*Dir, error) {
	if _, err := os.Stat(o.storeDir()); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoData, o.Dir)
	}
	kr, err := loadKeyring(o.keyringPath())
	if err != nil && (o.NeedKeys || !errors.Is(err, ErrNoKeyFile)) {
		return nil, err
	}
	if kr != nil {
		// Verify on a read-only view first: a key file that does not
		// match is refused before anything is written to the store.
		ro := o.Store
		ro.ReadOnly, ro.CacheSize = true, 1<<20
		st, err := pebblestore.Open(o.storeDir(), ro)
		if errors.Is(err, store.ErrNoStore) {
			return nil, fmt.Errorf("%w in %s (its creation was interrupted)", ErrNoData, o.Dir)
		}
		if err != nil {
			return nil, err
		}
		err = verifyOnly(ctx, st, kr)
		st.Close()
		if err != nil {
			return nil, err
		}
	}
	st, err := pebblestore.Open(o.storeDir(), o.Store)
	if err != nil {
		return nil, err
	}
	if !o.Store.ReadOnly {
		// This process holds the store: a backup's temporary files are
		// those of one that died.
		removeStaleBackups(o.Dir)
	}
	d := &Dir{Store: st, Keyring: kr, opts: o}
	if kr != nil {
		if err := verify(ctx, st, kr); err != nil {
			st.Close()
			return nil, err
		}
		if err := indexDomains(ctx, st, kr); err != nil {
			st.Close()
			return nil, err
		}
	}
	return d, nil
}

// indexDomains puts the emails of a store written before the domain index
// existed in it, once (pebblestore.Store.IndexDomains): a domain's owner
// then finds its addresses whichever build imported them.
func indexDomains(ctx context.Context, st *pebblestore.Store, kr *keyring.Keyring) error {
	opener := keyring.NewOpener(kr, st)
	d := identity.New(kr)
	_, err := st.IndexDomains(ctx, func(sealed []byte) (store.DomainTag, error) {
		email, err := opener.Open(ctx, sealed)
		if err != nil {
			return store.DomainTag{}, err
		}
		return d.EmailDomain(email), nil
	})
	if err != nil {
		return fmt.Errorf("indexing the stored emails by domain: %w", err)
	}
	return nil
}

// Create opens the data directory, creating it first when it holds no
// store: the directory, a new key file (unless one is there to use) and
// an empty store that records the key file's check value. Discard removes
// what Create made. Creations of one directory by several processes at
// once are serialised by a lock on the directory: one creates, the others
// open what it made (or find it in use), and none removes what another
// made.
func Create(ctx context.Context, o Options) (*Dir, error) {
	o.NeedKeys = true
	if _, err := os.Stat(o.storeDir()); err == nil {
		d, err := Open(ctx, o)
		if !errors.Is(err, ErrNoData) {
			return d, err
		}
		// A creation that was interrupted: finish it below.
	}
	d := &Dir{dir: o.Dir, opts: o}
	fail := func(err error) (*Dir, error) {
		d.Discard()
		return nil, err
	}
	if err := d.mkdirAll(o.Dir); err != nil {
		return fail(err)
	}
	unlock, err := lockDir(o.Dir)
	if err != nil {
		return fail(err)
	}
	if done, err := complete(o); err != nil {
		unlock()
		return fail(err)
	} else if done {
		// Another process created it while this one waited.
		unlock()
		return Open(ctx, o)
	}
	defer unlock()
	kr, err := loadKeyring(o.keyringPath())
	if errors.Is(err, ErrNoKeyFile) {
		if err = d.mkdirAll(filepath.Dir(o.keyringPath())); err != nil {
			return fail(err)
		}
		kr, err = keyring.Create(o.keyringPath(), nil)
		if err == nil {
			d.created = append(d.created, o.keyringPath())
		}
	}
	if err != nil {
		return fail(err)
	}
	d.Keyring = kr
	if _, err := os.Stat(o.storeDir()); err != nil {
		d.created = append(d.created, o.storeDir())
	}
	if d.Store, err = pebblestore.Open(o.storeDir(), o.Store); err != nil {
		return fail(err)
	}
	if err := d.Store.InitKeyCheck(ctx, kr.Check()); err != nil {
		return fail(err)
	}
	if err := indexDomains(ctx, d.Store, kr); err != nil { // marks the empty store indexed
		return fail(err)
	}
	return d, nil
}

// complete reports whether the data directory holds a store whose creation
// finished (a schema version and a key check value recorded).
func complete(o Options) (bool, error) {
	if _, err := os.Stat(o.storeDir()); err != nil {
		return false, nil
	}
	st, err := pebblestore.Open(o.storeDir(), pebblestore.Options{ReadOnly: true, CacheSize: 1 << 20})
	if errors.Is(err, store.ErrNoStore) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer st.Close()
	_, err = st.KeyCheck(context.Background())
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Init creates a new data directory; ErrExists if it holds a store.
func Init(ctx context.Context, o Options) (*Dir, error) {
	if done, err := complete(o); err != nil {
		return nil, err
	} else if done {
		return nil, fmt.Errorf("%s: %w", o.Dir, ErrExists)
	}
	return Create(ctx, o)
}

// Created reports whether the data directory was made by Create.
func (d *Dir) Created() bool { return len(d.created) > 0 }

// mkdirAll makes dir and its missing parents one level at a time,
// remembering each it made (a directory that another process made first is
// not this one's to remove).
func (d *Dir) mkdirAll(dir string) error {
	dir = filepath.Clean(dir)
	var missing []string
	for p := dir; ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil {
			break
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		err := os.Mkdir(missing[i], 0o700)
		switch {
		case err == nil:
			d.created = append(d.created, missing[i])
		case errors.Is(err, fs.ErrExist):
		default:
			return err
		}
	}
	return nil
}

// Close closes the store.
func (d *Dir) Close() error {
	if d.Store == nil {
		return nil
	}
	return d.Store.Close()
}

// Discard closes the data directory and removes what Create made: an
// import that imported nothing leaves no data directory or key file behind.
// It removes nothing of a data directory that Open (or Create) found.
func (d *Dir) Discard() error {
	err := d.Close()
	if len(d.created) > 0 && d.dir != "" {
		if unlock, lerr := lockDir(d.dir); lerr == nil {
			defer unlock()
		}
	}
	for i := len(d.created) - 1; i >= 0; i-- {
		if rerr := os.RemoveAll(d.created[i]); err == nil {
			err = rerr
		}
	}
	d.created = nil
	return err
}

func loadKeyring(path string) (*keyring.Keyring, error) {
	kr, err := keyring.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoKeyFile, path)
	}
	return kr, err
}

// verifyOnly checks the key file against a read-only store: a store
// without a check value passes when it holds no sealed data (verify then
// records one).
func verifyOnly(ctx context.Context, st store.Store, kr *keyring.Keyring) error {
	check, err := st.KeyCheck(ctx)
	if errors.Is(err, store.ErrNotFound) {
		keys, err := st.DataKeys(ctx)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			return fmt.Errorf("%s: %w: the store holds data but no key check value", kr.Path(), keyring.ErrKeyMismatch)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if err := kr.Verify(check); err != nil {
		return fmt.Errorf("%s: %w", kr.Path(), err)
	}
	return nil
}

// verify checks the key file against the store's check value. A store
// without one (created by a process killed before it recorded it) adopts
// the key file if it holds no sealed data yet.
func verify(ctx context.Context, st store.Store, kr *keyring.Keyring) error {
	check, err := st.KeyCheck(ctx)
	if errors.Is(err, store.ErrNotFound) {
		keys, err := st.DataKeys(ctx)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			return fmt.Errorf("%s: %w: the store holds data but no key check value", kr.Path(), keyring.ErrKeyMismatch)
		}
		return st.InitKeyCheck(ctx, kr.Check())
	}
	if err != nil {
		return err
	}
	if err := kr.Verify(check); err != nil {
		return fmt.Errorf("%s: %w", kr.Path(), err)
	}
	return keyring.Adopt(ctx, kr, st, check)
}
