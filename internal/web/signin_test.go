package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// newProxiedApp is newApp behind a trusted proxy (the test itself), so
// that X-Forwarded-For gives each request its client address.
func newProxiedApp(t *testing.T) *app {
	t.Helper()
	env := casetest.New(t, "sqlite")
	proxies, err := origin.ParseProxies([]string{"127.0.0.1", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	h := proxies.Handler(web.New(env.Svc, scs.New(), slog.New(slog.DiscardHandler), web.Options{PublicFormUser: env.User(t, demo.SystemUsername)}))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &app{t: t, env: env, srv: srv}
}

// TestLoginThrottledOverHTTP: after the free attempts the login form
// answers 429 with Retry-After and a Dutch message, the same for an
// unknown user; the right password from another address still logs in.
func TestLoginThrottledOverHTTP(t *testing.T) {
	a := newProxiedApp(t)
	attacker := a.browser()
	free := casework.DefaultSignIn().Throttle.FreeAttempts
	mains := map[string]string{}
	for _, name := range []string{"pieter", "onbekend"} {
		for range free {
			p := attacker.post("/login", url.Values{"gebruikersnaam": {name}, "wachtwoord": {"fout-wachtwoord"}}, "X-Forwarded-For", "203.0.113.9")
			if p.status != http.StatusUnauthorized || !strings.Contains(p.body, "De gebruikersnaam of het wachtwoord klopt niet.") {
				t.Fatalf("%s: wrong password: %d", name, p.status)
			}
			mains[name] = p.text("main")
		}
		p := attacker.post("/login", url.Values{"gebruikersnaam": {name}, "wachtwoord": {casetest.Password}}, "X-Forwarded-For", "203.0.113.9")
		if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") != "2" || !strings.Contains(p.text("main"), "Er is te vaak geprobeerd in te loggen. Wacht 2 seconden") {
			t.Fatalf("%s: throttled: %d Retry-After %q\n%s", name, p.status, p.header.Get("Retry-After"), p.text("main"))
		}
		if p.attr("#f-gebruikersnaam", "value") != name {
			t.Errorf("the form lost the username: %q", p.attr("#f-gebruikersnaam", "value"))
		}
	}
	// No user enumeration: an unknown name gets the very same page.
	if mains["pieter"] != mains["onbekend"] {
		t.Errorf("known and unknown users get different pages:\n%s\n%s", mains["pieter"], mains["onbekend"])
	}
	// Pieter himself, from his own address.
	b := a.browser()
	p := b.post("/login", url.Values{"gebruikersnaam": {"pieter"}, "wachtwoord": {casetest.Password}}, "X-Forwarded-For", "192.0.2.44")
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
		t.Fatalf("right password from another address: %d\n%s", p.status, p.text("main"))
	}
}

// TestTOTPLoginOverHTTP: the functioneel beheerder's password alone does
// not log in; the code of the second step does, once.
func TestTOTPLoginOverHTTP(t *testing.T) {
	a := newApp(t)
	b := a.browser()
	p := b.post("/login", url.Values{"gebruikersnaam": {"bram"}, "wachtwoord": {casetest.Password}, "terug": {"/toegankelijkheid"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/login/code" {
		t.Fatalf("password step: %d %q", p.status, p.header.Get("Location"))
	}
	// Not logged in yet.
	if p := b.get("/proces"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
		t.Fatalf("logged in after the password alone: %d", p.status)
	}
	if p := b.get("/login/code"); p.status != http.StatusOK || p.attr("#f-code", "autocomplete") != "one-time-code" {
		t.Fatalf("code page: %d", p.status)
	}
	if p := b.post("/login/code", url.Values{"code": {"000000"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.text(".utrecht-form-field-error-message, main"), "De code klopt niet") {
		t.Fatalf("wrong code: %d", p.status)
	}
	code := a.env.TOTPCode(t)
	if p := b.post("/login/code", url.Values{"code": {code}}); p.status != http.StatusSeeOther || p.header.Get("Location") != "/toegankelijkheid" {
		t.Fatalf("right code: %d %q", p.status, p.header.Get("Location"))
	}
	if p := b.get("/beheer/gebruikers"); p.status != http.StatusOK {
		t.Fatalf("beheerder not logged in: %d", p.status)
	}
	// The same code again, in another session, in the same step: refused.
	c := a.browser()
	c.post("/login", url.Values{"gebruikersnaam": {"bram"}, "wachtwoord": {casetest.Password}})
	if p := c.post("/login/code", url.Values{"code": {code}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("replayed code: %d", p.status)
	}
	// The second step needs the first.
	if p := a.browser().get("/login/code"); p.status != http.StatusSeeOther {
		t.Fatalf("code page without a password: %d", p.status)
	}
}

// TestBeheerderEnrolsAtLogin: a functioneel beheerder without an
// authenticator is not logged in by the password: they enrol first (the
// secret as text and QR code, confirmed with a first code), get ten
// recovery codes once, and are then logged in; a recovery code then works
// once as the second step.
func TestBeheerderEnrolsAtLogin(t *testing.T) {
	a := newApp(t)
	if _, err := a.env.Svc.CreateUser(t.Context(), nil, casework.NewUser{Username: "nieuwbeheer", Name: "Nieuwe Beheerder", Email: "nb@example.org",
		Roles: []string{string(process.RoleBeheerder)}, Password: casetest.Password}); err != nil {
		t.Fatal(err)
	}
	b := a.browser()
	p := b.post("/login", url.Values{"gebruikersnaam": {"nieuwbeheer"}, "wachtwoord": {casetest.Password}})
	if p.header.Get("Location") != "/login/authenticator" {
		t.Fatalf("password step: %d %q", p.status, p.header.Get("Location"))
	}
	if p := b.get("/beheer/gebruikers"); p.status != http.StatusSeeOther {
		t.Fatalf("logged in before enrolling: %d", p.status)
	}
	p = b.get("/login/authenticator")
	secret := p.attr("#totp-sleutel", "value")
	if p.status != http.StatusOK || len(secret) != 32 || !strings.HasPrefix(p.attr("img.wd-qr", "src"), "data:image/png;base64,") {
		t.Fatalf("enrolment page: %d %q", p.status, secret)
	}
	if p.attr("input[name=geheim]", "value") != secret {
		t.Fatal("the form does not carry the secret shown")
	}
	bad := b.post("/login/authenticator", url.Values{"geheim": {secret}, "code": {"123"}})
	if bad.status != http.StatusUnprocessableEntity || bad.attr("#totp-sleutel", "value") != secret {
		t.Fatalf("wrong first code: %d, secret kept: %v", bad.status, bad.attr("#totp-sleutel", "value") == secret)
	}
	code, _ := totp.GenerateCodeCustom(secret, a.env.Clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	p = b.post("/login/authenticator", url.Values{"geheim": {secret}, "code": {code}})
	codes := p.doc.Find(".wd-recovery-codes code")
	if p.status != http.StatusOK || codes.Length() != 10 {
		t.Fatalf("recovery codes page: %d, %d codes", p.status, codes.Length())
	}
	if p := b.get("/beheer/gebruikers"); p.status != http.StatusOK {
		t.Fatalf("not logged in after enrolling: %d", p.status)
	}
	if p := b.get("/instellingen/authenticator"); p.status != http.StatusOK || !strings.Contains(p.text("main"), "nog 10 ongebruikte herstelcode") {
		t.Fatalf("settings: %d %s", p.status, p.text("main"))
	}
	// A recovery code as the second step, once.
	rc := codes.First().Text()
	c := a.browser()
	c.post("/login", url.Values{"gebruikersnaam": {"nieuwbeheer"}, "wachtwoord": {casetest.Password}})
	if p := c.post("/login/code", url.Values{"code": {rc}}); p.status != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", p.status)
	}
	d := a.browser()
	d.post("/login", url.Values{"gebruikersnaam": {"nieuwbeheer"}, "wachtwoord": {casetest.Password}})
	if p := d.post("/login/code", url.Values{"code": {rc}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("recovery code twice: %d", p.status)
	}
}

// TestOptionalTOTP: a klantmanager may turn an authenticator on in their
// settings, after which their login asks the code; and off again.
func TestOptionalTOTP(t *testing.T) {
	a := newApp(t)
	km := a.env.Users[process.RoleKMWerk]
	b := a.login(km.Username)
	if p := b.get("/instellingen/authenticator"); p.status != http.StatusOK || !strings.Contains(p.text("main"), "alleen uw wachtwoord") {
		t.Fatalf("settings: %d", p.status)
	}
	p := b.get("/instellingen/authenticator/koppelen")
	secret := p.attr("#totp-sleutel", "value")
	code, _ := totp.GenerateCodeCustom(secret, a.env.Clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if p := b.post("/instellingen/authenticator/koppelen", url.Values{"geheim": {secret}, "code": {code}}); p.status != http.StatusOK || p.doc.Find(".wd-recovery-codes code").Length() != 10 {
		t.Fatalf("enrol: %d", p.status)
	}
	c := a.browser()
	if p := c.post("/login", url.Values{"gebruikersnaam": {km.Username}, "wachtwoord": {casetest.Password}}); p.header.Get("Location") != "/login/code" {
		t.Fatalf("login after enrolling: %q", p.header.Get("Location"))
	}
	if p := b.post("/instellingen/authenticator/uit", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", p.status)
	}
	if p := a.browser().post("/login", url.Values{"gebruikersnaam": {km.Username}, "wachtwoord": {casetest.Password}}); p.header.Get("Location") != "/" {
		t.Fatalf("login after disabling: %q", p.header.Get("Location"))
	}
}

// TestBeheerderResetsTOTP: a functioneel beheerder resets a colleague's
// authenticator app from the users page (written to history); the
// colleague's login then asks to link a new one.
func TestBeheerderResetsTOTP(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	other, err := a.env.Svc.CreateUser(ctx, nil, casework.NewUser{Username: "tweedebeheer", Name: "Tweede Beheer", Email: "tb@example.org",
		Roles: []string{string(process.RoleBeheerder)}, Password: casetest.Password, TOTPSecret: demo.BeheerderTOTPSecret})
	if err != nil {
		t.Fatal(err)
	}
	b := a.login("bram")
	p := b.get("/beheer/gebruikers")
	action := "/beheer/gebruikers/" + strconv.FormatInt(other.ID, 10) + "/authenticator-resetten"
	if !p.has(`form[action="`+action+`"]`) || p.has(`form[action="/beheer/gebruikers/`+strconv.FormatInt(a.env.Users[process.RoleBeheerder].ID, 10)+`/authenticator-resetten"]`) {
		t.Fatal("reset offered wrongly: for the colleague, not for oneself")
	}
	if p := b.post(action, url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", p.status)
	}
	if u, _ := a.env.Svc.UserByID(ctx, other.ID); u.HasTOTP() {
		t.Fatal("still has TOTP")
	}
	c := a.browser()
	if p := c.post("/login", url.Values{"gebruikersnaam": {"tweedebeheer"}, "wachtwoord": {casetest.Password}}); p.header.Get("Location") != "/login/authenticator" {
		t.Fatalf("login after reset: %q", p.header.Get("Location"))
	}
	// A klantmanager may not reset anyone's.
	km := a.loginRole(process.RoleKMWerk)
	if p := km.post("/beheer/gebruikers/"+strconv.FormatInt(a.env.Users[process.RoleBeheerder].ID, 10)+"/authenticator-resetten", url.Values{}); p.status != http.StatusForbidden {
		t.Fatalf("klantmanager resets: %d", p.status)
	}
}
