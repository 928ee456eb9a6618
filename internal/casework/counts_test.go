package casework

import (
	"context"
	"testing"
	"time"
)

// countingTx answers CountTasks with n and counts the calls; it has no
// other method.
type countingTx struct {
	TaskTx
	n     int
	calls int
}

func (c *countingTx) CountTasks(context.Context, TaskFilter) (int, error) {
	c.calls++
	return c.n, nil
}

func TestCountCache(t *testing.T) {
	ctx := context.Background()
	clock := NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	s := &Tasks{core: &core{clock: clock}, counts: newCountCache()}
	s.counts.from, s.counts.max = 10, 3
	team := TaskFilter{Teams: []string{"poort", "top"}}
	tx := &countingTx{n: 12}
	count := func(f TaskFilter) int {
		t.Helper()
		n, err := s.countTasks(ctx, tx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// A large count is kept: the second page within the time reads none.
	if n := count(team); n != 12 || tx.calls != 1 {
		t.Fatalf("first count = %d after %d reads, want 12 after 1", n, tx.calls)
	}
	tx.n = 13
	if n := count(TaskFilter{Teams: []string{"top", "poort"}, Limit: 51}); n != 12 || tx.calls != 1 {
		t.Errorf("same teams within %s = %d after %d reads, want the kept 12 after 1", s.counts.keep, n, tx.calls)
	}
	// Another filter is counted on its own.
	if n := count(TaskFilter{Teams: team.Teams, Unassigned: true}); n != 13 || tx.calls != 2 {
		t.Errorf("unassigned = %d after %d reads, want 13 after 2", n, tx.calls)
	}
	// After the time it is counted again.
	clock.Add(s.counts.keep)
	if n := count(team); n != 13 || tx.calls != 3 {
		t.Errorf("after %s = %d after %d reads, want 13 after 3", s.counts.keep, n, tx.calls)
	}
	// A small count is never kept.
	tx.n = 4
	mine := TaskFilter{HolderID: 7}
	count(mine)
	tx.n = 3
	if n := count(mine); n != 3 || tx.calls != 5 {
		t.Errorf("small count = %d after %d reads, want 3 after 5", n, tx.calls)
	}
	// Past the most filters kept, all are forgotten.
	tx.n = 20
	for i := range 3 {
		count(TaskFilter{HolderID: int64(100 + i)})
	}
	if got := len(s.counts.m); got > s.counts.max {
		t.Errorf("%d filters kept, want at most %d", got, s.counts.max)
	}
}
