package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ---- Physical application, entered by an Ondersteuner Poortwachter.

func (s *server) applicationPage(vals url.Values) formPage {
	def := s.Process.Definition()
	return formPage{heading: "Nieuwe aanvraag (fysiek)", intro: []string{
		fmt.Sprintf("Voer een aanvraag in die op papier of aan de balie binnenkwam. Dit maakt werkproces %s (%s) aan met de eerste taak voor de Poort.", def.Policy.ApplicationCode, def.Policy.ApplicationName),
		fmt.Sprintf("De pilot Werkdiagnose is voor klanten van %d jaar en ouder op de aanvraagdatum.", def.Policy.MinimumAge)},
		spec: formSpec{form: process.ApplicationForm(true), values: vals, action: "/aanvragen", submit: "Aanvraag invoeren", cancel: "/werkvoorraad"}}
}

func (s *server) applicationForm(w http.ResponseWriter, r *http.Request) error {
	if err := casework.Authorize(actor(r), process.ActEnterApplication, process.RelNone); err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, nil, s.applicationPage(url.Values{}), nil)
}

func (s *server) applicationSubmit(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	c, err := s.Applications.SubmitApplication(r.Context(), actor(r), casework.ChannelPhysical, vals)
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderFormPage(w, r, status, nil, s.applicationPage(vals), err)
		})
	}
	return s.redirect(w, r, fmt.Sprintf("/klanten/%d", c.ClientID), "ok",
		fmt.Sprintf("Aanvraag ingevoerd: werkproces %s is aangemaakt en staat op de werkvoorraad van de Poort.", c.Code))
}

// ---- Public digital application form for clients (no login).

// PublicFormPage is the public application form.
type PublicFormPage struct {
	Layout
	Form    FormView
	MinAge  int
	Mailbox string
}

func (s *server) publicLayout(title string) Layout { return Layout{Title: title, Public: true} }

func (s *server) renderPublic(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error) error {
	def := s.Process.Definition()
	// A remaining conflict (two submissions of one new applicant at the same
	// moment) gets plain words and no internal link.
	if casework.ErrorCode(err) == casework.CodeConflict {
		err = &casework.Error{Code: casework.CodeConflict,
			Message: "Wij konden uw aanvraag niet verwerken. Probeer het over enkele minuten opnieuw of neem contact op met de gemeente via " + def.Policy.ClientMailbox + "."}
	}
	fv := buildForm(formSpec{form: process.ApplicationForm(false), values: vals, action: "/aanvraag", submit: "Aanvraag versturen"}, err)
	p := PublicFormPage{Layout: s.publicLayout("Uitkering aanvragen"), Form: fv, MinAge: def.Policy.MinimumAge, Mailbox: def.Policy.ClientMailbox}
	return s.render(w, r, status, "public_form", &p)
}

func (s *server) publicForm(w http.ResponseWriter, r *http.Request) error {
	if s.opts.PublicFormUser.ID == 0 {
		return casework.NotFound("De pagina")
	}
	return s.renderPublic(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *server) publicSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.opts.PublicFormUser.ID == 0 {
		return casework.NotFound("De pagina")
	}
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	a := casework.Actor{User: s.opts.PublicFormUser}
	if err := s.Applications.SubmitPublicApplication(r.Context(), a, vals); err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderPublic(w, r, status, vals, err)
		})
	}
	http.Redirect(w, r, "/aanvraag/ontvangen", http.StatusSeeOther)
	return nil
}

// PublicThanksPage confirms a digital application. It repeats nothing of
// what was sent (no BSN, no name).
type PublicThanksPage struct {
	Layout
	Mailbox string
}

func (s *server) publicThanks(w http.ResponseWriter, r *http.Request) error {
	if s.opts.PublicFormUser.ID == 0 {
		return casework.NotFound("De pagina")
	}
	p := PublicThanksPage{Layout: s.publicLayout("Aanvraag ontvangen"), Mailbox: s.Process.Definition().Policy.ClientMailbox}
	return s.render(w, r, http.StatusOK, "public_thanks", &p)
}
