package web_test

import (
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// TestFakeHeaders: every page carries no-store, nosniff, a referrer
// policy, a CSP that forbids framing; HSTS only over HTTPS.
func TestFakeHeaders(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	for _, path := range []string{"/toegankelijkheid", "/login", "/bestaat-niet"} {
		p := b.get(path)
		h := p.header
		if h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: headers %v", path, h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
}

// TestFakeHTTPSHeadersAndSecureCookie: over TLS the answer carries HSTS and
// the session cookie is Secure, without Options.Secure.
func TestFakeHTTPSHeadersAndSecureCookie(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	srv := httptest.NewTLSServer(web.New(fa.svc, scs.New(), slog.New(slog.DiscardHandler), web.Options{}))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	b := &browser{t: t, base: srv.URL, c: c}
	p := b.post("/login", url.Values{process.FieldUsername: {fakePoortwachter.Username}, process.FieldPassword: {fakePassword}})
	expectStatus(t, p, http.StatusSeeOther)
	if p.header.Get("Strict-Transport-Security") != "max-age=31536000" {
		t.Errorf("HSTS %q", p.header.Get("Strict-Transport-Security"))
	}
	cookies := p.header.Values("Set-Cookie")
	if len(cookies) == 0 {
		t.Fatal("no session cookie")
	}
	for _, ck := range cookies {
		if !strings.Contains(ck, "; Secure") {
			t.Errorf("cookie over HTTPS without Secure: %s", ck)
		}
	}
}

// TestFakeCrossOriginRefusedInDutch: a form another site posts is refused
// with 403 and a Dutch page; nothing is called.
func TestFakeCrossOriginRefusedInDutch(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	p := b.post("/uitloggen", url.Values{}, "Sec-Fetch-Site", "cross-site")
	expectStatus(t, p, http.StatusForbidden)
	if got := p.text("h1"); got != "Verzoek geweigerd" {
		t.Errorf("heading %q\n%s", got, p.body)
	}
	if !strings.Contains(p.body, "er is niets gewijzigd") || p.header.Get("Cache-Control") != "no-store" {
		t.Errorf("page %s", p.body)
	}
	// Still logged in: the logout was not done.
	expectStatus(t, b.get("/toegankelijkheid"), http.StatusOK)
	if p := b.get("/toegankelijkheid"); !strings.Contains(p.body, fakePoortwachter.Name) {
		t.Error("the cross-origin logout was carried out")
	}
}
