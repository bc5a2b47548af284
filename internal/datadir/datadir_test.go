package datadir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/keyring"
)

var ctx = context.Background()

func TestCreateOpenDiscard(t *testing.T) {
	root := t.TempDir()
	o := Options{Dir: filepath.Join(root, "a", "data")}
	if _, err := Open(ctx, o); !errors.Is(err, ErrNoData) {
		t.Fatalf("Open of nothing: %v, want ErrNoData", err)
	}
	if _, err := os.Stat(o.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open created %s", o.Dir)
	}
	d, err := Create(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Created() {
		t.Error("Create of a new directory reports it found one")
	}
	// Discard removes everything Create made, up to the first directory
	// that existed.
	if err := d.Discard(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "a")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Discard left %s", filepath.Join(root, "a"))
	}
	d, err = Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := Init(ctx, o); !errors.Is(err, ErrExists) {
		t.Errorf("second Init: %v, want ErrExists", err)
	}
	d, err = Create(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if d.Created() {
		t.Error("Create of an existing directory reports it made it")
	}
	d.Discard() // removes nothing it did not make
	d, err = Open(ctx, Options{Dir: o.Dir, NeedKeys: true})
	if err != nil {
		t.Fatalf("Discard of an opened directory removed it: %v", err)
	}
	d.Close()
}

func TestWrongKeyFileIsRefused(t *testing.T) {
	o := Options{Dir: t.TempDir()}
	d, err := Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	other, err := keyring.Create(filepath.Join(t.TempDir(), "other.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, need := range []bool{true, false} {
		_, err := Open(ctx, Options{Dir: o.Dir, Keyring: other.Path(), NeedKeys: need})
		if !errors.Is(err, keyring.ErrKeyMismatch) {
			t.Errorf("NeedKeys %v: Open with another key file: %v, want ErrKeyMismatch", need, err)
		}
	}
	// Create does not pair a store with a new key file either.
	if _, err := Create(ctx, Options{Dir: o.Dir, Keyring: filepath.Join(t.TempDir(), "new.json")}); !errors.Is(err, ErrNoKeyFile) {
		t.Errorf("Create with a missing key file for an existing store: %v, want ErrNoKeyFile", err)
	}
	// Without the key file, what needs none still works.
	d, err = Open(ctx, Options{Dir: o.Dir, Keyring: filepath.Join(t.TempDir(), "absent.json")})
	if err != nil || d.Keyring != nil {
		t.Fatalf("Open without a key file when none is needed: %v", err)
	}
	d.Close()
	if _, err := Open(ctx, Options{Dir: o.Dir, Keyring: filepath.Join(t.TempDir(), "absent.json"), NeedKeys: true}); !errors.Is(err, ErrNoKeyFile) {
		t.Errorf("Open without a needed key file: %v, want ErrNoKeyFile", err)
	}
}

// TestRefusalWritesNothing: a key file that does not match is refused
// before the store is written to.
func TestRefusalWritesNothing(t *testing.T) {
	o := Options{Dir: t.TempDir()}
	d, err := Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	list := func() map[string]int64 {
		m := map[string]int64{}
		entries, _ := os.ReadDir(filepath.Join(o.Dir, "store"))
		for _, e := range entries {
			fi, _ := e.Info()
			m[e.Name()] = fi.Size()
		}
		return m
	}
	before := list()
	other, _ := keyring.Create(filepath.Join(t.TempDir(), "other.json"), nil)
	if _, err := Open(ctx, Options{Dir: o.Dir, Keyring: other.Path(), NeedKeys: true}); !errors.Is(err, keyring.ErrKeyMismatch) {
		t.Fatalf("Open: %v", err)
	}
	after := list()
	for name, size := range after {
		if before[name] != size {
			t.Errorf("the refused open wrote %s", name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("the refused open changed the store's files: %v -> %v", before, after)
	}
}

// TestInterruptedCreation: a creation killed before the store was made
// leaves a directory that reads as no data, and that the next creation
// completes.
func TestInterruptedCreation(t *testing.T) {
	o := Options{Dir: t.TempDir()}
	if err := os.MkdirAll(filepath.Join(o.Dir, "store"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Create(filepath.Join(o.Dir, "keyring.json"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, Options{Dir: o.Dir}); !errors.Is(err, ErrNoData) {
		t.Fatalf("Open of a half-made store: %v, want ErrNoData", err)
	}
	d, err := Create(ctx, o)
	if err != nil {
		t.Fatalf("Create over a half-made store: %v", err)
	}
	d.Close()
	d, err = Open(ctx, Options{Dir: o.Dir, NeedKeys: true})
	if err != nil {
		t.Fatalf("Open after completing: %v", err)
	}
	d.Close()
}
