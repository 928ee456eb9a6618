package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// testLeastPrivilege: the findings of "Least privilege", one by one, over
// the API. The e-form system account submits applications and meldingen
// and reads the status of what it sent, nothing else; a caseworker
// without need-to-know of a client gets 403 with the Dutch reason (the
// file is opened with a reason in the web interface only); a klantmanager
// does not change a colleague's dossier.
func testLeastPrivilege(t *testing.T, s *server) {
	env := s.env
	eform := s.issue(t, env.User(t, demo.SystemUsername))

	// The e-form system sends an application and reads its status.
	var app api.Application
	s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": s.person()}).want(t, http.StatusCreated, &app)
	var st api.ApplicationStatus
	s.call(t, eform, "GET", "/api/aanvragen/{id}", nil, app.ID).want(t, http.StatusOK, &st)
	if st.ID != app.ID || st.Status != process.StatusInBehandeling || st.DecisionDue != app.DecisionDue {
		t.Errorf("status = %+v", st)
	}
	// Not the status of an application at the desk, not a client file,
	// no search, no suspension, no documents, no worklist.
	desk, err := env.Walker.Apply(t.Context(), env.Person(), true)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.call(t, eform, "GET", "/api/aanvragen/{id}", nil, desk.ID).problem(t, http.StatusForbidden); !strings.Contains(p.Detail, "zelf hebt ingediend") {
		t.Errorf("status of another's application: %+v", p)
	}
	s.call(t, eform, "GET", "/api/klanten/{id}", nil, app.ClientID).problem(t, http.StatusForbidden)
	s.call(t, eform, "GET", "/api/klanten?zoek=jansen", nil).problem(t, http.StatusForbidden)
	s.call(t, eform, "GET", "/api/klanten/{id}/documenten", nil, app.ClientID).problem(t, http.StatusForbidden)
	s.call(t, eform, "GET", "/api/werkvoorraad", nil).problem(t, http.StatusForbidden)
	s.call(t, eform, "POST", "/api/aanvragen/{id}/opschortingen", obj{"velden": obj{"begin": "2027-03-01", "reden": "Uitstel gevraagd."}}, app.ID).
		problem(t, http.StatusForbidden)

	// Need-to-know: a KM Werk has nothing to do with a new application.
	kmWerk := s.issue(t, env.Users[process.RoleKMWerk])
	p := s.call(t, kmWerk, "GET", "/api/klanten/{id}", nil, app.ClientID).problem(t, http.StatusForbidden)
	if !strings.Contains(p.Detail, "met een reden in de webapplicatie") {
		t.Errorf("file outside need-to-know: %+v", p)
	}
	s.call(t, kmWerk, "GET", "/api/aanvragen/{id}", nil, app.ID).problem(t, http.StatusForbidden)
	// The Poort works on it, and sees its status and file.
	pieter := s.issue(t, env.Users[process.RolePoortwachter])
	s.call(t, pieter, "GET", "/api/aanvragen/{id}", nil, app.ID).want(t, http.StatusOK, &st)
	s.call(t, pieter, "GET", "/api/klanten/{id}", nil, app.ClientID).want(t, http.StatusOK, nil)
	// A team lead sees a client with open work, not the full BSN: the API
	// never has it.
	s.call(t, s.issue(t, env.Users[process.RoleTeamleider]), "GET", "/api/klanten/{id}", nil, app.ClientID).want(t, http.StatusOK, nil)

	// A klantmanager changes only their own dossier.
	task := env.WalkTo(t, casework.Case{ClientID: app.ClientID}, "", process.StepIntakeWerkdiagnose)
	f := env.File(t, app.ClientID)
	owner := env.UserByID(t, f.Participation.DossierOwner)
	colleague := env.User(t, "lisa")
	if colleague.ID == owner.ID {
		colleague = env.User(t, "koen")
	}
	velden := obj{"aanbieder": "hallo_werk", "status": "aangemeld", "datum": process.Date(env.Clock.Now()).Format("2006-01-02")}
	p = s.call(t, s.issue(t, colleague), "POST", "/api/dossiers/{id}/aanmeldingen", obj{"velden": velden}, task.CaseID).problem(t, http.StatusForbidden)
	if !strings.Contains(p.Detail, "klantmanager van dit participatiedossier") {
		t.Errorf("colleague's registration: %+v", p)
	}
	s.call(t, s.issue(t, owner), "POST", "/api/dossiers/{id}/aanmeldingen", obj{"velden": velden}, task.CaseID).want(t, http.StatusCreated, nil)
}
