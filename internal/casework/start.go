package casework

import (
	"context"
	"errors"
	"fmt"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// A step the definition lets someone start by hand (process.OnRequest) is
// started from the client's page: the task is made for whoever starts it,
// who lands on its form. Which steps, on which case, for which team, and
// what must hold first (Step.Requires) is the definition's.

// StartableStep is a step the client's page offers to start by hand.
type StartableStep struct {
	Step process.Step
	// Refusal says why it cannot start now (a suspension runs, the term was
	// extended already); empty when it can.
	Refusal string
	// Open is the open task of the step on the application, if any: it is
	// not started twice.
	Open int64
}

// StartStep starts the step by hand on the application caseID and returns
// the id of its task, held by the actor. The step must be one the
// definition lets the actor's team start (forbidden otherwise); the
// application must be undecided and the step's requirements hold
// (conflicts with a Dutch message). When the step is open already the
// actor gets that task, unless a colleague holds it (a conflict).
func (s *Tasks) StartStep(ctx context.Context, a Actor, caseID int64, key process.StepKey) (_ int64, err error) {
	defer wrap(&err, "StartStep(caseID=%d, step=%s)", caseID, key)
	var id int64
	err = s.store.Update(ctx, func(tx Tx) error {
		app, err := tx.CaseByID(ctx, caseID)
		if err != nil {
			return notFoundAs(err, "De aanvraag")
		}
		if app.Kind != process.CaseAanvraag {
			return NotFound("De aanvraag")
		}
		if _, err := s.seeClient(ctx, tx, a, app.ClientID); err != nil {
			return err
		}
		def, err := s.definition(ctx, tx, app.DefinitionVersion)
		if err != nil {
			return err
		}
		st, ok := def.Step(key)
		if !ok || st.On != process.OnRequest || st.Case != app.Kind {
			return NotFound("Deze stap")
		}
		if err := Authorize(a, process.ActStartStep, def.TeamRelation(a.Roles(), 0, 0, st.Team)); err != nil {
			return err
		}
		if !app.Open() {
			return decided()
		}
		tasks, err := tx.TasksByApplication(ctx, app.ID)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if t.Step != key || t.Status != TaskOpen {
				continue
			}
			if t.HolderID != 0 && t.HolderID != a.User.ID {
				return Conflict(fmt.Sprintf("%s is al gestart door %s. Vraag uw collega, of Team Ondersteuning om de taak aan u toe te wijzen.",
					st.Title, userName(ctx, tx, t.HolderID)))
			}
			id = t.ID
			return nil
		}
		env := s.env(def)
		env.app = app
		env.suspensions = func() ([]Suspension, error) { return tx.SuspensionsByCase(ctx, app.ID) }
		if err := requires(env, st); err != nil {
			return err
		}
		part := Case{}
		if st.Case == process.CaseParticipatie {
			if part, err = tx.ParticipationFor(ctx, app.ID); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		t, err := s.createTask(ctx, tx, a, def, app, part, process.NewTask{Step: st.Key, Team: st.Team, Holder: a.User.ID, Term: st.Term, Case: st.Case})
		if err != nil {
			return err
		}
		id = t.ID
		return nil
	})
	return id, err
}

// startable lists the steps the actor may start by hand on the client's
// undecided application, with why one cannot start now.
func (s *Clients) startable(ctx context.Context, tx Tx, a Actor, f ClientFile, tasks []Task) ([]StartableStep, error) {
	if !f.Application.Open() {
		return nil, nil
	}
	var out []StartableStep
	for _, st := range f.Def.StepsStartable(f.Application.Kind) {
		if !May(a, process.ActStartStep, f.Def.TeamRelation(a.Roles(), 0, 0, st.Team)) {
			continue
		}
		ss := StartableStep{Step: st}
		for _, t := range tasks {
			if t.Step == st.Key && t.Status == TaskOpen {
				ss.Open = t.ID
			}
		}
		env := s.env(f.Def)
		env.app = f.Application
		env.suspensions = func() ([]Suspension, error) { return f.Suspensions, nil }
		if err := requires(env, st); err != nil {
			if ErrorCode(err) != CodeConflict {
				return nil, err
			}
			ss.Refusal = ErrorMessage(err)
		}
		out = append(out, ss)
	}
	return out, nil
}
