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

// testRefusals checks that every refusal is a problem with a Dutch detail:
// 401 for missing and revoked tokens, 403 for roles, 422 with field
// messages, 409 for stale versions and open applications, 404 for unknown ids.
func testRefusals(t *testing.T, s *server) {
	env := s.env
	eform := s.token(t, env.User(t, demo.SystemUsername))
	poortwachter := env.Users[process.RolePoortwachter]
	pieter := s.token(t, poortwachter)
	sanne := s.token(t, env.Users[process.RoleOndersteunerPoortwachter])

	t.Run("401", func(t *testing.T) {
		r := s.call(t, "", "GET", "/api/werkvoorraad", nil)
		p := r.problem(t, http.StatusUnauthorized)
		if !strings.Contains(p.Detail, "API-sleutel") || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("no token: detail %q, WWW-Authenticate %q", p.Detail, r.Header.Get("WWW-Authenticate"))
		}
		p = s.call(t, "wdt_000000000000000000000000000000000000000000000000", "GET", "/api/werkvoorraad", nil).problem(t, http.StatusUnauthorized)
		if p.Detail != "Ongeldige of ingetrokken API-sleutel." {
			t.Errorf("unknown token: detail %q", p.Detail)
		}
		s.call(t, "geen-sleutel", "POST", "/api/aanvragen", obj{"velden": obj{}}).problem(t, http.StatusUnauthorized)

		var it api.IssuedToken
		s.call(t, s.admin, "POST", "/api/sleutels", obj{"gebruiker": poortwachter.ID, "naam": "tijdelijk"}).want(t, http.StatusCreated, &it)
		s.call(t, it.Secret, "GET", "/api/werkvoorraad", nil).want(t, http.StatusOK, nil)
		var revoked api.Token
		s.call(t, s.admin, "DELETE", "/api/sleutels/{id}", nil, it.Token.ID).want(t, http.StatusOK, &revoked)
		if revoked.RevokedAt == "" || revoked.ID != it.Token.ID {
			t.Errorf("revoked token = %+v", revoked)
		}
		p = s.call(t, it.Secret, "GET", "/api/werkvoorraad", nil).problem(t, http.StatusUnauthorized)
		if p.Detail != "Ongeldige of ingetrokken API-sleutel." {
			t.Errorf("revoked token: detail %q", p.Detail)
		}
		// The document itself needs no token.
		for _, path := range []string{"/api/openapi.json", "/api/openapi.yaml"} {
			res, err := s.srv.Client().Get(s.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("GET %s: status %d", path, res.StatusCode)
			}
		}
	})

	t.Run("403", func(t *testing.T) {
		p := s.call(t, pieter, "POST", "/api/aanvragen", obj{"kanaal": "fysiek", "velden": s.person()}).problem(t, http.StatusForbidden)
		if p.Detail != "Alleen een Ondersteuner Poortwachter kan een fysieke aanvraag invoeren." {
			t.Errorf("physical by a poortwachter: detail %q", p.Detail)
		}
		s.call(t, pieter, "POST", "/api/gebruikers", obj{"gebruikersnaam": "x", "naam": "X", "email": "x@example.org", "rollen": []string{"km_werk"}}).
			problem(t, http.StatusForbidden)
		s.call(t, pieter, "GET", "/api/sleutels", nil).problem(t, http.StatusForbidden)
		s.call(t, s.admin, "GET", "/api/werkvoorraad", nil).problem(t, http.StatusForbidden)
		s.call(t, pieter, "GET", "/api/werkvoorraad?team=top", nil).problem(t, http.StatusForbidden)
		s.call(t, s.admin, "GET", "/api/klanten?zoek=ab", nil).problem(t, http.StatusForbidden)
		s.call(t, pieter, "GET", "/api/uitgaand", nil).problem(t, http.StatusForbidden)
	})

	t.Run("422", func(t *testing.T) {
		person := s.person()
		person["bsn"] = "123456789"
		person["geboortedatum"] = "31-02-1990"
		p := s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": person}).problem(t, http.StatusUnprocessableEntity)
		// A digital application comes from the applicant: no "elfproef".
		if got := fieldMessage(p, "body.velden.bsn"); !strings.HasPrefix(got, "Dit is geen geldig burgerservicenummer (BSN).") {
			t.Errorf("bsn message = %q; errors %+v", got, p.Errors)
		}
		if got := fieldMessage(p, "body.velden.geboortedatum"); !strings.HasPrefix(got, "Vul een bestaande datum in") {
			t.Errorf("geboortedatum message = %q", got)
		}
		if p.Detail != "Het formulier bevat fouten. Verbeter de gemarkeerde velden." {
			t.Errorf("detail = %q", p.Detail)
		}
		// A client of 20 is refused with the pilot's age rule.
		young := s.person()
		young["geboortedatum"] = process.AddDays(env.Clock.Now(), -20*366).Format("2006-01-02")
		p = s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": young}).problem(t, http.StatusUnprocessableEntity)
		if !strings.Contains(fieldMessage(p, "body.velden.geboortedatum"), "27 jaar en ouder") {
			t.Errorf("age message = %+v", p.Errors)
		}
		// Missing required fields get the form's Dutch messages.
		p = s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": obj{}}).problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.voornamen") != "Vul voornamen in." {
			t.Errorf("missing fields: %+v", p.Errors)
		}
		// huma's own validation has the same shape and never echoes a value.
		r := s.call(t, eform, "POST", "/api/aanvragen", obj{"kanaal": "per-post", "velden": obj{"bsn": 249566758}})
		p = r.problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.bsn") == "" || fieldMessage(p, "body.kanaal") == "" || strings.Contains(string(r.Body), "249566758") {
			t.Errorf("schema validation problem = %s", r.Body)
		}
		s.call(t, eform, "POST", "/api/aanvragen", obj{"onbekend": true}).problem(t, http.StatusUnprocessableEntity)
		s.call(t, pieter, "GET", "/api/taken/{id}", nil, "abc").problem(t, http.StatusUnprocessableEntity)
		s.call(t, pieter, "GET", "/api/werkvoorraad?termijn=morgen", nil).problem(t, http.StatusUnprocessableEntity)
	})

	t.Run("400", func(t *testing.T) {
		s.call(t, eform, "POST", "/api/aanvragen", `{"velden": {`).problem(t, http.StatusBadRequest)
	})

	t.Run("409", func(t *testing.T) {
		person := s.person()
		var app api.Application
		s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": person}).want(t, http.StatusCreated, &app)
		p := s.call(t, eform, "POST", "/api/aanvragen", obj{"velden": person}).problem(t, http.StatusConflict)
		if !strings.Contains(p.Detail, "al een lopende aanvraag") || !strings.HasSuffix(p.Link, "/klanten/"+jsonString(app.ClientID)) ||
			fieldMessage(p, "body.velden.bsn") == "" {
			t.Errorf("open application problem = %+v", p)
		}
		var file api.ClientFile
		s.call(t, pieter, "GET", "/api/klanten/{id}", nil, app.ClientID).want(t, http.StatusOK, &file)
		task := file.Tasks[0]
		p = s.call(t, pieter, "POST", "/api/taken/{id}/oppakken", obj{"versie": task.Version + 5}, task.ID).problem(t, http.StatusConflict)
		if !strings.Contains(p.Detail, "Een collega heeft deze taak intussen gewijzigd") {
			t.Errorf("stale version detail = %q", p.Detail)
		}
		s.call(t, pieter, "POST", "/api/taken/{id}/afronden", obj{"versie": task.Version + 5, "velden": obj{}}, task.ID).problem(t, http.StatusConflict)
		thomas := s.token(t, env.Users[process.RoleTeamleider])
		s.call(t, thomas, "POST", "/api/taken/{id}/vrijgeven", obj{"versie": task.Version + 5}, task.ID).problem(t, http.StatusConflict)
		s.call(t, pieter, "POST", "/api/taken/{id}/vrijgeven", obj{"versie": task.Version}, task.ID).problem(t, http.StatusForbidden)
		s.call(t, thomas, "POST", "/api/taken/{id}/toewijzen", obj{"versie": task.Version + 5, "medewerker": poortwachter.ID}, task.ID).
			problem(t, http.StatusConflict)
		// A form with errors on the current version is a 422 naming the fields.
		p = s.call(t, pieter, "POST", "/api/taken/{id}/afronden", obj{"versie": task.Version, "velden": obj{"gesprek_datum": "morgen"}}, task.ID).
			problem(t, http.StatusUnprocessableEntity)
		if fieldMessage(p, "body.velden.gesprek_datum") == "" || fieldMessage(p, "body.velden.rechtmatigheid") != "Vul uitvraag rechtmatigheid in." {
			t.Errorf("step form errors = %+v", p.Errors)
		}
		// A physical application by the Ondersteuner Poortwachter.
		var phys api.Application
		desk := s.person()
		desk["aanvraagdatum"] = process.AddDays(env.Clock.Now(), -3).Format("2006-01-02")
		delete(desk, "email")
		s.call(t, sanne, "POST", "/api/aanvragen", obj{"kanaal": "fysiek", "velden": desk}).want(t, http.StatusCreated, &phys)
		if phys.Channel != casework.ChannelPhysical || phys.AppliedOn != desk["aanvraagdatum"] {
			t.Errorf("physical application = %+v", phys)
		}
	})

	t.Run("404", func(t *testing.T) {
		p := s.call(t, pieter, "GET", "/api/taken/{id}", nil, 999999).problem(t, http.StatusNotFound)
		if p.Detail != "De taak is niet gevonden." {
			t.Errorf("detail = %q", p.Detail)
		}
		s.call(t, pieter, "GET", "/api/klanten/{id}", nil, 999999).problem(t, http.StatusNotFound)
		s.call(t, pieter, "POST", "/api/taken/{id}/oppakken", obj{"versie": 1}, 999999).problem(t, http.StatusNotFound)
		s.call(t, s.admin, "DELETE", "/api/sleutels/{id}", nil, 999999).problem(t, http.StatusNotFound)
		s.call(t, s.admin, "POST", "/api/gebruikers/{id}/actief", obj{"actief": true}, 999999).problem(t, http.StatusNotFound)
		s.call(t, pieter, "GET", "/api/bestaat-niet", nil).problem(t, http.StatusNotFound)
	})
}
