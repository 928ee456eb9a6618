package casework

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// One fact, one place: a row of the plan van aanpak is a trajectory.
// Saving the plan creates the trajectory of a new row, follows a changed
// row and stops the trajectory of a row that was emptied; registering with
// the provider is an action on the trajectory. Nothing about a trajectory
// is typed twice, and a row never becomes two trajectories (the store keeps
// one trajectory per case and row, and one registration per trajectory).

// planRowTx is what keeping the plan's rows and trajectories in step
// reads and writes.
type planRowTx interface {
	PlanTx
	TrajectoryTx
	RegistrationTx
	EventTx
}

// syncPlanRows makes the trajectories of part those of plan: a new row
// starts a trajectory (on start, or today when zero), a changed row
// changes its running trajectory, an emptied row stops it. A row whose
// trajectory ended and now holds another goal starts a new one; the ended
// one keeps its history but no longer its row.
func (s *core) syncPlanRows(ctx context.Context, tx planRowTx, a Actor, def *process.Definition, part Case, plan Plan, start time.Time) error {
	trs, err := tx.TrajectoriesByCase(ctx, part.ID)
	if err != nil {
		return err
	}
	byRow := map[int]Trajectory{}
	for _, t := range trs {
		if t.PlanRow > 0 {
			byRow[t.PlanRow] = t
		}
	}
	if start.IsZero() {
		start = s.today()
	}
	for i, pt := range plan.Trajectories {
		row := plan.RowAt(i)
		t, ok := byRow[row]
		delete(byRow, row)
		switch {
		case !ok:
		case t.Status == TrajectoryRunning:
			if err := s.followRow(ctx, tx, a, def, part, t, pt); err != nil {
				return err
			}
			continue
		case t.Title == pt.Goal:
			continue // ended; the row still describes it
		default:
			t.PlanRow = 0
			if err := tx.UpdateTrajectory(ctx, t); err != nil {
				return err
			}
		}
		if _, err := s.addTrajectory(ctx, tx, a, def, part, row, pt.Provider, pt.Goal, start, pt.Activities); err != nil {
			return err
		}
	}
	for _, t := range byRow {
		// The row was emptied.
		t.PlanRow = 0
		if t.Status == TrajectoryRunning {
			t.Status, t.EndOn, t.Result = TrajectoryStopped, s.today(), "Uit het plan van aanpak gehaald."
			if err := s.endRegistrations(ctx, tx, part, t.ID); err != nil {
				return err
			}
			if err := s.event(ctx, tx, a, part.ClientID, part.ID, 0, "traject",
				fmt.Sprintf("Traject %q gestopt: het staat niet meer in het plan van aanpak.", t.Title), ""); err != nil {
				return err
			}
		}
		if err := tx.UpdateTrajectory(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// followRow changes a running trajectory to its changed plan row. Kept
// activities keep their identity; a changed provider ends the registration
// with the former one.
func (s *core) followRow(ctx context.Context, tx planRowTx, a Actor, def *process.Definition, part Case, t Trajectory, pt PlannedTrajectory) error {
	acts := activityLines(pt.Activities)
	old := make([]string, 0, len(t.Activities))
	for _, ac := range t.Activities {
		old = append(old, ac.Description)
	}
	if t.Title == pt.Goal && t.Provider == pt.Provider && strings.Join(old, "\n") == strings.Join(acts, "\n") {
		return nil
	}
	kept := map[string]Activity{}
	for _, ac := range t.Activities {
		kept[ac.Description] = ac
	}
	t.Activities = t.Activities[:0]
	for _, line := range acts {
		ac, ok := kept[line]
		if !ok {
			ac = Activity{TrajectoryID: t.ID, Description: line}
		}
		t.Activities = append(t.Activities, ac)
	}
	if t.Provider != pt.Provider {
		if err := s.endRegistrations(ctx, tx, part, t.ID); err != nil {
			return err
		}
	}
	t.Title, t.Provider = pt.Goal, pt.Provider
	if err := tx.UpdateTrajectory(ctx, t); err != nil {
		return err
	}
	return s.event(ctx, tx, a, part.ClientID, part.ID, 0, "traject",
		fmt.Sprintf("Traject %q (%s) bijgewerkt naar het plan van aanpak; %d activiteit(en).", t.Title, providerLabel(def, t.Provider), len(t.Activities)), "")
}

// endRegistrations ends the active registration of a trajectory of part.
func (s *core) endRegistrations(ctx context.Context, tx RegistrationTx, part Case, trajectoryID int64) error {
	regs, err := tx.RegistrationsByCase(ctx, part.ID)
	if err != nil {
		return err
	}
	for _, g := range regs {
		if g.TrajectoryID != trajectoryID || !g.Active() {
			continue
		}
		g.Status, g.UpdatedAt = process.RegistrationEnded, s.clock.Now().UTC()
		if err := tx.UpdateRegistration(ctx, &g); err != nil {
			return staleAsConflict(err)
		}
	}
	return nil
}

// activityLines are the activities of a plan row, one per line.
func activityLines(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// providerLabel names a provider for a history line.
func providerLabel(def *process.Definition, provider string) string {
	if pr, ok := def.Policy.Provider(provider); ok {
		return pr.Name
	}
	return "eigen traject"
}

func (s *core) addTrajectory(ctx context.Context, tx trajectoryTx, a Actor, def *process.Definition, c Case, row int, provider, title string, start time.Time, activities string) (Trajectory, error) {
	t := Trajectory{CaseID: c.ID, PlanRow: row, Provider: provider, Title: title, Status: TrajectoryRunning, StartOn: start, CreatedBy: a.User.ID, CreatedAt: s.clock.Now().UTC()}
	for _, line := range activityLines(activities) {
		t.Activities = append(t.Activities, Activity{Description: line})
	}
	if err := tx.CreateTrajectory(ctx, &t); err != nil {
		var dup ErrDuplicate
		if errors.As(err, &dup) {
			return Trajectory{}, Conflict("Een collega legde dit traject tegelijk met u vast. Bekijk het dossier.")
		}
		return Trajectory{}, err
	}
	return t, s.event(ctx, tx, a, c.ClientID, c.ID, 0, "traject", fmt.Sprintf("Traject %q (%s) uit het plan van aanpak, met %d activiteit(en).", title, providerLabel(def, provider), len(t.Activities)), "")
}

// trajectoryTx writes a trajectory and its history line.
type trajectoryTx interface {
	TrajectoryTx
	EventTx
}

// registerTrajectory registers the client with the provider of a running
// trajectory. It reports false when the trajectory is registered already
// (and still active): nothing is registered twice. A refused or ended
// registration is registered anew.
func (s *core) registerTrajectory(ctx context.Context, tx planRowTx, a Actor, def *process.Definition, part Case, t Trajectory) (bool, error) {
	pr, ok := def.Policy.Provider(t.Provider)
	if !ok {
		return false, Invalid(fmt.Sprintf("Traject %q is een eigen traject, zonder aanbieder om bij aan te melden.", t.Title))
	}
	if t.Status != TrajectoryRunning {
		return false, Conflict(fmt.Sprintf("Traject %q loopt niet meer.", t.Title))
	}
	regs, err := tx.RegistrationsByCase(ctx, part.ID)
	if err != nil {
		return false, err
	}
	reg := Registration{CaseID: part.ID, TrajectoryID: t.ID, Provider: t.Provider}
	for _, g := range regs {
		if g.TrajectoryID == t.ID {
			if g.Active() {
				return false, nil
			}
			reg = g
		}
	}
	for _, g := range regs {
		if g.TrajectoryID == 0 && g.Provider == t.Provider && g.Active() && reg.ID == 0 {
			// Registered already on its own: that registration is this
			// trajectory's, not a second one.
			g.TrajectoryID, g.UpdatedAt = t.ID, s.clock.Now().UTC()
			if err := tx.UpdateRegistration(ctx, &g); err != nil {
				return false, staleAsConflict(err)
			}
			return true, s.event(ctx, tx, a, part.ClientID, part.ID, 0, "aanmelding_aanbieder",
				fmt.Sprintf("De aanmelding bij %s (status: %s) hoort nu bij traject %q.", pr.Name, g.Status, t.Title), "")
		}
	}
	reg.Status, reg.On, reg.CreatedBy, reg.UpdatedAt = process.RegistrationRegistered, s.today(), a.User.ID, s.clock.Now().UTC()
	if reg.ID == 0 {
		err = tx.CreateRegistration(ctx, &reg)
	} else {
		err = tx.UpdateRegistration(ctx, &reg)
	}
	var dup ErrDuplicate
	if errors.As(err, &dup) || errors.Is(err, ErrStale) {
		return false, Conflict("Een collega meldde dit traject tegelijk met u aan. Bekijk het dossier.")
	}
	if err != nil {
		return false, err
	}
	return true, s.event(ctx, tx, a, part.ClientID, part.ID, 0, "aanmelding_aanbieder",
		fmt.Sprintf("Aangemeld bij %s voor traject %q.", pr.Name, t.Title), "")
}

// registerRow registers the trajectory of row n of the plan van aanpak
// with its provider; a row registered already is left as it is.
func (s *core) registerRow(ctx context.Context, tx planRowTx, a Actor, def *process.Definition, part Case, n int) error {
	t, ok, err := s.rowTrajectory(ctx, tx, a, def, part, n)
	if err != nil || !ok {
		return err
	}
	_, err = s.registerTrajectory(ctx, tx, a, def, part, t)
	return err
}

// rowTrajectory returns the trajectory of row n; a plan saved before rows
// were trajectories gets its trajectories first.
func (s *core) rowTrajectory(ctx context.Context, tx planRowTx, a Actor, def *process.Definition, part Case, n int) (Trajectory, bool, error) {
	for pass := 0; pass < 2; pass++ {
		trs, err := tx.TrajectoriesByCase(ctx, part.ID)
		if err != nil {
			return Trajectory{}, false, err
		}
		for _, t := range trs {
			if t.PlanRow == n {
				return t, true, nil
			}
		}
		if pass == 1 {
			break
		}
		plan, err := tx.LatestPlan(ctx, part.ID)
		if errors.Is(err, ErrNotFound) {
			return Trajectory{}, false, nil
		} else if err != nil {
			return Trajectory{}, false, err
		}
		if _, ok := plan.Row(n); !ok {
			return Trajectory{}, false, nil
		}
		if err := s.syncPlanRows(ctx, tx, a, def, part, plan, time.Time{}); err != nil {
			return Trajectory{}, false, err
		}
	}
	return Trajectory{}, false, nil
}

// plannedOptions are the rows of the plan whose trajectory can be
// registered with its provider: running, with a provider, not registered.
func plannedOptions(def *process.Definition, plan Plan, trs []Trajectory, regs []Registration) []process.Option {
	registered := map[int64]bool{}
	for _, g := range regs {
		if g.TrajectoryID != 0 && g.Active() {
			registered[g.TrajectoryID] = true
		}
	}
	byRow := map[int]Trajectory{}
	for _, t := range trs {
		if t.PlanRow > 0 {
			byRow[t.PlanRow] = t
		}
	}
	var out []process.Option
	for i, pt := range plan.Trajectories {
		row := plan.RowAt(i)
		pr, ok := def.Policy.Provider(pt.Provider)
		if !ok {
			continue
		}
		if t, ok := byRow[row]; ok && (t.Status != TrajectoryRunning || registered[t.ID]) {
			continue
		}
		out = append(out, process.Option{Value: strconv.Itoa(row), Label: pr.Name + ": " + pt.Goal})
	}
	return out
}

// RegisterTrajectory registers the client with the provider of a running
// trajectory of the plan. Errors: forbidden, not found, invalid (an own
// trajectory has no provider), conflict (registered already, ended, or a
// colleague did it meanwhile).
func (s *Dossiers) RegisterTrajectory(ctx context.Context, a Actor, caseID, trajectoryID int64) (err error) {
	defer wrap(&err, "RegisterTrajectory(caseID=%d, trajectoryID=%d)", caseID, trajectoryID)
	return inDossier(ctx, s.core, s.store, a, caseID, func(tx DossierTx, d dossier) error {
		trs, err := tx.TrajectoriesByCase(ctx, d.c.ID)
		if err != nil {
			return err
		}
		for _, t := range trs {
			if t.ID != trajectoryID {
				continue
			}
			added, err := s.registerTrajectory(ctx, tx, a, d.def, d.c, t)
			if err == nil && !added {
				return Conflict(fmt.Sprintf("Traject %q is al aangemeld bij %s.", t.Title, providerLabel(d.def, t.Provider)))
			}
			return err
		}
		return NotFound("Het traject")
	})
}

// AddTrajectory adds a trajectory to the plan van aanpak: a new version of
// the plan with the trajectory in its first free row, and the trajectory
// of that row. Errors: invalid (no plan yet, no free row, a field), and
// those of SavePlan.
func (s *Dossiers) AddTrajectory(ctx context.Context, a Actor, caseID int64, v Values) (err error) {
	defer wrap(&err, "AddTrajectory(caseID=%d)", caseID)
	return inDossier(ctx, s.core, s.store, a, caseID, func(tx DossierTx, d dossier) error {
		in, errs, err := s.input(d.def.Policy.TrajectoryForm(), v, nil, s.env(d.def))
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		plan, err := tx.LatestPlan(ctx, d.c.ID)
		if errors.Is(err, ErrNotFound) {
			return Invalid("Een traject is een rij van het plan van aanpak. Maak eerst het plan van aanpak.")
		} else if err != nil {
			return err
		}
		row := 0
		for n := process.PlanTrajectoryRows; n >= 1; n-- {
			if _, taken := plan.Row(n); !taken {
				row = n
			}
		}
		if row == 0 {
			return Invalid(fmt.Sprintf("Het plan van aanpak heeft al %d trajecten. Haal een afgerond traject uit het plan en probeer het opnieuw.", process.PlanTrajectoryRows))
		}
		next := plan
		next.ID, next.Version, next.AuthorID, next.AuthorName, next.CreatedAt = 0, plan.Version+1, a.User.ID, a.User.Name, s.clock.Now().UTC()
		next.Note = ""
		// The evaluation date as it stands: an evaluation may have moved it.
		if due, ok, err := evaluationDue(ctx, tx, d.c.ID); err != nil {
			return err
		} else if ok {
			next.EvaluationOn = due
		}
		next.Trajectories = append(append([]PlannedTrajectory(nil), plan.Trajectories...), PlannedTrajectory{Row: row,
			Provider: in.Text(process.FieldProvider), Goal: in.Text(process.FieldTitle), Activities: in.Text(process.FieldActivities)})
		if err := tx.AddPlan(ctx, &next); err != nil {
			var dup ErrDuplicate
			if errors.As(err, &dup) {
				return Conflict("Een collega sloeg het plan van aanpak tegelijk met u op. Probeer het opnieuw.")
			}
			return err
		}
		if err := s.event(ctx, tx, a, d.client.ID, d.c.ID, 0, "plan",
			fmt.Sprintf("Plan van aanpak versie %d opgeslagen: traject %q toegevoegd.", next.Version, in.Text(process.FieldTitle)), ""); err != nil {
			return err
		}
		return s.syncPlanRows(ctx, tx, a, d.def, d.c, next, in.Date(process.FieldStart))
	})
}
