package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/oauth2"
	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// The SSO tests sign in against a real OpenID provider started in the
// test: zitadel/oidc's example OP (its login form, authorize, token,
// userinfo and keys endpoints) with its in-memory storage, whose userinfo
// answer is given a "groups" claim. Nothing of the flow is mocked: the
// browser is an http.Client with a cookie jar that fills in the
// provider's login form and follows the redirects back.

// opUsers is the provider's user store.
type opUsers map[string]*storage.User

func (u opUsers) GetUserByID(id string) *storage.User { return u[id] }
func (u opUsers) GetUserByUsername(name string) *storage.User {
	for _, x := range u {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (u opUsers) ExampleClientID() string { return "service" }

// groupsStorage adds each user's groups to the userinfo answer.
type groupsStorage struct {
	*storage.Storage
	mu     sync.Mutex
	groups map[string][]string
}

func (s *groupsStorage) SetUserinfoFromToken(ctx context.Context, info *zoidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	info.AppendClaims("groups", s.groups[subject])
	return nil
}

func (s *groupsStorage) setGroups(subject string, groups ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[subject] = groups
}

// lockedBuffer is a log sink the handlers write to concurrently.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type ssoEnv struct {
	logs *lockedBuffer // the app's log
	env  *casetest.Env
	app  *httptest.Server
	op   *httptest.Server
	sso  settings.SSO
	st   *groupsStorage
	jar  http.CookieJar
	next func(*http.Request) bool // stop following redirects when it says so
}

func newSSOEnv(t *testing.T) *ssoEnv {
	t.Helper()
	e := &ssoEnv{env: casetest.New(t, "sqlite")}
	e.app = httptest.NewUnstartedServer(nil)
	e.op = httptest.NewUnstartedServer(nil)
	appURL, issuer := "http://"+e.app.Listener.Addr().String(), "http://"+e.op.Listener.Addr().String()

	users := opUsers{
		"sub-anna": {ID: "sub-anna", Username: "anna", Password: "anna-wachtwoord", FirstName: "Anna", LastName: "de Boer",
			Email: "anna@gemeente.example", EmailVerified: true, PreferredLanguage: language.Dutch},
		"sub-piet": {ID: "sub-piet", Username: "piet", Password: "piet-wachtwoord", FirstName: "Piet", LastName: "Zonderrol",
			Email: "piet@gemeente.example", EmailVerified: true, PreferredLanguage: language.Dutch},
	}
	clients := map[string]*storage.Client{"werkdiagnose": storage.WebClient("werkdiagnose", "klantgeheim", appURL+"/login/sso/terug")}
	st := &groupsStorage{Storage: storage.NewStorageWithClients(users, clients),
		groups: map[string][]string{"sub-anna": {"wd-klantmanagers", "iets-anders"}, "sub-piet": {"iets-anders"}}}
	e.st = st
	e.op.Config.Handler = exampleop.SetupServer(issuer, st, nil, false, op.WithAllowInsecure())
	e.op.Start()
	t.Cleanup(e.op.Close)

	e.sso = settings.SSO{Issuer: issuer, ClientID: "werkdiagnose", ClientSecret: "klantgeheim", Organisation: "gemeente Voorbeeld",
		RoleMap: map[string][]string{"wd-klantmanagers": {string(process.RoleKMWerk)}, "wd-leiding": {string(process.RoleTeamleider)}}}.WithDefaults(appURL)
	e.logs = &lockedBuffer{}
	e.app.Config.Handler = web.New(e.env.Svc, scs.New(), slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		web.Options{PublicFormUser: e.env.User(t, demo.SystemUsername), SSO: e.sso})
	e.app.Start()
	t.Cleanup(e.app.Close)
	e.jar, _ = cookiejar.New(nil)
	return e
}

func (e *ssoEnv) client() *http.Client {
	return &http.Client{Jar: e.jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if e.next != nil && e.next(r) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

type resp struct {
	status int
	url    *url.URL
	header http.Header
	body   string
}

func (e *ssoEnv) do(t *testing.T, method, u string, form url.Values) resp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r, err := e.client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{status: r.StatusCode, url: r.Request.URL, header: r.Header, body: string(b)}
}

var authRequestID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// signIn clicks "Inloggen met … account" and fills in the provider's
// login form; it returns the last response (redirects followed unless
// e.next stops them).
func (e *ssoEnv) signIn(t *testing.T, user, password string) resp {
	t.Helper()
	login := e.do(t, http.MethodGet, e.app.URL+"/login", nil)
	if !strings.Contains(login.body, "Inloggen met gemeente Voorbeeld account") {
		t.Fatalf("no SSO button on the login page:\n%s", login.body)
	}
	form := e.do(t, http.MethodGet, e.app.URL+"/login/sso?terug=/toegankelijkheid", nil)
	m := authRequestID.FindStringSubmatch(form.body)
	if m == nil || !strings.HasPrefix(form.url.String(), e.op.URL+"/login/username") {
		t.Fatalf("not at the provider's login form: %s\n%s", form.url, form.body)
	}
	return e.do(t, http.MethodPost, e.op.URL+"/login/username",
		url.Values{"username": {user}, "password": {password}, "id": {html.UnescapeString(m[1])}})
}

func (e *ssoEnv) loggedIn(t *testing.T) bool {
	t.Helper()
	r := e.do(t, http.MethodGet, e.app.URL+"/proces", nil)
	return r.url.Path == "/proces" && r.status == http.StatusOK
}

// TestSSOSignIn: a user whose group maps to Klantmanager Werk signs in at
// the provider, comes back logged in (a new account, by subject, with that
// role) on the page they were going to; at the next sign-in the roles are
// refreshed from the claims.
func TestSSOSignIn(t *testing.T) {
	e := newSSOEnv(t)
	// The redirect to the provider carries PKCE (S256), state and nonce.
	e.next = func(r *http.Request) bool { return strings.HasPrefix(r.URL.String(), e.op.URL+"/auth?") }
	start := e.do(t, http.MethodGet, e.app.URL+"/login/sso", nil)
	loc, _ := url.Parse(start.header.Get("Location"))
	q := loc.Query()
	if start.status != http.StatusFound || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" ||
		q.Get("state") == "" || q.Get("nonce") == "" || q.Get("scope") != "openid profile email" {
		t.Fatalf("authorization request: %d %s", start.status, loc)
	}
	e.next = nil

	end := e.signIn(t, "anna", "anna-wachtwoord")
	if end.url.Path != "/toegankelijkheid" || !strings.Contains(end.body, "U bent ingelogd als Anna de Boer") {
		t.Fatalf("after SSO: %s %d\n%s", end.url, end.status, end.body)
	}
	u, err := e.env.Svc.UserByUsername(context.Background(), "anna")
	if err != nil || u.SSOSubject != "sub-anna" || len(u.Roles) != 1 || u.Roles[0] != process.RoleKMWerk || u.Email != "anna@gemeente.example" || u.PasswordHash != "" {
		t.Fatalf("provisioned account %+v, %v", u, err)
	}
	if !e.loggedIn(t) {
		t.Fatal("not logged in after SSO")
	}
	// The log says who logged in by id only: no name, e-mail, subject,
	// group, state, code or token.
	logs := e.logs.String()
	if !strings.Contains(logs, "msg=login user_id=") {
		t.Errorf("no login line in the log:\n%s", logs)
	}
	for _, secret := range []string{"Anna", "anna@", "sub-anna", "wd-klantmanagers", q.Get("state"), q.Get("nonce"), "code=", "eyJ", "klantgeheim"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs)
		}
	}
	// Next time the provider says Anna leads the team: her roles follow.
	e.do(t, http.MethodPost, e.app.URL+"/uitloggen", url.Values{})
	e.jar, _ = cookiejar.New(nil)
	e.st.setGroups("sub-anna", "wd-leiding")
	e.signIn(t, "anna", "anna-wachtwoord")
	u, _ = e.env.Svc.UserByUsername(context.Background(), "anna")
	if len(u.Roles) != 1 || u.Roles[0] != process.RoleTeamleider {
		t.Fatalf("roles not refreshed: %v", u.Roles)
	}
}

// TestSSORefusals: an unmapped user gets a Dutch refusal and no session;
// a changed state is refused; the provider will not give tokens for the
// code without the PKCE verifier that only the session knows.
func TestSSORefusals(t *testing.T) {
	e := newSSOEnv(t)
	end := e.signIn(t, "piet", "piet-wachtwoord")
	if end.status != http.StatusForbidden || !strings.Contains(end.body, "geen rol in Werkdiagnose") {
		t.Fatalf("unmapped user: %d\n%s", end.status, end.body)
	}
	if e.loggedIn(t) {
		t.Fatal("unmapped user is logged in")
	}
	if _, err := e.env.Svc.UserByUsername(context.Background(), "piet"); casework.ErrorCode(err) != casework.CodeNotFound {
		t.Fatalf("unmapped user got an account: %v", err)
	}

	// Stop at the way back to the app, and change the state.
	e.next = func(r *http.Request) bool { return strings.HasPrefix(r.URL.String(), e.app.URL+"/login/sso/terug") }
	back := e.signIn(t, "anna", "anna-wachtwoord")
	cb, err := url.Parse(back.header.Get("Location"))
	if err != nil || cb.Query().Get("code") == "" {
		t.Fatalf("no callback: %d %q", back.status, back.header.Get("Location"))
	}
	q := cb.Query()
	state := q.Get("state")
	q.Set("state", "een-andere-state")
	cb.RawQuery = q.Encode()
	e.next = nil
	bad := e.do(t, http.MethodGet, cb.String(), nil)
	if bad.status != http.StatusUnauthorized || !strings.Contains(bad.body, "Inloggen via uw organisatie is niet gelukt") || e.loggedIn(t) {
		t.Fatalf("changed state: %d\n%s", bad.status, bad.body)
	}
	// The state is for one answer: the real one now fails too.
	q.Set("state", state)
	cb.RawQuery = q.Encode()
	if again := e.do(t, http.MethodGet, cb.String(), nil); again.status != http.StatusUnauthorized || e.loggedIn(t) {
		t.Fatalf("state used twice: %d", again.status)
	}

	// A fresh code, taken to the token endpoint without the verifier.
	e.next = func(r *http.Request) bool { return strings.HasPrefix(r.URL.String(), e.app.URL+"/login/sso/terug") }
	back = e.signIn(t, "anna", "anna-wachtwoord")
	cb, _ = url.Parse(back.header.Get("Location"))
	p, err := oidc.NewProvider(context.Background(), e.op.URL)
	if err != nil {
		t.Fatal(err)
	}
	oc := oauth2.Config{ClientID: "werkdiagnose", ClientSecret: "klantgeheim", RedirectURL: e.sso.RedirectURL, Endpoint: p.Endpoint()}
	if _, err := oc.Exchange(context.Background(), cb.Query().Get("code")); err == nil {
		t.Fatal("the provider gave tokens for a code without its PKCE verifier")
	}
	if _, err := oc.Exchange(context.Background(), cb.Query().Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil {
		t.Fatal("the provider gave tokens for a code with another verifier")
	}
	// Refusals are logged with a fixed reason, without what was sent.
	logs := e.logs.String()
	if !strings.Contains(logs, `reason="state mismatch"`) || !strings.Contains(logs, `reason="no role or deactivated"`) {
		t.Errorf("refusal reasons not logged:\n%s", logs)
	}
	for _, secret := range []string{"een-andere-state", state, "piet", "iets-anders", cb.Query().Get("code")} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}
