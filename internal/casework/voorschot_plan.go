package casework

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The two cycles of the Participatiewet that run beside the steps: the
// voorschot while an application is undecided (art. 52) and the periodic
// evaluation of the plan van aanpak (art. 44a). Each is a signal that
// makes a task (reminders.go) and a step whose effect records the outcome
// (here).

// applyRecordVoorschot records the voorschot of the task's voorschot date:
// granted with its amount and date, or not with the reason.
func applyRecordVoorschot(r *stepRun, p process.Params, _ any) error {
	v := Voorschot{CaseID: r.tc.app.ID, TaskID: r.tc.task.ID, DueOn: r.tc.task.DueOn,
		Granted: r.outcome == process.OutcomeVoorschotVerstrekt, On: r.in.Date(p[process.ParamDate]),
		Reason: r.in.Text(p[process.ParamReason]), ActorID: r.actor.User.ID, ActorName: r.actor.User.Name, CreatedAt: r.now()}
	if v.DueOn.IsZero() {
		v.DueOn = v.On
	}
	summary := fmt.Sprintf("Geen voorschot verstrekt voor de voorschotdatum %s (besloten op %s).", FormatDate(v.DueOn), FormatDate(v.On))
	if v.Granted {
		v.AmountCents = r.in.Cents(p[process.ParamAmount])
		summary = fmt.Sprintf("Voorschot van %s verstrekt op %s voor de voorschotdatum %s.", FormatAmount(v.AmountCents), FormatDate(v.On), FormatDate(v.DueOn))
	}
	if err := r.tx.AddVoorschot(r.ctx, &v); err != nil {
		var dup ErrDuplicate
		if errors.As(err, &dup) {
			return Conflict("Voor deze taak is al een voorschot vastgelegd.")
		}
		return err
	}
	if err := r.s.event(r.ctx, r.tx, r.actor, r.tc.client.ID, r.tc.app.ID, r.tc.task.ID, "voorschot", summary, v.Reason); err != nil {
		return err
	}
	return r.s.voorschotBehind(r.ctx, r.tx, r.tc.def, r.tc.app, r.tc.part, v.DueOn)
}

// voorschotBehind creates the task of the voorschot date after done when
// its signal came while this one was still open (one open voorschot task
// per application): every voorschot date gets its task, later rather than
// never. The signal of the date after that is planned already.
func (s *core) voorschotBehind(ctx context.Context, tx triggerTx, def *process.Definition, app, part Case, done time.Time) error {
	if !app.Open() {
		return nil
	}
	_, next := nextVoorschot(def, app.AppliedOn, process.AddDays(done, 1))
	at, ok := s.def.Policy.VoorschotSignal(next, s.cal)
	if !ok || at.After(s.clock.Now()) {
		return nil
	}
	_, err := s.triggerDue(ctx, tx, signalActor, def, app, part, process.OnVoorschot, next)
	return err
}

// nextVoorschot is the first voorschot date of the application's cycle
// whose due day (voorschotDue) is on or after from, and that day.
func nextVoorschot(def *process.Definition, applied, from time.Time) (date, due time.Time) {
	pol := def.Policy
	// A due day lies at most a few days after its date (a long weekend).
	date = pol.NextVoorschot(applied, process.AddDays(from, -7))
	for pol.VoorschotIntervalDays > 0 {
		if due = voorschotDue(def, date); !due.Before(process.Date(from)) {
			return date, due
		}
		date = process.AddDays(date, pol.VoorschotIntervalDays)
	}
	return date, date
}

// voorschotDue is the day the voorschot of a voorschot date is due: "within
// four weeks" of art. 52 is a term set by law, so a date on a Saturday,
// Sunday or holiday moves to the next day a term may end on (Algemene
// termijnenwet, the term calendar). The cycle goes on from the date itself.
func voorschotDue(def *process.Definition, date time.Time) time.Time {
	if cal := termCalendar(def); cal != nil {
		return process.TermEnd(date, cal)
	}
	return date
}

// applyRecordEvaluation records an evaluation of the plan van aanpak. When
// the plan changes, the latest version is carried into a new one with the
// next evaluation date and without a signature (the client signs the
// changed plan), for the klantmanager to adjust; the versions before stay
// as they were. The next evaluation is planned: the date in ParamNext, or
// one cycle after the conversation.
func applyRecordEvaluation(r *stepRun, p process.Params, _ any) error {
	part := r.tc.part
	plan, err := r.tx.LatestPlan(r.ctx, part.ID)
	if err != nil {
		return err // the form's plan_exists check asked for one
	}
	held := r.in.Date(p[process.ParamDate])
	next := r.in.Date(p[process.ParamNext])
	if next.IsZero() {
		next = r.tc.def.Policy.EvaluationAfter(held, r.s.cal)
		if !next.After(r.s.today()) {
			next = r.tc.def.Policy.EvaluationAfter(r.s.today(), r.s.cal)
		}
	}
	ev := PlanEvaluation{CaseID: part.ID, TaskID: r.tc.task.ID, DueOn: r.tc.task.DueOn, HeldOn: held,
		Done: r.in.Text(p[process.ParamDone]), Changes: r.in.Text(p[process.ParamChanges]),
		PlanChanged: r.outcome == process.OutcomePlanWijzigt, PlanVersion: plan.Version, NextOn: next,
		ActorID: r.actor.User.ID, ActorName: r.actor.User.Name, CreatedAt: r.now()}
	summary := fmt.Sprintf("Plan van aanpak geëvalueerd met de klant op %s; het plan blijft zoals het is (versie %d). Volgende evaluatie: %s.",
		FormatDate(held), plan.Version, FormatDate(next))
	if ev.PlanChanged {
		changed := plan
		changed.ID, changed.Version, changed.EvaluationOn, changed.SignedOn, changed.SignedDocumentID = 0, plan.Version+1, next, time.Time{}, 0
		changed.Note = fmt.Sprintf("Aangepast na de evaluatie van %s: %s", FormatDate(held), ev.Changes)
		changed.AuthorID, changed.AuthorName, changed.CreatedAt = r.actor.User.ID, r.actor.User.Name, ev.CreatedAt
		if err := r.tx.AddPlan(r.ctx, &changed); err != nil {
			var dup ErrDuplicate
			if errors.As(err, &dup) {
				return Conflict("Een collega sloeg het plan van aanpak tegelijk met u op. Uw invoer is bewaard: verstuur opnieuw.")
			}
			return err
		}
		ev.PlanVersion = changed.Version
		summary = fmt.Sprintf("Plan van aanpak geëvalueerd met de klant op %s; het plan wordt aangepast: versie %d (was %d). Pas het plan aan en laat de klant het opnieuw tekenen. Volgende evaluatie: %s.",
			FormatDate(held), changed.Version, plan.Version, FormatDate(next))
	}
	if err := r.tx.AddEvaluation(r.ctx, &ev); err != nil {
		var dup ErrDuplicate
		if errors.As(err, &dup) {
			return Conflict("Voor deze taak is de evaluatie al vastgelegd.")
		}
		return err
	}
	if err := r.s.event(r.ctx, r.tx, r.actor, r.tc.client.ID, part.ID, r.tc.task.ID, "evaluatie", summary, ev.Changes); err != nil {
		return err
	}
	return r.s.scheduleEvaluation(r.ctx, r.tx, part, next)
}
