package casework_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// plannedSignal returns the one planned reminder of kind on the case.
func plannedSignal(t *testing.T, e *casetest.Env, caseID int64, kind string) casework.Reminder {
	t.Helper()
	var out []casework.Reminder
	err := e.DB.View(ctx, func(tx casework.Tx) error {
		rs, err := tx.ListReminders(ctx, casework.ReminderFilter{CaseID: caseID, Status: casework.ReminderPlanned})
		for _, r := range rs {
			if r.Kind == kind {
				out = append(out, r)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("%d planned %s reminders on case %d, want 1: %+v", len(out), kind, caseID, out)
	}
	return out[0]
}

// fire moves the clock to the reminder's time and fires it.
func fire(t *testing.T, e *casetest.Env, r casework.Reminder) {
	t.Helper()
	if e.Clock.Now().Before(r.SendAt) {
		e.Clock.Set(r.SendAt)
	}
	if again, err := e.Svc.FireReminder(ctx, r.ID); err != nil || !again.IsZero() {
		t.Fatalf("fire reminder %d = %v, %v", r.ID, again, err)
	}
}

// openTasksOf returns the open tasks of step on the client.
func openTasksOf(t *testing.T, e *casetest.Env, clientID int64, step process.StepKey) []casework.TaskView {
	t.Helper()
	var out []casework.TaskView
	for _, tv := range e.File(t, clientID).OpenTasks() {
		if tv.Step == step {
			out = append(out, tv)
		}
	}
	return out
}

// tasksOf returns every task of step on the client, open or not.
func tasksOf(t *testing.T, e *casetest.Env, clientID int64, step process.StepKey) []casework.TaskView {
	t.Helper()
	var out []casework.TaskView
	for _, tv := range e.File(t, clientID).Tasks {
		if tv.Step == step {
			out = append(out, tv)
		}
	}
	return out
}

// voorschotTask applies for a new client, lets a Poortwachter pick up the
// intake and fires the first voorschot signal. It returns the application,
// the Poortwachter and the voorschot task.
func voorschotTask(t *testing.T, e *casetest.Env) (casework.Case, casework.Actor, casework.Task) {
	t.Helper()
	app := e.Apply(t) // Monday 1 March 2027
	pw := e.Actor(process.RolePoortwachter)
	intake := openTasksOf(t, e, app.ClientID, process.StepIntakeGesprek)
	if len(intake) != 1 {
		t.Fatalf("%d intake tasks", len(intake))
	}
	if err := e.Svc.PickUp(ctx, pw, intake[0].ID, intake[0].Version); err != nil {
		t.Fatal(err)
	}
	fire(t, e, plannedSignal(t, e, app.ID, casework.ReminderVoorschot))
	vs := openTasksOf(t, e, app.ClientID, process.StepVoorschot)
	if len(vs) != 1 {
		t.Fatalf("%d open voorschot tasks after the signal, want 1", len(vs))
	}
	return app, pw, vs[0].Task
}

// TestVoorschotSignalCreatesTask: five working days before day 28 the
// signal makes one task "Voorschot beoordelen" for the application's
// Poortwachter, due on the voorschot date; the next signal is planned for
// the voorschot date after it, and does not make a second task while the
// first is open.
func TestVoorschotSignalCreatesTask(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t) // Monday 1 March 2027
		r := plannedSignal(t, e, app.ID, casework.ReminderVoorschot)
		// Day 28 is Mon 29 March 2027, Tweede Paasdag: the term of art. 52
		// ends on Tuesday 30 March (Algemene termijnenwet). Five working
		// days before, counted back over Goede Vrijdag (open by default):
		// Mon 22 March.
		if !r.DueOn.Equal(ams(2027, 3, 29, 0, 0)) || !r.SendAt.Equal(ams(2027, 3, 22, 8, 0)) {
			t.Fatalf("signal for %s at %s, want for 29-03-2027 at 22-03-2027 08:00", r.DueOn, r.SendAt.In(process.Amsterdam))
		}
		pw := e.Actor(process.RolePoortwachter)
		intake := openTasksOf(t, e, app.ClientID, process.StepIntakeGesprek)[0]
		if err := e.Svc.PickUp(ctx, pw, intake.ID, intake.Version); err != nil {
			t.Fatal(err)
		}
		// Too early: nothing yet.
		e.Clock.Set(ams(2027, 3, 21, 20, 0))
		if again, err := e.Svc.FireReminder(ctx, r.ID); err != nil || !again.Equal(r.SendAt) {
			t.Fatalf("early fire = %v, %v", again, err)
		}
		if n := len(tasksOf(t, e, app.ClientID, process.StepVoorschot)); n != 0 {
			t.Fatalf("%d voorschot tasks before the signal", n)
		}
		fire(t, e, r)
		fire(t, e, r) // a second firing (another instance) makes nothing more
		vs := tasksOf(t, e, app.ClientID, process.StepVoorschot)
		if len(vs) != 1 {
			t.Fatalf("%d voorschot tasks, want 1", len(vs))
		}
		v := vs[0]
		if v.HolderID != pw.User.ID || v.Team != process.TeamPoort || v.CaseID != app.ID || v.Term != process.TermVoorschot ||
			!v.DueOn.Equal(ams(2027, 3, 30, 0, 0)) {
			t.Errorf("voorschot task %+v: want the Poortwachter's, on 0/L2, due 30-03-2027 (Algemene termijnenwet)", v.Task)
		}
		if n := len(outbox(t, e, "Voorschotdatum")); n != 1 {
			t.Errorf("%d voorschot mails, want 1", n)
		}
		// On the Poortwachter's worklist with its term, like any task.
		w, err := e.Svc.Worklist(ctx, pw, casework.WorklistQuery{Mine: true})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, tv := range w.Tasks {
			if tv.ID == v.ID {
				found = true
				if tv.StepTitle != "Voorschot beoordelen" || tv.Deadline == process.DeadlineNone {
					t.Errorf("worklist row %q with deadline %q", tv.StepTitle, tv.Deadline)
				}
			}
		}
		if !found {
			t.Error("the voorschot task is not on the Poortwachter's worklist")
		}
		// The next signal is for the next voorschot date, 26 April 2027,
		// five working days before: Mon 19 April.
		next := plannedSignal(t, e, app.ID, casework.ReminderVoorschot)
		if !next.DueOn.Equal(ams(2027, 4, 26, 0, 0)) || !next.SendAt.Equal(ams(2027, 4, 19, 8, 0)) {
			t.Fatalf("next signal for %s at %s", next.DueOn, next.SendAt.In(process.Amsterdam))
		}
		// The first task still open: the next signal makes no second one.
		fire(t, e, next)
		if n := len(tasksOf(t, e, app.ClientID, process.StepVoorschot)); n != 1 {
			t.Errorf("%d voorschot tasks while one is open, want 1", n)
		}
		var fired casework.Reminder
		if err := e.DB.View(ctx, func(tx casework.Tx) (err error) { fired, err = tx.ReminderByID(ctx, next.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(fired.Note, "stond nog open") {
			t.Errorf("note of the second signal %q does not say a task was open", fired.Note)
		}
		// Recording the first makes the task of the date whose signal came
		// meanwhile: every voorschot date gets its task.
		if _, err := e.Svc.CompleteTask(ctx, pw, v.ID, v.Version, casework.Values{"voorschot": {process.OutcomeVoorschotVerstrekt},
			"bedrag": {"950"}, process.FieldDate: {casework.FormatDate(e.Clock.Now())}}); err != nil {
			t.Fatalf("record the first: %v %v", err, casework.FieldErrors(err))
		}
		behind := openTasksOf(t, e, app.ClientID, process.StepVoorschot)
		if len(behind) != 1 || !behind[0].DueOn.Equal(ams(2027, 4, 26, 0, 0)) {
			t.Errorf("after recording the first: open voorschot tasks %+v, want the one of 26-04-2027", behind)
		}
	})
}

// TestRecordVoorschot: the Poortwachter records a voorschot paid, with its
// amount and date, and at the next date one not paid, with the reason;
// bad input is refused with a Dutch message beside the field.
func TestRecordVoorschot(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app, pw, task := voorschotTask(t, e)
		today := casework.FormatDate(e.Clock.Now())
		values := func(kv ...string) casework.Values {
			v := casework.Values{}
			for i := 0; i < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		for _, c := range []struct {
			name  string
			v     casework.Values
			field string
			want  string
		}{
			{"a dot before the cents", values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "1234.56", process.FieldDate, today), "bedrag", "komma"},
			{"no amount", values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "veel", process.FieldDate, today), "bedrag", "geen bedrag"},
			{"three decimals", values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "12,345", process.FieldDate, today), "bedrag", "twee cijfers"},
			{"zero", values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "0,00", process.FieldDate, today), "bedrag", "groter zijn dan nul"},
			{"paid without an amount", values("voorschot", process.OutcomeVoorschotVerstrekt, process.FieldDate, today), "bedrag", "bedrag"},
			{"refused without a reason", values("voorschot", process.OutcomeVoorschotNiet, process.FieldDate, today), process.FieldReason, "reden"},
			{"refused with an amount", values("voorschot", process.OutcomeVoorschotNiet, "bedrag", "100", process.FieldDate, today, process.FieldReason, "Geen recht."), "bedrag", "alleen bij een verstrekt"},
			{"a date ahead", values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "100", process.FieldDate, "01-01-2028"), process.FieldDate, "toekomst"},
			{"a date before the application", values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "100", process.FieldDate, "01-02-2027"), process.FieldDate, "ontvangst"},
		} {
			_, err := e.Svc.CompleteTask(ctx, pw, task.ID, task.Version, c.v)
			if casework.ErrorCode(err) != casework.CodeInvalid {
				t.Errorf("%s: %v, want invalid", c.name, err)
				continue
			}
			if msg := casework.FieldErrors(err)[c.field]; !strings.Contains(msg, c.want) {
				t.Errorf("%s: message on %s = %q, want it to say %q (all: %v)", c.name, c.field, msg, c.want, casework.FieldErrors(err))
			}
		}
		if _, err := e.Svc.CompleteTask(ctx, pw, task.ID, task.Version,
			values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "€ 1.234,56", process.FieldDate, today)); err != nil {
			t.Fatalf("record paid: %v %v", err, casework.FieldErrors(err))
		}
		// Taken already: a conflict, not a second record.
		if _, err := e.Svc.CompleteTask(ctx, pw, task.ID, task.Version,
			values("voorschot", process.OutcomeVoorschotVerstrekt, "bedrag", "10", process.FieldDate, today)); casework.ErrorCode(err) != casework.CodeConflict {
			t.Errorf("second completion: %v, want a conflict", err)
		}
		f := e.File(t, app.ClientID)
		if len(f.Voorschotten) != 1 {
			t.Fatalf("%d voorschotten, want 1", len(f.Voorschotten))
		}
		if v := f.Voorschotten[0]; !v.Granted || v.AmountCents != 123456 || !v.On.Equal(process.Date(e.Clock.Now())) ||
			!v.DueOn.Equal(ams(2027, 3, 30, 0, 0)) || v.ActorID != pw.User.ID {
			t.Errorf("voorschot %+v: want € 1.234,56 paid today for 30-03-2027 by the Poortwachter", v)
		}
		if !hasEvent(f, "voorschot", "€ 1.234,56") {
			t.Error("no history line with the amount")
		}
		if !f.NextVoorschot.Equal(ams(2027, 4, 26, 0, 0)) {
			t.Errorf("next voorschot date %s after recording the first, want 26-04-2027", f.NextVoorschot)
		}

		// The next voorschot date: not paid, with the reason.
		fire(t, e, plannedSignal(t, e, app.ID, casework.ReminderVoorschot))
		next := openTasksOf(t, e, app.ClientID, process.StepVoorschot)
		if len(next) != 1 || !next[0].DueOn.Equal(ams(2027, 4, 26, 0, 0)) {
			t.Fatalf("second voorschot task: %+v", next)
		}
		reason := "De klant levert de bankafschriften niet aan, ook niet na herinnering (art. 52 lid 2)."
		if _, err := e.Svc.CompleteTask(ctx, pw, next[0].ID, next[0].Version,
			values("voorschot", process.OutcomeVoorschotNiet, process.FieldDate, casework.FormatDate(e.Clock.Now()), process.FieldReason, reason)); err != nil {
			t.Fatalf("record refused: %v %v", err, casework.FieldErrors(err))
		}
		f = e.File(t, app.ClientID)
		if len(f.Voorschotten) != 2 {
			t.Fatalf("%d voorschotten, want 2", len(f.Voorschotten))
		}
		if v := f.Voorschotten[1]; v.Granted || v.AmountCents != 0 || v.Reason != reason {
			t.Errorf("second voorschot %+v: want not paid with the reason", v)
		}
	})
}

// hasEvent reports whether the file's history has an event of kind whose
// summary holds text.
func hasEvent(f casework.ClientFile, kind, text string) bool {
	for _, ev := range f.Events {
		if ev.Kind == kind && strings.Contains(ev.Summary, text) {
			return true
		}
	}
	return false
}

// TestVoorschotEndsWithTheDecision: the decision lets the open voorschot
// task lapse, and the planned signal makes no task after it.
func TestVoorschotEndsWithTheDecision(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app, _, task := voorschotTask(t, e)
		besluit := e.WalkChoice(t, app, demo.Choice{Hold: map[process.StepKey]bool{process.StepVoorschot: true}}, process.StepBesluit)
		if err := e.Walker.Complete(ctx, casework.TaskView{Task: besluit}, demo.Choice{}); err != nil {
			t.Fatal(err)
		}
		var lapsed casework.TaskView
		for _, tv := range tasksOf(t, e, app.ClientID, process.StepVoorschot) {
			if tv.ID == task.ID {
				lapsed = tv
			}
		}
		if lapsed.Status != casework.TaskCancelled {
			t.Fatalf("voorschot task after the decision: %q, want vervallen", lapsed.Status)
		}
		if !hasEvent(e.File(t, app.ClientID), "vervallen", "besloten") {
			t.Error("no history line that the voorschot task lapsed")
		}
		next := plannedSignal(t, e, app.ID, casework.ReminderVoorschot)
		fire(t, e, next)
		if n := len(openTasksOf(t, e, app.ClientID, process.StepVoorschot)); n != 0 {
			t.Errorf("%d voorschot tasks after the decision", n)
		}
		var r casework.Reminder
		if err := e.DB.View(ctx, func(tx casework.Tx) (err error) { r, err = tx.ReminderByID(ctx, next.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if r.Status != casework.ReminderObsolete {
			t.Errorf("signal after the decision: %q, want vervallen", r.Status)
		}
	})
}

// dossierWithPlan walks a new client to the start of guidance: the plan
// van aanpak exists, the dossier is the Klantmanager Werk's.
func dossierWithPlan(t *testing.T, e *casetest.Env) (casework.Case, casework.Actor) {
	t.Helper()
	app := e.Apply(t)
	e.WalkTo(t, app, "", process.StepStartBegeleiding)
	f := e.File(t, app.ClientID)
	if f.Participation == nil || f.Plan == nil {
		t.Fatal("no dossier with a plan")
	}
	return *f.Participation, casework.Actor{User: e.UserByID(t, f.Participation.DossierOwner)}
}

// TestEvaluationCycle: a plan signed without an evaluation date is
// evaluated one cycle (6 months) after the signature; the task comes ten
// working days before, for the dossier owner; the evaluation recorded with
// a changed plan makes a new version (the earlier stays) and plans the
// next evaluation.
func TestEvaluationCycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		part, km := dossierWithPlan(t, e)
		old := plannedSignal(t, e, part.ID, casework.ReminderEvaluation)

		// The klantmanager saves the plan signed today, without a date.
		f := e.File(t, part.ClientID)
		v := casework.PlanValues(f.Plan)
		v.Del(process.FieldEvaluationOn)
		today := process.Date(e.Clock.Now())
		v.Set(process.FieldSignedOn, casework.FormatDate(today))
		plan, err := e.Svc.SavePlan(ctx, km, part.ID, f.Plan.Version, v)
		if err != nil {
			t.Fatalf("save plan: %v %v", err, casework.FieldErrors(err))
		}
		due := e.Svc.Definition().Policy.EvaluationAfter(today, e.Svc.Calendar())
		if !plan.EvaluationOn.Equal(due) || process.DaysBetween(today, due) < 180 {
			t.Fatalf("evaluation on %s, want six months after %s (%s)", plan.EvaluationOn, today, due)
		}
		// The signal of the earlier date lapses: the date moved.
		fire(t, e, old)
		if n := len(tasksOf(t, e, part.ClientID, process.StepPlanEvalueren)); n != 0 {
			t.Fatalf("%d evaluation tasks from a moved date", n)
		}
		r := plannedSignal(t, e, part.ID, casework.ReminderEvaluation)
		if want := e.Svc.Calendar().AddWorkdays(due, -10); !r.DueOn.Equal(due) || !process.Date(r.SendAt).Equal(want) {
			t.Fatalf("signal for %s on %s, want for %s on %s", r.DueOn, r.SendAt, due, want)
		}
		fire(t, e, r)
		evs := openTasksOf(t, e, part.ClientID, process.StepPlanEvalueren)
		if len(evs) != 1 {
			t.Fatalf("%d evaluation tasks, want 1", len(evs))
		}
		task := evs[0]
		if task.HolderID != km.User.ID || task.CaseID != part.ID || !task.DueOn.Equal(due) || task.Term != process.TermEvaluation {
			t.Fatalf("evaluation task %+v: want the dossier owner's on 17/PA due %s", task.Task, due)
		}
		if task.DueOn.Before(process.Date(e.Clock.Now())) {
			t.Error("the task came after its date")
		}

		held := casework.FormatDate(e.Clock.Now())
		// Refused: a changed plan without what changes, a next date past.
		_, err = e.Svc.CompleteTask(ctx, km, task.ID, task.Version, casework.Values{
			"gesprek_datum": {held}, "gedaan": {"Twee trajecten gevolgd."}, "plan_aanpassen": {process.OutcomePlanWijzigt},
			"volgende_evaluatie": {"01-01-2027"}})
		if msgs := casework.FieldErrors(err); msgs["wijzigingen"] == "" || msgs["volgende_evaluatie"] == "" {
			t.Fatalf("refusal messages %v, want on wijzigingen and volgende_evaluatie", msgs)
		}
		changes := "Het traject bij Educenter stopt; de klant start met een werkervaringsplaats."
		if _, err := e.Svc.CompleteTask(ctx, km, task.ID, task.Version, casework.Values{
			"gesprek_datum": {held}, "gedaan": {"Twee trajecten gevolgd."}, "wijzigingen": {changes},
			"plan_aanpassen": {process.OutcomePlanWijzigt}}); err != nil {
			t.Fatalf("record evaluation: %v %v", err, casework.FieldErrors(err))
		}
		f = e.File(t, part.ClientID)
		if len(f.Evaluations) != 1 {
			t.Fatalf("%d evaluations, want 1", len(f.Evaluations))
		}
		ev := f.Evaluations[0]
		next := e.Svc.Definition().Policy.EvaluationAfter(e.Clock.Now(), e.Svc.Calendar())
		if !ev.PlanChanged || ev.PlanVersion != plan.Version+1 || ev.Changes != changes || !ev.NextOn.Equal(next) || !ev.DueOn.Equal(due) {
			t.Errorf("evaluation %+v: want plan version %d, next %s", ev, plan.Version+1, next)
		}
		if f.Plan.Version != plan.Version+1 || !f.Plan.SignedOn.IsZero() || f.Plan.SignedDocumentID != 0 || !f.Plan.EvaluationOn.Equal(next) ||
			!strings.Contains(f.Plan.Note, changes) || f.Plan.Goals != plan.Goals {
			t.Errorf("new plan version %+v: want version %d, unsigned, evaluated %s, with the changes noted", *f.Plan, plan.Version+1, next)
		}
		var kept bool
		for _, pv := range f.PlanVersions {
			kept = kept || (pv.Version == plan.Version && pv.SignedOn.Equal(today))
		}
		if !kept {
			t.Error("the signed version before the evaluation is not kept")
		}
		if !f.NextEvaluation.Equal(next) {
			t.Errorf("next evaluation %s, want %s", f.NextEvaluation, next)
		}
		if r := plannedSignal(t, e, part.ID, casework.ReminderEvaluation); !r.DueOn.Equal(next) {
			t.Errorf("next signal for %s, want %s", r.DueOn, next)
		}
		if !hasEvent(f, "evaluatie", "versie") {
			t.Error("no history line of the evaluation")
		}
	})
}

// TestEvaluationLapsesOnClose: an open evaluation task lapses when its
// dossier closes, and does not hold the closing up.
func TestEvaluationLapsesOnClose(t *testing.T) {
	e := casetest.New(t, "sqlite")
	part, km := dossierWithPlan(t, e)
	e.WalkTo(t, casework.Case{ClientID: part.ClientID}, "", "")
	fire(t, e, plannedSignal(t, e, part.ID, casework.ReminderEvaluation))
	evs := openTasksOf(t, e, part.ClientID, process.StepPlanEvalueren)
	if len(evs) != 1 {
		t.Fatalf("%d evaluation tasks", len(evs))
	}
	f := e.File(t, part.ClientID)
	if !f.Participation.Open() {
		t.Fatal("the walk closed the dossier; the test needs it open")
	}
	if err := e.Svc.CloseDossier(ctx, km, part.ID, f.Participation.Version, casework.Values{process.FieldReason: {"Werk gevonden."}}); err != nil {
		t.Fatalf("close: %v %v", err, casework.FieldErrors(err))
	}
	for _, tv := range tasksOf(t, e, part.ClientID, process.StepPlanEvalueren) {
		if tv.Status != casework.TaskCancelled {
			t.Errorf("evaluation task %q after closing, want vervallen", tv.Status)
		}
	}
}

// TestSignedPlan: the plan printed for signature is a document of the
// dossier, not sent; recording the signature links the chosen document to
// the plan version, and without one keeps the plan made with the
// signature date (shown in it).
func TestSignedPlan(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		part, km := dossierWithPlan(t, e)
		sent := len(outbox(t, e, "Brief: Plan van aanpak"))
		printed, err := e.Svc.PrintPlan(ctx, km, part.ID)
		if err != nil {
			t.Fatal(err)
		}
		if printed.Status != casework.DocumentForSignature || printed.Kind != string(process.LetterPlan) || printed.CaseID != part.ID {
			t.Fatalf("printed plan %+v", printed)
		}
		if n := len(outbox(t, e, "Brief: Plan van aanpak")); n != sent {
			t.Errorf("printing the plan sent it: %d messages, had %d", n, sent)
		}
		f := e.File(t, part.ClientID)
		v := casework.PlanValues(f.Plan)
		v.Set(process.FieldSignedDocument, strconv.FormatInt(printed.ID, 10))
		// The walker's plan is signed today already: sign on another day.
		day := process.AddDays(process.Date(e.Clock.Now()), -1)
		v.Set(process.FieldSignedOn, casework.FormatDate(day))
		plan, err := e.Svc.SavePlan(ctx, km, part.ID, f.Plan.Version, v)
		if err != nil {
			t.Fatalf("sign with the printed plan: %v %v", err, casework.FieldErrors(err))
		}
		if plan.SignedDocumentID != printed.ID {
			t.Errorf("signed document %d, want the printed plan %d", plan.SignedDocumentID, printed.ID)
		}
		// Another signature without a document: the plan with that date.
		day = process.AddDays(day, -1)
		v.Set(process.FieldSignedOn, casework.FormatDate(day))
		v.Del(process.FieldSignedDocument)
		plan, err = e.Svc.SavePlan(ctx, km, part.ID, plan.Version, v)
		if err != nil {
			t.Fatalf("sign without a document: %v %v", err, casework.FieldErrors(err))
		}
		if plan.SignedDocumentID == 0 || plan.SignedDocumentID == printed.ID {
			t.Fatalf("signed document %d, want a new one", plan.SignedDocumentID)
		}
		var d casework.Document
		if err := e.DB.View(ctx, func(tx casework.Tx) (err error) { d, err = tx.DocumentByID(ctx, plan.SignedDocumentID); return err }); err != nil {
			t.Fatal(err)
		}
		long := fmt.Sprintf("%d %s %d", day.Day(), []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
			"september", "oktober", "november", "december"}[day.Month()-1], day.Year())
		if d.Status != casework.DocumentSigned || !strings.Contains(d.HTML, long) || !strings.Contains(d.HTML, fmt.Sprintf("versie %d", plan.Version)) {
			t.Errorf("the signed plan's document (%s) does not show the signature date %s and version %d", d.Status, long, plan.Version)
		}
		// A document without a signature date is refused beside the field.
		v.Del(process.FieldSignedOn)
		v.Set(process.FieldSignedDocument, strconv.FormatInt(printed.ID, 10))
		_, err = e.Svc.SavePlan(ctx, km, part.ID, plan.Version, v)
		if casework.FieldErrors(err)[process.FieldSignedDocument] == "" {
			t.Errorf("a signed document without the date: %v", err)
		}
		f = e.File(t, part.ClientID)
		if f.Plan.SignedDocumentID != plan.SignedDocumentID {
			t.Errorf("client file plan document %d", f.Plan.SignedDocumentID)
		}
	})
}
