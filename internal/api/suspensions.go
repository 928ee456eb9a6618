package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// EndSuspensionInput ends a running suspension.
type EndSuspensionInput struct {
	End string `json:"eind" doc:"Einddatum van de opschorting, jjjj-mm-dd (dd-mm-jjjj mag ook); niet in de toekomst."`
}

type suspensionRequest struct {
	ID   int64 `path:"id" doc:"Id van de aanvraag (werkproces 0/L2)."`
	Body VeldenInput
}

type endSuspensionRequest struct {
	ID           int64 `path:"id" doc:"Id van de aanvraag (werkproces 0/L2)."`
	SuspensionID int64 `path:"sid" doc:"Id van de opschorting."`
	Body         EndSuspensionInput
}

func (h *handler) registerSuspensions() {
	op := operation("addSuspension", http.MethodPost, "/api/aanvragen/{id}/opschortingen", "Aanvragen", "Beslistermijn opschorten",
		"Schort de beslistermijn van een open aanvraag op (Awb 4:15) en herberekent de termijnen van de taken. Alleen voor de Poort "+
			"(Poortwachter, Ondersteuner Poortwachter). Zonder einddatum loopt de opschorting tot hij wordt beëindigd.\n\nVelden:\n\n"+
			describeForm(process.SuspensionForm(), nil),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.addSuspension)
	huma.Register(h.api, operation("endSuspension", http.MethodPost, "/api/aanvragen/{id}/opschortingen/{sid}/einde", "Aanvragen", "Opschorting beëindigen",
		"Beëindigt een lopende opschorting op de gegeven datum en herberekent de beslistermijn. Alleen voor de Poort.",
		writeErrs...), h.endSuspension)
}

func (h *handler) addSuspension(ctx context.Context, in *suspensionRequest) (*confirmationResponse, error) {
	if err := h.Applications.AddSuspension(ctx, actorFrom(ctx), in.ID, in.Body.Velden.values()); err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return confirm("De beslistermijn is opgeschort. Zie opschortingen in het klantdossier."), nil
}

func (h *handler) endSuspension(ctx context.Context, in *endSuspensionRequest) (*confirmationResponse, error) {
	v := casework.Values{}
	v.Set(process.FieldSuspensionEnd, in.Body.End)
	if err := h.Applications.EndSuspension(ctx, actorFrom(ctx), in.ID, in.SuspensionID, v); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return confirm("De opschorting is beëindigd en de beslistermijn herberekend."), nil
}
