package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// MyDossiersPage is "Mijn dossiers": the klantmanager's open
// participation dossiers.
type MyDossiersPage struct {
	Layout
	Dossiers []casework.DossierView
	Paging   Paging
	Caption  string
}

func (s *server) myDossiers(w http.ResponseWriter, r *http.Request) error {
	cl, err := s.Caseload.MyDossiers(r.Context(), actor(r), r.URL.Query().Get(pageParam))
	if err != nil {
		return err
	}
	p := MyDossiersPage{Layout: s.base(r, "Mijn dossiers"), Dossiers: cl.Dossiers,
		Paging:  pagingLinks("/dossiers/mijn", url.Values{}, cl.Page),
		Caption: "Mijn open participatiedossiers: " + pageCount(len(cl.Dossiers), cl.Page.Total, "dossier", "dossiers")}
	p.Wide = true
	return s.render(w, r, http.StatusOK, "my_dossiers", &p)
}

// TeamDossiersPage is every klantmanager's dossiers per owner, with the
// transfer form around them.
type TeamDossiersPage struct {
	Layout
	casework.TeamCaseload
	Filtered bool
	// The transfer form: its summary and alert, the chosen dossiers and
	// the other two fields.
	Form        FormView
	Selected    map[int64]bool
	DossierErr  string
	DossierID   string
	Owner       FieldView
	Reason      FieldView
	Action      string
	VersionName func(caseID int64) string
	// GroupHref links a group whose dossiers the view does not show to
	// the view of that owner's; Paging pages the group it shows.
	GroupHref func(g casework.OwnerGroup) string
	Paging    Paging
}

// noOwnerParam is the owner filter's value for the dossiers without an
// owner (casework.NoOwner).
const noOwnerParam = "geen"

// ownerParam is the owner filter's value for the group of owner id.
func ownerParam(id int64) string {
	if id == 0 {
		return noOwnerParam
	}
	return strconv.FormatInt(id, 10)
}

// caseloadQuery reads the team view's filters from the URL.
func caseloadQuery(r *http.Request) casework.CaseloadQuery {
	q := r.URL.Query()
	raw := strings.TrimSpace(q.Get("eigenaar"))
	owner, _ := strconv.ParseInt(raw, 10, 64)
	if raw == noOwnerParam {
		owner = casework.NoOwner
	}
	return casework.CaseloadQuery{OwnerID: owner, Team: strings.TrimSpace(q.Get("team")), Cursor: q.Get(pageParam)}
}

func (s *server) teamDossiers(w http.ResponseWriter, r *http.Request) error {
	return s.renderTeamDossiers(w, r, http.StatusOK, url.Values{}, nil)
}

// renderTeamDossiers shows the team view with the transfer form filled
// with vals and the messages of err (nil: a fresh form).
func (s *server) renderTeamDossiers(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error) error {
	q := caseloadQuery(r)
	tc, lerr := s.Caseload.TeamDossiers(r.Context(), actor(r), q)
	if lerr != nil {
		return lerr
	}
	p := TeamDossiersPage{Layout: s.base(r, "Dossiers per klantmanager"), TeamCaseload: tc, Filtered: q.OwnerID != 0 || q.Team != "",
		Selected: map[int64]bool{}, VersionName: process.DossierVersionField}
	p.Wide = true
	// The links keep the team filter and choose the owner.
	groupQuery := func(g casework.OwnerGroup) url.Values {
		v := url.Values{"eigenaar": {ownerParam(g.Owner.ID)}}
		if q.Team != "" {
			v.Set("team", q.Team)
		}
		return v
	}
	p.GroupHref = func(g casework.OwnerGroup) string { return "/dossiers/team?" + groupQuery(g).Encode() }
	if len(tc.Groups) > 0 {
		p.Paging = pagingLinks("/dossiers/team", groupQuery(tc.Groups[0]), tc.Groups[0].Page)
	}
	action := "/dossiers/overdragen"
	if p.Filtered {
		action += "?" + r.URL.Query().Encode()
	}
	p.Action = action
	p.Form = buildForm(formSpec{form: process.TransferForm(), values: vals, dyn: tc.Options, action: action, submit: "Dossiers overdragen"}, err)
	for _, f := range p.Form.Fields {
		switch f.Name {
		case process.FieldDossiers:
			p.DossierErr, p.DossierID = f.Error, f.ID
		case process.FieldKM:
			p.Owner = f
		case process.FieldReason:
			p.Reason = f
		}
	}
	for _, raw := range vals[process.FieldDossiers] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			p.Selected[id] = true
		}
	}
	return s.render(w, r, status, "team_dossiers", &p)
}

// transferDossiers handles the transfer form: back to the team view with
// a flash, or the view again with the choices kept and the messages.
func (s *server) transferDossiers(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	res, err := s.Caseload.TransferDossiers(r.Context(), actor(r), vals)
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderTeamDossiers(w, r, status, vals, err)
		})
	}
	msg := fmt.Sprintf("%d %s overgedragen aan %s", res.Dossiers, plural(res.Dossiers, "dossier", "dossiers"), res.To.Name)
	if res.Tasks > 0 {
		msg += fmt.Sprintf(", met %d open %s", res.Tasks, plural(res.Tasks, "taak", "taken"))
	}
	msg += "; " + res.To.Name + " krijgt een e-mail."
	back := "/dossiers/team"
	if q := r.URL.Query().Encode(); q != "" {
		back += "?" + q
	}
	return s.redirect(w, r, back, "ok", msg)
}

func plural(n int, one, more string) string {
	if n == 1 {
		return one
	}
	return more
}
