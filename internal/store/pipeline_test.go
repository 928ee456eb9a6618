package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestPipeline: the store calls of a step give what they give one by one,
// and on PostgreSQL take four round trips — the BEGIN with the first
// reads, the task's update with the next task's insert, the writes with
// the last read, the COMMIT — where one each would take eight. A task
// update queued for later fails the call that sends it, or the commit,
// and nothing of the transaction is kept.
func TestPipeline(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		pg := db.Engine() == "postgres"
		anna := newUser(t, db, "anna", "Anna")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		task := newTask(t, db, casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Team: "poort",
			Worklist: "445", Status: casework.TaskOpen, CreatedAt: at(0), DueOn: day(2026, 4, 27)})
		tasksOf := func() []casework.Task {
			var tasks []casework.Task
			view(t, db, func(tx casework.Tx) (err error) {
				tasks, err = tx.TasksByApplication(ctx, app.ID)
				return err
			})
			return tasks
		}

		// Nothing sent, nothing to begin or commit.
		qctx, stats := store.WithQueryStats(ctx)
		must(t, db.Update(qctx, func(casework.Tx) error { return nil }))
		if stats.RoundTrips() != 0 {
			t.Errorf("an empty transaction took %d round trips, want 0", stats.RoundTrips())
		}

		// A View's first reads go with its BEGIN.
		qctx, stats = store.WithQueryStats(ctx)
		var read casework.TaskFile
		must(t, db.View(qctx, func(tx casework.Tx) (err error) {
			read, err = tx.TaskWithClient(qctx, task.ID)
			return err
		}))
		wantTrips(t, "TaskWithClient in a View", stats, pg, 2, 2, 2)
		if read.Task.ID != task.ID || read.Client.ID != cl.ID || len(read.Cases) != 1 || len(read.Tasks) != 1 {
			t.Errorf("TaskWithClient = %+v", read)
		}

		// A step.
		qctx, stats = store.WithQueryStats(ctx)
		next := casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Step: process.StepBeoordelingDoelgroep,
			Team: "poort", Worklist: "445", Status: casework.TaskOpen, CreatedAt: at(2)}
		var after []casework.Task
		must(t, db.Update(qctx, func(tx casework.Tx) error {
			f, err := tx.TaskWithClient(qctx, task.ID)
			if err != nil {
				return err
			}
			done := f.Task
			done.Status, done.CompletedAt, done.CompletedBy = casework.TaskDone, at(1), anna.ID
			if err := tx.UpdateTaskLater(qctx, &done, nil); err != nil {
				return err
			}
			if done.Version != f.Task.Version+1 {
				t.Errorf("version after UpdateTaskLater = %d, want %d", done.Version, f.Task.Version+1)
			}
			if err := tx.CreateTask(qctx, &next); err != nil {
				return err
			}
			after, err = tx.TasksAfterWrites(qctx, casework.Writes{Events: []*casework.Event{
				{ClientID: cl.ID, TaskID: next.ID, Kind: "taak_aangemaakt", Summary: "taak"}}}, cl.ID)
			return err
		}))
		// PostgreSQL: the event goes with the read (TasksAfterWrites).
		wantTrips(t, "a step", stats, pg, 4, 5, 6)
		tasks := tasksOf()
		same(t, "the tasks the step read at its end", after, tasks)
		if len(tasks) != 2 || tasks[0].Status != casework.TaskDone || tasks[0].Version != 2 || tasks[1].ID != next.ID {
			t.Fatalf("after the step: %+v", tasks)
		}

		// A colleague was first: the queued update fails the call that
		// sends it, or the commit; fail turns the error; nothing is kept.
		errColleague := errors.New("collega was eerder")
		fail := func(err error) error { return fmt.Errorf("%w (%w)", errColleague, err) }
		for _, sendWith := range []string{"next statement", "commit"} {
			stale := tasks[0]
			stale.Version, stale.Outcome = 1, "te laat"
			other := casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Team: "poort", Status: casework.TaskOpen, CreatedAt: at(3)}
			var queued, sent error
			err := db.Update(ctx, func(tx casework.Tx) error {
				if queued = tx.UpdateTaskLater(ctx, &stale, fail); queued != nil {
					return queued
				}
				if sendWith == "commit" {
					return nil
				}
				sent = tx.CreateTask(ctx, &other)
				return sent
			})
			if !errors.Is(err, errColleague) || !errors.Is(err, casework.ErrStale) {
				t.Errorf("stale update sent with the %s: %v, want the error fail made of ErrStale", sendWith, err)
			}
			// SQLite runs it at once; PostgreSQL with what comes next.
			if pg == (queued != nil) || sendWith == "next statement" && pg != (sent != nil) {
				t.Errorf("stale update sent with the %s on %s: queued %v, sent %v", sendWith, db.Engine(), queued, sent)
			}
			same(t, "tasks after a stale update ("+sendWith+")", tasksOf(), tasks)
		}

		// A queued update that is last goes with the commit.
		last := tasks[1]
		last.HolderID = anna.ID
		update(t, db, func(tx casework.Tx) error { return tx.UpdateTaskLater(ctx, &last, nil) })
		if got := tasksOf()[1]; got.HolderID != anna.ID || got.Version != 2 {
			t.Errorf("task after an update sent with the commit: %+v", got)
		}
	})
}

// wantTrips checks the round trips and statements of stats: on
// PostgreSQL trips and pgStatements, on SQLite no round trips (it runs in
// process) and sqliteStatements.
func wantTrips(t *testing.T, what string, stats *store.QueryStats, pg bool, trips, pgStatements, sqliteStatements int) {
	t.Helper()
	statements := pgStatements
	if !pg {
		trips, statements = 0, sqliteStatements
	}
	if stats.RoundTrips() != trips {
		t.Errorf("%s took %d round trips, want %d", what, stats.RoundTrips(), trips)
	}
	if stats.Count() != statements {
		t.Errorf("%s ran %d statements, want %d", what, stats.Count(), statements)
	}
}
