package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/control"
)

func setupKeyringRotate(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print what was rotated as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"keyring rotate takes no arguments"}
		}
		s, err := e.connect(ctx, useKeys)
		if err != nil {
			return err
		}
		defer s.end(true)
		rot, err := s.RotateKeyring(ctx)
		if errors.Is(err, control.ErrBusy) {
			return withHint(err, "rotate the key pair once the import has ended")
		}
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
