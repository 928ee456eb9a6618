package web

import (
	"net/http"
	"net/url"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Layout
	Form       FormView
	PublicForm bool   // link to the public application form
	SSO        string // the organisation of the "Inloggen met … account" button; "" without SSO
	Back       string // where to go after logging in
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error) error {
	hidden := []Hidden{}
	if back := localPath(vals.Get("terug")); back != "" {
		hidden = append(hidden, Hidden{Name: "terug", Value: back})
	}
	fv := buildForm(formSpec{form: process.LoginForm(), values: vals, action: "/login", submit: "Inloggen", hidden: hidden}, err)
	p := LoginPage{Layout: s.base(r, "Inloggen"), Form: fv, PublicForm: s.opts.PublicFormUser.ID != 0, Back: localPath(vals.Get("terug"))}
	if s.sso != nil {
		p.SSO = s.sso.cfg.Organisation
	}
	return s.render(w, r, status, "login", &p)
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		// Already logged in: go on to where the user was going.
		back := localPath(r.URL.Query().Get("terug"))
		if back == "" {
			back = "/"
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	return s.renderLogin(w, r, http.StatusOK, url.Values{"terug": {r.URL.Query().Get("terug")}}, nil)
}

// login checks the credentials from the client's address (throttled, see
// casework.Throttle) and goes on to the second step or logs the user in.
func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	u, err := s.Accounts.Authenticate(r.Context(), vals.Get(process.FieldUsername), vals.Get(process.FieldPassword), origin.From(r).Client())
	if err != nil {
		if casework.ErrorCode(err) == casework.CodeUnauthorized {
			s.log.InfoContext(r.Context(), "login failed")
		}
		return withForm(err, func(status int, err error) error {
			vals.Del(process.FieldPassword)
			return s.renderLogin(w, r, status, vals, err)
		})
	}
	return s.afterPassword(w, r, u, vals.Get("terug"))
}

// logout ends the session.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	for _, k := range []string{sessionUserKey, pendingUserKey, pendingAtKey, pendingBackKey} {
		s.sessions.Remove(r.Context(), k)
	}
	return s.redirect(w, r, "/login", "info", "U bent uitgelogd.")
}

// home sends users to where their work is.
func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	to := "/proces"
	switch {
	case casework.May(a, process.ActSeeWorklist, process.RelNone):
		to = "/werkvoorraad/mijn"
	case casework.May(a, process.ActManageAccounts, process.RelNone):
		to = "/beheer/gebruikers"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
