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

// ---- A client's contact details, on their own form page with the case
// header above it (the details as they are now).

// clientDetailsPage is the form page; vals are the values to show (the
// stored ones, or what was posted), version the client version the form
// is built on.
func (s *server) clientDetailsPage(f casework.ClientFile, vals url.Values, version int) formPage {
	back := fmt.Sprintf("/klanten/%d", f.Client.ID)
	return formPage{heading: "Contactgegevens wijzigen", intro: []string{
		"Hoe de gemeente deze klant bereikt. Uitnodigingen gaan per e-mail; zonder e-mailadres wordt een uitnodiging een brief om per post te versturen (te zien onder Berichten op de klantpagina).",
		"Elke wijziging komt in de historie van de klant, met welke gegevens er veranderden (niet de gegevens zelf)."},
		spec: formSpec{form: process.ClientDetailsForm(), values: vals, action: back + "/contactgegevens", submit: "Contactgegevens opslaan",
			cancel: back, hidden: []Hidden{{Name: process.FieldVersion, Value: strconv.Itoa(version)}}}}
}

// clientDetailsValues are a client's stored details as form values.
func clientDetailsValues(c casework.Client) url.Values {
	pref := c.Contact
	if pref == "" {
		pref = casework.DefaultContact(c.Email)
	}
	return url.Values{process.FieldEmail: {c.Email}, process.FieldPhone: {c.Phone}, process.FieldAddress: {c.Address},
		process.FieldPreferredChannel: {pref}, process.FieldContactPerson: {c.ContactPerson}}
}

func (s *server) clientDetailsForm(w http.ResponseWriter, r *http.Request) error {
	return s.clientFormPage(w, r, process.ActEditClient, clientDetailsValues, s.clientDetailsPage)
}

// clientPage builds a form on a client's page from the client file, the
// values to show and the client's version the form is based on.
type clientPage func(f casework.ClientFile, vals url.Values, version int) formPage

// clientFormPage shows a form that changes the client's own record
// (contact details, a correction): whose roles never allow act is refused
// first; the file (which asks need-to-know) gives the header and the
// values, on the client's current version.
func (s *server) clientFormPage(w http.ResponseWriter, r *http.Request, act process.Action, values func(casework.Client) url.Values, page clientPage) error {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	if err := casework.AuthorizeRole(actor(r), act); err != nil {
		return err
	}
	f, err := s.Clients.ClientFile(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, page(f, values(f.Client), f.Client.Version), nil)
}

// clientFormAgain shows a client's form again after err with what was
// typed. The header shows the client as now; after a conflict or without
// a version the form is built on the current version, so that saving
// again keeps what this user typed.
func (s *server) clientFormAgain(w http.ResponseWriter, r *http.Request, id int64, vals url.Values, err error, page clientPage) error {
	return withForm(err, func(status int, err error) error {
		f, ferr := s.Clients.ClientFile(r.Context(), actor(r), id)
		if ferr != nil {
			return ferr
		}
		version := intField(vals, process.FieldVersion)
		if freshVersion(err) {
			version = f.Client.Version
		}
		return s.renderFormPage(w, r, status, &f, page(f, vals, version), err)
	})
}

func (s *server) clientDetailsSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	a := actor(r)
	vals, err := formValues(w, r)
	var changed []string
	if err == nil {
		changed, err = s.Clients.UpdateClientDetails(r.Context(), a, id, intField(vals, process.FieldVersion), vals)
	}
	if err != nil {
		return s.clientFormAgain(w, r, id, vals, err, s.clientDetailsPage)
	}
	msg := "Er is niets gewijzigd."
	if len(changed) > 0 {
		msg = "Contactgegevens opgeslagen: " + strings.Join(changed, ", ") + "."
	}
	return s.redirect(w, r, fmt.Sprintf("/klanten/%d", id), "ok", msg)
}
