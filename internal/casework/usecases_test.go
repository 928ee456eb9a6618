package casework_test

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

var ctx = context.Background()

func applicationValues(e *casetest.Env) casework.Values { return e.Person().Values() }

func wantField(t *testing.T, err error, code casework.Code, field, contains string) {
	t.Helper()
	if got := casework.ErrorCode(err); got != code {
		t.Fatalf("code = %s (%v), want %s", got, err, code)
	}
	if field == "" {
		return
	}
	msg := casework.FieldErrors(err)[field]
	if msg == "" || !strings.Contains(msg, contains) {
		t.Fatalf("field %s message = %q, want it to contain %q (all: %v)", field, msg, contains, casework.FieldErrors(err))
	}
}

func TestApplicationRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		sys := casework.Actor{User: e.User(t, demo.SystemUsername)}
		for _, bsn := range []string{"123456789", "000000000", "12345678a", "1234"} {
			v := applicationValues(e)
			v.Set("bsn", bsn)
			_, err := e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, v)
			// The applicants themselves read no "elfproef".
			wantField(t, err, casework.CodeInvalid, "bsn", "Dit is geen geldig burgerservicenummer (BSN).")
		}
		v := applicationValues(e)
		v.Set("geboortedatum", casework.FormatDate(process.AddDays(e.Clock.Now(), -(26*365+10))))
		_, err := e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, v)
		wantField(t, err, casework.CodeInvalid, "geboortedatum", "26 jaar")

		v = applicationValues(e)
		v.Set("geboortedatum", "31-02-1980")
		v.Del("voornamen")
		_, err = e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, v)
		wantField(t, err, casework.CodeInvalid, "geboortedatum", "bestaande datum")
		wantField(t, err, casework.CodeInvalid, "voornamen", "Vul voornamen in")

		// A second open application for the same client is refused with a link.
		v = applicationValues(e)
		first, err := e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, v)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, v)
		wantField(t, err, casework.CodeConflict, "bsn", "Er loopt al een aanvraag")
		var ce *casework.Error
		if !asError(err, &ce) || ce.Link != "/klanten/"+strconv.FormatInt(first.ClientID, 10) {
			t.Errorf("conflict link = %v", err)
		}

		// A physical application is for the Ondersteuner Poortwachter only.
		_, err = e.Svc.SubmitApplication(ctx, e.Actor(process.RoleKMWerk), casework.ChannelPhysical, applicationValues(e))
		wantField(t, err, casework.CodeForbidden, "", "")
		c, err := e.Svc.SubmitApplication(ctx, e.Actor(process.RoleOndersteunerPoortwachter), casework.ChannelPhysical, applicationValues(e))
		if err != nil || c.Channel != casework.ChannelPhysical || c.Code != "0/L2" {
			t.Fatalf("physical application = %+v, %v", c, err)
		}
	})
}

func TestTaskConflictsAndRoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		task := e.WalkTo(t, app, "", process.StepIntakeGesprek)
		v := casetest.ValidValues(t, e, task)
		pieter, fatima := e.User(t, "pieter"), e.User(t, "fatima")

		// Outside the role: forbidden.
		_, err := e.Svc.CompleteTask(ctx, e.Actor(process.RoleKMWerk), task.ID, task.Version, v)
		wantField(t, err, casework.CodeForbidden, "", "")
		err = e.Svc.PickUp(ctx, e.Actor(process.RoleKMWerk), task.ID, task.Version)
		wantField(t, err, casework.CodeForbidden, "", "")
		err = e.Svc.Assign(ctx, casework.Actor{User: pieter}, task.ID, task.Version, fatima.ID)
		wantField(t, err, casework.CodeForbidden, "", "")

		// Pieter picks it up; Fatima's form, built before, is stale.
		if err := e.Svc.PickUp(ctx, casework.Actor{User: pieter}, task.ID, task.Version); err != nil {
			t.Fatal(err)
		}
		_, err = e.Svc.CompleteTask(ctx, casework.Actor{User: fatima}, task.ID, task.Version, v)
		wantField(t, err, casework.CodeConflict, "", "")
		if !strings.Contains(casework.ErrorMessage(err), "invoer is bewaard") {
			t.Errorf("stale message = %q", casework.ErrorMessage(err))
		}
		// With the fresh version she is told Pieter holds it.
		_, err = e.Svc.CompleteTask(ctx, casework.Actor{User: fatima}, task.ID, task.Version+1, v)
		if casework.ErrorCode(err) != casework.CodeConflict || !strings.Contains(casework.ErrorMessage(err), "Pieter Bakker") {
			t.Fatalf("held by colleague = %v", err)
		}
		// Team Ondersteuning reassigns to Fatima, who completes it.
		if err := e.Svc.Assign(ctx, e.Actor(process.RoleTeamleider), task.ID, task.Version+1, fatima.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Svc.CompleteTask(ctx, casework.Actor{User: fatima}, task.ID, task.Version+2, v); err != nil {
			t.Fatal(err)
		}
		// The same form posted twice: a conflict naming who completed it.
		_, err = e.Svc.CompleteTask(ctx, casework.Actor{User: fatima}, task.ID, task.Version+2, v)
		if casework.ErrorCode(err) != casework.CodeConflict || !strings.Contains(casework.ErrorMessage(err), "al afgerond door Fatima El Amrani") {
			t.Fatalf("posted twice = %v", err)
		}
		// Assigning to someone outside the team is refused.
		next := e.WalkTo(t, app, "", process.StepBeoordelingDoelgroep)
		err = e.Svc.Assign(ctx, e.Actor(process.RoleTeamleider), next.ID, next.Version, e.Users[process.RoleKMWerk].ID)
		wantField(t, err, casework.CodeInvalid, "medewerker", "rol")
	})
}

func TestDecisionAndAppointmentValidation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app, other := e.Apply(t), e.Apply(t)
		top := e.WalkTo(t, app, "", process.StepVerwerkingAanmelding)
		otherTop := e.WalkTo(t, other, "", process.StepVerwerkingAanmelding)
		tessa := casework.Actor{User: e.User(t, "tessa")}
		v := casetest.ValidValues(t, e, top)

		past := cloneValues(v)
		past.Set(process.FieldDate, casework.FormatDate(process.AddDays(e.Clock.Now(), -3)))
		_, err := e.Svc.CompleteTask(ctx, tessa, top.ID, top.Version, past)
		wantField(t, err, casework.CodeInvalid, process.FieldDate, "verleden")

		odd := cloneValues(v)
		odd.Set(process.FieldTime, "09:07")
		_, err = e.Svc.CompleteTask(ctx, tessa, top.ID, top.Version, odd)
		wantField(t, err, casework.CodeInvalid, process.FieldTime, "kwartier")

		late := cloneValues(v)
		late.Set(process.FieldDate, casework.FormatDate(nextWorkday(process.AddDays(e.Clock.Now(), 10))))
		late.Del(process.FieldLateReason)
		_, err = e.Svc.CompleteTask(ctx, tessa, top.ID, top.Version, late)
		wantField(t, err, casework.CodeInvalid, process.FieldLateReason, "termijn van 1 week")

		// Book the room through another client, then try the same room and time.
		if _, err := e.Svc.CompleteTask(ctx, tessa, otherTop.ID, otherTop.Version, v); err != nil {
			t.Fatalf("%v %v", err, casework.FieldErrors(err))
		}
		_, err = e.Svc.CompleteTask(ctx, tessa, top.ID, top.Version, v)
		wantField(t, err, casework.CodeConflict, process.FieldRoom, "al (deels) geboekt")
		if f := e.File(t, app.ClientID); f.Participation != nil || len(f.Appointments) != 0 {
			t.Fatalf("a refused booking left a case or appointment behind")
		}

		// Decision without outcome.
		app2 := e.Apply(t)
		besluit := e.WalkChoice(t, app2, demo.Choice{Hold: map[process.StepKey]bool{process.StepVerwerkingAanmelding: true}}, process.StepBesluit)
		dv := casetest.ValidValues(t, e, besluit)
		dv.Del("besluit")
		_, err = e.Svc.CompleteTask(ctx, casework.Actor{User: e.User(t, "pieter")}, besluit.ID, besluit.Version, dv)
		if casework.ErrorCode(err) == casework.CodeConflict {
			_, err = e.Svc.CompleteTask(ctx, casework.Actor{User: e.User(t, "fatima")}, besluit.ID, besluit.Version, dv)
		}
		wantField(t, err, casework.CodeInvalid, "besluit", "Kies besluit")
	})
}

func TestRouteRefusedJoinAndBaanbrekend(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		// The decision comes before the intake KM Werkdiagnose is finished.
		c := demo.Choice{Decision: process.OutcomeGeenToekenning, Hold: map[process.StepKey]bool{process.StepIntakeWerkdiagnose: true}}
		intake := e.WalkChoice(t, app, c, process.StepIntakeWerkdiagnose)
		besluit := e.WalkChoice(t, app, c, process.StepBesluit)
		if err := e.Walker.Complete(ctx, casework.TaskView{Task: besluit}, c); err != nil {
			t.Fatal(err)
		}
		f := e.File(t, app.ClientID)
		for _, tk := range f.Tasks {
			if tk.Step == process.StepNugOfAfsluiten {
				t.Fatalf("nug_of_afsluiten created before the intake was finished")
			}
		}
		if f.Application.DecisionOutcome != process.OutcomeGeenToekenning {
			t.Fatalf("decision = %q", f.Application.DecisionOutcome)
		}
		// Finishing the intake releases the join: E-mail KM and the task for the dossier owner.
		c.Hold = nil
		nug := e.WalkChoice(t, app, c, process.StepNugOfAfsluiten)
		if nug.HolderID != f.Participation.DossierOwner || intake.HolderID != f.Participation.DossierOwner {
			t.Errorf("nug task holder %d, dossier owner %d", nug.HolderID, f.Participation.DossierOwner)
		}
		e.WalkChoice(t, app, c, "")
		f = e.File(t, app.ClientID)
		if f.Participation.Status != process.StatusAfgesloten {
			t.Fatalf("participation status %s", f.Participation.Status)
		}
		var kmMail bool
		for _, m := range f.Messages {
			kmMail = kmMail || m.Kind == "E-mail KM"
		}
		if !kmMail {
			t.Error("no E-mail KM in the outbox")
		}
		var baanbrekend *casework.Trajectory
		for i, tr := range f.Trajectories {
			if tr.Provider == "baanbrekend" {
				baanbrekend = &f.Trajectories[i]
			}
		}
		if baanbrekend == nil || baanbrekend.Status != casework.TrajectoryRunning || !baanbrekend.MayFinish {
			t.Fatalf("Baanbrekend trajectory after closing = %+v", baanbrekend)
		}
		km := casework.Actor{User: e.User(t, "koen")}
		if err := e.Svc.FinishTrajectory(ctx, km, f.Participation.ID, baanbrekend.ID, "Afgerond met certificaat."); err != nil {
			t.Fatalf("finishing Baanbrekend after closing: %v", err)
		}
		// Other work on the closed dossier is refused.
		err := e.Svc.AddTrajectory(ctx, km, f.Participation.ID, casework.Values{"titel": {"x"}, "start": {"01-03-2027"}})
		wantField(t, err, casework.CodeConflict, "", "")
	})
}

func TestRouteNUG(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkChoice(t, app, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG}, "")
		f := e.File(t, app.ClientID)
		if f.Participation.Status != process.StatusNUG || !f.Participation.Open() {
			t.Fatalf("participation = %s open=%v", f.Participation.Status, f.Participation.Open())
		}
	})
}

func TestDecisionFirstRoutes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		for _, tc := range []struct{ group, team string }{{"arbeidsbeperkt", process.TeamAG}, {"inrichting", process.TeamWerk}} {
			app := e.Apply(t)
			task := e.WalkTo(t, app, tc.group, process.StepVerwerkingTeam)
			if task.Team != tc.team {
				t.Errorf("%s: verwerking for team %s, want %s", tc.group, task.Team, tc.team)
			}
			f := e.File(t, app.ClientID)
			if f.Participation != nil {
				t.Errorf("%s: participation opened before the decision", tc.group)
			}
			for _, tk := range f.Tasks {
				if tk.Step == process.StepVerwerkingAanmelding || tk.Step == process.StepIntakeWerkdiagnose {
					t.Errorf("%s: work diagnosis step %s on the decision-first route", tc.group, tk.Step)
				}
			}
			e.WalkTo(t, app, tc.group, "")
			f = e.File(t, app.ClientID)
			if f.Participation == nil || f.Participation.Status != process.StatusBegeleiding {
				t.Fatalf("%s: participation = %+v", tc.group, f.Participation)
			}
			owner, _ := e.Svc.UserByID(ctx, f.Participation.DossierOwner)
			team, _ := e.Svc.Definition().Policy.Team(tc.team)
			if !owner.Roles.Has(team.Role) {
				t.Errorf("%s: dossier owner %s lacks role %s", tc.group, owner.Name, team.Role)
			}
			label := map[string]string{"arbeidsbeperkt": "E-mail AG", "inrichting": "E-mail KM"}[tc.group]
			found := false
			for _, m := range f.Messages {
				if m.Kind == label {
					found = true
					if m.To != team.Mailbox {
						t.Errorf("%s sent to %s, want %s", label, m.To, team.Mailbox)
					}
				}
			}
			if !found {
				t.Errorf("%s: no %s", tc.group, label)
			}
		}
		// Refused on the decision-first route: nothing follows.
		app := e.Apply(t)
		e.WalkChoice(t, app, demo.Choice{TargetGroup: "arbeidsbeperkt", Decision: process.OutcomeGeenToekenning}, "")
		f := e.File(t, app.ClientID)
		if f.Participation != nil || len(f.OpenTasks()) != 0 {
			t.Fatalf("refused decision-first: participation=%v open=%d", f.Participation, len(f.OpenTasks()))
		}
	})
}

func TestPlanConflictKeepsVersions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		task := e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
		koen, lisa := casework.Actor{User: e.User(t, "koen")}, casework.Actor{User: e.User(t, "lisa")}
		if err := e.Walker.SignPlan(ctx, koen, task.CaseID); err != nil {
			t.Fatal(err)
		}
		f := e.File(t, app.ClientID)
		// The dossier's klantmanager works on it; a colleague of the same
		// team sees it but may not change it (least privilege).
		owner, colleague := koen, lisa
		if f.Participation.DossierOwner == lisa.User.ID {
			owner, colleague = lisa, koen
		}
		v := casework.Values{"situatie": {"<script>alert(1)</script>"}, "ladder_nu": {"2"}, "ladder_doel": {"4"}, "segment": {"Werk"},
			"doelen": {"d"}, "verplichtingen": {"v"}, "gevolgen": {"g"}, "evaluatie_datum": {casework.FormatDate(process.AddDays(e.Clock.Now(), 30))}}
		_, err := e.Svc.SavePlan(ctx, colleague, task.CaseID, f.Plan.Version, v)
		if casework.ErrorCode(err) != casework.CodeForbidden || !strings.Contains(casework.ErrorMessage(err), "klantmanager van dit participatiedossier") {
			t.Fatalf("a colleague's plan edit = %v", err)
		}
		// The owner in two windows: the second save from the same version
		// is a conflict naming who saved.
		if _, err := e.Svc.SavePlan(ctx, owner, task.CaseID, f.Plan.Version, v); err != nil {
			t.Fatal(err)
		}
		_, err = e.Svc.SavePlan(ctx, owner, task.CaseID, f.Plan.Version, v)
		if casework.ErrorCode(err) != casework.CodeConflict || !strings.Contains(casework.ErrorMessage(err), owner.User.Name) {
			t.Fatalf("concurrent plan edit = %v", err)
		}
		f = e.File(t, app.ClientID)
		if len(f.PlanVersions) != 2 || f.Plan.Situation != "<script>alert(1)</script>" || f.Plan.Version != 2 {
			t.Fatalf("plan versions = %d, latest %+v", len(f.PlanVersions), f.Plan)
		}
		v.Set("ladder_doel", "1")
		_, err = e.Svc.SavePlan(ctx, owner, task.CaseID, 2, v)
		wantField(t, err, casework.CodeInvalid, "ladder_doel", "niet lager")
	})
}

func TestRunningCaseKeepsItsDefinition(t *testing.T) {
	e := casetest.New(t, "sqlite")
	app := e.Apply(t)
	// The municipality changes the intake term to 10 days; the running case keeps 7.
	p := process.DefaultPolicy()
	p.IntakeTermDays = 10
	def2, err := process.NewDefinition(p)
	if err != nil {
		t.Fatal(err)
	}
	svc2, err := casework.NewService(ctx, casework.Deps{Store: e.DB, Clock: e.Clock, Invitations: ics.Invitations{}, Letters: letters.MustNew(), Log: slog.New(slog.DiscardHandler)}, def2, casework.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	e.Walker.Svc = svc2
	task := e.WalkTo(t, app, "", process.StepVerwerkingAanmelding)
	if got := process.DaysBetween(task.CreatedAt, task.DueOn); got != 7 {
		t.Fatalf("running case intake term = %d days, want the 7 it started with", got)
	}
	app2 := e.Apply(t)
	task2 := e.WalkTo(t, app2, "", process.StepVerwerkingAanmelding)
	if got := process.DaysBetween(task2.CreatedAt, task2.DueOn); got != 10 {
		t.Fatalf("new case intake term = %d days, want 10", got)
	}
}

func cloneValues(v casework.Values) casework.Values {
	out := casework.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func nextWorkday(d time.Time) time.Time {
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = process.AddDays(d, 1)
	}
	return d
}

func TestOutboxShowsAdministratorsNoClientData(t *testing.T) {
	e := casetest.New(t, "sqlite")
	app := e.Apply(t)
	e.WalkTo(t, app, "", process.StepUitnodigenKennismaking)
	f := e.File(t, app.ClientID)
	if f.Participation.Status != process.StatusAangemeld {
		t.Errorf("after the assignment the 17/PA is %q, want aangemeld until guidance starts", f.Participation.Status)
	}
	admin, err := e.Svc.Outbox(ctx, e.Actor(process.RoleBeheerder), casework.MessageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	lead, err := e.Svc.Outbox(ctx, e.Actor(process.RoleTeamleider), casework.MessageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(admin) == 0 || len(admin) != len(lead) {
		t.Fatalf("messages: admin %d, lead %d", len(admin), len(lead))
	}
	for i, m := range admin {
		if m.To == f.Client.Email || m.Body != "" {
			t.Errorf("administrator sees %q / body %d bytes", m.To, len(m.Body))
		}
		if m.Kind == "E-mail TOP" && m.To != lead[i].To {
			t.Errorf("team mailbox masked: %q", m.To)
		}
		if m.Kind == "Uitnodiging klant" && lead[i].To != f.Client.Email {
			t.Errorf("team lead sees %q, want the client's address", lead[i].To)
		}
	}
}

func TestDiagramFollowsTheClientsRoute(t *testing.T) {
	e := casetest.New(t, "sqlite")
	keys := func(f casework.ClientFile) []process.StepKey {
		var out []process.StepKey
		for _, s := range f.Steps {
			out = append(out, s.Step.Key)
		}
		return out
	}
	app := e.Apply(t)
	e.WalkChoice(t, app, demo.Choice{TargetGroup: "arbeidsbeperkt", Decision: process.OutcomeGeenToekenning}, "")
	want := []process.StepKey{process.StepIntakeGesprek, process.StepBeoordelingDoelgroep, process.StepRapportage, process.StepBesluit}
	if got := keys(e.File(t, app.ClientID)); !slices.Equal(got, want) {
		t.Errorf("refused arbeidsbeperkt: %v, want %v", got, want)
	}
	app = e.Apply(t)
	e.WalkTo(t, app, "arbeidsbeperkt", "")
	f := e.File(t, app.ClientID)
	want = []process.StepKey{process.StepIntakeGesprek, process.StepBeoordelingDoelgroep, process.StepRapportage, process.StepBesluit,
		process.StepAanmeldingParticipatie, process.StepVerwerkingTeam, process.StepUitnodigenKennismaking, process.StepStartBegeleiding}
	if got := keys(f); !slices.Equal(got, want) {
		t.Errorf("granted arbeidsbeperkt: %v, want %v", got, want)
	}
	for _, s := range f.Steps {
		if s.State != "done" {
			t.Errorf("step %s is %s after the walk", s.Step.Key, s.State)
		}
	}
}
