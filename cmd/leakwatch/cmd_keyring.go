package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func setupKeyringRotate(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"keyring rotate takes no arguments"}
		}
		return keyringRotate(ctx, e)
	}
}

// keyringRotate rotates the key pair that wraps data keys. Crash-safe
// order: the key file first gains the new pair (old kept), then the store's
// data keys are re-wrapped, then the old pair is retired.
func keyringRotate(ctx context.Context, e *env) error {
	st, kr, err := e.openSealed(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	old := kr.KeyIDs()
	newID, err := kr.Rotate(nil)
	if err != nil {
		return err
	}
	if err := kr.Save(); err != nil {
		return err
	}
	wrapped, err := st.DataKeys(ctx)
	if err != nil {
		return err
	}
	var rewrapped []store.WrappedKey
	for _, w := range wrapped {
		var kw keyring.Wrapped
		if err := kw.UnmarshalBinary(w.Wrapped); err != nil {
			return fmt.Errorf("data key %d: %w", w.ID, err)
		}
		dk, err := kr.UnwrapDataKey(kw)
		if err != nil {
			return fmt.Errorf("data key %d: %w", w.ID, err)
		}
		nw, err := kr.WrapDataKey(dk)
		if err != nil {
			return err
		}
		b, err := nw.MarshalBinary()
		if err != nil {
			return err
		}
		rewrapped = append(rewrapped, store.WrappedKey{ID: w.ID, Wrapped: b})
	}
	if err := st.ReplaceDataKeys(ctx, rewrapped); err != nil {
		return err
	}
	for _, id := range old {
		if err := kr.Retire(id); err != nil {
			return err
		}
	}
	if err := kr.Save(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rotated: %d data keys re-wrapped under key pair %d; retired %v\n", len(rewrapped), newID, old)
	return nil
}
