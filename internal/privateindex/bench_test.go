package privateindex

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cloudflare/circl/oprf"
)

// BenchmarkBuild measures the index build from the spool of a real store
// (slow hash, two FullEvaluates, sealing the inputs, the tag segments and
// their compaction), on every core, against its floor measured in the same
// run: bare circl FullEvaluate of as many inputs on every core. It also
// times a rotation, which is the build without the slow hash.
//
//	LEAKWATCH_PRIVATE_BENCH_N=100000 go test -run XXX -bench Build -benchtime 1x ./internal/privateindex/
func BenchmarkBuild(b *testing.B) {
	n := 20000
	if s := os.Getenv("LEAKWATCH_PRIVATE_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		b.StopTimer()
		f := open(b)
		if _, err := f.ix.Enable(ctx, EnableOptions{ExpectedPairs: n}); err != nil {
			b.Fatal(err)
		}
		pairs := make([][2]string, n)
		for i := range pairs {
			pairs[i] = [2]string{fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("pass-%d", i)}
		}
		f.importPairs(b, "Bench", pairs)
		b.StartTimer()
		t0 := time.Now()
		if _, err := f.ix.Build(ctx, BuildOptions{}); err != nil {
			b.Fatal(err)
		}
		build := time.Since(t0)
		t0 = time.Now()
		if _, err := f.ix.Rotate(ctx, BuildOptions{Grace: 0}); err != nil {
			b.Fatal(err)
		}
		rotate := time.Since(t0)
		floor := fullEvaluateAllCores(b, n)
		b.ReportMetric(float64(n)/build.Seconds(), "build-pairs/s")
		b.ReportMetric(float64(n)/rotate.Seconds(), "rotate-pairs/s")
		b.ReportMetric(float64(n)/floor.Seconds(), "fulleval/s")
		b.ReportMetric(floor.Seconds()/build.Seconds(), "build/fulleval")
		b.ReportMetric(184e6/(float64(n)/build.Seconds())/3600, "h-184M")
		b.ReportMetric(184e6/(float64(n)/rotate.Seconds())/3600, "rotate-h-184M")
	}
}

// fullEvaluateAllCores times bare circl FullEvaluate of n inputs on every
// core.
func fullEvaluateAllCores(b *testing.B, n int) time.Duration {
	k, err := oprf.GenerateKey(oprf.SuiteRistretto255, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	srv := oprf.NewVerifiableServer(oprf.SuiteRistretto255, k)
	var next sync.Mutex
	i := 0
	t0 := time.Now()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				next.Lock()
				j := i
				i++
				next.Unlock()
				if j >= n {
					return
				}
				in := sha256.Sum256(binary.BigEndian.AppendUint32(nil, uint32(j)))
				if _, err := srv.FullEvaluate(in[:]); err != nil {
					panic(err)
				}
			}
		})
	}
	wg.Wait()
	return time.Since(t0)
}
