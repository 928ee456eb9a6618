package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// badInput are values every input path refuses, by field, with a part of
// the Dutch message.
var badInput = []struct{ field, value, want string }{
	{"voornamen", "Jan\x00", "niet is toegestaan"},
	{"achternaam", "Jansen\u202eneslaj", "niet is toegestaan"},
	{"voornamen", "Jan\u200bnie", "niet is toegestaan"},
	{"telefoon", "abc", "cijfers"},
	{"telefoon", "06\n123", "één regel"},
	{"email", "jan@voorbeeld", "geldig e-mailadres"},
}

// TestInputRobustnessAPI: on both engines, names with NUL, a direction
// override or a zero-width space, a telephone number of letters or with a
// line break are refused with 422 and a Dutch message at the member, in
// the velden and outside them; a NUL in a worklist filter or a search is a
// Dutch 422, never a 500 (PostgreSQL refuses NUL: SQLSTATE 22021).
func TestInputRobustnessAPI(t *testing.T) {
	c := newContract(t, fetchDocument(t))
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			s := newServerOn(t, c, engine)
			eform := s.token(t, s.env.User(t, "eformulier"))
			for _, tc := range badInput {
				v := s.person()
				v[tc.field] = tc.value
				p := s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": v}).problem(t, http.StatusUnprocessableEntity)
				if msg := fieldMessage(p, "body.velden."+tc.field); !strings.Contains(msg, tc.want) {
					t.Errorf("%s %q: message %q (%+v)", tc.field, tc.value, msg, p.Errors)
				}
			}
			// Outside the velden: the name of an account.
			p := s.call(t, s.admin, "POST", "/api/gebruikers", obj{"gebruikersnaam": "nieuw", "naam": "Nieuw\u202e", "email": "nieuw@voorbeeld.nl",
				"rollen": []string{"poortwachter"}}).problem(t, http.StatusUnprocessableEntity)
			if msg := fieldMessage(p, "body.naam"); !strings.Contains(msg, "niet is toegestaan") {
				t.Errorf("account name: %+v", p.Errors)
			}

			// A poortwachter: the new application's intake is on the
			// Poort's worklist (need-to-know).
			km := s.token(t, s.env.Users[process.RolePoortwachter])
			// An upload's title (multipart: the form's own decoding).
			app := s.env.Apply(t)
			fields := map[string]string{"werkproces": strconv.FormatInt(app.ID, 10), "titel": "Huur\x00contract"}
			p = s.call(t, km, "POST", "/api/klanten/{id}/documenten", multipartUpload(t, fields, "huur.png", "image/png", apiPNG), app.ClientID).
				problem(t, http.StatusUnprocessableEntity)
			if msg := fieldMessage(p, "body.titel"); !strings.Contains(msg, "niet is toegestaan") {
				t.Errorf("upload title: %+v", p.Errors)
			}
			for _, q := range []string{"/api/werkvoorraad?stap=", "/api/werkvoorraad?code=", "/api/werkvoorraad?team=", "/api/klanten?zoek="} {
				for _, bad := range []string{"intake\x00", "jan\u202e", "a\nb"} {
					p := s.call(t, km, "GET", q+url.QueryEscape(bad), nil).problem(t, http.StatusUnprocessableEntity)
					name := strings.TrimSuffix(q[strings.IndexByte(q, '?')+1:], "=")
					if msg := fieldMessage(p, "query."+name); !strings.Contains(msg, "niet is toegestaan") && !strings.Contains(msg, "één regel") {
						t.Errorf("%s%q: %+v", q, bad, p)
					}
				}
			}
		})
	}
}

// TestVersionRequiredAPI: a task's pick-up, release, assignment and
// completion without versie, or with 0, are refused with 422 and a Dutch
// message; the task is unchanged. (The rule itself is casework's,
// TestVersionRequired on both engines.)
func TestVersionRequiredAPI(t *testing.T) {
	s := newServerOn(t, newContract(t, fetchDocument(t)), "sqlite")
	app := s.env.Apply(t)
	task := s.env.WalkTo(t, app, "", process.StepIntakeGesprek)
	team, _ := s.env.Svc.Definition().Policy.Team(task.Team)
	worker := s.token(t, s.env.Users[team.Role])
	lead := s.token(t, s.env.Users[process.RoleTeamleider])
	for _, call := range []struct {
		token, path string
		body        obj
	}{
		{worker, "/api/taken/{id}/oppakken", obj{"versie": 0}},
		{worker, "/api/taken/{id}/oppakken", obj{}},
		{lead, "/api/taken/{id}/vrijgeven", obj{"versie": 0}},
		{lead, "/api/taken/{id}/toewijzen", obj{"versie": 0, "medewerker": s.env.Users[team.Role].ID}},
		{worker, "/api/taken/{id}/afronden", obj{"versie": 0, "velden": obj{}}},
		{worker, "/api/taken/{id}/afronden", obj{"velden": obj{}}},
	} {
		p := s.call(t, call.token, "POST", call.path, call.body, task.ID).problem(t, http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail+fmt.Sprint(p.Errors), "versie") {
			t.Errorf("%s %v: %+v", call.path, call.body, p)
		}
	}
	if got := currentTaskOf(t, s, task.ID); got.Version != task.Version || got.HolderID != task.HolderID {
		t.Errorf("the task changed: %+v", got)
	}
}

func currentTaskOf(t *testing.T, s *server, id int64) casework.Task {
	t.Helper()
	tp, err := s.env.Svc.TaskPage(t.Context(), s.env.Actor(process.RoleTeamleider), id)
	if err != nil {
		t.Fatal(err)
	}
	return tp.Task.Task
}

// TestDuplicateRegistrationAPI: a second registration with the same
// provider on a dossier is a Dutch 409 (the store's unique index stands
// behind the use case's check; TestPlanRowsAreTrajectories in casework on
// both engines), and a trajectory is registered once.
func TestDuplicateRegistrationAPI(t *testing.T) {
	s := newServerOn(t, newContract(t, fetchDocument(t)), "sqlite")
	app := s.env.Apply(t)
	intake := s.env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	km := s.token(t, s.env.UserByID(t, intake.HolderID))
	reg := obj{"aanbieder": "hallo_werk", "status": "aangemeld", "datum": s.env.Clock.Now().Format("2006-01-02")}
	s.call(t, km, "POST", "/api/dossiers/{id}/aanmeldingen", obj{"velden": reg}, intake.CaseID).want(t, http.StatusCreated, nil)
	p := s.call(t, km, "POST", "/api/dossiers/{id}/aanmeldingen", obj{"velden": reg}, intake.CaseID).problem(t, http.StatusConflict)
	if !strings.Contains(p.Detail+fmt.Sprint(p.Errors), "al aangemeld bij Hallo Werk") {
		t.Errorf("second registration: %+v", p)
	}
	if f := s.env.File(t, app.ClientID); len(f.Registrations) != 1 {
		t.Errorf("registrations = %+v", f.Registrations)
	}
}
