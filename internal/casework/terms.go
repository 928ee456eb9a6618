package casework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The decision term of an application (Awb 4:13) is always known: its due
// date counts every suspension (a running one up to its planned end), the
// extension and the Algemene termijnenwet (process.Policy.DecisionDue).
// This file keeps it on the case and on the tasks that carry it, and words
// it; docs/law.md gives the readings.

// termCalendar is the calendar of the Algemene termijnenwet of a
// definition's policy. A policy that does not validate (it would not have
// been built) falls back on weekends only.
func termCalendar(def *process.Definition) *process.Calendar {
	cal, err := process.NewCalendar(def.Policy.TermCalendar)
	if err != nil {
		return nil
	}
	return cal
}

// terms converts suspensions for the term arithmetic.
func terms(sus []Suspension) []process.Suspension {
	out := make([]process.Suspension, 0, len(sus))
	for _, su := range sus {
		out = append(out, su.Term())
	}
	return out
}

// decisionDue is the application's decision due date with its suspensions.
func decisionDue(def *process.Definition, app Case, sus []Suspension) time.Time {
	return def.Policy.DecisionDue(app.AppliedOn, terms(sus), app.ExtensionDays, termCalendar(def))
}

// runningSuspension is the suspension of the list that has not ended (at
// most one runs: a second is refused while one runs).
func runningSuspension(sus []Suspension) (Suspension, bool) {
	for i := len(sus) - 1; i >= 0; i-- {
		if sus[i].Running() {
			return sus[i], true
		}
	}
	return Suspension{}, false
}

// SuspensionNote words a running suspension beside a due date:
// "opgeschort sinds 23-12-2026, loopt door na 05-01-2027": the term stands
// still since its start and runs on after its planned end at the latest.
func SuspensionNote(since, until time.Time) string {
	if since.IsZero() {
		return ""
	}
	note := "opgeschort sinds " + FormatDate(since)
	if !until.IsZero() {
		note += ", loopt door na " + FormatDate(until)
	}
	return note
}

// DueText words a due date with its note: "01-03-2027 (opgeschort sinds
// 23-12-2026, loopt door na 05-01-2027)".
func DueText(due time.Time, note string) string {
	if note == "" {
		return FormatDate(due)
	}
	return FormatDate(due) + " (" + note + ")"
}

// DecisionNote is the note beside the application's decision due date:
// the running suspension, if any.
func (f ClientFile) DecisionNote() string {
	su, ok := runningSuspension(f.Suspensions)
	if !ok || !f.Application.Open() {
		return ""
	}
	return SuspensionNote(su.StartOn, su.PlannedEnd)
}

// termTx is what keeping the decision term reads and writes.
type termTx interface {
	CaseTx
	TaskTx
	SuspensionTx
	DefinitionTx
	ReminderTx
	EventTx
}

// recomputeDecisionDue stores the application's decision due date on the
// case (app is updated in place, with its new version) and on every open
// task that carries the decision term, plans their reminders for the new
// date (the old ones lapse when they fire) and writes a history line.
func (s *core) recomputeDecisionDue(ctx context.Context, tx termTx, a Actor, app *Case) error {
	def, err := s.definition(ctx, tx, app.DefinitionVersion)
	if err != nil {
		return err
	}
	sus, err := tx.SuspensionsByCase(ctx, app.ID)
	if err != nil {
		return err
	}
	due := decisionDue(def, *app, sus)
	app.DecisionDue = due
	if err := tx.UpdateCase(ctx, app); err != nil {
		return staleAsConflict(err)
	}
	tasks, err := tx.TasksByApplication(ctx, app.ID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.Status != TaskOpen || t.Term != process.TermDecision || t.DueOn.Equal(due) {
			continue
		}
		t.DueOn = due
		if err := tx.UpdateTask(ctx, &t); err != nil {
			return staleAsConflict(err)
		}
		if err := s.scheduleReminders(ctx, tx, t); err != nil {
			return err
		}
	}
	note := ""
	if su, ok := runningSuspension(sus); ok {
		note = SuspensionNote(su.StartOn, su.PlannedEnd)
	}
	return s.event(ctx, tx, a, app.ClientID, app.ID, 0, "termijn", "Beslistermijn herberekend: uiterlijk "+DueText(due, note)+".", "")
}

// runningMessage refuses a second suspension, or a step that needs the
// term to run, while one runs.
func runningMessage(su Suspension) string {
	return "De beslistermijn is al " + SuspensionNote(su.StartOn, su.PlannedEnd) + ". Die opschorting moet eerst eindigen."
}

// overlapMessage refuses a suspension that overlaps an earlier one: each
// day is suspended once. start and end (the first day the term runs again)
// bound the new one; zero end: it runs on.
func overlapMessage(sus []Suspension, start, end time.Time) string {
	for _, o := range sus {
		oEnd := o.EndOn
		if o.Running() {
			if o.PlannedEnd.IsZero() {
				continue // refused as running already
			}
			oEnd = o.Term().LapsedEnd()
		}
		if start.Before(oEnd) && (end.IsZero() || o.StartOn.Before(end)) {
			return fmt.Sprintf("Deze opschorting overlapt met een eerdere (van %s tot %s). Elke dag telt maar één keer.",
				FormatDate(o.StartOn), FormatDate(oEnd))
		}
	}
	return ""
}

// requires runs the checks of the case a step requires to start (and to
// be completed): a refusal is a conflict with their messages.
func requires(env checkEnv, st process.Step) error {
	var msgs []string
	for _, c := range st.Requires {
		v, ok := validatorFor(c.Name)
		if !ok {
			return fmt.Errorf("step %s: check %q is not implemented", st.Key, c.Name)
		}
		errs := Fields{}
		if err := v(env, c, Input{}, errs); err != nil {
			return fmt.Errorf("step %s: check %s: %w", st.Key, c.Name, err)
		}
		for _, k := range errs.Keys() {
			msgs = append(msgs, errs[k])
		}
	}
	if len(msgs) > 0 {
		return Conflict(strings.Join(msgs, " "))
	}
	return nil
}
