package main

import (
	"context"
	"errors"
	"flag"
	"os"

	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/safetext"
)

func setupInit(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"init takes no arguments (name the directory with --data DIR)"}
		}
		_, statErr := os.Stat(e.dirOptions(true, servingStoreOptions).KeyringPath())
		d, err := datadir.Init(ctx, e.dirOptions(true, servingStoreOptions))
		if errors.Is(err, datadir.ErrExists) {
			return withHint(err, "it is ready: import into it, or serve it")
		}
		if err := explainOpen(err); err != nil {
			return err
		}
		kr := d.Keyring.Path()
		if err := d.Close(); err != nil {
			return err
		}
		if statErr == nil {
			notef(e, "created the data directory %s with the existing key file %s", safetext.Quote(e.data), safetext.Quote(kr))
		} else {
			notef(e, "created the data directory %s and the key file %s", safetext.Quote(e.data), safetext.Quote(kr))
		}
		notef(e, "keep the key file off the data volume and out of its backups, and back it up: without it the data is unreadable")
		return nil
	}
}
