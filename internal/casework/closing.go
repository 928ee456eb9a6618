package casework

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Closing a participatiedossier, from a step (NUG'er of afsluiten,
// afsluiten zonder intake) or later by its owner (a NUG'er's dossier):
// coming appointments are cancelled, running trajectories and provider
// registrations stop, except those chosen to be finished ("Baanbrekend mag
// afgemaakt worden"), which run on until their result.

// Values of the choice of what may be finished after closing.
const (
	finishTrajectory   = "traject-"
	finishRegistration = "aanmelding-"
)

// FinishOptions are what may run on after closing: running trajectories
// and active registrations with a provider whose work may be finished
// after a refusal.
func FinishOptions(pol process.Policy, trs []Trajectory, regs []Registration) []process.Option {
	var out []process.Option
	for _, t := range trs {
		if pr, ok := pol.Provider(t.Provider); ok && pr.MayFinishAfterRefusal && t.Status == TrajectoryRunning {
			out = append(out, process.Option{Value: finishTrajectory + strconv.FormatInt(t.ID, 10), Label: pr.Name + ": " + t.Title})
		}
	}
	for _, g := range regs {
		if pr, ok := pol.Provider(g.Provider); ok && pr.MayFinishAfterRefusal && g.Active() && g.TrajectoryID == 0 {
			out = append(out, process.Option{Value: finishRegistration + strconv.FormatInt(g.ID, 10), Label: "Aanmelding bij " + pr.Name})
		}
	}
	return out
}

// finishChoice reads the chosen values of finishOptions.
type finishChoice struct{ trajectories, registrations map[int64]bool }

func readFinish(vals []string) finishChoice {
	f := finishChoice{trajectories: map[int64]bool{}, registrations: map[int64]bool{}}
	for _, v := range vals {
		if id, ok := strings.CutPrefix(v, finishTrajectory); ok {
			f.trajectories[parseID(id)] = true
		} else if id, ok := strings.CutPrefix(v, finishRegistration); ok {
			f.registrations[parseID(id)] = true
		}
	}
	return f
}

func (f finishChoice) count() int { return len(f.trajectories) + len(f.registrations) }

// closeTx is what closing a dossier reads and writes.
type closeTx interface {
	cancelTx
	CaseTx
	TrajectoryTx
	RegistrationTx
	PlanTx
	RetentionTx
}

// closeDossier ends guidance on part. finish holds the chosen values of
// finishOptions; reason, when given, is the history line's reason.
func (s *core) closeDossier(ctx context.Context, tx closeTx, a Actor, def *process.Definition, client Client, part *Case, taskID int64, finish []string, reason string) error {
	f := readFinish(finish)
	if err := s.cancelComing(ctx, tx, a, def, client, part.ID); err != nil {
		return err
	}
	trs, err := tx.TrajectoriesByCase(ctx, part.ID)
	if err != nil {
		return err
	}
	for _, t := range trs {
		if t.Status != TrajectoryRunning {
			continue
		}
		if f.trajectories[t.ID] {
			t.MayFinish = true
		} else {
			t.Status, t.EndOn = TrajectoryStopped, s.today()
		}
		if err := tx.UpdateTrajectory(ctx, t); err != nil {
			return err
		}
	}
	regs, err := tx.RegistrationsByCase(ctx, part.ID)
	if err != nil {
		return err
	}
	for _, g := range regs {
		if !g.Active() {
			continue
		}
		// A registration for a trajectory runs on with it.
		if f.registrations[g.ID] || (g.TrajectoryID != 0 && f.trajectories[g.TrajectoryID]) {
			g.MayFinish = true
		} else {
			g.Status = process.RegistrationEnded
		}
		g.UpdatedAt = s.clock.Now().UTC()
		if err := tx.UpdateRegistration(ctx, &g); err != nil {
			return staleAsConflict(err)
		}
	}
	if err := s.lapseOnClose(ctx, tx, a, def, client, part.ID); err != nil {
		return err
	}
	part.Status, part.ClosedAt = process.StatusAfgesloten, s.clock.Now().UTC()
	if err := tx.UpdateCase(ctx, part); err != nil {
		return staleAsConflict(err)
	}
	if err := s.assessClient(ctx, tx, client.ID); err != nil {
		return err
	}
	msg := "Begeleiding afgesloten."
	if n := f.count(); n > 0 {
		msg = fmt.Sprintf("Begeleiding afgesloten; %d traject(en) of aanmelding(en) mogen worden afgemaakt.", n)
	}
	return s.event(ctx, tx, a, client.ID, part.ID, taskID, "afgesloten", msg, reason)
}

// CloseDossier closes an open participatiedossier later, outside the
// steps: a NUG'er's guidance that ends, or guidance that ends. v holds the
// reason and what may be finished (process.CloseDossierForm). version is
// the dossier's version the form was built on. Errors: forbidden (not its
// owner or a team lead), conflict (closed, changed meanwhile, or a step of
// the process still open on it), invalid.
func (s *Dossiers) CloseDossier(ctx context.Context, a Actor, caseID int64, version int, v Values) (err error) {
	defer wrap(&err, "CloseDossier(caseID=%d)", caseID)
	return inDossierAs(ctx, s.core, s.store, a, caseID, process.ActCloseDossier, func(tx DossierTx, d dossier) error {
		if !d.c.Open() {
			return Conflict("Dit participatiedossier is al afgesloten.")
		}
		if err := requireVersion(version); err != nil {
			return err
		}
		if d.c.Version != version {
			return Conflict("Een collega heeft dit dossier intussen gewijzigd. Bekijk het dossier en probeer het opnieuw.")
		}
		tasks, err := tx.TasksByApplication(ctx, d.c.ApplicationID)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			st, _ := d.def.Step(t.Step)
			// A task raised by an event (a no-show, a letter) does not hold
			// closing up: it lapses with the dossier or lives on.
			if t.Status == TaskOpen && t.CaseID == d.c.ID && st.On == "" {
				return Conflict(fmt.Sprintf("De stap %q staat nog open op dit dossier. Rond die eerst af; sluit daarna het dossier.", st.Title))
			}
		}
		opts, err := s.closeOptions(ctx, tx, d)
		if err != nil {
			return err
		}
		in, errs, err := s.input(process.CloseDossierForm(), v, opts, s.env(d.def))
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		return s.closeDossier(ctx, tx, a, d.def, d.client, &d.c, 0, in.List(process.FieldFinish), in.Text(process.FieldReason))
	})
}

// closeOptions are the choices of the close form of a dossier.
func (s *core) closeOptions(ctx context.Context, tx workTx, d dossier) (map[string][]process.Option, error) {
	trs, regs, err := dossierWork(ctx, tx, d.c.ID)
	if err != nil {
		return nil, err
	}
	return map[string][]process.Option{process.SourceTrajectoriesFinish: FinishOptions(d.def.Policy, trs, regs)}, nil
}

// workTx reads the trajectories and registrations of a case.
type workTx interface {
	TrajectoryTx
	RegistrationTx
}

// dossierWork returns the trajectories and registrations of a case.
func dossierWork(ctx context.Context, tx workTx, caseID int64) ([]Trajectory, []Registration, error) {
	trs, err := tx.TrajectoriesByCase(ctx, caseID)
	if err != nil {
		return nil, nil, err
	}
	regs, err := tx.RegistrationsByCase(ctx, caseID)
	return trs, regs, err
}

// lapseOnClose lets the open tasks on a closing case lapse whose step says
// so (process.Step.LapsesOnClose): on a dossier that closes, or on an
// application that is decided (an open voorschot task has no point then).
func (s *core) lapseOnClose(ctx context.Context, tx closeTx, a Actor, def *process.Definition, client Client, caseID int64) error {
	tasks, err := tx.ListTasks(ctx, TaskFilter{ClientID: client.ID})
	if err != nil {
		return err
	}
	for _, t := range tasks {
		st, ok := def.Step(t.Step)
		if t.CaseID != caseID || t.Status != TaskOpen || !ok || !st.LapsesOnClose {
			continue
		}
		why := "het dossier is afgesloten"
		if st.Case == process.CaseAanvraag {
			why = "op de aanvraag is besloten"
		}
		if err := s.lapse(ctx, tx, a, client.ID, t, fmt.Sprintf("Taak %q vervalt: %s.", st.Title, why)); err != nil {
			return err
		}
	}
	return nil
}

// lapseTx is what letting a task lapse writes.
type lapseTx interface {
	TaskTx
	EventTx
}

// lapse lets an open task lapse (vervallen), with the history line why.
func (s *core) lapse(ctx context.Context, tx lapseTx, a Actor, clientID int64, t Task, why string) error {
	t.Status = TaskCancelled
	if err := tx.UpdateTask(ctx, &t); err != nil {
		return staleAsConflict(err)
	}
	return s.event(ctx, tx, a, clientID, t.CaseID, t.ID, "vervallen", why, "")
}
