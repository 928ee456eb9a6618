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

// The client search is one box that recognises what was typed: a name, a
// date of birth, a client number or a full BSN (casework.ParseClientQuery).
// Because it can hold a BSN, the form is always posted and the text never
// put in a URL: POST /klanten searches (a BSN search is recorded in the
// client's history) and keeps the search in the session, then redirects to
// GET /klanten, which shows it. So the results survive the back button and
// a reload without the browser asking to post again, and without a second
// BSN lookup: what the session keeps of a BSN search is the masked BSN and
// the number of the client it found, never the BSN.

// Session keys of the last search.
const (
	searchUserKey  = "zoek_gebruiker" // who searched: a session outlives a logout
	searchAgainKey = "zoek_opnieuw"   // the text that shows the results again; never a BSN
	searchShownKey = "zoek_getoond"   // what was searched for, as the page says it (BSN masked)
	searchTextKey  = "zoek_tekst"     // the text to put back in the box; "" after a BSN
)

// ClientsPage is the client search.
type ClientsPage struct {
	Layout
	Form     FormView
	Searched bool
	Shown    string // what was searched for: `naam “jansen”`, `BSN ******782`
	Clients  []FoundView
	More     bool
	Limit    int
}

// FoundView is one row of the results: never a BSN.
type FoundView struct {
	ID        int64
	Name      string
	BirthDate string
	Now       string // the open steps, or the status of the latest case
	// Known: the user needs to know the client; else the row holds the
	// name and date of birth only and leads to "Reden om in te zien".
	Known bool
}

// Href is where the row leads: the file, or the reason form.
func (f FoundView) Href() string {
	if f.Known {
		return fmt.Sprintf("/klanten/%d", f.ID)
	}
	return fmt.Sprintf("/klanten/%d/inzage", f.ID)
}

func foundViews(fs []casework.FoundClient) []FoundView {
	out := make([]FoundView, 0, len(fs))
	for _, f := range fs {
		now := strings.Join(f.Steps, "; ")
		if now == "" {
			now = f.Status
		}
		if now == "" {
			now = "–"
		}
		if !f.Known {
			now = "Niet in uw werk: inzien met reden"
		}
		out = append(out, FoundView{ID: f.ID, Name: f.Name(), BirthDate: casework.FormatDate(f.BirthDate), Now: now, Known: f.Known})
	}
	return out
}

func (s *server) renderSearch(w http.ResponseWriter, r *http.Request, status int, text string, err error) error {
	fv := buildForm(formSpec{form: process.SearchForm(), values: url.Values{process.FieldSearch: {text}},
		action: "/klanten", submit: "Zoeken"}, err)
	p := ClientsPage{Layout: s.base(r, "Klanten"), Form: fv, Limit: casework.SearchLimit}
	return s.render(w, r, status, "clients", &p)
}

// clientSearch shows the search box and the results of the last search.
func (s *server) clientSearch(w http.ResponseWriter, r *http.Request) error {
	if err := casework.AuthorizeRole(actor(r), process.ActSeeClient); err != nil {
		return err
	}
	ctx := r.Context()
	if s.sessions.GetInt64(ctx, searchUserKey) != actor(r).User.ID {
		s.forgetSearch(r) // someone else's, before a logout
	}
	fv := buildForm(formSpec{form: process.SearchForm(), values: url.Values{process.FieldSearch: {s.sessions.GetString(ctx, searchTextKey)}},
		action: "/klanten", submit: "Zoeken"}, nil)
	p := ClientsPage{Layout: s.base(r, "Klanten"), Form: fv, Limit: casework.SearchLimit}
	if shown := s.sessions.GetString(ctx, searchShownKey); shown != "" {
		p.Searched, p.Shown = true, shown
		if again := s.sessions.GetString(ctx, searchAgainKey); again != "" {
			res, err := s.Clients.SearchClients(ctx, actor(r), again)
			if err != nil {
				return err
			}
			p.Clients, p.More = foundViews(res.Found), res.More
		}
	}
	return s.render(w, r, http.StatusOK, "clients", &p)
}

// clientSearchPost searches and redirects to the results (see above). A
// text that is none of the kinds comes back with a Dutch message, and
// without the text when it holds a BSN-like number.
func (s *server) clientSearchPost(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(vals.Get(process.FieldSearch))
	res, err := s.Clients.SearchClients(r.Context(), actor(r), text)
	if err != nil {
		return withForm(err, func(status int, err error) error {
			s.forgetSearch(r)
			return s.renderSearch(w, r, status, casework.ShowableSearch(text), err)
		})
	}
	ctx := r.Context()
	again, shown := text, res.Query.Describe()
	if res.Query.Kind == casework.SearchByBSN {
		// Shown again by the client number it found, so that going back to
		// the results is no second BSN search; the box stays empty.
		again, text = "", ""
		if len(res.Found) == 1 {
			again = strconv.FormatInt(res.Found[0].ID, 10)
		}
	}
	s.sessions.Put(ctx, searchUserKey, actor(r).User.ID)
	s.sessions.Put(ctx, searchAgainKey, again)
	s.sessions.Put(ctx, searchShownKey, shown)
	s.sessions.Put(ctx, searchTextKey, text)
	http.Redirect(w, r, "/klanten#resultaten", http.StatusSeeOther)
	return nil
}

// forgetSearch removes the last search from the session.
func (s *server) forgetSearch(r *http.Request) {
	for _, k := range []string{searchUserKey, searchAgainKey, searchShownKey, searchTextKey} {
		s.sessions.Remove(r.Context(), k)
	}
}
