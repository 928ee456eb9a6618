package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/riverqueue/river"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// testJob is a job kind of this test; testKinds builds it for the
// store's job kind.
type testJob struct {
	ID int64 `json:"id"`
}

func (testJob) Kind() string { return "test_job" }

type testKinds struct{}

func (testKinds) Deliver(id int64, _ bool) river.JobArgs { return testJob{ID: id} }

// deliver is the delivery job of message id.
func deliver(k JobArgs, id int64) river.JobArgs { return k.Deliver(id, false) }

// TestJobsOfRolledBackSavepoint: a transaction's jobs are inserted
// together when it commits (flushJobs), except those inserted inside a
// savepoint that was rolled back: their rows are undone, so they would
// carry out nothing. A transaction that rolls back inserts none.
func TestJobsOfRolledBackSavepoint(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"), WithJobs(testKinds{}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	jobIDs := func(q querier) map[int64]bool {
		t.Helper()
		rows, err := q.QueryContext(ctx, `SELECT json_extract(args, '$.id') FROM river_job WHERE kind = 'test_job'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		ids := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids[id] = true
		}
		return ids
	}
	failed := errors.New("the savepoint's work failed")
	err = db.Update(ctx, func(ct casework.Tx) error {
		tx := ct.(*tx)
		if err := tx.insertJob(ctx, deliver, 1, timeZero); err != nil {
			return err
		}
		if err := tx.atomic(ctx, func() error {
			if err := tx.insertJob(ctx, deliver, 2, timeZero); err != nil {
				return err
			}
			return failed
		}); !errors.Is(err, failed) {
			t.Fatalf("atomic = %v, want %v", err, failed)
		}
		if err := tx.atomic(ctx, func() error { return tx.insertJob(ctx, deliver, 3, timeZero) }); err != nil {
			return err
		}
		if n := len(jobIDs(tx.q)); n != 0 {
			t.Errorf("%d jobs visible before commit, want them inserted at commit", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := jobIDs(db.SQL()); len(got) != 2 || !got[1] || !got[3] {
		t.Errorf("jobs %v after commit; want 1 and 3 (2 was in the rolled-back savepoint)", got)
	}
	err = db.Update(ctx, func(ct casework.Tx) error {
		if err := ct.(*tx).insertJob(ctx, deliver, 4, timeZero); err != nil {
			return err
		}
		return failed
	})
	if got := jobIDs(db.SQL()); !errors.Is(err, failed) || len(got) != 2 {
		t.Errorf("rolled-back transaction: %v, jobs %v; want its error and still 2 jobs", err, got)
	}
}
