package notify

import (
	"math"
	"time"
)

// The retry schedule of [Backoff].
const (
	BackoffBase = 30 * time.Second
	BackoffCap  = 6 * time.Hour
)

// Backoff returns how long to wait before the next try after attempt
// failed deliveries (1 after the first failure; less than 1 counts as 1):
// exponential backoff with full jitter, a uniform delay in [0, ceiling)
// where ceiling = min(BackoffCap, BackoffBase·2^(attempt-1)). The ceilings
// run 30s, 1m, 2m, 4m, 8m, 16m, 32m, 1h04m, 2h08m, 4h16m, then 6h from the
// 11th failure on. random returns a value in [0, 1), such as the Float64
// method of a math/rand/v2 *Rand; the result is deterministic given it, so
// tests can seed it. Values outside [0, 1) are clamped.
//
// Full jitter spreads the retries of many messages that failed together
// (a receiver down for an hour) over the whole window. A receiver's
// Retry-After, when there is one (see [RetryAfter]), should take precedence.
func Backoff(attempt int, random func() float64) time.Duration {
	ceiling := BackoffCap
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 20 { // 30s<<19 is far above the cap; no overflow
		ceiling = min(ceiling, BackoffBase<<(attempt-1))
	}
	f := random()
	if !(f >= 0) { // also NaN
		f = 0
	}
	if f >= 1 {
		f = math.Nextafter(1, 0)
	}
	return time.Duration(f * float64(ceiling))
}
