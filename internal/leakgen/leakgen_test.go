package leakgen

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// generate runs Generate and fails the test on error.
func generate(t testing.TB, opts Options) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Generate(context.Background(), &buf, opts)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opts, err)
	}
	if st.Bytes != int64(buf.Len()) {
		t.Errorf("Generate(%+v): Stats.Bytes = %d, wrote %d", opts, st.Bytes, buf.Len())
	}
	return buf.Bytes(), st
}

// people returns the first n people of seed.
func people(seed uint64, n int) []Person {
	var out []Person
	for _, p := range People(seed) {
		if len(out) == n {
			break
		}
		out = append(out, p)
	}
	return out
}

// wantJunk is how many junk lines Generate writes for rows records: every
// junkEvery-th item is junk, and the last item is a record.
func wantJunk(rows, junkEvery int64) int64 {
	if junkEvery == 0 || rows == 0 {
		return 0
	}
	return (rows - 1) / (junkEvery - 1)
}

func TestDeterminism(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			opts := Options{Format: f, Rows: 400, Seed: 42, JunkEvery: 37}
			a, _ := generate(t, opts)
			b, _ := generate(t, opts)
			if !bytes.Equal(a, b) {
				t.Fatal("two runs with the same options differ")
			}
			opts.Seed = 43
			c, _ := generate(t, opts)
			if bytes.Equal(a, c) {
				t.Fatal("seeds 42 and 43 give the same output")
			}
		})
	}
}

// TestPrefixStable checks that a longer run starts with the records of a
// shorter one: row i does not depend on Rows.
func TestPrefixStable(t *testing.T) {
	for _, f := range []leakparse.Format{leakparse.FormatCombo, leakparse.FormatULP, leakparse.FormatNDJSON, leakparse.FormatPGDump} {
		t.Run(string(f), func(t *testing.T) {
			short, _ := generate(t, Options{Format: f, Rows: 50, Seed: 9})
			long, _ := generate(t, Options{Format: f, Rows: 80, Seed: 9})
			if f == leakparse.FormatPGDump {
				short = bytes.TrimSuffix(short, []byte(pgFooter))
			}
			if !bytes.HasPrefix(long, short) {
				t.Fatal("80 rows do not start with the 50 rows of the same seed")
			}
		})
	}
}

func TestStats(t *testing.T) {
	tests := []struct {
		rows, junkEvery int64
	}{
		{0, 0}, {1, 0}, {1, 2}, {2, 2}, {3, 2}, {10, 10}, {11, 10}, {1234, 0}, {1234, 7},
	}
	for _, f := range Formats() {
		for _, tc := range tests {
			opts := Options{Format: f, Rows: tc.rows, Seed: 5, JunkEvery: tc.junkEvery}
			_, st := generate(t, opts)
			if st.Rows != tc.rows || st.JunkLines != wantJunk(tc.rows, tc.junkEvery) {
				t.Errorf("%s rows=%d junk=%d: Stats = %+v, want %d rows and %d junk lines",
					f, tc.rows, tc.junkEvery, st, tc.rows, wantJunk(tc.rows, tc.junkEvery))
			}
		}
	}
}

func TestOptionsValidation(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"auto format", Options{Format: leakparse.FormatAuto, Rows: 1}},
		{"empty format", Options{Rows: 1}},
		{"unknown format", Options{Format: "xlsx", Rows: 1}},
		{"negative rows", Options{Format: leakparse.FormatCombo, Rows: -1}},
		{"junk every line", Options{Format: leakparse.FormatCombo, Rows: 1, JunkEvery: 1}},
		{"negative junk", Options{Format: leakparse.FormatCombo, Rows: 1, JunkEvery: -3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			st, err := Generate(context.Background(), &buf, tc.opts)
			if err == nil {
				t.Fatalf("Generate(%+v) succeeded", tc.opts)
			}
			if buf.Len() != 0 || st != (Stats{}) {
				t.Errorf("Generate(%+v) wrote %d bytes, stats %+v; want nothing", tc.opts, buf.Len(), st)
			}
		})
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, io.Discard, Options{Format: leakparse.FormatCombo, Rows: 10})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Generate with a cancelled context: err = %v, want context.Canceled", err)
	}
}

// cancelAfter cancels its context after n writes.
type cancelAfter struct {
	n      int
	cancel context.CancelFunc
}

func (w *cancelAfter) Write(p []byte) (int, error) {
	w.n--
	if w.n == 0 {
		w.cancel()
	}
	return len(p), nil
}

func TestContextCancelledMidway(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelAfter{n: 2, cancel: cancel}
	st, err := Generate(ctx, w, Options{Format: leakparse.FormatCombo, Rows: 1_000_000})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if st.Rows == 0 || st.Rows >= 1_000_000 || st.Bytes < 2*flushSize || st.Bytes >= 3*flushSize {
		t.Errorf("Stats = %+v after cancelling midway", st)
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct {
	limit int
	n     int
}

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		k := w.limit - w.n
		w.n = w.limit
		return k, errDiskFull
	}
	w.n += len(p)
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			w := &failingWriter{limit: 1000}
			st, err := Generate(context.Background(), w, Options{Format: f, Rows: 50_000, Seed: 1})
			if !errors.Is(err, errDiskFull) {
				t.Fatalf("err = %v, want %v", err, errDiskFull)
			}
			if st.Bytes != 1000 {
				t.Errorf("Stats.Bytes = %d, want the 1000 bytes the writer took", st.Bytes)
			}
		})
	}
}

// shortWriter claims to write less than it was given, without an error.
type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestShortWrite(t *testing.T) {
	_, err := Generate(context.Background(), shortWriter{}, Options{Format: leakparse.FormatCombo, Rows: 10})
	if !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("err = %v, want io.ErrShortWrite", err)
	}
}

func TestErrorsLeakNothing(t *testing.T) {
	w := &failingWriter{limit: 10}
	_, err := Generate(context.Background(), w, Options{Format: leakparse.FormatCombo, Rows: 100, Seed: 3})
	if err == nil {
		t.Fatal("no error")
	}
	for _, p := range people(3, 100) {
		if strings.Contains(err.Error(), p.Email) || strings.Contains(err.Error(), p.Password) && len(p.Password) > 3 {
			t.Fatalf("error %q contains a generated credential", err)
		}
	}
}

func TestFormats(t *testing.T) {
	want := []leakparse.Format{"combo", "ulp", "stealer", "csv", "tsv", "json", "ndjson", "mysql", "pgdump"}
	if diff := cmp.Diff(want, Formats()); diff != "" {
		t.Errorf("Formats() mismatch (-want +got):\n%s", diff)
	}
}
