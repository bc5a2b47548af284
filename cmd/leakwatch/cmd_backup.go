package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func setupBackup(fs *flag.FlagSet) runFunc {
	out := fs.String("out", "", "write the backup to `FILE` (- for standard output)")
	withKeys := fs.Bool("with-keys", false, "put the key file in the backup too (self-contained, and as secret as the key file; only on the server's host)")
	force := fs.Bool("force", false, "replace an existing --out (once the new backup is complete)")
	asJSON := fs.Bool("json", false, "print the backup's manifest as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"backup takes no arguments"}
		}
		if *out == "" {
			return usageError{"backup needs --out FILE"}
		}
		o := e.dirOptions(false, pebblestore.Options{})
		if *out != "-" && (inside(*out, e.data) || sameFile(*out, o.KeyringPath())) {
			return usageError{fmt.Sprintf("--out %s is in the data directory or is the key file: write backups elsewhere", quoteName(*out))}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		var m datadir.Manifest
		write := func(w io.Writer) error {
			var err error
			m, err = s.Backup(ctx, w, *withKeys)
			return err
		}
		if *out == "-" {
			err = write(e.stdout)
		} else {
			err = saveFile(*out, *force, write)
		}
		if err != nil {
			return err
		}
		if *asJSON && *out != "-" {
			return writeJSON(e, m)
		}
		keys := "without the key file: keep it apart, restore with --keyring FILE"
		if m.Keys {
			keys = "with the key file: keep this backup as secret as the key file"
		}
		notef(e, "backed up %d files (%s of data) of store schema %d, %s", len(m.Files), bytesHuman(m.Size()), m.Schema, keys)
		return nil
	}
}

// saveFile writes a file under a temporary name beside path, with mode
// 0600, and renames it into place once complete; an existing path is
// refused unless force.
func saveFile(path string, force bool, write func(io.Writer) error) error {
	if _, err := os.Lstat(path); err == nil && !force {
		return withHint(fmt.Errorf("%s: already exists", quoteName(path)), "choose another --out, or replace it with --force")
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".leakwatch-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename, there is nothing there
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func setupRestore(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print the restored backup's manifest as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"restore needs one backup FILE (or - for standard input)"}
		}
		var r io.Reader = e.stdin
		if args[0] != "-" {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		m, err := datadir.Restore(ctx, e.dirOptions(true, pebblestore.Options{}), r)
		switch {
		case errors.Is(err, datadir.ErrNotEmpty):
			return withHint(err, "restore into a new data directory: --data DIR names it")
		case errors.Is(err, datadir.ErrNoKeyFile), errors.Is(err, keyring.ErrKeyMismatch):
			return exitError{2, withHint(err, "this backup holds no key file: pass the key file of the data directory it was made of with --keyring FILE")}
		case err != nil:
			return err
		}
		if *asJSON {
			return writeJSON(e, m)
		}
		notef(e, "restored %d files (%s) of a backup made %s into %s", len(m.Files), bytesHuman(m.Size()), m.Created.Format("2006-01-02 15:04:05 UTC"), quoteName(e.data))
		return nil
	}
}
