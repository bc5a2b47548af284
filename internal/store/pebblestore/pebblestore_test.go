package pebblestore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		// A tiny sort limit so that buckets are sorted in pieces and merged.
		s, err := Open(t.TempDir(), Options{SortBytes: 4 << 10, Stagers: 2, CacheSize: 8 << 20})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.PutBreach(ctx, catalog.New("Kept", catalog.Timestamp{}.Time)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, store.ErrLocked) {
		t.Errorf("second Open of a store in use: %v, want ErrLocked", err)
	}
	// A killed import leaves a temporary directory that Open removes.
	imp, err := s.BeginImport(ctx, catalog.New("Half", catalog.Timestamp{}.Time))
	if err != nil {
		t.Fatal(err)
	}
	_ = imp // never committed: as if the process died
	s.Close()
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Breach(ctx, "kept"); err != nil {
		t.Errorf("breach lost on reopen: %v", err)
	}
	if _, err := s.Breach(ctx, "half"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("uncommitted import visible after reopen: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "import.tmp")); err == nil {
		entries, _ := os.ReadDir(filepath.Join(dir, "import.tmp"))
		if len(entries) != 0 {
			t.Errorf("temporary import files survive reopen: %d", len(entries))
		}
	}
}

func TestUnknownSchema(t *testing.T) {
	dir := t.TempDir()
	db, err := pebble.Open(dir, &pebble.Options{Merger: counterMerger})
	if err != nil {
		t.Fatal(err)
	}
	db.Set(keySchema, []byte("99"), pebble.Sync)
	db.Close()
	if _, err := Open(dir, Options{}); !errors.Is(err, store.ErrUnknownSchema) {
		t.Errorf("Open of schema 99: %v, want ErrUnknownSchema", err)
	}
}

func TestSnapshotter(t *testing.T) {
	storetest.RunSnapshotter(t, func(t *testing.T, dir string) store.Store {
		s, err := Open(dir, Options{SortBytes: 4 << 10, Stagers: 2, CacheSize: 8 << 20})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// A store whose emails were imported before the domain index existed (no
// Account.Domain) gets them indexed once by IndexDomains.
func TestIndexDomains(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	imp, err := s.BeginImport(ctx, catalog.New("Old", catalog.Timestamp{}.Time))
	if err != nil {
		t.Fatal(err)
	}
	f := &store.Facts{Accounts: []store.Account{
		{Key: store.AccountKey{1}, Email: true, Range: store.RangeTag{1}, Sealed: []byte("a@one")},
		{Key: store.AccountKey{2}, Email: true, Range: store.RangeTag{2}, Sealed: []byte("b@two")},
	}}
	if err := imp.Add(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Commit(ctx, store.Manifest{}); err != nil {
		t.Fatal(err)
	}
	tag := func(sealed []byte) (store.DomainTag, error) { return store.DomainTag{sealed[len(sealed)-1]}, nil }
	for i, want := range []int64{2, 0} { // once only
		if n, err := s.IndexDomains(ctx, tag); err != nil || n != want {
			t.Fatalf("IndexDomains #%d = %d, %v; want %d", i+1, n, err, want)
		}
	}
	for d, want := range map[byte]string{'e': "a@one", 'o': "b@two"} {
		var got []string
		for a, err := range s.DomainAccounts(ctx, store.DomainTag{d}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(a.Sealed))
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("DomainAccounts(%q) = %q, want [%q]", d, got, want)
		}
	}
}
