package pebblestore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/cockroachdb/pebble/v2"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Overlap implements store.Store: one pass over the account table (keys
// acct16 breach4, so an account's breaches are adjacent) and one over the
// pair table (print16 breach4), counting for each entity of the breach the
// other breaches it is in.
func (s *Store) Overlap(ctx context.Context, breach string) (store.Overlap, error) {
	var o store.Overlap
	id, err := s.breachID(breach)
	if err != nil {
		return o, err
	}
	accounts, err := s.overlapTable(ctx, tAccount, id, &o.Accounts, &o.SharedAccounts)
	if err != nil {
		return o, err
	}
	pairs, err := s.overlapTable(ctx, tPair, id, &o.Pairs, &o.SharedPairs)
	if err != nil {
		return o, err
	}
	ids := map[uint32]bool{}
	for b := range accounts {
		ids[b] = true
	}
	for b := range pairs {
		ids[b] = true
	}
	for b := range ids {
		name, err := s.breachName(b)
		if err != nil {
			return o, err
		}
		o.Others = append(o.Others, store.OverlapWith{Breach: name, Accounts: accounts[b], Pairs: pairs[b]})
	}
	slices.SortFunc(o.Others, func(a, b store.OverlapWith) int { return strings.Compare(a.Breach, b.Breach) })
	return o, nil
}

// overlapTable scans a table whose keys are table1 entity16 breach4,
// counting the entities of breach id (total), those also elsewhere
// (shared), and by other breach.
func (s *Store) overlapTable(ctx context.Context, table byte, id uint32, total, shared *int64) (map[uint32]int64, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{table}, UpperBound: []byte{table + 1}})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	by := map[uint32]int64{}
	var entity [16]byte
	var group []uint32 // the breaches of the current entity
	flush := func() {
		if !slices.Contains(group, id) {
			return
		}
		*total++
		if len(group) > 1 {
			*shared++
		}
		for _, b := range group {
			if b != id {
				by[b]++
			}
		}
	}
	n := 0
	for it.First(); it.Valid(); it.Next() {
		k := it.Key()
		if len(k) != 21 {
			return nil, errors.New("corrupt account or pair entry")
		}
		if !bytes.Equal(k[1:17], entity[:]) {
			flush()
			copy(entity[:], k[1:17])
			group = group[:0]
		}
		group = append(group, binary.BigEndian.Uint32(k[17:]))
		if n++; n%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if n > 0 {
		flush()
	}
	return by, it.Error()
}
