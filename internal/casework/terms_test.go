package casework_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The test clock starts on Monday 01-03-2027; an application received that
// day has its decision term end on Monday 26-04-2027 (+ 56 days).

// day is a calendar date of 2027 in Amsterdam.
func day(m time.Month, d int) time.Time { return time.Date(2027, m, d, 0, 0, 0, 0, process.Amsterdam) }

// sameDay fails unless got is the date want.
func sameDay(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, casework.FormatDate(got), casework.FormatDate(want))
	}
}

// taskOf returns the client's latest task of step, any status.
func taskOf(t *testing.T, f casework.ClientFile, step process.StepKey) casework.TaskView {
	t.Helper()
	for i := len(f.Tasks) - 1; i >= 0; i-- {
		if f.Tasks[i].Step == step {
			return f.Tasks[i]
		}
	}
	t.Fatalf("no task %s (tasks %v)", step, steps(f))
	return casework.TaskView{}
}

// request starts a request to complete the application and completes it
// with what is missing and the values given (the form's defaults else).
func request(t *testing.T, e *casetest.Env, a casework.Actor, app casework.Case, set casework.Values) (casework.TaskPage, error) {
	t.Helper()
	id, err := e.Svc.StartStep(ctx, a, app.ID, process.StepVerzoekAanvulling)
	if err != nil {
		t.Fatalf("start the request: %v", err)
	}
	tp, err := e.Svc.TaskPage(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	v := casework.Values{}
	for k, vs := range tp.Values {
		v[k] = vs
	}
	v.Set(process.FieldMissing, "Bankafschriften van de laatste drie maanden.")
	for k, vs := range set {
		v[k] = vs
	}
	_, err = e.Svc.CompleteTask(ctx, a, id, tp.Task.Version, v)
	return tp, err
}

// complete completes a task with the values given.
func complete(t *testing.T, e *casetest.Env, a casework.Actor, task casework.TaskView, v casework.Values) error {
	t.Helper()
	_, err := e.Svc.CompleteTask(ctx, a, task.ID, task.Version, v)
	return err
}

func TestRequestToCompleteSuspendsTheTerm(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		intake := e.WalkTo(t, app, "", process.StepIntakeGesprek)
		sameDay(t, "plain due date", intake.DueOn, day(4, 26))
		pieter, fatima := casework.Actor{User: e.User(t, "pieter")}, casework.Actor{User: e.User(t, "fatima")}

		// Only the Poort starts it; the file offers it to the Poort only.
		if _, err := e.Svc.StartStep(ctx, e.Actor(process.RoleKMWerk), app.ID, process.StepVerzoekAanvulling); casework.ErrorCode(err) != casework.CodeForbidden {
			t.Fatalf("a KM Werk starts a request: %v", err)
		}
		if _, err := e.Svc.StartStep(ctx, pieter, app.ID, process.StepIntakeGesprek); casework.ErrorCode(err) != casework.CodeNotFound {
			t.Fatalf("a step of the flow started by hand: %v", err)
		}
		f, err := e.Svc.ClientFile(ctx, pieter, app.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Startable) != 2 || f.Startable[0].Step.Key != process.StepVerzoekAanvulling || f.Startable[0].Refusal != "" {
			t.Fatalf("startable for the Poortwachter: %+v", f.Startable)
		}
		if _, err := e.Svc.ClientFile(ctx, e.Actor(process.RoleKMWerk), app.ClientID); !isReasonNeeded(err) {
			t.Fatalf("file for a KM Werk without need-to-know: %v", err)
		}
		if f, err := e.Svc.ClientFile(ctx, e.Actor(process.RoleTeamleider), app.ClientID); err != nil || len(f.Startable) != 0 {
			t.Fatalf("startable for a team lead: %+v, %v", f.Startable, err)
		}

		id, err := e.Svc.StartStep(ctx, pieter, app.ID, process.StepVerzoekAanvulling)
		if err != nil {
			t.Fatal(err)
		}
		// Started again by the same person: the same task; by a colleague: a conflict.
		if again, err := e.Svc.StartStep(ctx, pieter, app.ID, process.StepVerzoekAanvulling); err != nil || again != id {
			t.Fatalf("started twice: %d, %v (first %d)", again, err, id)
		}
		if _, err := e.Svc.StartStep(ctx, fatima, app.ID, process.StepVerzoekAanvulling); casework.ErrorCode(err) != casework.CodeConflict ||
			!strings.Contains(casework.ErrorMessage(err), "Pieter Bakker") {
			t.Fatalf("a colleague starts it too: %v", err)
		}
		tp, err := e.Svc.TaskPage(ctx, pieter, id)
		if err != nil {
			t.Fatal(err)
		}
		if tp.Task.HolderID != pieter.User.ID || tp.Task.Status != casework.TaskOpen {
			t.Fatalf("request task %+v", tp.Task)
		}
		// The form starts today, with the policy's 14 days: Monday 15-03-2027.
		if got := tp.Values.Get(process.FieldRequestedOn); got != "01-03-2027" {
			t.Errorf("request date starts at %q", got)
		}
		if got := tp.Values.Get(process.FieldCompleteBy); got != "15-03-2027" {
			t.Errorf("completion term starts at %q", got)
		}

		// Refusals, each beside its field.
		for _, c := range []struct {
			field, value, want string
		}{
			{process.FieldCompleteBy, "13-03-2027", "zaterdag"}, // a term does not end on a Saturday
			{process.FieldCompleteBy, "01-03-2027", "na vandaag"},
			{process.FieldRequestedOn, "02-03-2027", "toekomst"},
			{process.FieldMissing, "Kopie pas, BSN 123456782", "BSN"},
			{process.FieldMissing, "", "Vul"},
		} {
			v := casework.Values{process.FieldRequestedOn: {"01-03-2027"}, process.FieldCompleteBy: {"15-03-2027"},
				process.FieldMissing: {"Bankafschriften"}}
			v.Set(c.field, c.value)
			_, err := e.Svc.CompleteTask(ctx, pieter, id, tp.Task.Version, v)
			wantField(t, err, casework.CodeInvalid, c.field, c.want)
		}
		v := casework.Values{process.FieldRequestedOn: {"01-03-2027"}, process.FieldCompleteBy: {"15-03-2027"},
			process.FieldMissing: {"Bankafschriften van de laatste drie maanden."}}
		if _, err := e.Svc.CompleteTask(ctx, pieter, id, tp.Task.Version, v); err != nil {
			t.Fatal(err)
		}

		// The request in writing: what is missing and the term.
		if letter := letterText(t, e, app.ClientID, process.LetterAanvulling); !strings.Contains(letter, "Bankafschriften van de laatste drie maanden.") ||
			!strings.Contains(letter, "15 maart 2027") {
			t.Errorf("the request's letter lacks what is missing or the term:\n%s", letter)
		}
		// Suspended from 02-03-2027, at the latest through 15-03-2027 (14
		// days): 01-03-2027 + 56 + 14 = Monday 10-05-2027, the provisional
		// due date on the case and on the open tasks with the decision term.
		f = e.File(t, app.ClientID)
		if len(f.Suspensions) != 1 {
			t.Fatalf("suspensions %+v", f.Suspensions)
		}
		su := f.Suspensions[0]
		if su.Kind != casework.SuspensionRequest || !su.Running() || su.Reason != "Bankafschriften van de laatste drie maanden." {
			t.Errorf("suspension %+v", su)
		}
		sameDay(t, "requested", su.RequestedOn, day(3, 1))
		sameDay(t, "start", su.StartOn, day(3, 2))
		sameDay(t, "planned end", su.PlannedEnd, day(3, 15))
		sameDay(t, "provisional decision due", f.Application.DecisionDue, day(5, 10))
		open := taskOf(t, f, process.StepIntakeGesprek)
		sameDay(t, "intake task due", open.DueOn, day(5, 10))
		if open.DueNote != "opgeschort sinds 02-03-2027, loopt door na 15-03-2027" {
			t.Errorf("due note %q", open.DueNote)
		}
		if got := f.DecisionNote(); got != open.DueNote {
			t.Errorf("decision note %q", got)
		}
		answer := taskOf(t, f, process.StepAanvullingVerwerken)
		if answer.Status != casework.TaskOpen || answer.HolderID != pieter.User.ID || answer.Term != process.TermCompletion || answer.DueNote != "" {
			t.Fatalf("aanvulling verwerken %+v", answer)
		}
		sameDay(t, "aanvulling verwerken due", answer.DueOn, day(3, 15))
		// The worklist shows the same, and a reminder is planned for the new date.
		w, err := e.Svc.Worklist(ctx, pieter, casework.WorklistQuery{Team: process.TeamPoort})
		if err != nil {
			t.Fatal(err)
		}
		var row *casework.TaskView
		for i := range w.Tasks {
			if w.Tasks[i].ID == open.ID {
				row = &w.Tasks[i]
			}
		}
		if row == nil || !row.DueOn.Equal(day(5, 10)) || row.DueNote != open.DueNote || row.Deadline == process.DeadlineNone {
			t.Fatalf("worklist row %+v", row)
		}
		rs, err := taskReminders(e, open.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !hasReminderFor(rs, day(5, 10)) {
			t.Errorf("no reminder planned for the new due date: %+v", rs)
		}

		// While it runs, no second request and no extension.
		for _, step := range []process.StepKey{process.StepVerzoekAanvulling, process.StepVerdagen} {
			if _, err := e.Svc.StartStep(ctx, pieter, app.ID, step); casework.ErrorCode(err) != casework.CodeConflict ||
				!strings.Contains(casework.ErrorMessage(err), "opgeschort sinds 02-03-2027") {
				t.Errorf("start %s while suspended: %v", step, err)
			}
		}
		// Nor does the consent form end it.
		err = e.Svc.EndSuspension(ctx, pieter, app.ID, su.ID, casework.Values{process.FieldSuspensionEnd: {"01-03-2027"}})
		if casework.ErrorCode(err) != casework.CodeConflict || !strings.Contains(casework.ErrorMessage(err), "Aanvulling verwerken") {
			t.Errorf("ending a request's suspension on the consent form: %v", err)
		}

		// The answer, on Monday 08-03-2027.
		e.Clock.Set(day(3, 8).Add(10 * time.Hour))
		for _, c := range []struct {
			outcome, date, field, want string
		}{
			{process.OutcomeAangevuld, "09-03-2027", process.FieldReceivedOn, "toekomst"},
			{process.OutcomeAangevuld, "28-02-2027", process.FieldReceivedOn, "voor het verzoek om aanvulling (01-03-2027)"},
			{process.OutcomeAangevuld, "", process.FieldReceivedOn, "Vul in wanneer"},
			{process.OutcomeNietAangevuld, "", process.FieldCompletion, "loopt nog tot en met 15-03-2027"},
			{process.OutcomeNietAangevuld, "05-03-2027", process.FieldReceivedOn, "hoort alleen bij"},
		} {
			v := casework.Values{process.FieldCompletion: {c.outcome}, process.FieldReceivedOn: {c.date}}
			wantField(t, complete(t, e, pieter, answer, v), casework.CodeInvalid, c.field, c.want)
		}
		if err := complete(t, e, pieter, answer, casework.Values{process.FieldCompletion: {process.OutcomeAangevuld},
			process.FieldReceivedOn: {"05-03-2027"}}); err != nil {
			t.Fatal(err)
		}
		// Suspended 02-03 up to 05-03-2027: 3 days. 01-03-2027 + 59 = Thursday 29-04-2027.
		f = e.File(t, app.ClientID)
		su = f.Suspensions[0]
		sameDay(t, "end", su.EndOn, day(3, 5))
		sameDay(t, "recomputed decision due", f.Application.DecisionDue, day(4, 29))
		open = taskOf(t, f, process.StepIntakeGesprek)
		sameDay(t, "intake task due", open.DueOn, day(4, 29))
		if open.DueNote != "" || f.DecisionNote() != "" {
			t.Errorf("note after the answer: %q, %q", open.DueNote, f.DecisionNote())
		}
		if !hasSummary(f, "Aanvulling ontvangen op 05-03-2027") || !hasSummary(f, "uiterlijk 29-04-2027") {
			t.Errorf("history %v", summaries(f))
		}
		// A new request may follow; the extension may start again.
		if f, err = e.Svc.ClientFile(ctx, pieter, app.ClientID); err != nil {
			t.Fatal(err)
		}
		if f.Startable[0].Refusal != "" || f.Startable[1].Refusal != "" {
			t.Errorf("startable after the answer: %+v", f.Startable)
		}
	})
}

func TestCompletionTermLapses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepIntakeGesprek)
		pieter := casework.Actor{User: e.User(t, "pieter")}
		if _, err := request(t, e, pieter, app, nil); err != nil {
			t.Fatal(err)
		}
		// The term's last day is 15-03-2027; on 16-03 it lapsed unused.
		e.Clock.Set(day(3, 16).Add(9 * time.Hour))
		f := e.File(t, app.ClientID)
		answer := taskOf(t, f, process.StepAanvullingVerwerken)
		if answer.Deadline != process.DeadlineOverdue {
			t.Errorf("aanvulling verwerken after its term: %s", answer.Deadline)
		}
		if err := complete(t, e, pieter, answer, casework.Values{process.FieldCompletion: {process.OutcomeNietAangevuld}}); err != nil {
			t.Fatal(err)
		}
		// Suspended 02-03 through 15-03-2027, 14 days: the provisional date holds.
		f = e.File(t, app.ClientID)
		sameDay(t, "end", f.Suspensions[0].EndOn, day(3, 16))
		sameDay(t, "decision due", f.Application.DecisionDue, day(5, 10))
		if !hasSummary(f, "Aanvultermijn ongebruikt verstreken (tot en met 15-03-2027)") {
			t.Errorf("history %v", summaries(f))
		}

		// An answer that arrives after the term ends the suspension with the term.
		app2 := e.Apply(t)
		e.WalkTo(t, app2, "", process.StepIntakeGesprek)
		if _, err := request(t, e, pieter, app2, nil); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(day(4, 1).Add(9 * time.Hour))
		f2 := e.File(t, app2.ClientID)
		req := f2.Suspensions[0]
		if err := complete(t, e, pieter, taskOf(t, f2, process.StepAanvullingVerwerken), casework.Values{process.FieldCompletion: {process.OutcomeAangevuld},
			process.FieldReceivedOn: {"01-04-2027"}}); err != nil {
			t.Fatal(err)
		}
		f2 = e.File(t, app2.ClientID)
		sameDay(t, "late answer's end", f2.Suspensions[0].EndOn, req.Term().LapsedEnd())
		if !hasSummary(f2, "na de aanvultermijn") {
			t.Errorf("history %v", summaries(f2))
		}
	})
}

func TestExtensionOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepIntakeGesprek)
		pieter := casework.Actor{User: e.User(t, "pieter")}
		id, err := e.Svc.StartStep(ctx, pieter, app.ID, process.StepVerdagen)
		if err != nil {
			t.Fatal(err)
		}
		tp, err := e.Svc.TaskPage(ctx, pieter, id)
		if err != nil {
			t.Fatal(err)
		}
		// The form proposes 4 weeks later: 26-04 + 28 = Monday 24-05-2027.
		if got := tp.Values.Get(process.FieldExtendTo); got != "24-05-2027" {
			t.Errorf("proposed date %q", got)
		}
		for _, c := range []struct {
			field, date, reason, want string
		}{
			{process.FieldExtendTo, "26-04-2027", "Advies nodig", "na de huidige uiterste beslisdatum (26-04-2027)"},
			{process.FieldExtendTo, "22-06-2027", "Advies nodig", "ten hoogste 8 weken"}, // 21-06 is the limit
			{process.FieldExtendTo, "19-06-2027", "Advies nodig", "zaterdag"},
			{process.FieldExtendTo, "17-05-2027", "Advies nodig", "Tweede Pinksterdag"},
			{process.FieldExtensionReason, "07-06-2027", "", "Vul"},
		} {
			v := casework.Values{process.FieldExtendTo: {c.date}, process.FieldExtensionReason: {c.reason}}
			wantField(t, complete(t, e, pieter, tp.Task, v), casework.CodeInvalid, c.field, c.want)
		}
		e.Clock.Set(day(4, 20).Add(9 * time.Hour))
		if err := complete(t, e, pieter, tp.Task, casework.Values{process.FieldExtendTo: {"07-06-2027"},
			process.FieldExtensionReason: {"Wij wachten op informatie van het UWV over uw uitkering."}}); err != nil {
			t.Fatal(err)
		}
		f := e.File(t, app.ClientID)
		a := f.Application
		sameDay(t, "extended to", a.ExtendedTo, day(6, 7))
		sameDay(t, "extended on", a.ExtendedOn, day(4, 20))
		sameDay(t, "decision due", a.DecisionDue, day(6, 7))
		if a.ExtensionDays != 42 || a.ExtensionReason != "Wij wachten op informatie van het UWV over uw uitkering." {
			t.Errorf("extension %d days, reason %q", a.ExtensionDays, a.ExtensionReason)
		}
		sameDay(t, "intake task due", taskOf(t, f, process.StepIntakeGesprek).DueOn, day(6, 7))
		if letter := letterText(t, e, app.ClientID, process.LetterVerdaging); !strings.Contains(letter, "7 juni 2027") ||
			!strings.Contains(letter, "Wij wachten op informatie van het UWV over uw uitkering.") {
			t.Errorf("the notice lacks the new date or the reasons:\n%s", letter)
		}
		if !hasSummary(f, "Beslistermijn verdaagd van 26-04-2027 naar 07-06-2027") {
			t.Errorf("history %v", summaries(f))
		}
		// Once per application.
		if f, err = e.Svc.ClientFile(ctx, pieter, app.ClientID); err != nil {
			t.Fatal(err)
		}
		if f.Startable[1].Step.Key != process.StepVerdagen || !strings.Contains(f.Startable[1].Refusal, "al verdaagd tot 07-06-2027") {
			t.Errorf("startable after the extension: %+v", f.Startable)
		}
		if _, err := e.Svc.StartStep(ctx, pieter, app.ID, process.StepVerdagen); casework.ErrorCode(err) != casework.CodeConflict ||
			!strings.Contains(casework.ErrorMessage(err), "één keer") {
			t.Errorf("second extension: %v", err)
		}
		// A suspension by consent afterwards moves the extended term: 7 days.
		if err := e.Svc.AddSuspension(ctx, pieter, app.ID, casework.Values{process.FieldStart: {"05-04-2027"},
			process.FieldSuspensionEnd: {"12-04-2027"}, process.FieldReason: {"Uitstel gevraagd"}}); err != nil {
			t.Fatal(err)
		}
		sameDay(t, "extended and suspended", e.File(t, app.ClientID).Application.DecisionDue, day(6, 14))

		// After the term passed, it cannot be extended.
		app2 := e.Apply(t)
		e.WalkTo(t, app2, "", process.StepIntakeGesprek)
		e.Clock.Set(process.AddDays(app2.DecisionDue, 1).Add(9 * time.Hour))
		if _, err := e.Svc.StartStep(ctx, pieter, app2.ID, process.StepVerdagen); casework.ErrorCode(err) != casework.CodeConflict ||
			!strings.Contains(casework.ErrorMessage(err), "verstreken op "+casework.FormatDate(app2.DecisionDue)) {
			t.Errorf("extension after the term: %v", err)
		}
	})
}

func TestConsentSuspension(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepIntakeGesprek)
		pieter := casework.Actor{User: e.User(t, "pieter")}
		add := func(v casework.Values) error { return e.Svc.AddSuspension(ctx, pieter, app.ID, v) }

		err := add(casework.Values{process.FieldStart: {"02-03-2027"}, process.FieldReason: {"Uitstel gevraagd"}})
		wantField(t, err, casework.CodeInvalid, process.FieldConsentUntil, "zonder einde verdwijnt de beslistermijn")
		err = add(casework.Values{process.FieldStart: {"02-03-2027"}, process.FieldSuspensionEnd: {"09-03-2027"}, process.FieldReason: {"Uitstel gevraagd"}})
		wantField(t, err, casework.CodeInvalid, process.FieldSuspensionEnd, "toekomst")
		if err := add(casework.Values{}); casework.ErrorCode(err) != casework.CodeInvalid {
			t.Errorf("empty form: %v", err)
		}
		if err := e.Svc.AddSuspension(ctx, e.Actor(process.RoleKMWerk), app.ID, casework.Values{}); casework.ErrorCode(err) != casework.CodeForbidden {
			t.Errorf("a KM Werk suspends: %v", err)
		}

		// Agreed through 15-03-2027: 14 days, as long as it runs.
		if err := add(casework.Values{process.FieldStart: {"02-03-2027"}, process.FieldConsentUntil: {"15-03-2027"},
			process.FieldReason: {"De aanvrager vraagt uitstel tot na de verhuizing."}}); err != nil {
			t.Fatal(err)
		}
		f := e.File(t, app.ClientID)
		su := f.Suspensions[0]
		if su.Kind != casework.SuspensionConsent || !su.Running() {
			t.Fatalf("suspension %+v", su)
		}
		sameDay(t, "provisional decision due", f.Application.DecisionDue, day(5, 10))
		err = add(casework.Values{process.FieldStart: {"03-03-2027"}, process.FieldSuspensionEnd: {"01-03-2027"}, process.FieldReason: {"nog een"}})
		wantField(t, err, casework.CodeInvalid, process.FieldStart, "al opgeschort sinds 02-03-2027")

		e.Clock.Set(day(3, 8).Add(9 * time.Hour))
		end := func(d string) error {
			return e.Svc.EndSuspension(ctx, pieter, app.ID, su.ID, casework.Values{process.FieldSuspensionEnd: {d}})
		}
		wantField(t, end("09-03-2027"), casework.CodeInvalid, process.FieldSuspensionEnd, "toekomst")
		wantField(t, end("01-03-2027"), casework.CodeInvalid, process.FieldSuspensionEnd, "voor het begin")
		// Ended early: the term runs again from 05-03-2027, 3 days suspended.
		if err := end("05-03-2027"); err != nil {
			t.Fatal(err)
		}
		f = e.File(t, app.ClientID)
		sameDay(t, "decision due after the early end", f.Application.DecisionDue, day(4, 29))
		if err := end("05-03-2027"); casework.ErrorCode(err) != casework.CodeConflict {
			t.Errorf("ended twice: %v", err)
		}
		// A later suspension may not overlap it.
		err = add(casework.Values{process.FieldStart: {"04-03-2027"}, process.FieldSuspensionEnd: {"06-03-2027"}, process.FieldReason: {"nog een"}})
		wantField(t, err, casework.CodeInvalid, process.FieldStart, "overlapt")

		// A consent ending past its agreed days is refused.
		app2 := e.Apply(t)
		if err := e.Svc.AddSuspension(ctx, pieter, app2.ID, casework.Values{process.FieldStart: {"08-03-2027"}, process.FieldConsentUntil: {"08-03-2027"},
			process.FieldReason: {"Eén dag"}}); err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(day(3, 12).Add(9 * time.Hour))
		f2 := e.File(t, app2.ClientID)
		err = e.Svc.EndSuspension(ctx, pieter, app2.ID, f2.Suspensions[0].ID, casework.Values{process.FieldSuspensionEnd: {"12-03-2027"}})
		wantField(t, err, casework.CodeInvalid, process.FieldSuspensionEnd, "uiterlijk 09-03-2027")
	})
}

// The decision ends what keeps the term: a running request's suspension
// ends, its task lapses.
func TestDecisionEndsTheRequest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		besluit := e.WalkTo(t, app, "arbeidsbeperkt", process.StepBesluit)
		pieter := casework.Actor{User: e.UserByID(t, besluit.HolderID)}
		if _, err := request(t, e, pieter, app, nil); err != nil {
			t.Fatal(err)
		}
		e.Clock.Add(3 * 24 * time.Hour)
		f := e.File(t, app.ClientID)
		besluit = taskOf(t, f, process.StepBesluit).Task
		if err := complete(t, e, pieter, casework.TaskView{Task: besluit}, casetest.ValidValues(t, e, besluit)); err != nil {
			t.Fatal(err)
		}
		f = e.File(t, app.ClientID)
		if got := taskOf(t, f, process.StepAanvullingVerwerken).Status; got != casework.TaskCancelled {
			t.Errorf("aanvulling verwerken after the decision: %s", got)
		}
		if f.Suspensions[0].Running() {
			t.Errorf("suspension still runs after the decision")
		}
		sameDay(t, "suspension end", f.Suspensions[0].EndOn, process.Date(e.Clock.Now()))
		if _, err := e.Svc.StartStep(ctx, pieter, app.ID, process.StepVerzoekAanvulling); casework.ErrorCode(err) != casework.CodeConflict {
			t.Errorf("request after the decision: %v", err)
		}
	})
}

// hasSummary reports whether the file's history has an event whose
// summary holds contains.
func hasSummary(f casework.ClientFile, contains string) bool {
	for _, ev := range f.Events {
		if strings.Contains(ev.Summary, contains) {
			return true
		}
	}
	return false
}

func summaries(f casework.ClientFile) []string {
	var out []string
	for _, ev := range f.Events {
		out = append(out, ev.Summary)
	}
	return out
}

func taskReminders(e *casetest.Env, taskID int64) ([]casework.Reminder, error) {
	tp, err := e.Svc.TaskPage(ctx, e.Actor(process.RoleTeamleider), taskID)
	return tp.Reminders, err
}

// letterText returns the HTML of the client's letter of key, failing when
// there is none (the test env has no PDF renderer: letters are HTML).
func letterText(t *testing.T, e *casetest.Env, clientID int64, key process.LetterKey) string {
	t.Helper()
	a := casework.Actor{User: e.User(t, "pieter")}
	docs, err := e.Svc.ClientDocuments(ctx, a, clientID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Kind == string(key) {
			f, err := e.Svc.Download(ctx, a, clientID, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return string(f.Data)
		}
	}
	t.Fatalf("no letter %s among %d documents", key, len(docs))
	return ""
}

func hasReminderFor(rs []casework.Reminder, due time.Time) bool {
	for _, r := range rs {
		if r.Kind == casework.ReminderBeforeDue && r.DueOn.Equal(due) && r.Status == casework.ReminderPlanned {
			return true
		}
	}
	return false
}

// The reminder of a suspended decision term says the date is provisional.
func TestReminderOfASuspendedTerm(t *testing.T) {
	e := casetest.New(t, "sqlite")
	app := e.Apply(t)
	intake := e.WalkTo(t, app, "", process.StepIntakeGesprek)
	if _, err := request(t, e, casework.Actor{User: e.User(t, "pieter")}, app, nil); err != nil {
		t.Fatal(err)
	}
	rs, err := taskReminders(e, intake.ID)
	if err != nil {
		t.Fatal(err)
	}
	var r casework.Reminder
	for _, x := range rs {
		if x.Kind == casework.ReminderBeforeDue && x.DueOn.Equal(day(5, 10)) && x.Status == casework.ReminderPlanned {
			r = x
		}
	}
	if r.ID == 0 {
		t.Fatalf("no reminder for the provisional date: %+v", rs)
	}
	e.Clock.Set(r.SendAt)
	if _, err := e.Svc.FireReminder(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	err = e.DB.View(ctx, func(tx casework.Tx) error {
		fired, err := tx.ReminderByID(ctx, r.ID)
		if err != nil {
			return err
		}
		m, err := tx.MessageByID(ctx, fired.MessageID)
		if err != nil {
			return err
		}
		if want := "10-05-2027 (opgeschort sinds 02-03-2027, loopt door na 15-03-2027)"; !strings.Contains(m.Body, want) {
			t.Errorf("reminder body lacks %q:\n%s", want, m.Body)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// isReasonNeeded reports whether err asks for a reason to open the file.
func isReasonNeeded(err error) bool {
	_, ok := casework.ReasonNeeded(err)
	return ok
}
