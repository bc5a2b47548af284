package storetest

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/store"
)

// RunSnapshotter runs the suite of store.Snapshotter for a backend that
// implements it. open opens the store in dir, creating it when dir is
// empty or missing; RunSnapshotter closes what it opens.
func RunSnapshotter(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T, dir string) store.Store)
	}{
		{"CheckpointIsACopy", testCheckpointCopy},
		{"CheckpointDuringImports", testCheckpointDuringImports},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// openClosed opens dir with open and closes the store at the end of the test.
func openClosed(t *testing.T, open func(t *testing.T, dir string) store.Store, dir string) store.Store {
	t.Helper()
	s := open(t, dir)
	if _, ok := s.(store.Snapshotter); !ok {
		s.Close()
		t.Fatalf("%T does not implement store.Snapshotter", s)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func testCheckpointCopy(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	root := t.TempDir()
	s := openClosed(t, open, filepath.Join(root, "live"))
	mustImport(t, s, breach("Before"), &store.Facts{
		Accounts:  []store.Account{{Key: acct(1), Email: true, Range: store.RangeTag{1}, Sealed: []byte("sealed-1")}},
		Passwords: []store.Password{pw(1, 1)},
	}, store.Manifest{Sources: []store.Source{source("before.txt")}})
	if err := s.PutAPIKey(ctx, store.APIKey{Name: "client"}); err != nil {
		t.Fatal(err)
	}
	if err := s.InitKeyCheck(ctx, []byte("check")); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(root, "snap", "store")
	if err := s.(store.Snapshotter).Checkpoint(ctx, snap); err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	if err := s.(store.Snapshotter).Checkpoint(ctx, snap); !errors.Is(err, store.ErrExists) {
		t.Errorf("Checkpoint into an existing directory: %v, want ErrExists", err)
	}
	// What the source does afterwards is not in the copy, and the reverse.
	mustImport(t, s, breach("After"), &store.Facts{Passwords: []store.Password{pw(2, 1)}}, store.Manifest{})
	c := openClosed(t, open, snap)
	mustImport(t, c, breach("InCopy"), &store.Facts{Accounts: []store.Account{{Key: acct(1)}}}, store.Manifest{})

	if diff := cmp.Diff([]string{"Before", "InCopy"}, breachesOf(t, c, acct(1))); diff != "" {
		t.Errorf("copy: account breaches (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Before"}, breachesOf(t, s, acct(1))); diff != "" {
		t.Errorf("source after the copy was written: account breaches (-want +got):\n%s", diff)
	}
	if _, err := c.Breach(ctx, "After"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("copy holds an import committed after the checkpoint: %v", err)
	}
	sha := sha1Of(1)
	if n, err := c.PasswordCount(ctx, store.SHA1, sha[:]); err != nil || n != 1 {
		t.Errorf("copy: PasswordCount = %d, %v; want 1", n, err)
	}
	if n, _ := s.PasswordCount(ctx, store.SHA1, sha[:]); n != 2 {
		t.Errorf("source: PasswordCount = %d, want 2", n)
	}
	if got, err := c.EmailRange(ctx, store.RangeTag{1}); err != nil || len(got) != 1 || string(got[0]) != "sealed-1" {
		t.Errorf("copy: EmailRange = %q, %v", got, err)
	}
	if ok, err := c.SourceImported(ctx, "Before", source("before.txt").ID); err != nil || !ok {
		t.Errorf("copy: source ledger lost: %v, %v", ok, err)
	}
	if keys, err := c.APIKeys(ctx); err != nil || len(keys) != 1 {
		t.Errorf("copy: APIKeys = %v, %v", keys, err)
	}
	if check, err := c.KeyCheck(ctx); err != nil || string(check) != "check" {
		t.Errorf("copy: KeyCheck = %q, %v", check, err)
	}
}

// testCheckpointDuringImports takes checkpoints while imports commit one
// after another: each copy holds a prefix of the commits, every one of
// them whole.
func testCheckpointDuringImports(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	const imports, perImport = 12, 40
	root := t.TempDir()
	s := openClosed(t, open, filepath.Join(root, "live"))
	facts := func(k int) *store.Facts {
		f := &store.Facts{}
		for i := range perImport {
			n := k*1000 + i
			f.Accounts = append(f.Accounts, store.Account{Key: acct(n)})
			f.Passwords = append(f.Passwords, pw(n, n))
		}
		return f
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() {
		defer close(done)
		for k := range imports {
			// Not mustImport: t.Fatal belongs to the test's goroutine.
			imp, err := s.BeginImport(ctx, breach(fmt.Sprintf("B%02d", k)))
			if err == nil {
				if err = imp.Add(ctx, facts(k)); err == nil {
					_, err = imp.Commit(ctx, store.Manifest{})
				}
			}
			if err != nil {
				t.Errorf("import %d: %v", k, err)
				return
			}
		}
	})
	var snaps []string
	for i := 0; ; i++ {
		dir := filepath.Join(root, fmt.Sprintf("snap%d", i))
		if err := s.(store.Snapshotter).Checkpoint(ctx, dir); err != nil {
			t.Fatalf("Checkpoint: %v", err)
		}
		snaps = append(snaps, dir)
		select {
		case <-done:
		default:
			continue
		}
		break
	}
	wg.Wait()
	for _, dir := range snaps {
		c := openClosed(t, open, dir)
		bs, err := c.Breaches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for k := range imports {
			whole := k < len(bs)
			if whole && (bs[k].Name != fmt.Sprintf("B%02d", k) || bs[k].PwnCount != perImport) {
				t.Errorf("%s: breach %d is %s with %d accounts, want B%02d with %d", dir, k, bs[k].Name, bs[k].PwnCount, k, perImport)
			}
			for i := range perImport {
				n := k*1000 + i
				sha := sha1Of(n)
				got, err := c.PasswordCount(ctx, store.SHA1, sha[:])
				if err != nil {
					t.Fatal(err)
				}
				in := len(breachesOf(t, c, acct(n))) == 1
				if (got == 1) != whole || in != whole {
					t.Fatalf("%s holds %d of %d commits, but password %d of commit %d counts %d and its account is there: %v",
						dir, len(bs), imports, i, k, got, in)
				}
			}
		}
	}
	t.Logf("%d checkpoints during %d commits", len(snaps), imports)
}
