package casework

import (
	"context"
	"fmt"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// AddSuspension suspends the decision term of an application (Awb 4:15) and
// recomputes the stored due dates of its tasks.
func (s *Applications) AddSuspension(ctx context.Context, a Actor, caseID int64, v Values) (err error) {
	defer wrap(&err, "AddSuspension(caseID=%d)", caseID)
	return s.onOpenApplication(ctx, a, caseID, func(tx ApplicationTx, app Case) error {
		env := s.env(s.def)
		env.app = app
		in, errs, err := s.input(process.SuspensionForm(), v, nil, env)
		if err != nil {
			return err
		}
		start, end := in.Date(process.FieldStart), in.Date(process.FieldSuspensionEnd)
		existing, err := tx.SuspensionsByCase(ctx, app.ID)
		if err != nil {
			return err
		}
		for _, su := range existing {
			if su.EndOn.IsZero() {
				errs.Add(process.FieldStart, "Er loopt al een opschorting. Beëindig die eerst.")
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		su := Suspension{CaseID: app.ID, StartOn: start, EndOn: end, Reason: in.Text(process.FieldReason), By: a.User.ID, At: s.clock.Now().UTC()}
		if err := tx.AddSuspension(ctx, &su); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, app.ClientID, app.ID, 0, "opschorting", "Beslistermijn opgeschort vanaf "+FormatDate(start)+".", su.Reason); err != nil {
			return err
		}
		return s.recomputeDecisionDue(ctx, tx, a, app)
	})
}

// EndSuspension ends a running suspension on the given date.
func (s *Applications) EndSuspension(ctx context.Context, a Actor, caseID, suspensionID int64, v Values) (err error) {
	defer wrap(&err, "EndSuspension(caseID=%d, suspensionID=%d)", caseID, suspensionID)
	return s.onOpenApplication(ctx, a, caseID, func(tx ApplicationTx, app Case) error {
		sus, err := tx.SuspensionsByCase(ctx, app.ID)
		if err != nil {
			return err
		}
		for _, su := range sus {
			if su.ID != suspensionID {
				continue
			}
			if !su.EndOn.IsZero() {
				return Conflict("Deze opschorting is al beëindigd.")
			}
			in, errs, err := s.input(process.EndSuspensionForm(), v, nil, s.env(s.def))
			if err != nil {
				return err
			}
			end := in.Date(process.FieldSuspensionEnd)
			if !end.IsZero() && end.Before(su.StartOn) {
				errs.Add(process.FieldSuspensionEnd, "Het einde ligt niet voor het begin ("+FormatDate(su.StartOn)+").")
			}
			if err := errs.Err(); err != nil {
				return err
			}
			if err := tx.EndSuspension(ctx, su.ID, end); err != nil {
				return err
			}
			if err := s.event(ctx, tx, a, app.ClientID, app.ID, 0, "opschorting", "Opschorting beëindigd op "+FormatDate(end)+".", ""); err != nil {
				return err
			}
			return s.recomputeDecisionDue(ctx, tx, a, app)
		}
		return NotFound("De opschorting")
	})
}

// onOpenApplication runs fn in one transaction on an undecided
// application whose term the actor may suspend.
func (s *Applications) onOpenApplication(ctx context.Context, a Actor, caseID int64, fn func(tx ApplicationTx, app Case) error) error {
	if err := Authorize(a, process.ActSuspendTerm, process.RelNone); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx ApplicationTx) error {
		app, err := s.openApplication(ctx, tx, caseID)
		if err != nil {
			return err
		}
		return fn(tx, app)
	})
}

func (s *Applications) openApplication(ctx context.Context, tx ApplicationTx, caseID int64) (Case, error) {
	app, err := tx.CaseByID(ctx, caseID)
	if err != nil {
		return Case{}, notFoundAs(err, "De aanvraag")
	}
	if app.Kind != process.CaseAanvraag {
		return Case{}, NotFound("De aanvraag")
	}
	if !app.Open() {
		return Case{}, Conflict("Op deze aanvraag is al besloten.")
	}
	return app, nil
}

// recomputeDecisionDue stores the new decision due date on the case and on
// every open task that carries the decision term.
func (s *Applications) recomputeDecisionDue(ctx context.Context, tx ApplicationTx, a Actor, app Case) error {
	def, err := s.definition(ctx, tx, app.DefinitionVersion)
	if err != nil {
		return err
	}
	sus, err := tx.SuspensionsByCase(ctx, app.ID)
	if err != nil {
		return err
	}
	ps := make([]process.Suspension, 0, len(sus))
	for _, su := range sus {
		ps = append(ps, process.Suspension{Start: su.StartOn, End: su.EndOn, Reason: su.Reason})
	}
	due, _ := def.Policy.DecisionDue(app.AppliedOn, ps)
	app.DecisionDue = due
	if err := tx.UpdateCase(ctx, &app); err != nil {
		return staleAsConflict(err)
	}
	tasks, err := tx.TasksByApplication(ctx, app.ID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.Status == TaskOpen && t.Term == process.TermDecision {
			t.DueOn = due
			if err := tx.UpdateTask(ctx, &t); err != nil {
				return staleAsConflict(err)
			}
			if err := s.scheduleReminders(ctx, tx, t); err != nil {
				return err
			}
		}
	}
	summary := "Beslistermijn opgeschort: einddatum onbekend zolang de opschorting loopt."
	if !due.IsZero() {
		summary = fmt.Sprintf("Beslistermijn herberekend: uiterlijk %s.", FormatDate(due))
	}
	return s.event(ctx, tx, a, app.ClientID, app.ID, 0, "termijn", summary, "")
}
