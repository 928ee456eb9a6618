package casework_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// trajectoryOfRow returns the trajectory of a plan row, or fails.
func trajectoryOfRow(t *testing.T, f casework.ClientFile, row int) casework.Trajectory {
	t.Helper()
	for _, tr := range f.Trajectories {
		if tr.PlanRow == row {
			return tr
		}
	}
	t.Fatalf("no trajectory of plan row %d in %+v", row, f.Trajectories)
	return casework.Trajectory{}
}

// One fact, one place: a plan row is the trajectory. Saving the plan again
// makes no second trajectory; a changed row changes it, an emptied row
// stops it; registering is done once, and a registration made on its own
// before is adopted instead of doubled.
func TestPlanRowsAreTrajectories(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		intake := e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
		km := casework.Actor{User: e.UserByID(t, intake.HolderID)}
		pid := intake.CaseID
		// A registration with Hallo Werk on its own, before the plan.
		reg := casework.RegistrationValues(casework.Registration{Provider: "hallo_werk", Status: process.RegistrationRegistered, On: e.Clock.Now()})
		if err := e.Svc.AddRegistration(ctx, km, pid, reg); err != nil {
			t.Fatal(err)
		}
		err := e.Svc.AddRegistration(ctx, km, pid, reg)
		wantField(t, err, casework.CodeConflict, process.FieldProvider, "al aangemeld bij Hallo Werk")

		if err := e.Walker.SignPlan(ctx, km, pid); err != nil {
			t.Fatal(err)
		}
		f := e.File(t, app.ClientID)
		if len(f.Trajectories) != 2 {
			t.Fatalf("after the plan: %d trajectories, want the plan's 2 rows", len(f.Trajectories))
		}
		first, second := trajectoryOfRow(t, f, 1), trajectoryOfRow(t, f, 2)
		if first.Provider != "hallo_werk" || first.Status != casework.TrajectoryRunning || len(first.Activities) != 2 {
			t.Errorf("row 1 trajectory = %+v", first)
		}

		// Saving the same plan again changes nothing.
		v := casework.PlanValues(f.Plan)
		if _, err := e.Svc.SavePlan(ctx, km, pid, f.Plan.Version, v); err != nil {
			t.Fatal(err)
		}
		if f = e.File(t, app.ClientID); len(f.Trajectories) != 2 {
			t.Fatalf("saving the plan again made %d trajectories", len(f.Trajectories))
		}

		// Registering row 1 adopts the registration made on its own.
		if err := e.Svc.RegisterTrajectory(ctx, km, pid, first.ID); err != nil {
			t.Fatal(err)
		}
		err = e.Svc.RegisterTrajectory(ctx, km, pid, first.ID)
		wantField(t, err, casework.CodeConflict, "", "")
		f = e.File(t, app.ClientID)
		if len(f.Registrations) != 1 || f.Registrations[0].TrajectoryID != first.ID {
			t.Fatalf("registrations = %+v, want the one with Hallo Werk, for trajectory %d", f.Registrations, first.ID)
		}

		// A changed row changes its trajectory; an emptied row stops it and
		// ends its registration.
		_, goal1, acts1 := process.PlanTrajectoryFields(1)
		v = casework.PlanValues(f.Plan)
		v.Set(goal1, "Matching op vacatures in de zorg")
		v.Set(acts1, "Profiel aanmaken\nOriëntatie op de zorg")
		prov2, goal2, acts2 := process.PlanTrajectoryFields(2)
		v.Del(prov2)
		v.Del(goal2)
		v.Del(acts2)
		if _, err := e.Svc.SavePlan(ctx, km, pid, f.Plan.Version, v); err != nil {
			t.Fatal(err)
		}
		f = e.File(t, app.ClientID)
		changed := trajectoryOfRow(t, f, 1)
		if changed.ID != first.ID || changed.Title != "Matching op vacatures in de zorg" || len(changed.Activities) != 2 ||
			changed.Activities[0].ID != first.Activities[0].ID || changed.Activities[1].Description != "Oriëntatie op de zorg" {
			t.Errorf("changed row 1: %+v, want trajectory %d with its kept activity and the new one", changed, first.ID)
		}
		for _, tr := range f.Trajectories {
			if tr.ID == second.ID && (tr.Status != casework.TrajectoryStopped || tr.PlanRow != 0) {
				t.Errorf("emptied row 2: trajectory %+v, want stopped and out of the plan", tr)
			}
		}
		if len(f.Trajectories) != 2 {
			t.Errorf("%d trajectories, want 2", len(f.Trajectories))
		}

		// A trajectory added to the plan takes the free row.
		add := casework.TrajectoryValues(casework.Trajectory{Provider: "baanbrekend", Title: "Werkervaringsplaats", StartOn: e.Clock.Now()})
		if err := e.Svc.AddTrajectory(ctx, km, pid, add); err != nil {
			t.Fatal(err)
		}
		f = e.File(t, app.ClientID)
		added := trajectoryOfRow(t, f, 2)
		if added.Title != "Werkervaringsplaats" || len(f.Plan.Trajectories) != 2 {
			t.Errorf("added trajectory %+v, plan rows %+v", added, f.Plan.Trajectories)
		}
		// Its result is read like a form: no BSN in it.
		err = e.Svc.FinishTrajectory(ctx, km, pid, added.ID, "Afgerond; klant 111222333 heeft een contract.")
		wantField(t, err, casework.CodeInvalid, process.FieldResult, "BSN")
	})
}

// The intake is done at its appointment: it has a term from the
// appointment, cannot be completed or marked before it starts, and a
// no-show gives the dossier's owner a task to plan anew within the term.
func TestAppointmentLife(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		intake := e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
		km := casework.Actor{User: e.UserByID(t, intake.HolderID)}
		f := e.File(t, app.ClientID)
		var ap casework.Appointment
		for _, a := range f.Appointments {
			if a.Kind == process.AppointmentIntake && a.Planned() {
				ap = a
			}
		}
		if ap.ID == 0 {
			t.Fatalf("no planned intake appointment: %+v", f.Appointments)
		}
		pol := e.Svc.Definition().Policy
		if want := pol.AfterAppointmentDue(ap.StartAt, e.Svc.Calendar()); !intake.DueOn.Equal(want) {
			t.Errorf("intake due %s, want the appointment's day plus %d workdays: %s", intake.DueOn, pol.AfterAppointmentWorkdays, want)
		}

		e.Clock.Set(ap.StartAt.Add(-time.Minute))
		err := e.Svc.MarkAppointment(ctx, km, ap.ID, process.AppointmentHeld)
		wantField(t, err, casework.CodeInvalid, "", "")
		_, err = e.Svc.CompleteTask(ctx, km, intake.ID, intake.Version, casetest.ValidValues(t, e, intake))
		wantField(t, err, casework.CodeInvalid, process.FieldAppointment, "vanaf het begin van de afspraak")

		e.Clock.Set(ap.StartAt.Add(5 * time.Minute))
		err = e.Svc.MarkAppointment(ctx, e.Actor(process.RolePoortwachter), ap.ID, process.AppointmentNoShow)
		wantField(t, err, casework.CodeForbidden, "", "")
		err = e.Svc.MarkAppointment(ctx, km, ap.ID, "misschien")
		wantField(t, err, casework.CodeInvalid, "", "")
		if err := e.Svc.MarkAppointment(ctx, km, ap.ID, process.AppointmentNoShow); err != nil {
			t.Fatal(err)
		}
		err = e.Svc.MarkAppointment(ctx, km, ap.ID, process.AppointmentHeld)
		wantField(t, err, casework.CodeConflict, "", "")

		f = e.File(t, app.ClientID)
		var again casework.TaskView
		for _, tk := range f.OpenTasks() {
			if tk.Step == process.StepHerplannen {
				again = tk
			}
		}
		if again.ID == 0 || again.HolderID != f.Participation.DossierOwner || !again.DueOn.Equal(process.AddDays(e.Clock.Now(), pol.RescheduleTermDays)) {
			t.Fatalf("task to plan anew = %+v, want one for the dossier owner %d due in %d days", again.Task, f.Participation.DossierOwner, pol.RescheduleTermDays)
		}
		noted := false
		for _, ev := range f.Events {
			noted = noted || (ev.Kind == "niet_verschenen" && strings.Contains(ev.Summary, "zonder oordeel"))
		}
		if !noted {
			t.Error("the no-show is not in the client's history")
		}

		// Planning anew books an appointment of the same kind; the intake's
		// term follows it.
		if err := e.Walker.Complete(ctx, again, demo.Choice{}); err != nil {
			t.Fatal(err)
		}
		f = e.File(t, app.ClientID)
		var fresh casework.Appointment
		for _, a := range f.Appointments {
			if a.Planned() && a.Kind == process.AppointmentIntake {
				fresh = a
			}
		}
		if fresh.ID == 0 || fresh.ID == ap.ID {
			t.Fatalf("no new intake appointment: %+v", f.Appointments)
		}
		for _, tk := range f.OpenTasks() {
			if tk.Step == process.StepIntakeWerkdiagnose && !tk.DueOn.Equal(pol.AfterAppointmentDue(fresh.StartAt, e.Svc.Calendar())) {
				t.Errorf("intake due %s does not follow the new appointment of %s", tk.DueOn, fresh.StartAt)
			}
		}
	})
}

// Closing a dossier later (a NUG'er's guidance ends) cancels its coming
// appointments and frees their room; a registration chosen to be finished
// runs on after closing, the others end.
func TestCloseDossierLater(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkChoice(t, app, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG}, "")
		f := e.File(t, app.ClientID)
		part := *f.Participation
		owner := casework.Actor{User: e.UserByID(t, part.DossierOwner)}
		// A coming follow-up appointment in room sk1.
		day := process.AddDays(e.Clock.Now(), 30) // still ahead after the second walk below
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = process.AddDays(day, 1)
		}
		slot := casework.Values{"datum": {casework.FormatDate(day)}, "tijd": {"13:00"}, "duur": {"30"}, "spreekkamer": {"sk1"}}
		// A follow-up tomorrow the client misses: the task to plan anew
		// does not hold closing up, and lapses with the dossier.
		soon := process.AddDays(e.Clock.Now(), 1)
		for soon.Weekday() == time.Saturday || soon.Weekday() == time.Sunday {
			soon = process.AddDays(soon, 1)
		}
		missed := casework.Values{"datum": {casework.FormatDate(soon)}, "tijd": {"10:00"}, "duur": {"30"}, "spreekkamer": {"sk2"}}
		if err := e.Svc.PlanFollowUp(ctx, owner, part.ID, missed); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(soon.Add(10*time.Hour + 15*time.Minute))
		for _, a := range e.File(t, app.ClientID).Appointments {
			if a.Planned() {
				if err := e.Svc.MarkAppointment(ctx, owner, a.ID, process.AppointmentNoShow); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := e.Svc.PlanFollowUp(ctx, owner, part.ID, slot); err != nil {
			t.Fatal(err)
		}
		// Registered with both providers of the plan: Baanbrekend may be
		// finished after closing, Hallo Werk not.
		f = e.File(t, app.ClientID)
		for _, tr := range f.Trajectories {
			if err := e.Svc.RegisterTrajectory(ctx, owner, part.ID, tr.ID); err != nil && casework.ErrorCode(err) != casework.CodeConflict {
				t.Fatal(err)
			}
		}
		f = e.File(t, app.ClientID)
		part = *f.Participation
		var baanbrekend, hallo casework.Registration
		for _, g := range f.Registrations {
			switch g.Provider {
			case "baanbrekend":
				baanbrekend = g
			case "hallo_werk":
				hallo = g
			}
		}
		if !baanbrekend.Active() || !hallo.Active() || baanbrekend.TrajectoryID == 0 {
			t.Fatalf("registrations = %+v, want Hallo Werk and Baanbrekend for the plan's trajectories", f.Registrations)
		}
		opts := casework.FinishOptions(f.Def.Policy, f.Trajectories, f.Registrations)
		if len(opts) != 1 || !strings.HasPrefix(opts[0].Value, "traject-") || !strings.HasPrefix(opts[0].Label, "Baanbrekend: ") {
			t.Errorf("what may be finished = %+v, want the Baanbrekend trajectory (with its registration)", opts)
		}

		reason := casework.Values{process.FieldReason: {"Werk gevonden bij een schoonmaakbedrijf."}}
		err := e.Svc.CloseDossier(ctx, e.Actor(process.RolePoortwachter), part.ID, part.Version, reason)
		wantField(t, err, casework.CodeForbidden, "", "")
		err = e.Svc.CloseDossier(ctx, owner, part.ID, part.Version+1, reason)
		wantField(t, err, casework.CodeConflict, "", "")
		err = e.Svc.CloseDossier(ctx, owner, part.ID, part.Version, casework.Values{})
		wantField(t, err, casework.CodeInvalid, process.FieldReason, "")
		err = e.Svc.CloseDossier(ctx, owner, part.ID, part.Version, casework.Values{process.FieldReason: reason[process.FieldReason],
			process.FieldFinish: {"aanmelding-" + strconv.FormatInt(hallo.ID, 10)}})
		wantField(t, err, casework.CodeInvalid, process.FieldFinish, "") // Hallo Werk may not be finished
		withFinish := casework.Values{process.FieldReason: reason[process.FieldReason], process.FieldFinish: {opts[0].Value}}
		if err := e.Svc.CloseDossier(ctx, owner, part.ID, part.Version, withFinish); err != nil {
			t.Fatal(err)
		}

		f = e.File(t, app.ClientID)
		if f.Participation.Status != process.StatusAfgesloten {
			t.Errorf("dossier status %s after closing", f.Participation.Status)
		}
		for _, tk := range f.Tasks {
			if tk.Step == process.StepHerplannen && tk.Status != casework.TaskCancelled {
				t.Errorf("the task to plan anew is %s after closing, want vervallen", tk.Status)
			}
		}
		if n := len(f.OpenTasks()); n != 0 {
			t.Errorf("%d open tasks after closing: %v", n, steps(f))
		}
		for _, a := range f.Appointments {
			if a.Planned() {
				t.Errorf("appointment %d (%s) still planned after closing", a.ID, a.Kind)
			}
		}
		cancelled := 0
		for _, m := range f.Messages {
			if strings.HasPrefix(m.Kind, "Annulering") {
				cancelled++
			}
		}
		if cancelled < 2 {
			t.Errorf("%d cancellation messages, want the client's and the klantmanager's", cancelled)
		}
		for _, g := range f.Registrations {
			switch g.ID {
			case baanbrekend.ID:
				if !g.MayFinish || !g.Active() {
					t.Errorf("the chosen trajectory's registration %+v does not run on", g)
				}
				// It can still change; the dossier is closed for the rest.
				if err := e.Svc.UpdateRegistrationStatus(ctx, owner, part.ID, g.ID, g.Version, "gestart"); err != nil {
					t.Errorf("a registration that runs on, after closing: %v", err)
				}
			case hallo.ID:
				if g.Active() {
					t.Errorf("registration %+v not chosen still runs", g)
				}
				err := e.Svc.UpdateRegistrationStatus(ctx, owner, part.ID, g.ID, g.Version, "gestart")
				wantField(t, err, casework.CodeConflict, "", "")
			}
		}
		err = e.Svc.CloseDossier(ctx, owner, part.ID, f.Participation.Version, reason)
		wantField(t, err, casework.CodeConflict, "", "")

		// The room (and the klantmanager's time) is free again: another
		// dossier's klantmanager books it at the same time.
		app2 := e.Apply(t)
		intake := e.WalkTo(t, app2, "", process.StepIntakeWerkdiagnose)
		other2 := casework.Actor{User: e.UserByID(t, intake.HolderID)}
		if err := e.Svc.PlanFollowUp(ctx, other2, intake.CaseID, slot); err != nil {
			t.Errorf("booking the freed room: %v", err)
		}
	})
}

// A refusal before the intake offers closing without it: the intake task
// lapses, its appointment is cancelled and the dossier closes.
func TestRefusalBeforeIntakeClosesWithoutIt(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		c := demo.Choice{Decision: process.OutcomeGeenToekenning, Hold: map[process.StepKey]bool{process.StepIntakeWerkdiagnose: true}}
		zonder := e.WalkChoice(t, app, c, process.StepAfsluitenZonderIntake)
		f := e.File(t, app.ClientID)
		if zonder.HolderID != f.Participation.DossierOwner {
			t.Errorf("afsluiten zonder intake held by %d, want the dossier owner %d", zonder.HolderID, f.Participation.DossierOwner)
		}
		km := casework.Actor{User: e.UserByID(t, zonder.HolderID)}
		v := casework.Values{"keuze": {process.OutcomeZonderIntake}, "toelichting": {"Geen toekenning; de klant wil geen begeleiding."}}
		done, err := e.Svc.CompleteTask(ctx, km, zonder.ID, zonder.Version, v)
		if err != nil {
			t.Fatal(err)
		}
		if len(done.Tasks) != 0 || done.Next != 0 {
			t.Errorf("completion = %+v, want nothing to follow", done)
		}
		f = e.File(t, app.ClientID)
		if f.Participation.Status != process.StatusAfgesloten || len(f.OpenTasks()) != 0 {
			t.Errorf("dossier %s with open tasks %v", f.Participation.Status, steps(f))
		}
		for _, tk := range f.Tasks {
			if tk.Step == process.StepIntakeWerkdiagnose && tk.Status != casework.TaskCancelled {
				t.Errorf("intake task is %s, want vervallen", tk.Status)
			}
		}
		for _, a := range f.Appointments {
			if a.Kind == process.AppointmentIntake && !a.Cancelled {
				t.Errorf("intake appointment %d not cancelled", a.ID)
			}
			// The walk went past its time unrecorded: it lapses.
			if a.Kind == process.AppointmentIntake && a.StartAt.Before(e.Clock.Now()) && a.Status != process.AppointmentLapsed {
				t.Errorf("begun, unrecorded intake appointment has status %q, want vervallen", a.Status)
			}
		}
	})
}

// A client who applies again while guided keeps the dossier and its
// klantmanager: the new application takes the 17/PA over.
func TestNewApplicationReusesTheDossier(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		p := e.Person()
		sys := casework.Actor{User: e.User(t, demo.SystemUsername)}
		first, err := e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, p.Values())
		if err != nil {
			t.Fatal(err)
		}
		e.WalkChoice(t, first, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG}, "")
		before := *e.File(t, first.ClientID).Participation

		second, err := e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, p.Values())
		if err != nil {
			t.Fatal(err)
		}
		verwerking := e.WalkTo(t, second, "", process.StepVerwerkingAanmelding)
		tp, err := e.Svc.TaskPage(ctx, e.Actor(process.RoleTeamOndersteuning), verwerking.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.Values.Get(process.FieldKM); got != strconv.FormatInt(before.DossierOwner, 10) {
			t.Errorf("the form proposes klantmanager %q, want the dossier owner %d", got, before.DossierOwner)
		}
		e.WalkTo(t, second, "", process.StepIntakeWerkdiagnose)
		f := e.File(t, second.ClientID)
		parts := 0
		if err := e.DB.View(ctx, func(tx casework.Tx) error {
			cases, err := tx.CasesByClient(ctx, second.ClientID)
			for _, c := range cases {
				if c.Kind == process.CaseParticipatie {
					parts++
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if parts != 1 || f.Participation.ID != before.ID || f.Participation.DossierOwner != before.DossierOwner || f.Participation.ApplicationID != second.ID {
			t.Errorf("%d participation cases; dossier %+v, want %d of owner %d taken over by application %d", parts, f.Participation, before.ID, before.DossierOwner, second.ID)
		}
	})
}

// A client without e-mail gets their invitation as a letter, and Team
// Ondersteuning a task to post it; completing it records the letters sent.
func TestLetterTask(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		p := e.Person()
		p.Client.Email = ""
		app, err := e.Svc.SubmitApplication(ctx, e.Actor(process.RoleOndersteunerPoortwachter), casework.ChannelPhysical, p.Values())
		if err != nil {
			t.Fatal(err)
		}
		e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
		f := e.File(t, app.ClientID)
		var letter casework.TaskView
		for _, tk := range f.OpenTasks() {
			if tk.Step == process.StepBriefVersturen {
				letter = tk
			}
		}
		if letter.ID == 0 || letter.Team != process.TeamOndersteuning || letter.DueOn.IsZero() {
			t.Fatalf("letter task = %+v, want one for Team Ondersteuning with a term", letter.Task)
		}
		byPost := 0
		for _, m := range f.Messages {
			if m.Status == casework.MessageByPost {
				byPost++
			}
		}
		if byPost == 0 {
			t.Fatal("no letter by post in the outbox")
		}
		tessa := e.Actor(process.RoleTeamOndersteuning)
		if _, err := e.Svc.CompleteTask(ctx, tessa, letter.ID, letter.Version, casework.Values{"brief_verstuurd": {"ja"}}); err != nil {
			t.Fatal(err)
		}
		for _, m := range e.File(t, app.ClientID).Messages {
			if m.Status == casework.MessageByPost {
				t.Errorf("message %q still waits to be posted", m.Kind)
			}
		}
	})
}

// After a step the user goes on with their next task on the client.
func TestCompletedNamesWhatFollows(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		intake := e.WalkTo(t, app, "", process.StepIntakeGesprek)
		pieter := e.Actor(process.RolePoortwachter)
		if err := e.Svc.PickUp(ctx, pieter, intake.ID, intake.Version); err != nil {
			t.Fatal(err)
		}
		v := casetest.ValidValues(t, e, intake)
		done, err := e.Svc.CompleteTask(ctx, pieter, intake.ID, intake.Version+1, v)
		if err != nil {
			t.Fatal(err)
		}
		if len(done.Tasks) != 1 || done.Tasks[0].Holder != "u" || done.Next != done.Tasks[0].ID || done.Step != "Intakegesprek (telefonisch)" {
			t.Errorf("completion = %+v, want the next step held by the user and to go on with it", done)
		}
		if s := done.Summary(); !strings.Contains(s, `"Beoordeling doelgroep" voor u`) {
			t.Errorf("summary %q", s)
		}
	})
}

// A completed step's record names what was chosen as it was then: the plan
// row registered at the start of guidance keeps its words when the row is
// changed later, and what may be finished names its provider.
func TestRecordsNameChoicesAsTheyWere(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkChoice(t, app, demo.Choice{}, "")
		f := e.File(t, app.ClientID)
		owner := casework.Actor{User: e.UserByID(t, f.Participation.DossierOwner)}
		var rec *casework.StepRecord
		for i := range f.Records {
			if f.Records[i].Step == process.StepStartBegeleiding {
				rec = &f.Records[i]
			}
		}
		if rec == nil {
			t.Fatal("no record of the start of guidance")
		}
		planned := func() string {
			for _, it := range e.Svc.RecordItems(e.File(t, app.ClientID), *rec) {
				if it.Label == "Aanmelden voor trajecten uit het plan van aanpak" {
					return it.Value
				}
			}
			return ""
		}
		before := planned()
		if !strings.HasPrefix(before, "Hallo Werk: ") {
			t.Fatalf("registered rows %q, want the Hallo Werk row by provider and goal", before)
		}
		_, goal1, _ := process.PlanTrajectoryFields(1)
		e.Clock.Add(time.Hour)
		v := casework.PlanValues(f.Plan)
		v.Set(goal1, "Iets heel anders")
		if _, err := e.Svc.SavePlan(ctx, owner, f.Participation.ID, f.Plan.Version, v); err != nil {
			t.Fatal(err)
		}
		if after := planned(); after != before {
			t.Errorf("after the row changed the record says %q, want %q as it was", after, before)
		}
	})
}
