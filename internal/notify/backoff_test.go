package notify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		random  float64
		want    time.Duration
	}{
		{1, 0, 0},
		{1, 0.5, 15 * time.Second},
		{1, 0.999999, 29999970 * time.Microsecond},
		{0, 0.5, 15 * time.Second},  // counts as 1
		{-3, 0.5, 15 * time.Second}, // counts as 1
		{2, 0.5, 30 * time.Second},
		{3, 0.5, time.Minute},
		{10, 1.0 / 256, 60 * time.Second},
		{10, 0.5, 2*time.Hour + 8*time.Minute},
		{11, 0.5, 3 * time.Hour}, // capped at 6h
		{1000, 0.5, 3 * time.Hour},
		{math.MaxInt, 0.5, 3 * time.Hour},
		{1, 1, 30*time.Second - 1}, // clamped below 1
		{1, 7, 30*time.Second - 1}, // clamped below 1
		{1, -1, 0},                 // clamped at 0
		{1, math.NaN(), 0},         // clamped at 0
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("attempt=%d/random=%v", tt.attempt, tt.random), func(t *testing.T) {
			if got := Backoff(tt.attempt, func() float64 { return tt.random }); got != tt.want {
				t.Errorf("Backoff(%d, %v) = %v, want %v", tt.attempt, tt.random, got, tt.want)
			}
		})
	}
}

// TestBackoffBounds draws from a seeded source and checks every delay is
// within [0, ceiling) for its attempt, and that delays spread over the
// window rather than bunching.
func TestBackoffBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ceilings := []time.Duration{
		30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, 64 * time.Minute, 128 * time.Minute, 256 * time.Minute,
		6 * time.Hour, 6 * time.Hour, 6 * time.Hour,
	}
	for i, ceiling := range ceilings {
		attempt := i + 1
		var lo, hi int
		for range 1000 {
			d := Backoff(attempt, r.Float64)
			if d < 0 || d >= ceiling {
				t.Fatalf("Backoff(%d) = %v, outside [0, %v)", attempt, d, ceiling)
			}
			if d < ceiling/4 {
				lo++
			}
			if d >= ceiling*3/4 {
				hi++
			}
		}
		if lo < 150 || hi < 150 {
			t.Errorf("attempt %d: %d delays in the first quarter, %d in the last, want about 250 each", attempt, lo, hi)
		}
	}
	// The same seed gives the same schedule.
	a, b := rand.New(rand.NewPCG(7, 7)), rand.New(rand.NewPCG(7, 7))
	for attempt := 1; attempt < 15; attempt++ {
		if x, y := Backoff(attempt, a.Float64), Backoff(attempt, b.Float64); x != y {
			t.Fatalf("Backoff(%d) = %v and %v from the same seed", attempt, x, y)
		}
	}
}

func ExampleBackoff() {
	r := rand.New(rand.NewPCG(1, 2)) // production: a randomly seeded source
	for attempt := 1; attempt <= 12; attempt += 3 {
		d := Backoff(attempt, r.Float64)
		fmt.Println(attempt, d < BackoffBase<<(attempt-1) && d < BackoffCap)
	}
	// Output:
	// 1 true
	// 4 true
	// 7 true
	// 10 true
}
