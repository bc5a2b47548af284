package leakgen

import (
	"context"
	"io"
	"testing"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// BenchmarkGenerate measures generation speed per format, writing to
// io.Discard. Recipe:
//
//	go test -run '^$' -bench Generate -benchtime 20x ./internal/leakgen
//
// rows/s is the figure to watch: the combo format should stay above three
// million rows per second on one core.
func BenchmarkGenerate(b *testing.B) {
	ctx := context.Background()
	for _, f := range Formats() {
		b.Run("format="+string(f), func(b *testing.B) {
			opts := Options{Format: f, Rows: 100_000, Seed: 1}
			// One warm-up run sizes SetBytes.
			st, err := Generate(ctx, io.Discard, opts)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Bytes)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(ctx, io.Discard, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(opts.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkPeople measures the iterator that yields full Person values.
func BenchmarkPeople(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for range People(1) {
		n++
		if n == b.N {
			break
		}
	}
}

// BenchmarkStealerTree measures writing an infostealer log folder tree. It
// is dominated by creating folders and files, so it measures the file
// system as much as the generator.
func BenchmarkStealerTree(b *testing.B) {
	ctx := context.Background()
	opts := Options{Format: leakparse.FormatStealer, Rows: 2_000, Seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GenerateStealerTree(ctx, b.TempDir(), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(opts.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
