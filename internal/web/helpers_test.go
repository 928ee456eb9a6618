package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// app is the web interface on a real service on SQLite.
type app struct {
	t   *testing.T
	env *casetest.Env
	srv *httptest.Server
}

func newApp(t *testing.T) *app {
	t.Helper()
	return newAppOn(t, "sqlite")
}

// newAppOn is newApp on the engine ("sqlite" or "postgres").
func newAppOn(t *testing.T, engine string) *app {
	t.Helper()
	env := casetest.New(t, engine)
	h := web.New(env.Svc, scs.New(), slog.New(slog.DiscardHandler), web.Options{PublicFormUser: env.User(t, demo.SystemUsername)})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &app{t: t, env: env, srv: srv}
}

// browser is one user's cookie jar; it does not follow redirects so that
// tests see the 303s.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

// page is a response with its parsed HTML.
type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (a *app) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: a.t, base: a.srv.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login logs a demo user in through the login form.
func (a *app) login(username string) *browser {
	a.t.Helper()
	b := a.browser()
	p := b.post("/login", url.Values{"gebruikersnaam": {username}, "wachtwoord": {casetest.Password}})
	if p.status != http.StatusSeeOther {
		a.t.Fatalf("login %s: status %d\n%s", username, p.status, p.body)
	}
	if p.header.Get("Location") == "/login/code" {
		// The functioneel beheerder's second step: the authenticator code.
		p = b.post("/login/code", url.Values{process.FieldTOTPCode: {a.env.TOTPCode(a.t)}})
		if p.status != http.StatusSeeOther {
			a.t.Fatalf("login %s, code: status %d\n%s", username, p.status, p.body)
		}
	}
	// Follow the redirect like a browser (this shows the login flash).
	for i := 0; i < 5 && p.status == http.StatusSeeOther; i++ {
		p = b.get(p.header.Get("Location"))
	}
	return b
}

// loginRole logs in the first user of a role.
func (a *app) loginRole(r process.Role) *browser {
	return a.login(a.env.Users[r].Username)
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		b.t.Fatal(err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(body), doc: doc}
}

func (b *browser) get(path string, hdr ...string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return b.do(req)
}

func (b *browser) post(path string, v url.Values, hdr ...string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return b.do(req)
}

// text is the trimmed text of the first match of sel.
func (p page) text(sel string) string { return strings.TrimSpace(p.doc.Find(sel).First().Text()) }

func (p page) has(sel string) bool { return p.doc.Find(sel).Length() > 0 }

func (p page) attr(sel, name string) string {
	v, _ := p.doc.Find(sel).First().Attr(name)
	return v
}

func expectStatus(t *testing.T, p page, want int) {
	t.Helper()
	if p.status != want {
		t.Fatalf("status %d, want %d\n%s", p.status, want, p.body)
	}
}

func expectRedirect(t *testing.T, p page, prefix string) string {
	t.Helper()
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303 to %s\n%s", p.status, prefix, p.body)
	}
	loc := p.header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect to %q, want prefix %q", loc, prefix)
	}
	return loc
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// taskValues are valid values for a task plus its version.
func taskValues(t *testing.T, env *casetest.Env, task casework.Task) url.Values {
	t.Helper()
	v := casetest.ValidValues(t, env, task)
	v.Set("versie", strconv.Itoa(task.Version))
	return v
}

// currentTask reloads a task (its version changes with each pick-up).
func currentTask(t *testing.T, env *casetest.Env, taskID int64) casework.Task {
	t.Helper()
	tp, err := env.Svc.TaskPage(t.Context(), env.Actor(process.RoleTeamleider), taskID)
	if err != nil {
		t.Fatalf("task page: %v", err)
	}
	return tp.Task.Task
}

// openTask returns the client's open task of the step.
func openTask(t *testing.T, env *casetest.Env, clientID int64, step process.StepKey) casework.Task {
	t.Helper()
	for _, tv := range env.File(t, clientID).OpenTasks() {
		if tv.Step == step {
			return tv.Task
		}
	}
	t.Fatalf("no open task %s for client %d", step, clientID)
	return casework.Task{}
}

// holderLogin logs in the holder of a task, or a member of its team.
func (a *app) holderLogin(task casework.Task) *browser {
	a.t.Helper()
	if task.HolderID != 0 {
		for _, u := range a.env.All {
			if u.ID == task.HolderID {
				return a.login(u.Username)
			}
		}
	}
	team, _ := a.env.Svc.Definition().Policy.Team(task.Team)
	return a.loginRole(team.Role)
}
