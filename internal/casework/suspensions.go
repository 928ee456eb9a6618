package casework

import (
	"context"
	"errors"
	"fmt"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// AddSuspension records a suspension of the decision term by the
// applicant's written consent (Awb 4:15 lid 2 a) and recomputes the stored
// due dates of its tasks. It has an end (not in the future: the term runs
// again from that day) or the last day of the delay the applicant agreed
// to, so the due date stays known. A request to complete the application
// suspends the term through its step (process.StepVerzoekAanvulling).
func (s *Applications) AddSuspension(ctx context.Context, a Actor, caseID int64, v Values) (err error) {
	defer wrap(&err, "AddSuspension(caseID=%d)", caseID)
	return s.onOpenApplication(ctx, a, caseID, func(tx ApplicationTx, app Case) error {
		env := s.env(s.def)
		env.app = app
		existing, err := tx.SuspensionsByCase(ctx, app.ID)
		if err != nil {
			return err
		}
		env.suspensions = func() ([]Suspension, error) { return existing, nil }
		in, errs, err := s.input(process.SuspensionForm(), v, nil, env)
		if err != nil {
			return err
		}
		start, end, until := in.Date(process.FieldStart), in.Date(process.FieldSuspensionEnd), in.Date(process.FieldConsentUntil)
		if err := validatorNotSuspended(env, process.Check{Name: process.CheckNotSuspended, Field: process.FieldStart}, in, errs); err != nil {
			return err
		}
		if end.IsZero() && until.IsZero() {
			errs.Add(process.FieldConsentUntil, "Vul in tot en met wanneer de aanvrager met uitstel instemt, of het einde van de opschorting: zonder einde verdwijnt de beslistermijn.")
		}
		if !start.IsZero() {
			last := end
			if last.IsZero() && !until.IsZero() {
				last = process.AddDays(until, 1)
			}
			if msg := overlapMessage(existing, start, last); msg != "" {
				errs.Add(process.FieldStart, msg)
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		su := Suspension{CaseID: app.ID, Kind: SuspensionConsent, StartOn: start, EndOn: end, PlannedEnd: until,
			Reason: in.Text(process.FieldReason), By: a.User.ID, At: s.clock.Now().UTC()}
		if err := tx.AddSuspension(ctx, &su); err != nil {
			return err
		}
		summary := "Beslistermijn opgeschort met instemming van de aanvrager (Awb 4:15 lid 2 a) vanaf " + FormatDate(start)
		switch {
		case !end.IsZero():
			summary += "; de termijn loopt weer vanaf " + FormatDate(end) + "."
		default:
			summary += ", uiterlijk tot en met " + FormatDate(until) + "."
		}
		if err := s.event(ctx, tx, a, app.ClientID, app.ID, 0, "opschorting", summary, su.Reason); err != nil {
			return err
		}
		return s.recomputeDecisionDue(ctx, tx, a, &app)
	})
}

// EndSuspension ends a running suspension by consent early, on the given
// date: the first day the term runs again, not in the future, not before
// its start and not after the delay agreed to. A suspension by a request to
// complete the application ends through its step "Aanvulling verwerken".
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
			if !su.Running() {
				return Conflict("Deze opschorting is al beëindigd.")
			}
			if su.Kind == SuspensionRequest {
				return &Error{Code: CodeConflict, Message: "Deze opschorting hoort bij een verzoek om aanvulling. Leg met de taak “Aanvulling verwerken” vast dat de aanvulling binnen is of dat de termijn ongebruikt verstreek.",
					Link: fmt.Sprintf("/klanten/%d#taken", app.ClientID)}
			}
			in, errs, err := s.input(process.EndSuspensionForm(), v, nil, s.env(s.def))
			if err != nil {
				return err
			}
			end := in.Date(process.FieldSuspensionEnd)
			switch {
			case end.IsZero():
			case end.Before(su.StartOn):
				errs.Add(process.FieldSuspensionEnd, "Het einde ligt niet voor het begin ("+FormatDate(su.StartOn)+").")
			case !su.PlannedEnd.IsZero() && end.After(su.Term().LapsedEnd()):
				errs.Add(process.FieldSuspensionEnd, "Het einde ligt na het uitstel waarmee de aanvrager instemde (tot en met "+FormatDate(su.PlannedEnd)+"). Kies uiterlijk "+FormatDate(su.Term().LapsedEnd())+".")
			}
			if err := errs.Err(); err != nil {
				return err
			}
			if err := tx.EndSuspension(ctx, su.ID, end); errors.Is(err, ErrStale) {
				return Conflict("Deze opschorting is al beëindigd.")
			} else if err != nil {
				return err
			}
			if err := s.event(ctx, tx, a, app.ClientID, app.ID, 0, "opschorting", "Opschorting beëindigd: de beslistermijn loopt weer vanaf "+FormatDate(end)+".", ""); err != nil {
				return err
			}
			return s.recomputeDecisionDue(ctx, tx, a, &app)
		}
		return NotFound("De opschorting")
	})
}

// onOpenApplication runs fn in one transaction on an undecided
// application whose term the actor may suspend.
func (s *Applications) onOpenApplication(ctx context.Context, a Actor, caseID int64, fn func(tx ApplicationTx, app Case) error) error {
	if err := mayEver(a, process.ActSuspendTerm); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx ApplicationTx) error {
		app, err := tx.CaseByID(ctx, caseID)
		if err != nil || app.Kind != process.CaseAanvraag {
			return NotFound("De aanvraag")
		}
		if _, err := s.knowClient(ctx, tx, a, process.ActSuspendTerm, app.ClientID); err != nil {
			return err
		}
		if app, err = undecidedApplication(ctx, tx, caseID); err != nil {
			return err
		}
		return fn(tx, app)
	})
}

// decided refuses a change of the decision term after the decision.
func decided() error { return Conflict("Op deze aanvraag is al besloten.") }

// undecidedApplication reads an undecided application.
func undecidedApplication(ctx context.Context, tx CaseTx, caseID int64) (Case, error) {
	app, err := tx.CaseByID(ctx, caseID)
	if err != nil {
		return Case{}, notFoundAs(err, "De aanvraag")
	}
	if app.Kind != process.CaseAanvraag {
		return Case{}, NotFound("De aanvraag")
	}
	if !app.Open() {
		return Case{}, decided()
	}
	return app, nil
}
