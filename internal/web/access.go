package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Break the glass: a caseworker who opens a client outside need-to-know
// (casework.ReasonNeeded) gets the form "Reden om in te zien" instead of
// the page, with status 403; posting a reason opens the file for the rest
// of the day and goes on to the page asked for.

// reasonPage is the form "Reden om in te zien" for the client; back is the
// page to go on to after it.
func reasonPage(clientID int64, back string, vals url.Values) formPage {
	if vals == nil {
		vals = url.Values{}
	}
	return formPage{heading: "Reden om in te zien",
		intro: []string{
			"U werkt niet aan deze klant: er staat geen taak of dossier van de klant bij uw team, en u werkte de afgelopen tijd niet aan de klant.",
			"Hebt u het dossier toch nodig, schrijf dan op waarom. Uw naam, de reden en het tijdstip komen in de historie van de klant en in het dagoverzicht van de teamleider. U kunt het dossier daarna tot het einde van de dag inzien.",
		},
		spec: formSpec{form: process.BreakGlassForm(), values: vals, action: fmt.Sprintf("/klanten/%d/inzage", clientID),
			submit: "Dossier inzien", cancel: "/klanten", hidden: []Hidden{{Name: fieldBack, Value: back}}}}
}

// askReason answers a request for a client's data outside need-to-know
// with the reason form: 403, nothing of the client shown.
func (s *server) askReason(w http.ResponseWriter, r *http.Request, clientID int64) error {
	back := fmt.Sprintf("/klanten/%d", clientID)
	if r.Method == http.MethodGet {
		if p := localPath(r.URL.RequestURI()); p != "" {
			back = p
		}
	}
	return s.renderFormPage(w, r, http.StatusForbidden, nil, reasonPage(clientID, back, nil), nil)
}

// reasonForm shows the form on its own address (from search results).
func (s *server) reasonForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	if err := casework.Authorize(actor(r), process.ActBreakGlass, process.RelNone); err != nil {
		return err
	}
	back := localPath(r.URL.Query().Get(fieldBack))
	if back == "" {
		back = fmt.Sprintf("/klanten/%d", id)
	}
	return s.renderFormPage(w, r, http.StatusOK, nil, reasonPage(id, back, nil), nil)
}

// reasonSave records the reason and goes on to the page asked for.
func (s *server) reasonSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	back := localPath(vals.Get(fieldBack))
	if back == "" {
		back = "/klanten/" + strconv.FormatInt(id, 10)
	}
	if err := s.Clients.OpenWithReason(r.Context(), actor(r), id, vals); err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderFormPage(w, r, status, nil, reasonPage(id, back, vals), err)
		})
	}
	return s.redirect(w, r, back, "ok", "U kunt het dossier inzien tot het einde van de dag. De reden staat in de historie van de klant.")
}
