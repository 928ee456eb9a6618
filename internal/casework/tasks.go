package casework

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Tasks shows the worklists and moves the tasks on them: picking up,
// releasing, assigning and completing a step with its effects.
type Tasks struct {
	*core
	// Completing a step reaches every record its effects change, so the
	// area sees the whole store.
	store        Transactor[Tx]
	appointments *Appointments
	dossiers     *Dossiers
	clients      *Clients
	counts       *countCache // large counts of worklists, kept a few seconds
}

// taskCtx is a task with everything its use cases read, loaded in one tx.
type taskCtx struct {
	task   Task
	def    *process.Definition
	step   process.Step
	app    Case
	part   Case // zero when no 17/PA exists yet
	client Client
	cases  []Case // the client's cases, by id
	tasks  []Task
	// memo keeps what the reads before a change ask more than once (the
	// plan van aanpak); nil once writing began, when reads go to the store.
	memo *taskMemo
}

// taskMemo is what a task's page and a completion's checks read once.
type taskMemo struct {
	plan     Plan
	planErr  error
	planRead bool
	trs      []Trajectory
	regs     []Registration
	workErr  error
	workRead bool
}

// dossierWork is the trajectories and registrations of the task's
// participation dossier; none without one.
func (tc taskCtx) dossierWork(ctx context.Context, tx workTx) ([]Trajectory, []Registration, error) {
	if tc.part.ID == 0 {
		return nil, nil, nil
	}
	if tc.memo == nil {
		return dossierWork(ctx, tx, tc.part.ID)
	}
	if !tc.memo.workRead {
		tc.memo.trs, tc.memo.regs, tc.memo.workErr = dossierWork(ctx, tx, tc.part.ID)
		tc.memo.workRead = true
	}
	return tc.memo.trs, tc.memo.regs, tc.memo.workErr
}

// latestPlan is the latest plan van aanpak of the task's participation
// dossier; ErrNotFound without a dossier or a plan.
func (tc taskCtx) latestPlan(ctx context.Context, tx PlanTx) (Plan, error) {
	if tc.part.ID == 0 {
		return Plan{}, ErrNotFound
	}
	if tc.memo == nil {
		return tx.LatestPlan(ctx, tc.part.ID)
	}
	if !tc.memo.planRead {
		tc.memo.plan, tc.memo.planErr = tx.LatestPlan(ctx, tc.part.ID)
		tc.memo.planRead = true
	}
	return tc.memo.plan, tc.memo.planErr
}

func (s *Tasks) loadTask(ctx context.Context, tx Tx, id int64) (taskCtx, error) {
	f, err := tx.TaskWithClient(ctx, id)
	if err != nil {
		return taskCtx{}, notFoundAs(err, "De taak")
	}
	// The client's cases hold the task's application and its dossier.
	t, tasks, client, cases := f.Task, f.Tasks, f.Client, f.Cases
	var app Case
	for _, c := range cases {
		if c.ID == t.ApplicationID {
			app = c
		}
	}
	part, _ := participationOf(cases, t.ApplicationID)
	if app.ID == 0 {
		return taskCtx{}, fmt.Errorf("task %d: application %d: %w", t.ID, t.ApplicationID, ErrNotFound)
	}
	def, err := s.definition(ctx, tx, app.DefinitionVersion)
	if err != nil {
		return taskCtx{}, err
	}
	step, ok := def.Step(t.Step)
	if !ok {
		return taskCtx{}, fmt.Errorf("task %d: step %q not in definition %s", t.ID, t.Step, def.Version)
	}
	return taskCtx{task: t, def: def, step: step, app: app, part: part, client: client, cases: cases, tasks: tasks,
		memo: &taskMemo{}}, nil
}

// participationOf is the participatiedossier of an application among a
// client's cases (by id), as ParticipationFor reads it: the latest.
func participationOf(cases []Case, applicationID int64) (Case, bool) {
	var part Case
	for _, c := range cases {
		if c.Kind == process.CaseParticipatie && c.ApplicationID == applicationID {
			part = c
		}
	}
	return part, part.ID != 0
}

// instance builds what the rules need from the application's tasks.
func (tc taskCtx) instance() process.Instance {
	in := process.Instance{TargetGroup: tc.app.TargetGroup, DossierOwner: tc.part.DossierOwner,
		Open: map[process.StepKey]bool{}, Completed: map[process.StepKey]process.Completion{}, Fired: map[string]bool{}}
	for _, t := range tc.tasks {
		if t.FromStep != "" {
			in.Fired[process.FiredKey(t.FromStep, t.Step)] = true
		}
		switch t.Status {
		case TaskOpen:
			in.Open[t.Step] = true
		case TaskDone:
			in.Completed[t.Step] = process.Completion{Outcome: t.Outcome, Holder: t.CompletedBy, Team: t.Team}
		}
	}
	return in
}

// checkVersion refuses a change based on a stale view of the task.
func checkVersion(ctx context.Context, tx Tx, t Task, version int) error {
	if t.Status == TaskDone {
		return Conflict(fmt.Sprintf("Deze stap is al afgerond door %s op %s. Uw invoer is hieronder bewaard; u hoeft niets meer te doen.",
			userName(ctx, tx, t.CompletedBy), FormatDateTime(t.CompletedAt)))
	}
	if t.Status != TaskOpen {
		return Conflict("Deze taak is vervallen.")
	}
	if err := requireVersion(version); err != nil {
		return err
	}
	if version != t.Version {
		return Conflict("Een collega heeft deze taak intussen gewijzigd (opgepakt, vrijgegeven of toegewezen). Controleer de taak en verstuur opnieuw; uw invoer is bewaard.")
	}
	return nil
}

func staleAsConflict(err error) error {
	if errors.Is(err, ErrStale) {
		return Conflict("Een collega heeft deze taak tegelijk met u gewijzigd. Controleer de taak en verstuur opnieuw; uw invoer is bewaard.")
	}
	return err
}

// PickUp puts an open team task on the actor's own worklist ("oppakken").
func (s *Tasks) PickUp(ctx context.Context, a Actor, taskID int64, version int) (err error) {
	defer wrap(&err, "PickUp(taskID=%d)", taskID)
	return s.setHolder(ctx, a, taskID, version, process.ActWorkTask, WorkRelation,
		func(tx Tx, tc taskCtx) (int64, string, string, error) {
			if h := tc.task.HolderID; h != 0 && h != a.User.ID {
				return 0, "", "", Conflict(fmt.Sprintf("Deze taak is al opgepakt door %s.", userName(ctx, tx, h)))
			}
			return a.User.ID, "opgepakt", fmt.Sprintf("Taak %q opgepakt.", tc.step.Title), nil
		})
}

// Release puts a task the actor holds back on the team worklist ("vrijgeven").
// Team Ondersteuning and team leads may release anyone's task.
func (s *Tasks) Release(ctx context.Context, a Actor, taskID int64, version int) (err error) {
	defer wrap(&err, "Release(taskID=%d)", taskID)
	return s.setHolder(ctx, a, taskID, version, process.ActReleaseTask, TaskRelation,
		func(tx Tx, tc taskCtx) (int64, string, string, error) {
			return 0, "vrijgegeven", fmt.Sprintf("Taak %q vrijgegeven (was bij %s).", tc.step.Title, userName(ctx, tx, tc.task.HolderID)), nil
		})
}

// Assign gives a task to a colleague of the task's team. Only Team
// Ondersteuning and team leads assign.
func (s *Tasks) Assign(ctx context.Context, a Actor, taskID int64, version int, userID int64) (err error) {
	defer wrap(&err, "Assign(taskID=%d, userID=%d)", taskID, userID)
	if err := Authorize(a, process.ActAssignTask, process.RelNone); err != nil {
		return err
	}
	return s.setHolder(ctx, a, taskID, version, process.ActAssignTask, TaskRelation,
		func(tx Tx, tc taskCtx) (int64, string, string, error) {
			u, err := tx.UserByID(ctx, userID)
			if err != nil || !u.Active {
				return 0, "", "", &Error{Code: CodeInvalid, Message: "Kies een bestaande, actieve medewerker.", Fields: Fields{process.FieldAssignee: "Kies een bestaande, actieve medewerker."}}
			}
			if colleague := (Actor{User: u}); !May(colleague, process.ActWorkTask, WorkRelation(tc.def, colleague, tc.task)) {
				return 0, "", "", &Error{Code: CodeInvalid, Message: u.Name + " werkt niet in het team van deze taak.", Fields: Fields{process.FieldAssignee: u.Name + " heeft niet de rol die deze taak vraagt."}}
			}
			return u.ID, "toegewezen", fmt.Sprintf("Taak %q toegewezen aan %s.", tc.step.Title, u.Name), nil
		})
}

// setHolder changes who holds a task, in one transaction: the actor must
// be allowed act in their relation to the task, and the version must be
// the one they saw; choose says who holds it next with the history line,
// or refuses. Choosing the present holder changes nothing.
func (s *Tasks) setHolder(ctx context.Context, a Actor, taskID int64, version int, act process.Action,
	relation func(*process.Definition, Actor, Task) process.Relation,
	choose func(tx Tx, tc taskCtx) (holder int64, kind, summary string, err error)) error {
	return s.store.Update(ctx, func(tx Tx) error {
		tc, err := s.loadTask(ctx, tx, taskID)
		if err != nil {
			return err
		}
		if err := s.seeTaskClient(ctx, tx, a, tc.task); err != nil {
			return err
		}
		if err := Authorize(a, act, relation(tc.def, a, tc.task)); err != nil {
			return err
		}
		if err := checkVersion(ctx, tx, tc.task, version); err != nil {
			return err
		}
		holder, kind, summary, err := choose(tx, tc)
		if err != nil || holder == tc.task.HolderID {
			return err
		}
		tc.task.HolderID = holder
		if err := tx.UpdateTask(ctx, &tc.task); err != nil {
			return staleAsConflict(err)
		}
		return s.event(ctx, tx, a, tc.client.ID, tc.task.CaseID, tc.task.ID, kind, summary, "")
	})
}

// Completed is what completing a step made: the tasks that follow it and
// who holds them, and the actor's next open task on the same client.
type Completed struct {
	Step  string        // the completed step's title
	Tasks []CreatedTask // the tasks that follow, in order
	Next  int64         // the actor's next open task on the client; 0: none
	// Task is the completed task as it stands after the completion, Open
	// the open tasks of its application then (the new ones among them),
	// read at the end of the completion's transaction.
	Task TaskView
	Open []TaskView
}

// CreatedTask is a task a completion made, as the confirmation names it.
type CreatedTask struct {
	ID     int64
	Step   string // its step's title
	Team   string // its team's name
	Holder string // who holds it; empty: on the team's worklist
}

// Summary says in Dutch what the completion made and for whom.
func (c Completed) Summary() string {
	msg := "Stap afgerond: " + c.Step + "."
	for i, t := range c.Tasks {
		if i == 0 {
			msg += " Nieuw: "
		} else {
			msg += "; "
		}
		who := "werkvoorraad " + t.Team
		if t.Holder != "" {
			who = t.Holder + " (" + t.Team + ")"
		}
		msg += fmt.Sprintf("%q voor %s", t.Step, who)
	}
	if len(c.Tasks) > 0 {
		msg += "."
	}
	return msg
}

// CompleteTask completes a task with its form. version is the task version
// the form was built on: a stale form gets a conflict, never an overwrite.
func (s *Tasks) CompleteTask(ctx context.Context, a Actor, taskID int64, version int, v Values) (_ Completed, err error) {
	defer wrap(&err, "CompleteTask(taskID=%d)", taskID)
	var done Completed
	err = s.store.Update(ctx, func(stx Tx) error {
		// The step's history lines go in one statement at its end.
		tx := newStepTx(stx, a)
		tc, err := s.loadTask(ctx, tx, taskID)
		if err != nil {
			return err
		}
		if err := s.seeTaskClient(ctx, tx, a, tc.task); err != nil {
			return err
		}
		if err := Authorize(a, process.ActWorkTask, WorkRelation(tc.def, a, tc.task)); err != nil {
			return err
		}
		if err := checkVersion(ctx, tx, tc.task, version); err != nil {
			return err
		}
		if tc.task.HolderID != 0 && tc.task.HolderID != a.User.ID {
			return Conflict(fmt.Sprintf("Deze taak is opgepakt door %s. Vraag uw collega of Team Ondersteuning om hem aan u toe te wijzen.", userName(ctx, tx, tc.task.HolderID)))
		}
		created, err := s.complete(ctx, tx, a, tc, v)
		if err != nil {
			return err
		}
		// completed reads the client's tasks, which writes the step's
		// pending rows with it; flush writes any left.
		if done, err = s.completed(ctx, tx, a, tc, created); err != nil {
			return err
		}
		return tx.flush(ctx)
	})
	return done, err
}

// completed describes a completion: the created tasks, and the actor's
// next open task on the client (the earliest due of those they hold, of
// any application). It reads the client's tasks once more, as the
// completion left them (effects may have changed others): one statement,
// whatever the number of tasks and applications.
func (s *Tasks) completed(ctx context.Context, tx Tx, a Actor, tc taskCtx, created []Task) (Completed, error) {
	c := Completed{Step: tc.step.Title}
	tasks, err := tx.TasksByClient(ctx, tc.client.ID)
	if err != nil {
		return Completed{}, err
	}
	byID := make(map[int64]Task, len(tasks))
	var next Task
	for _, t := range tasks {
		if t.Status == TaskOpen && t.HolderID == a.User.ID && (next.ID == 0 || dueBefore(t, next)) {
			next = t
		}
		if t.ApplicationID != tc.app.ID {
			continue
		}
		byID[t.ID] = t
		v := s.view(tc.def, t)
		if t.ID == tc.task.ID {
			c.Task = v
		}
		if t.Status == TaskOpen {
			c.Open = append(c.Open, v)
		}
	}
	for _, t := range created {
		if read, ok := byID[t.ID]; ok {
			t = read // with its holder's name
		}
		v := s.view(tc.def, t)
		ct := CreatedTask{ID: t.ID, Step: v.StepTitle, Team: v.TeamName}
		if t.HolderID != 0 {
			ct.Holder = t.HolderName
			if ct.Holder == "" {
				ct.Holder = userName(ctx, tx, t.HolderID)
			}
			if t.HolderID == a.User.ID {
				ct.Holder = "u"
			}
		}
		c.Tasks = append(c.Tasks, ct)
	}
	c.Next = next.ID
	return c, nil
}

// dueBefore reports whether task a comes before b in the order of their
// deadlines: the earliest first, tasks without one last, and by id where
// they are equal (the order "due" of ListTasks).
func dueBefore(a, b Task) bool {
	switch {
	case a.DueOn.Equal(b.DueOn):
		return a.ID < b.ID
	case a.DueOn.IsZero() || b.DueOn.IsZero():
		return b.DueOn.IsZero()
	}
	return a.DueOn.Before(b.DueOn)
}

// complete completes the task of tc with the submitted values: it decodes
// them by the step's form, runs the form's checks and the checks of the
// effects that will follow, asks the rules what follows, and writes the
// completion, its record and history, the effects and the next tasks.
// It returns the tasks it created.
func (s *Tasks) complete(ctx context.Context, tx Tx, a Actor, tc taskCtx, v Values) ([]Task, error) {
	opts, err := s.options(ctx, tx, tc)
	if err != nil {
		return nil, err
	}
	form, err := s.taskForm(ctx, tx, tc, a)
	if err != nil {
		return nil, err
	}
	in, errs := decode(form, v, opts)
	r := &stepRun{s: s, ctx: ctx, tx: tx, actor: a, tc: &tc, in: in,
		outcome: in.Set(process.SetsOutcome), chosen: parseID(in.Set(process.SetsHolder))}
	env := s.checkEnv(ctx, tx, tc, r.outcome)
	if err := requires(env, tc.step); err != nil {
		return nil, err
	}
	if err := runChecks(env, form, in, errs); err != nil {
		return nil, fmt.Errorf("task %d: %w", tc.task.ID, err)
	}
	plan, ruleErr := tc.def.Complete(tc.instance(), tc.task.Step, process.Completion{Outcome: r.outcome, Holder: a.User.ID, Team: tc.task.Team}, r.chosen)
	if errors.Is(ruleErr, process.ErrHolderRequired) {
		// Shown beside the field that chooses the holder, with the other messages.
		errs.Add(form.Sets(process.SetsHolder), "Kies een klantmanager.")
	}
	checked := make([]any, len(plan.Effects))
	impls := make([]effectImpl, len(plan.Effects))
	for i, d := range plan.Effects {
		impl, ok := effectFor(d.Effect)
		if !ok {
			return nil, fmt.Errorf("task %d: effect %q is not implemented", tc.task.ID, d.Effect)
		}
		impls[i] = impl
		if impl.check != nil {
			checked[i] = impl.check(r, d.Params, errs)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if ruleErr != nil {
		return nil, s.refusal(ruleErr)
	}
	// What follows writes: reads go to the store again (an effect may
	// read what an earlier one wrote).
	tc.memo = nil
	now := s.clock.Now().UTC()
	tc.task.Status, tc.task.CompletedAt, tc.task.CompletedBy, tc.task.Outcome = TaskDone, now, a.User.ID, r.outcome
	tc.task.LateReason = in.Text(process.FieldLateReason)
	if tc.task.HolderID == 0 {
		tc.task.HolderID = a.User.ID
	}
	// Its outcome comes with the step's next statement: a colleague's
	// completion in between fails the step there (staleAsConflict).
	if err := tx.UpdateTaskLater(ctx, &tc.task, staleAsConflict); err != nil {
		return nil, err
	}
	if err := tx.AddStepRecord(ctx, &StepRecord{TaskID: tc.task.ID, ApplicationID: tc.app.ID, CaseID: tc.task.CaseID, Step: tc.task.Step,
		Fields: in.Record(), ActorID: a.User.ID, ActorName: a.User.Name, At: now}); err != nil {
		return nil, err
	}
	summary := fmt.Sprintf("Stap %q afgerond", tc.step.Title)
	if r.outcome != "" {
		summary += ": " + tc.def.OutcomeLabel(r.outcome)
	}
	if err := s.event(ctx, tx, a, tc.client.ID, tc.task.CaseID, tc.task.ID, "stap_afgerond", summary+".", tc.task.LateReason); err != nil {
		return nil, err
	}
	for i, d := range plan.Effects {
		if err := impls[i].apply(r, d.Params, checked[i]); err != nil {
			return nil, fmt.Errorf("task %d: effect %s: %w", tc.task.ID, d.Effect, err)
		}
	}
	var created []Task
	for _, nt := range plan.Tasks {
		t, err := s.createTask(ctx, tx, a, tc.def, tc.app, tc.part, nt)
		if err != nil {
			return nil, err
		}
		created = append(created, t)
	}
	for _, w := range plan.Waiting {
		ws, _ := tc.def.Step(w)
		if err := s.event(ctx, tx, a, tc.client.ID, tc.task.CaseID, tc.task.ID, "wacht", fmt.Sprintf("Vervolg wacht tot %q is afgerond.", ws.Title), ""); err != nil {
			return nil, err
		}
	}
	return created, nil
}

// taskForm is the step's form as the actor fills it in: a field that
// matters only in a situation (Field.ShowWhen) that does not hold is left
// out, so it is neither shown nor required. ShowLate is not decided here:
// its field is always accepted, and its check asks for it when needed.
func (s *Tasks) taskForm(ctx context.Context, tx Tx, tc taskCtx, a Actor) (process.Form, error) {
	form := tc.step.Form
	form.Fields = make([]process.Field, 0, len(tc.step.Form.Fields))
	for _, f := range tc.step.Form.Fields {
		if f.ShowWhen == process.ShowPlanByColleague {
			plan, err := s.checkEnv(ctx, tx, tc, "").plan()
			if errors.Is(err, ErrNotFound) {
				continue
			} else if err != nil {
				return process.Form{}, err
			}
			if plan.AuthorID == a.User.ID {
				continue
			}
		}
		form.Fields = append(form.Fields, f)
	}
	return form, nil
}

// checkEnv is what the checks of a task's form may look at.
func (s *Tasks) checkEnv(ctx context.Context, tx Tx, tc taskCtx, outcome string) checkEnv {
	env := s.env(tc.def)
	env.app, env.task, env.outcome = tc.app, tc.task, outcome
	env.plan = func() (Plan, error) { return tc.latestPlan(ctx, tx) }
	env.appointments = func() ([]Appointment, error) {
		if tc.part.ID == 0 {
			return nil, nil
		}
		return caseAppointments(ctx, tx, tc.client.ID, tc.part.ID)
	}
	env.suspensions = func() ([]Suspension, error) { return tx.SuspensionsByCase(ctx, tc.app.ID) }
	return env
}

// refusal translates a refusal of the rules into Dutch.
func (s *Tasks) refusal(err error) error {
	switch {
	case errors.Is(err, process.ErrStepNotOpen):
		return Conflict("Deze stap staat niet (meer) open.")
	case errors.Is(err, process.ErrInvalidOutcome):
		return &Error{Code: CodeInvalid, Message: "Kies een geldige uitkomst.", Err: err}
	case errors.Is(err, process.ErrNoRoute):
		return Conflict("De doelgroep is nog niet beoordeeld.")
	}
	return err
}

// AppointmentOptions are the choices of the appointment form: rooms and
// appointment lengths from the configuration.
func (s *Appointments) AppointmentOptions() map[string][]process.Option { return s.configOptions() }

// configOptions are the choices that come from the configuration: rooms
// and appointment lengths.
func (s *core) configOptions() map[string][]process.Option { return s.cfg.AppointmentOptions() }

// options returns the choices a task's form offers: the step's outcomes,
// rooms and lengths, klantmanagers with their caseload, trajectories.
func (s *Tasks) options(ctx context.Context, tx Tx, tc taskCtx) (map[string][]process.Option, error) {
	opts := s.configOptions()
	if o, ok := tc.def.Options(tc.task.Step, process.SourceOutcomes); ok {
		opts[process.SourceOutcomes] = o
	}
	if role, ok := tc.def.NeedsChosenHolder(tc.task.Step, tc.task.Team); ok {
		kms, err := s.candidates(ctx, tx, role)
		if err != nil {
			return nil, err
		}
		owner := tc.presentOwner()
		for _, c := range kms {
			o := process.Option{Value: strconv.FormatInt(c.User.ID, 10), Label: fmt.Sprintf("%s (%d)", c.User.Name, c.Caseload)}
			if c.User.ID == owner {
				// The client's own klantmanager first.
				o.Label = fmt.Sprintf("%s (%d), huidige dossierhouder", c.User.Name, c.Caseload)
				opts[process.SourceKlantmanagers] = append([]process.Option{o}, opts[process.SourceKlantmanagers]...)
				continue
			}
			opts[process.SourceKlantmanagers] = append(opts[process.SourceKlantmanagers], o)
		}
	}
	if tc.part.ID != 0 {
		trs, regs, err := tc.dossierWork(ctx, tx)
		if err != nil {
			return nil, err
		}
		opts[process.SourceTrajectoriesFinish] = FinishOptions(tc.def.Policy, trs, regs)
		if plan, err := tc.latestPlan(ctx, tx); err == nil {
			opts[process.SourcePlannedTrajectories] = plannedOptions(tc.def, plan, trs, regs)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return opts, nil
}

// presentOwner is the owner of the client's open participatiedossier of
// another application (a client who applies again while guided); 0 when
// there is none.
func (tc taskCtx) presentOwner() int64 {
	if tc.part.ID != 0 {
		return 0
	}
	c, _ := openDossierOf(tc.cases)
	return c.DossierOwner
}

// Candidate is a user who can take over work, with their current caseload.
type Candidate struct {
	User     User
	Caseload int // open participation dossiers
	Open     int // open tasks held
}

func (s *core) candidates(ctx context.Context, tx Tx, role process.Role) ([]Candidate, error) {
	return candidatesWhere(ctx, tx, func(u User) bool { return u.Active && !u.System && u.Roles.Has(role) })
}

// loadTx reads the accounts and the caseload of each.
type loadTx interface {
	UserTx
	CaseTx
}

// candidatesWhere returns the users keep accepts, with their caseload, in
// the order of the accounts.
func candidatesWhere(ctx context.Context, tx loadTx, keep func(User) bool) ([]Candidate, error) {
	users, err := tx.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	load, err := tx.Caseload(ctx)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, u := range users {
		if keep(u) {
			out = append(out, Candidate{User: u, Caseload: load[u.ID]})
		}
	}
	return out, nil
}
