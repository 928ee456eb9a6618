package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// testMeldingen records the melding of someone younger than the minimum
// age through the e-form system, and an application with a melding date
// before its receipt (Pw art. 41 and 44).
func testMeldingen(t *testing.T, s *server) {
	env := s.env
	eform := s.token(t, env.User(t, "eformulier"))
	today := process.Date(env.Clock.Now())

	young := s.person()
	young["geboortedatum"] = process.AddDays(today, -20*366).Format("2006-01-02")
	reported := process.AddDays(today, -3)
	young["meldingsdatum"] = reported.Format("2006-01-02")
	var m api.Melding
	s.call(t, eform, "POST", "/api/meldingen", obj{"velden": young}).want(t, http.StatusCreated, &m)
	pol := env.Svc.Definition().Policy
	wantUntil := process.AddDays(reported, pol.YouthSearchDays-1)
	if m.ReportedOn != reported.Format(time.DateOnly) || m.SearchUntil != wantUntil.Format(time.DateOnly) ||
		m.MayApplyFrom != process.AddDays(reported, pol.YouthSearchDays).Format(time.DateOnly) || m.ClientID == 0 {
		t.Errorf("melding = %+v; want reported %s, searching until %s", m, reported.Format(time.DateOnly), wantUntil.Format(time.DateOnly))
	}

	// Someone of the minimum age applies; a melding is refused.
	adult := s.person()
	p := s.call(t, eform, "POST", "/api/meldingen", obj{"velden": adult}).problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldMessage(p, "body.velden.geboortedatum"), "Voer een aanvraag in") {
		t.Errorf("adult melding errors = %+v", p.Errors)
	}
	// Staff only through the desk channel; the e-form system not at the desk.
	s.call(t, eform, "POST", "/api/meldingen", obj{"kanaal": "fysiek", "velden": young}).problem(t, http.StatusForbidden)

	// The e-form sends the day the client reported, before receipt.
	adult["meldingsdatum"] = process.AddDays(today, -6).Format("2006-01-02")
	var app api.Application
	s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": adult}).want(t, http.StatusCreated, &app)
	if app.ReportedOn != adult["meldingsdatum"] || app.AppliedOn != today.Format(time.DateOnly) {
		t.Errorf("application reported %s applied %s; want reported %s applied %s", app.ReportedOn, app.AppliedOn, adult["meldingsdatum"], today.Format(time.DateOnly))
	}
	// Not in the future.
	later := s.person()
	later["meldingsdatum"] = process.AddDays(today, 2).Format("2006-01-02")
	p = s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": later}).problem(t, http.StatusUnprocessableEntity)
	if got := fieldMessage(p, "body.velden.meldingsdatum"); got != "De meldingsdatum kan niet in de toekomst liggen." {
		t.Errorf("future melding date message = %q", got)
	}
}
