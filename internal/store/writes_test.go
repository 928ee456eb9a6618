package store_test

import (
	"fmt"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestAppendWrites: a step's writes — history lines (more than one
// statement's worth), step records and reminders — are stored one row
// each, in the order given, read back like rows added one by one; a
// reminder planned already is left alone. On PostgreSQL a step's usual
// writes go in one statement, on SQLite in one per table.
func TestAppendWrites(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		anna := newUser(t, db, "anna", "Anna")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		task := newTask(t, db, casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Team: "poort",
			Worklist: "445", CreatedAt: at(0), DueOn: day(2026, 4, 27)})
		var batch []*casework.Event
		for i := range 450 {
			e := &casework.Event{ClientID: cl.ID, Kind: "stap_afgerond", Summary: fmt.Sprintf("regel %d", i), At: at(1)}
			if i%2 == 0 {
				e.CaseID, e.ActorID, e.ActorName, e.Reason = app.ID, anna.ID, "Anna (toen)", "reden"
			}
			batch = append(batch, e)
		}
		records := []*casework.StepRecord{
			{TaskID: task.ID, ApplicationID: app.ID, CaseID: app.ID, Step: process.StepIntakeGesprek,
				Fields: map[string]string{"gesprek_datum": "01-12-2026"}, ActorID: anna.ID, ActorName: "Anna", At: at(1)},
			{ApplicationID: app.ID, Step: process.StepBeoordelingDoelgroep, Fields: map[string]string{}, At: at(2)},
		}
		planned := casework.Reminder{Kind: casework.ReminderOverdue, TaskID: task.ID, CaseID: app.ID, DueOn: day(2026, 4, 27),
			SendAt: at(5), Status: casework.ReminderPlanned, CreatedAt: at(0)}
		update(t, db, func(tx casework.Tx) error { _, err := tx.AddReminders(ctx, &planned); return err })
		again := planned
		again.Note, again.ID = "tweede", 0
		before := casework.Reminder{Kind: casework.ReminderBeforeDue, TaskID: task.ID, CaseID: app.ID, DueOn: day(2026, 4, 27),
			SendAt: at(3), Status: casework.ReminderPlanned, CreatedAt: at(1)}
		update(t, db, func(tx casework.Tx) error {
			return tx.AppendWrites(ctx, casework.Writes{Events: batch, Records: records,
				Reminders: []*casework.Reminder{&before, &again}})
		})
		view(t, db, func(tx casework.Tx) error {
			events, err := tx.EventsByClient(ctx, cl.ID)
			must(t, err)
			if len(events) != len(batch) {
				t.Fatalf("%d events stored, want %d", len(events), len(batch))
			}
			for i, e := range events {
				want := *batch[i]
				want.ID, want.At = e.ID, stored(at(1))
				if i > 0 && e.ID <= events[i-1].ID {
					t.Errorf("event %d: id %d after %d", i, e.ID, events[i-1].ID)
				}
				same(t, fmt.Sprintf("event %d", i), e, want)
			}
			got, err := tx.StepRecords(ctx, app.ID)
			must(t, err)
			if len(got) != len(records) {
				t.Fatalf("%d step records stored, want %d", len(got), len(records))
			}
			for i, r := range got {
				want := *records[i]
				want.ID, want.At = r.ID, stored(records[i].At)
				same(t, fmt.Sprintf("step record %d", i), r, want)
			}
			rs, err := tx.ListReminders(ctx, casework.ReminderFilter{TaskID: task.ID})
			must(t, err)
			if len(rs) != 2 || rs[0].Kind != casework.ReminderBeforeDue || rs[1].ID != planned.ID || rs[1].Note != "" {
				t.Errorf("reminders = %+v, want the new one before the one planned already, unchanged", rs)
			}
			return nil
		})

		// A step's usual writes: one line of each kind and two reminders.
		step := casework.Writes{
			Records: []*casework.StepRecord{{ApplicationID: app.ID, Step: process.StepIntakeGesprek, Fields: map[string]string{}}},
			Reminders: []*casework.Reminder{
				{Kind: casework.ReminderBeforeDue, TaskID: task.ID, CaseID: app.ID, DueOn: day(2026, 5, 4), SendAt: at(7), Status: casework.ReminderPlanned},
				{Kind: casework.ReminderOverdue, TaskID: task.ID, CaseID: app.ID, DueOn: day(2026, 5, 4), SendAt: at(8), Status: casework.ReminderPlanned},
			},
			Events: []*casework.Event{{ClientID: cl.ID, Kind: "stap_afgerond", Summary: "stap"}, {ClientID: cl.ID, Kind: "taak", Summary: "taak"}},
		}
		statements := map[string]int{"sqlite": 3, "postgres": 1}[db.Engine()]
		qctx, stats := store.WithQueryStats(ctx)
		must(t, db.Update(qctx, func(tx casework.Tx) error { return tx.AppendWrites(qctx, step) }))
		if stats.Count() != statements {
			t.Errorf("a step's writes took %d statements on %s, want %d", stats.Count(), db.Engine(), statements)
		}
		view(t, db, func(tx casework.Tx) error {
			rs, err := tx.ListReminders(ctx, casework.ReminderFilter{TaskID: task.ID})
			must(t, err)
			if len(rs) != 4 {
				t.Errorf("%d reminders after the step's writes, want 4", len(rs))
			}
			return nil
		})
		update(t, db, func(tx casework.Tx) error { return tx.AppendWrites(ctx, casework.Writes{}) })

		// The end of a step: its writes and the client's tasks as it left
		// them, on PostgreSQL in the same statement.
		end := casework.Writes{
			Records: []*casework.StepRecord{{ApplicationID: app.ID, Step: process.StepBeoordelingDoelgroep, Fields: map[string]string{}}},
			Events:  []*casework.Event{{ClientID: cl.ID, Kind: "stap_afgerond", Summary: "einde"}},
		}
		next := casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Step: process.StepBeoordelingDoelgroep,
			Team: "poort", Worklist: "445", Status: casework.TaskOpen, CreatedAt: at(3)}
		statements = map[string]int{"sqlite": 1 + 2 + 1, "postgres": 1 + 1}[db.Engine()] // the new task, the writes, the read
		qctx, stats = store.WithQueryStats(ctx)
		var got, want []casework.Task
		must(t, db.Update(qctx, func(tx casework.Tx) error {
			if err := tx.CreateTask(qctx, &next); err != nil {
				return err
			}
			var err error
			got, err = tx.TasksAfterWrites(qctx, end, cl.ID)
			return err
		}))
		if stats.Count() != statements {
			t.Errorf("the end of a step took %d statements on %s, want %d", stats.Count(), db.Engine(), statements)
		}
		view(t, db, func(tx casework.Tx) error {
			var err error
			want, err = tx.TasksByClient(ctx, cl.ID)
			must(t, err)
			same(t, "TasksAfterWrites", got, want)
			if len(want) != 2 || want[1].ID != next.ID {
				t.Errorf("tasks after the writes: %+v, want the task and the new one", want)
			}
			records, err := tx.StepRecords(ctx, app.ID)
			must(t, err)
			events, err := tx.EventsByClient(ctx, cl.ID)
			must(t, err)
			if len(records) != 4 || len(events) != len(batch)+3 || events[len(events)-1].Summary != "einde" {
				t.Errorf("after the end of the step: %d records, %d events (last %q)", len(records), len(events), events[len(events)-1].Summary)
			}
			return nil
		})
	})
}
