package cpushare

import (
	"context"
	"runtime"
	"testing"
)

func TestLimit(t *testing.T) {
	for _, tc := range []struct {
		s       Share
		n, want int
	}{
		{Share{}, 4, 4},
		{Share{Goroutines: 1}, 4, 1},
		{Share{Goroutines: 8}, 4, 4},
		{Share{Goroutines: 2, Low: true}, 2, 2},
		{Share{}, 0, 1},
	} {
		if got := tc.s.Limit(tc.n); got != tc.want {
			t.Errorf("%+v.Limit(%d) = %d, want %d", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestProcs(t *testing.T) {
	if got := (Share{Goroutines: 1}).Procs(2); got != 2 {
		t.Errorf("normal share: Procs(2) = %d, want 2", got)
	}
	want := 2
	if lowerable {
		want = 4 // 2 for requests, 1 worker, 1 driver
	}
	if got := (Share{Goroutines: 1, Low: true}).Procs(2); got != want {
		t.Errorf("low share: Procs(2) = %d, want %d", got, want)
	}
}

func TestFromWith(t *testing.T) {
	ctx := context.Background()
	if got := From(ctx); got != (Share{}) {
		t.Errorf("From(background) = %+v, want the zero Share", got)
	}
	s := Share{Goroutines: 3, Low: true}
	if got := From(With(ctx, s)); got != s {
		t.Errorf("From(With(%+v)) = %+v", s, got)
	}
}

// TestEnterLowers checks that Enter lowers the thread of a goroutine under
// a low share, and only that thread.
func TestEnterLowers(t *testing.T) {
	if !lowerable {
		t.Skip("no thread priorities on " + runtime.GOOS)
	}
	before, err := nice()
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		entered bool
		nice    int
		err     error
	}
	run := func(ctx context.Context) result {
		ch := make(chan result)
		go func() {
			var r result
			r.entered = Enter(ctx)
			r.nice, r.err = nice()
			ch <- r
		}()
		return <-ch
	}
	low := run(With(context.Background(), Share{Low: true}))
	if low.err != nil || !low.entered || low.nice != lowest {
		t.Errorf("low share: Enter = %v, nice %d (%v); want true, %d", low.entered, low.nice, low.err, lowest)
	}
	normal := run(With(context.Background(), Share{Goroutines: 1}))
	if normal.err != nil || normal.entered || normal.nice != before {
		t.Errorf("normal share: Enter = %v, nice %d (%v); want false, %d", normal.entered, normal.nice, normal.err, before)
	}
	var inDo int
	Do(With(context.Background(), Share{Low: true}), func() { inDo, err = nice() })
	if err != nil || inDo != lowest {
		t.Errorf("Do with a low share ran f at nice %d (%v), want %d", inDo, err, lowest)
	}
	if after, err := nice(); err != nil || after != before {
		t.Errorf("the test's own thread is at nice %d (%v) after, want %d", after, err, before)
	}
}
