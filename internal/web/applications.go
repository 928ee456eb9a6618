package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ---- Physical application, entered by an Ondersteuner Poortwachter.

func (s *server) applicationPage(vals url.Values) formPage {
	def := s.Process.Definition()
	return formPage{heading: "Nieuwe aanvraag (fysiek)", intro: []string{
		fmt.Sprintf("Voer een aanvraag in die op papier of aan de balie binnenkwam. Dit maakt werkproces %s (%s) aan met de eerste taak voor de Poort.", def.Policy.ApplicationCode, def.Policy.ApplicationName),
		fmt.Sprintf("De pilot Werkdiagnose is voor klanten van %d jaar en ouder op de aanvraagdatum.", def.Policy.MinimumAge)},
		spec: formSpec{form: process.ApplicationForm(process.FromDesk), values: vals, action: "/aanvragen", submit: "Aanvraag invoeren", cancel: "/werkvoorraad",
			alt: &AltSubmit{Label: fmt.Sprintf("Vastleggen als melding (jonger dan %d)", def.Policy.MinimumAge), Action: "/meldingen"}}}
}

// meldingPage is the form of a melding by someone younger than the
// pilot's minimum age (Pw art. 41), entered at the desk.
func (s *server) meldingPage(vals url.Values) formPage {
	pol := s.Process.Definition().Policy
	return formPage{heading: fmt.Sprintf("Melding (jonger dan %d)", pol.MinimumAge), intro: []string{
		fmt.Sprintf("Iemand jonger dan %d die zich meldt, zoekt eerst %s zelf naar werk voordat de aanvraag in behandeling gaat (artikel 41 Participatiewet). Leg hier de melding vast; de klant krijgt een brief met de zoekperiode en vanaf wanneer de aanvraag kan.",
			pol.MinimumAge, process.TermLength(pol.YouthSearchDays))},
		spec: formSpec{form: process.MeldingForm(process.FromDesk), values: vals, action: "/meldingen", submit: "Melding vastleggen", cancel: "/werkvoorraad"}}
}

func (s *server) meldingForm(w http.ResponseWriter, r *http.Request) error {
	if err := casework.Authorize(actor(r), process.ActEnterApplication, process.RelNone); err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, nil, s.meldingPage(url.Values{}), nil)
}

func (s *server) meldingSubmit(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	var m casework.Melding
	if err == nil {
		m, err = s.Applications.RecordMelding(r.Context(), actor(r), casework.ChannelPhysical, vals)
	}
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderFormPage(w, r, status, nil, s.meldingPage(vals), err)
		})
	}
	return s.redirect(w, r, fmt.Sprintf("/klanten/%d", m.ClientID), "ok",
		fmt.Sprintf("Melding vastgelegd: de klant zoekt tot en met %s zelf naar werk; de aanvraag kan vanaf %s.", casework.FormatDate(m.SearchUntil), casework.FormatDate(m.MayApplyFrom())))
}

func (s *server) applicationForm(w http.ResponseWriter, r *http.Request) error {
	if err := casework.Authorize(actor(r), process.ActEnterApplication, process.RelNone); err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, nil, s.applicationPage(url.Values{}), nil)
}

func (s *server) applicationSubmit(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	var c casework.Case
	if err == nil {
		c, err = s.Applications.SubmitApplication(r.Context(), actor(r), casework.ChannelPhysical, vals)
	}
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
	Form      FormView
	MinAge    int
	Mailbox   string
	Contact   casework.ClientContact
	PhoneHref template.URL
}

// publicLayout is the layout of the pages for applicants: no navigation,
// and the municipality's name where the staff see the system's.
func (s *server) publicLayout(title string) Layout {
	return Layout{Title: title, Public: true, Site: upperFirst(s.Process.Config().Contact.Municipality)}
}

// upperFirst writes s with a capital first letter: "Gemeente Ridderkerk".
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func (s *server) renderPublic(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error) error {
	def := s.Process.Definition()
	// A remaining conflict (two submissions of one new applicant at the same
	// moment) gets plain words and no internal link.
	if casework.ErrorCode(err) == casework.CodeConflict && status == http.StatusConflict {
		err = &casework.Error{Code: casework.CodeConflict,
			Message: "Wij konden uw aanvraag niet verwerken. Probeer het over enkele minuten opnieuw of bel ons op " + s.Process.Config().Contact.Phone + "."}
	}
	fv := buildForm(formSpec{form: process.ApplicationForm(process.FromPublic), values: vals, action: "/aanvraag", submit: "Aanvraag versturen"}, err)
	p := PublicFormPage{Layout: s.publicLayout("Uitkering aanvragen"), Form: fv, MinAge: def.Policy.MinimumAge, Mailbox: def.Policy.ClientMailbox,
		Contact: s.Process.Config().Contact, PhoneHref: telHref(s.Process.Config().Contact.Phone)}
	return s.render(w, r, status, "public_form", &p)
}

// publicTooMany answers an application over the limit of its client
// address: 429 with Retry-After, the form again with what was typed and
// when to try again, nothing taken in. The log line (logRequests) holds the
// route and the status only: no address, no form values.
func (s *server) publicTooMany(w http.ResponseWriter, r *http.Request, vals url.Values, wait time.Duration) error {
	secs := retryAfter(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	when := "over 1 minuut"
	if mins := (secs + 59) / 60; mins > 1 {
		when = fmt.Sprintf("over %d minuten", mins)
	}
	err := &casework.Error{Code: casework.CodeConflict, Message: "Er zijn vanaf uw internetverbinding de afgelopen tijd al meerdere aanvragen verstuurd. " +
		"Uw aanvraag is daarom nu niet verstuurd. Probeer het " + when + " opnieuw, of bel ons op " + s.Process.Config().Contact.Phone + "."}
	return s.renderPublic(w, r, http.StatusTooManyRequests, vals, err)
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
		return withForm(err, func(status int, err error) error {
			return s.renderPublic(w, r, status, vals, err)
		})
	}
	client := origin.From(r).Client()
	if ok, wait := s.public.take(client); !ok {
		return s.publicTooMany(w, r, vals, wait)
	}
	a := casework.Actor{User: s.opts.PublicFormUser}
	ref, err := s.Applications.SubmitPublicApplication(r.Context(), a, vals)
	if err != nil {
		if code := casework.ErrorCode(err); code == casework.CodeInvalid {
			// Nothing was taken in: a typing error costs no application.
			s.public.refund(client)
		}
		return withForm(err, func(status int, err error) error {
			return s.renderPublic(w, r, status, vals, err)
		})
	}
	http.Redirect(w, r, "/aanvraag/ontvangen?"+url.Values{"referentie": {ref}}.Encode(), http.StatusSeeOther)
	return nil
}

// PublicThanksPage confirms a digital application. It repeats nothing of
// what was sent (no BSN, no name): only the reference of the submission.
type PublicThanksPage struct {
	Layout
	Reference    string
	Melding      bool // the reference is a melding's: the applicant is younger than MinAge
	MinAge       int
	SearchWeeks  string // the search period, in words
	Mailbox      string
	Contact      casework.ClientContact
	PhoneHref    template.URL
	DecisionWeek int // the decision term in weeks
}

func (s *server) publicThanks(w http.ResponseWriter, r *http.Request) error {
	if s.opts.PublicFormUser.ID == 0 {
		return casework.NotFound("De pagina")
	}
	pol := s.Process.Definition().Policy
	p := PublicThanksPage{Layout: s.publicLayout("Aanvraag ontvangen"), Mailbox: pol.ClientMailbox, Contact: s.Process.Config().Contact,
		PhoneHref: telHref(s.Process.Config().Contact.Phone), DecisionWeek: pol.DecisionTermDays / 7}
	if ref := r.URL.Query().Get("referentie"); casework.ValidReference(ref) {
		p.Reference, p.Melding = ref, casework.IsMeldingReference(ref)
	}
	p.MinAge, p.SearchWeeks = pol.MinimumAge, process.TermLength(pol.YouthSearchDays)
	if p.Melding {
		p.Title = "Melding ontvangen"
	}
	return s.render(w, r, http.StatusOK, "public_thanks", &p)
}
