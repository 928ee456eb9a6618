package casework

import (
	"context"
	"errors"
	"strconv"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TaskView is a task with what a worklist row shows.
type TaskView struct {
	Task
	StepTitle     string
	TeamName      string
	Deadline      process.DeadlineState
	DeadlineLabel string
	DaysLeft      int
	// DueNote says why the due date may still move: the decision term is
	// suspended ("opgeschort sinds …, loopt door na …"); empty otherwise.
	DueNote string
}

func (s *core) view(def *process.Definition, t Task) TaskView {
	v := TaskView{Task: t}
	if st, ok := def.Step(t.Step); ok {
		v.StepTitle = st.Title
	}
	if tm, ok := def.Policy.Team(t.Team); ok {
		v.TeamName = tm.Name
	}
	if t.Status == TaskOpen {
		v.Deadline, v.DaysLeft = def.Policy.Deadline(t.DueOn, !t.DueOn.IsZero(), s.clock.Now())
		if t.Term == process.TermDecision {
			v.DueNote = SuspensionNote(t.SuspendedSince, t.SuspendedUntil)
		}
	} else {
		v.Deadline = process.DeadlineNone
	}
	v.DeadlineLabel = process.DeadlineLabels[v.Deadline]
	return v
}

// WorklistQuery selects a worklist view.
type WorklistQuery struct {
	Mine     bool   // mijn werkvoorraad
	Team     string // a team key; empty: all teams of the user
	Step     string
	Deadline string // "", "bijna" (< 7 dagen), "verlopen"
	Code     string // case code, e.g. 17/PA
	Holder   string // "", "niemand", "ik"
	Sort     string
	Desc     bool
	Cursor   string // the page: a Cursor's String; "" the first page
	PageSize int    // 0: PageSize (the web offers PageSizes, the API up to 500)
}

// Size is the query's page size.
func (q WorklistQuery) Size() int {
	if q.PageSize > 0 {
		return q.PageSize
	}
	return PageSize
}

// Worklist is a worklist view with the counts shown in the navigation.
type Worklist struct {
	Query     WorklistQuery
	Tasks     []TaskView     // one page
	Page      Page           // where the page is; Total counts every task of the filters
	Teams     []process.Team // teams the user may see
	CountMine int
	CountTeam int
}

// VisibleTeams returns the teams whose worklists the user sees.
func (s *core) VisibleTeams(a Actor) []process.Team {
	var out []process.Team
	for _, t := range s.def.Policy.Teams {
		if May(a, process.ActSeeAllTeams, process.RelNone) || s.def.TeamRelation(a.Roles(), 0, 0, t.Key) == process.RelTeam {
			out = append(out, t)
		}
	}
	return out
}

// Worklist returns the team worklist or the user's own tasks.
func (s *Tasks) Worklist(ctx context.Context, a Actor, q WorklistQuery) (_ Worklist, err error) {
	defer wrap(&err, "Worklist()")
	if err := Authorize(a, process.ActSeeWorklist, process.RelNone); err != nil {
		return Worklist{}, err
	}
	w := Worklist{Query: q, Teams: s.VisibleTeams(a)}
	teams := make([]string, 0, len(w.Teams))
	for _, t := range w.Teams {
		if q.Team == "" || q.Team == t.Key {
			teams = append(teams, t.Key)
		}
	}
	if q.Team != "" && len(teams) == 0 {
		return Worklist{}, Forbidden(refusal(process.ActSeeAllTeams))
	}
	if len(teams) == 0 && !q.Mine {
		// No team of the user's: an empty list, never every team's (the
		// store reads an empty team list as all teams).
		return w, nil
	}
	f := TaskFilter{Teams: teams, Step: process.StepKey(q.Step), CaseCode: q.Code, Sort: q.Sort, Desc: q.Desc}
	if q.Mine {
		f.Teams, f.HolderID = nil, a.User.ID
	}
	switch q.Holder {
	case "niemand":
		f.Unassigned = true
	case "ik":
		f.HolderID = a.User.ID
	}
	today := s.today()
	switch q.Deadline {
	case "bijna":
		f.DueBefore = process.AddDays(today, 7)
	case "verlopen":
		f.DueBefore = process.AddDays(today, -1)
	}
	size := q.Size()
	sortKey := TaskCursor(q.Sort, q.Desc, Task{}).Sort
	f.Cursor, f.Limit = cursorFor(q.Cursor, sortKey, q.Desc), size+1
	err = s.store.View(ctx, func(tx Tx) error {
		tasks, err := tx.ListTasks(ctx, f)
		if err != nil {
			return err
		}
		if f.Cursor != nil && f.Cursor.Back && len(tasks) < size {
			// Back at the start of the list: the first page, whole.
			f.Cursor = nil
			if tasks, err = tx.ListTasks(ctx, f); err != nil {
				return err
			}
		}
		tasks, w.Page = pageOf(tasks, size, f.Cursor, func(t Task) Cursor { return TaskCursor(sortKey, q.Desc, t) })
		for _, t := range tasks {
			def, err := s.definition(ctx, tx, t.DefinitionVersion)
			if err != nil {
				return err
			}
			w.Tasks = append(w.Tasks, s.view(def, t))
		}
		if w.Page.Total, err = s.countTasks(ctx, tx, f); err != nil {
			return err
		}
		// The navigation's counts; the unfiltered list of every team of
		// the user's, or of their own tasks, is one of them already
		// (a count of a team's open tasks reads its index entries: a few
		// milliseconds for a busy team at a city's size).
		unfiltered := f.Step == "" && f.CaseCode == "" && f.DueBefore.IsZero() && !f.Unassigned
		switch {
		case unfiltered && q.Mine:
			w.CountMine = w.Page.Total
			w.CountTeam, err = s.countTeams(ctx, tx, w.Teams)
		case unfiltered && f.HolderID == 0 && len(teams) == len(w.Teams):
			w.CountTeam = w.Page.Total
			w.CountMine, err = s.countTasks(ctx, tx, TaskFilter{HolderID: a.User.ID})
		default:
			w.CountMine, w.CountTeam, err = s.worklistCounts(ctx, tx, a, w.Teams)
		}
		return err
	})
	return w, err
}

// WorklistCounts counts the actor's own open tasks and those of the teams
// whose worklists they see, for the navigation: two COUNTs on indexes.
func (s *Tasks) WorklistCounts(ctx context.Context, a Actor) (mine, team int, err error) {
	defer wrap(&err, "WorklistCounts()")
	if err := Authorize(a, process.ActSeeWorklist, process.RelNone); err != nil {
		return 0, 0, err
	}
	err = s.store.View(ctx, func(tx Tx) error {
		mine, team, err = s.worklistCounts(ctx, tx, a, s.VisibleTeams(a))
		return err
	})
	return mine, team, err
}

// worklistCounts counts the open tasks the actor holds (of any team: a
// task kept after a role change counts) and those of the given teams.
func (s *Tasks) worklistCounts(ctx context.Context, tx Tx, a Actor, teams []process.Team) (mine, team int, err error) {
	if team, err = s.countTeams(ctx, tx, teams); err != nil {
		return 0, 0, err
	}
	mine, err = s.countTasks(ctx, tx, TaskFilter{HolderID: a.User.ID})
	return mine, team, err
}

// countTeams counts the open tasks of the teams; 0 without a team.
func (s *Tasks) countTeams(ctx context.Context, tx Tx, teams []process.Team) (int, error) {
	if len(teams) == 0 {
		return 0, nil
	}
	keys := make([]string, 0, len(teams))
	for _, t := range teams {
		keys = append(keys, t.Key)
	}
	return s.countTasks(ctx, tx, TaskFilter{Teams: keys})
}

// TaskPage is a task with its client file, form and choices.
type TaskPage struct {
	// File is the client file as far as the task page shows it: what the
	// header shows (Clients.loadHeader) and the appointments; not the
	// history, messages, records, plan or dossier work.
	File    ClientFile
	Task    TaskView
	Step    process.Step
	Form    process.Form
	Options map[string][]process.Option
	MayWork bool
	Late    bool
	// Overdue: the term has passed; a late reason is then required.
	Overdue bool
	// NeedsPlan: the step's checks ask for a plan van aanpak that is not there yet.
	NeedsPlan  bool
	Assignees  []Candidate // colleagues the task can be assigned to
	TeamWorker bool
	Reminders  []Reminder // planned, sent and lapsed reminders about the task's term
	// Values are the form's starting values: the client's own klantmanager
	// as the one to choose, when they have a dossier already.
	Values Values
}

// TaskPage loads a task's page with the part of its client file the page
// shows (TaskPage.File), in one transaction.
func (s *Tasks) TaskPage(ctx context.Context, a Actor, taskID int64) (_ TaskPage, err error) {
	defer wrap(&err, "TaskPage(taskID=%d)", taskID)
	return read(ctx, s.store, func(tx Tx) (TaskPage, error) {
		tp, tc, rel, err := s.taskPage(ctx, tx, a, taskID)
		if err != nil {
			return TaskPage{}, err
		}
		if _, _, err = s.clients.loadHeader(ctx, tx, tc.client, rel, &tp.File, &tc); err != nil {
			return TaskPage{}, err
		}
		tp.File.Appointments, err = tx.AppointmentsByClient(ctx, tc.client.ID)
		return tp, err
	})
}

// Task loads a task's page without its client file (File is zero): the
// task with its form, choices and reminders, as the API answers it.
func (s *Tasks) Task(ctx context.Context, a Actor, taskID int64) (_ TaskPage, err error) {
	defer wrap(&err, "Task(taskID=%d)", taskID)
	return read(ctx, s.store, func(tx Tx) (TaskPage, error) {
		tp, _, _, err := s.taskPage(ctx, tx, a, taskID)
		return tp, err
	})
}

// taskPage reads a task's page but the client file; it returns the task
// it loaded and the actor's relation to the client as well.
func (s *Tasks) taskPage(ctx context.Context, tx Tx, a Actor, taskID int64) (tp TaskPage, tc taskCtx, rel process.Relation, err error) {
	if tc, err = s.loadTask(ctx, tx, taskID); err != nil {
		return
	}
	if rel, err = s.seeClient(ctx, tx, a, tc.task.ClientID); err != nil {
		return
	}
	tp.Task = s.view(tc.def, tc.task)
	tp.Step = tc.step
	if tp.Form, err = s.taskForm(ctx, tx, tc, a); err != nil {
		return
	}
	if tp.Options, err = s.options(ctx, tx, tc); err != nil {
		return
	}
	tp.Values = Values{}
	if tc.task.Status == TaskOpen {
		env := s.checkEnv(ctx, tx, tc, "")
		for _, d := range tc.step.Effects {
			if impl, ok := effectFor(d.Effect); ok && impl.defaults != nil {
				impl.defaults(env, d.Params, tp.Values)
			}
		}
	}
	if owner, field := tc.presentOwner(), tp.Form.Sets(process.SetsHolder); owner != 0 && field != "" {
		tp.Values.Set(field, strconv.FormatInt(owner, 10))
	}
	if tc.task.Status == TaskOpen && (tp.Form.HasCheck(process.CheckPlanExists) || tp.Form.HasCheck(process.CheckPlanSigned)) {
		if _, perr := tc.latestPlan(ctx, tx); errors.Is(perr, ErrNotFound) {
			tp.NeedsPlan = true
		} else if perr != nil {
			err = perr
			return
		}
	}
	tp.MayWork = May(a, process.ActWorkTask, WorkRelation(tc.def, a, tc.task))
	tp.Late = !tc.task.DueOn.IsZero() && process.IsWeekTerm(tc.task.Term) && s.today().After(process.AddDays(tc.task.DueOn, -1))
	tp.Overdue = tp.Late && s.today().After(tc.task.DueOn)
	if May(a, process.ActAssignTask, process.RelNone) {
		if team, ok := tc.def.Policy.Team(tc.task.Team); ok {
			if tp.Assignees, err = s.candidates(ctx, tx, team.Role); err != nil {
				return
			}
			var counts map[int64]int
			if counts, err = tx.OpenTaskCounts(ctx, []string{tc.task.Team}); err != nil {
				return
			}
			for i := range tp.Assignees {
				tp.Assignees[i].Open = counts[tp.Assignees[i].User.ID]
			}
		}
	}
	tp.Reminders, err = tx.ListReminders(ctx, ReminderFilter{TaskID: taskID})
	return
}

// StepCount is the number of open tasks of a step, for team leads.
type StepCount struct {
	Step    process.Step
	Open    int
	Overdue int
	Soon    int
}

// Dashboard counts open tasks per step of the current definition.
func (s *Tasks) Dashboard(ctx context.Context, a Actor) (_ []StepCount, _ map[string]int, err error) {
	defer wrap(&err, "Dashboard()")
	if err := Authorize(a, process.ActSeeDashboard, process.RelNone); err != nil {
		return nil, nil, err
	}
	var counts []StepCount
	var cases map[string]int
	err = s.store.View(ctx, func(tx Tx) error {
		tasks, err := tx.ListTasks(ctx, TaskFilter{Limit: 100000})
		if err != nil {
			return err
		}
		by := map[process.StepKey]*StepCount{}
		for _, st := range s.def.Steps {
			counts = append(counts, StepCount{Step: st})
		}
		for i := range counts {
			by[counts[i].Step.Key] = &counts[i]
		}
		for _, t := range tasks {
			c, ok := by[t.Step]
			if !ok {
				continue
			}
			c.Open++
			switch v := s.view(s.def, t); v.Deadline {
			case process.DeadlineOverdue:
				c.Overdue++
			case process.DeadlineSoon:
				c.Soon++
			}
		}
		cases, err = tx.CountCasesByStatus(ctx)
		return err
	})
	return counts, cases, err
}
