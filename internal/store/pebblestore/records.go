package pebblestore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"

	"github.com/cockroachdb/pebble/v2"

	"github.com/leakwatch/leakwatch/internal/store"
)

// recordKey returns the key of a record: the table prefix, the record
// table, the id.
func recordKey(t store.Table, id []byte) []byte {
	k := make([]byte, 0, 2+len(id))
	return append(append(k, tRecord, byte(t)), id...)
}

// DomainAccounts implements store.Store.
func (s *Store) DomainAccounts(ctx context.Context, d store.DomainTag) iter.Seq2[store.SealedAccount, error] {
	lo := append([]byte{tDomain}, d[:]...)
	return s.sealedAccounts(ctx, lo, false)
}

// CountDomain implements store.Store: keys only, no sealed address read.
func (s *Store) CountDomain(ctx context.Context, d store.DomainTag, limit int64) (int64, error) {
	lo := append([]byte{tDomain}, d[:]...)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return 0, err
	}
	defer it.Close()
	var n int64
	for it.First(); it.Valid() && n < limit; it.Next() {
		if n++; n%(1<<16) == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
	}
	return n, it.Error()
}

// WebsiteAccounts implements store.Store.
func (s *Store) WebsiteAccounts(ctx context.Context, w store.DomainTag) iter.Seq2[store.SealedAccount, error] {
	lo := append([]byte{tWebsite}, w[:]...)
	return s.sealedAccounts(ctx, lo, true)
}

// sealedAccounts yields the accounts of an index whose keys are prefix
// then an account key, and whose values are the account's email range
// tag: each with its sealed email, found in the email range table. In a
// sighting index (sightings) keys end with a breach id and values start
// with the noise flag.
func (s *Store) sealedAccounts(ctx context.Context, prefix []byte, sightings bool) iter.Seq2[store.SealedAccount, error] {
	skip, tail := 0, 0
	if sightings {
		skip, tail = 1, 4
	}
	return func(yield func(store.SealedAccount, error) bool) {
		it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
		if err != nil {
			yield(store.SealedAccount{}, err)
			return
		}
		defer it.Close()
		for it.First(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				yield(store.SealedAccount{}, err)
				return
			}
			k, v := it.Key(), it.Value()
			if len(k) != len(prefix)+16+tail || len(v) != skip+8 {
				yield(store.SealedAccount{}, errors.New("corrupt index entry"))
				return
			}
			var a store.SealedAccount
			copy(a.Key[:], k[len(prefix):])
			if sightings {
				a.Noise = v[0] == 1
				if a.Breach, err = s.breachName(binary.BigEndian.Uint32(k[len(prefix)+16:])); err != nil {
					yield(store.SealedAccount{}, err)
					return
				}
			}
			ek := append(append([]byte{tEmailRange}, v[skip:]...), a.Key[:]...)
			if a.Sealed, err = s.get(ek); err != nil {
				yield(store.SealedAccount{}, fmt.Errorf("index refers to a missing email: %w", err))
				return
			}
			if !yield(a, nil) {
				return
			}
		}
		if err := it.Error(); err != nil {
			yield(store.SealedAccount{}, err)
		}
	}
}

// AccountSites implements store.Store.
func (s *Store) AccountSites(ctx context.Context, k store.AccountKey) ([]store.Site, error) {
	lo := append([]byte{tSite}, k[:]...)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []store.Site{}
	for it.First(); it.Valid(); it.Next() {
		key, v := it.Key(), it.Value()
		if len(key) != len(lo)+8+4 || len(v) != 1 {
			return nil, errors.New("corrupt site entry")
		}
		var site store.Site
		copy(site.Website[:], key[len(lo):])
		site.Noise = v[0] == 1
		if site.Breach, err = s.breachName(binary.BigEndian.Uint32(key[len(lo)+8:])); err != nil {
			return nil, err
		}
		if site.Sealed, err = s.get(append([]byte{tSiteName}, site.Website[:]...)); err != nil {
			return nil, fmt.Errorf("sighting of a website without a name: %w", err)
		}
		out = append(out, site)
	}
	return out, it.Error()
}

// breachName returns the name of the breach numbered id.
func (s *Store) breachName(id uint32) (string, error) {
	b, err := s.loadBreach(id)
	if err != nil {
		return "", fmt.Errorf("sighting of a missing breach: %w", err)
	}
	return b.Name, nil
}

// AccountInBreach implements store.Store.
func (s *Store) AccountInBreach(ctx context.Context, k store.AccountKey, breach string) (bool, error) {
	id, err := s.breachID(breach)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	key := binary.BigEndian.AppendUint32(append([]byte{tAccount}, k[:]...), id)
	if _, err := s.get(key); errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}

// PutDataKey implements store.Store.
func (s *Store) PutDataKey(ctx context.Context, k store.WrappedKey) error {
	if len(k.Wrapped) == 0 {
		return errors.New("recording data key: empty key")
	}
	return s.db.Set(u32key(tDataKey, k.ID), k.Wrapped, pebble.Sync)
}

// Record implements store.Store.
func (s *Store) Record(ctx context.Context, t store.Table, id []byte) ([]byte, error) {
	return s.get(recordKey(t, id))
}

// Records implements store.Store.
func (s *Store) Records(ctx context.Context, t store.Table, prefix []byte) iter.Seq2[store.Record, error] {
	return func(yield func(store.Record, error) bool) {
		lo := recordKey(t, prefix)
		it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
		if err != nil {
			yield(store.Record{}, err)
			return
		}
		defer it.Close()
		for it.First(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				yield(store.Record{}, err)
				return
			}
			r := store.Record{ID: bytes.Clone(it.Key()[2:]), Value: bytes.Clone(it.Value())}
			if !yield(r, nil) {
				return
			}
		}
		if err := it.Error(); err != nil {
			yield(store.Record{}, err)
		}
	}
}

// WriteRecords implements store.Store.
func (s *Store) WriteRecords(ctx context.Context, ops ...store.RecordOp) error {
	// The lock makes IfAbsent's read and the write one step.
	s.recordMu.Lock()
	defer s.recordMu.Unlock()
	b := s.db.NewBatch()
	defer b.Close()
	for _, op := range ops {
		k := recordKey(op.Table, op.ID)
		if op.Delete {
			if err := b.Delete(k, nil); err != nil {
				return err
			}
			continue
		}
		if op.IfAbsent {
			if _, err := s.get(k); err == nil {
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if err := b.Set(k, op.Value, nil); err != nil {
			return err
		}
	}
	return b.Commit(pebble.Sync)
}

// eventID returns the id of the event a commit of breach id writes at
// time nanos: ids sort in the order of commits.
func eventID(nanos int64, breach uint32) []byte {
	id := binary.BigEndian.AppendUint64(nil, uint64(nanos))
	return binary.BigEndian.AppendUint32(id, breach)
}

// keyDomainIndex marks a store whose every email is in the domain index.
var keyDomainIndex = []byte("\x00domainindex")

// IndexDomains puts in the domain index every email stored before the
// index existed (by builds that did not write it), once: tag gives the
// tag of a sealed email's domain. A store that was indexed already, or a
// read-only one, is left alone. It runs before the store serves: it must
// not run beside an import.
func (s *Store) IndexDomains(ctx context.Context, tag func(sealed []byte) (store.DomainTag, error)) (int64, error) {
	if s.opts.ReadOnly {
		return 0, nil
	}
	if _, err := s.get(keyDomainIndex); err == nil {
		return 0, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	lo := []byte{tEmailRange}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: prefixEnd(lo)})
	if err != nil {
		return 0, err
	}
	defer it.Close()
	b := s.db.NewBatch()
	defer func() { b.Close() }()
	var n int64
	for it.First(); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k := it.Key()
		if len(k) != 1+8+16 {
			return n, errors.New("corrupt email range entry")
		}
		d, err := tag(it.Value())
		if err != nil {
			return n, err
		}
		dk := append(append([]byte{tDomain}, d[:]...), k[9:]...)
		if err := b.Set(dk, k[1:9], nil); err != nil {
			return n, err
		}
		if n++; b.Len() > 4<<20 {
			if err := b.Commit(pebble.NoSync); err != nil {
				return n, err
			}
			b.Close()
			b = s.db.NewBatch()
		}
	}
	if err := it.Error(); err != nil {
		return n, err
	}
	if err := b.Set(keyDomainIndex, nil, nil); err != nil {
		return n, err
	}
	return n, b.Commit(pebble.Sync)
}
