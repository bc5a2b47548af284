package webui

import (
	"sync"
	"time"
)

// limiter allows each key n requests a period (a token bucket refilled
// continuously); it forgets keys idle for a period.
type limiter struct {
	mu      sync.Mutex
	perMin  float64 // tokens a period
	period  time.Duration
	now     func() time.Time
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return newLimiterPer(perMinute, time.Minute, now)
}

func newLimiterPer(n int, period time.Duration, now func() time.Time) *limiter {
	return &limiter{perMin: float64(n), period: period, now: now, buckets: map[string]*bucket{}}
}

func (l *limiter) allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > l.period {
		for k, b := range l.buckets {
			if now.Sub(b.last) > l.period {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[client]
	if b == nil {
		b = &bucket{tokens: l.perMin, last: now}
		l.buckets[client] = b
	}
	b.tokens = min(l.perMin, b.tokens+float64(now.Sub(b.last))/float64(l.period)*l.perMin)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
