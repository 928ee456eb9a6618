package settings

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// SSO is sign-in with OpenID Connect (authorization code flow with PKCE).
// Empty Issuer: no SSO, local accounts only.
type SSO struct {
	// Issuer is the identity provider's issuer URL; its discovery document
	// is at Issuer + "/.well-known/openid-configuration".
	Issuer   string `json:"issuer"`
	ClientID string `json:"client_id"`
	// ClientSecret comes from WERKDIAGNOSE_SSO_CLIENT_SECRET (a file value
	// is allowed but the environment is better); never logged.
	ClientSecret string `json:"client_secret"`
	// RedirectURL is where the provider sends the browser back; default
	// base_url + "/login/sso/terug". Register it at the provider.
	RedirectURL string   `json:"redirect_url"`
	Scopes      []string `json:"scopes"` // default openid, profile, email
	// Organisation names the account on the login button: "Inloggen met
	// <Organisation> account".
	Organisation string `json:"organisation"`
	// RoleClaim is the claim whose values give the roles ("groups",
	// "roles"); a string or a list of strings. RoleMap maps each value to
	// role keys (process roles); values not in the map give no role.
	RoleClaim string              `json:"role_claim"`
	RoleMap   map[string][]string `json:"role_map"`
	// UsernameClaim is shown as the account name (default
	// preferred_username, then email). The account is matched by the
	// "sub" claim, which the provider keeps stable.
	UsernameClaim string `json:"username_claim"`
}

// Enabled reports whether SSO is configured.
func (s SSO) Enabled() bool { return s.Issuer != "" }

// WithDefaults fills the defaults that depend on the base URL.
func (s SSO) WithDefaults(baseURL string) SSO {
	if !s.Enabled() {
		return s
	}
	if s.RedirectURL == "" {
		s.RedirectURL = strings.TrimRight(baseURL, "/") + "/login/sso/terug"
	}
	if len(s.Scopes) == 0 {
		s.Scopes = []string{"openid", "profile", "email"}
	}
	if s.RoleClaim == "" {
		s.RoleClaim = "groups"
	}
	if s.UsernameClaim == "" {
		s.UsernameClaim = "preferred_username"
	}
	if s.Organisation == "" {
		s.Organisation = "uw organisatie"
	}
	return s
}

// Validate reports the first problem; roleKnown says whether a role key
// exists (settings imports no process rules).
func (s SSO) Validate(roleKnown func(string) bool) error {
	if !s.Enabled() {
		return nil
	}
	u, err := url.Parse(s.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("sso.issuer %q must be an http(s) URL", s.Issuer)
	}
	if s.ClientID == "" {
		return errors.New("sso.client_id is empty")
	}
	if r, err := url.Parse(s.RedirectURL); err != nil || r.Host == "" {
		return fmt.Errorf("sso.redirect_url %q must be an absolute URL", s.RedirectURL)
	}
	hasOpenID := false
	for _, sc := range s.Scopes {
		hasOpenID = hasOpenID || sc == "openid"
	}
	if !hasOpenID {
		return errors.New(`sso.scopes must include "openid"`)
	}
	if len(s.RoleMap) == 0 {
		return errors.New("sso.role_map is empty: nobody could sign in")
	}
	for v, roles := range s.RoleMap {
		for _, r := range roles {
			if !roleKnown(r) {
				return fmt.Errorf("sso.role_map[%q]: unknown role %q", v, r)
			}
		}
	}
	return nil
}
