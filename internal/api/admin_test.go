package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// testAdministration manages accounts and API tokens over the API.
func testAdministration(t *testing.T, s *server) {
	env := s.env
	var users api.UserList
	s.call(t, s.admin, "GET", "/api/gebruikers", nil).want(t, http.StatusOK, &users)
	if len(users.Users) != len(env.All) {
		t.Errorf("%d users, want %d", len(users.Users), len(env.All))
	}
	thomas := s.token(t, env.Users[process.RoleTeamleider])
	s.call(t, thomas, "GET", "/api/gebruikers", nil).want(t, http.StatusOK, nil)

	in := obj{"gebruikersnaam": "joris", "naam": "Joris Mulder", "email": "joris@bar-organisatie.invalid",
		"rollen": []string{"km_werk", "ag"}, "wachtwoord": "een-lang-genoeg-wachtwoord"}
	var joris api.User
	s.call(t, s.admin, "POST", "/api/gebruikers", in).want(t, http.StatusCreated, &joris)
	if joris.ID == 0 || !joris.Active || !slices.Equal(joris.Roles, []string{"km_werk", "ag"}) {
		t.Errorf("created user = %+v", joris)
	}
	p := s.call(t, s.admin, "POST", "/api/gebruikers", in).problem(t, http.StatusConflict)
	if fieldMessage(p, "body.gebruikersnaam") != "Deze gebruikersnaam bestaat al." {
		t.Errorf("duplicate user = %+v", p)
	}
	p = s.call(t, s.admin, "POST", "/api/gebruikers", obj{"gebruikersnaam": "Niet Goed", "naam": "", "email": "nee",
		"rollen": []string{"directeur"}, "wachtwoord": "kort"}).problem(t, http.StatusUnprocessableEntity)
	for _, f := range []string{"gebruikersnaam", "rollen", "wachtwoord"} {
		if fieldMessage(p, "body."+f) == "" {
			t.Errorf("no message for %s: %+v", f, p.Errors)
		}
	}
	// A system account holds a system's role only; a person none.
	p = s.call(t, s.admin, "POST", "/api/gebruikers", obj{"gebruikersnaam": "zaaksysteem", "naam": "Zaaksysteem", "email": "zaak@bar-organisatie.invalid",
		"rollen": []string{"ondersteuner_poortwachter"}, "systeem": true}).problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldMessage(p, "body.rollen"), "systeemaccount") {
		t.Errorf("system account with a person's role = %+v", p)
	}
	p = s.call(t, s.admin, "POST", "/api/gebruikers", obj{"gebruikersnaam": "mens", "naam": "Mens", "email": "mens@bar-organisatie.invalid",
		"rollen": []string{"eformulier"}, "wachtwoord": "lang-genoeg-wachtwoord"}).problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldMessage(p, "body.rollen"), "alleen voor een systeemaccount") {
		t.Errorf("person with the system role = %+v", p)
	}
	var system api.User
	s.call(t, s.admin, "POST", "/api/gebruikers", obj{"gebruikersnaam": "zaaksysteem", "naam": "Zaaksysteem", "email": "zaak@bar-organisatie.invalid",
		"rollen": []string{"eformulier"}, "systeem": true}).want(t, http.StatusCreated, &system)
	if !system.System {
		t.Errorf("system user = %+v", system)
	}

	// A token works until its user is switched off.
	var it api.IssuedToken
	s.call(t, s.admin, "POST", "/api/sleutels", obj{"gebruiker": joris.ID, "naam": "joris-test"}).want(t, http.StatusCreated, &it)
	s.call(t, it.Secret, "GET", "/api/werkvoorraad?team=kmwerk", nil).want(t, http.StatusOK, nil)
	var u api.User
	s.call(t, s.admin, "POST", "/api/gebruikers/{id}/actief", obj{"actief": false}, joris.ID).want(t, http.StatusOK, &u)
	if u.Active {
		t.Errorf("user still active: %+v", u)
	}
	s.call(t, it.Secret, "GET", "/api/werkvoorraad", nil).problem(t, http.StatusUnauthorized)
	s.call(t, s.admin, "POST", "/api/gebruikers/{id}/actief", obj{"actief": true}, joris.ID).want(t, http.StatusOK, &u)
	s.call(t, it.Secret, "GET", "/api/werkvoorraad", nil).want(t, http.StatusOK, nil)
	s.call(t, s.admin, "POST", "/api/gebruikers/{id}/actief", obj{"actief": false}, env.Users[process.RoleBeheerder].ID).
		problem(t, http.StatusConflict)
	s.call(t, thomas, "POST", "/api/gebruikers/{id}/actief", obj{"actief": false}, joris.ID).problem(t, http.StatusForbidden)

	// The list shows tokens without their secret.
	var tokens api.TokenList
	r := s.call(t, s.admin, "GET", "/api/sleutels", nil).want(t, http.StatusOK, &tokens)
	if strings.Contains(string(r.Body), it.Secret) {
		t.Errorf("token list contains a secret")
	}
	if !slices.ContainsFunc(tokens.Tokens, func(tk api.Token) bool {
		return tk.ID == it.Token.ID && tk.User.ID == joris.ID && strings.HasPrefix(it.Secret, tk.Prefix) && tk.LastUsedAt != ""
	}) {
		t.Errorf("token %+v not listed with its use", it.Token)
	}
	p = s.call(t, s.admin, "POST", "/api/sleutels", obj{"gebruiker": 999999, "naam": "x"}).problem(t, http.StatusUnprocessableEntity)
	if fieldMessage(p, "body.gebruiker") == "" {
		t.Errorf("token for unknown user = %+v", p)
	}
	p = s.call(t, s.admin, "POST", "/api/sleutels", obj{"gebruiker": joris.ID, "naam": " "}).problem(t, http.StatusUnprocessableEntity)
	if fieldMessage(p, "body.naam") == "" {
		t.Errorf("token without name = %+v", p)
	}
	s.call(t, thomas, "DELETE", "/api/sleutels/{id}", nil, it.Token.ID).problem(t, http.StatusForbidden)
}
