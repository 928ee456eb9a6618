package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestErrorsSayWhere: the store's errors name the operation and its ids,
// keep the domain's sentinels and types reachable, and hold no personal
// data or secrets.
func TestErrorsSayWhere(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		// says checks err wraps target and its message names op.
		says := func(err, target error, op string) {
			t.Helper()
			if !errors.Is(err, target) {
				t.Errorf("got %v, want it to wrap %v", err, target)
			}
			if err == nil || !strings.Contains(err.Error(), op) {
				t.Errorf("error %q does not name %q", err, op)
			}
		}
		var err error
		view(t, db, func(tx casework.Tx) error {
			_, err = tx.TaskByID(ctx, 999)
			return nil
		})
		says(err, casework.ErrNotFound, "TaskByID(999)")
		if err != nil && err.Error() != "store: TaskByID(999): not found" {
			t.Errorf("TaskByID(999) error = %q", err)
		}

		cl := newClient(t, db, "123456782", "Noël", "Öztürk")
		u := newUser(t, db, "noel.ozturk", "Noël Öztürk")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		task := newTask(t, db, casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, CreatedAt: at(0)})

		stale := task
		stale.Version = 0
		err = db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateTask(ctx, &stale) })
		says(err, casework.ErrStale, "UpdateTask(")

		err = db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateClient(ctx, &casework.Client{BSN: "123456782", GivenName: "Noël", FamilyName: "Öztürk"})
		})
		var dup casework.ErrDuplicate
		if !errors.As(err, &dup) || dup.Which != "bsn" || !strings.Contains(err.Error(), "CreateClient") {
			t.Errorf("duplicate BSN: got %v, want ErrDuplicate(bsn) naming CreateClient", err)
		}
		personal := []string{"123456782", "Noël", "Öztürk", "noel", "ozturk", u.Email}
		var errs []error
		errs = append(errs, err)
		view(t, db, func(tx casework.Tx) error {
			_, err := tx.ClientByBSN(ctx, "999999990")
			says(err, casework.ErrNotFound, "ClientByBSN")
			errs = append(errs, err)
			_, err = tx.UserByUsername(ctx, "noel.ozturk.weg")
			says(err, casework.ErrNotFound, "UserByUsername")
			errs = append(errs, err)
			_, err = tx.TokenByHash(ctx, "geheime-hash")
			says(err, casework.ErrNotFound, "TokenByHash")
			errs = append(errs, err)
			return nil
		})
		for _, err := range errs {
			if err == nil {
				continue
			}
			for _, p := range append(personal, "999999990", "geheime-hash") {
				if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(p)) {
					t.Errorf("error %q holds %q", err, p)
				}
			}
		}
	})
}

// TestWithoutJobs: a store opened without job kinds refuses, with a clear
// error and nothing stored, what would need a job, and does the rest: a
// reminder needs none (the worker's sweep finds it).
func TestWithoutJobs(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := storetest.OpenWith(t, engine)
			cl := newClient(t, db, "111222333", "Jan", "Jansen")
			app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
			waiting := casework.Message{ClientID: cl.ID, Kind: "E-mail TOP", Status: casework.MessageWaiting, CreatedAt: t0}
			err := db.Update(ctx, func(tx casework.Tx) error { return tx.EnqueueMessage(ctx, &waiting) })
			if err == nil || !strings.Contains(err.Error(), "store.WithJobs") || !strings.Contains(err.Error(), "EnqueueMessage") {
				t.Errorf("waiting message without job kinds: got %v, want an error naming EnqueueMessage and store.WithJobs", err)
			}
			reminder := casework.Reminder{Kind: casework.ReminderVoorschot, CaseID: app.ID, DueOn: day(2027, 3, 26),
				SendAt: at(11), Status: casework.ReminderPlanned, CreatedAt: t0}
			update(t, db, func(tx casework.Tx) error { _, err := tx.AddReminders(ctx, &reminder); return err })
			sent := casework.Message{ClientID: cl.ID, Kind: "E-mail TOP", Status: casework.MessageSent, CreatedAt: t0}
			update(t, db, func(tx casework.Tx) error { return tx.EnqueueMessage(ctx, &sent) })
			view(t, db, func(tx casework.Tx) error {
				ms, err := tx.ListMessages(ctx, casework.MessageFilter{ClientID: cl.ID})
				must(t, err)
				rs, err := tx.ListReminders(ctx, casework.ReminderFilter{CaseID: app.ID})
				must(t, err)
				if len(ms) != 1 || ms[0].ID != sent.ID || len(rs) != 1 || rs[0].ID != reminder.ID {
					t.Errorf("stored %d messages, %d reminders; want the sent message and the reminder", len(ms), len(rs))
				}
				return nil
			})
		})
	}
}

// TestNULIsInvalidInput: text with a NUL that reached the store all the
// same (input is checked long before) is an invalid-input error with a
// Dutch message, never a 500: PostgreSQL refuses it (SQLSTATE 22021), in
// a read and in a write; SQLite stores it.
func TestNULIsInvalidInput(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		err := db.View(ctx, func(tx casework.Tx) error {
			_, err := tx.ListTasks(ctx, casework.TaskFilter{Step: "intake\x00"})
			return err
		})
		werr := db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateClient(ctx, &casework.Client{BSN: "123456782", GivenName: "Jan\x00", FamilyName: "Jansen"})
		})
		if db.Engine() != "postgres" {
			if err != nil || werr != nil {
				t.Fatalf("sqlite: %v, %v", err, werr)
			}
			return
		}
		for _, e := range []error{err, werr} {
			if casework.ErrorCode(e) != casework.CodeInvalid || !strings.Contains(casework.ErrorMessage(e), "niet is toegestaan") {
				t.Errorf("NUL on postgres: code %s, message %q (%v)", casework.ErrorCode(e), casework.ErrorMessage(e), e)
			}
		}
	})
}
