package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/server"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// queryStats is the hook cmd passes: the store's statement counter.
func queryStats(ctx context.Context) (context.Context, func() (int, time.Duration)) {
	ctx, s := store.WithQueryStats(ctx)
	return ctx, func() (int, time.Duration) { return s.Count(), s.Duration() }
}

// counted is the real handler on a real store, each request's statements
// counted from before the handler to after it (the audit line written
// after the answer included).
type counted struct {
	t      testing.TB
	srv    *httptest.Server
	counts chan int
}

func newCounted(t testing.TB, env *casetest.Env) *counted {
	t.Helper()
	h := server.Handler(env.Svc, server.NewSessions(env.DB.SessionStore(), false), slog.New(slog.DiscardHandler),
		server.Options{PublicFormUser: env.User(t, demo.SystemUsername), QueryStats: queryStats, ServerTiming: true})
	c := &counted{t: t, counts: make(chan int, 1)}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, s := store.WithQueryStats(r.Context())
		h.ServeHTTP(w, r.WithContext(ctx))
		c.counts <- s.Count()
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// answer is a response with the statements the server ran for it.
type answer struct {
	status  int
	header  http.Header
	body    []byte
	queries int
}

// do sends a request and waits for the handler to have finished.
func (c *counted) do(client *http.Client, req *http.Request) answer {
	c.t.Helper()
	res, err := client.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		c.t.Fatal(err)
	}
	select {
	case n := <-c.counts:
		return answer{status: res.StatusCode, header: res.Header, body: body, queries: n}
	case <-time.After(30 * time.Second):
		c.t.Fatalf("%s %s: the handler did not finish", req.Method, req.URL.Path)
		return answer{}
	}
}

// browser signs in through the login form and keeps the session cookie.
func (c *counted) browser(username string) *http.Client {
	c.t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+"/login",
		strings.NewReader(url.Values{"gebruikersnaam": {username}, "wachtwoord": {casetest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a := c.do(client, req); a.status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d", username, a.status)
	}
	return client
}

func (c *counted) page(client *http.Client, path string) answer {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+path, nil)
	a := c.do(client, req)
	if a.status != http.StatusOK {
		c.t.Fatalf("GET %s: status %d\n%s", path, a.status, a.body)
	}
	return a
}

func (c *counted) api(token, method, path string, body any) answer {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	a := c.do(http.DefaultClient, req)
	if a.status != http.StatusOK {
		c.t.Fatalf("%s %s: status %d\n%s", method, path, a.status, a.body)
	}
	return a
}

var serverTiming = regexp.MustCompile(`^db;dur=[0-9.]+;desc="([0-9]+) queries", app;dur=[0-9.]+$`)

// pageQueries are the most statements each page and API call may run,
// session, sign-in and audit line included: the count after the
// reductions of issue 11 with a little headroom. A page that needs more
// raises its number here, deliberately; a query per row of a list (an
// N+1) passes it by far on the data of TestPageQueries.
var pageQueries = map[string]int{
	"team worklist":                 14,
	"client page":                   33,
	"task page":                     26,
	"mijn dossiers":                 17,
	"GET /api/taken/{id}":           24,
	"GET /api/klanten/{id}":         29,
	"POST /api/taken/{id}/afronden": 33,
}

// TestPageQueries counts the statements of the main pages and of the
// task API, on a database with enough rows that a query per row would
// pass the limits: a worklist of more than a dozen tasks, a client far
// along (ten tasks, dozens of history lines, a plan, trajectories,
// appointments, messages), a klantmanager with four dossiers, a step
// completed on an application with seven tasks before it.
func TestPageQueries(t *testing.T) {
	env := casetest.New(t, "sqlite")
	ctx := context.Background()
	lead := env.Actor(process.RoleTeamleider)

	// Clients spread over the first steps: a worklist of many rows.
	for _, st := range []process.StepKey{process.StepIntakeGesprek, process.StepBeoordelingDoelgroep, process.StepAanmeldingParticipatie,
		process.StepVerwerkingAanmelding, process.StepIntakeGesprek, process.StepBeoordelingDoelgroep, process.StepAanmeldingParticipatie,
		process.StepVerwerkingAanmelding} {
		env.WalkTo(t, env.Apply(t), "", st)
	}
	// Clients far along, their dossiers given to one klantmanager.
	var deep []casework.Case
	owner := env.Users[process.RoleKMWerk]
	dossiers := casework.Values{}
	for range 4 {
		app := env.Apply(t)
		env.WalkTo(t, app, "", process.StepStartBegeleiding)
		deep = append(deep, app)
		f := env.File(t, app.ClientID)
		if f.Participation == nil {
			t.Fatal("a client at the start of guidance has no dossier")
		}
		if f.Participation.DossierOwner != owner.ID {
			dossiers.Add(process.FieldDossiers, strconv.FormatInt(f.Participation.ID, 10))
		}
	}
	dossiers.Set(process.FieldKM, strconv.FormatInt(owner.ID, 10))
	dossiers.Set(process.FieldReason, "Verlof van de collega.")
	if _, err := env.Svc.TransferDossiers(ctx, lead, dossiers); err != nil {
		t.Fatalf("transfer dossiers: %v %v", err, casework.FieldErrors(err))
	}
	rich := deep[0]
	file := env.File(t, rich.ClientID)
	open := file.OpenTasks()
	if len(open) == 0 || len(file.Events) < 20 || len(file.Tasks) < 8 || len(file.Records) < 8 {
		t.Fatalf("the deep client has %d open tasks, %d tasks, %d history lines, %d records", len(open), len(file.Tasks), len(file.Events), len(file.Records))
	}
	// The step completed through the API: the hand-over to a klantmanager
	// Werk, with its mail, on an application with a long history.
	step := env.WalkTo(t, env.Apply(t), "", process.StepVerdelenKMWerk)
	worker := casework.Actor{User: env.Users[process.RoleTeamOndersteuning]}
	if step.HolderID != 0 {
		worker = casework.Actor{User: env.UserByID(t, step.HolderID)}
	}
	values := casetest.ValidValues(t, env, step)
	token, err := env.Svc.IssueToken(ctx, env.Actor(process.RoleBeheerder), worker.User.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	leadToken, err := env.Svc.IssueToken(ctx, env.Actor(process.RoleBeheerder), lead.User.ID, "test lead")
	if err != nil {
		t.Fatal(err)
	}

	c := newCounted(t, env)
	leadWeb := c.browser(lead.User.Username)
	ownerWeb := c.browser(owner.Username)

	wl := c.page(leadWeb, "/werkvoorraad")
	m := serverTiming.FindStringSubmatch(wl.header.Get("Server-Timing"))
	if m == nil {
		t.Fatalf("Server-Timing %q", wl.header.Get("Server-Timing"))
	}
	if n, _ := strconv.Atoi(m[1]); n == 0 || n > wl.queries {
		t.Errorf("Server-Timing says %d queries, the request ran %d", n, wl.queries)
	}
	velden := map[string]any{}
	for k, v := range values {
		velden[k] = v
	}
	got := map[string]int{
		"team worklist":         wl.queries,
		"client page":           c.page(leadWeb, "/klanten/"+strconv.FormatInt(rich.ClientID, 10)).queries,
		"task page":             c.page(leadWeb, "/taken/"+strconv.FormatInt(open[0].ID, 10)).queries,
		"mijn dossiers":         c.page(ownerWeb, "/dossiers/mijn").queries,
		"GET /api/taken/{id}":   c.api(leadToken, http.MethodGet, "/api/taken/"+strconv.FormatInt(open[0].ID, 10), nil).queries,
		"GET /api/klanten/{id}": c.api(leadToken, http.MethodGet, "/api/klanten/"+strconv.FormatInt(rich.ClientID, 10), nil).queries,
		"POST /api/taken/{id}/afronden": c.api(token, http.MethodPost, "/api/taken/"+strconv.FormatInt(step.ID, 10)+"/afronden",
			map[string]any{"versie": step.Version, "velden": velden}).queries,
	}
	for what, n := range got {
		t.Logf("%-32s %3d statements (at most %d)", what, n, pageQueries[what])
		if n > pageQueries[what] {
			t.Errorf("%s ran %d statements, more than %d: a query in a loop, or a read repeated?", what, n, pageQueries[what])
		}
	}
}
