// Package server composes the web UI and the JSON API into the one handler
// an instance serves, with the protections every route shares. cmd and the
// end-to-end tests use the same composition.
package server

import (
	"context"
	"fmt"
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
	// QueryStats, when set, gives each request a context whose database
	// statements are counted; the function it returns reports the count
	// and their time so far. cmd passes the store's (store.WithQueryStats):
	// this package does not import the store.
	QueryStats func(context.Context) (context.Context, func() (int, time.Duration))
	// ServerTiming adds a Server-Timing header to every answer (needs
	// QueryStats): the statements and their time, and the rest of the
	// server's time (server.server_timing, on with serve --demo). For
	// development: it tells anyone how the server spends its time.
	ServerTiming bool
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
	return opts.Proxies.Handler(countQueries(mux, opts))
}

// countQueries counts the statements of each request (Options.QueryStats)
// and, with Options.ServerTiming, reports them before the answer's first
// byte: `Server-Timing: db;dur=1.2;desc="7 queries", app;dur=3.4`, app
// being the server's time besides the statements. What runs after the
// answer began (the audit line) is not in the header.
func countQueries(next http.Handler, opts Options) http.Handler {
	if opts.QueryStats == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, stats := opts.QueryStats(r.Context())
		if opts.ServerTiming {
			w = &timingWriter{ResponseWriter: w, start: time.Now(), stats: stats}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// timingWriter sets the Server-Timing header when the answer begins.
type timingWriter struct {
	http.ResponseWriter
	start time.Time
	stats func() (int, time.Duration)
	done  bool
}

func (w *timingWriter) header() {
	if w.done {
		return
	}
	w.done = true
	n, db := w.stats()
	app := max(time.Since(w.start)-db, 0)
	w.Header().Add("Server-Timing", fmt.Sprintf(`db;dur=%.1f;desc="%d queries", app;dur=%.1f`, ms(db), n, ms(app)))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (w *timingWriter) WriteHeader(code int) {
	w.header()
	w.ResponseWriter.WriteHeader(code)
}

func (w *timingWriter) Write(b []byte) (int, error) {
	w.header()
	return w.ResponseWriter.Write(b)
}

func (w *timingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
