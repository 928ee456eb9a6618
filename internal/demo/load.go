package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Scenario places one invented client somewhere in the process.
type Scenario struct {
	Name     string
	DaysAgo  int // the application was received this many days ago
	Physical bool
	Choice   Choice
	Until    process.StepKey // leave the client with this task open; "" walks to the end
	Suspend  bool            // a request to complete the application, 6 days ago: the decision term is suspended
	Extend   bool            // the decision term was extended (Awb 4:14 lid 3)
	Finish   bool            // after closing, finish the trajectory that may be finished
	NoShow   bool            // the client does not come to the appointment of the open step
	NoEmail  bool            // the client has no e-mail address: letters by post
	// Signals fires the client's signals due by now (a voorschot date, a
	// plan evaluation), which make their tasks.
	Signals bool
}

// Scenarios spread about forty clients over every step and outcome, some
// with their term run out.
func Scenarios() []Scenario {
	reg := Choice{TargetGroup: "regulier"}
	refused := Choice{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning}
	nug := Choice{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG}
	ab := Choice{TargetGroup: "arbeidsbeperkt"}
	abRefused := Choice{TargetGroup: "arbeidsbeperkt", Decision: process.OutcomeGeenToekenning}
	inr := Choice{TargetGroup: "inrichting"}
	holdIntake := Choice{TargetGroup: "regulier", Hold: map[process.StepKey]bool{process.StepIntakeWerkdiagnose: true}}
	refusedBeforeIntake := Choice{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning, Hold: holdIntake.Hold}
	return []Scenario{
		{Name: "nieuwe digitale aanvraag", DaysAgo: 0, Choice: reg, Until: process.StepIntakeGesprek},
		{Name: "nieuwe digitale aanvraag", DaysAgo: 1, Choice: reg, Until: process.StepIntakeGesprek},
		{Name: "fysieke aanvraag", DaysAgo: 2, Physical: true, Choice: reg, Until: process.StepIntakeGesprek},
		{Name: "intake al lang open", DaysAgo: 50, Choice: reg, Until: process.StepIntakeGesprek},
		{Name: "doelgroep beoordelen", DaysAgo: 3, Choice: reg, Until: process.StepBeoordelingDoelgroep},
		{Name: "doelgroep beoordelen (fysiek)", DaysAgo: 4, Physical: true, Choice: reg, Until: process.StepBeoordelingDoelgroep},
		{Name: "aanmelden bij participatie", DaysAgo: 5, Choice: reg, Until: process.StepAanmeldingParticipatie},
		{Name: "aanmelding verwerken", DaysAgo: 4, Choice: reg, Until: process.StepVerwerkingAanmelding},
		{Name: "aanmelding verwerken, bijna te laat", DaysAgo: 8, Choice: reg, Until: process.StepVerwerkingAanmelding},
		{Name: "aanmelding verwerken, termijn verlopen", DaysAgo: 16, Choice: reg, Until: process.StepVerwerkingAanmelding},
		{Name: "aanmelding verwerken (fysiek)", DaysAgo: 5, Physical: true, Choice: reg, Until: process.StepVerwerkingAanmelding},
		{Name: "intake werkdiagnose", DaysAgo: 8, Choice: reg, Until: process.StepIntakeWerkdiagnose},
		{Name: "intake werkdiagnose", DaysAgo: 9, Choice: reg, Until: process.StepIntakeWerkdiagnose},
		{Name: "rapportage loopt", DaysAgo: 10, Choice: holdIntake, Until: process.StepRapportage},
		{Name: "besluit nemen", DaysAgo: 20, Choice: holdIntake, Until: process.StepBesluit},
		{Name: "besluit nemen, beslistermijn opgeschort", DaysAgo: 30, Choice: holdIntake, Until: process.StepBesluit, Suspend: true},
		{Name: "besluit nemen, beslistermijn verdaagd", DaysAgo: 50, Choice: holdIntake, Until: process.StepBesluit, Extend: true},
		{Name: "besluit nemen, beslistermijn verlopen", DaysAgo: 70, Choice: holdIntake, Until: process.StepBesluit},
		{Name: "voorschot beoordelen", DaysAgo: 25, Choice: holdIntake, Until: process.StepRapportage, Signals: true},
		{Name: "toegekend, wacht op intake werkdiagnose", DaysAgo: 25, Choice: holdIntake, Until: process.StepIntakeWerkdiagnose},
		{Name: "geen toekenning voor de intake", DaysAgo: 21, Choice: refusedBeforeIntake, Until: process.StepAfsluitenZonderIntake},
		{Name: "niet verschenen op de intake", DaysAgo: 14, Choice: reg, Until: process.StepIntakeWerkdiagnose, NoShow: true},
		{Name: "zonder e-mail: uitnodiging per post", DaysAgo: 6, Physical: true, NoEmail: true, Choice: reg, Until: process.StepIntakeWerkdiagnose},
		{Name: "verdelen naar KM Werk", DaysAgo: 22, Choice: reg, Until: process.StepVerdelenKMWerk},
		{Name: "verdelen naar KM Werk", DaysAgo: 23, Choice: reg, Until: process.StepVerdelenKMWerk},
		{Name: "uitnodigen kennismaking", DaysAgo: 24, Choice: reg, Until: process.StepUitnodigenKennismaking},
		{Name: "uitnodigen kennismaking, termijn verlopen", DaysAgo: 40, Choice: reg, Until: process.StepUitnodigenKennismaking},
		{Name: "start begeleiding", DaysAgo: 30, Choice: reg, Until: process.StepStartBegeleiding},
		{Name: "in begeleiding", DaysAgo: 45, Choice: reg},
		{Name: "in begeleiding", DaysAgo: 60, Choice: reg},
		{Name: "in begeleiding (fysiek)", DaysAgo: 75, Physical: true, Choice: reg},
		{Name: "in begeleiding, plan evalueren", DaysAgo: 95, Choice: reg, Signals: true},
		{Name: "geen toekenning: NUG of afsluiten", DaysAgo: 26, Choice: refused, Until: process.StepNugOfAfsluiten},
		{Name: "geen toekenning: NUG of afsluiten", DaysAgo: 27, Choice: refused, Until: process.StepNugOfAfsluiten},
		{Name: "NUG'er", DaysAgo: 50, Choice: nug},
		{Name: "afgesloten, Baanbrekend loopt door", DaysAgo: 55, Choice: refused},
		{Name: "afgesloten, Baanbrekend afgemaakt", DaysAgo: 90, Choice: refused, Finish: true},
		{Name: "arbeidsbeperkt: rapportage", DaysAgo: 6, Choice: ab, Until: process.StepRapportage},
		{Name: "arbeidsbeperkt: besluit", DaysAgo: 12, Choice: ab, Until: process.StepBesluit},
		{Name: "arbeidsbeperkt: aanmelding participatie", DaysAgo: 14, Choice: ab, Until: process.StepAanmeldingParticipatie},
		{Name: "arbeidsbeperkt: verwerking door AG", DaysAgo: 18, Choice: ab, Until: process.StepVerwerkingTeam},
		{Name: "arbeidsbeperkt: uitnodigen", DaysAgo: 20, Choice: ab, Until: process.StepUitnodigenKennismaking},
		{Name: "arbeidsbeperkt: in begeleiding", DaysAgo: 40, Choice: ab},
		{Name: "arbeidsbeperkt: geen toekenning", DaysAgo: 35, Choice: abRefused},
		{Name: "inrichting: verwerking door KM", DaysAgo: 15, Choice: inr, Until: process.StepVerwerkingTeam},
		{Name: "inrichting: in begeleiding", DaysAgo: 42, Choice: inr},
	}
}

// Summary tells what Load created.
type Summary struct {
	Users     []casework.User
	Clients   int // clients with an application, one per scenario
	Meldingen int // clients younger than the minimum age who only reported
}

// Load creates the demo accounts and walks every scenario, using a manual
// clock that starts each client in the past and stops at now. st is the
// same store the server uses.
func Load(ctx context.Context, st casework.Store, def *process.Definition, cfg casework.Config, log *slog.Logger, now time.Time, password string) (Summary, error) {
	clock := casework.NewManualClock(now)
	svc, err := casework.NewService(ctx, casework.Deps{Store: st, Clock: clock, Invitations: ics.Invitations{}, Letters: letters.MustNew(), Log: log}, def, cfg)
	if err != nil {
		return Summary{}, err
	}
	users, err := CreateUsers(ctx, svc, password)
	if err != nil {
		return Summary{}, fmt.Errorf("demo users: %w", err)
	}
	w := &Walker{Svc: svc, Clock: clock, Users: users}
	r := rand.New(rand.NewPCG(2027, 445))
	sum := Summary{Users: users}
	for i, sc := range Scenarios() {
		start := process.AddDays(now, -sc.DaysAgo).Add(9*time.Hour + time.Duration(i)*time.Minute)
		if start.After(now) {
			start = now
		}
		clock.Set(start)
		p := NewPerson(r, i, 28+r.IntN(35), start)
		if sc.NoEmail {
			p.Client.Email = ""
		}
		app, err := w.Apply(ctx, p, sc.Physical)
		if err != nil {
			return sum, fmt.Errorf("demo %q: %w", sc.Name, err)
		}
		sum.Clients++
		if _, err := w.WalkTo(ctx, app.ClientID, sc.Choice, sc.Until); err != nil {
			return sum, fmt.Errorf("demo %q: %w", sc.Name, err)
		}
		if sc.Suspend {
			// A request to complete the application, made 6 days ago with
			// the policy's completion term: still running.
			if at := now.Add(-6 * 24 * time.Hour); clock.Now().Before(at) {
				clock.Set(at)
			}
			if err := w.StartAndComplete(ctx, app, process.StepVerzoekAanvulling); err != nil {
				return sum, fmt.Errorf("demo %q: %w", sc.Name, err)
			}
		}
		if sc.Extend {
			if at := now.Add(-3 * 24 * time.Hour); clock.Now().Before(at) {
				clock.Set(at)
			}
			if err := w.StartAndComplete(ctx, app, process.StepVerdagen); err != nil {
				return sum, fmt.Errorf("demo %q: %w", sc.Name, err)
			}
		}
		if sc.NoShow {
			if err := w.NoShow(ctx, app.ClientID); err != nil {
				return sum, fmt.Errorf("demo %q: %w", sc.Name, err)
			}
		}
		if sc.Finish {
			if err := w.finishRemaining(ctx, app.ClientID); err != nil {
				return sum, fmt.Errorf("demo %q: %w", sc.Name, err)
			}
		}
		if clock.Now().After(now) {
			clock.Set(now)
		}
		if sc.Signals {
			clock.Set(now)
			if err := fireSignals(ctx, st, svc, app.ClientID, now); err != nil {
				return sum, fmt.Errorf("demo %q: %w", sc.Name, err)
			}
		}
	}
	clock.Set(now)
	if err := w.melding(ctx, r, len(Scenarios()), now); err != nil {
		return sum, fmt.Errorf("demo melding: %w", err)
	}
	sum.Meldingen++
	return sum, nil
}

// fireSignals fires the client's planned signals whose time has come by
// now, as the worker would have, until none is left: each voorschot signal
// plans the next.
func fireSignals(ctx context.Context, st casework.Store, svc *casework.Service, clientID int64, now time.Time) error {
	for range 20 {
		var due []int64
		err := st.View(ctx, func(tx casework.Tx) error {
			cases, err := tx.CasesByClient(ctx, clientID)
			if err != nil {
				return err
			}
			for _, c := range cases {
				rs, err := tx.ListReminders(ctx, casework.ReminderFilter{CaseID: c.ID, Status: casework.ReminderPlanned})
				if err != nil {
					return err
				}
				for _, r := range rs {
					if (r.Kind == casework.ReminderVoorschot || r.Kind == casework.ReminderEvaluation) && !r.SendAt.After(now) {
						due = append(due, r.ID)
					}
				}
			}
			return nil
		})
		if err != nil || len(due) == 0 {
			return err
		}
		for _, id := range due {
			if _, err := svc.FireReminder(ctx, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// StartAndComplete starts a step by hand on the application as a
// Poortwachter (a request to complete it, an extension of the term) and
// completes it with values from its form.
func (w *Walker) StartAndComplete(ctx context.Context, app casework.Case, step process.StepKey) error {
	u, err := w.User(process.RolePoortwachter)
	if err != nil {
		return err
	}
	a := casework.Actor{User: u}
	id, err := w.Svc.StartStep(ctx, a, app.ID, step)
	if err != nil {
		return err
	}
	tp, err := w.Svc.TaskPage(ctx, a, id)
	if err != nil {
		return err
	}
	v, err := w.Values(ctx, tp.Task, Choice{})
	if err != nil {
		return err
	}
	// What a letter says, in the client's words.
	for name, text := range map[string]string{
		process.FieldMissing:         "Uw bankafschriften van de laatste drie maanden.\nEen kopie van uw huurcontract.",
		process.FieldExtensionReason: "Wij wachten nog op gegevens van het UWV over uw WW-uitkering.",
	} {
		if _, ok := tp.Form.Field(name); ok {
			v.Set(name, text)
		}
	}
	_, err = w.Svc.CompleteTask(ctx, a, id, tp.Task.Version, v)
	return err
}

// finishRemaining finishes the trajectories that may run on after
// closing, as the dossier's klantmanager.
func (w *Walker) finishRemaining(ctx context.Context, clientID int64) error {
	f, err := w.Svc.ClientFile(ctx, w.lead(), clientID)
	if err != nil || f.Participation == nil {
		return err
	}
	a := casework.Actor{}
	for _, u := range w.Users {
		if u.ID == f.Participation.DossierOwner {
			a.User = u
		}
	}
	for _, t := range f.Trajectories {
		if t.Status == casework.TrajectoryRunning && t.MayFinish {
			if err := w.Svc.FinishTrajectory(ctx, a, f.Participation.ID, t.ID, "Traject afgerond; klant heeft een werkervaringsplaats gevonden."); err != nil {
				return err
			}
		}
	}
	return nil
}

// NoShow records that the client did not come to their next planned
// appointment, as its klantmanager does once it has begun.
func (w *Walker) NoShow(ctx context.Context, clientID int64) error {
	f, err := w.Svc.ClientFile(ctx, w.lead(), clientID)
	if err != nil {
		return err
	}
	for _, ap := range f.Appointments {
		if !ap.Planned() {
			continue
		}
		w.awaitAppointment(f, ap.Kind)
		a := casework.Actor{}
		for _, u := range w.Users {
			if u.ID == ap.KlantmanagerID {
				a.User = u
			}
		}
		return w.Svc.MarkAppointment(ctx, a, ap.ID, process.AppointmentNoShow)
	}
	return fmt.Errorf("demo: no planned appointment to miss")
}
