package demo

import (
	"context"
	"fmt"
	"strconv"
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
	Tweak func(form casework.Form, v casework.Values)
	slot  int
	next  map[process.Role]int
}

func (w *Walker) tweak(form casework.Form, v casework.Values) casework.Values {
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

func (w *Walker) lead() casework.Actor {
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

// Complete completes one task with valid values. Appointments move to the
// next free quarter when a room or klantmanager is taken.
func (w *Walker) Complete(ctx context.Context, t casework.TaskView, c Choice) error {
	a, err := w.actor(t)
	if err != nil {
		return err
	}
	if t.Step == process.StepStartBegeleiding && w.planVersion(ctx, t.CaseID) == 0 {
		// Decision-first route: no work diagnosis, the klantmanager writes the plan.
		if err := w.SignPlan(ctx, a, t.CaseID); err != nil {
			return err
		}
	}
	if t.Step == process.StepIntakeWerkdiagnose {
		if err := w.SignPlan(ctx, a, t.CaseID); err != nil {
			return err
		}
		if err := w.registerProviders(ctx, a, t.CaseID); err != nil {
			return err
		}
	}
	for range 60 {
		v, err := w.Values(ctx, t, c)
		if err != nil {
			return err
		}
		err = w.Svc.CompleteTask(ctx, a, t.ID, t.Version, w.tweak(casework.StepForm(w.Svc.Definition(), t.Step), v))
		if err == nil {
			return nil
		}
		f := casework.FieldErrors(err)
		if casework.ErrorCode(err) == casework.CodeConflict && (f[casework.FieldRoom] != "" || f[casework.FieldKM] != "" || f["vervolg_spreekkamer"] != "") {
			w.slot++
			continue
		}
		return fmt.Errorf("%w (fields %v)", err, f)
	}
	return fmt.Errorf("demo: no free appointment slot found")
}

// SignPlan saves a plan van aanpak signed today, with two trajectories.
func (w *Walker) SignPlan(ctx context.Context, a casework.Actor, caseID int64) error {
	today := process.Date(w.Svc.Now())
	v := casework.Values{}
	v.Set("situatie", "Klant is na een lange periode van zorg voor een familielid op zoek naar werk. Heeft ervaring in de logistiek.")
	v.Set("ladder_nu", "3")
	v.Set("ladder_doel", "5")
	v.Set("segment", w.Svc.Definition().Policy.Segments[w.slot%len(w.Svc.Definition().Policy.Segments)])
	v.Set("doelen", "Binnen zes maanden betaald werk voor minimaal 20 uur per week.")
	v.Set("verplichtingen", "Actief solliciteren, meewerken aan de trajecten en afspraken nakomen (art. 9 Participatiewet).")
	v.Set("gevolgen", "Bij het niet nakomen van de verplichtingen kan een maatregel worden opgelegd.")
	provs := w.Svc.Definition().Policy.Providers
	v.Set("traject_aanbieder_1", provs[0].Key)
	v.Set("traject_doel_1", "Matching op vacatures in de logistiek")
	v.Set("traject_activiteiten_1", "Profiel aanmaken\nTwee sollicitaties per week")
	if len(provs) > 1 {
		v.Set("traject_aanbieder_2", provs[1].Key)
		v.Set("traject_doel_2", "Werkervaringsplaats")
		v.Set("traject_activiteiten_2", "Kennismaking werkgever")
	}
	v.Set("evaluatie_datum", casework.FormatDate(process.AddDays(today, 90)))
	v.Set("ondertekend_op", casework.FormatDate(today))
	_, err := w.Svc.SavePlan(ctx, a, caseID, w.planVersion(ctx, caseID), w.tweak(casework.PlanForm(w.Svc.Definition()), v))
	return err
}

func (w *Walker) planVersion(ctx context.Context, caseID int64) int {
	v, err := w.Svc.LatestPlanVersion(ctx, caseID)
	if err != nil {
		return 0
	}
	return v
}

// Values returns valid form values for a task.
func (w *Walker) Values(ctx context.Context, t casework.TaskView, c Choice) (casework.Values, error) {
	today := process.Date(w.Svc.Now())
	v := casework.Values{}
	rooms := w.Svc.Config().Rooms
	slotAt := func() time.Time {
		day := process.AddDays(today, 1+w.slot/24)
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = process.AddDays(day, 1)
		}
		return day.Add(9*time.Hour + time.Duration(w.slot%24/len(rooms)*45)*time.Minute)
	}
	setSlot := func(dateF, timeF, roomF string) time.Time {
		at := slotAt()
		v.Set(dateF, casework.FormatDate(at))
		v.Set(timeF, at.Format("15:04"))
		v.Set(roomF, rooms[w.slot%len(rooms)].Key)
		return at
	}
	switch t.Step {
	case process.StepIntakeGesprek:
		v.Set("gesprek_datum", casework.FormatDate(today))
		v.Set("rechtmatigheid", "Geen inkomen sinds einde WW, geen vermogen boven de grens, alleenstaand, woont in huurwoning.")
		v.Set("doelmatigheid", "Wil graag werken; heeft ondersteuning nodig bij solliciteren.")
	case process.StepBeoordelingDoelgroep:
		g := c.TargetGroup
		if g == "" {
			g = "regulier"
		}
		v.Set("doelgroep", g)
	case process.StepAanmeldingParticipatie:
		v.Set("toelichting", "Klant is gemotiveerd; bereikbaar op werkdagen na 10 uur.")
	case process.StepVerwerkingAanmelding:
		at := setSlot(casework.FieldDate, casework.FieldTime, casework.FieldRoom)
		v.Set(casework.FieldDuration, "45")
		km, err := w.User(process.RoleKMWerkdiagnose)
		if err != nil {
			return nil, err
		}
		v.Set(casework.FieldKM, strconv.FormatInt(km.ID, 10))
		if !t.DueOn.IsZero() && process.Date(at).After(t.DueOn) {
			v.Set(casework.FieldLateReason, "Geen spreekkamer vrij binnen de termijn.")
		}
	case process.StepIntakeWerkdiagnose:
		v.Set("gesprek_gevoerd", "ja")
		v.Set("plan_meegegeven", "ja")
	case process.StepRapportage:
		v.Set("rapportage", "Aanvraag volledig; recht op bijstand vastgesteld op basis van de uitvraag.")
	case process.StepBesluit:
		d := c.Decision
		if d == "" {
			d = process.OutcomeToekenning
		}
		v.Set("besluit", d)
		v.Set("besluit_datum", casework.FormatDate(today))
		if d == process.OutcomeGeenToekenning {
			v.Set("reden", "Het inkomen van de partner ligt boven de bijstandsnorm.")
		}
	case process.StepVerdelenKMWerk, process.StepVerwerkingTeam:
		team, _ := w.Svc.Definition().Policy.Team(t.Team)
		role := process.RoleKMWerk
		if t.Step == process.StepVerwerkingTeam {
			role = team.Role
		}
		km, err := w.User(role)
		if err != nil {
			return nil, err
		}
		v.Set(casework.FieldKM, strconv.FormatInt(km.ID, 10))
	case process.StepUitnodigenKennismaking:
		setSlot(casework.FieldDate, casework.FieldTime, casework.FieldRoom)
		v.Set(casework.FieldDuration, "45")
		if !t.DueOn.IsZero() && today.After(t.DueOn) {
			v.Set(casework.FieldLateReason, "Klantmanager was afwezig door ziekte.")
		}
	case process.StepStartBegeleiding:
		v.Set("plan_gelezen", "ja")
		v.Set("kennismaking_gevoerd", "ja")
		v.Set("dossier_aanvulling", "Kennismaking verlopen; klant aangemeld voor de trajecten uit het plan.")
		v["trajecten"] = []string{"1"}
		setSlot("vervolg_datum", "vervolg_tijd", "vervolg_spreekkamer")
	case process.StepNugOfAfsluiten:
		n := c.NUG
		if n == "" {
			n = process.OutcomeAfsluiten
		}
		v.Set("keuze", n)
		v.Set("toelichting", "Besproken met de klant.")
		if n == process.OutcomeAfsluiten {
			ids, err := w.finishable(ctx, t.ClientID)
			if err != nil {
				return nil, err
			}
			v["afmaken"] = ids
		}
	}
	return v, nil
}

// registerProviders does what the KM Werkdiagnose does at the intake: a
// registration with the first provider and a trajectory registration with
// activities at a provider whose trajectory may run on after a refusal.
func (w *Walker) registerProviders(ctx context.Context, a casework.Actor, caseID int64) error {
	pol := w.Svc.Definition().Policy
	today := process.Date(w.Svc.Now())
	v := casework.Values{}
	v.Set("aanbieder", pol.Providers[0].Key)
	v.Set("status", "aangemeld")
	v.Set("datum", casework.FormatDate(today))
	v.Set("notitie", "Profiel aangemaakt met de klant.")
	if err := w.Svc.AddRegistration(ctx, a, caseID, w.tweak(casework.RegistrationForm(w.Svc.Definition()), v)); err != nil {
		return err
	}
	for _, pr := range pol.Providers {
		if !pr.MayFinishAfterRefusal {
			continue
		}
		tv := casework.Values{}
		tv.Set("aanbieder", pr.Key)
		tv.Set("titel", "Werkervaringsplaats")
		tv.Set("start", casework.FormatDate(today))
		tv.Set("activiteiten", "Intake bij "+pr.Name+"\nStart werkervaringsplaats")
		return w.Svc.AddTrajectory(ctx, a, caseID, w.tweak(casework.TrajectoryForm(w.Svc.Definition()), tv))
	}
	return nil
}

// finishable returns the ids of running trajectories that may be finished
// after a refusal.
func (w *Walker) finishable(ctx context.Context, clientID int64) ([]string, error) {
	f, err := w.Svc.ClientFile(ctx, w.lead(), clientID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range f.Trajectories {
		if pr, ok := f.Def.Policy.Provider(t.Provider); ok && pr.MayFinishAfterRefusal && t.Status == casework.TrajectoryRunning {
			ids = append(ids, strconv.FormatInt(t.ID, 10))
		}
	}
	return ids, nil
}
