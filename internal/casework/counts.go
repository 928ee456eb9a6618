package casework

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Large task counts are kept for a short while. Every worklist page shows
// the count of its list and the navigation's counts; counting a busy
// team's open tasks reads every one of their index entries (18,000 for
// Team Poort at a city's size: more than half a millisecond on each page
// of each user). A count in the thousands that is seconds old tells a
// caseworker the same as a fresh one; a small count is cheap and always
// counted afresh, so whoever completes or picks up a task in a small list
// sees the count follow at once.
const (
	countKeepFrom = 1000             // counts at least this large are kept
	countKeepFor  = 10 * time.Second // for at most this long
	countKeepMax  = 1024             // filters kept at most; then all are forgotten
)

// countCache keeps the large counts of task filters (see countKeepFrom).
// It is safe for concurrent use; each process has its own.
type countCache struct {
	from int           // countKeepFrom
	keep time.Duration // countKeepFor
	max  int           // countKeepMax
	mu   sync.Mutex
	m    map[string]keptCount
}

type keptCount struct {
	n  int
	at time.Time
}

func newCountCache() *countCache {
	return &countCache{from: countKeepFrom, keep: countKeepFor, max: countKeepMax, m: map[string]keptCount{}}
}

// countKey names what a filter counts: its cursor, limit and order aside.
func countKey(f TaskFilter) string {
	teams := slices.Clone(f.Teams)
	slices.Sort(teams)
	var due string
	if !f.DueBefore.IsZero() {
		due = f.DueBefore.Format(time.DateOnly)
	}
	return fmt.Sprintf("%s|%d|%t|%s|%s|%s|%s|%d", strings.Join(teams, ","), f.HolderID, f.Unassigned, f.Status,
		f.Step, f.CaseCode, due, f.ClientID)
}

// countTasks is tx.CountTasks, a large count kept for a while (countKeepFor)
// on the service's clock.
func (s *Tasks) countTasks(ctx context.Context, tx TaskTx, f TaskFilter) (int, error) {
	c := s.counts
	if c == nil {
		return tx.CountTasks(ctx, f)
	}
	key, now := countKey(f), s.clock.Now()
	c.mu.Lock()
	k, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Sub(k.at) < c.keep && !now.Before(k.at) {
		return k.n, nil
	}
	n, err := tx.CountTasks(ctx, f)
	if err != nil || n < c.from {
		return n, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = keptCount{n: n, at: now}
	c.mu.Unlock()
	return n, nil
}
