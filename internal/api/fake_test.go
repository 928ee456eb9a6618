package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/fake"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The TestFake… tests run the API on casework/fake: the real routes, token
// middleware and error mapping, and no database. Every response is checked
// against the document the same API serves.

// fakeToken is the API token the fake's TokenUser knows.
const fakeToken = "wdt_fake-sleutel-van-het-e-formulier"

var fakeAPIUser = casework.User{ID: 7, Username: "pim", Name: "Pim Poort", Roles: process.Roles{process.RolePoortwachter}, Active: true}

// newFakeAPI returns a fake that knows the pilot's definition, the default
// configuration and fakeToken (as fakeAPIUser), and the API on it. Every
// other use case is unset and fails when called.
func newFakeAPI(t *testing.T) (*fake.Service, *server) {
	t.Helper()
	svc := fake.Pilot()
	svc.TokenUserFn = func(_ context.Context, secret, _ string) (casework.User, error) {
		if secret == fakeToken {
			return fakeAPIUser, nil
		}
		return casework.User{}, &casework.Error{Code: casework.CodeUnauthorized, Message: "Ongeldige of ingetrokken API-sleutel."}
	}
	logs := &syncBuffer{}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(svc, slog.New(slog.NewTextHandler(logs, nil))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s := &server{srv: srv, logs: logs}
	doc := s.call(t, "", "GET", "/api/openapi.json", nil).want(t, http.StatusOK, nil)
	s.contract = newContract(t, doc.Body)
	return svc, s
}

// fakeTaskPage is the intake task (intake_gesprek) of a client at version,
// open or done; a done intake has the assessment open after it.
func fakeTaskPage(t *testing.T, svc *fake.Service, version int, done bool) casework.TaskPage {
	t.Helper()
	def := svc.Definition()
	step, ok := def.Step(process.StepIntakeGesprek)
	if !ok {
		t.Fatalf("the definition has no step %s", process.StepIntakeGesprek)
	}
	since := time.Date(2026, 3, 9, 9, 0, 0, 0, process.Amsterdam)
	tv := casework.TaskView{Task: casework.Task{ID: 101, ApplicationID: 31, CaseID: 31, ClientID: 11, Step: step.Key, Team: step.Team,
		Status: casework.TaskOpen, Term: step.Term, Version: version, CreatedAt: since, ClientName: "Noor de Vries", CaseCode: "0/L2"},
		StepTitle: step.Title, Deadline: process.DeadlineNone, DeadlineLabel: process.DeadlineLabels[process.DeadlineNone]}
	f := casework.ClientFile{Def: def, Client: casework.Client{ID: 11, GivenName: "Noor", FamilyName: "de Vries"}}
	if done {
		tv.Status, tv.CompletedAt, tv.CompletedBy, tv.CompletedByName = casework.TaskDone, since.Add(time.Hour), fakeAPIUser.ID, fakeAPIUser.Name
		next := tv
		next.ID, next.Step, next.Status, next.Version, next.CompletedAt, next.CompletedBy, next.CompletedByName =
			102, process.StepBeoordelingDoelgroep, casework.TaskOpen, 1, time.Time{}, 0, ""
		if st, ok := def.Step(next.Step); ok {
			next.StepTitle = st.Title
		}
		other := next
		other.ID, other.ApplicationID = 103, 32 // another application's task
		f.Tasks = []casework.TaskView{tv, next, other}
	}
	return casework.TaskPage{File: f, Task: tv, Step: step, Form: step.Form, MayWork: true}
}

// TestFakeAPIAuthentication: the API asks TokenUser about the bearer token
// and answers 401 problems without one or with an unknown one.
func TestFakeAPIAuthentication(t *testing.T) {
	svc, s := newFakeAPI(t)
	var secrets []string
	known := svc.TokenUserFn
	svc.TokenUserFn = func(ctx context.Context, secret, address string) (casework.User, error) {
		secrets = append(secrets, secret)
		return known(ctx, secret, address)
	}
	svc.TaskFn = func(context.Context, casework.Actor, int64) (casework.TaskPage, error) {
		return fakeTaskPage(t, svc, 4, false), nil
	}

	p := s.call(t, "", "GET", "/api/taken/{id}", nil, 101).problem(t, http.StatusUnauthorized)
	if len(secrets) != 0 {
		t.Errorf("TokenUser asked without a token: %v", secrets)
	}
	p = s.call(t, "wdt_onbekend", "GET", "/api/taken/{id}", nil, 101).problem(t, http.StatusUnauthorized)
	if p.Detail != "Ongeldige of ingetrokken API-sleutel." {
		t.Errorf("unknown token: detail %q", p.Detail)
	}
	s.call(t, fakeToken, "GET", "/api/taken/{id}", nil, 101).want(t, http.StatusOK, nil)
	if want := []string{"wdt_onbekend", fakeToken}; fmt.Sprint(secrets) != fmt.Sprint(want) {
		t.Errorf("TokenUser asked about %v, want %v", secrets, want)
	}
}

// TestFakeAPITask: GET /api/taken/{id} asks TaskPage as the token's user
// and describes the step's form from the definition.
func TestFakeAPITask(t *testing.T) {
	svc, s := newFakeAPI(t)
	var asked []int64
	svc.TaskFn = func(_ context.Context, a casework.Actor, id int64) (casework.TaskPage, error) {
		if a.User.ID != fakeAPIUser.ID {
			t.Errorf("Task as user %d, want the token's user %d", a.User.ID, fakeAPIUser.ID)
		}
		asked = append(asked, id)
		if id != 101 {
			return casework.TaskPage{}, casework.NotFound("De taak")
		}
		return fakeTaskPage(t, svc, 4, false), nil
	}

	var d api.TaskDetail
	s.call(t, fakeToken, "GET", "/api/taken/{id}", nil, 101).want(t, http.StatusOK, &d)
	if len(asked) != 1 || asked[0] != 101 {
		t.Errorf("TaskPage asked for %v, want [101]", asked)
	}
	if d.Task.ID != 101 || d.Task.Version != 4 || d.Task.Step.Key != string(process.StepIntakeGesprek) || !d.MayWork {
		t.Errorf("task %+v, may work %v", d.Task, d.MayWork)
	}
	step, _ := svc.Definition().Step(process.StepIntakeGesprek)
	if d.Source != step.Source {
		t.Errorf("source %q, want the step's words %q", d.Source, step.Source)
	}
	if len(d.Fields) != len(step.Form.Fields) {
		t.Fatalf("%d fields, want the step's %d", len(d.Fields), len(step.Form.Fields))
	}
	for i, f := range step.Form.Fields {
		got := d.Fields[i]
		if got.Name != f.Name || got.Label != f.Label || got.Kind != string(f.Kind) || got.Required != f.Required {
			t.Errorf("field %d: %+v, want %s (%s, %s, required %v)", i, got, f.Name, f.Label, f.Kind, f.Required)
		}
	}

	p := s.call(t, fakeToken, "GET", "/api/taken/{id}", nil, 999).problem(t, http.StatusNotFound)
	if p.Detail != "De taak is niet gevonden." {
		t.Errorf("404 detail %q", p.Detail)
	}
}

// TestFakeAPIComplete: POST /api/taken/{id}/afronden passes the version and
// the velden to CompleteTask and answers the completed task with the
// application's open tasks; invalid input is a 422 problem with a message
// per field in body.velden, a conflict a 409 problem.
func TestFakeAPIComplete(t *testing.T) {
	svc, s := newFakeAPI(t)
	type call struct {
		id      int64
		version int
		values  casework.Values
	}
	var calls []call
	var answer error
	svc.CompleteTaskFn = func(_ context.Context, a casework.Actor, id int64, version int, v casework.Values) (casework.Completed, error) {
		if a.User.ID != fakeAPIUser.ID {
			t.Errorf("CompleteTask as user %d", a.User.ID)
		}
		calls = append(calls, call{id, version, v})
		if answer != nil {
			return casework.Completed{}, answer
		}
		// The service answers with the task and the open tasks of its
		// application as the completion left them.
		tp := fakeTaskPage(t, svc, 4, true)
		done := casework.Completed{Task: tp.Task}
		for _, o := range tp.File.OpenTasks() {
			if o.ApplicationID == tp.Task.ApplicationID {
				done.Open = append(done.Open, o)
			}
		}
		return done, nil
	}
	velden := obj{"gesprek_datum": "09-03-2026", "rechtmatigheid": "Woont alleen.", "doelmatigheid": "Wil in de zorg werken.",
		"bijzonderheden": []string{"Spreekt Engels", "Spreekt Arabisch"}}
	body := obj{"versie": 4, "velden": velden}

	t.Run("invalid", func(t *testing.T) {
		const msg = "Vul de uitvraag rechtmatigheid volledig in."
		calls, answer = nil, casework.Fields{"rechtmatigheid": msg}.Err()
		p := s.call(t, fakeToken, "POST", "/api/taken/{id}/afronden", body, 101).problem(t, http.StatusUnprocessableEntity)
		if got := fieldMessage(p, "body.velden.rechtmatigheid"); got != msg {
			t.Errorf("message at body.velden.rechtmatigheid %q, want %q; problem %+v", got, msg, p)
		}
		if len(p.Errors) != 1 {
			t.Errorf("errors %+v, want the one field", p.Errors)
		}
	})

	t.Run("conflict", func(t *testing.T) {
		const msg = "Deze taak is al afgerond door Sanne."
		calls, answer = nil, casework.Conflict(msg)
		p := s.call(t, fakeToken, "POST", "/api/taken/{id}/afronden", body, 101).problem(t, http.StatusConflict)
		if p.Detail != msg {
			t.Errorf("409 detail %q, want %q", p.Detail, msg)
		}
	})

	t.Run("completed", func(t *testing.T) {
		calls, answer = nil, nil
		var c api.Completion
		s.call(t, fakeToken, "POST", "/api/taken/{id}/afronden", body, 101).want(t, http.StatusOK, &c)
		if len(calls) != 1 || calls[0].id != 101 || calls[0].version != 4 {
			t.Fatalf("CompleteTask calls %+v, want one for task 101 at version 4", calls)
		}
		got := calls[0].values
		for _, k := range []string{"gesprek_datum", "rechtmatigheid", "doelmatigheid"} {
			if got.Get(k) != velden[k] {
				t.Errorf("velden %s = %q, want %q", k, got.Get(k), velden[k])
			}
		}
		if fmt.Sprint(got["bijzonderheden"]) != "[Spreekt Engels Spreekt Arabisch]" {
			t.Errorf("a list value arrived as %q", got["bijzonderheden"])
		}
		if c.Task.ID != 101 || c.Task.Status != casework.TaskDone {
			t.Errorf("completed task %+v", c.Task)
		}
		if len(c.Open) != 1 || c.Open[0].ID != 102 || c.Open[0].Step.Key != string(process.StepBeoordelingDoelgroep) {
			t.Errorf("open tasks %+v, want only the assessment of the same application", c.Open)
		}
	})
}
