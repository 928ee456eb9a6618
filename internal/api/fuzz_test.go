package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// FuzzRequests sends arbitrary bodies and query texts to the operations
// that take what callers type: an application and a melding from the
// e-form system, a task's completion, a new account, a client search, a worklist filter. The
// API on a real service and database must answer each with a documented
// status and a body that validates against the OpenAPI document
// (contract.check, an independent JSON Schema validator), never a 5xx, and
// never with a BSN it was not sent (server.call checks every response and
// the log for the clients' BSNs).
func FuzzRequests(f *testing.F) {
	for i, body := range []string{
		`{"velden":{"bsn":"123456782","voornamen":"Noor","achternaam":"de Vries","geboortedatum":"1990-02-03"}}`,
		`{"versie":1,"velden":{"uitkomst":"toekenning"}}`,
		`{"versie":0}`, `{"velden":{"voornamen":"a\u0000b"}}`, `{"velden":{"achternaam":"\u202eevil"}}`,
		`{"gebruikersnaam":"joris","naam":"Joris","email":"joris@example.nl","rollen":["poortwachter"]}`,
		`{"velden":null}`, `[]`, `{`, `"x"`, `{"versie":1e400}`, `{"velden":{"bsn":["a","b"]}}`, "",
	} {
		f.Add(uint8(i), body)
	}
	f.Add(uint8(4), "ozturk")
	f.Add(uint8(4), "a\x00b")
	f.Add(uint8(5), "poort")
	f.Add(uint8(5), "po\x00ort")

	c := newContract(f, fetchDocument(f))
	var targets []fuzzTarget
	for _, engine := range storetest.Engines(f) {
		targets = append(targets, newFuzzTarget(f, engine, newServerOn(f, c, engine)))
	}

	f.Fuzz(func(t *testing.T, op uint8, body string) {
		for _, ft := range targets {
			ft.send(t, op, body)
		}
	})
}

// fuzzTarget is the API on one engine with the tokens and the open task
// the fuzzer's requests use.
type fuzzTarget struct {
	engine       string
	s            *server
	eform, poort string
	task         api.Task
}

func newFuzzTarget(t testing.TB, engine string, s *server) fuzzTarget {
	t.Helper()
	ft := fuzzTarget{engine: engine, s: s, eform: s.token(t, s.env.User(t, demo.SystemUsername)), poort: s.token(t, s.env.Users[process.RolePoortwachter])}
	var app api.Application
	s.call(t, ft.eform, "POST", "/api/aanvragen", obj{"velden": s.person()}).want(t, http.StatusCreated, &app)
	var w api.Worklist
	s.call(t, ft.poort, "GET", "/api/werkvoorraad?team=poort", nil).want(t, http.StatusOK, &w)
	for _, tk := range w.Tasks {
		if tk.Client.ID == app.ClientID {
			ft.task = tk
		}
	}
	if ft.task.ID == 0 {
		t.Fatalf("no open task of the new application on the Poort's worklist")
	}
	return ft
}

// send sends body to the operation op chooses and fails on a 5xx.
func (ft fuzzTarget) send(t *testing.T, op uint8, body string) {
	t.Helper()
	s := ft.s
	var r response
	switch op % 6 {
	case 0:
		r = s.call(t, ft.eform, "POST", "/api/aanvragen", body)
	case 1:
		r = s.call(t, ft.eform, "POST", "/api/meldingen", body)
	case 2:
		r = s.call(t, ft.poort, "POST", "/api/taken/{id}/afronden", body, ft.task.ID)
	case 3:
		r = s.call(t, s.admin, "POST", "/api/gebruikers", body)
	case 4:
		r = s.call(t, ft.poort, "GET", "/api/klanten?zoek="+url.QueryEscape(body), nil)
	case 5:
		r = s.call(t, ft.poort, "GET", "/api/werkvoorraad?team="+url.QueryEscape(body)+"&stap="+url.QueryEscape(body), nil)
	}
	if r.Status >= 500 {
		t.Fatalf("%s on %s answered %d: %s", r.what, ft.engine, r.Status, r.Body)
	}
}
