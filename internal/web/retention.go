package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Retention and destruction (/beheer/vernietiging) and the data subject's
// export (/beheer/inzage), for the functioneel beheerder. See
// docs/security.md, "Retention and destruction" and "Data subject rights".

// RetentionPage lists the clients due for destruction and every run.
type RetentionPage struct {
	Layout
	Overview casework.RetentionOverview
}

func (s *server) retentionPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.Privacy.RetentionOverview(r.Context(), actor(r))
	if err != nil {
		return err
	}
	p := RetentionPage{Layout: s.base(r, "Vernietiging"), Overview: o}
	return s.render(w, r, http.StatusOK, "retention", &p)
}

// retentionPropose proposes the clients due today and shows the proposal.
func (s *server) retentionPropose(w http.ResponseWriter, r *http.Request) error {
	if _, err := formValues(w, r); err != nil {
		return err
	}
	id, err := s.Privacy.ProposeDestruction(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/beheer/vernietiging/"+strconv.FormatInt(id, 10), "ok", "Voorstel tot vernietiging gemaakt. Controleer wat er vernietigd wordt.")
}

// DestructionPage is one run: the dry run with the approval form while
// proposed, the report once carried out.
type DestructionPage struct {
	Layout
	Dry      casework.DryRun
	Form     FormView
	FourEyes bool
}

func (s *server) renderDestruction(w http.ResponseWriter, r *http.Request, status int, id int64, vals url.Values, ferr error) error {
	d, err := s.Privacy.DestructionRun(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	action := "/beheer/vernietiging/" + strconv.FormatInt(id, 10) + "/goedkeuren"
	p := DestructionPage{Layout: s.base(r, "Vernietiging "+strconv.FormatInt(id, 10)), Dry: d,
		FourEyes: s.Process.Config().Retention.FourEyes,
		Form: buildForm(formSpec{form: process.DestructionApprovalForm(), values: vals, action: action,
			submit: "Goedkeuren en definitief vernietigen"}, ferr)}
	return s.render(w, r, status, "destruction", &p)
}

func (s *server) destructionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "Deze vernietiging")
	if err != nil {
		return err
	}
	return s.renderDestruction(w, r, http.StatusOK, id, url.Values{}, nil)
}

func (s *server) destructionApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "Deze vernietiging")
	if err != nil {
		return err
	}
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	confirmed := vals.Get(process.FieldConfirmDestruction) != ""
	if err := s.Privacy.ApproveDestruction(r.Context(), actor(r), id, confirmed); err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderDestruction(w, r, status, id, vals, err)
		})
	}
	return s.redirect(w, r, "/beheer/vernietiging/"+strconv.FormatInt(id, 10), "ok", "De gegevens zijn vernietigd. Het verslag van de vernietiging staat hieronder.")
}

func (s *server) destructionWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "Deze vernietiging")
	if err != nil {
		return err
	}
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.Privacy.WithdrawDestruction(r.Context(), actor(r), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/beheer/vernietiging", "ok", "Het voorstel tot vernietiging is ingetrokken.")
}

// destructionReport downloads a carried-out run's report as JSON.
func (s *server) destructionReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "Deze vernietiging")
	if err != nil {
		return err
	}
	d, err := s.Privacy.DestructionRun(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	if d.Report == nil {
		return casework.NotFound("Het verslag van deze vernietiging")
	}
	body, err := json.MarshalIndent(d.Report, "", "  ")
	if err != nil {
		return err
	}
	serveFile(w, casework.DocumentFile{Name: "verslag-vernietiging-" + strconv.FormatInt(id, 10) + ".json",
		ContentType: "application/json", Data: body})
	return nil
}

// ExportPage is the form of the data subject's export, and the export
// itself as a readable page.
type ExportPage struct {
	Layout
	Form   FormView
	Export *casework.ClientExport
}

func (s *server) renderExport(w http.ResponseWriter, r *http.Request, status int, vals url.Values, err error) error {
	if err := casework.Authorize(actor(r), process.ActExportClient, process.RelNone); err != nil {
		return err
	}
	p := ExportPage{Layout: s.base(r, "Inzage-export"),
		Form: buildForm(formSpec{form: process.ExportForm(), values: vals, action: "/beheer/inzage", submit: "Export maken"}, err)}
	return s.render(w, r, status, "export", &p)
}

func (s *server) exportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderExport(w, r, http.StatusOK, url.Values{process.FieldExportFormat: {process.ExportJSON}}, nil)
}

// exportMake makes the export: a JSON download or the readable page.
func (s *server) exportMake(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	again := func(status int, err error) error { return s.renderExport(w, r, status, vals, err) }
	errs := casework.Fields{}
	clientID, perr := strconv.ParseInt(strings.TrimSpace(vals.Get(process.FieldClientNumber)), 10, 64)
	if perr != nil || clientID <= 0 {
		errs.Add(process.FieldClientNumber, "Vul het klantnummer in: alleen cijfers.")
	}
	format := vals.Get(process.FieldExportFormat)
	if format != process.ExportJSON && format != process.ExportHTML {
		errs.Add(process.FieldExportFormat, "Kies de vorm van de export.")
	}
	if err := errs.Err(); err != nil {
		return withForm(err, again)
	}
	x, err := s.Privacy.ExportClient(r.Context(), actor(r), clientID, casework.Values(vals))
	if err != nil {
		return withForm(err, again)
	}
	if format == process.ExportHTML {
		p := ExportPage{Layout: s.base(r, "Inzage-export klant "+strconv.FormatInt(clientID, 10)), Export: &x}
		w.Header().Set("Cache-Control", "no-store")
		return s.render(w, r, http.StatusOK, "export", &p)
	}
	body, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	serveFile(w, casework.DocumentFile{Name: casework.ExportFileName(x, "json"), ContentType: "application/json", Data: body})
	return nil
}

// ---- Rectification of a client's name, date of birth or BSN (UAVG art.
// 16), on its own form page with the case header.

func (s *server) rectifyPage(f casework.ClientFile, vals url.Values, version int) formPage {
	back := "/klanten/" + strconv.FormatInt(f.Client.ID, 10)
	return formPage{heading: "Naam, geboortedatum of BSN corrigeren", intro: []string{
		"Corrigeer alleen wat aantoonbaar fout is, bijvoorbeeld op verzoek van de klant met een ID-bewijs.",
		"De oude en de nieuwe gegevens komen met de reden in de historie van de klant (het oude BSN gemaskeerd)."},
		spec: formSpec{form: process.RectifyForm(), values: vals, action: back + "/corrigeren", submit: "Correctie opslaan",
			cancel: back, hidden: []Hidden{{Name: process.FieldVersion, Value: strconv.Itoa(version)}}}}
}

func (s *server) rectifyForm(w http.ResponseWriter, r *http.Request) error {
	return s.clientFormPage(w, r, process.ActRectifyClient, func(c casework.Client) url.Values {
		return url.Values{process.FieldGivenNames: {c.GivenName}, process.FieldFamilyName: {c.FamilyName},
			process.FieldBirthDate: {casework.FormatDate(c.BirthDate)}}
	}, s.rectifyPage)
}

func (s *server) rectifySave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	a := actor(r)
	vals, err := formValues(w, r)
	if err == nil {
		err = s.Privacy.RectifyClient(r.Context(), a, id, intField(vals, process.FieldVersion), vals)
	}
	if err != nil {
		return s.clientFormAgain(w, r, id, vals, err, s.rectifyPage)
	}
	return s.redirect(w, r, "/klanten/"+strconv.FormatInt(id, 10), "ok", "De gegevens van de klant zijn gecorrigeerd; de oude staan in de historie.")
}
