package ingest

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store"
)

// niceStore records the nice value of the threads that add facts and
// commit.
type niceStore struct {
	store.Store
	mu     sync.Mutex
	adds   []int
	commit []int
}

func (s *niceStore) record(to *[]int) {
	// A goroutine under a low share is locked to its thread already; the
	// others are locked for the reading only.
	runtime.LockOSThread()
	p, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	runtime.UnlockOSThread()
	if err != nil {
		p = 100 // no nice value is -80
	}
	s.mu.Lock()
	*to = append(*to, 20-p) // the system call returns 20 - nice
	s.mu.Unlock()
}

func (s *niceStore) BeginImport(ctx context.Context, b catalog.Breach) (store.Import, error) {
	imp, err := s.Store.BeginImport(ctx, b)
	if err != nil {
		return nil, err
	}
	return &niceImport{imp, s}, nil
}

type niceImport struct {
	store.Import
	s *niceStore
}

func (i *niceImport) Add(ctx context.Context, f *store.Facts) error {
	i.s.record(&i.s.adds)
	return i.Import.Add(ctx, f)
}

func (i *niceImport) Commit(ctx context.Context, m store.Manifest) (store.Result, error) {
	i.s.record(&i.s.commit)
	return i.Import.Commit(ctx, m)
}

// TestLowShare checks that an import under a low cpushare.Share hashes and
// commits on threads of the lowest priority, and one without it does not.
func TestLowShare(t *testing.T) {
	for _, tc := range []struct {
		name  string
		share cpushare.Share
		nice  int // -1: the test's own
	}{
		{"low", cpushare.Share{Goroutines: 1, Low: true}, 19},
		{"normal", cpushare.Share{Goroutines: 1}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			st := &niceStore{Store: f.st}
			if tc.nice < 0 {
				var own []int
				st.record(&own)
				tc.nice = own[0]
			}
			p := genFile(t, t.TempDir(), leakparse.FormatCombo, 3000, 11)
			sum, err := Import(cpushare.With(ctx, tc.share), st, f.kr, []string{p},
				Options{Breach: catalog.New("Share", catalog.Timestamp{}.Time), TempDir: f.dataDir, Workers: tc.share.Goroutines})
			if err != nil || !sum.Committed {
				t.Fatalf("Import: committed %v, %v", sum != nil && sum.Committed, err)
			}
			if len(st.adds) == 0 || slices.ContainsFunc(st.adds, func(n int) bool { return n != tc.nice }) {
				t.Errorf("facts added at nice %v, want all at %d", st.adds, tc.nice)
			}
			if !slices.Equal(st.commit, []int{tc.nice}) {
				t.Errorf("committed at nice %v, want [%d]", st.commit, tc.nice)
			}
		})
	}
}
