package bench

import (
	"context"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestStatementsCompiledOnce: once a step's statements are in SQLite's
// statement caches, completing the same step for other clients compiles
// nothing, and neither do the pages that follow it (the worklist, the
// client's page, the next task's page) shown again for other clients. A statement compiled on every run costs more than it does (a
// parameter on the right of LIKE, or compared with a partial index's
// condition, makes SQLite plan it again for each value bound: that was a
// quarter of a step's time).
func TestStatementsCompiledOnce(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	svc, steps := stepsToComplete(t, db, 6, 31000000)
	compiles, ok, err := db.CountCompiles(ctx)
	if err != nil || !ok {
		t.Fatalf("count compiles: %v, %v", ok, err)
	}
	// A step and the pages a caseworker sees next, as the step's actor.
	complete := func(cs []completion) {
		t.Helper()
		for _, c := range cs {
			done, err := svc.CompleteTask(ctx, c.actor, c.task, c.ver, c.vals)
			if err != nil {
				t.Fatalf("complete task %d: %v", c.task, err)
			}
			if _, err := svc.Worklist(ctx, c.actor, casework.WorklistQuery{}); err != nil {
				t.Fatalf("worklist: %v", err)
			}
			if _, err := svc.ClientPage(ctx, c.actor, done.Task.ClientID, ""); err != nil {
				t.Fatalf("client page: %v", err)
			}
			for _, next := range done.Open {
				if _, err := svc.TaskPage(ctx, c.actor, next.ID); err != nil {
					t.Fatalf("task page %d: %v", next.ID, err)
				}
			}
		}
	}
	complete(steps[:3]) // fills the cache
	warm := compiles()
	if warm == 0 {
		t.Fatal("no statement compiled while the cache was filled: the counter counts nothing")
	}
	complete(steps[3:])
	if n := compiles() - warm; n != 0 {
		t.Errorf("3 more intakes and their pages compiled %d statements (the first 3: %d); want 0", n, warm)
	}
}
