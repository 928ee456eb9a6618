// Package web is the server-rendered Dutch caseworker interface of
// Werkdiagnose, plus the public digital application form. It renders the
// use cases of internal/casework with html/template and NL Design System
// (Utrecht) CSS, and holds no business rules of its own: every change goes
// through the use cases of internal/casework (casework.Services), which
// check roles, versions and input.
package web

import (
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// Options configures the web interface.
type Options struct {
	// Secure marks the session cookie Secure (serve over HTTPS).
	Secure bool
	// PublicFormUser is the (system) account the public digital application
	// form acts as. When its ID is zero the public form answers 404.
	PublicFormUser casework.User
	// SSO is sign-in with OpenID Connect; not Enabled: local accounts only.
	SSO settings.SSO
	// PublicFormPerHour and PublicFormBurst limit the applications the
	// public form takes from one client address (see internal/origin): at
	// most Burst at once, refilled at PerHour an hour; more is answered
	// with 429 and Retry-After. PerHour 0: no limit.
	PublicFormPerHour, PublicFormBurst int
}

// server holds what the handlers share. It has no mutable state beyond
// what its dependencies guard themselves. Each handler uses the use cases
// of the area it works in, so the field it calls names that area.
type server struct {
	casework.Areas

	sessions *scs.SessionManager
	log      *slog.Logger
	opts     Options
	public   *limiter  // the public form's limit per client address
	rows     *rowCache // the rendered rows of worklists
	assets   *assets
	pages    *pageSet
	sso      *ssoClient // nil without SSO
	counts   navCounts  // the navigation's worklist counts per user, for a short while
}

// New returns the handler of the web interface on the use cases in svc
// (*casework.Service, or casework/fake in tests), behind cross-origin
// protection against CSRF (a refusal is a Dutch page, crossOrigin). The
// caller mounts /api/ separately. sessions is
// a ready session manager (its store is the caller's); New sets its cookie
// attributes. New panics when the embedded templates do not parse, which
// is a programming error caught by any test.
func New(svc casework.Services, sessions *scs.SessionManager, log *slog.Logger, opts Options) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	sessions.Cookie.Name = "werkdiagnose_sessie"
	sessions.Cookie.HttpOnly = true
	sessions.Cookie.SameSite = http.SameSiteLaxMode
	sessions.Cookie.Secure = opts.Secure
	sessions.Cookie.Path = "/"

	s := &server{Areas: casework.AreasOf(svc), sessions: sessions, log: log, opts: opts}
	// A session that cannot be read or written (the store overloaded or
	// down) gets the same answer as any failed request: a Dutch page, 503
	// with Retry-After when the system is too busy; never scs's English 500.
	sessions.ErrorFunc = s.fail
	s.public = newLimiter(opts.PublicFormPerHour, opts.PublicFormBurst, s.Process.Now)
	s.assets = loadAssets()
	s.pages = mustParsePages(s.funcs())
	s.rows = newRowCache()
	if opts.SSO.Enabled() {
		s.sso = &ssoClient{cfg: opts.SSO}
	}

	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.chain(rt))
	}
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	return s.logRequests(s.securityHeaders(s.recoverPanics(csrf.Handler(mux))))
}
