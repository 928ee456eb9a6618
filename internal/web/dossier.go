package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// FormPage is a page with one form: the plan van aanpak, a trajectory, a
// registration, an appointment, a suspension, a physical application.
// Each such form has its own page so that a refused submit can show it
// again with the input kept.
type FormPage struct {
	Layout
	Header   *CaseHeader
	Heading  string
	Intro    []string
	Form     FormView
	Back     string
	BackText string
}

// formPage describes one of the dossier's form pages.
type formPage struct {
	heading  string
	intro    []string
	spec     formSpec
	disabled bool // shown without a submit button: it cannot be sent now
}

func (s *server) renderFormPage(w http.ResponseWriter, r *http.Request, status int, f *casework.ClientFile, fp formPage, err error) error {
	p := FormPage{Layout: s.base(r, fp.heading), Heading: fp.heading, Intro: fp.intro, Form: buildForm(fp.spec, err), Back: fp.spec.cancel}
	p.Form.Disabled = fp.disabled
	if f != nil {
		h := caseHeader(*f, false, false)
		p.Header = &h
		p.BackText = "Terug naar het dossier van " + f.Client.Name()
	}
	return s.render(w, r, status, "form", &p)
}

// klantID reads the client id that dossier pages carry (query or form).
func klantID(v url.Values) int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(v.Get("klant")), 10, 64)
	return id
}

// caseFile loads the client file a case belongs to. Pages carry the client
// id (klant) along; without it, the case tells.
func (s *server) caseFile(r *http.Request, caseID, clientID int64) (casework.ClientFile, error) {
	if clientID == 0 {
		id, err := s.Clients.CaseClient(r.Context(), actor(r), caseID)
		if err != nil {
			return casework.ClientFile{}, err
		}
		clientID = id
	}
	return s.Clients.ClientFile(r.Context(), actor(r), clientID)
}

// participationFile loads the client file of a participation case and
// checks the case belongs to it.
func (s *server) participationFile(r *http.Request, caseID, clientID int64) (casework.ClientFile, error) {
	a := actor(r)
	// Whether the role may work in any dossier at all, before loading one.
	if err := casework.Authorize(a, process.ActEditDossier, process.RelOwner); err != nil {
		return casework.ClientFile{}, err
	}
	f, err := s.caseFile(r, caseID, clientID)
	if err != nil {
		return casework.ClientFile{}, err
	}
	if f.Participation == nil || f.Participation.ID != caseID {
		return casework.ClientFile{}, casework.NotFound("Het participatiedossier")
	}
	if err := casework.Authorize(a, process.ActEditDossier, casework.DossierRelation(a, *f.Participation)); err != nil {
		return casework.ClientFile{}, err
	}
	return f, nil
}

// applicationFile loads the client file of an application case.
func (s *server) applicationFile(r *http.Request, caseID, clientID int64) (casework.ClientFile, error) {
	if err := casework.AuthorizeRole(actor(r), process.ActSuspendTerm); err != nil {
		return casework.ClientFile{}, err
	}
	f, err := s.caseFile(r, caseID, clientID)
	if err != nil {
		return casework.ClientFile{}, err
	}
	for _, c := range f.Applications {
		if c.ID == caseID {
			return f, nil
		}
	}
	return casework.ClientFile{}, casework.NotFound("De aanvraag")
}

func caseLink(f casework.ClientFile, section string) string {
	return fmt.Sprintf("/klanten/%d#%s", f.Client.ID, section)
}

func klantHidden(f casework.ClientFile) Hidden {
	return Hidden{Name: "klant", Value: strconv.FormatInt(f.Client.ID, 10)}
}

// dossierGET loads the participation file for a GET form page.
func (s *server) dossierGET(r *http.Request) (int64, casework.ClientFile, error) {
	id, err := pathID(r, "id", "Het participatiedossier")
	if err != nil {
		return 0, casework.ClientFile{}, err
	}
	f, err := s.participationFile(r, id, klantID(r.URL.Query()))
	if err != nil {
		return 0, casework.ClientFile{}, err
	}
	if !f.Participation.Open() {
		return 0, casework.ClientFile{}, casework.Conflict("Dit participatiedossier is afgesloten.")
	}
	return id, f, nil
}

// dossierPOST parses the form and loads the participation file for a POST.
func (s *server) dossierPOST(w http.ResponseWriter, r *http.Request) (int64, url.Values, casework.ClientFile, error) {
	id, err := pathID(r, "id", "Het participatiedossier")
	if err != nil {
		return 0, nil, casework.ClientFile{}, err
	}
	vals, err := formValues(w, r)
	if err != nil && !errors.Is(err, errBodyTooLarge) {
		return 0, nil, casework.ClientFile{}, err
	}
	f, ferr := s.participationFile(r, id, klantID(vals))
	if ferr != nil {
		return 0, nil, casework.ClientFile{}, ferr
	}
	return id, vals, f, err // err: a body over the limit, with what fitted
}

// caseAction runs a use case on a case from a posted form: on success back
// to the case page with a flash, on 422/409 the same form again with what
// was typed. load reads the case id, the form and the client file.
func (s *server) caseAction(w http.ResponseWriter, r *http.Request,
	load func(w http.ResponseWriter, r *http.Request) (int64, url.Values, casework.ClientFile, error),
	do func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error,
	page func(f casework.ClientFile, caseID int64, v url.Values) formPage, section, done string) error {
	id, vals, f, err := load(w, r)
	if err != nil && !errors.Is(err, errBodyTooLarge) {
		return err
	}
	if err == nil {
		err = do(r.Context(), actor(r), id, vals)
	}
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderFormPage(w, r, status, &f, page(f, id, vals), err)
		})
	}
	return s.redirect(w, r, caseLink(f, section), "ok", done)
}

// dossierAction is caseAction on a participation dossier.
func (s *server) dossierAction(w http.ResponseWriter, r *http.Request,
	do func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error,
	page func(f casework.ClientFile, caseID int64, v url.Values) formPage, section, done string) error {
	return s.caseAction(w, r, s.dossierPOST, do, page, section, done)
}

// applicationPOST reads the application case id, the form and its client file.
func (s *server) applicationPOST(w http.ResponseWriter, r *http.Request) (int64, url.Values, casework.ClientFile, error) {
	id, err := pathID(r, "id", "De aanvraag")
	if err != nil {
		return 0, nil, casework.ClientFile{}, err
	}
	vals, err := formValues(w, r)
	if err != nil && !errors.Is(err, errBodyTooLarge) {
		return 0, nil, casework.ClientFile{}, err
	}
	f, ferr := s.applicationFile(r, id, klantID(vals))
	if ferr != nil {
		return 0, nil, casework.ClientFile{}, ferr
	}
	return id, vals, f, err // err: a body over the limit, with what fitted
}

// ---- Plan van aanpak

func (s *server) planPage(f casework.ClientFile, caseID int64, vals url.Values, basedOn int, opts map[string][]process.Option) formPage {
	intro := []string{"Het plan van aanpak (artikel 44a Participatiewet) beschrijft de ondersteuning, de verplichtingen van de klant en de gevolgen van het niet nakomen ervan. Elke keer opslaan maakt een nieuwe versie.",
		"Elke trajectrij is een traject in het dossier: een nieuwe rij start het traject, een gewijzigde rij past het aan, een lege rij stopt het. Aanmelden bij de aanbieder doet u daarna bij het traject."}
	if basedOn > 0 {
		intro = append(intro, fmt.Sprintf("U bewerkt versie %d. Het formulier is gevuld met die versie.", basedOn))
	}
	return formPage{heading: "Plan van aanpak", intro: intro, spec: formSpec{form: f.Def.Policy.PlanForm(), values: vals, dyn: opts,
		action: fmt.Sprintf("/dossiers/%d/plan", caseID), submit: "Plan opslaan", cancel: caseLink(f, "participatie"),
		hidden: []Hidden{klantHidden(f), {Name: process.FieldPlanVersion, Value: strconv.Itoa(basedOn)}}}}
}

func (s *server) planForm(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.dossierGET(r)
	if err != nil {
		return err
	}
	basedOn := 0
	if f.Plan != nil {
		basedOn = f.Plan.Version
	}
	vals := casework.PlanValues(f.Plan)
	if !f.NextEvaluation.IsZero() {
		// The evaluation date as it stands: an evaluation may have moved it.
		vals.Set(process.FieldEvaluationOn, casework.FormatDate(f.NextEvaluation))
	}
	opts, err := s.Dossiers.PlanOptions(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, s.planPage(f, id, vals, basedOn, opts), nil)
}

func (s *server) planSave(w http.ResponseWriter, r *http.Request) error {
	id, vals, f, err := s.dossierPOST(w, r)
	if err != nil && !errors.Is(err, errBodyTooLarge) {
		return err
	}
	basedOn := intField(vals, process.FieldPlanVersion)
	var plan casework.Plan
	if err == nil {
		plan, err = s.Dossiers.SavePlan(r.Context(), actor(r), id, basedOn, vals)
	}
	if err != nil {
		return withForm(err, func(status int, err error) error {
			fresh, ferr := s.participationFile(r, id, f.Client.ID)
			if ferr != nil {
				return ferr
			}
			b := basedOn
			if status == http.StatusConflict && fresh.Plan != nil {
				// Saving again after comparing is what the message asks for.
				b = fresh.Plan.Version
			}
			opts, oerr := s.Dossiers.PlanOptions(r.Context(), actor(r), id)
			if oerr != nil {
				return oerr
			}
			return s.renderFormPage(w, r, status, &fresh, s.planPage(fresh, id, vals, b, opts), err)
		})
	}
	return s.redirect(w, r, caseLink(f, "participatie"), "ok", fmt.Sprintf("Plan van aanpak opgeslagen (versie %d).", plan.Version))
}

// planPrint makes the latest plan as a document to print for the client's
// signature and returns to the plan on the case page.
func (s *server) planPrint(w http.ResponseWriter, r *http.Request) error {
	id, _, f, err := s.dossierPOST(w, r)
	if err != nil {
		return err
	}
	d, err := s.Dossiers.PrintPlan(r.Context(), actor(r), id)
	return s.afterButton(w, r, caseLink(f, "participatie"), err,
		fmt.Sprintf("%s staat klaar om af te drukken voor de handtekening van de klant: zie %q bij het plan en bij Documenten.", d.Title, "Afgedrukt voor handtekening"))
}

// ---- Trajectories

func (s *server) trajectoryPage(f casework.ClientFile, caseID int64, vals url.Values) formPage {
	return formPage{heading: "Traject toevoegen aan het plan", intro: []string{
		"Het traject komt als nieuwe rij in het plan van aanpak (een nieuwe versie van het plan), met de activiteiten erin (één per regel).",
		"Aanmelden bij de aanbieder doet u daarna bij het traject, op de klantpagina."},
		spec: formSpec{form: f.Def.Policy.TrajectoryForm(), values: vals, action: fmt.Sprintf("/dossiers/%d/trajecten", caseID),
			submit: "Traject toevoegen aan het plan", cancel: caseLink(f, "participatie"), hidden: []Hidden{klantHidden(f)}}}
}

func (s *server) trajectoryForm(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.dossierGET(r)
	if err != nil {
		return err
	}
	v := casework.TrajectoryValues(casework.Trajectory{StartOn: s.Process.Now()})
	return s.renderFormPage(w, r, http.StatusOK, &f, s.trajectoryPage(f, id, v), nil)
}

func (s *server) trajectoryAdd(w http.ResponseWriter, r *http.Request) error {
	return s.dossierAction(w, r, s.Dossiers.AddTrajectory, s.trajectoryPage, "participatie", "Traject toegevoegd aan het plan van aanpak (nieuwe versie).")
}

func (s *server) finishPage(f casework.ClientFile, caseID, tid int64, vals url.Values) formPage {
	title := "het traject"
	for _, t := range f.Trajectories {
		if t.ID == tid {
			title = "traject “" + t.Title + "”"
		}
	}
	return formPage{heading: "Traject afronden", intro: []string{"U rondt " + title + " af met een resultaat."},
		spec: formSpec{form: process.FinishTrajectoryForm(), values: vals, action: fmt.Sprintf("/dossiers/%d/trajecten/%d/afronden", caseID, tid),
			submit: "Traject afronden", cancel: caseLink(f, "participatie"), hidden: []Hidden{klantHidden(f)}}}
}

// trajectoryFile loads the file for a trajectory, which may be finished
// after the dossier closed ("Baanbrekend mag afgemaakt worden").
func (s *server) trajectoryFile(r *http.Request, v url.Values) (int64, int64, casework.ClientFile, error) {
	id, err := pathID(r, "id", "Het participatiedossier")
	if err != nil {
		return 0, 0, casework.ClientFile{}, err
	}
	tid, err := pathID(r, "tid", "Het traject")
	if err != nil {
		return 0, 0, casework.ClientFile{}, err
	}
	f, err := s.participationFile(r, id, klantID(v))
	if err != nil {
		return 0, 0, casework.ClientFile{}, err
	}
	for _, t := range f.Trajectories {
		if t.ID == tid {
			return id, tid, f, nil
		}
	}
	return 0, 0, casework.ClientFile{}, casework.NotFound("Het traject")
}

func (s *server) trajectoryFinishForm(w http.ResponseWriter, r *http.Request) error {
	id, tid, f, err := s.trajectoryFile(r, r.URL.Query())
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, s.finishPage(f, id, tid, url.Values{}), nil)
}

func (s *server) trajectoryFinish(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil && !errors.Is(err, errBodyTooLarge) {
		return err
	}
	id, tid, f, ferr := s.trajectoryFile(r, vals)
	if ferr != nil {
		return ferr
	}
	if err == nil {
		err = s.Dossiers.FinishTrajectory(r.Context(), actor(r), id, tid, vals.Get(process.FieldResult))
	}
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderFormPage(w, r, status, &f, s.finishPage(f, id, tid, vals), err)
		})
	}
	return s.redirect(w, r, caseLink(f, "participatie"), "ok", "Traject afgerond.")
}

// ---- Registrations with providers

func (s *server) registrationPage(f casework.ClientFile, caseID int64, vals url.Values) formPage {
	return formPage{heading: "Aanmelding bij een aanbieder", intro: []string{"Een aanmelding bevat alleen wat de aanbieder nodig heeft: nooit een BSN of gezondheidsgegevens."},
		spec: formSpec{form: f.Def.Policy.RegistrationForm(), values: vals, action: fmt.Sprintf("/dossiers/%d/aanmeldingen", caseID),
			submit: "Aanmelding opslaan", cancel: caseLink(f, "participatie"), hidden: []Hidden{klantHidden(f)}}}
}

func (s *server) registrationForm(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.dossierGET(r)
	if err != nil {
		return err
	}
	v := casework.RegistrationValues(casework.Registration{On: s.Process.Now(), Status: process.RegistrationStatuses[0]})
	return s.renderFormPage(w, r, http.StatusOK, &f, s.registrationPage(f, id, v), nil)
}

func (s *server) registrationAdd(w http.ResponseWriter, r *http.Request) error {
	return s.dossierAction(w, r, s.Dossiers.AddRegistration, s.registrationPage, "participatie", "Aanmelding opgeslagen.")
}

func (s *server) statusPage(f casework.ClientFile, caseID int64, reg casework.Registration, vals url.Values, version int) formPage {
	return formPage{heading: "Status van de aanmelding wijzigen",
		intro: []string{fmt.Sprintf("Aanmelding bij %s, nu: %s.", providerName(f.Def.Policy, reg.Provider), reg.Status)},
		spec: formSpec{form: process.RegistrationStatusForm(), values: vals, action: fmt.Sprintf("/dossiers/%d/aanmeldingen/%d/status", caseID, reg.ID),
			submit: "Status wijzigen", cancel: caseLink(f, "participatie"),
			hidden: []Hidden{klantHidden(f), {Name: process.FieldVersion, Value: strconv.Itoa(version)}}}}
}

func (s *server) registrationFile(r *http.Request, v url.Values) (int64, casework.Registration, casework.ClientFile, error) {
	id, err := pathID(r, "id", "Het participatiedossier")
	if err != nil {
		return 0, casework.Registration{}, casework.ClientFile{}, err
	}
	rid, err := pathID(r, "rid", "De aanmelding")
	if err != nil {
		return 0, casework.Registration{}, casework.ClientFile{}, err
	}
	f, err := s.participationFile(r, id, klantID(v))
	if err != nil {
		return 0, casework.Registration{}, casework.ClientFile{}, err
	}
	for _, rg := range f.Registrations {
		if rg.ID == rid {
			return id, rg, f, nil
		}
	}
	return 0, casework.Registration{}, casework.ClientFile{}, casework.NotFound("De aanmelding")
}

func (s *server) registrationStatusForm(w http.ResponseWriter, r *http.Request) error {
	id, reg, f, err := s.registrationFile(r, r.URL.Query())
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, s.statusPage(f, id, reg, casework.StatusValues(reg), reg.Version), nil)
}

func (s *server) registrationStatus(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	id, reg, f, err := s.registrationFile(r, vals)
	if err != nil {
		return err
	}
	version := intField(vals, process.FieldVersion)
	if err := s.Dossiers.UpdateRegistrationStatus(r.Context(), actor(r), id, reg.ID, version, vals.Get(process.FieldStatus)); err != nil {
		return withForm(err, func(status int, err error) error {
			v := version
			if freshVersion(err) {
				v = reg.Version
			}
			return s.renderFormPage(w, r, status, &f, s.statusPage(f, id, reg, vals, v), err)
		})
	}
	return s.redirect(w, r, caseLink(f, "participatie"), "ok", "Status van de aanmelding gewijzigd.")
}

// ---- Appointments

func (s *server) followUpPage(f casework.ClientFile, caseID int64, vals url.Values) formPage {
	return formPage{heading: "Vervolgafspraak plannen", intro: []string{"De klant krijgt een uitnodiging per e-mail vanuit de gedeelde mailbox; de spreekkamer wordt geboekt."},
		spec: formSpec{form: process.AppointmentForm(), values: vals, dyn: s.Appointments.AppointmentOptions(), action: fmt.Sprintf("/dossiers/%d/afspraken", caseID),
			submit: "Afspraak plannen", cancel: caseLink(f, "afspraken"), hidden: []Hidden{klantHidden(f)}}}
}

func (s *server) followUpForm(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.dossierGET(r)
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, s.followUpPage(f, id, url.Values{}), nil)
}

func (s *server) followUpPlan(w http.ResponseWriter, r *http.Request) error {
	return s.dossierAction(w, r, s.Appointments.PlanFollowUp, s.followUpPage, "afspraken", "Vervolgafspraak gepland; de klant krijgt een uitnodiging.")
}

func (s *server) appointmentCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De afspraak")
	if err != nil {
		return err
	}
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.Appointments.CancelAppointment(r.Context(), actor(r), id); err != nil {
		return err
	}
	return s.redirect(w, r, backTo(r, "/werkvoorraad/mijn"), "ok", "Afspraak geannuleerd; de spreekkamer is vrijgegeven.")
}

// ---- Moving an appointment

// fieldSequence is the hidden field with the appointment's calendar
// sequence the move form was built on (a colleague's change is a 409).
const fieldSequence = "volgnummer"

// appointmentFile loads the client file an appointment belongs to. The
// links to the move form carry the client id (klant).
func (s *server) appointmentFile(r *http.Request, v url.Values) (casework.Appointment, casework.ClientFile, error) {
	id, err := pathID(r, "id", "De afspraak")
	if err != nil {
		return casework.Appointment{}, casework.ClientFile{}, err
	}
	clientID := klantID(v)
	if clientID == 0 {
		return casework.Appointment{}, casework.ClientFile{}, casework.NotFound("De afspraak")
	}
	f, err := s.Clients.ClientFile(r.Context(), actor(r), clientID)
	if err != nil {
		return casework.Appointment{}, casework.ClientFile{}, err
	}
	for _, ap := range f.Appointments {
		if ap.ID == id {
			return ap, f, nil
		}
	}
	return casework.Appointment{}, casework.ClientFile{}, casework.NotFound("De afspraak")
}

func (s *server) movePage(f casework.ClientFile, ap casework.Appointment, vals url.Values) formPage {
	room := ap.Room
	if rm, ok := s.Process.Config().Room(ap.Room); ok {
		room = rm.Name
	}
	now := fmt.Sprintf("Nu gepland: %s op %s uur in %s", process.AppointmentKindNames[ap.Kind], casework.FormatDateTime(ap.StartAt), room)
	if ap.KlantmanagerName != "" {
		now += " met " + ap.KlantmanagerName
	}
	intro := []string{now + ".",
		"Kies een nieuwe datum, tijd of spreekkamer. De klant en de klantmanager krijgen een gewijzigde agenda-uitnodiging; de oude spreekkamer wordt vrijgegeven."}
	if ap.Cancelled {
		intro = []string{"Deze afspraak is geannuleerd en kan niet meer worden verplaatst. Plan zo nodig een nieuwe afspraak."}
	}
	return formPage{heading: "Afspraak verplaatsen", intro: intro,
		spec: formSpec{form: process.AppointmentForm(), values: vals, dyn: s.Appointments.AppointmentOptions(),
			action: fmt.Sprintf("/afspraken/%d/verplaatsen", ap.ID), submit: "Afspraak verplaatsen", cancel: caseLink(f, "afspraken"),
			hidden: []Hidden{klantHidden(f), {Name: fieldSequence, Value: strconv.Itoa(ap.Sequence)}}}}
}

func (s *server) renderMove(w http.ResponseWriter, r *http.Request, status int, f casework.ClientFile, ap casework.Appointment, vals url.Values, err error) error {
	fp := s.movePage(f, ap, vals)
	fp.disabled = ap.Cancelled
	return s.renderFormPage(w, r, status, &f, fp, err)
}

// appointmentMoveForm shows GET /afspraken/{id}/verplaatsen?klant=..,
// filled with the appointment as planned.
func (s *server) appointmentMoveForm(w http.ResponseWriter, r *http.Request) error {
	ap, f, err := s.appointmentFile(r, r.URL.Query())
	if err != nil {
		return err
	}
	if err := casework.Authorize(actor(r), process.ActChangeAppointment, casework.AppointmentRelation(actor(r), ap)); err != nil {
		return err
	}
	if ap.Cancelled {
		return casework.Conflict("Deze afspraak is geannuleerd en kan niet meer worden verplaatst.")
	}
	return s.renderMove(w, r, http.StatusOK, f, ap, casework.AppointmentValues(ap), nil)
}

// appointmentMove handles POST /afspraken/{id}/verplaatsen. A refused move
// shows the form again with what was typed, the message, and the
// appointment as it is now (a colleague may have moved it).
func (s *server) appointmentMove(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	ap, f, err := s.appointmentFile(r, vals)
	if err != nil {
		return err
	}
	err = casework.MissingVersion()
	if seq, perr := strconv.Atoi(strings.TrimSpace(vals.Get(fieldSequence))); perr == nil && seq >= 0 {
		// The sequence starts at 0: only a missing one is refused here.
		err = s.Appointments.MoveAppointment(r.Context(), actor(r), ap.ID, seq, vals)
	}
	if err != nil {
		return withForm(err, func(status int, err error) error {
			fresh, freshFile, ferr := s.appointmentFile(r, vals)
			if ferr != nil {
				return ferr
			}
			return s.renderMove(w, r, status, freshFile, fresh, vals, err)
		})
	}
	msg := "Afspraak verplaatst; de klant en de klantmanager krijgen een gewijzigde uitnodiging."
	if moved, _, err := s.appointmentFile(r, vals); err == nil {
		msg = fmt.Sprintf("Afspraak verplaatst naar %s uur; de klant en de klantmanager krijgen een gewijzigde uitnodiging.", casework.FormatDateTime(moved.StartAt))
	}
	return s.redirect(w, r, caseLink(f, "afspraken"), "ok", msg)
}

// ---- Suspensions of the decision term (on the application)

func (s *server) suspensionPage(f casework.ClientFile, caseID int64, vals url.Values) formPage {
	return formPage{heading: "Opschorting met instemming van de aanvrager", intro: []string{
		"Leg hier vast dat de aanvrager schriftelijk instemde met uitstel van het besluit (Awb 4:15 lid 2 a), met de laatste dag van dat uitstel.",
		"Een verzoek om aanvulling (Awb 4:5) maakt u met de knop “Verzoek om aanvulling” op de klantpagina: dat schort de beslistermijn zelf op.",
		"Zolang de opschorting loopt, rekent de uiterste beslisdatum tot en met de laatste dag van het uitstel; eindigt hij eerder, dan wordt de datum opnieuw berekend."},
		spec: formSpec{form: process.SuspensionForm(), values: vals, action: fmt.Sprintf("/aanvragen/%d/opschortingen", caseID),
			submit: "Opschorting vastleggen", cancel: caseLink(f, "aanvraag"), hidden: []Hidden{klantHidden(f)}}}
}

func (s *server) suspensionForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De aanvraag")
	if err != nil {
		return err
	}
	f, err := s.applicationFile(r, id, klantID(r.URL.Query()))
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, s.suspensionPage(f, id, url.Values{}), nil)
}

func (s *server) suspensionAdd(w http.ResponseWriter, r *http.Request) error {
	return s.caseAction(w, r, s.applicationPOST, s.Applications.AddSuspension, s.suspensionPage, "aanvraag",
		"Opschorting vastgelegd; de beslistermijn is bijgewerkt.")
}

func (s *server) endSuspensionPage(f casework.ClientFile, caseID, sid int64, vals url.Values) formPage {
	return formPage{heading: "Opschorting beëindigen", intro: []string{"De beslistermijn loopt weer vanaf de einddatum; de uiterste beslisdatum wordt opnieuw berekend."},
		spec: formSpec{form: process.EndSuspensionForm(), values: vals, action: fmt.Sprintf("/aanvragen/%d/opschortingen/%d/beeindigen", caseID, sid),
			submit: "Opschorting beëindigen", cancel: caseLink(f, "aanvraag"), hidden: []Hidden{klantHidden(f)}}}
}

func (s *server) suspensionEndForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De aanvraag")
	if err != nil {
		return err
	}
	sid, err := pathID(r, "sid", "De opschorting")
	if err != nil {
		return err
	}
	f, err := s.applicationFile(r, id, klantID(r.URL.Query()))
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, s.endSuspensionPage(f, id, sid, casework.EndSuspensionValues(s.Process.Now())), nil)
}

func (s *server) suspensionEnd(w http.ResponseWriter, r *http.Request) error {
	sid, err := pathID(r, "sid", "De opschorting")
	if err != nil {
		return err
	}
	end := func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error {
		return s.Applications.EndSuspension(ctx, a, caseID, sid, v)
	}
	page := func(f casework.ClientFile, caseID int64, v url.Values) formPage {
		return s.endSuspensionPage(f, caseID, sid, v)
	}
	return s.caseAction(w, r, s.applicationPOST, end, page, "aanvraag", "Opschorting beëindigd; de beslistermijn is opnieuw berekend.")
}
