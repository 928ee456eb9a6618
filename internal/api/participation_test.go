package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// userByID returns the test user with the id.
func (s *server) userByID(t *testing.T, id int64) casework.User {
	t.Helper()
	for _, u := range s.env.All {
		if u.ID == id {
			return u
		}
	}
	t.Fatalf("no user %d", id)
	return casework.User{}
}

// nextWorkday returns the first weekday after today as jjjj-mm-dd.
func nextWorkday(now time.Time) string {
	d := process.AddDays(now, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = process.AddDays(d, 1)
	}
	return d.Format("2006-01-02")
}

// testParticipation works a participatiedossier over the API: plan
// versions, registrations, trajectories and appointments; and the
// suspension of a decision term.
func testParticipation(t *testing.T, s *server) {
	env := s.env
	app := env.Apply(t)
	s.secrets = append(s.secrets, env.File(t, app.ClientID).Client.BSN)
	intake := env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	km := s.token(t, s.userByID(t, intake.HolderID))
	pieter := s.token(t, env.Users[process.RolePoortwachter])
	thomas := s.token(t, env.Users[process.RoleTeamleider])
	pid := intake.CaseID
	today := process.Date(env.Clock.Now()).Format("2006-01-02")

	t.Run("plan", func(t *testing.T) {
		velden := obj{"situatie": "Zoekt werk na een periode van zorg.", "ladder_nu": "2", "ladder_doel": "4", "segment": "Re-integratie",
			"doelen": "Vrijwilligerswerk als opstap.", "verplichtingen": "Meewerken aan het traject.", "gevolgen": "Een maatregel kan volgen.",
			"evaluatie_datum": process.AddDays(env.Clock.Now(), 60).Format("2006-01-02")}
		s.call(t, pieter, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 0, "velden": velden}, pid).problem(t, http.StatusForbidden)
		var plan api.Plan
		s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 0, "velden": velden}, pid).want(t, http.StatusCreated, &plan)
		if plan.Version != 1 || plan.SignedOn != "" || plan.LadderTarget != 4 {
			t.Errorf("plan = %+v", plan)
		}
		p := s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 0, "velden": velden}, pid).problem(t, http.StatusConflict)
		if !strings.Contains(p.Detail, "versie 1") {
			t.Errorf("stale plan detail = %q", p.Detail)
		}
		bad := obj{}
		for k, v := range velden {
			bad[k] = v
		}
		delete(bad, "situatie")
		bad["ladder_doel"] = "1"
		p = s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 1, "velden": bad}, pid).problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.situatie") != "Vul situatie van de klant in." || fieldMessage(p, "body.velden.ladder_doel") == "" {
			t.Errorf("plan errors = %+v", p.Errors)
		}
		velden["ondertekend_op"] = today
		s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 1, "velden": velden}, pid).want(t, http.StatusCreated, &plan)
		if plan.Version != 2 || plan.SignedOn != today {
			t.Errorf("signed plan = %+v", plan)
		}
		s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 0, "velden": velden}, 999999).problem(t, http.StatusNotFound)
	})

	t.Run("registrations", func(t *testing.T) {
		reg := obj{"aanbieder": "hallo_werk", "status": "aangemeld", "datum": today, "notitie": "Klantnummer 249566758"}
		p := s.call(t, km, "POST", "/api/dossiers/{id}/aanmeldingen", obj{"velden": reg}, pid).problem(t, http.StatusUnprocessableEntity)
		if !strings.Contains(fieldMessage(p, "body.velden.notitie"), "Zet geen BSN") {
			t.Errorf("registration with a BSN: %+v", p.Errors)
		}
		reg["notitie"] = "Voorkeur voor ochtendwerk."
		var conf api.Confirmation
		s.call(t, km, "POST", "/api/dossiers/{id}/aanmeldingen", obj{"velden": reg}, pid).want(t, http.StatusCreated, &conf)
		f := s.file(t, km, app.ClientID)
		if len(f.Registrations) != 1 {
			t.Fatalf("registrations = %+v", f.Registrations)
		}
		r := f.Registrations[0]
		path := "/api/dossiers/{id}/aanmeldingen/{rid}/status"
		s.call(t, km, "POST", path, obj{"versie": r.Version, "status": "geaccepteerd"}, pid, r.ID).want(t, http.StatusOK, &conf)
		s.call(t, km, "POST", path, obj{"versie": r.Version, "status": "gestart"}, pid, r.ID).problem(t, http.StatusConflict)
		p = s.call(t, km, "POST", path, obj{"versie": r.Version + 1, "status": "misschien"}, pid, r.ID).problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.status") != "Kies een geldige status." {
			t.Errorf("status errors = %+v", p.Errors)
		}
		s.call(t, km, "POST", path, obj{"versie": 1, "status": "gestart"}, pid, 999999).problem(t, http.StatusNotFound)
		if f = s.file(t, km, app.ClientID); f.Registrations[0].Status != "geaccepteerd" {
			t.Errorf("registration status = %s", f.Registrations[0].Status)
		}
	})

	t.Run("trajectories", func(t *testing.T) {
		var conf api.Confirmation
		s.call(t, km, "POST", "/api/dossiers/{id}/trajecten", obj{"velden": obj{"aanbieder": "baanbrekend", "titel": "Werkervaringsplaats",
			"start": today, "activiteiten": "Kennismaking werkgever\nEerste werkdag"}}, pid).want(t, http.StatusCreated, &conf)
		p := s.call(t, km, "POST", "/api/dossiers/{id}/trajecten", obj{"velden": obj{"start": "gisteren"}}, pid).problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.titel") == "" || fieldMessage(p, "body.velden.start") == "" {
			t.Errorf("trajectory errors = %+v", p.Errors)
		}
		f := s.file(t, km, app.ClientID)
		var tr api.Trajectory
		for _, x := range f.Trajectories {
			if x.Title == "Werkervaringsplaats" {
				tr = x
			}
		}
		if tr.ID == 0 || len(tr.Activities) != 2 || tr.Status != casework.TrajectoryRunning {
			t.Fatalf("trajectory = %+v", tr)
		}
		path := "/api/dossiers/{id}/trajecten/{tid}/afronden"
		p = s.call(t, km, "POST", path, obj{"resultaat": " "}, pid, tr.ID).problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.resultaat") == "" {
			t.Errorf("result errors = %+v", p.Errors)
		}
		s.call(t, km, "POST", path, obj{"resultaat": "Werkervaring opgedaan."}, pid, tr.ID).want(t, http.StatusOK, &conf)
		s.call(t, km, "POST", path, obj{"resultaat": "Nog eens."}, pid, tr.ID).problem(t, http.StatusConflict)
		s.call(t, km, "POST", path, obj{"resultaat": "Onbekend."}, pid, 999999).problem(t, http.StatusNotFound)
		s.call(t, pieter, "POST", path, obj{"resultaat": "Niet mijn rol."}, pid, tr.ID).problem(t, http.StatusForbidden)
	})

	t.Run("appointments", func(t *testing.T) {
		slot := obj{"datum": nextWorkday(env.Clock.Now()), "tijd": "15:00", "duur": "30", "spreekkamer": "sk3"}
		var conf api.Confirmation
		s.call(t, km, "POST", "/api/dossiers/{id}/afspraken", obj{"velden": slot}, pid).want(t, http.StatusCreated, &conf)
		p := s.call(t, km, "POST", "/api/dossiers/{id}/afspraken", obj{"velden": slot}, pid).problem(t, http.StatusConflict)
		if fieldMessage(p, "body.velden.spreekkamer") == "" {
			t.Errorf("double booking errors = %+v", p.Errors)
		}
		p = s.call(t, km, "POST", "/api/dossiers/{id}/afspraken", obj{"velden": obj{"datum": "2020-01-06", "tijd": "07:10", "duur": "30", "spreekkamer": "sk3"}}, pid).
			problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.datum") == "" || fieldMessage(p, "body.velden.tijd") == "" {
			t.Errorf("appointment errors = %+v", p.Errors)
		}
		f := s.file(t, km, app.ClientID)
		var ap api.Appointment
		for _, a := range f.Appointments {
			if a.Kind == process.AppointmentVervolg {
				ap = a
			}
		}
		if ap.ID == 0 || ap.Room != "sk3" || ap.Cancelled {
			t.Fatalf("follow-up appointment = %+v", ap)
		}
		if ap.Sequence != 0 {
			t.Errorf("a new appointment has volgnummer %d", ap.Sequence)
		}

		// Move it: the old room is freed, a stale volgnummer is a conflict.
		move := "/api/afspraken/{id}/verplaatsen"
		later := obj{"datum": slot["datum"], "tijd": "16:00", "duur": "45", "spreekkamer": "sk2"}
		s.call(t, pieter, "POST", move, obj{"volgnummer": 0, "velden": later}, ap.ID).problem(t, http.StatusForbidden)
		s.call(t, km, "POST", move, obj{"volgnummer": 0, "velden": later}, 999999).problem(t, http.StatusNotFound)
		p = s.call(t, km, "POST", move, obj{"volgnummer": 0, "velden": obj{"datum": "2020-01-06", "tijd": "07:10", "duur": "45", "spreekkamer": "sk2"}}, ap.ID).
			problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.datum") == "" || fieldMessage(p, "body.velden.tijd") == "" {
			t.Errorf("move errors = %+v", p.Errors)
		}
		s.call(t, km, "POST", move, obj{"volgnummer": 0, "velden": later}, ap.ID).want(t, http.StatusOK, &conf)
		p = s.call(t, km, "POST", move, obj{"volgnummer": 0, "velden": later}, ap.ID).problem(t, http.StatusConflict)
		if !strings.Contains(p.Detail, "intussen gewijzigd") {
			t.Errorf("stale move detail = %q", p.Detail)
		}
		for _, a := range s.file(t, km, app.ClientID).Appointments {
			if a.ID == ap.ID {
				ap = a
			}
		}
		if ap.Sequence != 1 || ap.Room != "sk2" || !strings.Contains(ap.StartAt, "T16:00:00") {
			t.Errorf("moved appointment = %+v", ap)
		}
		// The old slot is free again; then moving back into it is a conflict at the room.
		s.call(t, km, "POST", "/api/dossiers/{id}/afspraken", obj{"velden": slot}, pid).want(t, http.StatusCreated, &conf)
		p = s.call(t, km, "POST", move, obj{"volgnummer": 1, "velden": slot}, ap.ID).problem(t, http.StatusConflict)
		if fieldMessage(p, "body.velden.spreekkamer") == "" && fieldMessage(p, "body.velden.klantmanager") == "" {
			t.Errorf("move into a taken slot: %+v", p.Errors)
		}

		s.call(t, pieter, "POST", "/api/afspraken/{id}/annuleren", nil, ap.ID).problem(t, http.StatusForbidden)
		s.call(t, km, "POST", "/api/afspraken/{id}/annuleren", nil, ap.ID).want(t, http.StatusOK, &conf)
		s.call(t, km, "POST", "/api/afspraken/{id}/annuleren", nil, ap.ID).problem(t, http.StatusConflict)
		s.call(t, km, "POST", "/api/afspraken/{id}/annuleren", nil, 999999).problem(t, http.StatusNotFound)
		// The freed room can be booked again.
		s.call(t, km, "POST", "/api/dossiers/{id}/afspraken", obj{"velden": later}, pid).want(t, http.StatusCreated, &conf)
	})

	t.Run("suspensions", func(t *testing.T) {
		eform := s.token(t, s.env.User(t, "eformulier"))
		var second api.Application
		s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": s.person()}).want(t, http.StatusCreated, &second)
		path := "/api/aanvragen/{id}/opschortingen"
		until := process.AddDays(env.Clock.Now(), 13).Format("2006-01-02")
		susp := obj{"start": today, "instemming_tot": until, "reden": "De aanvrager vraagt schriftelijk om twee weken uitstel."}
		s.call(t, km, "POST", path, obj{"velden": susp}, second.ID).problem(t, http.StatusForbidden)
		p := s.call(t, pieter, "POST", path, obj{"velden": obj{"start": today, "reden": "zonder einde"}}, second.ID).problem(t, http.StatusUnprocessableEntity)
		if !strings.Contains(fieldMessage(p, "body.velden.instemming_tot"), "zonder einde verdwijnt de beslistermijn") {
			t.Errorf("suspension without an end: errors %+v", p.Errors)
		}
		var conf api.Confirmation
		s.call(t, pieter, "POST", path, obj{"velden": susp}, second.ID).want(t, http.StatusCreated, &conf)
		p = s.call(t, pieter, "POST", path, obj{"velden": susp}, second.ID).problem(t, http.StatusUnprocessableEntity)
		if !strings.Contains(fieldMessage(p, "body.velden.start"), "De beslistermijn is al opgeschort sinds") {
			t.Errorf("second suspension errors = %+v", p.Errors)
		}
		s.call(t, pieter, "POST", path, obj{"velden": susp}, 999999).problem(t, http.StatusNotFound)
		f := s.file(t, pieter, second.ClientID)
		if len(f.Suspensions) != 1 || f.Suspensions[0].EndOn != "" || f.Suspensions[0].Kind != "instemming" || f.Suspensions[0].PlannedEnd != until {
			t.Fatalf("suspended file: suspensions %+v", f.Suspensions)
		}
		// The due date never vanishes: the latest it can be, with the note.
		provisional := process.AddDays(process.Date(env.Clock.Now()), 56+14).Format("2006-01-02")
		if f.Application.DecisionDue == "" || !strings.HasPrefix(f.Application.DecisionNote, "opgeschort sinds ") {
			t.Fatalf("suspended file: decision due %q (%q)", f.Application.DecisionDue, f.Application.DecisionNote)
		}
		for _, tk := range f.Tasks {
			if tk.Status == "open" && (tk.Due != f.Application.DecisionDue || tk.Deadline == string(process.DeadlineNone) || tk.DueNote != f.Application.DecisionNote) {
				t.Errorf("task %s during the suspension: due %q (%s), note %q", tk.Step.Key, tk.Due, tk.Deadline, tk.DueNote)
			}
		}
		if f.Application.DecisionDue < provisional {
			t.Errorf("provisional due %s before receipt + 70 days (%s)", f.Application.DecisionDue, provisional)
		}
		end := "/api/aanvragen/{id}/opschortingen/{sid}/einde"
		sid := f.Suspensions[0].ID
		p = s.call(t, pieter, "POST", end, obj{"eind": "2020-01-01"}, second.ID, sid).problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.eind") == "" {
			t.Errorf("end errors = %+v", p.Errors)
		}
		p = s.call(t, pieter, "POST", end, obj{"eind": process.AddDays(env.Clock.Now(), 1).Format("2006-01-02")}, second.ID, sid).problem(t, http.StatusUnprocessableEntity)
		if !strings.Contains(fieldMessage(p, "body.eind"), "toekomst") {
			t.Errorf("end in the future: errors = %+v", p.Errors)
		}
		s.call(t, pieter, "POST", end, obj{"eind": today}, second.ID, sid).want(t, http.StatusOK, &conf)
		s.call(t, pieter, "POST", end, obj{"eind": today}, second.ID, sid).problem(t, http.StatusConflict)
		s.call(t, pieter, "POST", end, obj{"eind": today}, second.ID, 999999).problem(t, http.StatusNotFound)
		if f = s.file(t, pieter, second.ClientID); f.Application.DecisionDue == "" || f.Suspensions[0].EndOn != today || f.Application.DecisionNote != "" {
			t.Errorf("after the suspension: decision due %q (%q), suspension %+v", f.Application.DecisionDue, f.Application.DecisionNote, f.Suspensions[0])
		}
	})

	t.Run("steps started by hand", func(t *testing.T) {
		eform := s.token(t, s.env.User(t, "eformulier"))
		var third api.Application
		s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": s.person()}).want(t, http.StatusCreated, &third)
		start := "/api/aanvragen/{id}/stappen/{stap}"
		s.call(t, km, "POST", start, nil, third.ID, "verzoek_aanvulling").problem(t, http.StatusForbidden)
		s.call(t, pieter, "POST", start, nil, third.ID, "intake_gesprek").problem(t, http.StatusNotFound)
		s.call(t, pieter, "POST", start, nil, 999999, "verzoek_aanvulling").problem(t, http.StatusNotFound)
		var started api.StartedStep
		s.call(t, pieter, "POST", start, nil, third.ID, "verzoek_aanvulling").want(t, http.StatusCreated, &started)
		if started.Task.Step.Key != "verzoek_aanvulling" || started.Task.Holder == nil || started.TaskID != started.Task.ID {
			t.Fatalf("started %+v", started)
		}
		var again api.StartedStep
		s.call(t, pieter, "POST", start, nil, third.ID, "verzoek_aanvulling").want(t, http.StatusCreated, &again)
		if again.TaskID != started.TaskID {
			t.Errorf("started twice: task %d, then %d", started.TaskID, again.TaskID)
		}
		atw, err := process.NewCalendar(process.DefaultTermCalendarPolicy())
		if err != nil {
			t.Fatal(err)
		}
		last := process.DefaultPolicy().RequestInfoEnd(env.Clock.Now(), atw)
		c := s.complete(t, pieter, started.Task, obj{"verzoek_datum": today, "aanvullen_uiterlijk": last.Format("2006-01-02"),
			"ontbreekt": "Bankafschriften van de laatste drie maanden."})
		answer := openTask(t, c, process.StepAanvullingVerwerken)
		if answer.Due != last.Format("2006-01-02") {
			t.Errorf("aanvulling verwerken due %q, want %s", answer.Due, last.Format("2006-01-02"))
		}
		f := s.file(t, pieter, third.ClientID)
		if len(f.Suspensions) != 1 || f.Suspensions[0].Kind != "aanvulling" || f.Suspensions[0].RequestedOn != today || f.Application.DecisionNote == "" {
			t.Fatalf("after the request: suspensions %+v, note %q", f.Suspensions, f.Application.DecisionNote)
		}
		p := s.call(t, pieter, "POST", start, nil, third.ID, "beslistermijn_verdagen").problem(t, http.StatusConflict)
		if !strings.Contains(p.Detail, "opgeschort sinds") {
			t.Errorf("extension while suspended: %q", p.Detail)
		}
	})

	t.Run("overview", func(t *testing.T) {
		var d api.Dashboard
		s.call(t, thomas, "GET", "/api/overzicht", nil).want(t, http.StatusOK, &d)
		open := 0
		for _, st := range d.Steps {
			open += st.Open
		}
		if len(d.Steps) != len(env.Svc.Definition().Steps) || open == 0 || d.Cases["aanvraag/in_behandeling"] == 0 {
			t.Errorf("dashboard = %+v", d)
		}
		s.call(t, pieter, "GET", "/api/overzicht", nil).problem(t, http.StatusForbidden)
		var def process.Definition
		s.call(t, pieter, "GET", "/api/proces", nil).want(t, http.StatusOK, &def)
		if def.Version != env.Svc.Definition().Version || len(def.Steps) == 0 || def.Policy.ApplicationCode != "0/L2" {
			t.Errorf("definition = %s with %d steps", def.Version, len(def.Steps))
		}
		s.call(t, "", "GET", "/api/proces", nil).problem(t, http.StatusUnauthorized)
	})

	// A trajectory of the plan is registered with its provider once: the
	// registration made on its own before is adopted, not doubled.
	t.Run("register trajectory", func(t *testing.T) {
		var conf api.Confirmation
		s.call(t, km, "POST", "/api/dossiers/{id}/trajecten", obj{"velden": obj{"aanbieder": "hallo_werk", "titel": "Matching op vacatures",
			"start": today, "activiteiten": "Profiel aanmaken"}}, pid).want(t, http.StatusCreated, &conf)
		f := s.file(t, km, app.ClientID)
		var matching, finished api.Trajectory
		for _, x := range f.Trajectories {
			switch x.Title {
			case "Matching op vacatures":
				matching = x
			case "Werkervaringsplaats":
				finished = x
			}
		}
		if matching.ID == 0 || matching.PlanRow == 0 || f.Plan == nil || len(f.Plan.Trajectories) != 2 {
			t.Fatalf("trajectory %+v, plan %+v: want the trajectory as a row of the plan", matching, f.Plan)
		}
		path := "/api/dossiers/{id}/trajecten/{tid}/aanmelden"
		s.call(t, pieter, "POST", path, nil, pid, matching.ID).problem(t, http.StatusForbidden)
		s.call(t, km, "POST", path, nil, pid, 999999).problem(t, http.StatusNotFound)
		s.call(t, km, "POST", path, nil, pid, finished.ID).problem(t, http.StatusConflict)
		s.call(t, km, "POST", path, nil, pid, matching.ID).want(t, http.StatusOK, &conf)
		p := s.call(t, km, "POST", path, nil, pid, matching.ID).problem(t, http.StatusConflict)
		if !strings.Contains(p.Detail, "al aangemeld") {
			t.Errorf("second registration detail = %q", p.Detail)
		}
		f = s.file(t, km, app.ClientID)
		if len(f.Registrations) != 1 || f.Registrations[0].Trajectory != matching.ID || f.Registrations[0].Provider != "hallo_werk" {
			t.Errorf("registrations = %+v, want the one with Hallo Werk, now for trajectory %d", f.Registrations, matching.ID)
		}
	})

	// An appointment is recorded as held or missed from its start; a
	// no-show gives the dossier's owner a task to plan anew.
	t.Run("mark appointment", func(t *testing.T) {
		f := s.file(t, km, app.ClientID)
		var ap api.Appointment
		for _, a := range f.Appointments {
			if a.Kind == process.AppointmentIntake && !a.Cancelled {
				ap = a
			}
		}
		if ap.ID == 0 || ap.Status != process.AppointmentPlanned {
			t.Fatalf("intake appointment = %+v", ap)
		}
		start, err := time.Parse(time.RFC3339, ap.StartAt)
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/afspraken/{id}/status"
		env.Clock.Set(start.Add(-time.Minute))
		p := s.call(t, km, "POST", path, obj{"status": "niet_verschenen"}, ap.ID).problem(t, http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "pas vanaf het begin") {
			t.Errorf("before the start: %q", p.Detail)
		}
		env.Clock.Set(start.Add(10 * time.Minute))
		s.call(t, pieter, "POST", path, obj{"status": "niet_verschenen"}, ap.ID).problem(t, http.StatusForbidden)
		s.call(t, km, "POST", path, obj{"status": "misschien"}, ap.ID).problem(t, http.StatusUnprocessableEntity)
		var conf api.Confirmation
		s.call(t, km, "POST", path, obj{"status": "niet_verschenen"}, ap.ID).want(t, http.StatusOK, &conf)
		s.call(t, km, "POST", path, obj{"status": "gehouden"}, ap.ID).problem(t, http.StatusConflict)
		f = s.file(t, km, app.ClientID)
		var again *api.Task
		for i, tk := range f.Tasks {
			if tk.Step.Key == string(process.StepHerplannen) && tk.Status == casework.TaskOpen {
				again = &f.Tasks[i]
			}
		}
		if again == nil || again.Holder == nil || again.Holder.ID != intake.HolderID || again.Due == "" {
			t.Errorf("no open task to plan anew for the dossier's owner with a term: %+v", again)
		}
		for _, a := range f.Appointments {
			if a.ID == ap.ID && a.Status != process.AppointmentNoShow {
				t.Errorf("missed appointment has status %q", a.Status)
			}
		}
	})

	// A NUG'er's dossier is closed later by its owner, with a reason.
	t.Run("close dossier", func(t *testing.T) {
		s.call(t, km, "POST", "/api/dossiers/{id}/afsluiten", obj{"versie": 1, "velden": obj{"reden": "Werk gevonden."}}, pid).
			problem(t, http.StatusConflict) // steps still open on it
		nug := env.Apply(t)
		env.WalkChoice(t, nug, demo.Choice{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG}, "")
		f := s.file(t, thomas, nug.ClientID)
		if f.Participation == nil || f.Participation.Status != process.StatusNUG || f.Participation.Owner == nil {
			t.Fatalf("NUG dossier = %+v", f.Participation)
		}
		owner := s.token(t, s.userByID(t, f.Participation.Owner.ID))
		npid, version := f.Participation.ID, f.Participation.Version
		path := "/api/dossiers/{id}/afsluiten"
		s.call(t, pieter, "POST", path, obj{"versie": version, "velden": obj{"reden": "Niet mijn rol."}}, npid).problem(t, http.StatusForbidden)
		p := s.call(t, owner, "POST", path, obj{"versie": version, "velden": obj{"reden": " "}}, npid).problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.reden") == "" {
			t.Errorf("close errors = %+v", p.Errors)
		}
		s.call(t, owner, "POST", path, obj{"versie": version + 1, "velden": obj{"reden": "Werk gevonden."}}, npid).problem(t, http.StatusConflict)
		var conf api.Confirmation
		s.call(t, owner, "POST", path, obj{"versie": version, "velden": obj{"reden": "Werk gevonden bij een schoonmaakbedrijf."}}, npid).want(t, http.StatusOK, &conf)
		s.call(t, owner, "POST", path, obj{"versie": version + 1, "velden": obj{"reden": "Nog eens."}}, npid).problem(t, http.StatusConflict)
		f = s.file(t, thomas, nug.ClientID)
		if f.Participation.Status != process.StatusAfgesloten || f.Participation.ClosedAt == "" {
			t.Errorf("closed dossier = %+v", f.Participation)
		}
		for _, a := range f.Appointments {
			if !a.Cancelled && a.Status == process.AppointmentPlanned {
				t.Errorf("appointment %d still planned after closing", a.ID)
			}
		}
	})
}
