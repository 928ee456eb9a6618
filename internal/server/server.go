// Package server composes the web UI and the JSON API into the one handler
// an instance serves, with the protections every route shares. cmd and the
// end-to-end tests use the same composition.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// Options configure the handler.
type Options struct {
	SecureCookies  bool
	PublicFormUser casework.User // zero: no public application form
	// PublicFormPerHour and PublicFormBurst limit the public form per
	// client address (public_form_limit); PerHour 0: no limit.
	PublicFormPerHour, PublicFormBurst int
	// Proxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (server.trusted_proxies); the zero
	// value believes nobody's.
	Proxies origin.Proxies
	// SSO is sign-in with OpenID Connect (config sso); not Enabled: none.
	SSO settings.SSO
}

// NewSessions returns the session manager on the given store.
func NewSessions(store scs.Store, secure bool) *scs.SessionManager {
	s := scs.New()
	s.Store = store
	s.Lifetime = 10 * time.Hour
	s.IdleTimeout = 60 * time.Minute
	s.Cookie.Secure = secure
	return s
}

// Handler serves /api/ and the web UI. Each protects itself against CSRF
// (a browser's cross-origin POST is refused before it reaches a handler,
// with a Dutch page or a Dutch problem document; API clients without
// browser headers pass). Every request's origin (client address, HTTPS) is
// worked out once, here, for both (internal/origin). svc is
// *casework.Service in production.
func Handler(svc casework.Services, sessions *scs.SessionManager, log *slog.Logger, opts Options) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(svc, log))
	mux.Handle("/", web.New(svc, sessions, log, web.Options{Secure: opts.SecureCookies, PublicFormUser: opts.PublicFormUser, SSO: opts.SSO,
		PublicFormPerHour: opts.PublicFormPerHour, PublicFormBurst: opts.PublicFormBurst}))
	return opts.Proxies.Handler(mux)
}
