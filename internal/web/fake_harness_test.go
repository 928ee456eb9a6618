package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/fake"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// The TestFake… tests run the web interface on casework/fake: the real
// routes, middleware, sessions and templates, and no database. Each test
// sets the use cases its pages call and checks what they were given.

// fakePassword is the password the fake's Authenticate accepts.
const fakePassword = "fake-wachtwoord-123"

// fakeNow is the fake's clock.
var fakeNow = time.Date(2026, 3, 10, 10, 0, 0, 0, process.Amsterdam)

// Users of the fake tests, one per kind of work.
var (
	fakePoortwachter = casework.User{ID: 7, Username: "pim", Name: "Pim Poort", Email: "pim@bar-organisatie.invalid",
		Roles: process.Roles{process.RolePoortwachter}, Active: true}
	fakeOndersteuning = casework.User{ID: 8, Username: "tessa", Name: "Tessa Top", Email: "tessa@bar-organisatie.invalid",
		Roles: process.Roles{process.RoleTeamOndersteuning}, Active: true}
	fakeKlantmanager = casework.User{ID: 9, Username: "kim", Name: "Kim Klantmanager", Email: "kim@bar-organisatie.invalid",
		Roles: process.Roles{process.RoleKMWerkdiagnose}, Active: true, DailyDigest: true}
)

// fakeApp is the web interface on a fake of the use cases.
type fakeApp struct {
	t   *testing.T
	svc *fake.Service
	def *process.Definition
	srv *httptest.Server
}

// newFakeApp starts the web interface on a fake that knows the pilot's
// definition, the default configuration, a fixed clock, and the users
// (Authenticate with fakePassword, UserByID). The navigation asks every
// page for the worklist counts: the fake answers 1 and 2 until a test sets
// WorklistFn itself. Every other use case is unset and fails when called.
// The log goes to the test's output from warnings up, so a 500 shows its cause.
func newFakeApp(t *testing.T, users ...casework.User) *fakeApp {
	t.Helper()
	svc := fake.Pilot()
	def := svc.Definition()
	svc.NowFn = func() time.Time { return fakeNow }
	svc.AuthenticateFn = func(_ context.Context, username, password, _ string) (casework.User, error) {
		for _, u := range users {
			if u.Username == username && password == fakePassword {
				return u, nil
			}
		}
		return casework.User{}, &casework.Error{Code: casework.CodeUnauthorized, Message: "De gebruikersnaam of het wachtwoord klopt niet."}
	}
	svc.UserByIDFn = func(_ context.Context, id int64) (casework.User, error) {
		for _, u := range users {
			if u.ID == id {
				return u, nil
			}
		}
		return casework.User{}, &casework.Error{Code: casework.CodeUnauthorized, Message: "Log opnieuw in."}
	}
	svc.WorklistFn = func(context.Context, casework.Actor, casework.WorklistQuery) (casework.Worklist, error) {
		return casework.Worklist{CountMine: 1, CountTeam: 2}, nil
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := httptest.NewServer(web.New(svc, scs.New(), log, web.Options{}))
	t.Cleanup(srv.Close)
	return &fakeApp{t: t, svc: svc, def: def, srv: srv}
}

func (fa *fakeApp) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: fa.t, base: fa.srv.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs u in through the login form and shows one page, which takes
// the login's flash message, so that the next page shows only its own.
func (fa *fakeApp) login(u casework.User) *browser {
	fa.t.Helper()
	b := fa.browser()
	p := b.post("/login", url.Values{process.FieldUsername: {u.Username}, process.FieldPassword: {fakePassword}, "terug": {"/toegankelijkheid"}})
	expectRedirect(fa.t, p, "/toegankelijkheid")
	p = b.get("/toegankelijkheid")
	expectStatus(fa.t, p, http.StatusOK)
	if got := p.text(".utrecht-alert--ok"); !strings.Contains(got, "U bent ingelogd als "+u.Name) {
		fa.t.Fatalf("login %s: flash %q", u.Username, got)
	}
	return b
}

// flash shows a page that takes no use case and returns its flash message.
func (b *browser) flash() string {
	b.t.Helper()
	p := b.get("/toegankelijkheid")
	expectStatus(b.t, p, http.StatusOK)
	return p.text(`main > .utrecht-alert[role="status"]`)
}

// The client, cases and task the fake tests show.
const (
	fakeClientID        = 11
	fakeApplicationID   = 31
	fakeParticipationID = 21
	fakeTaskID          = 101
)

// file is a client file with an application and, when participation is
// set, an open participation dossier whose latest plan has planVersion
// (none when 0).
func (fa *fakeApp) file(participation bool, planVersion int) casework.ClientFile {
	f := casework.ClientFile{Def: fa.def,
		Client:      casework.Client{ID: fakeClientID, GivenName: "Noor", FamilyName: "de Vries", BirthDate: time.Date(1980, 5, 1, 0, 0, 0, 0, time.UTC)},
		Age:         45,
		Eligible:    true,
		Application: casework.Case{ID: fakeApplicationID, ClientID: fakeClientID, Kind: process.CaseAanvraag, Code: "0/L2", Status: process.StatusInBehandeling},
	}
	f.Applications = []casework.Case{f.Application}
	if participation {
		f.Participation = &casework.Case{ID: fakeParticipationID, ClientID: fakeClientID, Kind: process.CaseParticipatie, Code: "17/PA",
			Status: process.StatusWerkdiagnose, ApplicationID: fakeApplicationID, DossierOwner: fakeKlantmanager.ID}
	}
	if planVersion > 0 {
		f.Plan = &casework.Plan{ID: 41, CaseID: fakeParticipationID, Version: planVersion, Situation: fmt.Sprintf("Situatie volgens versie %d", planVersion),
			LadderNow: 2, LadderTarget: 4, Goals: "Werk vinden", Obligations: "Solliciteren", Consequences: "Verlaging",
			EvaluationOn: fakeNow.AddDate(0, 3, 0)}
	}
	return f
}

// taskPage is the open intake task (intake_gesprek) of the client at the
// given version, on the Poort's team worklist, held by holder (0: nobody).
func (fa *fakeApp) taskPage(version int, holder int64) casework.TaskPage {
	step, ok := fa.def.Step(process.StepIntakeGesprek)
	if !ok {
		fa.t.Fatalf("the definition has no step %s", process.StepIntakeGesprek)
	}
	team, _ := fa.def.Policy.Team(step.Team)
	tv := casework.TaskView{Task: casework.Task{ID: fakeTaskID, ApplicationID: fakeApplicationID, CaseID: fakeApplicationID, ClientID: fakeClientID,
		Step: step.Key, Team: step.Team, Status: casework.TaskOpen, Term: step.Term, HolderID: holder, Version: version,
		CreatedAt: fakeNow.AddDate(0, 0, -2), ClientName: "Noor de Vries", CaseCode: "0/L2"},
		StepTitle: step.Title, TeamName: team.Name, Deadline: process.DeadlineNone, DeadlineLabel: process.DeadlineLabels[process.DeadlineNone]}
	f := fa.file(false, 0)
	f.Tasks = []casework.TaskView{tv}
	return casework.TaskPage{File: f, Task: tv, Step: step, Form: step.Form, MayWork: true}
}
