package store_test

import (
	"errors"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestTermsMigration: migration 00011 gives a suspension stored running
// without an end a planned end (start + 13 days: a 14-day completion term
// from the day before), and an open application whose decision due date
// was unknown one (receipt + 56 + the suspended days), with its tasks that
// carry the decision term.
func TestTermsMigration(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Empty(t, engine)
			must(t, db.MigrateTo(ctx, 10))
			// Literal values: the placeholders differ per engine.
			for _, q := range []string{
				`INSERT INTO clients (id, given_name, family_name, created_at, search_name, sort_name)
					VALUES (1, 'Jan', 'Jansen', '2027-01-04 10:00:00+00:00', 'jan jansen', 'jansen jan')`,
				`INSERT INTO cases (id, client_id, kind, code, status, applied_on, opened_at)
					VALUES (1, 1, 'aanvraag', '0/L2', 'in_behandeling', '2027-01-04', '2027-01-04 10:00:00+00:00')`,
				`INSERT INTO cases (id, client_id, kind, code, status, applied_on, decision_due, opened_at, closed_at)
					VALUES (2, 1, 'aanvraag', '0/L2', 'besloten', '2026-01-05', NULL, '2026-01-05 10:00:00+00:00', '2026-02-01 10:00:00+00:00')`,
				`INSERT INTO suspensions (case_id, start_on, end_on, reason, recorded_at)
					VALUES (1, '2027-01-05', '2027-01-08', 'eerder', '2027-01-05 10:00:00+00:00')`,
				`INSERT INTO suspensions (case_id, start_on, reason, recorded_at)
					VALUES (1, '2027-01-10', 'loopt', '2027-01-10 10:00:00+00:00')`,
				`INSERT INTO tasks (id, application_id, case_id, client_id, step, status, term, created_at)
					VALUES (1, 1, 1, 1, 'besluit', 'open', 'decision_term', '2027-01-04 10:00:00+00:00')`,
				`INSERT INTO tasks (id, application_id, case_id, client_id, step, status, term, created_at)
					VALUES (2, 1, 1, 1, 'verwerking_aanmelding', 'open', 'intake_week', '2027-01-04 10:00:00+00:00')`,
			} {
				_, err := db.SQL().ExecContext(ctx, q)
				must(t, err)
			}
			must(t, db.Migrate(ctx))
			view(t, db, func(tx casework.Tx) error {
				sus, err := tx.SuspensionsByCase(ctx, 1)
				must(t, err)
				if len(sus) != 2 || sus[0].Kind != casework.SuspensionConsent || !sus[0].PlannedEnd.IsZero() {
					t.Fatalf("suspensions after the migration: %+v", sus)
				}
				// Running since 10-01-2027: planned through 23-01-2027.
				if want := day(2027, 1, 23); !sus[1].PlannedEnd.Equal(want) || !sus[1].Running() {
					t.Errorf("running suspension's planned end %s, want %s", sus[1].PlannedEnd, want)
				}
				// 04-01-2027 + 56 + 3 (ended) + 14 (running, through its planned end) = 18-03-2027.
				c, err := tx.CaseByID(ctx, 1)
				must(t, err)
				if want := day(2027, 3, 18); !c.DecisionDue.Equal(want) {
					t.Errorf("decision due %s, want %s", c.DecisionDue, want)
				}
				decided, err := tx.CaseByID(ctx, 2)
				must(t, err)
				if !decided.DecisionDue.IsZero() {
					t.Errorf("a decided case got a due date: %s", decided.DecisionDue)
				}
				task, err := tx.TaskByID(ctx, 1)
				must(t, err)
				if !task.DueOn.Equal(c.DecisionDue) || !task.SuspendedSince.Equal(day(2027, 1, 10)) || !task.SuspendedUntil.Equal(day(2027, 1, 23)) {
					t.Errorf("decision task due %s, suspended %s–%s", task.DueOn, task.SuspendedSince, task.SuspendedUntil)
				}
				other, err := tx.TaskByID(ctx, 2)
				must(t, err)
				if !other.DueOn.IsZero() {
					t.Errorf("a task with another term got the decision due date: %s", other.DueOn)
				}
				return nil
			})
		})
	}
}

// The columns of the decision term round-trip: a request's suspension with
// its date and planned end, a case's extension; a suspension ends once.
func TestTermColumns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		pw := newUser(t, db, "pw", "Poortwachter")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		su := casework.Suspension{CaseID: app.ID, Kind: casework.SuspensionRequest, RequestedOn: day(2027, 3, 1), StartOn: day(2027, 3, 2),
			PlannedEnd: day(2027, 3, 15), Reason: "bankafschriften", By: pw.ID, At: t0}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.AddSuspension(ctx, &su))
			c, err := tx.CaseByID(ctx, app.ID)
			must(t, err)
			c.ExtendedTo, c.ExtendedOn, c.ExtensionDays, c.ExtensionReason = day(2027, 6, 7), day(2027, 4, 20), 42, "advies"
			return tx.UpdateCase(ctx, &c)
		})
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.SuspensionsByCase(ctx, app.ID)
			must(t, err)
			want := su
			want.At = stored(t0)
			same(t, "request's suspension", list[0], want)
			c, err := tx.CaseByID(ctx, app.ID)
			must(t, err)
			if !c.ExtendedTo.Equal(day(2027, 6, 7)) || !c.ExtendedOn.Equal(day(2027, 4, 20)) || c.ExtensionDays != 42 || c.ExtensionReason != "advies" {
				t.Errorf("extension %+v", c)
			}
			return nil
		})
		update(t, db, func(tx casework.Tx) error { return tx.EndSuspension(ctx, su.ID, day(2027, 3, 5)) })
		err := db.Update(ctx, func(tx casework.Tx) error { return tx.EndSuspension(ctx, su.ID, day(2027, 3, 6)) })
		if !errors.Is(err, casework.ErrStale) {
			t.Errorf("ending an ended suspension: %v, want stale", err)
		}
	})
}
