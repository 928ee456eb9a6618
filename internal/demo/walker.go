package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Choice steers a walk at the process's branches.
type Choice struct {
	TargetGroup string                   // key of the target group; default "regulier"
	Decision    string                   // process.OutcomeToekenning (default) or OutcomeGeenToekenning
	NUG         string                   // process.OutcomeNUG or OutcomeAfsluiten (default)
	Hold        map[process.StepKey]bool // open tasks of these steps are left alone
}

// Walker completes tasks with valid, invented input, acting as a user of
// the task's team. It is the demo's loader and the tests' fixture builder.
type Walker struct {
	Svc   *casework.Service
	Clock *casework.ManualClock // nil: the service's clock is not steerable
	Users []casework.User
	// Tweak, when set, may change the values of every form the walker
	// submits (tests put hostile text in every free-text field).
	Tweak  func(form process.Form, v casework.Values)
	slot   int
	next   map[process.Role]int
	picked map[string]int
}

func (w *Walker) tweak(form process.Form, v casework.Values) casework.Values {
	if w.Tweak != nil {
		w.Tweak(form, v)
	}
	return v
}

// User returns a user with the role, rotating among those who have it.
func (w *Walker) User(role process.Role) (casework.User, error) {
	if w.next == nil {
		w.next = map[process.Role]int{}
	}
	var with []casework.User
	for _, u := range w.Users {
		if u.Roles.Has(role) && !u.System {
			with = append(with, u)
		}
	}
	if len(with) == 0 {
		return casework.User{}, fmt.Errorf("demo: no user with role %s", role)
	}
	u := with[w.next[role]%len(with)]
	w.next[role]++
	return u, nil
}

func (w *Walker) system() (casework.User, error) {
	for _, u := range w.Users {
		if u.Username == SystemUsername {
			return u, nil
		}
	}
	return casework.User{}, fmt.Errorf("demo: no system user")
}

// lead is the team lead who looks at the files the walker works on: a
// team lead sees clients with open or recently closed work (need-to-know).
func (w *Walker) lead() casework.Actor {
	for _, u := range w.Users {
		if u.Roles.Has(process.RoleTeamleider) && !u.System {
			return casework.Actor{User: u}
		}
	}
	return casework.Actor{User: casework.User{Name: "demo", Roles: process.Roles{process.RoleTeamleider}}}
}

// Apply submits an application for the person, digitally or at the desk.
func (w *Walker) Apply(ctx context.Context, p Person, physical bool) (casework.Case, error) {
	v := p.Values()
	if physical {
		u, err := w.User(process.RoleOndersteunerPoortwachter)
		if err != nil {
			return casework.Case{}, err
		}
		return w.Svc.SubmitApplication(ctx, casework.Actor{User: u}, casework.ChannelPhysical, v)
	}
	u, err := w.system()
	if err != nil {
		return casework.Case{}, err
	}
	return w.Svc.SubmitApplication(ctx, casework.Actor{User: u}, casework.ChannelDigital, v)
}

// OpenTasks returns a client's open tasks.
func (w *Walker) OpenTasks(ctx context.Context, clientID int64) ([]casework.TaskView, error) {
	f, err := w.Svc.ClientFile(ctx, w.lead(), clientID)
	if err != nil {
		return nil, err
	}
	return f.OpenTasks(), nil
}

// WalkTo completes open tasks in the order of the definition until a task
// of step until is open, and returns it. until "" walks to the end.
func (w *Walker) WalkTo(ctx context.Context, clientID int64, c Choice, until process.StepKey) (casework.TaskView, error) {
	def := w.Svc.Definition()
	for range 40 {
		open, err := w.OpenTasks(ctx, clientID)
		if err != nil {
			return casework.TaskView{}, err
		}
		var next *casework.TaskView
		for _, st := range def.Steps {
			for i := range open {
				if open[i].Step != st.Key {
					continue
				}
				if st.Key == until {
					return open[i], nil
				}
				if next == nil && !c.Hold[st.Key] {
					next = &open[i]
				}
			}
		}
		if next == nil {
			if until == "" {
				return casework.TaskView{}, nil
			}
			return casework.TaskView{}, fmt.Errorf("demo: the route ended before step %s", until)
		}
		if err := w.Complete(ctx, *next, c); err != nil {
			return casework.TaskView{}, fmt.Errorf("demo: complete %s: %w", next.Step, err)
		}
		w.tick(24 * time.Hour)
	}
	return casework.TaskView{}, fmt.Errorf("demo: walk did not reach %s", until)
}

func (w *Walker) tick(d time.Duration) {
	if w.Clock != nil {
		w.Clock.Add(d)
	}
}

// actor returns the user who works the task: its holder, or a member of its team.
func (w *Walker) actor(t casework.TaskView) (casework.Actor, error) {
	if t.HolderID != 0 {
		for _, u := range w.Users {
			if u.ID == t.HolderID {
				return casework.Actor{User: u}, nil
			}
		}
	}
	team, ok := w.Svc.Definition().Policy.Team(t.Team)
	if !ok {
		return casework.Actor{}, fmt.Errorf("demo: unknown team %s", t.Team)
	}
	u, err := w.User(team.Role)
	return casework.Actor{User: u}, err
}

// Complete completes one task with values filled from its form. Like a
// caseworker, the walker reads what the system answers: a double booking
// moves the appointment to the next free quarter, and a message on a field
// the form does not require (a late reason, a motivation, a field that
// belongs to another outcome) makes it fill or clear that field and send
// again.
func (w *Walker) Complete(ctx context.Context, t casework.TaskView, c Choice) error {
	a, err := w.actor(t)
	if err != nil {
		return err
	}
	tp, err := w.Svc.TaskPage(ctx, w.lead(), t.ID)
	if err != nil {
		return err
	}
	if err := w.prepare(ctx, a, tp); err != nil {
		return err
	}
	fill := map[string]bool{}  // optional fields the service asked for
	clear := map[string]bool{} // optional fields the service refused
	for range 60 {
		v, err := w.Values(ctx, t, c)
		if err != nil {
			return err
		}
		for _, f := range tp.Form.Fields {
			if fill[f.Name] && len(v[f.Name]) == 0 {
				v.Set(f.Name, w.text(f))
			}
			if clear[f.Name] {
				v.Del(f.Name)
			}
		}
		_, err = w.Svc.CompleteTask(ctx, a, t.ID, t.Version, w.tweak(tp.Form, v))
		if err == nil {
			return nil
		}
		msgs := casework.FieldErrors(err)
		if casework.ErrorCode(err) == casework.CodeConflict && len(msgs) > 0 {
			w.slot++ // a room or klantmanager is taken then: the next quarter
			continue
		}
		retry := false
		for name := range msgs {
			f, ok := tp.Form.Field(name)
			if !ok || f.Required || fill[name] || clear[name] {
				continue
			}
			if len(v[name]) > 0 {
				clear[name] = true
			} else {
				fill[name] = true
			}
			retry = true
		}
		if !retry {
			return fmt.Errorf("%w (fields %v)", err, msgs)
		}
	}
	return fmt.Errorf("demo: no free appointment slot found")
}

// prepare does what a step's checks ask to be done first: the time of
// the appointment the step is done at, the plan van aanpak written and
// signed with the client, and at the intake (where the plan is signed) the
// client registered with the providers.
func (w *Walker) prepare(ctx context.Context, a casework.Actor, tp casework.TaskPage) error {
	for _, c := range tp.Form.Checks {
		if c.Name == process.CheckAppointmentStarted {
			w.awaitAppointment(tp.File, c.Params[process.ParamKind])
		}
	}
	signed := tp.Form.HasCheck(process.CheckPlanSigned)
	if !tp.NeedsPlan && !signed {
		return nil
	}
	if err := w.SignPlan(ctx, a, tp.Task.CaseID); err != nil {
		return err
	}
	if signed {
		return w.registerProviders(ctx, a, tp.Task.CaseID)
	}
	return nil
}

// awaitAppointment moves the clock to the start of the client's planned
// appointment of the kind, when it is still to come: a step done at an
// appointment can be completed from its start.
func (w *Walker) awaitAppointment(f casework.ClientFile, kind string) {
	if w.Clock == nil {
		return
	}
	for _, ap := range f.Appointments {
		if ap.Kind == kind && ap.Planned() && ap.StartAt.After(w.Clock.Now()) {
			w.Clock.Set(ap.StartAt.Add(5 * time.Minute))
		}
	}
}

// SignPlan saves a plan van aanpak signed today, with two trajectories.
func (w *Walker) SignPlan(ctx context.Context, a casework.Actor, caseID int64) error {
	today := process.Date(w.Svc.Now())
	pol := w.Svc.Definition().Policy
	plan := casework.Plan{
		Situation:    "Klant is na een lange periode van zorg voor een familielid op zoek naar werk. Heeft ervaring in de logistiek.",
		LadderNow:    3,
		LadderTarget: 5,
		Segment:      pol.Segments[w.slot%len(pol.Segments)],
		Goals:        "Binnen zes maanden betaald werk voor minimaal 20 uur per week.",
		Obligations:  "Actief solliciteren, meewerken aan de trajecten en afspraken nakomen (art. 9 Participatiewet).",
		Consequences: "Bij het niet nakomen van de verplichtingen kan een maatregel worden opgelegd.",
		Trajectories: []casework.PlannedTrajectory{{Provider: pol.Providers[0].Key, Goal: "Matching op vacatures in de logistiek",
			Activities: "Profiel aanmaken\nTwee sollicitaties per week"}},
		EvaluationOn: process.AddDays(today, 90),
		SignedOn:     today,
	}
	if len(pol.Providers) > 1 {
		plan.Trajectories = append(plan.Trajectories, casework.PlannedTrajectory{Provider: pol.Providers[1].Key,
			Goal: "Werkervaringsplaats", Activities: "Kennismaking werkgever"})
	}
	_, err := w.Svc.SavePlan(ctx, a, caseID, w.planVersion(ctx, caseID), w.tweak(pol.PlanForm(), casework.PlanValues(&plan)))
	return err
}

func (w *Walker) planVersion(ctx context.Context, caseID int64) int {
	v, err := w.Svc.LatestPlanVersion(ctx, caseID)
	if err != nil {
		return 0
	}
	return v
}

// Values returns valid values for a task's form: the form's starting
// values where it has them, else filled by the kind of each field: dates of an appointment on the next free working-day
// quarter, other dates today, choices by the walk's Choice or in turn,
// ticks ticked, texts invented. Fields shown only when a term is missed
// are left empty (Complete fills them when asked).
func (w *Walker) Values(ctx context.Context, t casework.TaskView, c Choice) (casework.Values, error) {
	tp, err := w.Svc.TaskPage(ctx, w.lead(), t.ID)
	if err != nil {
		return nil, err
	}
	today := process.Date(w.Svc.Now())
	at := w.slotAt(today)
	future := futureDates(tp.Step)
	v := casework.Values{}
	for _, f := range tp.Form.Fields {
		if f.ShowWhen == process.ShowLate {
			continue
		}
		opts := f.Options
		if f.OptionsFrom != "" {
			opts = tp.Options[f.OptionsFrom]
		}
		switch {
		case f.Sets == process.SetsOutcome:
			v.Set(f.Name, outcome(opts, c))
		case tp.Values.Get(f.Name) != "" && f.Sets == "":
			v.Set(f.Name, tp.Values.Get(f.Name)) // the form's starting value (a term from the policy)
		case f.Sets == process.SetsHolder && tp.Values.Get(f.Name) != "":
			v.Set(f.Name, tp.Values.Get(f.Name)) // the client's own klantmanager
		case f.Sets == process.SetsHolder:
			v.Set(f.Name, w.pick(f.OptionsFrom, opts))
		case f.Multiple():
			for _, o := range opts {
				v.Add(f.Name, o.Value)
			}
		case f.Kind == process.KindDate && future[f.Name]:
			v.Set(f.Name, casework.FormatDate(at))
		case f.Kind == process.KindDate:
			v.Set(f.Name, casework.FormatDate(today))
		case f.Kind == process.KindTime:
			v.Set(f.Name, casework.FormatClock(at))
		case f.OptionsFrom == process.SourceRooms:
			v.Set(f.Name, opts[w.slot%len(opts)].Value)
		case f.Kind == process.KindSelect || f.Kind == process.KindRadio:
			if len(opts) > 0 {
				v.Set(f.Name, opts[0].Value)
			}
		case f.Kind == process.KindCheckbox:
			v.Set(f.Name, "ja")
		default:
			v.Set(f.Name, w.text(f))
		}
	}
	return v, nil
}

// slotAt is the walker's current appointment time: working days from
// tomorrow, 45 minutes apart, a room each.
func (w *Walker) slotAt(today time.Time) time.Time {
	rooms := len(w.Svc.Config().Rooms)
	day := process.AddDays(today, 1+w.slot/24)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = process.AddDays(day, 1)
	}
	return day.Add(9*time.Hour + time.Duration(w.slot%24/rooms*45)*time.Minute)
}

// futureDates names the date fields that must lie ahead: those of the
// appointments a step books and those its checks want in the future.
func futureDates(st process.Step) map[string]bool {
	out := map[string]bool{}
	for _, d := range st.Effects {
		if d.Effect == process.EffectBookAppointment {
			out[d.Params[process.ParamDate]] = true
		}
	}
	for _, c := range st.Form.Checks {
		if c.Name == process.CheckInFuture {
			out[c.Field] = true
		}
	}
	return out
}

// outcome picks the outcome the walk's Choice asks for among the options,
// else the first (Regulier, toekenning); at the NUG step the default is to
// close.
func outcome(opts []process.Option, c Choice) string {
	for _, want := range []string{c.TargetGroup, c.Decision, c.NUG, process.OutcomeAfsluiten} {
		for _, o := range opts {
			if want != "" && o.Value == want {
				return o.Value
			}
		}
	}
	if len(opts) == 0 {
		return ""
	}
	return opts[0].Value
}

// pick chooses among colleagues in turn, so work spreads over the team.
func (w *Walker) pick(source string, opts []process.Option) string {
	if len(opts) == 0 {
		return ""
	}
	if w.picked == nil {
		w.picked = map[string]int{}
	}
	key := source + ":" + opts[0].Value
	o := opts[w.picked[key]%len(opts)]
	w.picked[key]++
	return o.Value
}

// text invents the content of a free-text field.
func (w *Walker) text(f process.Field) string {
	switch f.Kind {
	case process.KindEmail:
		return "demo@example.org"
	case process.KindTel:
		return "020 123 4567"
	case process.KindAmount:
		return "1.234,56"
	case process.KindTextarea:
		return "Besproken met de klant; " + strings.ToLower(f.Label) + " vastgelegd."
	}
	return f.Label + " (demo)"
}

// registerProviders does what the KM Werkdiagnose does at the intake:
// the client registered for the plan's trajectories at providers whose
// trajectory may run on after a refusal. The others are left for the
// Klantmanager Werk, who registers them at the start of guidance.
func (w *Walker) registerProviders(ctx context.Context, a casework.Actor, caseID int64) error {
	pol := w.Svc.Definition().Policy
	clientID, err := w.Svc.CaseClient(ctx, a, caseID)
	if err != nil {
		return err
	}
	f, err := w.Svc.ClientFile(ctx, a, clientID)
	if err != nil {
		return err
	}
	for _, t := range f.Trajectories {
		if pr, ok := pol.Provider(t.Provider); ok && pr.MayFinishAfterRefusal && t.Status == casework.TrajectoryRunning && t.PlanRow > 0 {
			if err := w.Svc.RegisterTrajectory(ctx, a, caseID, t.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
