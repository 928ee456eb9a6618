package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// Sign-in with OpenID Connect: the authorization code flow with PKCE
// (S256), state and nonce. The state, nonce and PKCE verifier live in the
// (server-side) session between the redirect to the provider and its
// answer, each for one use and ssoFor long. Tokens, codes and claims are
// never logged or stored: the account keeps the subject, a name, an
// e-mail address and the roles the claims map to.
const (
	ssoStateKey    = "sso_state"
	ssoNonceKey    = "sso_nonce"
	ssoVerifierKey = "sso_verifier"
	ssoBackKey     = "sso_terug"
	ssoAtKey       = "sso_tijd"
	ssoFor         = 10 * time.Minute
)

// ssoClient is the relying party. The provider's discovery document is
// read at the first sign-in (and again after a failure), so that an
// instance starts while its provider is down.
type ssoClient struct {
	cfg settings.SSO

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    *oauth2.Config
}

func (c *ssoClient) ready(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, *oauth2.Config, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider == nil {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p, err := oidc.NewProvider(dctx, c.cfg.Issuer)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("sso: discovery: %w", err)
		}
		c.provider = p
		c.verifier = p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID})
		c.oauth = &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: c.cfg.Scopes}
	}
	return c.provider, c.verifier, c.oauth, nil
}

// ssoFailed is what the login page says when a sign-in by SSO did not work.
var ssoFailed = &casework.Error{Code: casework.CodeUnauthorized,
	Message: "Inloggen via uw organisatie is niet gelukt of duurde te lang. Probeer het opnieuw."}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ssoStart sends the browser to the provider.
func (s *server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	if s.sso == nil {
		return casework.NotFound("De pagina")
	}
	_, _, oc, err := s.sso.ready(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "sso unavailable", "error", err.Error())
		return withForm(&casework.Error{Code: casework.CodeConflict, Message: "Inloggen via uw organisatie kan nu niet: de aanmeldservice is niet bereikbaar. Probeer het later opnieuw of log in met een account van Werkdiagnose."},
			func(status int, err error) error { return s.renderLogin(w, r, status, r.URL.Query(), err) })
	}
	ctx := r.Context()
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	s.sessions.Put(ctx, ssoStateKey, state)
	s.sessions.Put(ctx, ssoNonceKey, nonce)
	s.sessions.Put(ctx, ssoVerifierKey, verifier)
	s.sessions.Put(ctx, ssoBackKey, localPath(r.URL.Query().Get("terug")))
	s.sessions.Put(ctx, ssoAtKey, time.Now().Unix())
	http.Redirect(w, r, oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
	return nil
}

// ssoCallback takes the provider's answer: the state must be the one this
// session sent, the code is exchanged with the PKCE verifier, the ID
// token verified (issuer, audience, expiry, signature, nonce), and the
// account found or provisioned with the roles the claims map to.
func (s *server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	if s.sso == nil {
		return casework.NotFound("De pagina")
	}
	ctx := r.Context()
	state, nonce, verifier := s.sessions.GetString(ctx, ssoStateKey), s.sessions.GetString(ctx, ssoNonceKey), s.sessions.GetString(ctx, ssoVerifierKey)
	back, at := s.sessions.GetString(ctx, ssoBackKey), s.sessions.GetInt64(ctx, ssoAtKey)
	for _, k := range []string{ssoStateKey, ssoNonceKey, ssoVerifierKey, ssoBackKey, ssoAtKey} {
		s.sessions.Remove(ctx, k) // each for one answer only
	}
	refuse := func(why string) error {
		s.log.WarnContext(ctx, "sso login refused", "reason", why)
		return withForm(ssoFailed, func(status int, err error) error {
			return s.renderLogin(w, r, status, map[string][]string{"terug": {back}}, err)
		})
	}
	q := r.URL.Query()
	got := q.Get("state")
	switch {
	case state == "" || verifier == "" || nonce == "":
		return refuse("no sign-in in progress")
	case time.Since(time.Unix(at, 0)) > ssoFor:
		return refuse("expired")
	case subtle.ConstantTimeCompare([]byte(got), []byte(state)) != 1:
		return refuse("state mismatch")
	case q.Get("error") != "":
		return refuse("provider error") // the provider's text may hold anything: not logged
	case q.Get("code") == "":
		return refuse("no code")
	}
	p, idv, oc, err := s.sso.ready(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "sso unavailable", "error", err.Error())
		return refuse("discovery")
	}
	tok, err := oc.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return refuse("code exchange failed")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return refuse("no id token")
	}
	idt, err := idv.Verify(ctx, raw)
	if err != nil {
		return refuse("id token invalid")
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return refuse("nonce mismatch")
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return refuse("id token claims")
	}
	// Claims the ID token leaves out (many providers put groups and the
	// profile only in the userinfo answer) come from userinfo, for the
	// same subject.
	if p.UserInfoEndpoint() != "" {
		ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil || ui.Subject != idt.Subject {
			return refuse("userinfo")
		}
		more := map[string]any{}
		if err := ui.Claims(&more); err == nil {
			for k, v := range more {
				if _, ok := claims[k]; !ok {
					claims[k] = v
				}
			}
		}
	}
	u, err := s.Accounts.SignInSSO(ctx, s.sso.identity(idt.Subject, claims))
	if err != nil {
		if code := casework.ErrorCode(err); code == casework.CodeForbidden {
			s.log.InfoContext(ctx, "sso login refused", "reason", "no role or deactivated")
		}
		return err
	}
	s.loginSession(r, u)
	to := localPath(back)
	if to == "" {
		to = "/"
	}
	return s.redirect(w, r, to, "ok", "U bent ingelogd als "+u.Name+".")
}

// identity turns the verified claims into who signed in, with the roles
// the configured claim's values map to.
func (c *ssoClient) identity(subject string, claims map[string]any) casework.SSOIdentity {
	str := func(k string) string { v, _ := claims[k].(string); return v }
	id := casework.SSOIdentity{Subject: subject, Username: str(c.cfg.UsernameClaim), Name: str("name"), Email: str("email")}
	if id.Username == "" {
		id.Username = id.Email
	}
	id.Roles = mapRoles(c.cfg.RoleMap, claims[c.cfg.RoleClaim])
	return id
}

// mapRoles maps the values of the role claim (a string or a list of
// strings) to roles, each role once, in the system's order.
func mapRoles(roleMap map[string][]string, claim any) process.Roles {
	var values []string
	switch v := claim.(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	got := map[process.Role]bool{}
	for _, v := range values {
		for _, key := range roleMap[v] {
			if r, ok := process.ParseRole(key); ok {
				got[r] = true
			}
		}
	}
	var out process.Roles
	for _, r := range process.AllRoles {
		if got[r] {
			out = append(out, r)
		}
	}
	return out
}
