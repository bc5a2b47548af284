// Package cpushare bounds the CPU that background work, an import run by a
// server, takes from the requests the server answers. A context carries
// the Share the work may use: how many goroutines each of its CPU-bound
// stages runs, and whether they run at the lowest OS priority. The
// goroutines doing the work call Enter; code that fans out asks Limit how
// many goroutines it may start.
//
// A low share works with the kernel's scheduler, not Go's: each goroutine
// that enters it is locked to an OS thread of its own whose priority is
// lowered (nice 19), and the thread ends with the goroutine, so no other
// goroutine ever runs on it. For the requests to win, the Go scheduler
// must have a P free for them while the low threads hold theirs: a server
// that gives work a low share raises GOMAXPROCS by the share's goroutines
// (see Procs). On systems other than Linux a low share only caps
// goroutines.
package cpushare

import (
	"context"
	"runtime"
)

// Share is what background work may take of the CPU.
type Share struct {
	// Goroutines caps the goroutines of each CPU-bound stage of the work
	// (0: no cap, GOMAXPROCS).
	Goroutines int
	// Low runs the work's goroutines on OS threads of the lowest
	// priority, which the kernel runs only when no other thread of
	// normal priority wants the core.
	Low bool
}

type shareKey struct{}

// With returns a context that carries s.
func With(ctx context.Context, s Share) context.Context {
	return context.WithValue(ctx, shareKey{}, s)
}

// From returns the share ctx carries (the zero Share, no bound, if none).
func From(ctx context.Context) Share {
	s, _ := ctx.Value(shareKey{}).(Share)
	return s
}

// Limit returns how many goroutines a stage that would run n may run.
func (s Share) Limit(n int) int {
	if s.Goroutines > 0 && s.Goroutines < n {
		return max(1, s.Goroutines)
	}
	return max(1, n)
}

// Procs returns the GOMAXPROCS of a server with numCPU cores whose
// background work runs under s: with a low share, one P more per
// goroutine the work may lock to a thread, plus one for the goroutine
// that drives it, so that requests keep numCPU Ps.
func (s Share) Procs(numCPU int) int {
	if !s.Low || !lowerable {
		return numCPU
	}
	return numCPU + s.Limit(numCPU) + 1
}

// Enter puts the calling goroutine under ctx's share and reports whether
// it now runs at low priority. With a low share the goroutine is locked to
// its OS thread for the rest of its life: it must not call
// runtime.UnlockOSThread, and should be a goroutine started for the work,
// which ends with it (the thread ends then too).
func Enter(ctx context.Context) bool {
	if !From(ctx).Low || !lowerable {
		return false
	}
	runtime.LockOSThread()
	return lower() == nil
}

// Do runs f under ctx's share: with a low share in a goroutine that
// entered it, in the caller's goroutine otherwise. It returns when f does.
func Do(ctx context.Context, f func()) {
	if !From(ctx).Low || !lowerable {
		f()
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Enter(ctx)
		f()
	}()
	<-done
}
