package casework

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"
	"time"

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
}

func (s *Service) view(def *process.Definition, t Task) TaskView {
	v := TaskView{Task: t}
	if st, ok := def.Step(t.Step); ok {
		v.StepTitle = st.Title
	}
	if tm, ok := def.Policy.Team(t.Team); ok {
		v.TeamName = tm.Name
	}
	if t.Status == TaskOpen {
		v.Deadline, v.DaysLeft = def.Policy.Deadline(t.DueOn, !t.DueOn.IsZero(), s.clock.Now())
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
}

// Worklist is a worklist view with the counts shown in the navigation.
type Worklist struct {
	Query     WorklistQuery
	Tasks     []TaskView
	Teams     []process.Team // teams the user may see
	CountMine int
	CountTeam int
}

// VisibleTeams returns the teams whose worklists the user sees.
func (s *Service) VisibleTeams(a Actor) []process.Team {
	var out []process.Team
	for _, t := range s.def.Policy.Teams {
		if process.MaySeeAll(a.Roles()) || a.Roles().Has(t.Role) {
			out = append(out, t)
		}
	}
	return out
}

// Worklist returns the team worklist or the user's own tasks.
func (s *Service) Worklist(ctx context.Context, a Actor, q WorklistQuery) (Worklist, error) {
	if !process.IsCaseworker(a.Roles()) {
		return Worklist{}, Forbidden("Werkvoorraden zijn er voor medewerkers met een rol in de pilot.")
	}
	w := Worklist{Query: q, Teams: s.VisibleTeams(a)}
	teams := make([]string, 0, len(w.Teams))
	for _, t := range w.Teams {
		if q.Team == "" || q.Team == t.Key {
			teams = append(teams, t.Key)
		}
	}
	if q.Team != "" && len(teams) == 0 {
		return Worklist{}, Forbidden("U hebt geen toegang tot de werkvoorraad van dit team.")
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
	err := s.store.View(ctx, func(tx Tx) error {
		tasks, err := tx.ListTasks(ctx, f)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			def, err := s.definition(ctx, tx, t.DefinitionVersion)
			if err != nil {
				return err
			}
			w.Tasks = append(w.Tasks, s.view(def, t))
		}
		all := make([]string, 0, len(w.Teams))
		for _, t := range w.Teams {
			all = append(all, t.Key)
		}
		if len(all) > 0 {
			counts, err := tx.OpenTaskCounts(ctx, all)
			if err != nil {
				return err
			}
			for _, n := range counts {
				w.CountTeam += n
			}
		}
		// Own tasks may belong to any team (a task kept after a role change).
		mine, err := tx.ListTasks(ctx, TaskFilter{HolderID: a.User.ID})
		w.CountMine = len(mine)
		return err
	})
	return w, err
}

// StepState is one step of the process diagram on a case page.
type StepState struct {
	Step   process.Step
	State  string // "done", "current", "todo", "waiting"
	Holder string
	DoneAt time.Time
}

// ClientFile is everything the client's case page shows.
type ClientFile struct {
	Def           *process.Definition
	Client        Client
	Age           int
	Eligible      bool
	Applications  []Case
	Application   Case  // the latest application
	Participation *Case // its 17/PA, if any
	Tasks         []TaskView
	Steps         []StepState
	Plan          *Plan
	PlanVersions  []Plan
	Trajectories  []Trajectory
	Registrations []Registration
	Appointments  []Appointment
	Suspensions   []Suspension
	Records       []StepRecord
	Events        []Event
	Messages      []Message
	NextDeadline  *TaskView
	NextVoorschot time.Time
	OwnerName     string
}

// OpenTasks returns the open tasks of the file.
func (f ClientFile) OpenTasks() []TaskView {
	var out []TaskView
	for _, t := range f.Tasks {
		if t.Status == TaskOpen {
			out = append(out, t)
		}
	}
	return out
}

// ClientFile loads a client's case page.
func (s *Service) ClientFile(ctx context.Context, a Actor, clientID int64) (ClientFile, error) {
	if !process.IsCaseworker(a.Roles()) {
		return ClientFile{}, Forbidden("Klantgegevens zijn alleen zichtbaar voor medewerkers met een rol in de pilot.")
	}
	var f ClientFile
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if f.Client, err = tx.ClientByID(ctx, clientID); err != nil {
			return notFoundAs(err, "De klant")
		}
		cases, err := tx.CasesByClient(ctx, clientID)
		if err != nil {
			return err
		}
		for _, c := range cases {
			if c.Kind == process.CaseAanvraag {
				f.Applications = append(f.Applications, c)
				if f.Application.ID == 0 || c.OpenedAt.After(f.Application.OpenedAt) || (c.OpenedAt.Equal(f.Application.OpenedAt) && c.ID > f.Application.ID) {
					f.Application = c
				}
			}
		}
		if f.Application.ID == 0 {
			return NotFound("De aanvraag van deze klant")
		}
		if f.Def, err = s.definition(ctx, tx, f.Application.DefinitionVersion); err != nil {
			return err
		}
		f.Age = process.Age(f.Client.BirthDate, s.clock.Now())
		f.Eligible = f.Def.Policy.Eligible(f.Client.BirthDate, f.Application.AppliedOn)
		if part, err := tx.ParticipationFor(ctx, f.Application.ID); err == nil {
			f.Participation = &part
			if part.DossierOwner != 0 {
				f.OwnerName = userName(ctx, tx, part.DossierOwner)
			}
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		tasks, err := tx.TasksByApplication(ctx, f.Application.ID)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			v := s.view(f.Def, t)
			f.Tasks = append(f.Tasks, v)
			if t.Status == TaskOpen && !t.DueOn.IsZero() && (f.NextDeadline == nil || t.DueOn.Before(f.NextDeadline.DueOn)) {
				vv := v
				f.NextDeadline = &vv
			}
		}
		f.Steps = s.stepStates(f.Def, f.Application, tasks)
		if f.Application.Open() {
			f.NextVoorschot = f.Def.Policy.NextVoorschot(f.Application.AppliedOn, s.clock.Now())
		}
		if f.Suspensions, err = tx.SuspensionsByCase(ctx, f.Application.ID); err != nil {
			return err
		}
		if f.Records, err = tx.StepRecords(ctx, f.Application.ID); err != nil {
			return err
		}
		if f.Participation != nil {
			pid := f.Participation.ID
			if plan, err := tx.LatestPlan(ctx, pid); err == nil {
				f.Plan = &plan
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			if f.PlanVersions, err = tx.PlanVersions(ctx, pid); err != nil {
				return err
			}
			if f.Trajectories, err = tx.TrajectoriesByCase(ctx, pid); err != nil {
				return err
			}
			if f.Registrations, err = tx.RegistrationsByCase(ctx, pid); err != nil {
				return err
			}
		}
		if f.Appointments, err = tx.AppointmentsByClient(ctx, clientID); err != nil {
			return err
		}
		if f.Events, err = tx.EventsByClient(ctx, clientID); err != nil {
			return err
		}
		f.Messages, err = tx.ListMessages(ctx, MessageFilter{ClientID: clientID, Limit: 200})
		return err
	})
	return f, err
}

// CaseClient returns the client a case belongs to, for pages addressed by
// case id.
func (s *Service) CaseClient(ctx context.Context, a Actor, caseID int64) (int64, error) {
	if !process.IsCaseworker(a.Roles()) {
		return 0, Forbidden("Klantgegevens zijn alleen zichtbaar voor medewerkers met een rol in de pilot.")
	}
	var id int64
	err := s.store.View(ctx, func(tx Tx) error {
		c, err := tx.CaseByID(ctx, caseID)
		id = c.ClientID
		return err
	})
	return id, notFoundAs(err, "Het werkproces")
}

// stepStates places the steps of the client's expected path on the
// diagram, in the order the route takes them.
func (s *Service) stepStates(def *process.Definition, app Case, tasks []Task) []StepState {
	route := process.RouteDiagnoseFirst
	if g, ok := def.Policy.TargetGroup(app.TargetGroup); ok {
		route = g.Route
	} else if len(def.Policy.TargetGroups) > 0 {
		// Before the assessment: the first target group's route is expected.
		route = def.Policy.TargetGroups[0].Route
	}
	outcomes := map[process.StepKey]string{}
	for _, t := range tasks {
		if t.Status == TaskDone && t.Outcome != "" {
			outcomes[t.Step] = t.Outcome
		}
	}
	var out []StepState
	for _, k := range def.Path(route, outcomes) {
		st, _ := def.Step(k)
		ss := StepState{Step: st, State: "todo"}
		for _, t := range tasks {
			if t.Step != k {
				continue
			}
			switch t.Status {
			case TaskOpen:
				ss.State, ss.Holder = "current", t.HolderName
			case TaskDone:
				if ss.State != "current" {
					ss.State, ss.Holder, ss.DoneAt = "done", t.CompletedByName, t.CompletedAt
				}
			}
		}
		out = append(out, ss)
	}
	return out
}

// TaskPage is a task with its client file, form and choices.
type TaskPage struct {
	File    ClientFile
	Task    TaskView
	Step    process.Step
	Form    process.Form
	Options map[string][]process.Option
	MayWork bool
	Late    bool
	// NeedsPlan: the step's checks ask for a plan van aanpak that is not there yet.
	NeedsPlan  bool
	Assignees  []Candidate // colleagues the task can be assigned to
	TeamWorker bool
	Reminders  []Reminder // planned, sent and lapsed reminders about the task's term
}

// TaskPage loads a task's page.
func (s *Service) TaskPage(ctx context.Context, a Actor, taskID int64) (TaskPage, error) {
	var tp TaskPage
	var clientID int64
	err := s.store.View(ctx, func(tx Tx) error {
		tc, err := s.loadTask(ctx, tx, taskID)
		if err != nil {
			return err
		}
		clientID = tc.client.ID
		tp.Task = s.view(tc.def, tc.task)
		for _, t := range tc.tasks {
			if t.ID == taskID {
				tp.Task = s.view(tc.def, t)
			}
		}
		tp.Step = tc.step
		tp.Form = tc.step.Form
		if tp.Options, err = s.options(ctx, tx, tc); err != nil {
			return err
		}
		if tc.task.Status == TaskOpen && (tp.Form.HasCheck(process.CheckPlanExists) || tp.Form.HasCheck(process.CheckPlanSigned)) {
			if _, err := s.checkEnv(ctx, tx, tc, "").plan(); errors.Is(err, ErrNotFound) {
				tp.NeedsPlan = true
			} else if err != nil {
				return err
			}
		}
		tp.MayWork = tc.def.MayWork(a.Roles(), tc.task.Team)
		tp.Late = !tc.task.DueOn.IsZero() && process.IsWeekTerm(tc.task.Term) && s.today().After(process.AddDays(tc.task.DueOn, -1))
		if process.MayAssign(a.Roles()) {
			if team, ok := tc.def.Policy.Team(tc.task.Team); ok {
				if tp.Assignees, err = s.candidates(ctx, tx, team.Role); err != nil {
					return err
				}
				counts, err := tx.OpenTaskCounts(ctx, []string{tc.task.Team})
				if err != nil {
					return err
				}
				for i := range tp.Assignees {
					tp.Assignees[i].Open = counts[tp.Assignees[i].User.ID]
				}
			}
		}
		tp.Reminders, err = tx.ListReminders(ctx, ReminderFilter{TaskID: taskID})
		return err
	})
	if err != nil {
		return TaskPage{}, err
	}
	tp.File, err = s.ClientFile(ctx, a, clientID)
	return tp, err
}

// Outbox lists messages for administrators and team leads. An administrator
// without a caseworker role sees no client data: addresses other than the
// teams' mailboxes are masked.
func (s *Service) Outbox(ctx context.Context, a Actor, f MessageFilter) ([]Message, error) {
	if !process.MayAdminister(a.Roles()) && !a.Roles().Has(process.RoleTeamleider) {
		return nil, Forbidden("Alleen een functioneel beheerder of teamleider ziet de uitgaande berichten.")
	}
	var out []Message
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.ListMessages(ctx, f)
		return err
	})
	if err != nil || process.IsCaseworker(a.Roles()) {
		return out, err
	}
	teams := map[string]bool{}
	for _, t := range s.def.Policy.Teams {
		teams[t.Mailbox] = true
	}
	for i := range out {
		if !teams[out[i].To] {
			out[i].To, out[i].ToName = MaskEmail(out[i].To), ""
		}
		out[i].Body, out[i].HTML, out[i].Attachment = "", "", ""
		out[i].LastError = RedactEmails(out[i].LastError)
	}
	return out, nil
}

// emailLike finds e-mail addresses in free text such as a mail server's
// answer.
var emailLike = regexp.MustCompile(`[^\s<>"':;,]+@[^\s<>"':;,]+`)

// RedactEmails masks every e-mail address in free text, such as a mail
// server's answer, for logs and for viewers who need no addresses.
func RedactEmails(s string) string { return emailLike.ReplaceAllStringFunc(s, MaskEmail) }

// MaskEmail keeps the first letter and the domain: "a…@example.org".
func MaskEmail(addr string) string {
	at := strings.LastIndex(addr, "@")
	if at <= 0 {
		return "…"
	}
	return addr[:1] + "…" + addr[at:]
}

// StepCount is the number of open tasks of a step, for team leads.
type StepCount struct {
	Step    process.Step
	Open    int
	Overdue int
	Soon    int
}

// Dashboard counts open tasks per step of the current definition.
func (s *Service) Dashboard(ctx context.Context, a Actor) ([]StepCount, map[string]int, error) {
	if !process.MaySeeAll(a.Roles()) {
		return nil, nil, Forbidden("Het overzicht is er voor teamleiders.")
	}
	var counts []StepCount
	var cases map[string]int
	err := s.store.View(ctx, func(tx Tx) error {
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

// SearchClients finds clients by name for caseworkers.
func (s *Service) SearchClients(ctx context.Context, a Actor, name string) ([]Client, error) {
	if !process.IsCaseworker(a.Roles()) {
		return nil, Forbidden("Klantgegevens zijn alleen zichtbaar voor medewerkers met een rol in de pilot.")
	}
	var out []Client
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.SearchClients(ctx, name, 100)
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].FamilyName < out[j].FamilyName })
	return out, err
}

// LatestPlanVersion returns the version of a participation case's latest
// plan van aanpak, 0 when there is none.
func (s *Service) LatestPlanVersion(ctx context.Context, caseID int64) (int, error) {
	var v int
	err := s.store.View(ctx, func(tx Tx) error {
		p, err := tx.LatestPlan(ctx, caseID)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		v = p.Version
		return err
	})
	return v, err
}
