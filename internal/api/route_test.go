package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// issue issues a token for the user over the API, as the beheerder.
func (s *server) issue(t *testing.T, u casework.User) string {
	t.Helper()
	var it api.IssuedToken
	s.call(t, s.admin, "POST", "/api/sleutels", obj{"gebruiker": u.ID, "naam": "route " + u.Username}).want(t, http.StatusCreated, &it)
	if !strings.HasPrefix(it.Secret, "wdt_") || it.Token.User.ID != u.ID || it.Token.RevokedAt != "" {
		t.Fatalf("issued token = %+v", it)
	}
	return it.Secret
}

// findTask returns the task of the step for the client on a worklist.
func findTask(t *testing.T, w api.Worklist, clientID int64, step process.StepKey) api.Task {
	t.Helper()
	for _, tk := range w.Tasks {
		if tk.Client.ID == clientID && tk.Step.Key == string(step) {
			return tk
		}
	}
	t.Fatalf("no task %s for client %d on the worklist (%d tasks)", step, clientID, len(w.Tasks))
	return api.Task{}
}

// testRouteRegulier walks route 1 (Regulier, toekenning) entirely over the
// API, each step with the token of a user in the step's role.
func testRouteRegulier(t *testing.T, s *server) {
	env := s.env
	today := process.Date(env.Clock.Now())
	day := func(n int) string { return process.AddDays(today, n).Format("2006-01-02") }

	eform := s.issue(t, env.User(t, demo.SystemUsername))
	poortwachter := env.Users[process.RolePoortwachter]
	pieter := s.issue(t, poortwachter)
	tessa := s.issue(t, env.Users[process.RoleTeamOndersteuning])
	kmwd := env.Users[process.RoleKMWerkdiagnose]
	koen := s.issue(t, kmwd)
	kmWerk := env.Users[process.RoleKMWerk]
	wouter := s.issue(t, kmWerk)
	thomas := s.issue(t, env.Users[process.RoleTeamleider])

	// The e-form system sends the digital application.
	person := s.person()
	var app api.Application
	s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": person}).want(t, http.StatusCreated, &app)
	if app.Channel != casework.ChannelDigital || app.Code != "0/L2" || app.ClientID == 0 || app.Status != process.StatusInBehandeling {
		t.Fatalf("application = %+v", app)
	}
	if app.DecisionDue != day(56) || app.AppliedOn != day(0) {
		t.Errorf("applied %s, decision due %s; want %s and %s", app.AppliedOn, app.DecisionDue, day(0), day(56))
	}
	client := app.ClientID

	// Intake: the team lead sees it on the Poort's worklist; the
	// poortwachter picks it up and releases it; the lead assigns it.
	var w api.Worklist
	s.call(t, thomas, "GET", "/api/werkvoorraad?team=poort&sort=since&desc=true", nil).want(t, http.StatusOK, &w)
	intake := findTask(t, w, client, process.StepIntakeGesprek)
	if intake.Holder != nil || intake.Due != app.DecisionDue || intake.Deadline != string(process.DeadlineOnTime) || intake.DaysLeft == nil || *intake.DaysLeft != 56 {
		t.Errorf("intake on worklist = %+v", intake)
	}
	if intake.Client.Name != fmt.Sprintf("%s %s", person["voornamen"], person["achternaam"]) || intake.Team.Key != process.TeamPoort {
		t.Errorf("intake names client %q team %q", intake.Client.Name, intake.Team.Key)
	}
	s.call(t, pieter, "GET", "/api/werkvoorraad?team=poort&houder=niemand&termijn=bijna", nil).want(t, http.StatusOK, &w)
	for _, tk := range w.Tasks {
		if tk.ID == intake.ID {
			t.Errorf("intake due in 56 days is listed as almost due")
		}
	}
	var task api.Task
	s.call(t, pieter, "POST", "/api/taken/{id}/oppakken", obj{"versie": intake.Version}, intake.ID).want(t, http.StatusOK, &task)
	if task.Holder == nil || task.Holder.ID != poortwachter.ID {
		t.Fatalf("after pick-up holder = %+v", task.Holder)
	}
	s.call(t, pieter, "GET", "/api/werkvoorraad?mijn=true", nil).want(t, http.StatusOK, &w)
	findTask(t, w, client, process.StepIntakeGesprek)
	if w.CountMine < 1 {
		t.Errorf("aantal_mijn = %d", w.CountMine)
	}
	s.call(t, pieter, "POST", "/api/taken/{id}/vrijgeven", obj{"versie": task.Version}, intake.ID).want(t, http.StatusOK, &task)
	if task.Holder != nil {
		t.Fatalf("after release holder = %+v", task.Holder)
	}
	s.call(t, thomas, "POST", "/api/taken/{id}/toewijzen", obj{"versie": task.Version, "medewerker": poortwachter.ID}, intake.ID).want(t, http.StatusOK, &task)
	if task.Holder == nil || task.Holder.ID != poortwachter.ID {
		t.Fatalf("after assignment holder = %+v", task.Holder)
	}

	var detail api.TaskDetail
	s.call(t, pieter, "GET", "/api/taken/{id}", nil, intake.ID).want(t, http.StatusOK, &detail)
	names := make([]string, 0, len(detail.Fields))
	for _, f := range detail.Fields {
		names = append(names, f.Name)
	}
	if !detail.MayWork || !slices.Equal(names, []string{"gesprek_datum", "rechtmatigheid", "doelmatigheid", "bijzonderheden"}) {
		t.Errorf("task detail: may work %v, fields %v", detail.MayWork, names)
	}

	c := s.complete(t, pieter, task, obj{"gesprek_datum": day(0),
		"rechtmatigheid": "Geen inkomen, geen vermogen, alleenstaand, huurwoning.",
		"doelmatigheid":  "Wil werken in de logistiek; heeft hulp nodig bij solliciteren."})
	c = s.complete(t, pieter, openTask(t, c, process.StepBeoordelingDoelgroep), obj{"doelgroep": "regulier"})
	c = s.complete(t, pieter, openTask(t, c, process.StepAanmeldingParticipatie), obj{"toelichting": "Gemotiveerd; bereikbaar na 10 uur."})
	verwerking := openTask(t, c, process.StepVerwerkingAanmelding)
	rapportage := openTask(t, c, process.StepRapportage)
	if verwerking.Team.Key != process.TeamOndersteuning || verwerking.Holder != nil || verwerking.Due != day(7) {
		t.Errorf("verwerking aanmelding = %+v", verwerking)
	}

	// Team Ondersteuning plans the intake with the KM Werkdiagnose.
	s.call(t, tessa, "GET", "/api/werkvoorraad?team=top", nil).want(t, http.StatusOK, &w)
	findTask(t, w, client, process.StepVerwerkingAanmelding)
	s.call(t, tessa, "GET", "/api/taken/{id}", nil, verwerking.ID).want(t, http.StatusOK, &detail)
	kmOption := false
	for _, f := range detail.Fields {
		if f.Name == process.FieldKM {
			for _, o := range f.Options {
				kmOption = kmOption || o.Value == fmt.Sprint(kmwd.ID)
			}
		}
	}
	if !kmOption || len(detail.Assignees) == 0 {
		t.Errorf("verwerking offers klantmanager %d: %v; assignees %d", kmwd.ID, kmOption, len(detail.Assignees))
	}
	s.call(t, tessa, "POST", "/api/taken/{id}/oppakken", obj{"versie": verwerking.Version}, verwerking.ID).want(t, http.StatusOK, &task)
	c = s.complete(t, tessa, task, obj{"datum": day(1), "tijd": "10:00", "duur": "45", "spreekkamer": "sk1",
		process.FieldKM: fmt.Sprint(kmwd.ID)})
	intakeWD := openTask(t, c, process.StepIntakeWerkdiagnose)
	if intakeWD.Holder == nil || intakeWD.Holder.ID != kmwd.ID || intakeWD.CaseCode != "17/PA" {
		t.Fatalf("intake werkdiagnose = %+v", intakeWD)
	}

	// The KM Werkdiagnose records the plan with the client's signature.
	f := s.file(t, koen, client)
	if f.Participation == nil || f.Participation.ID != intakeWD.CaseID || f.Participation.Owner == nil || f.Participation.Owner.ID != kmwd.ID {
		t.Fatalf("participation = %+v", f.Participation)
	}
	pid := f.Participation.ID
	planVelden := obj{
		"situatie":               "Lange tijd mantelzorger geweest; ervaring in de logistiek.",
		"ladder_nu":              "3",
		"ladder_doel":            "5",
		"segment":                "Werk",
		"doelen":                 "Binnen zes maanden betaald werk.",
		"verplichtingen":         "Solliciteren en afspraken nakomen.",
		"gevolgen":               "Een maatregel kan volgen.",
		"traject_aanbieder_1":    "hallo_werk",
		"traject_doel_1":         "Matching op vacatures",
		"traject_activiteiten_1": "Profiel aanmaken\nTwee sollicitaties per week",
		"evaluatie_datum":        day(90),
		"ondertekend_op":         day(0),
	}
	var plan api.Plan
	s.call(t, koen, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 0, "velden": planVelden}, pid).want(t, http.StatusCreated, &plan)
	if plan.Version != 1 || plan.SignedOn != day(0) || len(plan.Trajectories) != 1 || plan.Segment != "Werk" {
		t.Errorf("plan = %+v", plan)
	}
	// The intake is done at its appointment: it can be completed from its start.
	at := func(n int, clock string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", day(n)+" "+clock, process.Amsterdam)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	env.Clock.Set(at(1, "10:05"))
	s.complete(t, koen, intakeWD, obj{"gesprek_gevoerd": "ja", "plan_meegegeven": "ja"})

	// The Poort reports and decides: toekenning.
	c = s.complete(t, pieter, rapportage, obj{"rapportage": "Aanvraag volledig; recht vastgesteld."})
	c = s.complete(t, pieter, openTask(t, c, process.StepBesluit), obj{"besluit": "toekenning", "besluit_datum": day(0)})
	verdelen := openTask(t, c, process.StepVerdelenKMWerk)

	// Team Ondersteuning hands the dossier to a KM Werk.
	c = s.complete(t, tessa, verdelen, obj{process.FieldKM: fmt.Sprint(kmWerk.ID), "toelichting": "Past bij de caseload."})
	uitnodigen := openTask(t, c, process.StepUitnodigenKennismaking)
	if uitnodigen.Holder == nil || uitnodigen.Holder.ID != kmWerk.ID {
		t.Fatalf("uitnodigen = %+v", uitnodigen)
	}

	// The KM Werk invites the client and starts guidance.
	c = s.complete(t, wouter, uitnodigen, obj{"datum": day(2), "tijd": "11:00", "duur": "45", "spreekkamer": "sk2"})
	start := openTask(t, c, process.StepStartBegeleiding)
	env.Clock.Set(at(2, "11:05"))
	s.call(t, wouter, "GET", "/api/taken/{id}", nil, start.ID).want(t, http.StatusOK, &detail)
	for _, fl := range detail.Fields {
		if fl.Name == "trajecten" && (!fl.Multiple || len(fl.Options) != 1) {
			t.Errorf("trajecten field = %+v, want one planned trajectory to choose", fl)
		}
	}
	c = s.complete(t, wouter, start, obj{"plan_gelezen": "ja", "kennismaking_gevoerd": "ja", "trajecten": []string{"1"},
		"dossier_aanvulling": "Kennismaking verlopen; aangemeld voor het traject.", "vervolg_datum": day(9), "vervolg_tijd": "14:00",
		"vervolg_spreekkamer": "sk3"})
	if len(c.Open) != 0 {
		t.Errorf("open tasks after start begeleiding: %+v", c.Open)
	}

	// The file shows the decided application and the guidance.
	f = s.file(t, wouter, client)
	if f.Application.Status != process.StatusBesloten || f.Application.DecisionOutcome != process.OutcomeToekenning || f.Application.DecisionOn != day(0) {
		t.Errorf("application = %+v", f.Application)
	}
	if f.Participation == nil || f.Participation.Status != process.StatusBegeleiding || f.Participation.Owner == nil || f.Participation.Owner.ID != kmWerk.ID {
		t.Errorf("participation = %+v", f.Participation)
	}
	if f.Client.MaskedBSN != casework.MaskBSN(person["bsn"].(string)) || len(f.Trajectories) != 1 || len(f.Appointments) != 3 || f.Plan == nil {
		t.Errorf("file: bsn %q, %d trajectories, %d appointments, plan %v", f.Client.MaskedBSN, len(f.Trajectories), len(f.Appointments), f.Plan != nil)
	}
	for _, tk := range f.Tasks {
		if tk.Status != casework.TaskDone {
			t.Errorf("task %s is %s", tk.Step.Key, tk.Status)
		}
	}

	// The outbox holds the hand-over mails and the invitations.
	var out api.Outbox
	s.call(t, thomas, "GET", "/api/uitgaand", nil).want(t, http.StatusOK, &out)
	kinds := map[string]int{}
	for _, m := range out.Messages {
		if m.ClientID == client {
			kinds[m.Kind]++
		}
	}
	if kinds["E-mail TOP"] != 2 || kinds["Uitnodiging klant"] != 3 {
		t.Errorf("outbox kinds for the client = %v, want 2 E-mail TOP and 3 Uitnodiging klant", kinds)
	}
	s.call(t, thomas, "GET", "/api/uitgaand?status=wachtend&limiet=5", nil).want(t, http.StatusOK, &out)
	if len(out.Messages) == 0 || len(out.Messages) > 5 {
		t.Errorf("waiting messages = %d", len(out.Messages))
	}

	// The client is found by name, with the BSN masked.
	var found api.ClientList
	s.call(t, koen, "GET", "/api/klanten?zoek="+url.QueryEscape(person["achternaam"].(string)), nil).want(t, http.StatusOK, &found)
	if !slices.ContainsFunc(found.Clients, func(c api.ClientSummary) bool { return c.ID == client && strings.HasPrefix(c.MaskedBSN, "******") }) {
		t.Errorf("search found %+v", found.Clients)
	}
}
