package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
)

// sessionUserKey is the session key of the logged-in user's id.
const sessionUserKey = "user_id"

// reqInfo is what the middleware learns about a request while it runs:
// the matched route pattern, the user, and whether a session is loaded.
// The logging middleware creates it; inner layers fill it in.
type reqInfo struct {
	pattern string
	userID  int64
	session bool
	user    *casework.User
	audit   *casework.AuditRequest // the request's audit context
	audited bool                   // the route is audited (see chain)
}

type reqInfoKey struct{}

// info returns the request's reqInfo (a throw-away one outside the middleware).
func info(r *http.Request) *reqInfo {
	if ri, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{}
}

// currentUser returns the logged-in user, or nil.
func currentUser(r *http.Request) *casework.User { return info(r).user }

// actor returns the logged-in user as a casework actor. Only call it on
// loggedIn routes.
func actor(r *http.Request) casework.Actor {
	if u := currentUser(r); u != nil {
		return casework.Actor{User: *u}
	}
	return casework.Actor{}
}

// chain builds a route's handler: error handling, then the user and session
// layers its access level needs.
func (s *server) chain(rt route) http.Handler {
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info(r).pattern = r.Pattern
		if err := casework.CheckAddress(r.URL.Path, r.URL.Query()); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := rt.handler(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
	if rt.access != noSession {
		h = secureCookies(s.sessions.LoadAndSave(s.loadUser(h, rt.access == loggedIn)))
	}
	// Every route of a signed-in user is audited, and every change (a
	// login, the public form): not the static files, the health check or
	// pages without personal data shown to anyone.
	method, _, hasMethod := strings.Cut(rt.pattern, " ")
	if rt.access != loggedIn && (!hasMethod || method == http.MethodGet) {
		return h
	}
	inner := h
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r)
		ri.audited = true
		if ri.audit != nil {
			ri.audit.Action = rt.pattern
			noteRouteObject(ri.audit, r)
			if rt.access == noSession && s.opts.PublicFormUser.ID != 0 {
				ri.audit.SetActor(s.opts.PublicFormUser) // the public form acts as its system account
			}
		}
		inner.ServeHTTP(w, r)
	})
}

// secureCookies marks every cookie a response sets Secure when the request
// came over HTTPS (TLS here, or a trusted proxy's X-Forwarded-Proto; see
// internal/origin), so the session cookie never travels over plain HTTP
// once it was given over HTTPS. Options.Secure marks them always.
func secureCookies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !origin.From(r).HTTPS {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&cookieWriter{ResponseWriter: w}, r)
	})
}

// cookieWriter adds Secure to the Set-Cookie headers before they go.
type cookieWriter struct {
	http.ResponseWriter
	done bool
}

func (w *cookieWriter) secure() {
	if w.done {
		return
	}
	w.done = true
	cs := w.Header()["Set-Cookie"]
	for i, c := range cs {
		if !strings.Contains(strings.ToLower(c), "; secure") {
			cs[i] = c + "; Secure"
		}
	}
}

func (w *cookieWriter) WriteHeader(code int) {
	w.secure()
	w.ResponseWriter.WriteHeader(code)
}

func (w *cookieWriter) Write(b []byte) (int, error) {
	w.secure()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *cookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// loadUser puts the session's user on the request. When required is set
// and nobody (active) is logged in, it redirects to the login page.
func (s *server) loadUser(next http.Handler, required bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r)
		ri.session = true
		if id := s.sessions.GetInt64(r.Context(), sessionUserKey); id != 0 {
			u, err := s.Accounts.UserByID(r.Context(), id)
			switch {
			case err == nil:
				ri.user, ri.userID = &u, u.ID
				if ri.audit != nil {
					ri.audit.SetActor(u)
				}
			case casework.ErrorCode(err) == casework.CodeUnauthorized || casework.ErrorCode(err) == casework.CodeNotFound:
				// Deactivated or removed account: end the session.
				s.sessions.Remove(r.Context(), sessionUserKey)
			default:
				s.fail(w, r, err)
				return
			}
		}
		if required && ri.user == nil {
			if ri.audit != nil {
				ri.audit.Refuse()
			}
			s.redirectToLogin(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// redirectToLogin sends the browser to the login page, remembering where
// it was going when that was a page (GET).
func (s *server) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		if back := localPath(r.URL.RequestURI()); back != "" {
			target += "?terug=" + url.QueryEscape(back)
		}
	}
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns p when it is a path on this site (no scheme, no host,
// no protocol-relative or backslash tricks), else "".
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n\t") {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return u.RequestURI()
}

// backTo returns the local page the request came from (Referer on this
// host), else fallback.
func backTo(r *http.Request, fallback string) string {
	ref := r.Header.Get("Referer")
	if ref == "" {
		return fallback
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Host != "" && u.Host != r.Host) || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return fallback
	}
	if p := localPath(u.RequestURI()); p != "" {
		return p
	}
	return fallback
}

// statusWriter records the status code for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one log line per request: method, route pattern,
// status, duration and user id. Never the query string or form values:
// they can hold names or a BSN. It opens the request's trace (W3C Trace
// Context: the caller's traceparent continued, or a new trace) and audit
// context, answers with the traceparent of our span, and records an
// audited route in the audit log once it has answered.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		tr := casework.StartTrace(r.Header.Get("traceparent"), r.Header.Get("tracestate"))
		ar := &casework.AuditRequest{Channel: casework.ChannelWeb, Address: origin.From(r).Client(), Trace: tr, Started: start}
		ri := &reqInfo{audit: ar}
		r = r.WithContext(casework.WithAudit(context.WithValue(r.Context(), reqInfoKey{}, ri), ar))
		w.Header().Set("traceparent", tr.Traceparent())
		if tr.State != "" {
			w.Header().Set("tracestate", tr.State)
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		if ri.audited {
			if err := s.Audit.RecordRequest(context.WithoutCancel(r.Context()), ar, sw.status); err != nil {
				// The answer is out; the failure must not pass silently.
				s.log.LogAttrs(r.Context(), slog.LevelError, "audit_write_failed", slog.String("route", ri.pattern),
					slog.Int("status", sw.status), slog.Int64("user_id", ri.userID), slog.String("trace_id", tr.TraceID),
					slog.String("error", err.Error()))
			}
		}
		pattern := ri.pattern
		if pattern == "" {
			pattern = "(none)"
		}
		s.log.LogAttrs(r.Context(), levelFor(sw.status), "http_request",
			slog.String("method", r.Method), slog.String("route", pattern), slog.Int("status", sw.status),
			slog.Int64("duration_ms", time.Since(start).Milliseconds()), slog.Int64("user_id", ri.userID),
			slog.String("trace_id", tr.TraceID))
	})
}

// noteRouteObject records the object a route's path names by its {id}
// (a client, case or task), so that a refusal names it too.
func noteRouteObject(ar *casework.AuditRequest, r *http.Request) {
	_, path, _ := strings.Cut(r.Pattern, " ")
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	kind := casework.ObjectOfSegment(seg)
	if kind == "" {
		return
	}
	if id, err := strconv.ParseInt(r.PathValue("id"), 10, 64); err == nil && id > 0 {
		ar.NoteObject(kind, id)
	}
}

// securityHeaders sets the headers every response carries. The CSP allows
// no inline script or style: templates use neither.
func (s *server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		// Pages hold personal data: no caching by default; static assets override this.
		h.Set("Cache-Control", "no-store")
		if origin.From(r).HTTPS {
			h.Set("Strict-Transport-Security", origin.HSTS)
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into the generic 500 page and a log line
// with the stack (never request values).
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.fail(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}()
		next.ServeHTTP(w, r)
	})
}
