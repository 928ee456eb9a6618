package casework

import (
	"slices"
	"testing"
	"time"
)

// dueBefore orders as ListTasks' "due": the earliest deadline first, tasks
// without one last, equal deadlines by id.
func TestDueBefore(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 12, day, 0, 0, 0, 0, time.UTC) }
	tasks := []Task{{ID: 5}, {ID: 4, DueOn: d(9)}, {ID: 3}, {ID: 2, DueOn: d(3)}, {ID: 7, DueOn: d(3)}, {ID: 1, DueOn: d(9)}}
	slices.SortFunc(tasks, func(a, b Task) int {
		switch {
		case dueBefore(a, b):
			return -1
		case dueBefore(b, a):
			return 1
		}
		return 0
	})
	var got []int64
	for _, k := range tasks {
		got = append(got, k.ID)
	}
	if want := []int64{2, 7, 1, 4, 3, 5}; !slices.Equal(got, want) {
		t.Errorf("order by due = %v, want %v", got, want)
	}
}
