package alert

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// BenchmarkFanout queues the alerts of one breach that hits every one of
// N subscribed addresses (LEAKWATCH_FANOUT_N, default 20000; bench/alerts.sh
// runs a million), and reports the time per queued alert and the peak Go
// heap while queueing, which must not grow with N.
//
//	LEAKWATCH_FANOUT_N=1000000 go test -run XXX -bench Fanout -benchtime 1x ./internal/alert/
func BenchmarkFanout(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("LEAKWATCH_FANOUT_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	st, err := pebblestore.Open(filepath.Join(dir, "store"), pebblestore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	kr, err := keyring.Create(filepath.Join(dir, "keyring.json"), nil)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now().Add(-time.Hour)
	s := New(st, kr, owner.New(st, kr, owner.Config{}), Config{Now: func() time.Time { return t0 }})
	start := time.Now()
	if err := seedSubscribers(ctx, s, n, t0); err != nil {
		b.Fatal(err)
	}
	seeded := time.Since(start)
	leak := filepath.Join(dir, "leak.txt")
	f, err := os.Create(leak)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, "user%d@example.com:password%d\n", i, i)
	}
	w.Flush()
	f.Close()
	meta := catalog.New("Everyone", time.Now())
	opts := ingest.Options{Breach: meta, TempDir: dir, Event: func() []byte { return EncodeEvent("Everyone", time.Now()) }}
	if _, err := ingest.Import(ctx, st, kr, []string{leak}, opts); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d subscribers seeded in %s", n, seeded.Round(time.Millisecond))

	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	runtime.GC()
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	b.ResetTimer()
	queued := 0
	for b.Loop() {
		queued, err = s.Expand(ctx)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	if queued != n {
		b.Fatalf("queued %d alerts for %d subscribers", queued, n)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(queued), "ns/alert")
	b.ReportMetric(float64(queued)/b.Elapsed().Seconds(), "alerts/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}

// seedSubscribers writes n confirmed subscriptions by mail to
// user0@example.com... directly, in batches (Subscribe checks each
// address's confirmation and syncs each write: too slow for a million).
func seedSubscribers(ctx context.Context, s *Service, n int, at time.Time) error {
	var ops []store.RecordOp
	for i := range n {
		email := fmt.Sprintf("user%d@example.com", i)
		id := fmt.Appendf(nil, "%08x", i)
		sub := Subscription{ID: hex.EncodeToString(id), Kind: KindEmail, Target: email, MailTo: email, Created: at}
		rid := s.subscriptionID(KindEmail, email, id)
		sealed, err := s.v.SealJSON(ctx, rid, sub)
		if err != nil {
			return err
		}
		ops = append(ops, store.RecordOp{Table: store.TableSubscriptions, ID: rid, Value: sealed})
		if len(ops) == 4096 || i == n-1 {
			if err := s.st.WriteRecords(ctx, ops...); err != nil {
				return err
			}
			ops = ops[:0]
		}
	}
	return nil
}
