package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// A dossier's and an appointment's life on the case page: registering a
// trajectory of the plan with its provider, recording an appointment as
// held or missed, closing a dossier outside the steps.

// afterButton ends a one-button action on the case page: back to it with
// the confirmation, or with the refusal (a conflict, an invalid state) as
// an error message there. Other errors (forbidden, not found) get their
// own page.
func (s *server) afterButton(w http.ResponseWriter, r *http.Request, to string, err error, ok string) error {
	switch {
	case err == nil:
		return s.redirect(w, r, to, "ok", ok)
	case casework.ErrorCode(err) == casework.CodeConflict || casework.ErrorCode(err) == casework.CodeInvalid:
		return s.redirect(w, r, to, "error", casework.ErrorMessage(err))
	}
	return err
}

// trajectoryRegister handles POST /dossiers/{id}/trajecten/{tid}/aanmelden.
func (s *server) trajectoryRegister(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	id, tid, f, err := s.trajectoryFile(r, vals)
	if err != nil {
		return err
	}
	msg := "Aangemeld bij de aanbieder."
	for _, t := range f.Trajectories {
		if t.ID == tid {
			msg = fmt.Sprintf("Traject “%s” is aangemeld bij %s.", t.Title, providerName(f.Def.Policy, t.Provider))
		}
	}
	err = s.Dossiers.RegisterTrajectory(r.Context(), actor(r), id, tid)
	return s.afterButton(w, r, caseLink(f, "participatie"), err, msg)
}

// appointmentMark handles POST /afspraken/{id}/status: held or missed.
func (s *server) appointmentMark(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	ap, f, err := s.appointmentFile(r, vals)
	if err != nil {
		return err
	}
	status := vals.Get(process.FieldStatus)
	msg := "Afspraak vastgelegd als gehouden."
	if status == process.AppointmentNoShow {
		msg = "Vastgelegd dat de klant niet is verschenen. Er staat een taak klaar om een nieuwe afspraak te plannen."
	}
	err = s.Appointments.MarkAppointment(r.Context(), actor(r), ap.ID, status)
	return s.afterButton(w, r, caseLink(f, "afspraken"), err, msg)
}

// ---- Closing a dossier outside the steps

func (s *server) closePage(f casework.ClientFile, caseID int64, vals url.Values, version int) formPage {
	intro := []string{"Sluit het participatiedossier af als de begeleiding eindigt, bijvoorbeeld van een NUG'er die werk heeft gevonden.",
		"Toekomstige afspraken worden geannuleerd: de klant en de klantmanager krijgen de annulering en de spreekkamer komt vrij. " +
			"Lopende trajecten en aanmeldingen stoppen, behalve die u hieronder aanvinkt: die mogen worden afgemaakt."}
	return formPage{heading: "Participatiedossier afsluiten", intro: intro,
		spec: formSpec{form: process.CloseDossierForm(), values: vals, action: fmt.Sprintf("/dossiers/%d/afsluiten", caseID),
			dyn:    map[string][]process.Option{process.SourceTrajectoriesFinish: casework.FinishOptions(f.Def.Policy, f.Trajectories, f.Registrations)},
			submit: "Dossier afsluiten", cancel: caseLink(f, "participatie"),
			hidden: []Hidden{klantHidden(f), {Name: process.FieldVersion, Value: strconv.Itoa(version)}}}}
}

// closeFile loads the participation file for closing: its owner or a team
// lead, open.
func (s *server) closeFile(r *http.Request, v url.Values) (int64, casework.ClientFile, error) {
	id, err := pathID(r, "id", "Het participatiedossier")
	if err != nil {
		return 0, casework.ClientFile{}, err
	}
	f, err := s.caseFile(r, id, klantID(v))
	if err != nil {
		return 0, casework.ClientFile{}, err
	}
	if f.Participation == nil || f.Participation.ID != id {
		return 0, casework.ClientFile{}, casework.NotFound("Het participatiedossier")
	}
	if err := casework.Authorize(actor(r), process.ActCloseDossier, casework.DossierRelation(actor(r), *f.Participation)); err != nil {
		return 0, casework.ClientFile{}, err
	}
	if !f.Participation.Open() {
		return 0, casework.ClientFile{}, casework.Conflict("Dit participatiedossier is al afgesloten.")
	}
	return id, f, nil
}

// closeWaits is the open step on the participation dossier that closing it
// waits for; "" when none. A task raised by an event (a no-show, a letter)
// does not hold closing up (casework.Dossiers.CloseDossier).
func closeWaits(f casework.ClientFile) string {
	for _, t := range f.OpenTasks() {
		if st, ok := f.Def.Step(t.Step); ok && st.On == "" && f.Participation != nil && t.CaseID == f.Participation.ID {
			return t.StepTitle
		}
	}
	return ""
}

func closeWaitsMessage(step string) string {
	return fmt.Sprintf("Dossier afsluiten kan pas als de stap “%s” is afgerond.", step)
}

func (s *server) dossierCloseForm(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.closeFile(r, r.URL.Query())
	if err != nil {
		return err
	}
	fp := s.closePage(f, id, url.Values{}, f.Participation.Version)
	if step := closeWaits(f); step != "" {
		// Said before anything is typed (an old link): the form without a
		// button. A post meanwhile gets it back with what was typed.
		fp.disabled = true
		return s.renderFormPage(w, r, http.StatusConflict, &f, fp, casework.Conflict(closeWaitsMessage(step)))
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, fp, nil)
}

func (s *server) dossierClose(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	id, f, err := s.closeFile(r, vals)
	if err != nil {
		return err
	}
	version := intField(vals, process.FieldVersion)
	if err := s.Dossiers.CloseDossier(r.Context(), actor(r), id, version, vals); err != nil {
		return withForm(err, func(status int, err error) error {
			v := version
			if freshVersion(err) {
				v = f.Participation.Version
			}
			return s.renderFormPage(w, r, status, &f, s.closePage(f, id, vals, v), err)
		})
	}
	return s.redirect(w, r, caseLink(f, "participatie"), "ok", "Participatiedossier afgesloten. Toekomstige afspraken zijn geannuleerd.")
}
