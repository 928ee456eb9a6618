package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ---- Overzicht for team leads

// DashboardPage counts open tasks per step and cases per status.
type DashboardPage struct {
	Layout
	Steps      []casework.StepCount
	Cases      []CaseCount
	TotalOpen  int
	TotalLate  int
	TotalSoon  int
	DefVersion string
}

// CaseCount is the number of cases of one kind and status.
type CaseCount struct {
	Kind   string
	Status string
	Count  int
}

func (s *server) dashboard(w http.ResponseWriter, r *http.Request) error {
	steps, cases, err := s.Tasks.Dashboard(r.Context(), actor(r))
	if err != nil {
		return err
	}
	def := s.Process.Definition()
	p := DashboardPage{Layout: s.base(r, "Overzicht"), Steps: steps, DefVersion: def.Version}
	for _, c := range steps {
		p.TotalOpen += c.Open
		p.TotalLate += c.Overdue
		p.TotalSoon += c.Soon
	}
	for key, n := range cases {
		kind, status, _ := strings.Cut(key, "/")
		cc := CaseCount{Kind: kind, Status: statusName(status), Count: n}
		switch process.CaseKind(kind) {
		case process.CaseAanvraag:
			cc.Kind = "Aanvraag " + def.Policy.ApplicationCode
		case process.CaseParticipatie:
			cc.Kind = "Participatie " + def.Policy.ParticipationCode
		}
		p.Cases = append(p.Cases, cc)
	}
	sort.Slice(p.Cases, func(i, j int) bool {
		if p.Cases[i].Kind != p.Cases[j].Kind {
			return p.Cases[i].Kind < p.Cases[j].Kind
		}
		return p.Cases[i].Status < p.Cases[j].Status
	})
	return s.render(w, r, http.StatusOK, "dashboard", &p)
}

// ---- Accounts

// UsersPage lists accounts with a form to create one.
type UsersPage struct {
	Layout
	Users []casework.User
	Form  FormView
	Me    int64 // the beheerder's own id: their own app is relinked on their settings page
}

func (s *server) renderUsers(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error) error {
	a := actor(r)
	if err := casework.Authorize(a, process.ActManageAccounts, process.RelNone); err != nil {
		return err
	}
	users, uerr := s.Accounts.Users(r.Context(), a)
	if uerr != nil {
		return uerr
	}
	p := UsersPage{Layout: s.base(r, "Gebruikers"), Users: users, Me: a.User.ID,
		Form: buildForm(formSpec{form: process.UserForm(), values: vals, action: "/beheer/gebruikers", submit: "Account aanmaken"}, err)}
	return s.render(w, r, status, "users", &p)
}

func (s *server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *server) userCreate(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	a := actor(r)
	u, err := s.Accounts.CreateUser(r.Context(), &a, casework.NewUserFrom(vals))
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderUsers(w, r, status, vals, err)
		})
	}
	return s.redirect(w, r, "/beheer/gebruikers", "ok", fmt.Sprintf("Account %s aangemaakt.", u.Username))
}

func (s *server) userActivate(w http.ResponseWriter, r *http.Request) error {
	return s.userSetActive(w, r, true)
}

func (s *server) userDeactivate(w http.ResponseWriter, r *http.Request) error {
	return s.userSetActive(w, r, false)
}

func (s *server) userSetActive(w http.ResponseWriter, r *http.Request, active bool) error {
	id, err := pathID(r, "id", "De gebruiker")
	if err != nil {
		return err
	}
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.Accounts.SetUserActive(r.Context(), actor(r), id, active); err != nil {
		return err
	}
	msg := "Account uitgeschakeld."
	if active {
		msg = "Account ingeschakeld."
	}
	return s.redirect(w, r, "/beheer/gebruikers", "ok", msg)
}

// ---- API tokens

// TokensPage lists API tokens with a form to issue one. Secret is the new
// token's secret, shown once on the response to the issue form.
type TokensPage struct {
	Layout
	Tokens []casework.APIToken
	Form   FormView
	Secret string
}

func tokenForm(users []casework.User) process.Form {
	opts := make([]process.Option, 0, len(users))
	for _, u := range users {
		if !u.Active {
			continue
		}
		label := u.Name + " (" + u.Username + ")"
		if u.System {
			label += " – systeemaccount"
		}
		opts = append(opts, process.Option{Value: strconv.FormatInt(u.ID, 10), Label: label})
	}
	return process.TokenForm(opts)
}

func (s *server) renderTokens(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error, secret string) error {
	a := actor(r)
	if err := casework.Authorize(a, process.ActManageTokens, process.RelNone); err != nil {
		return err
	}
	tokens, terr := s.Accounts.Tokens(r.Context(), a)
	if terr != nil {
		return terr
	}
	users, uerr := s.Accounts.Users(r.Context(), a)
	if uerr != nil {
		return uerr
	}
	p := TokensPage{Layout: s.base(r, "API-sleutels"), Tokens: tokens, Secret: secret,
		Form: buildForm(formSpec{form: tokenForm(users), values: vals, action: "/beheer/sleutels", submit: "Sleutel uitgeven"}, err)}
	return s.render(w, r, status, "tokens", &p)
}

func (s *server) tokensPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, http.StatusOK, url.Values{}, nil, "")
}

// tokenIssue issues a token and shows its secret once, on this response
// (not after a redirect: the secret is never stored in the session).
func (s *server) tokenIssue(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	userID, _ := strconv.ParseInt(vals.Get(process.FieldTokenUser), 10, 64)
	secret, err := s.Accounts.IssueToken(r.Context(), actor(r), userID, vals.Get(process.FieldName))
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderTokens(w, r, status, vals, err, "")
		})
	}
	return s.renderTokens(w, r, http.StatusOK, url.Values{}, nil, secret)
}

func (s *server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De API-sleutel")
	if err != nil {
		return err
	}
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.Accounts.RevokeToken(r.Context(), actor(r), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/beheer/sleutels", "ok", "API-sleutel ingetrokken.")
}
