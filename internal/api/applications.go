package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ApplicationInput is a new application.
type ApplicationInput struct {
	Channel string `json:"kanaal,omitempty" enum:"digitaal,fysiek" doc:"digitaal (standaard): de aanvraag zoals het e-formulierensysteem hem stuurt. fysiek: een aanvraag aan de balie, alleen voor een Ondersteuner Poortwachter."`
	Velden  Velden `json:"velden" doc:"De velden van het aanvraagformulier; zie de beschrijving van de operatie."`
}

// channel is the channel the input names; digital unless fysiek.
func (in ApplicationInput) channel() string {
	if in.Channel == casework.ChannelPhysical {
		return casework.ChannelPhysical
	}
	return casework.ChannelDigital
}

type submitApplicationRequest struct {
	Body ApplicationInput
}

type applicationResponse struct {
	Body Application
}

func (h *handler) registerApplications() {
	statics := staticOptions(h.Appointments, h.Process)
	desc := "Neemt een aanvraag levensonderhoud in en maakt werkproces 0/L2 aan met de eerste taak (intakegesprek) op de werkvoorraad van de Poort. " +
		"Het antwoord is de aanvraag met `klant_id`.\n\n" +
		"Heeft de klant al een lopende aanvraag, dan volgt 409 met een `link` naar het dossier van de klant. " +
		"Een klant moet op de aanvraagdatum minstens de minimumleeftijd van de pilot hebben.\n\n" +
		"Velden van een digitale aanvraag (`kanaal` digitaal):\n\n" + describeForm(process.ApplicationForm(process.FromEForm), statics) +
		"\nVelden van een fysieke aanvraag (`kanaal` fysiek):\n\n" + describeForm(process.ApplicationForm(process.FromDesk), statics)
	op := operation("submitApplication", http.MethodPost, "/api/aanvragen", "Aanvragen", "Aanvraag indienen", desc, writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.submitApplication)
	huma.Register(h.api, operation("getApplicationStatus", http.MethodGet, "/api/aanvragen/{id}", "Aanvragen", "Status van een aanvraag",
		"Geeft de status van een aanvraag: ontvangen, beslistermijn en besluit. Het e-formulierensysteem ziet alleen de aanvragen die het zelf "+
			"indiende; een medewerker de aanvragen van klanten aan wie hij werkt.", byIDErrs...), h.getApplicationStatus)
}

// ApplicationStatus is what the sender of an application may know of it.
type ApplicationStatus struct {
	ID              int64  `json:"id" doc:"Id van de aanvraag."`
	Status          string `json:"status" doc:"Status van de aanvraag: in_behandeling of besloten."`
	StatusLabel     string `json:"status_label" doc:"De status in woorden."`
	AppliedOn       string `json:"aanvraagdatum" format:"date" doc:"Datum van ontvangst."`
	DecisionDue     string `json:"beslistermijn,omitempty" format:"date" doc:"Uiterste datum van het besluit."`
	DecisionOutcome string `json:"besluit,omitempty" doc:"Besluit: toekenning of geen_toekenning."`
	DecisionOn      string `json:"besluit_datum,omitempty" format:"date" doc:"Datum van het besluit."`
}

type applicationStatusResponse struct {
	Body ApplicationStatus
}

func (h *handler) getApplicationStatus(ctx context.Context, in *applicationIDRequest) (*applicationStatusResponse, error) {
	c, err := h.Applications.ApplicationStatus(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &applicationStatusResponse{Body: ApplicationStatus{ID: c.ID, Status: c.Status, StatusLabel: process.StatusNames[c.Status],
		AppliedOn: date(c.AppliedOn), DecisionDue: date(c.DecisionDue), DecisionOutcome: c.DecisionOutcome, DecisionOn: date(c.DecisionOn)}}, nil
}

func (h *handler) submitApplication(ctx context.Context, in *submitApplicationRequest) (*applicationResponse, error) {
	c, err := h.Applications.SubmitApplication(ctx, actorFrom(ctx), in.Body.channel(), in.Body.Velden.values())
	if err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return &applicationResponse{Body: applicationOut(c)}, nil
}

// Melding is the melding of someone younger than the pilot's minimum age.
type Melding struct {
	ID           int64  `json:"id" doc:"Id van de melding."`
	ClientID     int64  `json:"klant_id" doc:"Id van de klant."`
	ReportedOn   string `json:"meldingsdatum" format:"date" doc:"De dag dat de klant zich meldde."`
	SearchUntil  string `json:"zoekt_tot_en_met" format:"date" doc:"Laatste dag van de zoekperiode (artikel 41 lid 4 Participatiewet)."`
	MayApplyFrom string `json:"aanvraag_vanaf" format:"date" doc:"Eerste dag waarop de aanvraag in behandeling kan."`
	Channel      string `json:"kanaal" doc:"digitaal of fysiek."`
}

type recordMeldingRequest struct {
	Body ApplicationInput
}

type meldingResponse struct {
	Body Melding
}

func (h *handler) registerMeldingen() {
	statics := staticOptions(h.Appointments, h.Process)
	pol := h.Process.Definition().Policy
	desc := fmt.Sprintf("Legt de melding vast van iemand jonger dan %d (artikel 41 Participatiewet): de klant zoekt eerst %s zelf naar werk "+
		"voordat een aanvraag in behandeling gaat. De klant krijgt een brief met de zoekperiode. Wie %d of ouder is, doet een aanvraag (422).\n\n"+
		"Velden (`kanaal` digitaal, standaard):\n\n%s\nVelden (`kanaal` fysiek):\n\n%s",
		pol.MinimumAge, process.TermLength(pol.YouthSearchDays), pol.MinimumAge,
		describeForm(process.MeldingForm(process.FromEForm), statics), describeForm(process.MeldingForm(process.FromDesk), statics))
	op := operation("recordMelding", http.MethodPost, "/api/meldingen", "Aanvragen", "Melding vastleggen (jonger dan de minimumleeftijd)", desc, writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.recordMelding)
}

func (h *handler) recordMelding(ctx context.Context, in *recordMeldingRequest) (*meldingResponse, error) {
	m, err := h.Applications.RecordMelding(ctx, actorFrom(ctx), in.Body.channel(), in.Body.Velden.values())
	if err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return &meldingResponse{Body: Melding{ID: m.ID, ClientID: m.ClientID, ReportedOn: date(m.ReportedOn), SearchUntil: date(m.SearchUntil),
		MayApplyFrom: date(m.MayApplyFrom()), Channel: m.Channel}}, nil
}
