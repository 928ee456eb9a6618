package web

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per key (a client address): burst tokens at
// most, refilled at perHour an hour. It lives in the memory of one
// instance; behind a load balancer each instance counts on its own.
type limiter struct {
	mu      sync.Mutex
	perHour float64
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the memory a flood of addresses can take: past it,
// buckets that have filled up again (addresses at rest) are dropped.
const maxBuckets = 100_000

// newLimiter returns a limiter, or nil (no limit) when perHour is 0.
func newLimiter(perHour, burst int, now func() time.Time) *limiter {
	if perHour <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = 1
	}
	return &limiter{perHour: float64(perHour), burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// take uses one token of key. Without one it says how long until there is.
func (l *limiter) take(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.fill(key, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.perHour * float64(time.Hour))
	return false, wait
}

// refund gives back a token taken for a request that was not carried out
// (a form refused for its input).
func (l *limiter) refund(key string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.fill(key, l.now())
	b.tokens = math.Min(l.burst, b.tokens+1)
}

// fill returns key's bucket with the tokens earned since it was last seen.
func (l *limiter) fill(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
		return b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d.Hours()*l.perHour)
		b.at = now
	}
	return b
}

// prune drops the buckets that are full again.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Hours()*l.perHour >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// retryAfter is the Retry-After value of a wait: whole seconds, at least 1.
func retryAfter(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
