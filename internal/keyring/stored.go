package keyring

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/leakwatch/leakwatch/internal/store"
)

// DataKeyStore is the part of a store that keeps wrapped data keys and the
// key check value (see store.Store).
type DataKeyStore interface {
	DataKeys(ctx context.Context) ([]store.WrappedKey, error)
	ReplaceDataKeys(ctx context.Context, keys []store.WrappedKey, check []byte) error
}

// Wrap wraps dk to the active KEM key pair (WrapDataKey) in the form a
// store keeps.
func (k *Keyring) Wrap(dk *DataKey) (store.WrappedKey, error) {
	w, err := k.WrapDataKey(dk)
	if err != nil {
		return store.WrappedKey{}, err
	}
	b, err := w.MarshalBinary()
	if err != nil {
		return store.WrappedKey{}, err
	}
	return store.WrappedKey{ID: dk.ID, Wrapped: b}, nil
}

// Unwrap recovers a data key from its stored form.
func (k *Keyring) Unwrap(w store.WrappedKey) (*DataKey, error) {
	var kw Wrapped
	if err := kw.UnmarshalBinary(w.Wrapped); err != nil {
		return nil, fmt.Errorf("data key %d: %w", w.ID, err)
	}
	if kw.DataKeyID != w.ID {
		return nil, fmt.Errorf("data key %d is stored as data key %d: %w", kw.DataKeyID, w.ID, ErrTampered)
	}
	dk, err := k.UnwrapDataKey(kw)
	if err != nil {
		return nil, fmt.Errorf("data key %d: %w", w.ID, err)
	}
	return dk, nil
}

// Opener opens records sealed under a store's data keys, unwrapping each
// data key once and keeping it. It is safe for concurrent use. A data key
// keeps its secret through rotations (only its wrapping changes), so the
// cache never goes stale; keys of later imports are looked up on first use.
type Opener struct {
	kr *Keyring
	st interface {
		DataKeys(ctx context.Context) ([]store.WrappedKey, error)
	}

	mu   sync.Mutex
	keys map[uint32]*DataKey
}

// NewOpener returns an Opener over st's data keys.
func NewOpener(kr *Keyring, st interface {
	DataKeys(ctx context.Context) ([]store.WrappedKey, error)
}) *Opener {
	return &Opener{kr: kr, st: st, keys: map[uint32]*DataKey{}}
}

// Open authenticates and decrypts a sealed record (DataKey.Open with nil
// dst and aad).
func (o *Opener) Open(ctx context.Context, sealed []byte) ([]byte, error) {
	id, err := SealedKeyID(sealed)
	if err != nil {
		return nil, err
	}
	dk, err := o.DataKey(ctx, id)
	if err != nil {
		return nil, err
	}
	return dk.Open(nil, sealed, nil)
}

// DataKey returns the data key id, unwrapping it on first use.
func (o *Opener) DataKey(ctx context.Context, id uint32) (*DataKey, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if dk, ok := o.keys[id]; ok {
		return dk, nil
	}
	wrapped, err := o.st.DataKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range wrapped {
		if w.ID != id {
			continue
		}
		dk, err := o.kr.Unwrap(w)
		if err != nil {
			return nil, err
		}
		o.keys[id] = dk
		return dk, nil
	}
	return nil, fmt.Errorf("data key %d is not in the store", id)
}

// Rotation is what RotateStore did.
type Rotation struct {
	NewKeyID  uint32   // the new active KEM key pair
	Rewrapped int      // data keys re-wrapped under it
	Retired   []uint32 // KEM key pairs removed from the key file
}

// RotateStore replaces the KEM key pair that wraps a store's data keys, in
// an order that is safe to interrupt at any point (every intermediate state
// verifies, and running it again finishes the job):
//
//  1. the key file gains a new active pair, keeping the old ones, and the
//     store's check value names both (so that a key file without the new
//     pair, which data keys of later imports may be wrapped under, no
//     longer matches; if the process dies before the store records this,
//     the next open of the data directory does it, see Adopt);
//  2. every data key is re-wrapped under the new pair, and the store
//     records the new data keys and the check value of the new pair in
//     one atomic write;
//  3. the old pairs are retired from the key file.
//
// Record contents are not touched: data keys keep their secrets.
func RotateStore(ctx context.Context, kr *Keyring, st DataKeyStore) (Rotation, error) {
	old := kr.KeyIDs()
	// No rotation while an import runs: fail before the key file changes.
	if err := st.ReplaceDataKeys(ctx, nil, kr.CheckFor(old)); err != nil {
		return Rotation{}, err
	}
	newID, err := kr.Rotate(nil)
	if err != nil {
		return Rotation{}, err
	}
	if err := st.ReplaceDataKeys(ctx, nil, kr.CheckFor(append(slices.Clone(old), newID))); err != nil {
		return Rotation{}, err
	}
	wrapped, err := st.DataKeys(ctx)
	if err != nil {
		return Rotation{}, err
	}
	rewrapped := make([]store.WrappedKey, 0, len(wrapped))
	for _, w := range wrapped {
		dk, err := kr.Unwrap(w)
		if err != nil {
			return Rotation{}, err
		}
		nw, err := kr.Wrap(dk)
		if err != nil {
			return Rotation{}, err
		}
		rewrapped = append(rewrapped, nw)
	}
	if err := st.ReplaceDataKeys(ctx, rewrapped, kr.CheckFor([]uint32{newID})); err != nil {
		return Rotation{}, err
	}
	for _, id := range old {
		if err := kr.Retire(id); err != nil {
			return Rotation{}, err
		}
	}
	return Rotation{NewKeyID: newID, Rewrapped: len(rewrapped), Retired: old}, nil
}

// Adopt makes a store's check value name the key file's active KEM key
// pair when it verifies but the check does not name that pair: the state a
// rotation leaves when it dies between adding the pair to the key file and
// telling the store. Without it a copy of the key file from before the
// rotation would still match while new data keys are wrapped under the new
// pair. check is the store's current value; Adopt does nothing when the
// active pair is named.
func Adopt(ctx context.Context, kr *Keyring, st DataKeyStore, check []byte) error {
	ids, err := CheckIDs(check)
	if err != nil {
		return err
	}
	active := kr.ActiveKeyID()
	if slices.Contains(ids, active) {
		return nil
	}
	return st.ReplaceDataKeys(ctx, nil, kr.CheckFor(append(ids, active)))
}
