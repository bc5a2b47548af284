//go:build unix

package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// BenchmarkImport imports a generated leak of each format into a fresh
// store: parsing, hashing, sealing and the commit. Compare a change with
//
//	go test -bench Import -run XXX -count 6 ./internal/ingest/ > old.txt
//	benchstat old.txt new.txt
func BenchmarkImport(b *testing.B) {
	const rows = 100_000
	for _, format := range []leakparse.Format{leakparse.FormatCombo, leakparse.FormatULP, leakparse.FormatStealer, leakparse.FormatCSV} {
		b.Run(fmt.Sprintf("format=%s/rows=%d", format, rows), func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "leak-"+string(format)+".txt")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := leakgen.Generate(ctx, f, leakgen.Options{Format: format, Rows: rows, Seed: 7}); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			kr, err := keyring.Create(filepath.Join(dir, "keyring.json"), nil)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			n := 0
			var cpu time.Duration // of the process, across the imports: less disturbed by a busy machine than wall time
			for b.Loop() {
				b.StopTimer()
				n++
				st, err := pebblestore.Open(filepath.Join(dir, fmt.Sprint("store", n)), pebblestore.Options{SortBytes: 64 << 20})
				if err != nil {
					b.Fatal(err)
				}
				before := cpuTime()
				b.StartTimer()
				if _, err := Import(ctx, st, kr, []string{path}, Options{Breach: catalog.New("Bench", catalog.Timestamp{}.Time), TempDir: dir}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu += cpuTime() - before
				st.Close()
				os.RemoveAll(filepath.Join(dir, fmt.Sprint("store", n)))
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/rows, "cpu-ns/row")
		})
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
