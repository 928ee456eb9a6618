package store_test

import (
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// An appointment is planned, then held or missed once; a cancelled or
// recorded one is not recorded again.
func TestAppointmentStatus(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		part := newCase(t, db, cl.ID, process.CaseParticipatie, 0)
		start := time.Date(2026, 4, 7, 9, 0, 0, 0, process.Amsterdam)
		book := func(at time.Time) casework.Appointment {
			a := casework.Appointment{CaseID: part.ID, ClientID: cl.ID, Kind: process.AppointmentIntake, StartAt: at,
				EndAt: at.Add(30 * time.Minute), Room: "sk1", KlantmanagerID: km.ID, CreatedBy: km.ID, CreatedAt: t0}
			update(t, db, func(tx casework.Tx) error {
				return tx.CreateAppointment(ctx, &a, []time.Time{at, at.Add(15 * time.Minute)})
			})
			if a.Status != process.AppointmentPlanned {
				t.Fatalf("new appointment status %q, want planned", a.Status)
			}
			return a
		}
		held, missed := book(start), book(start.Add(time.Hour))
		status := func(id int64) casework.Appointment {
			var got casework.Appointment
			view(t, db, func(tx casework.Tx) (err error) { got, err = tx.AppointmentByID(ctx, id); return err })
			return got
		}
		update(t, db, func(tx casework.Tx) error { return tx.SetAppointmentStatus(ctx, held.ID, process.AppointmentHeld) })
		update(t, db, func(tx casework.Tx) error { return tx.SetAppointmentStatus(ctx, missed.ID, process.AppointmentNoShow) })
		if got := status(held.ID); got.Status != process.AppointmentHeld || got.Planned() {
			t.Errorf("held appointment = %+v", got)
		}
		if got := status(missed.ID); got.Status != process.AppointmentNoShow {
			t.Errorf("missed appointment = %+v", got)
		}
		wantStale(t, "recording a held appointment again", db.Update(ctx, func(tx casework.Tx) error {
			return tx.SetAppointmentStatus(ctx, held.ID, process.AppointmentNoShow)
		}))
		cancelled := book(start.Add(2 * time.Hour))
		update(t, db, func(tx casework.Tx) error { return tx.CancelAppointment(ctx, cancelled.ID) })
		wantStale(t, "recording a cancelled appointment", db.Update(ctx, func(tx casework.Tx) error {
			return tx.SetAppointmentStatus(ctx, cancelled.ID, process.AppointmentHeld)
		}))
		if got := status(cancelled.ID); got.Planned() || !got.Cancelled {
			t.Errorf("cancelled appointment = %+v", got)
		}
		// Its room is free again.
		book(start.Add(2 * time.Hour))
	})
}

// The store keeps one trajectory per case and plan row, and one
// registration per trajectory: a second, even from a concurrent save, is
// refused, not stored.
func TestOneTrajectoryPerPlanRow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		part := newCase(t, db, cl.ID, process.CaseParticipatie, 0)
		create := func(row int) (casework.Trajectory, error) {
			tr := casework.Trajectory{CaseID: part.ID, PlanRow: row, Provider: "hallo_werk", Title: "Matching",
				Status: casework.TrajectoryRunning, StartOn: t0}
			err := db.Update(ctx, func(tx casework.Tx) error { return tx.CreateTrajectory(ctx, &tr) })
			return tr, err
		}
		first, err := create(1)
		must(t, err)
		_, err = create(1)
		wantDuplicate(t, "a second trajectory of row 1", err, casework.DupPlanRow)
		// Trajectories out of the plan (row 0) are not limited.
		_, err = create(0)
		must(t, err)
		_, err = create(0)
		must(t, err)
		// Emptying the row frees it for a new trajectory.
		first.PlanRow, first.Status = 0, casework.TrajectoryStopped
		update(t, db, func(tx casework.Tx) error { return tx.UpdateTrajectory(ctx, first) })
		second, err := create(1)
		must(t, err)

		reg := func() error {
			g := casework.Registration{CaseID: part.ID, TrajectoryID: second.ID, Provider: "hallo_werk",
				Status: process.RegistrationRegistered, On: t0, UpdatedAt: t0}
			return db.Update(ctx, func(tx casework.Tx) error { return tx.CreateRegistration(ctx, &g) })
		}
		must(t, reg())
		wantDuplicate(t, "a second registration of the trajectory", reg(), casework.DupRegistration)
		var regs []casework.Registration
		view(t, db, func(tx casework.Tx) (err error) { regs, err = tx.RegistrationsByCase(ctx, part.ID); return err })
		if len(regs) != 1 || regs[0].TrajectoryID != second.ID {
			t.Fatalf("registrations = %+v", regs)
		}
		// A registration made on its own is linked to a trajectory later.
		own := casework.Registration{CaseID: part.ID, Provider: "educenter", Status: process.RegistrationRegistered, On: t0, UpdatedAt: t0}
		update(t, db, func(tx casework.Tx) error { return tx.CreateRegistration(ctx, &own) })
		own.TrajectoryID, own.MayFinish = first.ID, true
		update(t, db, func(tx casework.Tx) error { return tx.UpdateRegistration(ctx, &own) })
		view(t, db, func(tx casework.Tx) (err error) { regs, err = tx.RegistrationsByCase(ctx, part.ID); return err })
		for _, g := range regs {
			if g.ID == own.ID && (g.TrajectoryID != first.ID || !g.MayFinish) {
				t.Errorf("linked registration = %+v", g)
			}
		}
	})
}
