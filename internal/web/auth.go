package web

import (
	"net/http"
	"net/url"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Layout
	Form       FormView
	PublicForm bool // link to the public application form
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error) error {
	hidden := []Hidden{}
	if back := localPath(vals.Get("terug")); back != "" {
		hidden = append(hidden, Hidden{Name: "terug", Value: back})
	}
	fv := buildForm(formSpec{form: process.LoginForm(), values: vals, action: "/login", submit: "Inloggen", hidden: hidden}, err)
	p := LoginPage{Layout: s.base(r, "Inloggen"), Form: fv, PublicForm: s.opts.PublicFormUser.ID != 0}
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

// login checks the credentials, renews the session token (against session
// fixation) and stores the user id in the session.
func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	u, err := s.Accounts.Authenticate(r.Context(), vals.Get(process.FieldUsername), vals.Get(process.FieldPassword))
	if err != nil {
		if casework.ErrorCode(err) == casework.CodeUnauthorized {
			s.log.InfoContext(r.Context(), "login failed")
		}
		return withForm(err, func(status int, err error) error {
			vals.Del(process.FieldPassword)
			return s.renderLogin(w, r, status, vals, err)
		})
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserKey, u.ID)
	info(r).userID = u.ID
	s.log.InfoContext(r.Context(), "login", "user_id", u.ID)
	to := localPath(vals.Get("terug"))
	if to == "" {
		to = "/"
	}
	return s.redirect(w, r, to, "ok", "U bent ingelogd als "+u.Name+".")
}

// logout ends the session.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), sessionUserKey)
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
