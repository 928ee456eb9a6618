package casework_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// interleaving is a store that lets a colleague's transaction commit between
// a use case's read of a task and its write, once: what two people
// clicking at the same moment do on a database whose writers interleave.
type interleaving struct {
	casework.Store
	colleague func() error
	err       error
}

func (s *interleaving) Update(ctx context.Context, fn func(casework.Tx) error) error {
	return s.Store.Update(ctx, func(tx casework.Tx) error { return fn(interleavedTx{Tx: tx, s: s}) })
}

type interleavedTx struct {
	casework.Tx
	s *interleaving
}

func (t interleavedTx) UpdateTask(ctx context.Context, task *casework.Task) error {
	t.colleagueFirst()
	return t.Tx.UpdateTask(ctx, task)
}

func (t interleavedTx) UpdateTaskLater(ctx context.Context, task *casework.Task, fail func(error) error) error {
	t.colleagueFirst()
	return t.Tx.UpdateTaskLater(ctx, task, fail)
}

// colleagueFirst runs the colleague's transaction, the first time only.
func (t interleavedTx) colleagueFirst() {
	if c := t.s.colleague; c != nil {
		t.s.colleague = nil
		t.s.err = c()
	}
}

// pickedUpMeanwhile returns a service on e's database whose first task
// update lets the colleague pick task up first, and its store, which
// keeps what that pick-up returned.
func pickedUpMeanwhile(t *testing.T, e *casetest.Env, task casework.Task, colleague casework.User) (*casework.Service, *interleaving) {
	t.Helper()
	st := &interleaving{Store: e.DB}
	svc, err := casework.NewService(ctx, casework.Deps{Store: st, Clock: e.Clock, Invitations: ics.Invitations{}, Letters: letters.MustNew(),
		Log: slog.New(slog.DiscardHandler)}, e.Svc.Definition(), casework.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	st.colleague = func() error { return e.Svc.PickUp(ctx, casework.Actor{User: colleague}, task.ID, task.Version) }
	return svc, st
}

// wantStaleConflict checks that the colleague's pick-up went through and
// err, what came of the use case after it, is the conflict of a stale
// version.
func wantStaleConflict(t *testing.T, what string, st *interleaving, err error) {
	t.Helper()
	if st.err != nil {
		t.Fatalf("the colleague's pick-up: %v", st.err)
	}
	if casework.ErrorCode(err) != casework.CodeConflict || !strings.Contains(casework.ErrorMessage(err), "tegelijk met u gewijzigd") {
		t.Fatalf("%s = %v, want the conflict of a stale version", what, err)
	}
}

// TestStaleVersionAtTheDatabase: the version check in the use case passed
// (both read the same version), but a colleague committed first; the
// database refuses the stale write and the user gets a conflict, never an
// overwrite. Only PostgreSQL interleaves writers: SQLite takes the write
// lock at BEGIN, so there the second writer reads the new version and the
// use case's own check answers.
func TestStaleVersionAtTheDatabase(t *testing.T) {
	e := casetest.New(t, "postgres")
	app := e.Apply(t)
	task := e.WalkTo(t, app, "", process.StepIntakeGesprek)
	pieter, fatima := e.User(t, "pieter"), e.User(t, "fatima")

	svc, st := pickedUpMeanwhile(t, e, task, fatima)

	err := svc.PickUp(ctx, casework.Actor{User: pieter}, task.ID, task.Version)
	wantStaleConflict(t, "stale write", st, err)
	tp, err := e.Svc.TaskPage(ctx, e.Actor(process.RoleTeamleider), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tp.Task.HolderID != fatima.ID {
		t.Errorf("holder = %d, want the colleague who was first (%d)", tp.Task.HolderID, fatima.ID)
	}
}

// TestStaleCompletionAtTheDatabase: as above for a completion, whose
// update of its task goes to the database with its next statement (on
// PostgreSQL in the same round trip as the next task's insert). A
// colleague picked the task up in between: the completion is a conflict
// and leaves nothing — no next task, the task open on the colleague's
// worklist.
func TestStaleCompletionAtTheDatabase(t *testing.T) {
	e := casetest.New(t, "postgres")
	app := e.Apply(t)
	task := e.WalkTo(t, app, "", process.StepIntakeGesprek)
	pieter, fatima := e.User(t, "pieter"), e.User(t, "fatima")
	values := casetest.ValidValues(t, e, task)

	svc, st := pickedUpMeanwhile(t, e, task, fatima)

	_, err := svc.CompleteTask(ctx, casework.Actor{User: pieter}, task.ID, task.Version, values)
	wantStaleConflict(t, "stale completion", st, err)
	tp, err := e.Svc.TaskPage(ctx, e.Actor(process.RoleTeamleider), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tp.Task.HolderID != fatima.ID || tp.Task.Status != casework.TaskOpen {
		t.Errorf("task after the stale completion: holder %d, status %s; want open with the colleague (%d)", tp.Task.HolderID, tp.Task.Status, fatima.ID)
	}
	file := e.File(t, app.ClientID)
	for _, k := range file.Tasks {
		if k.FromStep == process.StepIntakeGesprek {
			t.Errorf("the stale completion left a next task: %+v", k)
		}
	}
}
