// Package vault seals the small, mutable records a store keeps beside the
// leak data (domain owners, verified addresses, alert subscriptions and
// deliveries) under one data key of the store, so that the store holds no
// plaintext address, domain claim or webhook secret.
//
// Every process that writes records shares the key, so sealing uses random
// nonces (keyring.DataKey.Seal without a seed), never a Sealer's counter.
package vault

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

// settingID is the id, in store.TableSettings, of the vault key's id.
var settingID = []byte("vault-key")

// Vault seals and opens records. It is safe for concurrent use.
type Vault struct {
	st     store.Store
	kr     *keyring.Keyring
	rand   io.Reader
	opener *keyring.Opener

	mu sync.Mutex
	dk *keyring.DataKey
}

// New returns a Vault over a store and its keyring; rand (nil: crypto/rand)
// makes the key and the nonces.
func New(st store.Store, kr *keyring.Keyring, rand io.Reader) *Vault {
	return &Vault{st: st, kr: kr, rand: rand, opener: keyring.NewOpener(kr, st)}
}

// Seal seals plaintext, bound to aad (the record's id, so that a sealed
// value moved to another record does not open).
func (v *Vault) Seal(ctx context.Context, plaintext, aad []byte) ([]byte, error) {
	dk, err := v.key(ctx)
	if err != nil {
		return nil, err
	}
	return dk.Seal(nil, nil, plaintext, aad), nil
}

// Open opens what Seal sealed with the same aad.
func (v *Vault) Open(ctx context.Context, sealed, aad []byte) ([]byte, error) {
	id, err := keyring.SealedKeyID(sealed)
	if err != nil {
		return nil, err
	}
	dk, err := v.opener.DataKey(ctx, id)
	if err != nil {
		return nil, err
	}
	return dk.Open(nil, sealed, aad)
}

// SealJSON seals v as JSON for the record id (bound to it, as Seal binds
// aad).
func (v *Vault) SealJSON(ctx context.Context, id []byte, val any) ([]byte, error) {
	b, err := json.Marshal(val)
	if err != nil {
		return nil, err
	}
	return v.Seal(ctx, b, id)
}

// OpenJSON opens a record SealJSON sealed into val.
func (v *Vault) OpenJSON(ctx context.Context, r store.Record, val any) error {
	b, err := v.Open(ctx, r.Value, r.ID)
	if err != nil {
		return fmt.Errorf("opening a sealed record: %w", err)
	}
	return json.Unmarshal(b, val)
}

// key returns the vault's data key, creating it on first use. Two
// processes creating it at once both store a key; the setting names the
// one every process then uses.
func (v *Vault) key(ctx context.Context) (*keyring.DataKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.dk != nil {
		return v.dk, nil
	}
	raw, err := v.st.Record(ctx, store.TableSettings, settingID)
	if errors.Is(err, store.ErrNotFound) {
		id, err := v.st.NextDataKeyID(ctx)
		if err != nil {
			return nil, err
		}
		dk, err := keyring.NewDataKey(id, v.rand)
		if err != nil {
			return nil, err
		}
		w, err := v.kr.Wrap(dk)
		if err != nil {
			return nil, err
		}
		if err := v.st.PutDataKey(ctx, w); err != nil {
			return nil, err
		}
		op := store.RecordOp{Table: store.TableSettings, ID: settingID, Value: binary.BigEndian.AppendUint32(nil, id), IfAbsent: true}
		if err := v.st.WriteRecords(ctx, op); err != nil {
			return nil, err
		}
		raw, err = v.st.Record(ctx, store.TableSettings, settingID)
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if len(raw) != 4 {
		return nil, fmt.Errorf("corrupt vault key setting")
	}
	dk, err := v.opener.DataKey(ctx, binary.BigEndian.Uint32(raw))
	if err != nil {
		return nil, err
	}
	v.dk = dk
	return dk, nil
}
