// Command corpus builds, exports and serves the Pwned Passwords benchmark
// corpus of bench/serve.sh: random SHA-1 hashes written straight into a
// leakwatch store through an import (no parsing), the per-prefix files
// nginx serves, and the leakwatch range API over the same store.
//
//	corpus -dir DIR -n 100000000       # build DIR/store (skipped if built)
//	corpus -dir DIR -split DIR/ranges  # export one {PREFIX}.txt per prefix
//	corpus -dir DIR -serve 127.0.0.1:0 [-range-cache DIR/cache]
//	                                   # serve; prints "ready ADDR" on stdout
//
// Counts follow a small skew (90% seen once, 8% twice, 2% three times), so
// lines have the width of real ranges. The hashes are reproducible for a
// seed.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "corpus: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "benchmark directory (holds store/ and keyring.json)")
	n := fs.Int64("n", 0, "build a corpus of N distinct SHA-1 hashes")
	seed := fs.Uint64("seed", 1, "random seed of the hashes")
	split := fs.String("split", "", "export one {PREFIX}.txt per prefix into this directory")
	addr := fs.String("serve", "", "serve the API on this address until SIGTERM")
	cache := fs.Int64("cache", 32<<20, "Pebble block cache in bytes (the OS page cache does the rest)")
	rangeCache := fs.String("range-cache", "", "with -serve, build range packs in this directory (api.Config.RangeCache)")
	cpuprofile := fs.String("cpuprofile", "", "with -serve, write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || (*n == 0 && *split == "" && *addr == "") {
		fs.Usage()
		return errors.New("need -dir and one of -n, -split, -serve")
	}
	st, err := pebblestore.Open(filepath.Join(*dir, "store"), pebblestore.Options{CacheSize: *cache})
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case *n > 0:
		return build(ctx, st, *n, *seed, stderr)
	case *split != "":
		start := time.Now()
		stats, err := pwned.Export(ctx, st, store.SHA1, *split, true, true)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "exported %d hashes into %d files (%d MB) in %v\n", stats.Hashes, stats.Files, stats.Bytes>>20, time.Since(start).Round(time.Second))
		return nil
	}
	kr, err := openKeyring(filepath.Join(*dir, "keyring.json"))
	if err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg := api.Config{Addr: *addr, RangeCache: *rangeCache, Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	return api.Serve(ctx, cfg, st, exposure.New(st, kr), func(a string) { fmt.Fprintf(stdout, "ready %s\n", a) })
}

func openKeyring(path string) (*keyring.Keyring, error) {
	kr, err := keyring.Load(path)
	if errors.Is(err, os.ErrNotExist) {
		return keyring.Create(path, nil)
	}
	return kr, err
}

// build imports n random hashes in chunks from two goroutines, so that
// one fills a chunk while the other's is sorted and spilled.
func build(ctx context.Context, st store.Store, n int64, seed uint64, stderr io.Writer) error {
	if ok, _ := st.SourceImported(ctx, "Benchmark", sourceID(n, seed)); ok {
		fmt.Fprintf(stderr, "corpus of %d hashes already built\n", n)
		return nil
	}
	start := time.Now()
	imp, err := st.BeginImport(ctx, catalog.New("Benchmark", start))
	if err != nil {
		return err
	}
	defer imp.Abort()
	const chunk = 1 << 20
	const workers = 2
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for w := range workers {
		wg.Go(func() {
			// Worker w makes the hashes of chunks w, w+workers, ...
			for c := int64(w); c*chunk < n; c += workers {
				if ctx.Err() != nil {
					return
				}
				rng := rand.New(rand.NewChaCha8(chunkSeed(seed, c)))
				f := &store.Facts{Passwords: make([]store.Password, 0, chunk*9/8)}
				for i := c * chunk; i < min(n, (c+1)*chunk); i++ {
					var h [20]byte
					for j := 0; j < 20; j += 8 {
						v := rng.Uint64()
						for k := j; k < min(j+8, 20); k++ {
							h[k] = byte(v)
							v >>= 8
						}
					}
					repeat := 1
					switch r := rng.IntN(100); {
					case r < 2:
						repeat = 3
					case r < 10:
						repeat = 2
					}
					// Each occurrence is a pair of its own, so repeats count.
					for range repeat {
						pw := store.Password{SHA1: h, NTLM: [16]byte(h[4:])}
						binary.BigEndian.PutUint64(pw.Print[:], uint64(i))
						pw.Print[8] = byte(len(f.Passwords))
						binary.BigEndian.PutUint32(pw.Print[12:], uint32(len(f.Passwords)))
						f.Passwords = append(f.Passwords, pw)
					}
				}
				if err := imp.Add(ctx, f); err != nil {
					mu.Lock()
					firstErr = cmpOr(firstErr, err)
					mu.Unlock()
					return
				}
				if c%16 == 0 {
					fmt.Fprintf(stderr, "added %d of %d hashes (%v)\n", min(n, (c+1)*chunk), n, time.Since(start).Round(time.Second))
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	added := time.Since(start)
	res, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{{ID: sourceID(n, seed), Name: fmt.Sprintf("random-%d-%d", n, seed), Rows: n}}})
	if err != nil {
		return err
	}
	_ = res
	fmt.Fprintf(stderr, "built a corpus of %d hashes in %v (adding %v, committing %v)\n", n, time.Since(start).Round(time.Second), added.Round(time.Second), (time.Since(start) - added).Round(time.Second))
	return nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func chunkSeed(seed uint64, chunk int64) [32]byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
		s[8+i] = byte(uint64(chunk) >> (8 * i))
	}
	return s
}

// sourceID names a corpus by its size and seed, so that a built corpus is
// recognised and not imported twice.
func sourceID(n int64, seed uint64) [32]byte {
	var id [32]byte
	copy(id[:], "leakwatch-bench-corpus")
	for i := range 8 {
		id[22+i%8] ^= byte(uint64(n) >> (8 * i))
		id[30+i%2] ^= byte(seed >> (8 * i))
	}
	return id
}
