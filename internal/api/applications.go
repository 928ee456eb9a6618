package api

import (
	"context"
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
		"Velden van een digitale aanvraag (`kanaal` digitaal):\n\n" + describeForm(process.ApplicationForm(false), statics) +
		"\nVelden van een fysieke aanvraag (`kanaal` fysiek):\n\n" + describeForm(process.ApplicationForm(true), statics)
	op := operation("submitApplication", http.MethodPost, "/api/aanvragen", "Aanvragen", "Aanvraag indienen", desc, writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.submitApplication)
}

func (h *handler) submitApplication(ctx context.Context, in *submitApplicationRequest) (*applicationResponse, error) {
	channel := casework.ChannelDigital
	if in.Body.Channel == casework.ChannelPhysical {
		channel = casework.ChannelPhysical
	}
	c, err := h.Applications.SubmitApplication(ctx, actorFrom(ctx), channel, in.Body.Velden.values())
	if err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return &applicationResponse{Body: applicationOut(c)}, nil
}
