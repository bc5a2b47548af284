package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func setupKeyringRotate(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print what was rotated as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"keyring rotate takes no arguments"}
		}
		d, err := e.open(ctx, true, pebblestore.Options{})
		if err != nil {
			return err
		}
		defer d.Close()
		rot, err := keyring.RotateStore(ctx, d.Keyring, d.Store)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, struct {
				NewKeyID  uint32   `json:"new_key_pair"`
				Rewrapped int      `json:"rewrapped_data_keys"`
				Retired   []uint32 `json:"retired_key_pairs"`
			}{rot.NewKeyID, rot.Rewrapped, rot.Retired})
		}
		fmt.Fprintf(e.stdout, "rotated: %d data keys re-wrapped under key pair %d; retired %v\n", rot.Rewrapped, rot.NewKeyID, rot.Retired)
		return nil
	}
}
